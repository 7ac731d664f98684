"""Messages between a patient and their care team (issue 12): one conversation per patient.

The patient writes from the app; any therapist on the care team answers. A message is not a way
around the check-in (red flags are asked there), and nobody watches messages around the clock:
the pages say so beside every composer.
"""

import uuid

from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from tracker.models.accounts import User
from tracker.models.flags import Flag
from tracker.models.patients import AssignmentItem
from tracker.models.records import CheckIn, SessionLog

# Long enough for a question with its context, short enough to read on a phone.
MESSAGE_MAX_LENGTH = 2000
# `body__length` in the constraint below: the database itself refuses an empty or long message.
models.TextField.register_lookup(Length)


class Conversation(models.Model):
    """The patient's one conversation with whoever is on their care team."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.OneToOneField(User, on_delete=models.CASCADE, related_name="conversation")
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"conversation of {self.patient_id}"


class AuthorSide(models.TextChoices):
    PATIENT = "patient", _("Patient")
    CARE_TEAM = "care_team", _("Care team")


class Message(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    # SET_NULL: a therapist's account may go; what they wrote stays in the patient's record.
    author = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    side = models.CharField(_("from"), max_length=10, choices=AuthorSide.choices)
    body = models.TextField(_("message"))
    # What the patient's message is about, one of their own records at most.
    about_checkin = models.ForeignKey(
        CheckIn, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    about_session = models.ForeignKey(
        SessionLog, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    about_item = models.ForeignKey(
        AssignmentItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A therapist's acknowledgement or resolution note sent to the patient.
    from_flag = models.ForeignKey(
        Flag, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The phone's Idempotency-Key: a message queued offline and sent twice is stored once.
    client_key = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["conversation", "created_at", "id"]
        indexes = [
            models.Index(fields=["conversation", "side", "id"], name="message_conv_side_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(side__in=["patient", "care_team"]), name="message_side_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(body__length__gte=1, body__length__lte=MESSAGE_MAX_LENGTH),
                name="message_body_length",
            ),
            # At most one "about".
            models.CheckConstraint(
                condition=(
                    models.Q(about_checkin__isnull=True, about_session__isnull=True)
                    | models.Q(about_checkin__isnull=True, about_item__isnull=True)
                    | models.Q(about_session__isnull=True, about_item__isnull=True)
                ),
                name="message_about_at_most_one",
            ),
            models.UniqueConstraint(
                fields=["author", "client_key"],
                condition=~models.Q(client_key=""),
                name="message_once_per_client_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.side} {self.created_at:%Y-%m-%d %H:%M}"


class ConversationRead(models.Model):
    """How far one reader has read: every message with a larger id is unread for them."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    read_up_to = models.PositiveBigIntegerField(default=0)
    read_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "user"], name="conversation_read_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.conversation_id} up to {self.read_up_to}"


class MessageDelivery(models.TextChoices):
    NOW = "now", _("At once (push and e-mail)")
    DIGEST = "digest", _("In my daily digest")


class MessageSettings(models.Model):
    """A therapist's choice: new messages at once, or in the daily digest."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="message_settings"
    )
    delivery = models.CharField(
        _("new messages"), max_length=10, choices=MessageDelivery.choices, default="now"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(delivery__in=["now", "digest"]),
                name="message_settings_delivery_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.delivery}"
