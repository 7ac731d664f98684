"""Invitations on the API (issue 10). The link and code appear only in the answer that made
them; lists and later reads never carry them (only their hashes are stored)."""

from rest_framework import serializers

from tracker.models import Invitation, Language
from tracker.services.invitations import invitation_state


class InvitationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    patient = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = [
            "id",
            "kind",
            "patient",
            "name",
            "email",
            "language",
            "created_at",
            "expires_at",
            "accepted_at",
            "revoked_at",
            "state",
        ]
        read_only_fields = fields

    def get_patient(self, invitation: Invitation) -> str | None:
        if invitation.kind != "patient" or invitation.user is None:
            return None
        return str(invitation.user.public_id)

    def get_state(self, invitation: Invitation) -> str:
        return invitation_state(invitation)


class IssuedInvitationSerializer(InvitationSerializer):
    url = serializers.CharField(read_only=True, help_text="The one-time link (shown once).")
    code = serializers.CharField(read_only=True, help_text="The short code (shown once).")

    class Meta(InvitationSerializer.Meta):
        fields = [*InvitationSerializer.Meta.fields, "url", "code"]
        read_only_fields = fields


class TherapistInviteInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    email = serializers.EmailField()
    language = serializers.ChoiceField(choices=Language.choices, default="zh-hans")


class InvitationAcceptInputSerializer(serializers.Serializer):
    token = serializers.CharField(required=False, max_length=100, allow_blank=False)
    code = serializers.CharField(required=False, max_length=20, allow_blank=False)
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)

    def validate(self, data: dict) -> dict:
        if bool(data.get("token")) == bool(data.get("code")):
            raise serializers.ValidationError("Send either the link's token or the code.")
        return data


class InvitationAcceptedSerializer(serializers.Serializer):
    id = serializers.UUIDField(help_text="The account's id (for a patient, the patient id).")
    username = serializers.CharField()
    role = serializers.CharField()
