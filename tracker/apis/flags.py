"""Worsening flags: the care team lists, acknowledges and resolves them; patients read advice."""

from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from tracker.apis.base import TrackerApiMixin, require_role
from tracker.idempotency import IDEMPOTENCY_PARAMETERS, IDEMPOTENCY_RESPONSES, idempotent
from tracker.models import Flag, User
from tracker.selectors import FLAG_STATUSES, flag_get, flags_for_patient, patient_get
from tracker.serializers import FlagNoteInputSerializer, FlagSerializer, PatientFlagSerializer
from tracker.services.audit import audit_record_reads
from tracker.services.flag_actions import flag_acknowledge, flag_resolve


class FlagStatusFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=FLAG_STATUSES, required=False, default="all")


class PatientFlagListApi(TrackerApiMixin, GenericAPIView):
    serializer_class = FlagSerializer
    queryset = Flag.objects.none()

    @extend_schema(
        operation_id="patient_flags_list",
        tags=["flags"],
        parameters=[
            OpenApiParameter("status", str, enum=list(FLAG_STATUSES), description="Default: all.")
        ],
        # Two shapes by who asks; each has fields the other lacks, so oneOf tells them apart.
        responses=PolymorphicProxySerializer(
            component_name="FlagForReader",
            serializers=[FlagSerializer, PatientFlagSerializer],
            resource_type_field_name=None,
            many=True,
        ),
        description="The patient's worsening flags, most severe first. Therapists and clinic "
        "admins get `Flag`s, with the clinical explanation; the patient gets the same flags as "
        "`PatientFlag`s, with advice worded for them.",
    )
    def get(self, request, patient_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        filters = FlagStatusFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        flags = flags_for_patient(
            user=request.user,
            patient=profile.user,
            status=filters.validated_data["status"],
            with_evidence=not request.user.is_patient,
        )
        page = self.paginate_queryset(flags)
        audit_record_reads(actor=request.user, profiles=[profile], object_type="flag")
        serializer = PatientFlagSerializer if request.user.is_patient else FlagSerializer
        return self.get_paginated_response(serializer(page, many=True).data)


def _flag_action(request, flag_id, action) -> Response:
    require_role(request.user, User.Role.THERAPIST)
    flag = flag_get(user=request.user, flag_id=flag_id)
    data = FlagNoteInputSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    flag = action(
        flag=flag,
        by=request.user,
        note=data.validated_data["note"],
        send_to_patient=data.validated_data["send_to_patient"],
    )
    return Response(FlagSerializer(flag).data)


class FlagAcknowledgeApi(TrackerApiMixin, GenericAPIView):
    serializer_class = FlagSerializer
    queryset = Flag.objects.none()

    @extend_schema(
        operation_id="flag_acknowledge",
        tags=["flags"],
        parameters=IDEMPOTENCY_PARAMETERS,
        request=FlagNoteInputSerializer,
        responses={200: FlagSerializer, **IDEMPOTENCY_RESPONSES},
        description="A therapist of the patient has seen the flag (who, when and a note are "
        "kept). A resolved flag cannot be acknowledged (400).",
    )
    @idempotent
    def post(self, request, flag_id):
        return _flag_action(request, flag_id, flag_acknowledge)


class FlagResolveApi(TrackerApiMixin, GenericAPIView):
    serializer_class = FlagSerializer
    queryset = Flag.objects.none()

    @extend_schema(
        operation_id="flag_resolve",
        tags=["flags"],
        parameters=IDEMPOTENCY_PARAMETERS,
        request=FlagNoteInputSerializer,
        responses={200: FlagSerializer, **IDEMPOTENCY_RESPONSES},
        description="A therapist closes the flag; if the rule fires again a new flag opens.",
    )
    @idempotent
    def post(self, request, flag_id):
        return _flag_action(request, flag_id, flag_resolve)
