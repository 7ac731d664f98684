"""Reads for the therapist dashboard's caseload (the patient page is in patient_page.py).

The caseload runs the same number of queries whatever its size. Its ordering is one aggregate:
the caseload joined to its unresolved flags (a filtered join on the flags' (patient, status)
index), grouped by patient, so PostgreSQL reads each patient's open flags once, in one pass,
before the LIMIT (not two correlated subqueries per patient). "Last check-in" and the programme
are correlated subqueries in the select list only, which PostgreSQL runs after the LIMIT, for
the page's rows alone. The page's 30-day check-ins, sessions and open flags are one query each,
however many rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.core.paginator import Paginator
from django.db.models import (
    Exists,
    F,
    Field,
    FilteredRelation,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils.functional import cached_property

from exercises.models import ProgrammeTemplate
from tracker import charts
from tracker.models import (
    CheckIn,
    Clinic,
    Flag,
    FlagStatus,
    PatientProfile,
    ProgrammeAssignment,
    SessionLog,
    User,
)
from tracker.patient_calendar import local_today
from tracker.selectors import _patient_q
from tracker.selectors import flag_severity_rank as severity_rank
from tracker.selectors.adherence import adherence_last_7_by_patient

UNRESOLVED = (FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED)
CASELOAD_PAGE_SIZE = 50
SPARKLINE_DAYS = 30


# A flag's place in the caseload as one integer: its severity rank, then its latest evidence as
# YYYYMMDD. The largest over a patient's unresolved flags is their most severe flag and, among
# equals, the most recent evidence: so a flag with no new evidence for 7 days sorts below fresh
# ones of its severity (CLINICAL.md §4a). One aggregate, so the flags are read once.
_RANK_STEP = 100_000_000


def _worst_unresolved_flag_key(relation: str) -> Max:
    day = f"{relation}__last_evidence_on"
    return Max(
        severity_rank(f"{relation}__") * Value(_RANK_STEP)
        + ExtractYear(day) * Value(10_000)
        + ExtractMonth(day) * Value(100)
        + ExtractDay(day),
        output_field=IntegerField(),
    )


# --- caseload ------------------------------------------------------------------------------


def flag_labels() -> dict[str, dict[str, str]]:
    """The flags' severity, rule and status labels in the active language, looked up once for
    a page: get_FOO_display() re-hashes every choice (a translation lookup each) per call."""
    labels: dict[str, dict[str, str]] = {}
    for name in ("severity", "rule", "status"):
        field = Flag._meta.get_field(name)
        assert isinstance(field, Field)  # a column of Flag's, not a relation
        labels[name] = {str(value): str(label) for value, label in field.flatchoices}
    return labels


def label_flag(flag: Flag, labels: Mapping[str, Mapping[str, str]]) -> Flag:
    """`flag` with severity_label, rule_label and status_label set (the templates show these)."""
    # Set like a queryset annotation (the model declares no such fields).
    flag.__dict__.update(
        severity_label=labels["severity"].get(flag.severity, flag.severity),
        rule_label=labels["rule"].get(flag.rule, flag.rule),
        status_label=labels["status"].get(flag.status, flag.status),
    )
    return flag


def _current_programme() -> QuerySet[ProgrammeAssignment]:
    return ProgrammeAssignment.objects.filter(patient=OuterRef("user_id"), is_current=True)


def caseload_patients(
    *,
    user: User,
    is_flagged_only: bool = False,
    template_key: str = "",
    clinic_id: UUID | None = None,
) -> QuerySet[PatientProfile]:
    """The patients `user` may see, most severe unresolved flag first, then the most recent
    worsening (that flag's latest evidence: fresh before stale), then by name.

    Page it with CaseloadPaginator: a plain COUNT of this query would run the last check-in and
    programme subqueries for every patient."""
    current_programme = _current_programme()
    profiles = (
        PatientProfile.objects.filter(_patient_q(user=user, prefix="user"))
        .select_related("user", "clinic")
        .annotate(
            unresolved_flags=FilteredRelation(
                "user__flags", condition=Q(user__flags__status__in=UNRESOLVED)
            ),
            worst_flag_key=_worst_unresolved_flag_key("unresolved_flags"),
            last_checkin_on=Subquery(
                CheckIn.objects.filter(patient=OuterRef("user_id"))
                .order_by("-date")
                .values("date")[:1]
            ),
            programme_template_id=Subquery(current_programme.values("template_id")[:1]),
        )
    )
    if is_flagged_only:
        profiles = profiles.filter(worst_flag_key__isnull=False)
    if template_key:
        profiles = profiles.filter(Exists(current_programme.filter(template__key=template_key)))
    if clinic_id is not None:
        profiles = profiles.filter(clinic__public_id=clinic_id)
    return profiles.order_by(
        F("worst_flag_key").desc(nulls_last=True),
        "display_name",
        "user_id",
    )


if TYPE_CHECKING:  # Django's Paginator is generic for the type checker only
    _ProfilePaginator = Paginator[PatientProfile]
else:
    _ProfilePaginator = Paginator


class CaseloadPaginator(_ProfilePaginator):
    """Counts the caseload without its per-row subqueries (values("pk") leaves them out of the
    COUNT's inner query): the count reads each patient's unresolved flags once, and runs no
    subquery per patient. The page's own query runs them after its LIMIT, for its rows only."""

    object_list: QuerySet[PatientProfile]  # caseload_patients()

    @cached_property
    def count(self) -> int:
        return self.object_list.values("pk").count()


def caseload_filter_options(*, user: User) -> tuple[list[ProgrammeTemplate], list[Clinic]]:
    """The programme templates, and the clinics of the patients `user` may see (two queries)."""
    templates = list(ProgrammeTemplate.objects.order_by("key"))
    visible = PatientProfile.objects.filter(_patient_q(user=user, prefix="user"))
    clinics = list(Clinic.objects.filter(pk__in=visible.values("clinic_id")).order_by("name"))
    return templates, clinics


@dataclass
class CaseloadRow:
    profile: PatientProfile
    programme: ProgrammeTemplate | None
    sparkline: charts.Chart
    flags: list[Flag]
    today: date  # the patient's, for "no new evidence since"
    days_with_data: int
    done_last_7: int
    prescribed_last_7: int  # sessions owed, rounded for display
    adherence_percent: int | None  # from the exact figures (tracker/selectors/adherence.py)

    @property
    def last_checkin_on(self) -> date | None:
        return self.profile.last_checkin_on  # type: ignore[attr-defined, no-any-return]  # annotated by caseload_patients

    @property
    def flag_items(self) -> list[tuple[Flag, bool]]:
        """(flag, has it gone stale?) for the caseload's chips."""
        return [(flag, flag.is_stale(self.today)) for flag in self.flags]

    @property
    def worst_severity(self) -> str | None:
        return self.flags[0].severity if self.flags else None

    @property
    def has_urgent(self) -> bool:
        return any(flag.is_urgent for flag in self.flags)


def caseload_rows(
    *,
    profiles: Sequence[PatientProfile],
    templates: Mapping[int, ProgrammeTemplate],
    now: datetime | None = None,
) -> list[CaseloadRow]:
    """The rows of one caseload page (from caseload_patients): four queries, whatever the size.

    Adherence is tracker/selectors/adherence.py's 7-day figure, across programme versions.
    """
    if not profiles:
        return []
    ids = [profile.user_id for profile in profiles]
    todays = {profile.user_id: local_today(profile, now) for profile in profiles}
    window_start = min(todays.values()) - timedelta(days=SPARKLINE_DAYS - 1)
    window_end = max(todays.values())

    checkins: dict[int, list[tuple[date, int, int]]] = defaultdict(list)
    for patient_id, on, leg_pain, numbness in CheckIn.objects.filter(
        patient_id__in=ids, date__gte=window_start, date__lte=window_end
    ).values_list("patient_id", "date", "leg_pain", "numbness"):
        checkins[patient_id].append((on, leg_pain, numbness))

    session_days: dict[int, set[date]] = defaultdict(set)
    done_pairs: dict[int, set[tuple[date, int]]] = defaultdict(set)
    for patient_id, on, exercise_id in (
        SessionLog.objects.filter(
            patient_id__in=ids, performed_on__gte=window_start, performed_on__lte=window_end
        )
        .order_by()  # no default ordering: it would join the DISTINCT
        .values_list("patient_id", "performed_on", "exercise_id")
        .distinct()
    ):
        session_days[patient_id].add(on)
        done_pairs[patient_id].add((on, exercise_id))

    # The one definition of adherence: each day owes what the version in force that day
    # prescribes, so a programme change inside the 7 days does not restart the count.
    adherence = adherence_last_7_by_patient(todays=todays, done=done_pairs)

    flags: dict[int, list[Flag]] = defaultdict(list)
    labels = flag_labels()
    for flag in (
        Flag.objects.filter(patient_id__in=ids, status__in=UNRESOLVED)
        .annotate(rank=severity_rank())
        .order_by("-rank", "-last_evidence_on", "rule")
        .only(
            "public_id",
            "patient_id",
            "rule",
            "severity",
            "status",
            "opened_on",
            "last_evidence_on",
            "answer_changed_at",
        )
    ):
        flags[flag.patient_id].append(label_flag(flag, labels))

    rows = []
    for profile in profiles:
        patient_id, today = profile.user_id, todays[profile.user_id]
        start = today - timedelta(days=SPARKLINE_DAYS - 1)
        own = [row for row in checkins[patient_id] if start <= row[0] <= today]
        last_7 = adherence[patient_id]
        data_days = {row[0] for row in own} | {
            on for on in session_days[patient_id] if start <= on <= today
        }
        rows.append(
            CaseloadRow(
                profile=profile,
                programme=templates.get(profile.programme_template_id),  # type: ignore[attr-defined]  # annotated by caseload_patients
                sparkline=charts.sparkline(
                    {
                        "leg_pain": [(on, leg) for on, leg, _ in own],
                        "numbness": [(on, numb) for on, _, numb in own],
                    },
                    start=start,
                    end=today,
                ),
                flags=flags[patient_id],
                today=today,
                days_with_data=len(data_days),
                done_last_7=last_7.done,
                prescribed_last_7=round(last_7.prescribed),
                adherence_percent=last_7.percent,
            )
        )
    return rows
