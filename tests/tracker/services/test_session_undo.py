"""A session logged by mistake, taken back by the patient the same day, in the audit trail."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tracker.models import AuditAction, AuditEvent, SessionLog
from tracker.services.assignments import assignment_change
from tracker.services.sessions import session_log_create, session_log_undo


@pytest.fixture
def walk_item(patient, therapist, now):
    return assignment_change(
        patient=patient, therapist=therapist, template_key="circulation"
    ).items.get()


def test_undo_removes_the_session_and_records_who_and_when(patient, walk_item):
    session = session_log_create(patient=patient, item_id=walk_item.public_id, minutes=20)

    session_log_undo(patient=patient, session=session)

    assert not SessionLog.objects.exists()
    event = AuditEvent.objects.get(action=AuditAction.DELETE)
    assert (event.actor, event.patient, event.object_type) == (patient, patient, "session")
    assert event.object_id == str(session.public_id)
    assert event.clinic_id == patient.patient_profile.clinic_id


def test_undoing_twice_records_once(patient, walk_item):
    session = session_log_create(patient=patient, item_id=walk_item.public_id, minutes=20)
    session_log_undo(patient=patient, session=session)
    session_log_undo(patient=patient, session=session)
    assert AuditEvent.objects.filter(action=AuditAction.DELETE).count() == 1


def test_only_the_same_day(patient, walk_item, time_machine):
    session = session_log_create(patient=patient, item_id=walk_item.public_id, minutes=20)
    time_machine.shift(timedelta(days=1))
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        session_log_undo(patient=patient, session=session)
    assert "today" in str(raised.value)
    assert SessionLog.objects.filter(pk=session.pk).exists()
    assert not AuditEvent.objects.filter(action=AuditAction.DELETE).exists()


def test_only_ones_own(patient, other_patient, walk_item):
    session = session_log_create(patient=patient, item_id=walk_item.public_id, minutes=20)
    with pytest.raises(SessionLog.DoesNotExist):
        session_log_undo(patient=other_patient, session=session)
    assert SessionLog.objects.filter(pk=session.pk).exists()


def test_the_api_undoes_the_own_session_and_is_404_for_anyone_else(
    api, patient, other_patient, therapist, walk_item
):
    session = session_log_create(patient=patient, item_id=walk_item.public_id, minutes=20)
    url = f"/api/v1/sessions/{session.public_id}/undo/"
    for outsider in (other_patient, therapist):
        assert api(outsider).post(url).status_code == 404
    assert SessionLog.objects.filter(pk=session.pk).exists()
    assert api(patient).post(url).status_code == 204
    assert not SessionLog.objects.exists()
    assert api(patient).post(url).status_code == 404  # gone: like any session not yours
