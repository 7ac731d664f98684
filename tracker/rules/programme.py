"""Rules about the programme and the reporting habit (CLINICAL.md §4): conservative care that
does not help, sessions dropped, check-ins stopped."""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.rules.history import Facts, Finding, History, days_back, mean, rounded
from tracker.rules.thresholds import (
    ADHERENCE_MIN_PERCENT,
    ADHERENCE_PAIN_EASED_POINTS,
    ADHERENCE_WINDOW_DAYS,
    CONSERVATIVE_BASELINE_CHECKINS,
    CONSERVATIVE_CARE_DAYS,
    CONSERVATIVE_IMPROVEMENT_PERCENT,
    CONSERVATIVE_MEAN_DAYS,
    MISSING_CHECKINS_DAYS,
)


def conservative_failure(history: History, t: date, facts: Facts) -> Finding | None:
    # A1, A3: after 3 months of conservative care without real improvement (leg pain not 30 %
    # better), refer for surgical assessment.
    started = facts.programme_started_on
    if started is None or (t - started).days <= CONSERVATIVE_CARE_DAYS or history.on(t) is None:
        return None
    baseline = mean(
        [d.leg_pain for d in history.first(CONSERVATIVE_BASELINE_CHECKINS, since=started)]
    )
    current = mean([d.leg_pain for d in history.last_days(t, CONSERVATIVE_MEAN_DAYS)])
    # 30 % better: at most 70 % of the baseline is left (integer percent, exact).
    if not baseline or current is None:
        return None
    if 100 * current <= (100 - CONSERVATIVE_IMPROVEMENT_PERCENT) * baseline:
        return None
    return Finding(
        "conservative_failure",
        {
            "date": t.isoformat(),
            "programme_started_on": started.isoformat(),
            "leg_pain_baseline": rounded(baseline),
            "leg_pain_3_day_mean": rounded(current),
        },
    )


def _sessions(value: float) -> float | int:
    # Sessions owed can be a fraction (a 5-days-a-week item owes 5/7 a day); show one decimal.
    return int(value) if float(value).is_integer() else round(float(value), 1)


def adherence_drop(history: History, t: date, facts: Facts) -> Finding | None:
    # A3 (myth 2): core training must go on 1-3 months after pain eases; stopping then is an
    # adherence problem, not recovery. Two clauses: under half of the prescribed sessions of the
    # last 7 days ("below_half"), or none at all after some the week before while the weekly
    # pain mean fell by the MCID ("stopped_after_pain_eased", the more specific reading).
    if facts.prescribed_last_7 <= 0:
        return None
    below_half = 100 * facts.done_last_7 < ADHERENCE_MIN_PERCENT * facts.prescribed_last_7
    evidence: dict[str, Any] = {
        "date": t.isoformat(),
        "prescribed_last_7_days": _sessions(facts.prescribed_last_7),
        "done_last_7_days": facts.done_last_7,
        "done_previous_7_days": facts.done_previous_7,
        "stopped_after_pain_eased": False,
    }
    if facts.done_last_7 == 0 and facts.done_previous_7 > 0:
        width = ADHERENCE_WINDOW_DAYS
        recent = mean([d.pain for d in history.last_days(t, width)])
        prior = mean(
            [d.pain for d in history.window(days_back(t, 2 * width - 1), days_back(t, width))]
        )
        if recent is not None and prior is not None:
            evidence["pain_mean"] = [rounded(prior), rounded(recent)]
            evidence["stopped_after_pain_eased"] = recent <= prior - ADHERENCE_PAIN_EASED_POINTS
    if evidence["stopped_after_pain_eased"]:
        evidence["clause"] = "stopped_after_pain_eased"
    elif below_half:
        evidence["clause"] = "below_half"
    else:
        return None
    return Finding("adherence_drop", evidence)


def missing_checkins(history: History, today: date) -> Finding | None:
    # No article: a patient who stops reporting cannot be watched. Three days without a check-in.
    if not history.days:
        return None
    latest = history.days[-1].on
    gap = (today - latest).days
    if gap < MISSING_CHECKINS_DAYS:
        return None
    return Finding(
        "missing_checkins",
        {"today": today.isoformat(), "last_checkin": latest.isoformat(), "days": gap},
    )
