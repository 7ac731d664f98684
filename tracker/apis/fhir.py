"""FHIR R4 read endpoints: a patient's $everything, and the Questionnaire and CodeSystem the
bundle refers to by canonical URL (they describe the product, not a patient: public)."""

from datetime import datetime, time

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.apis.base import TrackerApiMixin
from tracker.apis.patients import NOT_YOURS
from tracker.fhir.everything import patient_everything
from tracker.fhir.questionnaire import questionnaire
from tracker.fhir.terminology import code_system
from tracker.models import AuditAction, PatientProfile
from tracker.selectors import patient_get
from tracker.services.audit import audit_record


class FhirJsonRenderer(JSONRenderer):
    media_type = "application/fhir+json"
    # The same `?format=json` as plain JSON: chosen by the Accept header, not by a second format
    # (which the schema would offer as a query parameter that 404s on anything else).
    format = "json"
    charset = "utf-8"


# Plain JSON first, so errors come as application/json like the rest of the API; a FHIR client
# asking for application/fhir+json gets it, and the resources themselves always say fhir+json.
FHIR_RENDERERS = [JSONRenderer, FhirJsonRenderer]


def parse_since(value: str, *, profile: PatientProfile) -> datetime | None:
    """An instant with its offset, or a date (midnight in the patient's time zone)."""
    if not value:
        return None
    message = gettext(
        "Give an instant with a time zone (2026-03-01T08:00:00+08:00) or a date (2026-03-01)."
    )
    try:
        # A date first: parse_datetime would read "2026-03-01" as a naive midnight.
        day = parse_date(value)
        moment = None if day else parse_datetime(value)
    except ValueError:
        raise ValidationError({"_since": [message]}) from None
    if day is None and (moment is None or timezone.is_naive(moment)):
        raise ValidationError({"_since": [message]})
    if moment is not None:
        return moment
    assert day is not None  # neither a date nor an instant was refused above
    return datetime.combine(day, time.min, profile.tzinfo)


def _language(request, profile: PatientProfile) -> str:
    lang = request.query_params.get("lang", "")
    if lang in ("en", "zh-hans"):
        return lang
    if lang:
        raise ValidationError({"lang": [gettext("Use en or zh-hans.")]})
    return profile.language


class FhirPatientEverythingApi(TrackerApiMixin, APIView):
    renderer_classes = FHIR_RENDERERS

    @extend_schema(
        operation_id="fhir_patient_everything",
        tags=["fhir"],
        parameters=[
            OpenApiParameter(
                "_since",
                str,
                description="Only records changed at or after this instant (with its offset) "
                "or date (the patient's midnight). Patient and Practitioners are always there.",
            ),
            OpenApiParameter(
                "lang",
                str,
                enum=["zh-hans", "en"],
                description="Language of texts; default the patient's.",
            ),
        ],
        responses={
            (200, "application/fhir+json"): OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="A FHIR R4 Bundle (searchset): Patient, Practitioners, CarePlans, "
                "QuestionnaireResponses, Observations, Flags.",
            ),
            400: OpenApiResponse(description="`_since` or `lang` is not valid."),
            404: NOT_YOURS,
        },
        description="The patient's whole record as FHIR R4. The patient, their therapists and "
        "their clinic's admins; audited as an export.",
    )
    def get(self, request, patient_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        since = parse_since(request.query_params.get("_since", ""), profile=profile)
        language = _language(request, profile)
        bundle = patient_everything(profile=profile, since=since, language=language)
        audit_record(
            actor=request.user,
            patient=profile.user,
            action=AuditAction.EXPORT,
            object_type="fhir_everything",
            object_id=profile.user.public_id,
            clinic_id=profile.clinic_id,
        )
        return Response(bundle, content_type="application/fhir+json")


class _PublicFhirApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    renderer_classes = FHIR_RENDERERS


class FhirQuestionnaireApi(_PublicFhirApi):
    @extend_schema(
        operation_id="fhir_questionnaire_daily_checkin",
        tags=["fhir"],
        responses={(200, "application/fhir+json"): OpenApiTypes.OBJECT},
        description="The daily check-in as a FHIR R4 Questionnaire; every check-in in "
        "$everything is a QuestionnaireResponse to it.",
    )
    def get(self, request):
        return Response(questionnaire(), content_type="application/fhir+json")


class FhirCodeSystemApi(_PublicFhirApi):
    @extend_schema(
        operation_id="fhir_codesystem_rehab_tracker",
        tags=["fhir"],
        responses={(200, "application/fhir+json"): OpenApiTypes.OBJECT},
        description="The product's own FHIR CodeSystem (check-in answers, numbness areas, "
        "exercises, flag rules and severities), at its canonical URL.",
    )
    def get(self, request):
        return Response(code_system(), content_type="application/fhir+json")
