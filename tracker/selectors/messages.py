"""Reading the patient's conversation with their care team, and the unread counts (issue 12).

Unread: for the patient, the care team's messages after how far they have read; for a therapist,
the patient's messages after how far that therapist has read (each therapist keeps their own).
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from reminders.languages import is_english
from reminders.models import InboxMessage, Kind, ReminderSchedule
from tracker.models import (
    DEFAULT_TIMEZONE,
    AssignmentItem,
    AuthorSide,
    CareTeamMember,
    CheckIn,
    Conversation,
    ConversationRead,
    Message,
    MessageDelivery,
    MessageSettings,
    PatientProfile,
    SessionLog,
    User,
)

# The composer offers what the patient did in this many recent days to write "about".
ABOUT_RECENT_DAYS = 14


def reader_zone(*, user: User) -> ZoneInfo:
    """Times as the reader's clock shows them: a patient's own zone; a therapist's digest zone
    (where they set one), else the product's default."""
    if user.is_patient:
        profile = PatientProfile.objects.filter(user=user).only("timezone").first()
        if profile is not None:
            return profile.tzinfo
    schedule = (
        ReminderSchedule.objects.filter(user=user, kind=Kind.THERAPIST_DIGEST)
        .only("timezone")
        .first()
    )
    return ZoneInfo(schedule.timezone if schedule is not None else DEFAULT_TIMEZONE)


def _read_marker(user: User) -> Subquery:
    return Subquery(
        ConversationRead.objects.filter(conversation=OuterRef("conversation"), user=user).values(
            "read_up_to"
        )[:1]
    )


def _unread(user: User) -> QuerySet[Message]:
    side = AuthorSide.CARE_TEAM if user.is_patient else AuthorSide.PATIENT
    return Message.objects.filter(side=side).filter(id__gt=Coalesce(_read_marker(user), Value(0)))


_PATIENT_UNREAD_SQL = f"""
SELECT COUNT(*) FROM {Message._meta.db_table} m
JOIN {Conversation._meta.db_table} c ON c.id = m.conversation_id
LEFT JOIN {ConversationRead._meta.db_table} r ON r.conversation_id = c.id AND r.user_id = %s
WHERE c.patient_id = %s AND m.side = %s AND m.id > COALESCE(r.read_up_to, 0)
"""  # noqa: S608 - table names from the models; values go as parameters


def _patient_unread_count(patient: User) -> int:
    """The care team's messages after the patient's read marker. Every patient page's navigation
    shows it, so it is one plain statement: building the ORM's subquery and aggregate cost more
    CPU than running it (issue 16). One conversation per patient, one marker per reader (the
    unique constraints), so the join counts each message once."""
    with connection.cursor() as cursor:
        cursor.execute(_PATIENT_UNREAD_SQL, [patient.pk, patient.pk, AuthorSide.CARE_TEAM.value])
        return int(cursor.fetchone()[0])


def messages_unread_count(*, user: User) -> int:
    """The patient's unread answers, or a therapist's unread messages over their caseload."""
    if not user.is_authenticated:
        return 0
    if user.is_patient:
        return _patient_unread_count(user)
    if user.is_therapist:
        caseload = CareTeamMember.objects.filter(therapist=user).values("patient")
        return _unread(user).filter(conversation__patient__in=caseload).count()
    return 0


def staff_unread_counts(*, user: User) -> tuple[int, int]:
    """A therapist's unread inbox alerts and unread messages, for the header, in one query."""
    counts = caseload_unread_counts(user=user, patient_ids=())
    return counts.alerts, counts.messages


@dataclass(frozen=True)
class CaseloadUnread:
    alerts: int  # unread inbox alerts
    messages: int  # unread messages over the whole caseload
    by_patient: dict[int, int]  # unread messages of each of `patient_ids` that has any


@functools.cache
def _caseload_unread_sql(patients: int) -> str:
    """The header's two counts and the unread messages of `patients` patients (one page of the
    caseload) as one statement: the alerts' COUNT, then the caseload's unread messages grouped
    by patient where the patient is one of the page's, else under NULL (so the rows are at most
    the page's patients and one). Hand-written: the ORM's two subquery counts and its grouped
    query cost more CPU to build than to run on every staff page (issue 16). Table names from
    the models; every value a parameter."""
    page = (
        f"CASE WHEN c.patient_id IN ({', '.join(['%s'] * patients)}) THEN c.patient_id END"
        if patients
        else "NULL"
    )
    return f"""
SELECT 'alerts', NULL, COUNT(*) FROM {InboxMessage._meta.db_table}
WHERE user_id = %s AND read_at IS NULL
UNION ALL
SELECT 'messages', {page}, COUNT(*) FROM {Message._meta.db_table} m
JOIN {Conversation._meta.db_table} c ON c.id = m.conversation_id
LEFT JOIN {ConversationRead._meta.db_table} r ON r.conversation_id = c.id AND r.user_id = %s
WHERE m.side = %s AND m.id > COALESCE(r.read_up_to, 0)
AND c.patient_id IN (SELECT patient_id FROM {CareTeamMember._meta.db_table} WHERE therapist_id = %s)
GROUP BY 2
"""  # noqa: S608 - table names from the models; values go as parameters


def caseload_unread_counts(*, user: User, patient_ids: Iterable[int]) -> CaseloadUnread:
    """staff_unread_counts and each patient's unread messages for a page of the caseload, in one
    statement. Only a therapist has unread messages (over their care-team patients, after their
    own read marker; one marker per reader and conversation, so the join counts each message
    once); a clinic admin has alerts alone."""
    ids = list(dict.fromkeys(patient_ids)) if user.is_therapist else []
    side = AuthorSide.CARE_TEAM if user.is_patient else AuthorSide.PATIENT
    with connection.cursor() as cursor:
        cursor.execute(
            _caseload_unread_sql(len(ids)), [user.pk, *ids, user.pk, side.value, user.pk]
        )
        rows = cursor.fetchall()
    alerts = sum(count for kind, _, count in rows if kind == "alerts")
    mine = [(patient_id, count) for kind, patient_id, count in rows if kind == "messages"]
    return CaseloadUnread(
        alerts=alerts,
        messages=sum(count for _, count in mine),
        by_patient={patient_id: count for patient_id, count in mine if patient_id is not None},
    )


def conversation_messages(*, patient: User, reader: User | None = None) -> list[Message]:
    """Oldest first; with `reader`, each message carries `reader_read_up_to` (their marker), so
    the page needs no second query for it."""
    rows = Message.objects.filter(conversation__patient=patient)
    if reader is not None:
        rows = rows.annotate(reader_read_up_to=Coalesce(_read_marker(reader), Value(0)))
    return list(
        rows.select_related(
            "author__patient_profile",
            "about_checkin",
            "about_session__exercise",
            "about_item__exercise",
            "from_flag",
        ).order_by("created_at", "id")
    )


def read_marker(*, patient: User, user: User) -> int:
    return (
        ConversationRead.objects.filter(conversation__patient=patient, user=user)
        .values_list("read_up_to", flat=True)
        .first()
        or 0
    )


def author_name(message: Message, *, language: str) -> str:
    """Who wrote it, as the reader sees it: "You", the patient's name, or the therapist's."""
    if message.author is None:
        return _("A former member of your care team")
    if message.side == AuthorSide.PATIENT:
        profile = getattr(message.author, "patient_profile", None)
        return profile.display_name if profile is not None else message.author.get_username()
    return message.author.get_full_name() or message.author.get_username()


def about_label(message: Message, *, language: str) -> str:
    """What the message is about, in words ("" for nothing)."""
    english = is_english(language)
    if message.about_checkin is not None:
        return _("Check-in of %(date)s") % {"date": message.about_checkin.date.isoformat()}
    if message.about_session is not None:
        session = message.about_session
        name = session.exercise.name_en if english else session.exercise.name_zh
        return _("Session: %(exercise)s, %(date)s") % {
            "exercise": name,
            "date": session.performed_on.isoformat(),
        }
    if message.about_item is not None:
        exercise = message.about_item.exercise
        return _("Programme exercise: %(exercise)s") % {
            "exercise": exercise.name_en if english else exercise.name_zh
        }
    return ""


@dataclass(frozen=True)
class AboutChoice:
    value: str  # "<kind>:<uuid>", what the form posts
    label: str


def about_choices(*, patient: User, today: date, language: str) -> list[AboutChoice]:
    """The patient's recent check-ins and sessions and their current programme's exercises."""
    english = is_english(language)
    since = today - timedelta(days=ABOUT_RECENT_DAYS)
    choices = [
        AboutChoice(f"checkin:{c.public_id}", _("Check-in of %(date)s") % {"date": c.date})
        for c in CheckIn.objects.filter(patient=patient, date__gte=since)
        .order_by("-date")
        .only("public_id", "date")  # what the labels read (issue 16: not every answer)
    ]
    sessions = (
        SessionLog.objects.filter(patient=patient, performed_on__gte=since)
        .select_related("exercise")
        # Not each exercise's guide and texts (issue 16): the names the labels read.
        .only("public_id", "performed_on", "exercise__name_en", "exercise__name_zh")
        .order_by("-performed_at")[:20]
    )
    choices += [
        AboutChoice(
            f"session:{s.public_id}",
            _("Session: %(exercise)s, %(date)s")
            % {
                "exercise": s.exercise.name_en if english else s.exercise.name_zh,
                "date": s.performed_on,
            },
        )
        for s in sessions
    ]
    items = (
        AssignmentItem.objects.filter(assignment__patient=patient, assignment__is_current=True)
        .select_related("exercise")
        .only("public_id", "exercise__name_en", "exercise__name_zh")
    )
    choices += [
        AboutChoice(
            f"item:{i.public_id}",
            _("Programme exercise: %(exercise)s")
            % {"exercise": i.exercise.name_en if english else i.exercise.name_zh},
        )
        for i in items
    ]
    return choices


@dataclass(frozen=True)
class ConversationRow:
    profile: PatientProfile
    last_message_at: object
    unread: int


def conversations_for_therapist(*, user: User) -> list[ConversationRow]:
    """The caseload's conversations that have messages, unread first, then the latest."""
    caseload = CareTeamMember.objects.filter(therapist=user).values("patient")
    conversations = (
        Conversation.objects.filter(patient__in=caseload, last_message_at__isnull=False)
        .select_related("patient__patient_profile")
        .annotate(
            unread=Count(
                "messages",
                filter=Q(messages__side=AuthorSide.PATIENT)
                & Q(
                    messages__id__gt=Coalesce(
                        Subquery(
                            ConversationRead.objects.filter(
                                conversation=OuterRef("pk"), user=user
                            ).values("read_up_to")[:1]
                        ),
                        Value(0),
                    )
                ),
            )
        )
        .order_by(F("last_message_at").desc())
    )
    rows = [
        ConversationRow(
            profile=c.patient.patient_profile, last_message_at=c.last_message_at, unread=c.unread
        )
        for c in conversations
        if hasattr(c.patient, "patient_profile")
    ]
    return sorted(rows, key=lambda row: row.unread == 0)


def message_delivery_of(*, user: User) -> str:
    chosen = MessageSettings.objects.filter(user=user).values_list("delivery", flat=True).first()
    return chosen or MessageDelivery.NOW


def messages_export(*, patient: User) -> list[dict[str, Any]]:
    """Both sides of the conversation, for the patient's data export."""
    return [
        {
            "id": message.public_id,
            "from": message.side,
            "author": message.author.get_username() if message.author else None,
            "body": message.body,
            "about_checkin": message.about_checkin.public_id if message.about_checkin else None,
            "about_session": message.about_session.public_id if message.about_session else None,
            "about_item": message.about_item.public_id if message.about_item else None,
            "from_flag": message.from_flag.public_id if message.from_flag else None,
            "created_at": message.created_at,
        }
        for message in conversation_messages(patient=patient)
    ]


def conversation_export(*, patient: User) -> dict[str, object]:
    """The conversation's own row and how far each reader has read it, for the data export."""
    from tracker.models import Conversation, ConversationRead

    conversation = Conversation.objects.filter(patient=patient).first()
    if conversation is None:
        return {"conversation": None, "reads": []}
    reads = ConversationRead.objects.filter(conversation=conversation).select_related("user")
    return {
        "conversation": {
            "id": conversation.public_id,
            "created_at": conversation.created_at,
            "last_message_at": conversation.last_message_at,
        },
        "reads": [{"reader": read.user.get_username(), "read_at": read.read_at} for read in reads],
    }
