from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tracker.models import AssignmentItem, ProgrammeAssignment
from tracker.services.assignments import assignment_change


def _keys(assignment):
    return [item.exercise.key for item in assignment.items.order_by("position")]


def test_assigning_a_template_copies_its_items_with_explicit_dosage(patient, therapist, now):
    assignment = assignment_change(
        patient=patient, therapist=therapist, template_key="desk_worker_prevention"
    )

    assert assignment.version == 1
    assert assignment.is_current
    assert assignment.starts_on == date(2026, 3, 10)
    assert "waist_hip_stretch" in _keys(assignment)


def test_a_change_makes_a_new_version_and_keeps_the_old_one(patient, therapist, now):
    first = assignment_change(patient=patient, therapist=therapist, template_key="circulation")
    second = assignment_change(
        patient=patient,
        therapist=therapist,
        changes=[{"exercise": "brisk_walk", "minutes": 30, "days_per_week": 5}],
        note="tolerates more walking",
    )

    first.refresh_from_db()
    assert not first.is_current
    assert second.is_current and second.version == 2
    walk = second.items.get(exercise__key="brisk_walk")
    assert (walk.minutes, walk.days_per_week) == (30, 5)
    # The earlier version still says what was prescribed then.
    assert first.items.get(exercise__key="brisk_walk").days_per_week == 7


def test_items_can_be_removed_and_added(patient, therapist, now):
    assignment_change(patient=patient, therapist=therapist, template_key="circulation")
    second = assignment_change(
        patient=patient,
        therapist=therapist,
        remove=["brisk_walk"],
        changes=[{"exercise": "wall_stand", "minutes": 5}],
    )

    assert _keys(second) == ["wall_stand"]


def test_unknown_template_and_exercises_are_refused(patient, therapist, now):
    with pytest.raises(ValidationError) as error:
        assignment_change(patient=patient, therapist=therapist, template_key="nope")
    assert "template" in error.value.message_dict

    assignment_change(patient=patient, therapist=therapist, template_key="circulation")
    with pytest.raises(ValidationError) as error:
        assignment_change(
            patient=patient,
            therapist=therapist,
            remove=["plank"],
            changes=[{"exercise": "moonwalk"}],
        )
    assert set(error.value.message_dict) == {"remove", "changes"}
    assert ProgrammeAssignment.objects.filter(patient=patient).count() == 1


def test_superman_with_lumbar_instability_is_refused_without_an_override(patient, therapist, now):
    patient.patient_profile.conditions = ["lumbar_instability"]
    patient.patient_profile.save()

    with pytest.raises(ValidationError) as error:
        assignment_change(patient=patient, therapist=therapist, template_key="disc_recovery")

    assert "superman" in error.value.message_dict["cautions"][0]
    assert not ProgrammeAssignment.objects.exists()


def test_an_override_with_a_reason_is_recorded_with_the_therapist(patient, therapist, now):
    patient.patient_profile.conditions = ["lumbar_instability"]
    patient.patient_profile.save()

    assignment = assignment_change(
        patient=patient,
        therapist=therapist,
        template_key="disc_recovery",
        changes=[{"exercise": "superman", "override_reason": "Instability fused; surgeon agrees"}],
    )

    superman = assignment.items.get(exercise__key="superman")
    assert superman.overridden_cautions == ["lumbar_instability"]
    assert superman.overridden_by == therapist
    assert superman.overridden_at is not None
    # Carried into the next version unchanged.
    second = assignment_change(
        patient=patient, therapist=therapist, changes=[{"exercise": "plank", "sets": 2}]
    )
    carried = second.items.get(exercise__key="superman")
    assert carried.override_reason == "Instability fused; surgeon agrees"
    assert carried.overridden_at == superman.overridden_at


def test_core_loading_is_refused_in_the_acute_phase(patient, therapist, now):
    patient.patient_profile.episode_started_on = date(2026, 3, 1)  # day 9: acute
    patient.patient_profile.save()

    with pytest.raises(ValidationError) as error:
        assignment_change(patient=patient, therapist=therapist, template_key="disc_recovery")
    refused = {message.split(":")[0] for message in error.value.message_dict["cautions"]}
    assert refused == {"five_point_bridge", "glute_bridge", "plank", "superman"}

    acute = assignment_change(patient=patient, therapist=therapist, template_key="acute_sciatica")
    assert "heat_therapy" in _keys(acute)


def test_a_first_change_needs_a_template(patient, therapist, now):
    with pytest.raises(ValidationError) as error:
        assignment_change(patient=patient, therapist=therapist, changes=[{"exercise": "plank"}])
    assert "template" in error.value.message_dict


def test_database_allows_one_current_version_per_patient(patient, therapist, now):
    first = assignment_change(patient=patient, therapist=therapist, template_key="circulation")

    with pytest.raises(IntegrityError):
        ProgrammeAssignment.objects.create(
            patient=patient, version=2, starts_on=first.starts_on, created_by=therapist
        )


def test_database_refuses_an_override_without_its_author(patient, therapist, now):
    assignment = assignment_change(patient=patient, therapist=therapist, template_key="circulation")

    with pytest.raises(IntegrityError):
        AssignmentItem.objects.filter(assignment=assignment).update(override_reason="because")
