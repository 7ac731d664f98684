"""Flags kept in step with the rules: one per rule, evidence added, order of arrival irrelevant."""

import random
from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import translation

from reminders.models import Delivery, DigestItem, InboxMessage
from tracker.models import CheckIn, Flag, FlagStatus
from tracker.rules import Facts, History, evaluate
from tracker.services.checkins import checkin_submit
from tracker.services.flag_actions import flag_acknowledge, flag_resolve
from tracker.services.flag_history import DAY_FIELDS, day_from_row, patient_history
from tracker.services.flags import flags_sweep

TODAY = date(2026, 3, 10)
CALM = {"back_pain": 2, "leg_pain": 3, "numbness": 1}


def submit(patient, days_ago: int, **answers):
    return checkin_submit(
        patient=patient, on=TODAY - timedelta(days=days_ago), answers={**CALM, **answers}
    )


def summary(patient):
    """The flags in force (withdrawn ones are only a record of what a correction took back)."""
    return sorted(
        (flag.rule, flag.status, tuple(entry["date"] for entry in flag.evidence))
        for flag in Flag.objects.filter(patient=patient).exclude(status=FlagStatus.WITHDRAWN)
    )


def test_bladder_trouble_opens_an_urgent_flag_and_tells_the_care_team_at_once(
    patient, therapist, now
):
    outcome = submit(patient, 0, bowel_bladder_change=True)

    assert outcome.is_urgent
    assert [flag.rule for flag in outcome.flags] == ["cauda_equina"]
    assert "急诊" in outcome.emergency_advice
    sent = Delivery.objects.filter(user=therapist, idempotency_key__startswith="flag:")
    assert {row.channel for row in sent} == {"push", "email"}
    assert all("Urgent" in row.title for row in sent)
    assert InboxMessage.objects.get(user=therapist).url.endswith(f"{patient.public_id}/")


def test_a_calm_checkin_opens_nothing(patient, now):
    for days_ago in (2, 1, 0):
        outcome = submit(patient, days_ago)
    assert outcome.flags == [] and not outcome.is_urgent
    assert Flag.objects.count() == 0


def test_new_evidence_updates_the_one_open_flag_of_a_rule(patient, now):
    submit(patient, 1, can_walk_on_heels=False)
    submit(patient, 0, can_walk_on_toes=False)

    (flag,) = Flag.objects.filter(patient=patient)
    assert flag.rule == "motor_deficit"
    assert [entry["date"] for entry in flag.evidence] == ["2026-03-09", "2026-03-10"]
    assert flag.last_evidence_on == TODAY


def test_after_a_resolution_a_recurrence_opens_a_new_flag(patient, therapist, now):
    submit(patient, 2, saddle_numbness=True)
    first = Flag.objects.get()
    flag_resolve(flag=first, by=therapist, note="Seen in A&E, cleared")
    submit(patient, 1)
    submit(patient, 0, saddle_numbness=True)

    first.refresh_from_db()
    assert first.status == FlagStatus.RESOLVED
    assert first.resolved_by == therapist and first.resolved_note == "Seen in A&E, cleared"
    second = Flag.objects.exclude(pk=first.pk).get()
    assert second.status == FlagStatus.OPEN
    assert [entry["date"] for entry in second.evidence] == ["2026-03-10"]


def test_an_acknowledged_flag_stays_acknowledged_and_gathers_evidence(patient, therapist, now):
    submit(patient, 1, night_pain=True)
    submit(patient, 0, night_pain=True)
    flag = flag_acknowledge(flag=Flag.objects.get(), by=therapist, note="Will call")
    submit(patient, 0, night_pain=True, back_pain=3)

    flag.refresh_from_db()
    assert (flag.rule, flag.status, flag.acknowledged_by) == (
        "night_pain",
        "acknowledged",
        therapist,
    )
    assert flag.acknowledged_note == "Will call"


def test_a_resolved_flag_cannot_be_acknowledged(patient, therapist, now):
    submit(patient, 0, stopped_walking=True)
    flag = flag_resolve(flag=Flag.objects.get(), by=therapist)

    with translation.override("en"), pytest.raises(Exception, match="already closed"):
        flag_acknowledge(flag=flag, by=therapist)


def pain_down_numbness_up_fortnight() -> list[dict]:
    """A2's warning pattern: leg pain easing from 7 to 5 while numbness climbs from 2 to 5."""
    days = []
    for n in range(14):
        late = n >= 7
        days.append(
            {
                "days_ago": 13 - n,
                "back_pain": 4,
                "leg_pain": 5 if late else 7,
                "numbness": 5 if late else 2,
            }
        )
    return days


def test_pain_down_numbness_up_is_flagged_with_the_two_weeks_compared(patient, therapist, now):
    for day in pain_down_numbness_up_fortnight():
        submit(patient, day.pop("days_ago"), **day)

    flag = Flag.objects.get(patient=patient, rule="pain_down_numbness_up")
    assert flag.severity == "high"
    assert flag.latest_evidence["numbness_mean"] == [2, 5]
    assert flag.latest_evidence["leg_pain_mean"] == [7, 5]
    assert DigestItem.objects.filter(user=therapist, key__startswith=f"flag:{flag.public_id}")


def mixed_history(seed: int) -> list[dict]:
    rng = random.Random(seed)
    days = []
    for n in range(30):
        days.append(
            {
                "days_ago": 29 - n,
                "back_pain": rng.randint(1, 8),
                "leg_pain": rng.randint(1, 8),
                "numbness": min(10, n // 4),
                "night_pain": rng.random() < 0.3,
                "stopped_walking": rng.random() < 0.1,
                "walking_minutes": rng.choice([None, 30, 25, 12]),
                "numbness_areas": rng.choice([["left_buttock"], ["left_outer_calf"], []]),
            }
        )
    return days


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_flags_depend_on_the_data_not_the_order_it_arrives_in(patient, other_patient, now, seed):
    history = mixed_history(seed)
    for day in history:
        submit(patient, **day)
    shuffled = history[:]
    random.Random(seed).shuffle(shuffled)
    for day in shuffled:
        submit(other_patient, **day)

    assert summary(patient) == summary(other_patient)
    assert summary(patient), "the data set should raise some flags"


def test_late_data_that_undoes_a_finding_withdraws_the_untouched_flag(patient, now):
    submit(patient, 2, leg_pain=2)
    submit(patient, 0, leg_pain=6)
    assert summary(patient) == [("sudden_worsening", "open", ("2026-03-10",))]

    # The day in between arrives late (an offline diary): 2 -> 5 -> 6 is no sudden jump.
    submit(patient, 1, leg_pain=5)

    assert summary(patient) == [("sudden_worsening", "open", ("2026-03-09",))]


def test_missing_checkins_opens_by_sweep_and_closes_with_a_checkin(patient, now):
    submit(patient, 3)
    assert flags_sweep() == 1
    assert flags_sweep() == 0  # one open flag per rule
    flag = Flag.objects.get(rule="missing_checkins")
    assert flag.latest_evidence["days"] == 3

    submit(patient, 0)

    flag.refresh_from_db()
    assert flag.status == FlagStatus.RESOLVED
    assert flag.resolved_by is None


def test_missing_checkins_waits_for_the_third_day(patient, now):
    submit(patient, 2)
    assert flags_sweep() == 0


def test_flags_sweep_command_runs_the_same_sweep(patient, now, capsys):
    submit(patient, 5)
    call_command("flags_sweep")
    assert "Opened 1" in capsys.readouterr().out
    assert Flag.objects.filter(rule="missing_checkins", status="open").count() == 1


def test_sweep_uses_each_patients_own_calendar(patient, now):
    submit(patient, 2)
    # 2026-03-10 23:30 UTC is already 03-11 in Shanghai: three days since 03-08.
    with time_machine.travel("2026-03-10 23:30:00+00:00", tick=False):
        assert flags_sweep() == 1


def patient_history_full(*, patient) -> History:
    """The oracle: every check-in the patient ever made."""
    rows = CheckIn.objects.filter(patient=patient).order_by("date").values_list(*DAY_FIELDS)
    return History([day_from_row(row) for row in rows])


@pytest.mark.parametrize("seed", [11, 12, 13, 14])
def test_the_bounded_history_read_judges_like_the_whole_history(patient, now, seed):
    """flags_evaluate_for_checkin reads a bounded slice of the history (so its cost does not grow
    with it); on every date it judges, the rules must find exactly what they find on the whole."""
    rng = random.Random(seed)
    start = TODAY - timedelta(days=200)
    level = rng.choice([2, 5])
    rows = []
    for n in range(201):
        if rng.random() < 0.2:
            continue  # days without a check-in
        if n % 50 == 0:
            level = rng.choice([2, 5, 6])  # long runs of pain >= 4, broken now and then
        rows.append(
            CheckIn(
                patient=patient,
                date=start + timedelta(days=n),
                back_pain=max(0, min(10, level + rng.randint(-1, 1))),
                leg_pain=max(0, min(10, level + rng.randint(-2, 1))),
                numbness=rng.choice([0, 0, 1, 3, 5]),
                numbness_areas=rng.choice([["left_buttock"], ["left_toes"], []]),
                stopped_walking=rng.random() < 0.05,
                walking_minutes=rng.choice([None, 40, 30, 15]),
                night_pain=rng.random() < 0.3,
            )
        )
    CheckIn.objects.bulk_create(rows)
    full = patient_history_full(patient=patient)
    facts = Facts(
        is_pregnant=True,
        programme_started_on=start + timedelta(days=20),
        numbness_episode_from=start + timedelta(days=rng.randint(0, 150)),
    )
    for since in (full.dates[-1], full.dates[-30], full.dates[len(full.dates) // 2]):
        bounded = patient_history(
            patient=patient,
            since=since,
            episode_from=facts.numbness_episode_from,
            programme_started_on=facts.programme_started_on,
        )
        assert len(bounded.days) < len(full.days)
        for when in (d for d in full.dates if d >= since):
            assert evaluate(bounded, when, facts) == evaluate(full, when, facts), when


def test_the_bounded_read_keeps_run_starts_and_the_previous_checkin_across_a_gap(patient, now):
    """Pain >= 4 on days 0-9, calm on 10-12, >= 4 again on 13-50 (leg pain dropping to 2 on day
    50), then silence until day 80. Judging day 80 needs the run's true start (day 13, not 0)
    and day 50 as the previous check-in (leg pain 2 -> 6: sudden worsening)."""
    start = TODAY - timedelta(days=80)

    def row(n, back, leg):
        return CheckIn(
            patient=patient,
            date=start + timedelta(days=n),
            back_pain=back,
            leg_pain=leg,
            numbness=1,
        )

    CheckIn.objects.bulk_create(
        [row(n, 6, 6) for n in range(10)]
        + [row(n, 2, 2) for n in range(10, 13)]
        + [row(n, 6, 6) for n in range(13, 50)]
        + [row(50, 6, 2), row(80, 6, 6)]
    )
    bounded = patient_history(patient=patient, since=TODAY)
    findings = {f.rule: f for f in evaluate(bounded, TODAY, Facts())}

    assert findings["persistent_pain"].evidence["since"] == (start + timedelta(days=13)).isoformat()
    assert (
        findings["sudden_worsening"].evidence["previous_date"]
        == (start + timedelta(days=50)).isoformat()
    )
    assert evaluate(bounded, TODAY, Facts()) == evaluate(
        patient_history_full(patient=patient), TODAY, Facts()
    )
    assert len(bounded.days) < 15
