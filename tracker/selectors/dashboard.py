"""Reads for the therapist dashboard's caseload (the patient page is in patient_page.py).

The caseload runs the same number of queries whatever its size. Its ordering is one aggregate:
the caseload joined to its unresolved flags (a filtered join on the flags' (patient, status)
index), grouped by patient, so PostgreSQL reads each patient's open flags once, in one pass,
before the LIMIT (not two correlated subqueries per patient). "Last check-in" and the programme
are correlated subqueries in the select list only, which PostgreSQL runs after the LIMIT, for
the page's rows alone. The rows' figures are tracker/selectors/caseload_rows.py's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
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
    Window,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils.functional import cached_property

from exercises.models import ProgrammeTemplate
from tracker.models import (
    CheckIn,
    Clinic,
    Flag,
    FlagStatus,
    PatientProfile,
    ProgrammeAssignment,
    User,
)
from tracker.selectors import _patient_q
from tracker.selectors import flag_severity_rank as severity_rank

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
        column = Flag._meta.get_field(name)
        assert isinstance(column, Field)  # a column of Flag's, not a relation
        labels[name] = {str(value): str(label) for value, label in column.flatchoices}
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


def caseload_filtered(
    *,
    user: User,
    is_flagged_only: bool = False,
    template_key: str = "",
    clinic_id: UUID | None = None,
) -> QuerySet[PatientProfile]:
    """The patients `user` may see, with the caseload's filters, unordered and unannotated: what
    the caseload counts (a cheap COUNT: no flags joined, no subquery per patient)."""
    profiles = PatientProfile.objects.filter(_patient_q(user=user, prefix="user"))
    if is_flagged_only:
        profiles = profiles.filter(
            Exists(Flag.objects.filter(patient=OuterRef("user_id"), status__in=UNRESOLVED))
        )
    if template_key:
        profiles = profiles.filter(Exists(_current_programme().filter(template__key=template_key)))
    if clinic_id is not None:
        profiles = profiles.filter(clinic__public_id=clinic_id)
    return profiles


def caseload_patients(
    *,
    user: User,
    is_flagged_only: bool = False,
    template_key: str = "",
    clinic_id: UUID | None = None,
) -> QuerySet[PatientProfile]:
    """The patients `user` may see, most severe unresolved flag first, then the most recent
    worsening (that flag's latest evidence: fresh before stale), then by name.

    Only the columns the caseload shows are read (a page is fifty profiles, users and clinics).
    Page it with caseload_page: a plain COUNT of this query would run the last check-in and
    programme subqueries for every patient."""
    filtered = caseload_filtered(
        user=user, is_flagged_only=is_flagged_only, template_key=template_key, clinic_id=clinic_id
    )
    return (
        filtered.select_related("user", "clinic")
        .only(*CASELOAD_COLUMNS)
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
            programme_template_id=Subquery(_current_programme().values("template_id")[:1]),
        )
        .order_by(F("worst_flag_key").desc(nulls_last=True), "display_name", "user_id")
    )


# What a caseload row shows or needs of its patient (the rest of the profile is not read).
CASELOAD_COLUMNS = (
    "user_id",
    "clinic_id",
    "display_name",
    "timezone",
    "user__id",
    "user__public_id",
    "clinic__id",
    "clinic__name",
)


if TYPE_CHECKING:  # Django's Paginator is generic for the type checker only
    _ProfilePaginator = Paginator[PatientProfile]
else:
    _ProfilePaginator = Paginator


class CaseloadPaginator(_ProfilePaginator):
    """Pages caseload_patients() and counts `counted` (caseload_filtered() with the same
    filters) when caseload_page has not counted already: the page's query reads the flags and
    runs its subqueries after its LIMIT, for its rows only; the count reads neither."""

    object_list: QuerySet[PatientProfile]

    def __init__(
        self,
        object_list: QuerySet[PatientProfile],
        per_page: int,
        *,
        counted: QuerySet[PatientProfile],
    ) -> None:
        super().__init__(object_list, per_page)
        self.counted = counted

    @cached_property
    def count(self) -> int:
        return self.counted.count()


def caseload_page(*, user: User, page_number: str | None, **filters: Any) -> Page[PatientProfile]:
    """One page of the caseload, in one query: its patients, and how many match the filters
    (COUNT(*) OVER () over the grouped patients, before the LIMIT: the ordering aggregates every
    patient anyway). A page past the last one, or not a page at all, is answered as Django's
    get_page answers it (the last page, the first), with the count as its own query."""
    paginator = CaseloadPaginator(
        caseload_patients(user=user, **filters),
        CASELOAD_PAGE_SIZE,
        counted=caseload_filtered(user=user, **filters),
    )
    try:
        number = int(page_number) if page_number is not None else 1
    except ValueError:
        number = 1
    if number >= 1:
        bottom = (number - 1) * CASELOAD_PAGE_SIZE
        rows = list(
            paginator.object_list.annotate(caseload_total=Window(Count("*")))[
                bottom : bottom + CASELOAD_PAGE_SIZE
            ]
        )
        if rows or number == 1:
            paginator.__dict__["count"] = rows[0].caseload_total if rows else 0  # annotated above
            return Page(rows, number, paginator)
    return paginator.get_page(page_number)


def caseload_filter_options(*, user: User) -> tuple[list[ProgrammeTemplate], list[Clinic]]:
    """The programme templates, and the clinics of the patients `user` may see (two queries)."""
    templates = list(ProgrammeTemplate.objects.order_by("key").only("key", "name_zh", "name_en"))
    visible = PatientProfile.objects.filter(_patient_q(user=user, prefix="user"))
    clinics = list(Clinic.objects.filter(pk__in=visible.values("clinic_id")).order_by("name"))
    return templates, clinics
