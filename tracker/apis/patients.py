from django.db.models import QuerySet
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
from tracker.models import AuditAction, PatientProfile, User
from tracker.selectors import patient_get, patients_visible
from tracker.serializers import (
    CareTeamAddInputSerializer,
    PatientCreateInputSerializer,
    PatientFieldsSerializer,
    PatientSerializer,
)
from tracker.services.audit import audit_record, audit_record_reads
from tracker.services.patients import care_team_add, patient_create, patient_update

NOT_YOURS = OpenApiResponse(description="No such patient among those you may see.")


class PatientListCreateApi(TrackerApiMixin, GenericAPIView):
    serializer_class = PatientSerializer

    def get_queryset(self) -> QuerySet[PatientProfile]:
        if is_schema_generation(self):
            return PatientProfile.objects.none()
        return patients_visible(user=request_user(self.request))

    @extend_schema(
        operation_id="patients_list",
        tags=["patients"],
        responses=PatientSerializer(many=True),
        description="Therapists: their caseload. Clinic admins: the clinic's patients. "
        "Patients: themselves.",
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        audit_record_reads(actor=request.user, profiles=page or [], object_type="patient")
        return self.get_paginated_response(PatientSerializer(page, many=True).data)

    @extend_schema(
        parameters=IDEMPOTENCY_PARAMETERS,
        operation_id="patients_create",
        tags=["patients"],
        request=PatientCreateInputSerializer,
        responses={201: PatientSerializer, **IDEMPOTENCY_RESPONSES},
        description="A therapist creates a patient account in their caseload and clinic; the "
        "patient signs in with the username and password given.",
    )
    @idempotent
    def post(self, request):
        require_role(request.user, User.Role.THERAPIST)
        serializer = PatientCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = patient_create(therapist=request.user, **serializer.validated_data)
        profile = patients_visible(user=request.user).get(pk=profile.pk)
        return Response(PatientSerializer(profile).data, status=status.HTTP_201_CREATED)


class PatientDetailApi(TrackerApiMixin, APIView):
    @extend_schema(
        operation_id="patients_retrieve",
        tags=["patients"],
        responses={200: PatientSerializer, 404: NOT_YOURS},
    )
    def get(self, request, patient_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        audit_record(
            actor=request.user,
            patient=profile.user,
            action=AuditAction.READ,
            object_type="patient",
            object_id=profile.user.public_id,
            clinic_id=profile.clinic_id,
        )
        return Response(PatientSerializer(profile).data)

    @extend_schema(
        operation_id="patients_partial_update",
        tags=["patients"],
        request=PatientFieldsSerializer,
        responses={200: PatientSerializer, 404: NOT_YOURS},
        description="The patient or their therapist. Conditions and the episode start date "
        "(which decide the phase and the cautions) are for the therapist to change.",
    )
    def patch(self, request, patient_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        require_role(request.user, User.Role.PATIENT, User.Role.THERAPIST)
        serializer = PatientFieldsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        patient_update(profile=profile, actor=request.user, **serializer.validated_data)
        profile = patient_get(user=request.user, patient_id=patient_id)
        return Response(PatientSerializer(profile).data)


class PatientCareTeamApi(TrackerApiMixin, APIView):
    @extend_schema(
        parameters=IDEMPOTENCY_PARAMETERS,
        operation_id="patients_care_team_add",
        tags=["patients"],
        request=CareTeamAddInputSerializer,
        responses={200: PatientSerializer, 404: NOT_YOURS, **IDEMPOTENCY_RESPONSES},
        description="A therapist on the care team adds a colleague from the same clinic.",
    )
    @idempotent
    def post(self, request, patient_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        require_role(request.user, User.Role.THERAPIST)
        serializer = CareTeamAddInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        care_team_add(
            profile=profile,
            actor=request.user,
            therapist_id=serializer.validated_data["therapist"],
        )
        profile = patient_get(user=request.user, patient_id=patient_id)
        return Response(PatientSerializer(profile).data)
