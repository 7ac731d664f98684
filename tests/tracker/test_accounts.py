import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError

from tests.factories import UserFactory
from tracker.models import PatientProfile, User


def test_create_therapist_makes_an_account_that_can_sign_in(db, client):
    call_command(
        "create_therapist", "--username", "alice", "--password", "S3cure-pass!", "--clinic", "North"
    )

    alice = User.objects.get(username="alice")
    assert alice.role == User.Role.THERAPIST
    assert alice.clinic.name == "North"
    assert client.login(username="alice", password="S3cure-pass!")


def test_create_therapist_twice_keeps_one_account_with_the_new_password(db, client):
    call_command("create_therapist", "--username", "alice", "--password", "First-pass-1")
    call_command("create_therapist", "--username", "alice", "--password", "Second-pass-2")

    assert User.objects.filter(username="alice").count() == 1
    assert not client.login(username="alice", password="First-pass-1")
    assert client.login(username="alice", password="Second-pass-2")


def test_create_therapist_refuses_to_turn_a_patient_into_a_therapist(db):
    UserFactory(username="bob")

    with pytest.raises(CommandError, match="'bob' already exists with role 'patient'"):
        call_command("create_therapist", "--username", "bob", "--password", "Whatever-1")
    assert User.objects.get(username="bob").role == User.Role.PATIENT


def test_seed_demo_is_idempotent_and_its_logins_work(db, client):
    call_command("seed_demo")
    count = User.objects.count()
    call_command("seed_demo")

    assert User.objects.count() == count
    assert client.login(username="demo_therapist", password="demo-pass-2026")
    assert client.login(username="demo_patient", password="demo-pass-2026")


def test_sign_in_page_speaks_chinese_by_default_and_english_when_asked(db, client):
    chinese = client.get("/accounts/login/")
    english = client.get("/accounts/login/", headers={"accept-language": "en"})

    assert "登录" in chinese.text
    assert '<html lang="zh-hans">' in chinese.text
    assert "Sign in" in english.text
    assert '<html lang="en">' in english.text


def test_language_switcher_overrides_the_browser(db, client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302

    page = client.get("/accounts/login/", headers={"accept-language": "zh-hans"})
    assert '<html lang="en">' in page.text
    assert "This is exercise advice, not a diagnosis" in page.text


def test_every_page_carries_the_medical_caveat_in_chinese(db, client):
    page = client.get("/accounts/login/")
    assert "不能作为诊断或治疗依据" in page.text


def test_create_clinic_admin_makes_an_admin_of_that_clinic_who_can_sign_in(db, client):
    call_command(
        "create_clinic_admin",
        "--username",
        "carol",
        "--password",
        "S3cure-pass!",
        "--clinic",
        "North",
    )
    call_command(
        "create_clinic_admin",
        "--username",
        "carol",
        "--password",
        "Newer-pass-2",
        "--clinic",
        "North",
    )

    carol = User.objects.get(username="carol")
    assert carol.role == User.Role.CLINIC_ADMIN
    assert carol.clinic.name == "North"
    assert not carol.is_superuser
    assert client.login(username="carol", password="Newer-pass-2")
    assert client.get("/therapist/").status_code == 200


def test_create_clinic_admin_needs_a_clinic_and_keeps_roles_apart(db):
    UserFactory(username="bob")

    with pytest.raises(CommandError, match="needs a clinic"):
        call_command("create_clinic_admin", "--username", "x", "--password", "P-1", "--clinic", " ")
    with pytest.raises(CommandError, match="'bob' already exists with role 'patient'"):
        call_command(
            "create_clinic_admin", "--username", "bob", "--password", "P-1", "--clinic", "N"
        )


def test_createsuperuser_makes_no_patient(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Root-pass-2026")
    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "r@example.org")

    root = User.objects.get(username="root")
    assert root.is_superuser
    assert root.role != User.Role.PATIENT
    assert not PatientProfile.objects.filter(user=root).exists()


def test_the_database_refuses_a_superuser_patient(db):
    with pytest.raises(IntegrityError):
        UserFactory(username="sneaky", is_superuser=True)
