"""The therapist's own alerts (issue 10): the inbox page, its unread count in the header."""

from reminders.models import DigestItem, InboxMessage
from tests.tracker.dashboard.support import TODAY
from tracker.services.checkins import checkin_submit

CALM = {"back_pain": 2, "leg_pain": 3, "numbness": 1}


def test_an_urgent_checkin_reaches_the_therapists_inbox_with_a_count(
    staff_client, therapist, patient, now
):
    checkin_submit(patient=patient, on=TODAY, answers={**CALM, "saddle_numbness": True})
    client = staff_client(therapist)

    caseload = client.get("/therapist/").content.decode()
    assert '<span class="badge" aria-label="1 unread">1</span>' in caseload

    body = client.get("/therapist/inbox/").content.decode()
    assert "Urgent: Pat" in body
    assert f"/therapist/patients/{patient.public_id}/" in body
    assert "inbox-item unread urgent" in body

    client.post("/therapist/inbox/read/")
    assert InboxMessage.objects.get(user=therapist).read_at is not None
    assert 'class="badge"' not in client.get("/therapist/").content.decode()


def test_what_waits_for_the_digest_is_listed(staff_client, therapist, patient, now):
    checkin_submit(patient=patient, on=TODAY.replace(day=9), answers={**CALM, "night_pain": True})
    checkin_submit(patient=patient, on=TODAY, answers={**CALM, "night_pain": True})
    assert DigestItem.objects.filter(user=therapist).exists()

    body = staff_client(therapist).get("/therapist/inbox/").content.decode()

    assert "Waiting for your next daily digest" in body
    assert "Night pain" in body or "夜间" in body


def test_the_inbox_is_the_therapists_own(staff_client, therapist, other_therapist, patient, now):
    checkin_submit(patient=patient, on=TODAY, answers={**CALM, "saddle_numbness": True})

    body = staff_client(other_therapist).get("/therapist/inbox/").content.decode()

    assert "Urgent: Pat" not in body
    assert "Nothing here yet." in body


def test_a_patient_cannot_open_the_therapist_inbox(client, patient, now):
    client.force_login(patient)

    assert client.get("/therapist/inbox/").status_code == 403
