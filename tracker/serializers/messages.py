"""What the messages API carries (issue 12)."""

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tracker.models import MESSAGE_MAX_LENGTH, MessageDelivery
from tracker.selectors.messages import about_label, author_name
from tracker.services.messages import ABOUT_KINDS


class MessageAboutSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ABOUT_KINDS)
    id = serializers.UUIDField()
    # A field named "label": DRF's metaclass takes declared fields out of the class, so it does
    # not replace Field.label at run time; the stubs see the class attribute only.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]


class MessageSerializer(serializers.Serializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    patient = serializers.UUIDField(source="conversation.patient.public_id", read_only=True)
    side = serializers.ChoiceField(
        choices=["patient", "care_team"],
        read_only=True,
        help_text="patient: written by the patient; care_team: by a therapist of the care team.",
    )
    author_name = serializers.SerializerMethodField()
    body = serializers.CharField(read_only=True)
    about = serializers.SerializerMethodField()
    from_flag = serializers.UUIDField(source="from_flag.public_id", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    is_unread = serializers.SerializerMethodField(
        help_text="From the other side and after how far the reader has read."
    )

    def get_author_name(self, message) -> str:
        return author_name(message, language=get_language() or "zh-hans")

    @extend_schema_field(MessageAboutSerializer(allow_null=True))
    def get_about(self, message) -> dict | None:
        for kind in ABOUT_KINDS:
            target = getattr(message, f"about_{kind}")
            if target is not None:
                label = about_label(message, language=get_language() or "zh-hans")
                return {"kind": kind, "id": target.public_id, "label": label}
        return None

    def get_is_unread(self, message) -> bool:
        reader_side = self.context.get("reader_side")
        return message.side != reader_side and message.pk > self.context.get("read_up_to", 0)


class ConversationSerializer(serializers.Serializer):
    unread = serializers.IntegerField(help_text="Messages from the other side not yet read.")
    messages = MessageSerializer(many=True)


class MessageInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MESSAGE_MAX_LENGTH, trim_whitespace=True)
    about = MessageAboutSerializer(
        required=False,
        allow_null=True,
        help_text="Patients only: one of their own check-ins, sessions or programme items.",
    )


class MessageSettingsSerializer(serializers.Serializer):
    delivery = serializers.ChoiceField(
        choices=MessageDelivery.choices,
        help_text="now: push, e-mail and inbox at once; digest: a line in the daily digest.",
    )
