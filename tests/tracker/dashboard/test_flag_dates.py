"""Flags tell their age on the therapist's pages (CLINICAL.md §4a): opened on the first evidence,
the latest evidence, "no new evidence since" after 7 days, fresh before stale."""

import re

import pytest

from tests.tracker.dashboard.support import TODAY, add_flag, days_ago, set_evidence
from tracker.services.checkins import checkin_submit

CALM = {"back_pain": 2, "leg_pain": 3, "numbness": 1}


def names_in_order(body: str) -> list[str]:
    return re.findall(r'<th scope="row" class="name">\s*<a href="[^"]+">([^<]+)</a>', body)


@pytest.mark.parametrize(("age", "stale"), [(6, False), (7, True)])
def test_the_caseload_shows_the_opened_and_latest_evidence_dates(
    staff_client, therapist, make_patient, now, age, stale
):
    patient = make_patient("Lin")
    add_flag(patient, "night_pain", on=days_ago(age), opened_on=days_ago(age + 5))

    body = staff_client(therapist).get("/therapist/").content.decode()

    opened = days_ago(age + 5).isoformat()
    last = days_ago(age).isoformat()
    assert f"opened {opened}" in body
    assert (f"no new evidence since {last}" in body) is stale
    assert (f"latest evidence {last}" in body) is not stale


def test_a_stale_flag_sorts_below_a_fresh_one_of_its_severity_not_below_a_milder_one(
    staff_client, therapist, make_patient, now
):
    stale_high = make_patient("Stale High")
    fresh_high = make_patient("Fresh High")
    fresh_medium = make_patient("Fresh Medium")
    stale_urgent = make_patient("Stale Urgent")
    add_flag(stale_high, "claudication", on=days_ago(8))
    add_flag(fresh_high, "numbness_worsening", on=days_ago(1))
    add_flag(fresh_medium, "night_pain", on=TODAY)
    add_flag(stale_urgent, "cauda_equina", on=days_ago(20))

    body = staff_client(therapist).get("/therapist/").content.decode()

    assert names_in_order(body) == ["Stale Urgent", "Fresh High", "Stale High", "Fresh Medium"]


def test_the_patient_page_shows_both_answers_after_a_correction(
    staff_client, therapist, patient, now
):
    checkin_submit(patient=patient, on=TODAY, answers={**CALM, "saddle_numbness": True})
    checkin_submit(patient=patient, on=TODAY, answers=CALM)  # the patient un-ticks it

    page = staff_client(therapist).get(f"/therapist/patients/{patient.public_id}/")
    body = page.content.decode()

    assert "Answer changed by the patient at 2026-03-10" in body
    assert "saddle numbness: <s>yes</s> → <strong>no</strong>" in body
    assert "The flag stays open: you were told of it." in body
    assert (
        f"opened {TODAY.isoformat()}" in staff_client(therapist).get("/therapist/").content.decode()
    )


def test_the_evidence_strips_under_the_charts_name_their_flag(
    staff_client, therapist, patient, now
):
    for n in (3, 2, 1):
        checkin_submit(patient=patient, on=days_ago(n), answers={**CALM, "night_pain": True})
    checkin_submit(patient=patient, on=TODAY, answers={**CALM, "saddle_numbness": True})

    body = staff_client(therapist).get(f"/therapist/patients/{patient.public_id}/").content
    lanes = re.findall(
        r'<g class="lane sev-(\w+)"><text class="lane-label"[^>]*>([^<]+)</text>', body.decode()
    )

    # One strip per flag, most severe first, each labelled, on every chart.
    assert lanes[:2] == [
        ("urgent", "Bowel/bladder trouble or saddle numbness"),
        ("medium", "Night pain stopping sleep"),
    ]


def test_a_withdrawn_flag_stays_in_the_history_but_draws_no_evidence_strip(
    staff_client, therapist, patient, now
):
    checkin_submit(patient=patient, on=days_ago(1), answers={**CALM, "leg_pain": 2})
    checkin_submit(patient=patient, on=TODAY, answers={**CALM, "leg_pain": 6})  # +4: sudden
    checkin_submit(patient=patient, on=TODAY, answers={**CALM, "leg_pain": 3})  # corrected

    body = staff_client(therapist).get(f"/therapist/patients/{patient.public_id}/").content
    body = body.decode()

    assert "the patient corrected the answer before anyone was told" in body
    assert '<g class="lane' not in body


def test_a_long_evidence_history_shows_the_latest_runs_and_folds_the_rest(
    staff_client, therapist, patient, now
):
    # Evidence every other day for 200 days: 100 runs of one day each.
    flag = add_flag(patient, "night_pain")
    set_evidence(flag, [{"date": days_ago(n).isoformat()} for n in range(0, 200, 2)])

    body = staff_client(therapist).get(f"/therapist/patients/{patient.public_id}/").content
    card = body.decode().split('class="flag-card')[1].split("</article>")[0]

    assert "100 days:" in card
    shown = card.split("100 days:")[1].split("<details")[0]
    assert shown.count("<time ") == 5  # the latest five runs
    assert f'<time datetime="{TODAY.isoformat()}">' in shown
    assert f"All 100 periods since {days_ago(198).isoformat()}" in card
    assert f"{days_ago(198).isoformat()}, {days_ago(196).isoformat()}, " in card


def test_an_evidence_strip_draws_a_run_of_days_as_one_band(staff_client, therapist, patient, now):
    flag = add_flag(patient, "night_pain")
    set_evidence(flag, [{"date": days_ago(n).isoformat()} for n in (*range(10), 20, 21)])

    body = staff_client(therapist).get(f"/therapist/patients/{patient.public_id}/").content
    lane = body.decode().split('<g class="lane sev-medium">')[1].split("</g>")[0]

    assert lane.count("<rect ") == 2  # days 21-20, and days 9-0
