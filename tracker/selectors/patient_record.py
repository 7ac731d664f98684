"""What the patient said, day by day, for the therapist's patient page: every check-in answer (the
note included) and every session (amounts, pain during, difficulty, comment), newest first.

Paged by days that have anything, so a page reads the same whatever the history's length: one
query for the dates, one each for that page's check-ins, revisions and sessions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count

from tracker.models import CheckIn, SessionLog, User
from tracker.selectors.patient_page import SIDE_LABELS, SITE_LABELS

RECORD_DAYS_PER_PAGE = 14
# The answers that matter most when they are not the usual one: shown first, and marked.
WARNING_ANSWERS = {
    "bowel_bladder_change": True,
    "saddle_numbness": True,
    "can_walk_on_heels": False,
    "can_walk_on_toes": False,
    "stopped_walking": True,
    "night_pain": True,
    "calf_cramps": True,
}

# What record_days_html reads of a session and its exercise.
_SESSION_FIELDS = (
    "performed_on",
    "performed_at",
    "sets",
    "reps",
    "minutes",
    "pain_during",
    "difficulty",
    "note",
    "exercise__name_zh",
    "exercise__name_en",
)


@dataclass(frozen=True)
class Answer:
    label: str
    value: bool
    is_warning: bool


@dataclass
class RecordDay:
    on: date
    checkin: CheckIn | None = None
    revisions: int = 0  # how often the patient changed that day's check-in
    sessions: list[SessionLog] = field(default_factory=list)

    @property
    def areas(self) -> list[str]:
        if self.checkin is None:
            return []
        labels = []
        for area in self.checkin.numbness_areas:
            side, site = area.split("_", 1)
            labels.append(f"{SIDE_LABELS[side]} · {SITE_LABELS[site]}")
        return labels

    @property
    def answers(self) -> list[Answer]:
        """The yes/no questions, warnings first, each with the question's own words."""
        return self.answers_labelled(answer_labels())

    def answers_labelled(self, labels: dict[str, str]) -> list[Answer]:
        """`answers`, with the questions' words looked up once for a page (answer_labels)."""
        if self.checkin is None:
            return []
        rows = [
            Answer(
                label=labels[name],
                value=getattr(self.checkin, name),
                is_warning=getattr(self.checkin, name) is warning,
            )
            for name, warning in WARNING_ANSWERS.items()
        ]
        return sorted(rows, key=lambda answer: not answer.is_warning)


def answer_labels() -> dict[str, str]:
    """The yes/no questions' words in the active language, by field name."""
    return {
        name: str(getattr(CheckIn._meta.get_field(name), "verbose_name", name))
        for name in WARNING_ANSWERS
    }


def patient_record(*, patient: User, page_number: int | str | None = 1) -> Page[RecordDay]:
    """A page of RecordDay, newest first. `patient` must already be scoped to the reader."""
    dates = _record_dates(patient)
    page: Page[Any] = Paginator(dates, RECORD_DAYS_PER_PAGE).get_page(page_number)
    # An empty page reads an empty range: the same queries whatever the history holds.
    newest, oldest = (page.object_list[0], page.object_list[-1]) if dates else (date.min,) * 2
    days = {on: RecordDay(on=on) for on in page.object_list}
    for checkin in CheckIn.objects.filter(patient=patient, date__range=(oldest, newest)).annotate(
        revision_count=Count("revisions")
    ):
        days[checkin.date].checkin = checkin
        days[checkin.date].revisions = checkin.revision_count
    for session in (
        SessionLog.objects.filter(patient=patient, performed_on__range=(oldest, newest))
        .select_related("exercise")
        # What record_days_html shows of a session and its exercise's name, nothing more: the
        # exercise's guide, instructions and sources were a JSON parse each (issue 16).
        .only(*_SESSION_FIELDS)
        .order_by("-performed_at")
    ):
        days[session.performed_on].sessions.append(session)
    page.object_list = [days[on] for on in page.object_list]
    return page


# The table names are ours; the patient is a parameter. UNION drops the days that have both;
# both tables are indexed by patient and day.
_RECORD_DATES_SQL = (
    f"SELECT date FROM {CheckIn._meta.db_table} WHERE patient_id = %s"  # noqa: S608
    f" UNION SELECT performed_on FROM {SessionLog._meta.db_table} WHERE patient_id = %s"
    " ORDER BY 1 DESC"
)


def _record_dates(patient: User) -> list[date]:
    """Every day with a check-in or a session, newest first. Hand-written: the ORM's union of two
    value lists cost about three times the statement itself to build and read (issue 16)."""
    with connection.cursor() as cursor:
        cursor.execute(_RECORD_DATES_SQL, [patient.pk, patient.pk])
        rows = cursor.fetchall()
    # SQLite gives a union's dates back as text; PostgreSQL as dates.
    return [on if isinstance(on, date) else date.fromisoformat(on) for (on,) in rows]
