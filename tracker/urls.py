from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from tracker import views
from tracker.views import dashboard
from tracker.views.app import checkin, guides, reminder_settings, shell, today

# The therapist dashboard; patient pages are /therapist/patients/<patient public_id>/, the URL
# the flag notifications link to (tracker.services.flag_notifications.patient_page_url).
dashboard_patterns = (
    [
        path("", dashboard.caseload, name="caseload"),
        path("patients/<uuid:patient_id>/", dashboard.patient_detail, name="patient-detail"),
        path(
            "flags/<uuid:flag_id>/acknowledge/",
            dashboard.flag_acknowledge_view,
            name="flag-acknowledge",
        ),
        path("flags/<uuid:flag_id>/resolve/", dashboard.flag_resolve_view, name="flag-resolve"),
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

urlpatterns = [
    path("app/", include(patient_app_patterns)),
    path("start/", today.role_home, name="role-home"),
    path("", include("exercises.urls")),
    path("api/v1/", include("exercises.api_urls")),
    path("api/v1/", include("tracker.api_urls")),
    path("api/v1/", include("reminders.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("therapist/", include(dashboard_patterns)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", views.ThrottledLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Rehab tracker"
if settings.DEBUG:
    admin.site.site_title = "Rehab tracker (development)"
