"""The therapist sees what the patient said (issue 10): every answer and note, every session,
day by day and newest first; a contact card to reach them now; exports named for the patient."""

from datetime import date

from tests.tracker.dashboard.support import TODAY, add_programme, days_ago
from tracker.models import AuditEvent, SessionLog
from tracker.selectors.patient_contact import age_on, timezone_in_words
from tracker.services.checkins import checkin_submit
from tracker.services.sessions import session_log_create

CALM = {"back_pain": 2, "leg_pain": 3, "numbness": 1}


def page(client, patient, query: str = "") -> str:
    return client.get(f"/therapist/patients/{patient.public_id}/{query}").content.decode()


def test_every_answer_and_note_is_on_the_patient_page_newest_first(
    staff_client, therapist, patient, now
):
    checkin_submit(
        patient=patient,
        on=days_ago(1),
        answers={**CALM, "numbness_areas": ["left_outer_calf"], "note": "Numb after the bus ride"},
    )
    checkin_submit(
        patient=patient,
        on=TODAY,
        answers={**CALM, "leg_pain": 7, "saddle_numbness": True, "walking_minutes": 12},
    )

    body = page(staff_client(therapist), patient)

    assert "“Numb after the bus ride”" in body
    assert "Left · Outer calf" in body
    assert '<li class="warning">saddle numbness: yes' in body
    assert "12 minutes" in body
    day = '<h3><time datetime="{}">'.format
    assert body.index(day(TODAY.isoformat())) < body.index(day(days_ago(1).isoformat()))
    # The flags come before the record, the record before the charts.
    assert body.index('id="flags-heading"') < body.index('id="record-heading"')
    assert body.index('id="record-heading"') < body.index('id="symptoms-heading"')


def test_sessions_show_what_was_done_and_the_comment(staff_client, therapist, patient, now):
    assignment = add_programme(patient, therapist)
    item = assignment.items.first()
    session_log_create(
        patient=patient,
        item_id=item.public_id,
        performed_at=None,
        sets=3,
        reps=10,
        minutes=None,
        pain_during=4,
        difficulty="hard",
        note="Left knee clicked on the last set",
    )
    assert SessionLog.objects.count() == 1

    body = page(staff_client(therapist), patient)

    assert "3 sets × 10" in body
    assert "pain during 4/10" in body
    assert "Hard" in body
    assert "“Left knee clicked on the last set”" in body


def test_the_record_pages_by_days_with_anything_in_them(staff_client, therapist, patient, now):
    for n in range(20):
        checkin_submit(patient=patient, on=days_ago(n), answers={**CALM, "note": f"day {n}"})
    client = staff_client(therapist)

    first, second = page(client, patient), page(client, patient, "?record=2")

    assert "“day 0”" in first and "“day 13”" in first and "“day 14”" not in first
    assert "“day 14”" in second and "“day 19”" in second and "“day 0”" not in second
    assert "Page 2 of 2" in second


def test_the_contact_card_lets_the_therapist_call_now(staff_client, therapist, patient, now):
    profile = patient.patient_profile
    profile.phone = "+86 138 0013 8000"
    profile.date_of_birth = date(1980, 3, 11)
    profile.conditions = ["sciatica", "lumbar_instability"]
    profile.timezone = "Asia/Shanghai"
    profile.save()
    patient.email = "pat@example.com"
    patient.save()

    body = page(staff_client(therapist), patient)

    assert 'href="tel:+8613800138000"' in body
    assert 'href="mailto:pat@example.com"' in body
    assert "45 years" in body  # 46 on 2026-03-11, the day after TODAY
    assert "Sciatica, Lumbar instability" in body
    assert "Shanghai time" in body
    assert "上海时间" in page(staff_client(therapist, language="zh-hans"), patient)


def test_ages_and_zones_in_words():
    assert age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25
    assert age_on(date(2000, 2, 29), date(2026, 3, 1)) == 26
    assert timezone_in_words("America/New_York", language="en") == "New York time"
    assert timezone_in_words("UTC", language="en") == "UTC"


def test_exports_are_named_for_the_patient_and_the_day(staff_client, therapist, patient, now):
    client = staff_client(therapist)
    body = page(client, patient)
    assert f"/api/v1/patients/{patient.public_id}/export/" in body

    response = client.get(f"/api/v1/patients/{patient.public_id}/export/csv/")

    assert response.status_code == 200
    assert f"-{TODAY.isoformat()}.zip" in response["Content-Disposition"]
    assert "attachment" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(actor=therapist, action="export").exists()


def test_an_outsider_gets_no_record(staff_client, other_therapist, patient, now):
    checkin_submit(patient=patient, on=TODAY, answers={**CALM, "note": "private"})

    response = staff_client(other_therapist).get(f"/therapist/patients/{patient.public_id}/")

    assert response.status_code == 404
    assert "private" not in response.content.decode()
