from datetime import date

import pytest
from django.core.exceptions import ValidationError
from rest_framework.authtoken.models import Token

from reminders.models import Delivery, InboxMessage, ReminderSchedule
from reminders.services import reminder_schedule_upsert
from tracker.models import (
    AuditEvent,
    CheckIn,
    Flag,
    PatientProfile,
    ProgrammeAssignment,
    SessionLog,
)
from tracker.services.assignments import assignment_change
from tracker.services.checkins import checkin_submit
from tracker.services.erasure import account_erase
from tracker.services.sessions import session_log_create


@pytest.fixture
def history(patient, therapist, now):
    item = assignment_change(
        patient=patient, therapist=therapist, template_key="circulation"
    ).items.get()
    session_log_create(patient=patient, item_id=item.public_id, minutes=20)
    checkin_submit(
        patient=patient,
        on=date(2026, 3, 10),
        answers={"back_pain": 3, "leg_pain": 4, "numbness": 1, "note": "张三 phoned"},
    )
    checkin_submit(
        patient=patient,
        on=date(2026, 3, 9),
        answers={"back_pain": 3, "leg_pain": 4, "numbness": 1, "bowel_bladder_change": True},
    )
    reminder_schedule_upsert(user=patient, kind="stand_up")
    Token.objects.create(user=patient)


def test_erasure_deletes_health_data_and_anonymises_the_login(patient, history):
    account_erase(user=patient, password="Correct-horse-42")

    patient.refresh_from_db()
    assert not patient.is_active
    assert patient.username.startswith("erased-")
    assert not patient.has_usable_password()
    for model in (CheckIn, SessionLog, ProgrammeAssignment, PatientProfile, Token, Flag):
        assert not model.objects.filter(
            **{"user" if model in (PatientProfile, Token) else "patient": patient}
        ).exists()
    for model in (ReminderSchedule, Delivery, InboxMessage):
        assert not model.objects.filter(user=patient).exists()
    # The audit trail stays, including the erasure itself.
    assert AuditEvent.objects.filter(patient=patient, action="erase").exists()
    assert AuditEvent.objects.filter(patient=patient, action="create").count() == 4


def test_a_wrong_password_erases_nothing(patient, history):
    with pytest.raises(ValidationError) as error:
        account_erase(user=patient, password="nope")

    assert "password" in error.value.message_dict
    assert CheckIn.objects.filter(patient=patient).exists()


def test_erasure_removes_the_psfs_activities_and_ratings(patient, therapist, history):
    from tracker.models import PsfsActivity, PsfsRating
    from tracker.services.psfs import psfs_activity_add, psfs_rate

    mine = psfs_activity_add(patient=patient, text="弯腰穿袜子", by=patient)
    theirs = psfs_activity_add(patient=patient, text="Sitting through a meeting", by=therapist)
    psfs_rate(patient=patient, scores={mine: 3, theirs: 5}, on=date(2026, 3, 10), by=patient)

    account_erase(user=patient, password="Correct-horse-42")

    assert not PsfsActivity.objects.filter(patient=patient).exists()
    assert not PsfsRating.objects.filter(activity__patient=patient).exists()
    assert PsfsActivity.objects.count() == PsfsRating.objects.count() == 0
