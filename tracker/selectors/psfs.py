"""Reads of a patient's PSFS: activities, the mean per rating date, the change from intake."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from tracker import charts
from tracker.models import PSFS_SCORE_MAX, PsfsActivity, PsfsRating, User
from tracker.outcomes import PsfsScore, psfs_change, psfs_is_due, psfs_scores


@dataclass
class PsfsSummary:
    activities: list[PsfsActivity]
    scores: list[PsfsScore]
    today: date
    # activity id -> {rated_on: score}
    ratings: dict[int, dict[date, int]] = field(default_factory=dict)

    @property
    def intake(self) -> PsfsScore | None:
        return self.scores[0] if self.scores else None

    @property
    def latest(self) -> PsfsScore | None:
        return self.scores[-1] if self.scores else None

    @property
    def change(self) -> float | None:
        return self._change()[0]

    @property
    def direction(self) -> str | None:
        return self._change()[1]

    def _change(self) -> tuple[float | None, str | None]:
        if len(self.scores) < 2:
            return None, None
        return psfs_change(self.scores[0].mean, self.scores[-1].mean)

    @property
    def last_rated_on(self) -> date | None:
        return self.latest.on if self.latest else None

    @property
    def is_due(self) -> bool:
        return bool(self.activities) and psfs_is_due(
            last_rated_on=self.last_rated_on, today=self.today
        )

    @property
    def can_add(self) -> bool:
        from tracker.models import PSFS_MAX_ACTIVITIES

        return len(self.activities) < PSFS_MAX_ACTIVITIES

    def rows(self) -> list[tuple[PsfsActivity, int | None, int | None]]:
        """Each activity with its score at intake and its latest score."""
        out = []
        for activity in self.activities:
            rated = self.ratings.get(activity.pk, {})
            first = rated[min(rated)] if rated else None
            last = rated[max(rated)] if rated else None
            out.append((activity, first, last))
        return out

    def chart(
        self, *, start: date | None = None, end: date | None = None, width: int = 720
    ) -> charts.Chart:
        """The mean score on the pages' line chart (0-10, as the symptom charts)."""
        end = end or self.today
        start = start or (self.intake.on if self.intake else end - timedelta(days=29))
        start = min(start, end - timedelta(days=13))
        return charts.line_chart(
            {"psfs": [(s.on, s.mean) for s in self.scores]},
            start=start,
            end=end,
            width=width,
            height=150 if width >= 600 else 170,
            top_value=PSFS_SCORE_MAX,
            # Ratings are two weeks apart: join them, a gap of a month or more breaks the line.
            max_gap_days=31,
        )


def psfs_summary(*, patient: User, today: date) -> PsfsSummary:
    """Two queries, one when the patient has no activities (a rating belongs to an activity, so
    there is none to read; issue 16). `patient` is one the caller may see (patient_get)."""
    activities = list(PsfsActivity.objects.filter(patient=patient).order_by("slot"))
    ratings = (
        list(
            # By the activities just read: no join back to the patient.
            PsfsRating.objects.filter(
                activity_id__in=[activity.pk for activity in activities], rated_on__lte=today
            ).values_list("activity_id", "rated_on", "score")
        )
        if activities
        else []
    )
    by_activity: dict[int, dict[date, int]] = {}
    for activity_id, on, score in ratings:
        by_activity.setdefault(activity_id, {})[on] = score
    return PsfsSummary(
        activities=activities,
        scores=psfs_scores((on, score) for _a, on, score in ratings),
        today=today,
        ratings=by_activity,
    )


def psfs_export(*, patient: User) -> dict[str, Any]:
    """The PSFS part of the patient's data export: activities, ratings and the mean per date."""
    activities = PsfsActivity.objects.filter(patient=patient).select_related("created_by")
    ratings = PsfsRating.objects.filter(activity__patient=patient).select_related("activity")
    scores = psfs_scores(ratings.values_list("rated_on", "score"))
    return {
        "activities": [
            {
                "id": a.public_id,
                "slot": a.slot,
                "text": a.text,
                "created_by": a.created_by.username,
                "created_at": a.created_at,
            }
            for a in activities.order_by("slot")
        ],
        "ratings": [
            {"activity": r.activity.public_id, "rated_on": r.rated_on, "score": r.score}
            for r in ratings.order_by("rated_on", "activity__slot")
        ],
        "scores": [
            {
                "rated_on": s.on,
                "mean": s.mean,
                "activities_rated": s.rated,
                "change_from_intake": psfs_change(scores[0].mean, s.mean)[0],
                "reading": psfs_change(scores[0].mean, s.mean)[1],
            }
            for s in scores
        ],
    }
