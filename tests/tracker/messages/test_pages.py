"""The pages: the patient's composer and conversation, the therapist's, the unread badges."""

import re

from tracker.models import AuditEvent, Message
from tracker.services.messages import message_send


def test_the_patients_page_warns_links_the_checkin_and_carries_the_emergency_button(
    signed_in, patient, now
):
    page = signed_in(patient).get("/app/messages/").content.decode()
    assert "Messages are not watched around the clock." in page
    assert 'href="/app/checkin/"' in page
    assert 'href="tel:120"' in page
    assert 'maxlength="2000"' in page


def test_the_patient_writes_without_javascript_and_reads_the_answer(
    signed_in, patient, therapist, now
):
    client = signed_in(patient)
    sent = client.post("/app/messages/", {"body": "Should the bridge hurt my knee?"})
    assert sent.status_code == 302
    message_send(patient=patient, author=therapist, body="No: lower your hips a little.")

    assert '<span class="badge"' in client.get("/app/").content.decode()
    page = client.get("/app/messages/").content.decode()
    assert "No: lower your hips a little." in page
    assert "(your care team)" in page
    assert "12:00" in page  # 04:00 UTC is noon in the patient's Shanghai
    # Opening it read it.
    assert '<span class="badge"' not in client.get("/app/").content.decode()
    assert AuditEvent.objects.filter(patient=patient, object_type="message", action="read").exists()


def test_a_bad_about_is_a_400_and_stores_nothing(signed_in, patient, now):
    response = signed_in(patient).post("/app/messages/", {"body": "hi", "about": "checkin:nope"})
    assert response.status_code == 400
    assert not Message.objects.exists()


def test_the_patient_page_in_chinese(signed_in, patient, now):
    page = signed_in(patient, language="zh-hans").get("/app/messages/").content.decode()
    assert "消息并非全天候有人查看。" in page
    assert "给您的护理团队写消息" in page


def test_the_therapist_sees_the_count_answers_from_the_patient_page(
    client, patient, therapist, now
):
    message_send(patient=patient, author=patient, body="Can I swim?")
    client.force_login(therapist)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    caseload = client.get("/therapist/").content.decode()
    assert re.search(r'<span class="badge">1</span>\s*unread message', caseload)
    header = client.get("/therapist/inbox/").content.decode()
    assert 'aria-label="1 unread">1</span>' in header
    page = client.get(f"/therapist/patients/{patient.public_id}/").content.decode()
    assert "Can I swim?" in page
    assert "Messages are not watched around the clock." in page

    answered = client.post(
        f"/therapist/patients/{patient.public_id}/messages/",
        {"body": "Yes, gently.", "next": f"/therapist/patients/{patient.public_id}/"},
    )
    assert answered.status_code == 302
    assert answered["Location"].endswith(f"/therapist/patients/{patient.public_id}/#messages")
    assert Message.objects.filter(side="care_team", body="Yes, gently.").exists()
    assert '<span class="badge">1</span>' not in client.get("/therapist/").content.decode()


def test_an_outsider_therapist_gets_404_and_a_clinic_admin_403(
    client, patient, other_therapist, clinic_admin, now
):
    url = f"/therapist/patients/{patient.public_id}/messages/"
    client.force_login(other_therapist)
    assert client.get(url).status_code == 404
    assert client.post(url, {"body": "hi"}).status_code == 404
    client.force_login(clinic_admin)
    assert client.get(url).status_code == 403
    assert not Message.objects.exists()


def test_the_therapist_chooses_the_digest_on_the_messages_page(client, therapist, now):
    from tracker.models import MessageSettings

    client.force_login(therapist)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert "In my daily digest" in client.get("/therapist/messages/").content.decode()
    client.post("/therapist/messages/settings/", {"delivery": "digest"})
    assert MessageSettings.objects.get(user=therapist).delivery == "digest"


def test_the_flag_forms_offer_to_send_the_note(client, patient, therapist, now):
    from django.utils import timezone

    from tracker.models import Flag
    from tracker.services.checkins import checkin_submit

    checkin_submit(
        patient=patient,
        on=timezone.localdate(),
        answers={"back_pain": 3, "leg_pain": 4, "numbness": 2, "bowel_bladder_change": True},
    )
    flag = Flag.objects.get(patient=patient, rule="cauda_equina")
    client.force_login(therapist)
    page = client.get(f"/therapist/patients/{patient.public_id}/").content.decode()
    assert page.count('name="send_to_patient"') == 2  # acknowledge and resolve

    client.post(
        f"/therapist/flags/{flag.public_id}/acknowledge/",
        {"note": "Please go to the emergency department now.", "send_to_patient": "1"},
    )
    [message] = Message.objects.all()
    assert message.body == "Please go to the emergency department now."
