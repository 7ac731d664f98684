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
from tracker.views import dashboard, patient

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
        path("", patient.today, name="today"),
        path("sessions/", patient.session_log, name="session-log"),
        path("moved/", patient.stand_up_moved, name="stand-up-moved"),
        path("checkin/", patient.checkin, name="checkin"),
        path("checkin/thanks/", patient.checkin_thanks, name="checkin-thanks"),
        path("progress/", patient.progress, name="progress"),
        path("reminders/", patient.reminders, name="reminders"),
        path("reminders/pause/", patient.reminders_pause, name="reminders-pause"),
        path("reminders/inbox/read/", patient.inbox_read_all, name="inbox-read-all"),
        path("welcome/", patient.welcome, name="welcome"),
        path("offline/", patient.offline, name="offline"),
        path("sw.js", patient.service_worker, name="service-worker"),
        path("manifest.webmanifest", patient.manifest, name="manifest"),
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
    path("app/", include(patient_app_patterns)),
    path("start/", patient.role_home, name="role-home"),
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
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Rehab tracker"
if settings.DEBUG:
    admin.site.site_title = "Rehab tracker (development)"
