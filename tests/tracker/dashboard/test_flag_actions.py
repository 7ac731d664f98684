import pytest
from django.test import Client

from tests.tracker.dashboard.support import add_flag


def ack_url(flag) -> str:
    return f"/therapist/flags/{flag.public_id}/acknowledge/"


def resolve_url(flag) -> str:
    return f"/therapist/flags/{flag.public_id}/resolve/"


def test_acknowledge_with_a_note_and_come_back_to_the_flag(staff_client, therapist, patient, now):
    flag = add_flag(patient, "night_pain")
    client = staff_client(therapist)

    response = client.post(ack_url(flag), {"note": "Called her; sleeping better", "range": "90"})

    flag.refresh_from_db()
    assert flag.status == "acknowledged"
    assert flag.acknowledged_by == therapist
    assert flag.acknowledged_note == "Called her; sleeping better"
    assert response.status_code == 302
    assert response["Location"] == (
        f"/therapist/patients/{patient.public_id}/?range=90#flag-{flag.public_id}"
    )
    page = client.get(response["Location"]).content.decode()
    assert "Flag acknowledged." in page
    assert "“Called her; sleeping better”" in page


def test_resolve_from_the_page(staff_client, therapist, patient, now):
    flag = add_flag(patient, "cauda_equina", status="acknowledged")

    response = staff_client(therapist).post(
        resolve_url(flag), {"note": "Seen in A&E, MRI clear", "confirm_urgent": "1"}
    )

    flag.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"/therapist/patients/{patient.public_id}/#flag-{flag.public_id}"
    assert flag.status == "resolved"
    assert flag.resolved_by == therapist
    assert flag.resolved_note == "Seen in A&E, MRI clear"


def test_a_resolved_flag_cannot_be_acknowledged(staff_client, therapist, patient, now):
    flag = add_flag(patient, "night_pain", status="resolved")
    client = staff_client(therapist)

    response = client.post(ack_url(flag), {"note": "late"}, follow=True)

    flag.refresh_from_db()
    assert flag.status == "resolved"
    assert "This flag is already closed." in (response.content.decode())


def test_an_overlong_note_is_refused_with_a_message(staff_client, therapist, patient, now):
    flag = add_flag(patient, "night_pain")

    response = staff_client(therapist).post(ack_url(flag), {"note": "x" * 2001}, follow=True)

    flag.refresh_from_db()
    assert flag.status == "open"
    assert "The note is too long" in response.content.decode()


def test_an_outsider_gets_404_and_the_flag_is_untouched(
    staff_client, other_therapist, patient, now
):
    flag = add_flag(patient, "motor_deficit")
    client = staff_client(other_therapist)

    acknowledged = client.post(ack_url(flag), {"note": "not mine"})
    resolved = client.post(resolve_url(flag), {"note": "not mine"})

    flag.refresh_from_db()
    assert acknowledged.status_code == resolved.status_code == 404
    assert flag.status == "open"


def test_patients_and_clinic_admins_cannot_act_and_anonymous_users_sign_in(
    client, staff_client, patient, clinic_admin, now
):
    flag = add_flag(patient, "night_pain")

    anonymous = client.post(ack_url(flag))
    client.force_login(patient)
    as_patient = client.post(resolve_url(flag))
    as_admin = staff_client(clinic_admin).post(resolve_url(flag))

    flag.refresh_from_db()
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert as_patient.status_code == 403
    assert as_admin.status_code == 403
    assert flag.status == "open"


def test_the_actions_are_post_only_and_need_the_csrf_token(therapist, patient, now):
    flag = add_flag(patient, "night_pain")
    client = Client(enforce_csrf_checks=True)
    client.force_login(therapist)

    assert client.get(ack_url(flag)).status_code == 405
    assert client.post(ack_url(flag), {"note": ""}).status_code == 403

    page = client.get(f"/therapist/patients/{patient.public_id}/").content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert client.post(ack_url(flag), {"csrfmiddlewaretoken": token}).status_code == 302
    flag.refresh_from_db()
    assert flag.status == "acknowledged"


@pytest.mark.parametrize(
    ("posted", "message"),
    [
        ({"note": "Seen in A&E"}, "Tick the box to confirm"),
        ({"confirm_urgent": "1", "note": " "}, "Say what was done about this urgent flag"),
    ],
)
def test_resolving_an_urgent_flag_asks_for_confirmation_and_a_note(
    staff_client, therapist, patient, now, posted, message
):
    flag = add_flag(patient, "cauda_equina")

    response = staff_client(therapist).post(resolve_url(flag), posted, follow=True)

    flag.refresh_from_db()
    assert flag.status == "open"
    assert message in response.content.decode()


def test_the_two_note_boxes_of_a_flag_say_what_each_is_for(staff_client, therapist, patient, now):
    add_flag(patient, "cauda_equina")

    page = staff_client(therapist).get(f"/therapist/patients/{patient.public_id}/").content
    page = page.decode()

    assert "Acknowledgement note (optional)" in page
    assert "Resolution note (required): what was done about this emergency" in page
    assert "I confirm this urgent flag has been dealt with" in page
