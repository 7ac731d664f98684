"""The messages panel of the therapist's patient page (issue 12): the latest few messages, how
many there are, how many the therapist has not read, and the therapist's clock, in one statement.

The page shows three messages of a conversation that may hold hundreds, so it reads only those,
with just the columns the panel prints; building the ORM's five-relation query cost more CPU
than the page's whole record (issue 16). The conversation page still reads them all through
`conversation_messages`.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from django.db import connection
from django.db.models import Model
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from exercises.models import Exercise
from reminders.models import Kind, ReminderSchedule
from tracker.models import (
    DEFAULT_TIMEZONE,
    AssignmentItem,
    AuthorSide,
    CheckIn,
    Conversation,
    ConversationRead,
    Flag,
    Message,
    PatientProfile,
    SessionLog,
    User,
)


@dataclass(frozen=True)
class PanelMessage:
    pk: int
    public_id: str
    side: str
    author_id: int | None
    author_name: str | None  # None: the author's account has gone
    body: str
    created_at: datetime
    checkin_date: date | None
    session_names: tuple[str, str] | None  # (English, Chinese)
    performed_on: date | None
    item_names: tuple[str, str] | None
    flag_rule: str | None


@dataclass(frozen=True)
class Panel:
    messages: list[PanelMessage]  # oldest first
    total: int
    unread: int
    read_up_to: int
    zone: ZoneInfo


def _table(model: type[Model]) -> str:
    return str(model._meta.db_table)


# One row per shown message (or one row of NULLs when there are none), each carrying the counts:
# the header is a one-row derived table, LEFT JOINed to the latest messages. Schedules: the first
# by key, as `reader_zone` takes it. Values go as parameters; table names come from the models.
_PANEL_SQL = f"""
SELECT h.total, h.marker, h.unread, h.tz,
       m.id, m.public_id, m.side, m.author_id, m.body, m.created_at,
       m.first_name, m.last_name, m.username, m.display_name,
       m.checkin_date, m.s_en, m.s_zh, m.performed_on, m.i_en, m.i_zh, m.rule
FROM (
  SELECT
    (SELECT COUNT(*) FROM {_table(Message)} x WHERE x.conversation_id = c.id) AS total,
    (SELECT r.read_up_to FROM {_table(ConversationRead)} r
      WHERE r.conversation_id = c.id AND r.user_id = %s) AS marker,
    (SELECT COUNT(*) FROM {_table(Message)} x WHERE x.conversation_id = c.id AND x.side = %s
      AND x.id > COALESCE((SELECT r.read_up_to FROM {_table(ConversationRead)} r
        WHERE r.conversation_id = c.id AND r.user_id = %s), 0)) AS unread,
    (SELECT s.timezone FROM {_table(ReminderSchedule)} s WHERE s.user_id = %s AND s.kind = %s
      ORDER BY s.key LIMIT 1) AS tz
  FROM (SELECT 1 AS one) o LEFT JOIN {_table(Conversation)} c ON c.patient_id = %s
) h
LEFT JOIN (
  SELECT m.id, m.public_id, m.side, m.author_id, m.body, m.created_at,
         u.first_name, u.last_name, u.username, pp.display_name,
         ci.date AS checkin_date, se.name_en AS s_en, se.name_zh AS s_zh, s.performed_on,
         ie.name_en AS i_en, ie.name_zh AS i_zh, f.rule
  FROM {_table(Message)} m
  JOIN {_table(Conversation)} c ON c.id = m.conversation_id
  LEFT JOIN {_table(User)} u ON u.id = m.author_id
  LEFT JOIN {_table(PatientProfile)} pp ON pp.user_id = u.id
  LEFT JOIN {_table(CheckIn)} ci ON ci.id = m.about_checkin_id
  LEFT JOIN {_table(SessionLog)} s ON s.id = m.about_session_id
  LEFT JOIN {_table(Exercise)} se ON se.id = s.exercise_id
  LEFT JOIN {_table(AssignmentItem)} ai ON ai.id = m.about_item_id
  LEFT JOIN {_table(Exercise)} ie ON ie.id = ai.exercise_id
  LEFT JOIN {_table(Flag)} f ON f.id = m.from_flag_id
  WHERE c.patient_id = %s
  ORDER BY m.created_at DESC, m.id DESC
  LIMIT %s
) m ON 1 = 1
"""  # noqa: S608 - table names from the models; values go as parameters


def _datetime(value: object) -> datetime:
    """PostgreSQL gives an aware datetime; SQLite may give the stored text, in UTC."""
    if isinstance(value, str):
        value = parse_datetime(value)
    assert isinstance(value, datetime)
    return value if timezone.is_aware(value) else timezone.make_aware(value, UTC)


def _date(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return parse_date(str(value))


def _author(row: tuple[object, ...]) -> str | None:
    """As `author_name`: the patient's display name (else username), or the therapist's full
    name (else username)."""
    side, author_id, first, last, username, display_name = row[6], row[7], *row[10:14]
    if author_id is None:
        return None
    if side == AuthorSide.PATIENT:
        return str(display_name if display_name is not None else username)
    return f"{first} {last}".strip() or str(username)


def therapist_panel(*, patient: User, reader: User, limit: int) -> Panel:
    """The latest `limit` messages (oldest first) and the counts, for `reader` (a therapist)."""
    params: list[int | str] = [
        reader.pk,
        AuthorSide.PATIENT.value,
        reader.pk,
        reader.pk,
        Kind.THERAPIST_DIGEST.value,
        patient.pk,
        patient.pk,
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_PANEL_SQL, params)
        rows = cursor.fetchall()
    total, marker, unread, tz = rows[0][:4]
    messages = [
        PanelMessage(
            pk=row[4],
            public_id=str(uuid.UUID(str(row[5]))),  # SQLite keeps the hex
            side=row[6],
            author_id=row[7],
            author_name=_author(row),
            body=row[8],
            created_at=_datetime(row[9]),
            checkin_date=_date(row[14]),
            session_names=(row[15], row[16]) if row[15] is not None else None,
            performed_on=_date(row[17]),
            item_names=(row[18], row[19]) if row[18] is not None else None,
            flag_rule=row[20],
        )
        for row in reversed(rows)
        if row[4] is not None
    ]
    return Panel(
        messages=messages,
        total=int(total or 0),
        unread=int(unread or 0),
        read_up_to=int(marker or 0),
        zone=ZoneInfo(tz or DEFAULT_TIMEZONE),
    )
