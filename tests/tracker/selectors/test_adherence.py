"""One definition of adherence (tracker/selectors/adherence.py) on every surface: the caseload,
the therapist's patient page, the API and the adherence_drop rule, across programme versions."""

from datetime import date, timedelta

import pytest

from exercises.models import Exercise
from tracker.models import AssignmentItem, Flag, ProgrammeAssignment, SessionLog
from tracker.selectors.adherence import Version, adherence_for_rule, adherence_versions, tally
from tracker.services.checkins import checkin_submit

TODAY = date(2026, 3, 10)  # the `now` fixture's date in Shanghai
CHANGED_ON = TODAY - timedelta(days=2)  # the programme changes mid-week


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def version(patient, therapist, number, starts_on, exercises, *, is_current):
    assignment = ProgrammeAssignment.objects.create(
        patient=patient,
        version=number,
        starts_on=starts_on,
        created_by=therapist,
        is_current=is_current,
    )
    for position, exercise in enumerate(exercises):
        AssignmentItem.objects.create(
            assignment=assignment, exercise=exercise, position=position, days_per_week=7
        )
    return assignment


def log(patient, pairs):
    SessionLog.objects.bulk_create(
        SessionLog(
            patient=patient,
            exercise=exercise,
            performed_at=f"{on.isoformat()}T0{k % 10}:00:00Z",
            performed_on=on,
        )
        for k, (on, exercise) in enumerate(pairs)
    )


def programme_changed_mid_week(patient, therapist, *, done: int, extra: bool = False):
    """v1 (4 exercises, every day) for 60 days, then from CHANGED_ON v2: three of them and a
    new one. Over the last 7 days 28 sessions are owed; the first `done` of them are logged.
    With `extra`, also a second session of one exercise and a session of an exercise outside
    the programme on the same day: neither counts."""
    e1, e2, e3, e4, e5, free = Exercise.objects.order_by("key")[:6]
    version(patient, therapist, 1, days_ago(60), [e1, e2, e3, e4], is_current=False)
    version(patient, therapist, 2, CHANGED_ON, [e1, e2, e3, e5], is_current=True)
    slots = []
    for n in range(6, -1, -1):
        on = days_ago(n)
        for exercise in [e1, e2, e3, e4] if on < CHANGED_ON else [e1, e2, e3, e5]:
            slots.append((on, exercise))
    assert len(slots) == 28
    pairs = slots[:done]
    if extra:
        pairs += [(days_ago(6), e1), (days_ago(0), free), (days_ago(1), free)]
    log(patient, pairs)


def caseload(staff_client, therapist) -> str:
    return staff_client(therapist).get("/therapist/").content.decode()


def patient_page(staff_client, therapist, patient) -> str:
    return staff_client(therapist).get(f"/therapist/patients/{patient.public_id}/").content.decode()


def test_a_programme_change_mid_week_keeps_the_7_day_figure_on_every_surface(
    staff_client, api, therapist, patient, now
):
    programme_changed_mid_week(patient, therapist, done=22)

    assert "22 / 28" in caseload(staff_client, therapist)  # it used to restart: "x / 12"
    assert "(79 %)" in caseload(staff_client, therapist)
    assert "Last 7 days: 22 of 28." in patient_page(staff_client, therapist, patient)
    data = api(therapist).get(f"/api/v1/patients/{patient.public_id}/adherence/").json()
    assert (data["last_7"]["done"], data["last_7"]["prescribed"]) == (22, 28.0)
    assert data["last_7"]["start"] == days_ago(6).isoformat()
    versions = adherence_versions(patient_ids=[patient.pk])[patient.pk]
    facts = adherence_for_rule(patient=patient, versions=versions, t=TODAY)
    assert (facts["done_last_7"], facts["prescribed_last_7"]) == (22, 28)

    outcome = checkin_submit(
        patient=patient, on=TODAY, answers={"back_pain": 2, "leg_pain": 2, "numbness": 0}
    )
    assert "adherence_drop" not in {flag.rule for flag in outcome.flags}


def test_the_rule_judges_the_same_figure_the_caseload_shows(staff_client, therapist, patient, now):
    # 13 of 28 owed sessions (46 %), plus a repeat and two sessions outside the programme: 16
    # sessions logged, but still 13 of 28 done.
    programme_changed_mid_week(patient, therapist, done=13, extra=True)

    checkin_submit(
        patient=patient, on=TODAY, answers={"back_pain": 2, "leg_pain": 2, "numbness": 0}
    )

    flag = Flag.objects.get(patient=patient, rule="adherence_drop")
    evidence = flag.latest_evidence
    assert (evidence["done_last_7_days"], evidence["prescribed_last_7_days"]) == (13, 28)
    assert evidence["clause"] == "below_half"
    assert "13 / 28" in caseload(staff_client, therapist)
    assert "13 of 28 prescribed sessions done in the last 7 days." in patient_page(
        staff_client, therapist, patient
    )


@pytest.mark.parametrize(("done", "fires"), [(14, False), (13, True)])
def test_the_rule_fires_under_half_of_the_sessions_owed_across_the_change(
    therapist, patient, now, done, fires
):
    programme_changed_mid_week(patient, therapist, done=done)

    checkin_submit(
        patient=patient, on=TODAY, answers={"back_pain": 2, "leg_pain": 2, "numbness": 0}
    )

    assert Flag.objects.filter(patient=patient, rule="adherence_drop").exists() is fires


def test_sessions_stopped_once_pain_eased_has_its_own_clause_and_text(
    staff_client, therapist, patient, now
):
    e1 = Exercise.objects.order_by("key").first()
    version(patient, therapist, 1, days_ago(60), [e1], is_current=True)
    log(patient, [(days_ago(n), e1) for n in range(7, 14)])  # every day the week before
    for n in range(13, 6, -1):
        checkin_submit(
            patient=patient, on=days_ago(n), answers={"back_pain": 6, "leg_pain": 5, "numbness": 0}
        )
    for n in range(6, -1, -1):
        checkin_submit(
            patient=patient, on=days_ago(n), answers={"back_pain": 3, "leg_pain": 3, "numbness": 0}
        )

    flag = Flag.objects.get(patient=patient, rule="adherence_drop")
    assert flag.latest_evidence["clause"] == "stopped_after_pain_eased"
    assert flag.latest_evidence["pain_mean"] == [6, 3]
    body = patient_page(staff_client, therapist, patient)
    assert "Sessions stopped once pain eased: 0 of 7 done in the last 7 days after 7" in body
    assert "6.0 → 3.0 (−3.0)" in body


# --- the definition itself, on plain data ---------------------------------------------------

MON = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("versions", "done", "expected"),
    [
        # Two items, 7 and 5 days a week: 12 owed a week.
        ([Version(1, MON, ((1, 7), (2, 5)))], set(), (0, 12)),
        # Exercise 2 done every day: it counts 5 at most; doing it more does not make up for 1.
        ([Version(1, MON, ((1, 7), (2, 5)))], {(MON + timedelta(d), 2) for d in range(7)}, (5, 12)),
        # A version starting mid-week: the days before it owe what the earlier one prescribed.
        ([Version(2, MON + timedelta(3), ((3, 7),)), Version(1, MON, ((1, 7),))], set(), (0, 7)),
        # Exercise 1 logged on days the later version no longer prescribes it: not counted.
        (
            [Version(2, MON + timedelta(3), ((3, 7),)), Version(1, MON, ((1, 7),))],
            {(MON + timedelta(d), 1) for d in range(7)},
            (3, 7),
        ),
        # A version without items prescribes nothing from its start.
        ([Version(2, MON + timedelta(4), ()), Version(1, MON, ((1, 7),))], set(), (0, 4)),
        # Nothing had started yet.
        ([Version(1, MON + timedelta(7), ((1, 7),))], set(), (0, 0)),
    ],
)
def test_tally_per_day_by_the_version_in_force(versions, done, expected):
    week = tally(versions, done, start=MON, end=MON + timedelta(days=6))
    assert (week.done, week.prescribed) == expected


def test_tally_rounds_each_exercises_owed_sessions_up():
    # 3 days of a 5-days-a-week item owe 15/7 = 2.14 sessions: 3 days done count 3 (rounded up).
    versions = [Version(1, MON, ((1, 5),))]
    done = {(MON + timedelta(d), 1) for d in range(3)}
    part = tally(versions, done, start=MON, end=MON + timedelta(days=2))
    assert part.done == 3 and float(part.prescribed) == pytest.approx(15 / 7)
