from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import translation

from tests.factories import CheckInFactory
from tracker.models import AuditEvent, CheckIn
from tracker.services.checkins import checkin_submit

SCORES = {"back_pain": 6, "leg_pain": 7, "numbness": 3}


def test_first_checkin_of_a_day_is_created(patient, now):
    outcome = checkin_submit(patient=patient, on=date(2026, 3, 10), answers=SCORES)
    checkin, created = outcome.checkin, outcome.created

    assert created
    assert (checkin.back_pain, checkin.leg_pain, checkin.numbness) == (6, 7, 3)
    assert checkin.can_walk_on_heels and not checkin.bowel_bladder_change
    assert AuditEvent.objects.filter(patient=patient, action="create").count() == 1


def test_resubmitting_a_day_updates_it_and_keeps_the_earlier_answers(patient, now):
    checkin_submit(patient=patient, on=date(2026, 3, 10), answers=SCORES)
    outcome = checkin_submit(
        patient=patient, on=date(2026, 3, 10), answers={**SCORES, "leg_pain": 4, "note": "better"}
    )
    checkin, created = outcome.checkin, outcome.created

    assert not created
    assert CheckIn.objects.filter(patient=patient).count() == 1
    assert checkin.leg_pain == 4
    (revision,) = checkin.revisions.all()
    assert revision.answers["leg_pain"] == 7
    assert revision.answers["note"] == ""


def test_resubmitting_the_same_answers_adds_no_revision(patient, now):
    checkin_submit(patient=patient, on=date(2026, 3, 10), answers=SCORES)
    outcome = checkin_submit(patient=patient, on=date(2026, 3, 10), answers=SCORES)
    checkin, created = outcome.checkin, outcome.created

    assert not created
    assert not checkin.revisions.exists()


def test_date_is_checked_in_the_patients_time_zone(patient, now):
    # 04:00 UTC on 10 March is noon in Shanghai but 20:00 on 9 March in Los Angeles.
    checkin_submit(patient=patient, on=date(2026, 3, 10), answers=SCORES)
    patient.patient_profile.timezone = "America/Los_Angeles"
    patient.patient_profile.save()

    # The refusal speaks the active language (the API activates the patient's): English here.
    with translation.override("en"), pytest.raises(ValidationError) as error:
        checkin_submit(patient=patient, on=date(2026, 3, 10), answers=SCORES)

    assert "future" in error.value.message_dict["date"][0]


@pytest.mark.parametrize(
    ("on", "accepted"),
    [
        (date(2025, 12, 10), True),  # exactly 90 days back
        (date(2025, 12, 9), False),
        (date(2026, 3, 11), False),
    ],
)
def test_dates_up_to_90_days_back_and_never_ahead(patient, now, on, accepted):
    if accepted:
        checkin_submit(patient=patient, on=on, answers=SCORES)
        assert CheckIn.objects.filter(patient=patient, date=on).exists()
    else:
        with pytest.raises(ValidationError) as error:
            checkin_submit(patient=patient, on=on, answers=SCORES)
        assert "date" in error.value.message_dict
        assert not CheckIn.objects.exists()


def test_invalid_answers_get_a_message_per_field_and_store_nothing(patient, now):
    answers = {
        "back_pain": 11,
        "leg_pain": -1,
        "numbness": 3,
        "numbness_areas": ["left_knee"],
        "walking_minutes": -5,
    }
    with pytest.raises(ValidationError) as error:
        checkin_submit(patient=patient, on=date(2026, 3, 10), answers=answers)

    assert set(error.value.message_dict) == {
        "back_pain",
        "leg_pain",
        "numbness_areas",
        "walking_minutes",
    }
    assert not CheckIn.objects.exists()
    assert not AuditEvent.objects.exists()


def test_numbness_areas_are_stored_in_a_canonical_order(patient, now):
    outcome = checkin_submit(
        patient=patient,
        on=date(2026, 3, 10),
        answers={**SCORES, "numbness_areas": ["left_toes", "left_buttock", "left_toes"]},
    )
    checkin = outcome.checkin

    assert checkin.numbness_areas == ["left_buttock", "left_toes"]


def test_database_refuses_a_score_out_of_range(patient):
    with pytest.raises(IntegrityError):
        CheckInFactory(patient=patient, back_pain=11)


def test_database_refuses_a_second_checkin_for_the_same_day(patient):
    CheckInFactory(patient=patient, date=date(2026, 3, 1))
    with pytest.raises(IntegrityError):
        CheckInFactory(patient=patient, date=date(2026, 3, 1))
