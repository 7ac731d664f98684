from django.urls import path

from tracker.apis.audit import AuditEventListApi
from tracker.apis.auth import AccountEraseApi, LogoutAllApi, LogoutApi, MeApi, TokenObtainApi
from tracker.apis.care_team import PatientCareTeamMemberApi
from tracker.apis.fhir import FhirCodeSystemApi, FhirPatientEverythingApi, FhirQuestionnaireApi
from tracker.apis.flags import FlagAcknowledgeApi, FlagResolveApi, PatientFlagListApi
from tracker.apis.invitations import (
    InvitationAcceptApi,
    InvitationListCreateApi,
    InvitationRevokeApi,
    PatientInvitationApi,
)
from tracker.apis.messages import MessageSettingsApi, PatientMessagesApi, PatientMessagesReadApi
from tracker.apis.patients import PatientCareTeamApi, PatientDetailApi, PatientListCreateApi
from tracker.apis.programmes import (
    PatientAdherenceApi,
    PatientAssignmentsApi,
    PatientExportApi,
    PatientExportCsvApi,
)
from tracker.apis.psfs import PsfsActivityDetailApi, PsfsActivityListCreateApi, PsfsRatingsApi
from tracker.apis.records import (
    CheckInListCreateApi,
    SessionLogListCreateApi,
    SessionLogUndoApi,
)

app_name = "tracker-api"

urlpatterns = [
    path("auth/token/", TokenObtainApi.as_view(), name="auth-token"),
    path("auth/logout/", LogoutApi.as_view(), name="auth-logout"),
    path("auth/logout-all/", LogoutAllApi.as_view(), name="auth-logout-all"),
    path("me/", MeApi.as_view(), name="me"),
    path("me/erase/", AccountEraseApi.as_view(), name="account-erase"),
    path("patients/", PatientListCreateApi.as_view(), name="patient-list"),
    path("patients/<uuid:patient_id>/", PatientDetailApi.as_view(), name="patient-detail"),
    path(
        "patients/<uuid:patient_id>/care-team/",
        PatientCareTeamApi.as_view(),
        name="patient-care-team",
    ),
    path(
        "patients/<uuid:patient_id>/care-team/<uuid:therapist_id>/",
        PatientCareTeamMemberApi.as_view(),
        name="patient-care-team-member",
    ),
    # Invitations (issue 10).
    path(
        "patients/<uuid:patient_id>/invitation/",
        PatientInvitationApi.as_view(),
        name="patient-invitation",
    ),
    path("invitations/", InvitationListCreateApi.as_view(), name="invitation-list"),
    path("invitations/accept/", InvitationAcceptApi.as_view(), name="invitation-accept"),
    path(
        "invitations/<uuid:invitation_id>/revoke/",
        InvitationRevokeApi.as_view(),
        name="invitation-revoke",
    ),
    path(
        "patients/<uuid:patient_id>/assignments/",
        PatientAssignmentsApi.as_view(),
        name="assignment-list",
    ),
    path(
        "patients/<uuid:patient_id>/adherence/",
        PatientAdherenceApi.as_view(),
        name="adherence-detail",
    ),
    path("patients/<uuid:patient_id>/export/", PatientExportApi.as_view(), name="export-json"),
    path(
        "patients/<uuid:patient_id>/export/csv/",
        PatientExportCsvApi.as_view(),
        name="export-csv",
    ),
    path("patients/<uuid:patient_id>/flags/", PatientFlagListApi.as_view(), name="flag-list"),
    path(
        "flags/<uuid:flag_id>/acknowledge/", FlagAcknowledgeApi.as_view(), name="flag-acknowledge"
    ),
    path("flags/<uuid:flag_id>/resolve/", FlagResolveApi.as_view(), name="flag-resolve"),
    path("checkins/", CheckInListCreateApi.as_view(), name="checkin-list"),
    path("sessions/", SessionLogListCreateApi.as_view(), name="session-list"),
    path("sessions/<uuid:session_id>/undo/", SessionLogUndoApi.as_view(), name="session-undo"),
    path("audit-events/", AuditEventListApi.as_view(), name="audit-event-list"),
    # The Patient-Specific Functional Scale (CLINICAL.md §3a).
    path(
        "patients/<uuid:patient_id>/psfs/activities/",
        PsfsActivityListCreateApi.as_view(),
        name="psfs-activity-list",
    ),
    path(
        "psfs/activities/<uuid:activity_id>/",
        PsfsActivityDetailApi.as_view(),
        name="psfs-activity-detail",
    ),
    path(
        "patients/<uuid:patient_id>/psfs/ratings/",
        PsfsRatingsApi.as_view(),
        name="psfs-ratings",
    ),
    # Messages between the patient and their care team (issue 12).
    path("patients/<uuid:patient_id>/messages/", PatientMessagesApi.as_view(), name="message-list"),
    path(
        "patients/<uuid:patient_id>/messages/read/",
        PatientMessagesReadApi.as_view(),
        name="message-read",
    ),
    path("me/message-settings/", MessageSettingsApi.as_view(), name="message-settings"),
    # FHIR R4 (tracker/fhir/): a patient's record as a Bundle, and what it refers to.
    path(
        "fhir/Patient/<uuid:patient_id>/$everything",
        FhirPatientEverythingApi.as_view(),
        name="fhir-patient-everything",
    ),
    path(
        "fhir/Questionnaire/daily-checkin",
        FhirQuestionnaireApi.as_view(),
        name="fhir-questionnaire",
    ),
    path("fhir/CodeSystem/rehab-tracker", FhirCodeSystemApi.as_view(), name="fhir-code-system"),
]
