"""The onboarding pages as a therapist, an invitee and a clinic admin would use them."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.factories import TherapistFactory
from tracker.models import AuditEvent, CareTeamMember, Invitation, PatientProfile, User
from tracker.services.invitation_guesses import GUESS_LIMIT
from tracker.services.invitations import invitation_accept

pytestmark = pytest.mark.django_db
NEW = "/therapist/patients/new/"
GOOD_PASSWORD = "Quiet-river-2026"
FORM = {
    "display_name": "Wang Fang",
    "phone": "+86 138 0000 0000",
    "email": "fang@example.org",
    "language": "en",
    "timezone": "Asia/Shanghai",
    "date_of_birth": "1950-04-02",
    "conditions": ["lumbar_instability", "older_adult"],
    "episode_started_on": "",
    "template": "circulation",
}


def _client(user=None, language="en") -> Client:
    client = Client(headers={"accept-language": language})
    if user is not None:
        client.force_login(user)
    return client


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _created(client, **changes):
    response = client.post(NEW, {**FORM, **changes})
    assert response.status_code == 302, _text(response)[:2000]
    page = client.get(response["Location"])
    code = re.search(r"data-invite-code>([A-Z0-9-]+)<", page.content.decode()).group(1)
    link = re.search(r"data-invite-link[^>]*>([^<]+)<", page.content.decode())
    if link is None:
        link = re.search(r'href="([^"]+)" data-invite-link', page.content.decode())
    return page, code, link.group(1)


def test_the_caseload_links_to_the_new_patient_page(therapist):
    assert 'href="/therapist/patients/new/"' in _text(_client(therapist).get("/therapist/"))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_therapist_adds_a_patient_and_sees_the_code_link_and_qr(
    therapist, language, django_capture_on_commit_callbacks
):
    client = _client(therapist, language)
    assert client.get(NEW).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        page, code, link = _created(client)

    profile = PatientProfile.objects.get(display_name="Wang Fang")
    assert profile.conditions == ["lumbar_instability", "older_adult"]
    assert 'class="segno"' in page.content.decode()  # the QR code
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert link.startswith("http") and "/invite/" in link
    assert mail.outbox[0].to == ["fang@example.org"]
    # Shown once: the page seen again no longer carries the secrets.
    again = client.get(page.request["PATH_INFO"])
    assert code not in again.content.decode() and "segno" not in again.content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"display_name": ""}, "This field is required."),
        ({"date_of_birth": "2999-01-01"}, "This date is in the future."),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"conditions": ["lumbar_instability"], "template": "disc_recovery"}, "Superman"),
    ],
)
def test_bad_input_shows_a_clear_error_and_stores_nothing(therapist, changes, message):
    response = _client(therapist).post(NEW, {**FORM, **changes})

    assert response.status_code == 400
    text = _text(response)
    assert "Nothing was saved" in text
    assert message.lower() in text.lower()
    assert not PatientProfile.objects.exists() and not Invitation.objects.exists()


def test_errors_are_in_chinese_on_the_chinese_page(therapist):
    response = _client(therapist, "zh-hans").post(NEW, {**FORM, "date_of_birth": "2999-01-01"})

    assert "日期" in _text(response)
    assert "这个日期在将来。" in _text(response)  # the patient service's own refusal, in Chinese


def test_patients_and_clinic_admins_cannot_add_patients(patient, clinic_admin):
    assert _client(patient).get(NEW).status_code == 403
    assert _client(clinic_admin).get(NEW).status_code == 403


def test_the_invitee_opens_the_link_sets_a_password_and_lands_on_welcome(therapist):
    _page, _code, link = _created(_client(therapist))
    path = link.split("://", 1)[1].split("/", 1)[1]
    invitee = _client()

    assert invitee.get(f"/{path}").status_code == 200
    mismatch = invitee.post(
        f"/{path}",
        {"username": "fang", "password": GOOD_PASSWORD, "password_again": "something-else"},
    )
    assert mismatch.status_code == 400 and "The two passwords differ." in _text(mismatch)
    weak = invitee.post(
        f"/{path}", {"username": "fang", "password": "123", "password_again": "123"}
    )
    assert weak.status_code == 400 and "too short" in _text(weak)
    assert not User.objects.get(patient_profile__display_name="Wang Fang").has_usable_password()

    done = invitee.post(
        f"/{path}",
        {"username": "fang", "password": GOOD_PASSWORD, "password_again": GOOD_PASSWORD},
    )

    assert done.status_code == 302 and done["Location"] == "/app/welcome/"
    assert invitee.get("/app/welcome/").status_code == 200
    used = _client().get(f"/{path}")
    assert used.status_code == 410 and "used already" in _text(used)


def test_the_invitee_types_the_code_instead(therapist):
    _page, code, _link = _created(_client(therapist))
    invitee = _client()

    step = invitee.post("/invite/", {"code": code.lower()})
    assert step.status_code == 200
    assert 'name="password_again"' in _text(step) and f'value="{code.lower()}"' in _text(step)
    done = invitee.post(
        "/invite/",
        {
            "code": code,
            "username": "fang",
            "password": GOOD_PASSWORD,
            "password_again": GOOD_PASSWORD,
        },
    )

    assert done.status_code == 302 and done["Location"] == "/app/welcome/"


def test_an_unknown_link_or_code_gives_a_clear_page(db):
    unknown = _client().get("/invite/not-a-real-token/")
    assert unknown.status_code == 404 and "not one we know" in _text(unknown)
    typed = _client().post("/invite/", {"code": "ABCD-EFGH"})
    assert typed.status_code == 400 and "not one we know" in _text(typed)


def test_code_guessing_is_throttled(therapist):
    _page, code, _link = _created(_client(therapist))
    guesser = _client()
    for _ in range(GUESS_LIMIT):
        guesser.post("/invite/", {"code": "AAAA-AAAA"})

    blocked = guesser.post("/invite/", {"code": code})

    assert blocked.status_code == 429 and "Too many tries" in _text(blocked)
    assert int(blocked["Retry-After"]) > 0


def test_re_send_from_the_patient_page_kills_the_old_link(therapist):
    client = _client(therapist)
    _page, _code, link = _created(client)
    profile = PatientProfile.objects.get()
    patient_page = client.get(f"/therapist/patients/{profile.user.public_id}/")
    assert "Re-send invitation" in _text(patient_page)

    response = client.post(f"/therapist/patients/{profile.user.public_id}/invitation/")

    assert response.status_code == 302
    assert "data-invite-code" in client.get(response["Location"]).content.decode()
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert _client().get(path).status_code == 410


def test_outsiders_get_404(therapist, other_therapist, other_clinic_admin):
    _created(_client(therapist))
    profile = PatientProfile.objects.get()
    invitation = Invitation.objects.get()
    outsider = _client(other_therapist)

    assert (
        outsider.post(f"/therapist/patients/{profile.user.public_id}/invitation/").status_code
        == 404
    )
    assert outsider.get(f"/therapist/invitations/{invitation.public_id}/").status_code == 404
    assert (
        _client(other_clinic_admin)
        .get(f"/therapist/invitations/{invitation.public_id}/")
        .status_code
        == 404
    )
    assert (
        outsider.post(
            f"/therapist/patients/{profile.user.public_id}/care-team/add/",
            {"therapist": str(other_therapist.public_id)},
        ).status_code
        == 404
    )
    assert Invitation.objects.count() == 1


def test_care_team_add_and_remove_on_the_patient_page(patient, therapist, colleague):
    client = _client(therapist)
    url = f"/therapist/patients/{patient.public_id}/"
    assert "Add a colleague" in _text(client.get(url))
    assert f'value="{colleague.public_id}"' in _text(client.get(url + "?add-colleague=1"))

    client.post(url + "care-team/add/", {"therapist": str(colleague.public_id)})
    assert CareTeamMember.objects.filter(patient=patient).count() == 2
    client.post(url + "care-team/remove/", {"therapist": str(colleague.public_id)})
    assert CareTeamMember.objects.filter(patient=patient).count() == 1

    last = client.post(
        url + "care-team/remove/", {"therapist": str(therapist.public_id)}, follow=True
    )
    assert "at least one therapist" in _text(last)
    assert CareTeamMember.objects.filter(patient=patient, therapist=therapist).exists()
    stranger = TherapistFactory(username="stranger")
    refused = client.post(
        url + "care-team/add/", {"therapist": str(stranger.public_id)}, follow=True
    )
    assert "No such therapist in your clinic." in _text(refused)
    assert AuditEvent.objects.filter(patient=patient, object_type="care_team").count() == 2


def test_the_clinic_admin_sees_the_clinic_and_invites_a_therapist(
    patient, therapist, clinic_admin, django_capture_on_commit_callbacks
):
    client = _client(clinic_admin)
    page = _text(client.get("/therapist/clinic/"))
    assert "Invite a therapist" in page and ">Pat<" in page and therapist.username in page
    bad = client.post("/therapist/clinic/invite/", {"name": "", "email": "x", "language": "en"})
    assert bad.status_code == 400 and not Invitation.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/therapist/clinic/invite/",
            {"name": "Li Na", "email": "li@example.org", "language": "en"},
        )
    shown = client.get(response["Location"]).content.decode()
    code = re.search(r"data-invite-code>([A-Z0-9-]+)<", shown).group(1)

    joined = _client().post(
        "/invite/",
        {
            "code": code,
            "username": "li.na",
            "password": GOOD_PASSWORD,
            "password_again": GOOD_PASSWORD,
        },
    )
    assert joined["Location"] == "/therapist/"
    new = User.objects.get(username="li.na")
    assert new.is_therapist and new.clinic == clinic_admin.clinic
    after = _text(client.get("/therapist/clinic/"))
    assert '<th scope="row">Li Na</th>' in after and "accepted" in after


def test_the_clinic_page_is_for_clinic_admins(therapist, patient):
    assert _client(therapist).get("/therapist/clinic/").status_code == 403
    assert _client(patient).get("/therapist/clinic/").status_code == 403


def test_another_clinics_admin_sees_none_of_it(clinic_admin, other_clinic_admin, patient):
    _client(clinic_admin).post(
        "/therapist/clinic/invite/", {"name": "Li Na", "email": "li@example.org", "language": "en"}
    )
    invitation = Invitation.objects.get()

    page = _text(_client(other_clinic_admin).get("/therapist/clinic/"))
    assert "Li Na" not in page and ">Pat<" not in page
    revoke = _client(other_clinic_admin).post(
        f"/therapist/invitations/{invitation.public_id}/revoke/"
    )
    assert revoke.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_opening_a_used_invitation_after_accepting_is_clear(therapist):
    _created(_client(therapist))
    invitation = Invitation.objects.get()
    invitation_accept(invitation=invitation, username="fang", password=GOOD_PASSWORD)

    again = _client().post("/invite/", {"code": "AAAA-AAAA"})
    assert again.status_code == 400
