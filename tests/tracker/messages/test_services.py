"""Writing messages and telling the reader: collapse, quiet hours, digest, language, scoping."""

from datetime import time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reminders.models import Delivery, DigestItem, InboxMessage
from reminders.services import deliveries_sweep, reminder_schedule_upsert
from tests.factories import CareTeamMemberFactory
from tracker.models import AuditEvent, Message, MessageSettings
from tracker.selectors.messages import caseload_unread_counts, messages_unread_count
from tracker.services.assignments import assignment_change
from tracker.services.checkins import checkin_submit
from tracker.services.messages import (
    About,
    conversation_mark_read,
    conversation_of,
    message_send,
)


def test_a_patient_message_reaches_every_therapist_once_however_many_come_quickly(
    patient, therapist, colleague, now
):
    CareTeamMemberFactory(patient=patient, therapist=colleague)
    for text in ("Is it normal that my calf cramps?", "After the bridge, I mean.", "Thanks"):
        message_send(patient=patient, author=patient, body=text)

    for who in (therapist, colleague):
        rows = Delivery.objects.filter(user=who)
        assert sorted(rows.values_list("channel", flat=True)) == ["email", "push"]
        assert all("3 new messages" in row.body and "Pat" in row.body for row in rows)
        [inbox] = InboxMessage.objects.filter(user=who)
        assert "3 new messages" in inbox.body
    assert messages_unread_count(user=therapist) == 3
    unread = caseload_unread_counts(user=therapist, patient_ids=[patient.pk])
    assert unread.by_patient == {patient.pk: 3}


def test_the_notification_waits_for_more_then_the_sweeper_sends_it_and_a_new_burst_starts(
    patient, therapist, now, time_machine
):
    message_send(patient=patient, author=patient, body="First")
    [push] = Delivery.objects.filter(user=therapist, channel="push")
    assert push.locked_until > timezone.now()  # held back for the collapse window
    assert deliveries_sweep() == []

    time_machine.shift(timedelta(seconds=61))
    assert push.pk in deliveries_sweep()
    Delivery.objects.filter(pk=push.pk).update(status="sent", attempts=1)

    message_send(patient=patient, author=patient, body="Second")
    assert Delivery.objects.filter(user=therapist, channel="push").count() == 2


def test_an_answer_in_the_patients_quiet_hours_waits_for_their_end(patient, therapist, now):
    # 12:00 in Shanghai now; quiet from 11:00 to 14:00 local.
    reminder_schedule_upsert(
        user=patient,
        kind="stand_up",
        quiet_from=time(11, 0),
        quiet_until=time(14, 0),
        channels=["push", "email"],
    )
    message_send(patient=patient, author=therapist, body="Yes, keep going gently.")

    rows = Delivery.objects.filter(user=patient)
    assert sorted(rows.values_list("channel", flat=True)) == ["email", "push"]
    for row in rows:
        local = timezone.localtime(row.due_at, timezone=patient.patient_profile.tzinfo)
        assert (local.hour, local.minute) == (14, 0)
        assert row.status == "pending" and row.locked_until == row.due_at


def test_the_patient_is_told_in_their_own_language(patient, therapist, now):
    patient.patient_profile.language = "zh-hans"
    patient.patient_profile.save()
    message_send(patient=patient, author=therapist, body="好的")
    [row] = Delivery.objects.filter(user=patient)
    assert "护理团队" in row.title or "治疗" in row.title, row.title

    patient.patient_profile.language = "en"
    patient.patient_profile.save()
    Delivery.objects.all().delete()
    InboxMessage.objects.all().delete()
    message_send(patient=patient, author=therapist, body="Fine")
    [row] = Delivery.objects.filter(user=patient)
    assert row.title == "A message from your care team"


def test_a_therapist_who_chose_the_digest_gets_one_line_not_a_push(patient, therapist, now):
    MessageSettings.objects.create(user=therapist, delivery="digest")
    reminder_schedule_upsert(user=therapist, kind="therapist_digest", language="en")
    message_send(patient=patient, author=patient, body="One")
    message_send(patient=patient, author=patient, body="Two")

    assert not Delivery.objects.filter(user=therapist).exists()
    [line] = DigestItem.objects.filter(user=therapist)
    assert "2 new messages" in line.text and line.about_user == patient


def test_about_must_be_one_of_the_patients_own_records(patient, other_patient, therapist, now):
    theirs = checkin_submit(
        patient=other_patient,
        on=timezone.localdate(),
        answers={"back_pain": 1, "leg_pain": 1, "numbness": 0},
    )
    theirs = getattr(theirs, "checkin", theirs)
    with pytest.raises(ValidationError) as error:
        message_send(
            patient=patient, author=patient, body="?", about=About("checkin", theirs.public_id)
        )
    assert "about" in error.value.message_dict
    assert not Message.objects.exists()

    item = assignment_change(
        patient=patient, therapist=therapist, template_key="circulation"
    ).items.get()
    message, _ = message_send(
        patient=patient, author=patient, body="How fast?", about=About("item", item.public_id)
    )
    assert message.about_item == item


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_empty_or_too_long_is_refused_and_nothing_is_stored(patient, body):
    with pytest.raises(ValidationError):
        message_send(patient=patient, author=patient, body=body)
    assert not Message.objects.exists()


def test_only_the_patient_and_their_care_team_write(patient, other_therapist, other_patient):
    for outsider in (other_therapist, other_patient):
        with pytest.raises(PermissionDenied):
            message_send(patient=patient, author=outsider, body="Hello")


def test_the_same_client_key_stores_one_message(patient, now):
    first, created = message_send(patient=patient, author=patient, body="Hi", client_key="k-1")
    again, created_again = message_send(
        patient=patient, author=patient, body="Hi", client_key="k-1"
    )
    assert created and not created_again and first.pk == again.pk
    assert Message.objects.count() == 1


def test_reading_clears_the_unread_count_and_the_inbox_row(patient, therapist, now):
    message_send(patient=patient, author=therapist, body="How are you today?")
    assert messages_unread_count(user=patient) == 1
    assert InboxMessage.objects.filter(user=patient, read_at=None).count() == 1

    conversation_mark_read(conversation=conversation_of(patient=patient), user=patient)

    assert messages_unread_count(user=patient) == 0
    assert not InboxMessage.objects.filter(user=patient, read_at=None).exists()


def test_every_write_is_an_audit_event(patient, therapist, now):
    message, _ = message_send(patient=patient, author=patient, body="Hi")
    assert AuditEvent.objects.filter(
        patient=patient,
        actor=patient,
        action="create",
        object_type="message",
        object_id=str(message.public_id),
    ).exists()


def test_a_flag_note_can_go_to_the_patient(patient, therapist, now):
    from tracker.models import Flag
    from tracker.services.flag_actions import flag_acknowledge, flag_resolve

    checkin_submit(
        patient=patient,
        on=timezone.localdate(),
        answers={"back_pain": 3, "leg_pain": 4, "numbness": 2, "bowel_bladder_change": True},
    )
    flag = Flag.objects.get(patient=patient, rule="cauda_equina")
    flag_acknowledge(flag=flag, by=therapist, note="Seen; keep the diary")
    assert not Message.objects.exists()  # not ticked

    flag_resolve(
        flag=flag, by=therapist, note="Sleeping better, so resolved.", send_to_patient=True
    )
    [message] = Message.objects.all()
    assert message.body == "Sleeping better, so resolved."
    assert message.from_flag == flag and message.side == "care_team"
    assert messages_unread_count(user=patient) == 1
