"""The Patient-Specific Functional Scale of one patient: activities and ratings (CLINICAL.md §3a).

The patient and the therapists on their care team write; the clinic's admins read.
"""

from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.apis.base import TrackerApiMixin, require_role
from tracker.apis.patients import NOT_YOURS
from tracker.models import AuditAction, PsfsActivity, User
from tracker.patient_calendar import local_today
from tracker.selectors import _parse_uuid, patient_get, patients_visible
from tracker.selectors.psfs import psfs_summary
from tracker.services.audit import audit_record
from tracker.services.psfs import (
    TEXT_MAX_LENGTH,
    psfs_activity_add,
    psfs_activity_update,
    psfs_rate,
)

WRITERS = (User.Role.PATIENT, User.Role.THERAPIST)


class PsfsActivitySerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    slot = serializers.IntegerField(read_only=True)
    text = serializers.CharField(max_length=TEXT_MAX_LENGTH)
    created_at = serializers.DateTimeField(read_only=True)


class PsfsScoreInputSerializer(serializers.Serializer):
    activity = serializers.UUIDField()
    score = serializers.IntegerField(min_value=0, max_value=10)


class PsfsRateInputSerializer(serializers.Serializer):
    rated_on = serializers.DateField(required=False, help_text="Default: today (patient's zone).")
    scores = PsfsScoreInputSerializer(many=True, allow_empty=False)


class PsfsScoreSerializer(serializers.Serializer):
    rated_on = serializers.DateField(source="on")
    mean = serializers.FloatField()
    activities_rated = serializers.IntegerField(source="rated")


class PsfsSummarySerializer(serializers.Serializer):
    activities = PsfsActivitySerializer(many=True)
    scores = PsfsScoreSerializer(many=True)
    change_from_intake = serializers.FloatField(source="change", allow_null=True)
    reading = serializers.ChoiceField(
        source="direction",
        choices=["improved", "worsened", "no_change"],
        allow_null=True,
        help_text="improved / worsened: the mean moved 2 points or more from intake "
        "(the minimal important change; Stratford 1995, Horn 2012).",
    )
    is_due = serializers.BooleanField(help_text="Re-rating due (every 14 days).")


def _audit_read(request, profile) -> None:
    audit_record(
        actor=request.user,
        patient=profile.user,
        action=AuditAction.READ,
        object_type="psfs",
        object_id=profile.user.public_id,
        clinic_id=profile.clinic_id,
    )


def _summary(profile):
    return psfs_summary(patient=profile.user, today=local_today(profile))


class PsfsActivityListCreateApi(TrackerApiMixin, APIView):
    @extend_schema(
        operation_id="psfs_activities_list",
        tags=["outcomes"],
        responses={200: PsfsActivitySerializer(many=True), 404: NOT_YOURS},
        description="The up to five activities the patient named, in their words.",
    )
    def get(self, request, patient_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        _audit_read(request, profile)
        return Response(PsfsActivitySerializer(_summary(profile).activities, many=True).data)

    @extend_schema(
        operation_id="psfs_activities_create",
        tags=["outcomes"],
        request=PsfsActivitySerializer,
        responses={201: PsfsActivitySerializer, 400: None, 404: NOT_YOURS},
        description="Name an activity (the patient, or a therapist with them). A sixth is 400.",
    )
    def post(self, request, patient_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        require_role(request.user, *WRITERS)
        serializer = PsfsActivitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = psfs_activity_add(
            patient=profile.user, text=serializer.validated_data["text"], by=request.user
        )
        return Response(PsfsActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class PsfsActivityDetailApi(TrackerApiMixin, APIView):
    @extend_schema(
        operation_id="psfs_activities_update",
        tags=["outcomes"],
        request=PsfsActivitySerializer,
        responses={200: PsfsActivitySerializer, 400: None, 404: NOT_YOURS},
        description="Reword an activity (its ratings stay with it).",
    )
    def patch(self, request, activity_id):
        visible = patients_visible(user=request.user).values("user_id")
        activity = (
            PsfsActivity.objects.filter(public_id=_parse_uuid(activity_id), patient_id__in=visible)
            .select_related("patient")
            .first()
        )
        if activity is None:
            raise Http404
        require_role(request.user, *WRITERS)
        serializer = PsfsActivitySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        activity = psfs_activity_update(
            activity=activity, text=serializer.validated_data["text"], by=request.user
        )
        return Response(PsfsActivitySerializer(activity).data)


class PsfsRatingsApi(TrackerApiMixin, APIView):
    @extend_schema(
        operation_id="psfs_ratings_retrieve",
        tags=["outcomes"],
        responses={200: PsfsSummarySerializer, 404: NOT_YOURS},
        description="The PSFS mean per rating date, the change from intake and its reading.",
    )
    def get(self, request, patient_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        _audit_read(request, profile)
        return Response(PsfsSummarySerializer(_summary(profile)).data)

    @extend_schema(
        operation_id="psfs_ratings_create",
        tags=["outcomes"],
        request=PsfsRateInputSerializer,
        responses={201: PsfsSummarySerializer, 400: None, 404: NOT_YOURS},
        description="Rate the activities 0-10 (0 = unable, 10 = as before the problem) for a "
        "date; rating a date again replaces its scores.",
    )
    def post(self, request, patient_id):
        profile = patient_get(user=request.user, patient_id=patient_id)
        require_role(request.user, *WRITERS)
        serializer = PsfsRateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        activities = {a.public_id: a for a in PsfsActivity.objects.filter(patient=profile.user)}
        unknown = [str(s["activity"]) for s in data["scores"] if s["activity"] not in activities]
        if unknown:
            raise serializers.ValidationError(
                {
                    "scores": [
                        gettext("Not one of this patient's activities: %(ids)s")
                        % {"ids": ", ".join(unknown)}
                    ]
                }
            )
        psfs_rate(
            patient=profile.user,
            scores={activities[s["activity"]]: s["score"] for s in data["scores"]},
            on=data.get("rated_on"),
            by=request.user,
        )
        return Response(PsfsSummarySerializer(_summary(profile)).data, status=201)
