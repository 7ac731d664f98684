from csp.decorators import csp_update
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from tracker import views
from tracker.views import (
    clinic,
    dashboard,
    days_with_data,
    inbox,
    messages,
    onboarding,
    programme_builder,
    psfs,
    report,
    site,
    therapist_push,
)
from tracker.views.app import checkin, guides, language, reminder_settings, shell, today
from tracker.views.app import messages as app_messages
from tracker.views.app import psfs as app_psfs

# The therapist dashboard; patient pages are /therapist/patients/<patient public_id>/, the URL
# the flag notifications link to (tracker.services.flag_notifications.patient_page_url).
dashboard_patterns = (
    [
        path("", dashboard.caseload, name="caseload"),
        path("patients/<uuid:patient_id>/", dashboard.patient_detail, name="patient-detail"),
        path(
            "patients/<uuid:patient_id>/report.pdf",
            report.patient_report_pdf,
            name="patient-report",
        ),
        path(
            "patients/<uuid:patient_id>/psfs/",
            psfs.patient_psfs_activity,
            name="psfs-activity",
        ),
        path(
            "patients/<uuid:patient_id>/programme/",
            programme_builder.programme_builder,
            name="programme-builder",
        ),
        path(
            "patients/<uuid:patient_id>/programme/history/",
            programme_builder.programme_history_view,
            name="programme-history",
        ),
        path(
            "flags/<uuid:flag_id>/acknowledge/",
            dashboard.flag_acknowledge_view,
            name="flag-acknowledge",
        ),
        path("flags/<uuid:flag_id>/resolve/", dashboard.flag_resolve_view, name="flag-resolve"),
        path(
            "patients/<uuid:patient_id>/messages/",
            messages.patient_messages,
            name="patient-messages",
        ),
        path("messages/", messages.messages_inbox, name="messages"),
        path("messages/settings/", messages.message_settings, name="message-settings"),
        # Onboarding (issue 10): new patients, invitations, care team, the clinic admin's page.
        path("patients/new/", onboarding.patient_new, name="patient-new"),
        path(
            "patients/<uuid:patient_id>/invitation/",
            onboarding.invitation_resend,
            name="invitation-resend",
        ),
        path(
            "patients/<uuid:patient_id>/care-team/add/",
            onboarding.care_team_change,
            {"action": "add"},
            name="care-team-add",
        ),
        path(
            "patients/<uuid:patient_id>/care-team/remove/",
            onboarding.care_team_change,
            {"action": "remove"},
            name="care-team-remove",
        ),
        path(
            "invitations/<uuid:invitation_id>/",
            onboarding.invitation_detail,
            name="invitation-detail",
        ),
        path(
            "invitations/<uuid:invitation_id>/revoke/",
            onboarding.invitation_revoke_view,
            name="invitation-revoke",
        ),
        path("clinic/", clinic.clinic_home, name="clinic"),
        path("clinic/invite/", clinic.therapist_invite_view, name="therapist-invite"),
        path("inbox/", inbox.inbox, name="inbox"),
        path("inbox/read/", inbox.inbox_read_all, name="inbox-read-all"),
        # The therapist's push opt-in (issue 10): the service worker sits here for its scope.
        path("sw.js", therapist_push.service_worker, name="service-worker"),
        path("push/subscribe/", therapist_push.push_subscribe, name="push-subscribe"),
        path("push/unsubscribe/", therapist_push.push_unsubscribe, name="push-unsubscribe"),
        path("clinic/days-with-data/", days_with_data.days_with_data, name="days-with-data"),
        path(
            "clinic/days-with-data.csv",
            days_with_data.days_with_data_csv,
            name="days-with-data-csv",
        ),
    ],
    "dashboard",
)

# The patient's app (issue 6): /app/ and everything under it, the service worker included so
# that its scope covers every patient page; /start/ is where signing in lands (by role).
patient_app_patterns = (
    [
        path("", today.today, name="today"),
        path("sessions/", today.session_log, name="session-log"),
        path("sessions/<uuid:session_id>/undo/", today.session_undo, name="session-undo"),
        path("moved/", today.stand_up_moved, name="stand-up-moved"),
        path("checkin/", checkin.checkin, name="checkin"),
        path("checkin/thanks/", checkin.checkin_thanks, name="checkin-thanks"),
        path("progress/", checkin.progress, name="progress"),
        path("psfs/", app_psfs.psfs, name="psfs"),
        path("messages/", app_messages.messages_page, name="messages"),
        path("reminders/", reminder_settings.reminders, name="reminders"),
        path("reminders/pause/", reminder_settings.reminders_pause, name="reminders-pause"),
        path("reminders/inbox/read/", reminder_settings.inbox_read_all, name="inbox-read-all"),
        path("welcome/", reminder_settings.welcome, name="welcome"),
        path("guides/", guides.guide_list, name="guide-list"),
        path("guides/<slug:key>/", guides.guide_detail, name="guide-detail"),
        path("guides/<slug:key>/play/", guides.guide_play, name="guide-play"),
        path("offline/", shell.offline, name="offline"),
        path("sw.js", shell.service_worker, name="service-worker"),
        path("manifest.webmanifest", shell.manifest, name="manifest"),
    ],
    "app",
)

# The API docs pages: Swagger UI loads its start-up code as a separate script (the split view),
# so scripts stay 'self' only; both UIs style their elements inline and ReDoc searches in a
# blob: worker, which only these two pages allow.
_DOCS_CSP = csp_update(
    {"style-src": ["'unsafe-inline'"], "worker-src": ["blob:"], "img-src": ["blob:"]}
)

urlpatterns = [
    path("", site.home, name="home"),
    path("favicon.ico", site.favicon, name="favicon"),
    path("app/", include(patient_app_patterns)),
    path("start/", today.role_home, name="role-home"),
    # An invitee accepts (issue 10): the e-mailed link, or the short code typed in.
    path("invite/", onboarding.invite_code, name="invite-code"),
    path("invite/<str:token>/", onboarding.invite_accept, name="invite-accept"),
    path("", include("exercises.urls")),
    path("api/v1/", include("exercises.api_urls")),
    path("api/v1/", include("tracker.api_urls")),
    path("api/v1/", include("reminders.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/v1/docs/",
        _DOCS_CSP(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path(
        "api/v1/redoc/",
        _DOCS_CSP(
            SpectacularRedocView.as_view(
                url_name="api-schema", template_name="tracker/api_redoc.html"
            )
        ),
        name="api-redoc",
    ),
    path("therapist/", include(dashboard_patterns)),
    # Before Django's own: the switcher changes a patient's profile too.
    path("i18n/setlang/", language.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

# 403.html and 404.html are Django's defaults' templates; the 500 page renders without a request.
handler500 = "tracker.views.site.server_error"

admin.site.site_header = "Rehab tracker"
if settings.DEBUG:
    admin.site.site_title = "Rehab tracker (development)"
