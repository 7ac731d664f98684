from datetime import date

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from knox.models import AuthToken

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
    AuthToken.objects.create(user=patient)


def test_erasure_deletes_health_data_and_anonymises_the_login(patient, history):
    account_erase(user=patient, password="Correct-horse-42")

    patient.refresh_from_db()
    assert not patient.is_active
    assert patient.username.startswith("erased-")
    assert not patient.has_usable_password()
    for model in (CheckIn, SessionLog, ProgrammeAssignment, PatientProfile, AuthToken, Flag):
        assert not model.objects.filter(
            **{"user" if model in (PatientProfile, AuthToken) else "patient": patient}
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


def test_erasure_forgets_the_failed_sign_ins_recorded_under_the_username(api, patient):
    api().post("/api/v1/auth/token/", {"username": "Pat", "password": "wrong"}, format="json")
    assert AccessAttempt.objects.filter(username="pat").exists()

    account_erase(user=patient, password="Correct-horse-42")

    assert not AccessAttempt.objects.filter(username__icontains="pat").exists()
