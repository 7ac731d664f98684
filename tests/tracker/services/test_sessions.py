from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tests.factories import UserFactory
from tracker.models import SessionLog
from tracker.services.assignments import assignment_change
from tracker.services.sessions import session_log_create


def test_a_programme_item_session_records_the_local_date(patient, therapist, now):
    item = assignment_change(
        patient=patient, therapist=therapist, template_key="circulation"
    ).items.get()
    # 17:30 UTC on 10 March is 01:30 on 11 March in Shanghai.
    session = session_log_create(
        patient=patient,
        item_id=item.public_id,
        performed_at=datetime(2026, 3, 9, 17, 30, tzinfo=UTC),
        minutes=20,
        pain_during=2,
        difficulty="right",
    )

    assert session.exercise.key == "brisk_walk"
    assert session.performed_on == date(2026, 3, 10)


def test_a_free_exercise_can_be_logged(patient, now):
    session = session_log_create(patient=patient, exercise_key="wall_stand", minutes=5)

    assert session.item is None
    assert session.performed_on == date(2026, 3, 10)


def test_another_patients_item_is_no_such_item(patient, other_patient, other_therapist, now):
    theirs = assignment_change(
        patient=other_patient, therapist=other_therapist, template_key="circulation"
    ).items.get()

    with translation.override("en"), pytest.raises(ValidationError) as error:
        session_log_create(patient=patient, item_id=theirs.public_id)

    assert error.value.message_dict == {"item": ["No such programme item."]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"minutes": -1}, "minutes"),
        ({"pain_during": 11}, "pain_during"),
        ({"difficulty": "brutal"}, "difficulty"),
        ({"performed_at": datetime(2026, 3, 10, 5, 0, tzinfo=UTC)}, "performed_at"),
        (
            {"performed_at": datetime(2026, 3, 10, 4, 0, tzinfo=UTC) - timedelta(days=91)},
            "performed_at",
        ),
        ({"exercise_key": None}, "item"),
        ({"exercise_key": "moonwalk"}, "exercise"),
    ],
)
def test_bad_sessions_are_refused(patient, now, changes, field):
    with pytest.raises(ValidationError) as error:
        session_log_create(patient=patient, **{"exercise_key": "plank", **changes})

    assert field in error.value.message_dict
    assert not SessionLog.objects.exists()


def test_a_user_without_a_patient_record_cannot_log(db, now):
    with pytest.raises(ValidationError):
        session_log_create(patient=UserFactory(), exercise_key="plank")
