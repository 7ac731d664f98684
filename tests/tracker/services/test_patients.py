from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tracker.models import CareTeamMember, PatientProfile
from tracker.services.patients import care_team_add, patient_create, patient_update


def test_a_therapist_creates_a_patient_who_can_sign_in(therapist, client, now):
    profile = patient_create(
        therapist=therapist,
        username="li.wei",
        password="Lumbar-Spine-2026",
        display_name="李伟",
        timezone="Asia/Shanghai",
        conditions=["sciatica"],
    )

    assert profile.clinic == therapist.clinic
    assert profile.user.is_patient
    assert CareTeamMember.objects.filter(patient=profile.user, therapist=therapist).exists()
    assert client.login(username="li.wei", password="Lumbar-Spine-2026")


def test_invalid_patient_details_are_reported_per_field(therapist, patient, now):
    with pytest.raises(ValidationError) as error:
        patient_create(
            therapist=therapist,
            username="pat",
            password="123",
            display_name="Someone",
            timezone="Mars/Olympus",
            conditions=["gout"],
            date_of_birth=date(2030, 1, 1),
        )

    assert set(error.value.message_dict) == {
        "username",
        "password",
        "timezone",
        "conditions",
        "date_of_birth",
    }
    assert PatientProfile.objects.count() == 1


def test_only_therapists_change_conditions_and_the_episode(patient, therapist, now):
    profile = patient.patient_profile
    with pytest.raises(ValidationError) as error:
        patient_update(profile=profile, actor=patient, conditions=["lumbar_instability"])
    assert "conditions" in error.value.message_dict

    patient_update(profile=profile, actor=patient, language="en", timezone="Europe/London")
    patient_update(profile=profile, actor=therapist, episode_started_on=date(2026, 3, 5))
    profile.refresh_from_db()
    assert (profile.language, profile.timezone) == ("en", "Europe/London")
    assert profile.phase_on(date(2026, 3, 10)) == "acute"
    assert profile.phase_on(date(2026, 3, 19)) == "recovery"


def test_a_colleague_of_the_same_clinic_can_join_the_care_team(
    patient, therapist, colleague, other_therapist, now
):
    profile = patient.patient_profile
    care_team_add(profile=profile, actor=therapist, therapist_id=colleague.public_id)
    care_team_add(profile=profile, actor=therapist, therapist_id=colleague.public_id)

    assert CareTeamMember.objects.filter(patient=patient).count() == 2
    with pytest.raises(ValidationError):
        care_team_add(profile=profile, actor=therapist, therapist_id=other_therapist.public_id)
