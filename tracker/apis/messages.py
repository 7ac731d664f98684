"""A patient's conversation with their care team (issue 12): read it, write to it, mark it read.

The patient and the therapists on their care team; anyone else finds no such patient (404); a
clinic admin, who sees the patient, is refused by role (403): the conversation is the care
team's. Reads and writes are audit events.
"""

from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from tracker.apis.base import TrackerApiMixin, require_role
from tracker.apis.patients import NOT_YOURS
from tracker.idempotency import HEADER, IDEMPOTENCY_PARAMETERS, IDEMPOTENCY_RESPONSES, idempotent
from tracker.models import AuditAction, AuthorSide, PatientProfile, User
from tracker.selectors import patient_get
from tracker.selectors.messages import (
    conversation_messages,
    message_delivery_of,
    read_marker,
)
from tracker.serializers.messages import (
    ConversationSerializer,
    MessageInputSerializer,
    MessageSerializer,
    MessageSettingsSerializer,
)
from tracker.services.audit import audit_record
from tracker.services.messages import (
    About,
    conversation_mark_read,
    conversation_of,
    message_send,
    message_settings_set,
)

MEMBERS = (User.Role.PATIENT, User.Role.THERAPIST)


def _profile(request, patient_id) -> PatientProfile:
    profile = patient_get(user=request.user, patient_id=patient_id)
    require_role(request.user, *MEMBERS)
    return profile


def _conversation(request, profile: PatientProfile) -> dict:
    reader_side = AuthorSide.PATIENT if request.user.is_patient else AuthorSide.CARE_TEAM
    marker = read_marker(patient=profile.user, user=request.user)
    messages = conversation_messages(patient=profile.user)
    unread = sum(1 for m in messages if m.side != reader_side and m.pk > marker)
    context = {"reader_side": reader_side, "read_up_to": marker}
    return ConversationSerializer({"unread": unread, "messages": messages}, context=context).data


class PatientMessagesApi(TrackerApiMixin, APIView):
    @extend_schema(
        operation_id="patient_messages_list",
        tags=["messages"],
        responses={200: ConversationSerializer, 404: NOT_YOURS},
        description="The patient's conversation with their care team, oldest first, with who "
        "wrote each message and what it is about. Reading it does not mark it read.",
    )
    def get(self, request, patient_id):
        profile = _profile(request, patient_id)
        audit_record(
            actor=request.user,
            patient=profile.user,
            action=AuditAction.READ,
            object_type="message",
            object_id=profile.user.public_id,
            clinic_id=profile.clinic_id,
        )
        return Response(_conversation(request, profile))

    @extend_schema(
        operation_id="patient_messages_create",
        tags=["messages"],
        parameters=IDEMPOTENCY_PARAMETERS,
        request=MessageInputSerializer,
        responses={201: MessageSerializer, 400: None, 404: NOT_YOURS, **IDEMPOTENCY_RESPONSES},
        description="Write to the conversation (up to 2,000 characters): the patient, or a "
        "therapist of the care team. Messages are not watched around the clock: warning signs "
        "belong in the daily check-in. With an Idempotency-Key a message queued on the phone "
        "and sent twice is stored once.",
    )
    @idempotent
    def post(self, request, patient_id):
        profile = _profile(request, patient_id)
        data = MessageInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        about = data.validated_data.get("about")
        message, created = message_send(
            patient=profile.user,
            author=request.user,
            body=data.validated_data["body"],
            about=About(kind=about["kind"], id=about["id"]) if about else None,
            client_key=(request.headers.get(HEADER) or "").strip(),
        )
        return Response(
            MessageSerializer(message).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class PatientMessagesReadApi(TrackerApiMixin, APIView):
    @extend_schema(
        operation_id="patient_messages_read",
        tags=["messages"],
        request=None,
        responses={200: ConversationSerializer, 404: NOT_YOURS},
        description="Mark the whole conversation read for the caller (and the inbox rows that "
        "told them of it); answers the conversation.",
    )
    def post(self, request, patient_id):
        profile = _profile(request, patient_id)
        with transaction.atomic():
            conversation_mark_read(
                conversation=conversation_of(patient=profile.user), user=request.user
            )
            audit_record(
                actor=request.user,
                patient=profile.user,
                action=AuditAction.READ,
                object_type="message",
                object_id=profile.user.public_id,
                clinic_id=profile.clinic_id,
            )
        return Response(_conversation(request, profile))


class MessageSettingsApi(TrackerApiMixin, APIView):
    @extend_schema(
        operation_id="message_settings_retrieve",
        tags=["messages"],
        responses={200: MessageSettingsSerializer},
        description="Therapists: how new messages from patients reach you.",
    )
    def get(self, request):
        require_role(request.user, User.Role.THERAPIST)
        return Response({"delivery": message_delivery_of(user=request.user)})

    @extend_schema(
        operation_id="message_settings_update",
        tags=["messages"],
        request=MessageSettingsSerializer,
        responses={200: MessageSettingsSerializer, 400: None},
        description="Therapists: new messages at once (push, e-mail, inbox) or in the digest.",
    )
    def put(self, request):
        require_role(request.user, User.Role.THERAPIST)
        data = MessageSettingsSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        row = message_settings_set(user=request.user, delivery=data.validated_data["delivery"])
        return Response({"delivery": row.delivery})
