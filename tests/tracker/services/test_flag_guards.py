"""A resolved flag stays resolved: the evidence a therapist has dealt with never reopens it, nor
opens a new flag; only new evidence after the resolution does (CLINICAL.md §4, §4a)."""

from datetime import date, timedelta

import pytest

from tracker.models import Flag, FlagStatus
from tracker.services.checkins import checkin_submit
from tracker.services.flag_actions import flag_resolve

TODAY = date(2026, 3, 10)
CALM = {"back_pain": 2, "leg_pain": 2, "numbness": 0}

# rule -> the answers, by days ago, that make it fire on the last of them.
CASES = {
    "cauda_equina": {0: {"saddle_numbness": True}},
    "motor_deficit": {0: {"can_walk_on_toes": False}},
    "sudden_worsening": {1: {"leg_pain": 2}, 0: {"leg_pain": 6}},
    "night_pain": {1: {"night_pain": True}, 0: {"night_pain": True}},
    "claudication": {0: {"stopped_walking": True}},
}


def submit(patient, days_ago: int, **answers):
    return checkin_submit(
        patient=patient, on=TODAY - timedelta(days=days_ago), answers={**CALM, **answers}
    )


def flags(patient, rule):
    return list(Flag.objects.filter(patient=patient, rule=rule).order_by("pk"))


def open_and_resolve(patient, therapist, rule):
    for days_ago, answers in CASES[rule].items():
        submit(patient, days_ago, **answers)
    [flag] = flags(patient, rule)
    return flag_resolve(flag=flag, by=therapist, note="Seen, dealt with")


@pytest.mark.parametrize("rule", list(CASES))
def test_resubmitting_the_same_checkin_after_resolution_reopens_nothing(
    patient, therapist, now, rule
):
    resolved = open_and_resolve(patient, therapist, rule)

    # The patient's app sends the same check-in again (a retry, or the form sent twice).
    days_ago, answers = list(CASES[rule].items())[-1]
    outcome = submit(patient, days_ago, **answers)

    assert rule not in {flag.rule for flag in outcome.flags}
    assert [(f.pk, f.status) for f in flags(patient, rule)] == [(resolved.pk, FlagStatus.RESOLVED)]


def test_late_data_about_settled_days_does_not_open_a_new_flag(patient, therapist, now):
    submit(patient, 2, leg_pain=2)
    submit(patient, 0, leg_pain=6)  # 2 -> 6: sudden worsening today
    resolved = flag_resolve(flag=Flag.objects.get(rule="sudden_worsening"), by=therapist)

    # Yesterday's paper diary typed in late: 2 -> 1 -> 6, today is still a jump of 5, but it is
    # the jump the therapist has already seen.
    submit(patient, 1, leg_pain=1)

    assert [(f.pk, f.status) for f in flags(patient, "sudden_worsening")] == [
        (resolved.pk, FlagStatus.RESOLVED)
    ]


def test_a_later_checkin_that_does_not_meet_the_rule_opens_nothing(patient, therapist, now):
    open_and_resolve(patient, therapist, "sudden_worsening")

    submit(patient, 0, leg_pain=5)  # a correction of today, 2 -> 5: not a jump of 3

    assert [f.status for f in flags(patient, "sudden_worsening")] == [FlagStatus.RESOLVED]


def test_night_pain_already_seen_does_not_open_a_new_flag_the_next_day(patient, therapist, now):
    # Night pain on days -2 and -1: resolved. Day 0 without night pain still has 2 of the last 3
    # nights, but they are the nights the therapist dealt with.
    submit(patient, 2, night_pain=True)
    submit(patient, 1, night_pain=True)
    resolved = flag_resolve(flag=Flag.objects.get(rule="night_pain"), by=therapist)

    submit(patient, 0)

    assert [(f.pk, f.status) for f in flags(patient, "night_pain")] == [
        (resolved.pk, FlagStatus.RESOLVED)
    ]


@pytest.mark.parametrize("rule", list(CASES))
def test_new_evidence_after_the_resolution_opens_a_new_flag(patient, therapist, now, rule):
    # Everything shifted two days back, resolved, then the same pattern again up to today.
    for days_ago, answers in CASES[rule].items():
        submit(patient, days_ago + 3, **answers)
    flag_resolve(flag=Flag.objects.get(rule=rule), by=therapist, note="Reviewed; cleared")
    submit(patient, 2)
    for days_ago, answers in CASES[rule].items():
        submit(patient, days_ago, **answers)

    first, second = flags(patient, rule)
    assert (first.status, second.status) == (FlagStatus.RESOLVED, FlagStatus.OPEN)
    assert second.latest_evidence["date"] == TODAY.isoformat()
