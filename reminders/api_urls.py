from django.urls import path

from reminders import apis

app_name = "reminders-api"

urlpatterns = [
    path("reminders/schedules/", apis.ScheduleListApi.as_view(), name="schedule-list"),
    path(
        "reminders/schedules/<uuid:schedule_id>/",
        apis.ScheduleDetailApi.as_view(),
        name="schedule-detail",
    ),
    path(
        "reminders/schedules/<uuid:schedule_id>/snooze/",
        apis.ScheduleSnoozeApi.as_view(),
        name="schedule-snooze",
    ),
    path(
        "reminders/schedules/<uuid:schedule_id>/pause/",
        apis.SchedulePauseApi.as_view(),
        name="schedule-pause",
    ),
    path("reminders/moved/", apis.StandUpMovedApi.as_view(), name="stand-up-moved"),
    path(
        "reminders/push-subscriptions/",
        apis.PushSubscriptionListCreateApi.as_view(),
        name="push-subscription-list",
    ),
    path(
        "reminders/push-subscriptions/<uuid:subscription_id>/",
        apis.PushSubscriptionDetailApi.as_view(),
        name="push-subscription-detail",
    ),
    path(
        "reminders/push/vapid-public-key/",
        apis.VapidPublicKeyApi.as_view(),
        name="vapid-public-key",
    ),
    path("reminders/inbox/", apis.InboxListApi.as_view(), name="inbox-list"),
    path("reminders/inbox/read-all/", apis.InboxReadAllApi.as_view(), name="inbox-read-all"),
    path(
        "reminders/inbox/<uuid:message_id>/read/",
        apis.InboxMessageReadApi.as_view(),
        name="inbox-message-read",
    ),
]
