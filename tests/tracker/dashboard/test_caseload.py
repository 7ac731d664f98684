import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exercises.models import ProgrammeTemplate
from reminders.models import InboxMessage, Kind
from tests.tracker.dashboard.support import (
    TODAY,
    add_checkins,
    add_flag,
    add_programme,
    add_sessions,
    days_ago,
)
from tracker.models import AuditEvent, CheckIn
from tracker.services.checkins import checkin_submit
from tracker.services.messages import message_send

URL = "/therapist/"
CASELOAD_PAGE = 50  # rows a page


def names_in_order(response) -> list[str]:
    body = response.content.decode()
    return re.findall(r'<th scope="row" class="name">\s*<a href="[^"]+">([^<]+)</a>', body)


def test_a_flagged_patient_shows_its_flag_and_sparkline(staff_client, therapist, patient, now):
    add_checkins(patient, range(1, 6), leg_pain=5, numbness=3)
    checkin_submit(
        patient=patient,
        on=TODAY,
        answers={"back_pain": 4, "leg_pain": 7, "numbness": 6, "saddle_numbness": True},
    )

    response = staff_client(therapist).get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Pat" in body
    assert "Bowel/bladder trouble or saddle numbness" in body
    assert 'class="flag-chip sev-urgent"' in body
    assert '<svg class="spark"' in body
    # The sparkline says its figures in words for screen readers.
    assert "6 check-ins: leg pain 5 → 7, numbness 3 → 6." in body
    assert "2026-03-10" in body  # last check-in


def test_patients_come_most_severe_first_then_most_recently_worse_then_by_name(
    staff_client, therapist, make_patient, now
):
    calm = make_patient("Calm")
    add_flag(make_patient("Low"), "missing_checkins")
    add_flag(make_patient("Medium"), "night_pain")
    add_flag(make_patient("High older"), "sudden_worsening", on=days_ago(5))
    add_flag(make_patient("High recent"), "numbness_worsening", on=days_ago(1))
    urgent = make_patient("Urgent")
    add_flag(urgent, "cauda_equina", on=days_ago(9))
    add_flag(urgent, "missing_checkins", on=TODAY)  # recency of a lesser flag does not count
    add_flag(make_patient("Acknowledged"), "motor_deficit", status="acknowledged", on=days_ago(20))
    add_flag(calm, "motor_deficit", status="resolved")  # resolved flags do not rank
    make_patient("Another calm")

    response = staff_client(therapist).get(URL)

    assert names_in_order(response) == [
        "Urgent",
        "Acknowledged",
        "High recent",
        "High older",
        "Medium",
        "Low",
        "Another calm",
        "Calm",
    ]


def test_the_urgent_row_is_marked_and_acknowledged_flags_still_show(
    staff_client, therapist, patient, now
):
    add_flag(patient, "motor_deficit", status="acknowledged")

    body = staff_client(therapist).get(URL).content.decode()

    assert '<tr class="is-urgent">' in body
    assert "Cannot walk on heels or toes" in body
    assert "(acknowledged)" in body


def test_flagged_only_filter(staff_client, therapist, make_patient, now):
    add_flag(make_patient("Flagged"), "night_pain")
    add_flag(make_patient("Was flagged"), "night_pain", status="resolved")
    make_patient("Calm")

    response = staff_client(therapist).get(URL, {"flagged": "on"})

    assert names_in_order(response) == ["Flagged"]
    assert "Clear filters" in response.content.decode()


def test_programme_filter(staff_client, therapist, make_patient, now):
    pregnancy = ProgrammeTemplate.objects.get(key="pregnancy")
    add_programme(make_patient("Expecting"), therapist, template=pregnancy)
    add_programme(make_patient("Desk"), therapist, template=None)
    make_patient("Nothing yet")

    response = staff_client(therapist).get(URL, {"programme": "pregnancy"})

    assert names_in_order(response) == ["Expecting"]
    assert pregnancy.name_en in response.content.decode()


def test_clinic_filter_by_public_id(staff_client, therapist, make_patient, second_clinic, now):
    make_patient("Home clinic")
    make_patient("Riverside patient", clinic=second_clinic)

    client = staff_client(therapist)
    everyone = client.get(URL)
    riverside = client.get(URL, {"clinic": str(second_clinic.public_id)})
    nonsense = client.get(URL, {"clinic": "not-a-clinic"})

    assert names_in_order(everyone) == ["Home clinic", "Riverside patient"]
    assert 'name="clinic"' in everyone.content.decode()  # two clinics: the filter is offered
    assert names_in_order(riverside) == ["Riverside patient"]
    assert names_in_order(nonsense) == ["Home clinic", "Riverside patient"]


def test_adherence_days_with_data_and_last_checkin(staff_client, therapist, patient, now):
    add_programme(patient, therapist, days_per_week=7)
    add_sessions(patient, [0, 2, 4, 20])  # three in the last 7 days
    add_checkins(patient, [1, 2, 40])  # day 40 is outside the 30-day window

    body = staff_client(therapist).get(URL).content.decode()

    assert "3 / 7" in body and "(43 %)" in body
    assert "5 / 30" in body  # days 0, 1, 2, 4, 20
    assert days_ago(1).isoformat() in body


def test_another_therapists_patients_are_not_listed(
    staff_client, therapist, other_therapist, patient, other_patient, now
):
    assert names_in_order(staff_client(therapist).get(URL)) == ["Pat"]
    assert names_in_order(staff_client(other_therapist).get(URL)) == ["Other"]


def test_a_clinic_admin_reads_the_clinics_caseload(
    staff_client, clinic_admin, patient, other_patient, now
):
    response = staff_client(clinic_admin).get(URL)

    assert response.status_code == 200
    assert names_in_order(response) == ["Pat"]


def test_patients_cannot_open_the_caseload_and_anonymous_users_sign_in_first(client, patient, now):
    anonymous = client.get(URL)
    client.force_login(patient)
    as_patient = client.get(URL)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/?next=/therapist/")
    assert as_patient.status_code == 403


def test_the_nav_links_to_the_caseload_for_therapists_only(client, therapist, patient):
    client.force_login(patient)
    assert "/therapist/" not in client.get("/exercises/").content.decode()
    client.force_login(therapist)
    assert 'href="/therapist/"' in client.get("/exercises/").content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_caseload_renders_in_both_languages_with_the_medical_caveat(
    staff_client, therapist, patient, language, now
):
    add_flag(patient, "pain_down_numbness_up")

    response = staff_client(therapist, language).get(URL)

    body = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{language}">' in body
    assert 'class="caveat"' in body


def _caseload_of(therapist, count: int, make_patient) -> None:
    """`count` patients, each with 30 days of check-ins, sessions, a programme and flags."""
    for n in range(count):
        user = make_patient(f"P{n:03d}")
        CheckIn.objects.bulk_create(
            CheckIn(patient=user, date=days_ago(d), back_pain=3, leg_pain=n % 10, numbness=d % 8)
            for d in range(30)
        )
        add_programme(user, therapist)
        add_sessions(user, list(range(0, 10, 2)))
        if n % 2:
            add_flag(user, "night_pain", on=days_ago(n % 7))
        if n % 5 == 0:
            add_flag(user, "cauda_equina", status="acknowledged")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries)


def test_the_caseload_runs_the_same_few_queries_for_5_and_for_60_patients(
    staff_client, therapist, make_patient, now
):
    client = staff_client(therapist)
    _caseload_of(therapist, 5, make_patient)
    client.get(URL)  # warm: the first request loads content types and the like
    small = _queries(client)

    _caseload_of_more = [make_patient(f"Q{n:03d}") for n in range(55)]
    for user in _caseload_of_more:
        add_checkins(user, range(30))
        add_programme(user, therapist)
        add_sessions(user, [0, 1])
        add_flag(user, "sudden_worsening")
    large = _queries(client)
    second_page = client.get(URL, {"page": 2})

    assert small == large
    assert large <= 10  # issue 16: the count, the unread counts, the rows and the audit merged
    assert len(names_in_order(second_page)) == 10  # 60 patients, 50 a page
    assert "Page 2 of 2" in second_page.content.decode()


def test_the_query_count_holds_with_every_filter_on(
    staff_client, therapist, make_patient, second_clinic, now
):
    pregnancy = ProgrammeTemplate.objects.get(key="pregnancy")
    filters = {"flagged": "on", "programme": "pregnancy", "clinic": str(second_clinic.public_id)}

    def add(count):
        for n in range(count):
            user = make_patient(f"R{n:03d}-{count}", clinic=second_clinic)
            add_programme(user, therapist, template=pregnancy)
            add_checkins(user, range(10))
            add_flag(user, "night_pain")

    client = staff_client(therapist)
    add(2)
    client.get(URL, filters)
    with CaptureQueriesContext(connection) as few:
        assert len(names_in_order(client.get(URL, filters))) == 2
    add(30)
    with CaptureQueriesContext(connection) as many:
        assert len(names_in_order(client.get(URL, filters))) == 32

    assert len(few) == len(many) <= 10  # issue 16: 13 before (see test_speed.py)


def test_an_empty_caseload_says_so(staff_client, therapist, now):
    body = staff_client(therapist).get(URL).content.decode()

    assert "No patients yet." in body


def test_the_header_counts_every_unread_message_and_each_row_only_its_own(
    staff_client, therapist, other_therapist, make_patient, now
):
    # Issue 16: one statement counts the header's alerts and messages and the rows' badges.
    first = make_patient("A first")
    for n in range(CASELOAD_PAGE):
        make_patient(f"B{n:02d}")
    last = make_patient("Z last")  # on page 2
    outsider = make_patient("Elsewhere", under=other_therapist)
    message_send(patient=first, author=first, body="Can I swim?")
    for body in ("One", "Two"):
        message_send(patient=last, author=last, body=body)
    message_send(patient=outsider, author=outsider, body="Not yours")
    InboxMessage.objects.create(
        user=therapist, dedupe_key="t:1", kind=Kind.NOTIFICATION, title="Alert", body="..."
    )
    client = staff_client(therapist)

    body = client.get(URL).content.decode()
    second = client.get(URL, {"page": 2}).content.decode()

    assert re.search(r'<span class="badge">1</span>\s*unread message<', body)
    assert body.count("unread-messages") == 1  # the page-2 patient's badge is on page 2
    assert re.search(r'<span class="badge">2</span>\s*unread messages<', second)
    # The header: 3 unread messages over the caseload (not the outsider's), and the alerts.
    assert re.search(r'data-nav-messages>.*?aria-label="3 unread">3</span>', body)
    alerts = InboxMessage.objects.filter(user=therapist, read_at=None).count()
    assert f'Inbox <span class="badge" aria-label="{alerts} unread">{alerts}</span>' in body


def test_a_page_past_the_last_shows_the_last_and_a_bad_page_the_first(
    staff_client, therapist, make_patient, now
):
    for n in range(CASELOAD_PAGE + 3):
        make_patient(f"P{n:02d}")
    client = staff_client(therapist)

    past = client.get(URL, {"page": 9}).content.decode()
    bad = client.get(URL, {"page": "abc"}).content.decode()
    zero = client.get(URL, {"page": 0}).content.decode()

    assert "Page 2 of 2" in past and "53 patients" in past
    assert len(names_in_order(client.get(URL, {"page": 9}))) == 3
    assert "Page 1 of 2" in bad and "53 patients" in bad
    assert "Page 2 of 2" in zero  # as Django's get_page: below the first is the last


def test_every_row_of_the_page_is_audited_as_read_once(staff_client, therapist, make_patient, now):
    shown = [make_patient(f"P{n:02d}") for n in range(CASELOAD_PAGE + 2)]
    client = staff_client(therapist)
    AuditEvent.objects.all().delete()

    client.get(URL)

    events = AuditEvent.objects.filter(actor=therapist, action="read", object_type="patient")
    assert events.count() == CASELOAD_PAGE
    assert len({event.patient_id for event in events}) == CASELOAD_PAGE
    assert {event.clinic_id for event in events} == {shown[0].patient_profile.clinic_id}
    assert all(len(event.public_id.hex) == 32 and event.at is not None for event in events)
