"""Programme assignments, adherence and exports of one patient (in the URL)."""

import json

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.generics import GenericAPIView
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.apis.base import TrackerApiMixin, require_role
from tracker.apis.patients import NOT_YOURS
from tracker.idempotency import IDEMPOTENCY_PARAMETERS, IDEMPOTENCY_RESPONSES, idempotent
from tracker.models import AuditAction, ProgrammeAssignment, User
from tracker.patient_calendar import local_today
from tracker.selectors import (
    assignments_for_patient,
    patient_adherence,
    patient_export,
    patient_get,
)
from tracker.serializers import AdherenceSerializer, AssignmentInputSerializer, AssignmentSerializer
from tracker.services.assignments import assignment_change
from tracker.services.audit import audit_record
from tracker.services.exports import export_csv_zip, export_filename


def _audit_read(request, profile, object_type: str, action: str = AuditAction.READ) -> None:
    audit_record(
        actor=request.user,
        patient=profile.user,
        action=action,
        object_type=object_type,
        object_id=profile.user.public_id,
        clinic_id=profile.clinic_id,
    )


class PatientAssignmentsApi(TrackerApiMixin, GenericAPIView):
    serializer_class = AssignmentSerializer
    queryset = ProgrammeAssignment.objects.none()  # for the schema; reads go through selectors

    @extend_schema(
        operation_id="assignments_list",
        tags=["programmes"],
        responses={200: AssignmentSerializer(many=True), 404: NOT_YOURS},
        description="Every version of the patient's programme, newest first; the current one "
        "has `is_current`.",
    )
    def get(self, request, patient_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        _audit_read(request, profile, "assignment")
        page = self.paginate_queryset(assignments_for_patient(patient=profile.user))
        return self.get_paginated_response(AssignmentSerializer(page, many=True).data)

    @extend_schema(
        parameters=IDEMPOTENCY_PARAMETERS,
        operation_id="assignments_change",
        tags=["programmes"],
        request=AssignmentInputSerializer,
        responses={201: AssignmentSerializer, 404: NOT_YOURS, **IDEMPOTENCY_RESPONSES},
        description="A therapist on the care team gives the patient a new programme version: "
        "from `template` (or, without it, from the current version), minus `remove`, plus or "
        "updated by `changes` (by exercise key). An exercise meeting a caution in the patient's "
        "phase and conditions is refused unless its change carries an `override_reason`, which "
        "is recorded with the therapist's name. The previous version is kept.",
    )
    @idempotent
    def post(self, request, patient_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        require_role(request.user, User.Role.THERAPIST)
        serializer = AssignmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assignment = assignment_change(
            patient=profile.user,
            therapist=request.user,
            template_key=data.get("template", ""),
            starts_on=data.get("starts_on"),
            remove=data.get("remove", []),
            changes=data.get("changes", []),
            note=data.get("note", ""),
        )
        assignment = assignments_for_patient(patient=profile.user).get(pk=assignment.pk)
        return Response(AssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)


class PatientAdherenceApi(TrackerApiMixin, APIView):
    @extend_schema(
        operation_id="adherence_retrieve",
        tags=["programmes"],
        responses={200: AdherenceSerializer, 404: NOT_YOURS},
        description="Prescribed vs done per day and per week over the last 30 days and over the "
        "rolling last 7 days (the patient's dates; each day owes what the programme version in "
        "force that day prescribes, so a programme change does not restart the count), and the "
        "days with any check-in or session.",
    )
    def get(self, request, patient_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        _audit_read(request, profile, "adherence")
        data = patient_adherence(patient=profile.user, today=local_today(profile))
        return Response(AdherenceSerializer(data).data)


class PatientExportApi(TrackerApiMixin, APIView):
    @extend_schema(
        operation_id="export_json",
        tags=["export"],
        responses={200: OpenApiTypes.OBJECT, 404: NOT_YOURS},
        description="All data stored about the patient, as one JSON document: the record, "
        "flags with acknowledgements and notes, reminder settings, inbox, care-team alerts and "
        "the audit of who read the record. The patient, or a therapist on their care team.",
    )
    def get(self, request, patient_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        require_role(request.user, User.Role.PATIENT, User.Role.THERAPIST)
        _audit_read(request, profile, "export_json", AuditAction.EXPORT)
        body = JSONRenderer().render(patient_export(patient=profile.user))
        response = HttpResponse(body, content_type="application/json")
        response["Content-Disposition"] = _attachment(profile, "json")
        return response


class PatientExportCsvApi(TrackerApiMixin, APIView):
    @extend_schema(
        operation_id="export_csv",
        tags=["export"],
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="A ZIP of CSV files (UTF-8): account, care team, programmes, "
                "programme items, sessions, check-ins, check-in revisions, PSFS, flags, "
                "reminder schedules, push subscriptions (no keys), reminders sent, inbox, "
                "care-team alerts about the patient, API sign-ins and the audit trail.",
            ),
            404: NOT_YOURS,
        },
    )
    def get(self, request, patient_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        require_role(request.user, User.Role.PATIENT, User.Role.THERAPIST)
        _audit_read(request, profile, "export_csv", AuditAction.EXPORT)
        data = json.loads(JSONRenderer().render(patient_export(patient=profile.user)))
        response = HttpResponse(export_csv_zip(data), content_type="application/zip")
        response["Content-Disposition"] = _attachment(profile, "zip")
        return response


def _attachment(profile, extension: str) -> str:
    today = local_today(profile)
    name = export_filename(display_name=profile.display_name, on=today, extension=extension)
    return content_disposition_header(as_attachment=True, filename=name) or "attachment"
