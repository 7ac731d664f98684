"""Invitations and care-team removal on the API."""

import pytest

from tracker.models import CareTeamMember, Invitation, User
from tracker.services.care_team import care_team_add
from tracker.services.invitation_guesses import GUESS_LIMIT

pytestmark = pytest.mark.django_db
GOOD_PASSWORD = "Quiet-river-2026"


def test_a_therapist_re_invites_their_patient_and_only_that_answer_has_the_code(
    api, invite, therapist
):
    profile, _first = invite()
    client = api(therapist)

    created = client.post(f"/api/v1/patients/{profile.user.public_id}/invitation/")

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["state"] == "open" and len(body["code"]) == 9 and "/invite/" in body["url"]
    listed = client.get("/api/v1/invitations/").json()["results"]
    assert [row["state"] for row in listed] == ["open", "revoked"]
    assert "code" not in listed[0] and "url" not in listed[0]
    assert body["code"].encode() not in client.get("/api/v1/invitations/").content


def test_accept_by_code_then_sign_in(api, invite):
    profile, issued = invite()
    accepted = api().post(
        "/api/v1/invitations/accept/",
        {"code": issued.code_display, "username": "fang", "password": GOOD_PASSWORD},
        format="json",
    )

    assert accepted.status_code == 200, accepted.content
    assert accepted.json() == {
        "id": str(profile.user.public_id),
        "username": "fang",
        "role": "patient",
    }
    token = api().post(
        "/api/v1/auth/token/", {"username": "fang", "password": GOOD_PASSWORD}, format="json"
    )
    assert token.status_code == 200
    again = api().post(
        "/api/v1/invitations/accept/",
        {"token": issued.token, "username": "fang2", "password": GOOD_PASSWORD},
        format="json",
    )
    assert again.status_code == 410


def test_accept_with_a_weak_password_is_400_and_stores_nothing(api, invite):
    _profile, issued = invite()

    response = api().post(
        "/api/v1/invitations/accept/",
        {"token": issued.token, "username": "fang", "password": "password"},
        format="json",
    )

    assert response.status_code == 400 and "password" in response.json()
    assert Invitation.objects.get().accepted_at is None


def test_accept_needs_exactly_one_of_token_and_code(api):
    response = api().post(
        "/api/v1/invitations/accept/", {"username": "x", "password": GOOD_PASSWORD}, format="json"
    )
    assert response.status_code == 400


def test_accept_is_throttled(api, invite):
    _profile, issued = invite()
    for _ in range(GUESS_LIMIT):
        wrong = api().post(
            "/api/v1/invitations/accept/",
            {"code": "AAAAAAAA", "username": "x", "password": GOOD_PASSWORD},
            format="json",
        )
        assert wrong.status_code == 404

    blocked = api().post(
        "/api/v1/invitations/accept/",
        {"code": issued.code, "username": "fang", "password": GOOD_PASSWORD},
        format="json",
    )
    assert blocked.status_code == 429 and "Retry-After" in blocked


def test_a_clinic_admin_invites_and_revokes_a_therapist(api, clinic_admin):
    client = api(clinic_admin)
    bad = client.post("/api/v1/invitations/", {"name": "Li Na", "email": "no"}, format="json")
    assert bad.status_code == 400 and "email" in bad.json()

    created = client.post(
        "/api/v1/invitations/", {"name": "Li Na", "email": "li@example.org"}, format="json"
    )
    assert created.status_code == 201 and created.json()["kind"] == "therapist"
    revoked = client.post(f"/api/v1/invitations/{created.json()['id']}/revoke/")

    assert revoked.status_code == 200 and revoked.json()["state"] == "revoked"
    accept = api().post(
        "/api/v1/invitations/accept/",
        {"code": created.json()["code"], "username": "li", "password": GOOD_PASSWORD},
        format="json",
    )
    assert accept.status_code == 410
    assert not User.objects.filter(username="li").exists()


def test_care_team_member_removal(api, patient, therapist, colleague, other_therapist):
    url = f"/api/v1/patients/{patient.public_id}/care-team/"
    last = api(therapist).delete(f"{url}{therapist.public_id}/")
    assert last.status_code == 400
    care_team_add(
        profile=patient.patient_profile, actor=therapist, therapist_id=colleague.public_id
    )
    assert api(other_therapist).delete(f"{url}{colleague.public_id}/").status_code == 404

    removed = api(therapist).delete(f"{url}{colleague.public_id}/")

    assert removed.status_code == 200
    assert [m["id"] for m in removed.json()["care_team"]] == [str(therapist.public_id)]
    assert not CareTeamMember.objects.filter(therapist=colleague).exists()
