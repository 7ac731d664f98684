"""Check-ins and session logs: patients write their own; their care team and clinic read."""

import django_filters
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.apis.base import (
    TrackerApiMixin,
    is_schema_generation,
    request_user,
    require_role,
)
from tracker.idempotency import IDEMPOTENCY_PARAMETERS, IDEMPOTENCY_RESPONSES, idempotent
from tracker.models import CheckIn, SessionLog, User
from tracker.selectors import checkins_visible, sessions_visible
from tracker.serializers import (
    CheckInInputSerializer,
    CheckInSerializer,
    CheckInSubmittedSerializer,
    SessionLogInputSerializer,
    SessionLogSerializer,
    checkin_submitted_data,
    session_data,
)
from tracker.serializers.fast_input import checkin_input, session_input
from tracker.services.audit import audit_record_reads
from tracker.services.checkins import checkin_submit
from tracker.services.sessions import session_log_create, session_log_undo


class CheckInFilter(django_filters.FilterSet):
    patient = django_filters.UUIDFilter(field_name="patient__public_id", label="Patient id")
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = CheckIn
        fields: list = []


class SessionLogFilter(django_filters.FilterSet):
    patient = django_filters.UUIDFilter(field_name="patient__public_id", label="Patient id")
    date_from = django_filters.DateFilter(field_name="performed_on", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="performed_on", lookup_expr="lte")

    class Meta:
        model = SessionLog
        fields: list = []


def _audit_page(request, rows, object_type: str) -> None:
    audit_record_reads(
        actor=request.user,
        profiles=[row.patient.patient_profile for row in rows],
        object_type=object_type,
    )


class CheckInListCreateApi(TrackerApiMixin, GenericAPIView):
    serializer_class = CheckInSerializer
    filterset_class = CheckInFilter

    def get_queryset(self) -> QuerySet[CheckIn]:
        if is_schema_generation(self):
            return CheckIn.objects.none()
        return checkins_visible(user=request_user(self.request)).select_related(
            "patient__patient_profile"
        )

    @extend_schema(
        operation_id="checkins_list",
        tags=["check-ins"],
        responses=CheckInSerializer(many=True),
        description="Newest first. Patients: their own; therapists: their caseload's (filter "
        "by `patient`); clinic admins: their clinic's.",
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        _audit_page(request, page, "checkin")
        return self.get_paginated_response(CheckInSerializer(page, many=True).data)

    @extend_schema(
        parameters=IDEMPOTENCY_PARAMETERS,
        operation_id="checkins_submit",
        tags=["check-ins"],
        request=CheckInInputSerializer,
        responses={
            201: OpenApiResponse(
                CheckInSubmittedSerializer, description="A new check-in for that date."
            ),
            200: OpenApiResponse(
                CheckInSubmittedSerializer,
                description="That date's check-in was updated; its earlier values are kept.",
            ),
            **IDEMPOTENCY_RESPONSES,
        },
        description="The patient's daily check-in (CLINICAL.md §3) for a local date up to 90 "
        "days back and never in their future. Send an `Idempotency-Key` header to retry safely.",
    )
    @idempotent
    def post(self, request):
        require_role(request.user, User.Role.PATIENT)
        answers = checkin_input(request.data)
        on = answers.pop("date")
        outcome = checkin_submit(patient=request.user, on=on, answers=answers)
        data = checkin_submitted_data(
            outcome.checkin,
            flags=outcome.flags,
            seek_emergency_care=outcome.is_urgent,
            emergency_advice=outcome.emergency_advice,
            language=outcome.language,
        )
        return Response(
            data, status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK
        )


class SessionLogListCreateApi(TrackerApiMixin, GenericAPIView):
    serializer_class = SessionLogSerializer
    filterset_class = SessionLogFilter

    def get_queryset(self) -> QuerySet[SessionLog]:
        if is_schema_generation(self):
            return SessionLog.objects.none()
        return sessions_visible(user=request_user(self.request)).select_related(
            "patient__patient_profile"
        )

    @extend_schema(
        operation_id="sessions_list",
        tags=["sessions"],
        responses=SessionLogSerializer(many=True),
        description="Newest first; scoped like check-ins.",
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        _audit_page(request, page, "session")
        return self.get_paginated_response(SessionLogSerializer(page, many=True).data)

    @extend_schema(
        parameters=IDEMPOTENCY_PARAMETERS,
        operation_id="sessions_create",
        tags=["sessions"],
        request=SessionLogInputSerializer,
        responses={201: SessionLogSerializer, **IDEMPOTENCY_RESPONSES},
        description="The patient logs a session of a programme item (`item`) or of any "
        "catalogue exercise (`exercise`).",
    )
    @idempotent
    def post(self, request):
        require_role(request.user, User.Role.PATIENT)
        data = session_input(request.data)
        data["item_id"] = data.pop("item", None)
        data["exercise_key"] = data.pop("exercise", None)
        session = session_log_create(patient=request.user, **data)
        return Response(session_data(session), status=status.HTTP_201_CREATED)


class SessionLogUndoApi(TrackerApiMixin, APIView):
    @extend_schema(
        operation_id="sessions_undo",
        tags=["sessions"],
        request=None,
        responses={204: OpenApiResponse(description="Undone (also when it was already).")},
        description="The patient takes back a session of their own logged by mistake, on the day "
        "it was done. Recorded in the audit trail. Anyone else's session is a 404.",
    )
    def post(self, request, session_id):
        session = SessionLog.objects.filter(public_id=session_id, patient=request.user).first()
        if session is None:
            raise Http404
        session_log_undo(patient=request.user, session=session)
        return Response(status=status.HTTP_204_NO_CONTENT)
