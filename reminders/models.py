import uuid
from datetime import time

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The bounds, defaults and validators of a schedule's fields; the migrations name them here.
from reminders.schedule_values import (
    STAND_UP_MAX_MINUTES,
    STAND_UP_MIN_MINUTES,
    default_channels,
    default_times_of_day,
    default_weekdays,
    validate_channels,
    validate_times_of_day,
    validate_timezone,
    validate_weekdays,
)


class Kind(models.TextChoices):
    STAND_UP = "stand_up", _("Stand up")
    EXERCISE = "exercise", _("Exercise")
    CHECKIN = "checkin", _("Daily check-in")
    THERAPIST_DIGEST = "therapist_digest", _("Therapist daily digest")
    # Not schedule-driven: a message a caller asks to send at once (an urgent flag).
    NOTIFICATION = "notification", _("Notification")


class Channel(models.TextChoices):
    # The in-app inbox is not a channel with an outbox row: the dispatcher writes it directly,
    # in the same transaction, for every reminder (so nothing is lost when push is off).
    PUSH = "push", _("Web Push")
    EMAIL = "email", _("E-mail")


class Urgency(models.TextChoices):
    # The Web Push `Urgency` header values (RFC 8030 §5.3).
    VERY_LOW = "very-low", _("Very low")
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")


class Language(models.TextChoices):
    ZH_HANS = "zh-hans", _("简体中文")
    EN = "en", _("English")


class ReminderSchedule(models.Model):
    """When one person is reminded of one thing. The dispatcher finds due rows by `next_due_at`;
    no Celery message waits for the future (STYLE.md, reliability idioms)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_schedules"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Tells apart several schedules of one kind: the exercise key for exercise reminders.
    key = models.CharField(_("key"), max_length=64, blank=True)
    is_enabled = models.BooleanField(_("enabled"), default=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default="Asia/Shanghai", validators=[validate_timezone]
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ZH_HANS
    )
    active_from = models.TimeField(_("active from"), default=time(8, 0))
    active_until = models.TimeField(_("active until"), default=time(21, 0))
    weekdays = models.JSONField(
        _("weekdays (1 = Monday)"), default=default_weekdays, validators=[validate_weekdays]
    )
    quiet_from = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet hours until"), null=True, blank=True)
    interval_minutes = models.PositiveSmallIntegerField(
        _("interval (minutes)"), null=True, blank=True
    )
    times_of_day = models.JSONField(
        _("times of day"),
        default=default_times_of_day,
        blank=True,
        validators=[validate_times_of_day],
    )
    channels = models.JSONField(
        _("channels"), default=default_channels, blank=True, validators=[validate_channels]
    )
    paused_until = models.DateTimeField(_("paused until"), null=True, blank=True)
    next_due_at = models.DateTimeField(_("next due at"), null=True, blank=True)
    # The local date whose check-in is already in: that day's check-in reminder is skipped.
    checkin_done_on = models.DateField(null=True, blank=True)
    # Texts the caller passes in (reminders does not read the exercise catalogue).
    label_zh = models.CharField(_("label (Chinese)"), max_length=100, blank=True)
    label_en = models.CharField(_("label (English)"), max_length=100, blank=True)
    detail_zh = models.CharField(_("detail (Chinese)"), max_length=200, blank=True)
    detail_en = models.CharField(_("detail (English)"), max_length=200, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("reminder schedule")
        verbose_name_plural = _("reminder schedules")
        ordering = ["user", "kind", "key"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="reminder_user_kind_key"),
            models.CheckConstraint(
                condition=~Q(kind="stand_up")
                | Q(
                    interval_minutes__gte=STAND_UP_MIN_MINUTES,
                    interval_minutes__lte=STAND_UP_MAX_MINUTES,
                ),
                name="reminder_stand_up_interval_30_40",
                violation_error_message=_(
                    "The stand-up interval must be between 30 and 40 minutes."
                ),
            ),
            models.CheckConstraint(
                condition=Q(active_from__lt=models.F("active_until")),
                name="reminder_active_hours_ordered",
                violation_error_message=_("Active hours must end after they start."),
            ),
            models.CheckConstraint(
                condition=Q(quiet_from__isnull=True, quiet_until__isnull=True)
                | Q(quiet_from__isnull=False, quiet_until__isnull=False),
                name="reminder_quiet_hours_both_or_neither",
                violation_error_message=_("Quiet hours need both a start and an end."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["stand_up", "exercise", "checkin", "therapist_digest"]),
                name="reminder_kind_valid",
            ),
        ]
        indexes = [
            # The dispatcher's query: enabled rows whose next_due_at has passed, oldest first.
            models.Index(
                fields=["next_due_at"],
                condition=Q(is_enabled=True, next_due_at__isnull=False),
                name="reminder_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.key}".strip()


class Status(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")


class Delivery(models.Model):
    """The outbox: one row per reminder occurrence and channel, written before anything is sent.

    The unique (schedule, due_at, channel) is what makes a second dispatcher or a replay
    insert nothing; a caller's idempotency key does the same for one-off notifications.
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    schedule = models.ForeignKey(
        ReminderSchedule,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="deliveries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_deliveries"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    due_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    # Whom the message is about when that is someone else (a care-team alert names a patient):
    # erasing that person removes it (reminders_forget_user). The Web Push Topic and the
    # notification tag are derived from public_id (reminders.channels.push), not stored.
    about_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    ttl_seconds = models.PositiveIntegerField(default=15 * 60)
    urgency = models.CharField(max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # A sender's lease: while it is in the future nobody else may send this row. A crashed
    # sender's lease runs out and the sweeper hands the row to another sender.
    locked_until = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # Push subscriptions that already accepted this message, so a retry skips them.
    push_done = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["-due_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["schedule", "due_at", "channel"],
                condition=Q(schedule__isnull=False),
                name="delivery_once_per_due_and_channel",
            ),
            models.UniqueConstraint(
                fields=["user", "idempotency_key", "channel"],
                condition=~Q(idempotency_key=""),
                name="delivery_once_per_key_and_channel",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sent", "failed", "skipped"]),
                name="delivery_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=["push", "email"]),
                name="delivery_channel_valid",
            ),
        ]
        indexes = [
            # The sweeper's query: pending rows whose lease ran out or that were never picked up.
            models.Index(
                fields=["locked_until", "enqueued_at"],
                condition=Q(status="pending"),
                name="delivery_pending_idx",
            ),
            models.Index(fields=["user", "-due_at"], name="delivery_user_due_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} {self.due_at:%Y-%m-%d %H:%M} {self.status}"


class PushSubscription(models.Model):
    """One browser or device that agreed to receive Web Push; a person may have several."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    # Unique among active rows: one browser reaches one account at a time. Another account
    # cannot take over an active endpoint (reminders.services.subscriptions).
    endpoint = models.URLField(max_length=2000)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    user_agent = models.CharField(max_length=300, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("push subscription")
        verbose_name_plural = _("push subscriptions")
        ordering = ["user", "-created_at"]
        indexes = [
            models.Index(fields=["user"], condition=Q(is_active=True), name="push_active_user_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "endpoint"], name="push_user_endpoint"),
            models.UniqueConstraint(
                fields=["endpoint"],
                condition=Q(is_active=True),
                name="push_endpoint_active_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.endpoint[:60]}"


class InboxMessage(models.Model):
    """The in-app copy of every reminder, written whatever the other channels do."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_messages"
    )
    schedule = models.ForeignKey(
        ReminderSchedule,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inbox_messages",
    )
    # One message per reminder occurrence ("s<schedule>:<due>") or notification ("n:<key>"):
    # a replayed dispatch or a second call inserts nothing.
    dedupe_key = models.CharField(max_length=250)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    # As on Delivery: the person a care-team message is about, so erasing them removes it.
    about_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inbox message")
        verbose_name_plural = _("inbox messages")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="inbox_user_created_idx")]
        constraints = [
            models.UniqueConstraint(fields=["user", "dedupe_key"], name="inbox_once_per_key"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.title}"


class DigestItem(models.Model):
    """Something a therapist should see in tomorrow's digest (an open, non-urgent flag).
    Tracker adds it; the digest schedule picks up the items not yet sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_items"
    )
    key = models.CharField(max_length=200)
    text = models.CharField(max_length=300)
    url = models.CharField(max_length=300, blank=True)
    # The patient the line is about: erasing them removes the line, here and from the digests
    # already written (reminders_forget_user).
    about_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when a digest took it; a flag is reported once.
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="digest_item_user_key"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.key}"
