from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tracker.dashboard.support import (
    TODAY,
    add_checkins,
    add_flag,
    add_programme,
    add_sessions,
    days_ago,
)
from tracker.models import CheckIn, FlagEvidence
from tracker.selectors.patient_page import _range_and_first_rows
from tracker.services.assignments import assignment_change
from tracker.services.checkins import checkin_submit


def page_url(user) -> str:
    return f"/therapist/patients/{user.public_id}/"


def test_the_page_shows_three_charts_with_flags_on_the_time_line(
    staff_client, therapist, patient, now
):
    add_checkins(patient, range(1, 20))
    checkin_submit(
        patient=patient,
        on=TODAY,
        answers={"back_pain": 3, "leg_pain": 4, "numbness": 2, "can_walk_on_heels": False},
    )

    body = staff_client(therapist).get(page_url(patient)).content.decode()

    assert body.count('<figure class="chart"') == 3
    for label in ("Back pain", "Leg pain", "Numbness"):
        assert label in body
    assert body.count('<g class="marker sev-urgent">') == 3  # one per chart, on today
    assert "2026-03-10: Cannot walk on heels or toes" in body
    assert "Last 30 days, 20 check-ins: first 4, latest 4, lowest 4, highest 4." in body


@pytest.mark.parametrize(("asked", "shown"), [("90", 90), ("365", 365), ("7", 30), ("x", 30)])
def test_the_range_is_30_90_or_365_days(staff_client, therapist, patient, asked, shown, now):
    add_checkins(patient, [0, 100, 300])

    body = staff_client(therapist).get(page_url(patient), {"range": asked}).content.decode()

    assert f'href="?range={shown}" aria-current="page"' in body
    expected = {30: 1, 90: 1, 365: 3}[shown]
    assert f"{expected} check-in" in body


def test_change_needs_two_checkins_in_each_window(staff_client, therapist, patient, now):
    # First week: days 40-34 (two check-ins); previous week: one check-in; last 7 days: three.
    CheckIn.objects.bulk_create(
        [
            CheckIn(patient=patient, date=days_ago(40), back_pain=6, leg_pain=8, numbness=1),
            CheckIn(patient=patient, date=days_ago(38), back_pain=6, leg_pain=6, numbness=1),
            CheckIn(patient=patient, date=days_ago(10), back_pain=5, leg_pain=5, numbness=2),
            *[
                CheckIn(patient=patient, date=days_ago(n), back_pain=2, leg_pain=3, numbness=5)
                for n in (0, 1, 2)
            ],
        ]
    )

    body = staff_client(therapist).get(page_url(patient)).content.decode()

    # Against the first week: leg pain 7.0 -> 3.0, numbness 1.0 -> 5.0.
    assert "<strong>-4.0</strong>" in body
    assert "<strong>+4.0</strong>" in body
    # The previous week has a single check-in: no trend is drawn from one point.
    assert body.count("not enough data") == 3 * 2  # its mean and its change, for each measure
    assert "(n=1)" in body


@pytest.mark.parametrize("range_days", [30, 365])
def test_the_range_and_the_first_seven_checkins_come_from_one_statement(patient, now, range_days):
    # Before, within and after the range's start; one after today (a time zone ahead) left out.
    add_checkins(patient, [*range(40, 50), 35, 31, 29, 5, 0, -1])
    start = TODAY - timedelta(days=range_days - 1)

    with CaptureQueriesContext(connection) as queries:
        rows, first = _range_and_first_rows(patient, start=start, today=TODAY)

    assert len(queries) == 1
    dates = sorted(CheckIn.objects.filter(patient=patient, date__lte=TODAY).values_list("date"))
    assert [row["date"] for row in first] == [on for (on,) in dates[:7]]
    assert [row["date"] for row in rows] == [on for (on,) in dates if on >= start]


def test_a_new_patient_has_no_first_week_to_compare_with(staff_client, therapist, patient, now):
    add_checkins(patient, range(5))

    body = staff_client(therapist).get(page_url(patient)).content.decode()

    assert "<strong>" not in body.split('class="changes"')[1].split("</table>")[0]


def test_the_calendar_shows_sessions_done_against_prescribed(staff_client, therapist, patient, now):
    add_programme(patient, therapist, days_per_week=7)
    add_sessions(patient, [0, 1, 3])
    add_checkins(patient, [0])

    body = staff_client(therapist).get(page_url(patient)).content.decode()

    assert "3 of 30 prescribed sessions done." in body
    assert (
        '<td class="cal-done"><span class="day">03-10</span> <span class="count">1/1</span>' in body
    )
    assert '<td class="cal-missed"><span class="day">03-08</span>' in body
    assert "Days with data: 3 of 30." in body


def test_numbness_areas_are_counted_per_week(staff_client, therapist, patient, now):
    CheckIn.objects.bulk_create(
        CheckIn(
            patient=patient,
            date=days_ago(n),
            back_pain=2,
            leg_pain=2,
            numbness=4,
            numbness_areas=["left_buttock", "left_outer_calf"] if n < 2 else ["left_buttock"],
        )
        for n in range(3)  # Sun 8th, Mon 9th, Tue 10th March
    )

    body = staff_client(therapist).get(page_url(patient)).content.decode()
    areas = body.split('class="areas"')[1].split("</table>")[0]

    # Newest week first (issue 10: the 365-day table opens on the latest weeks).
    row = areas.split("Left · Outer calf</th>")[1].split("</tr>")[0]
    assert row.lstrip().startswith('<td class="shade-4">2/2</td><td class="shade-0">0/1</td>')
    buttock = areas.split("Left · Buttock</th>")[1].split("</tr>")[0]
    assert buttock.lstrip().startswith('<td class="shade-4">2/2</td><td class="shade-4">1/1</td>')


def test_the_programme_and_its_earlier_versions(staff_client, therapist, patient, now):
    assignment_change(patient=patient, therapist=therapist, template_key="disc_recovery")
    assignment_change(
        patient=patient, therapist=therapist, remove=["superman"], note="Less extension"
    )

    body = staff_client(therapist).get(page_url(patient)).content.decode()
    programme = body.split('id="programme-heading"')[1]

    assert "Version 2, from 2026-03-10" in programme
    assert "Less extension" in programme
    assert "Earlier versions" in programme and "<details>" in programme
    assert "Five-point bridge" in programme
    assert "Hold 10 s, 10 sets" in programme


def test_the_flag_history_lists_every_status_with_explanation_evidence_and_sources(
    staff_client, therapist, patient, now
):
    add_flag(patient, "night_pain", status="resolved", resolved_note="Slept fine since")
    flag = add_flag(patient, "sudden_worsening", on=days_ago(2))
    for n in (3, 2):
        FlagEvidence.objects.update_or_create(
            flag=flag,
            on=days_ago(n),
            defaults={
                "data": {
                    "date": days_ago(n).isoformat(),
                    "previous_date": days_ago(n + 1).isoformat(),
                }
            },
        )
    flag.opened_on = days_ago(3)
    flag.latest_evidence = {
        "date": days_ago(2).isoformat(),
        "previous_date": days_ago(3).isoformat(),
    }
    flag.save()

    body = staff_client(therapist).get(page_url(patient)).content.decode()
    flags = body.split('id="flags-heading"')[1].split("</section>")[0]

    assert flags.index("Sudden worsening of pain") < flags.index("Night pain stopping sleep")
    assert "Pain up ≥ 3 points since the previous check-in (2026-03-07 → 2026-03-08)." in flags
    assert '2 days:\n      <time datetime="2026-03-07">2026-03-07</time>–' in flags
    # Sources by their titles, linked to the product's page about each article; no file names.
    assert "Calf cramps with low back and buttock pain" in flags
    assert '<a href="/sources/a3/">' in flags
    assert ".txt" not in flags
    assert "Slept fine since" in flags
    # An open flag can be acknowledged and resolved; a resolved one has no forms.
    assert flags.count("/acknowledge/") == 1
    assert flags.count("/resolve/") == 1


def test_both_languages(staff_client, therapist, patient, now):
    add_flag(patient, "pain_down_numbness_up")

    chinese = staff_client(therapist, "zh-hans").get(page_url(patient)).content.decode()
    english = staff_client(therapist, "en").get(page_url(patient)).content.decode()

    assert '<html lang="zh-hans">' in chinese and "疼痛下降而麻木上升" in chinese
    assert '<html lang="en">' in english and "Pain down while numbness up (last 7" in english
    for body in (chinese, english):
        assert 'class="caveat"' in body


def test_another_therapists_patient_is_404(staff_client, other_therapist, patient, now):
    response = staff_client(other_therapist).get(page_url(patient))

    assert response.status_code == 404


def test_an_unknown_patient_is_404(staff_client, therapist, now):
    response = staff_client(therapist).get(
        "/therapist/patients/00000000-0000-0000-0000-000000000000/"
    )

    assert response.status_code == 404


def test_patients_get_403_and_anonymous_users_sign_in_first(client, patient, now):
    anonymous = client.get(page_url(patient))
    client.force_login(patient)
    own_page = client.get(page_url(patient))

    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert own_page.status_code == 403


def test_a_clinic_admin_reads_without_forms_and_other_clinics_are_404(
    staff_client, clinic_admin, other_clinic_admin, patient, now
):
    add_flag(patient, "night_pain")

    own = staff_client(clinic_admin).get(page_url(patient))
    other = staff_client(other_clinic_admin).get(page_url(patient))

    assert own.status_code == 200
    assert "Night pain stopping sleep" in own.content.decode()
    assert "/acknowledge/" not in own.content.decode()
    assert other.status_code == 404


def test_a_year_of_data_takes_a_fixed_number_of_queries(staff_client, therapist, patient, now):
    add_programme(patient, therapist)
    client = staff_client(therapist)
    client.get(page_url(patient), {"range": 365})
    with CaptureQueriesContext(connection) as empty:
        client.get(page_url(patient), {"range": 365})
    add_checkins(patient, range(365))
    add_sessions(patient, list(range(0, 365, 2)))
    for rule in ("night_pain", "persistent_pain", "claudication"):
        add_flag(patient, rule)
    with CaptureQueriesContext(connection) as full:
        response = client.get(page_url(patient), {"range": 365})

    assert response.status_code == 200
    # 17 for the charts, tables and flags (the flags' evidence rows one of them, issue 16), 3 for
    # the day-by-day record (dates, check-ins, sessions), 1 for the answers behind the flags and 3
    # for the messages panel (issue 12: the messages, their read audit event and the reader's time
    # zone), whatever the history's length.
    assert len(full) == len(empty) <= 24


def test_a_patient_with_no_data_yet_renders(staff_client, therapist, patient, now):
    response = staff_client(therapist).get(page_url(patient), {"range": 365})

    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("No check-ins in the last 365 days.") == 3
    assert "No flags." in body and "No programme assigned." in body
