"""A flag's life (CLINICAL.md §4a): opened from its first evidence, never hidden by a correction
once someone was told of it, withdrawn on record otherwise, resolved only by a therapist."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from reminders.models import Delivery, DigestItem, InboxMessage
from tests.factories import CareTeamMemberFactory
from tracker.models import AuditEvent, Flag, FlagStatus
from tracker.services.checkins import checkin_submit
from tracker.services.flag_actions import flag_acknowledge, flag_resolve

TODAY = date(2026, 3, 10)
CALM = {"back_pain": 2, "leg_pain": 3, "numbness": 1}


def submit(patient, days_ago: int = 0, **answers):
    return checkin_submit(
        patient=patient, on=TODAY - timedelta(days=days_ago), answers={**CALM, **answers}
    )


@pytest.mark.parametrize(
    "urgent_answer",
    [
        {"saddle_numbness": True},
        {"bowel_bladder_change": True},
        {"can_walk_on_heels": False},
        {"can_walk_on_toes": False},
    ],
)
def test_a_correction_never_hides_an_urgent_flag_the_therapist_was_told_of(
    patient, therapist, now, urgent_answer
):
    submit(patient, **urgent_answer)
    assert InboxMessage.objects.filter(user=therapist).count() == 1

    # Same day, the patient sends the check-in again without the urgent answer.
    outcome = submit(patient)

    flag = Flag.objects.get(patient=patient)
    assert flag.status == FlagStatus.OPEN
    assert flag.answer_changed_at is not None
    (entry,) = flag.evidence
    field, first_value = next(iter(urgent_answer.items()))
    assert entry[field] is first_value  # the answer the therapist was told of
    assert entry["answer_now"][field] is (not first_value)  # and the corrected one
    assert entry["changed_at"]
    assert outcome.flags == []  # nothing new for the patient's page
    assert InboxMessage.objects.filter(user=therapist).count() == 1  # the alert stays


def test_a_flag_nobody_was_told_of_is_withdrawn_on_record_and_leaves_the_digest(
    patient, therapist, now
):
    submit(patient, 1, leg_pain=2)
    submit(patient, 0, leg_pain=6)  # +4 from the previous check-in: sudden_worsening
    flag = Flag.objects.get(rule="sudden_worsening")
    assert DigestItem.objects.filter(user=therapist, digested_at=None).count() == 1

    submit(patient, 0, leg_pain=3)  # corrected the same day: +1 only

    flag.refresh_from_db()
    assert flag.status == FlagStatus.WITHDRAWN
    assert flag.withdrawn_at is not None
    assert flag.evidence[0]["leg_pain"] == [2, 6]  # what was withdrawn, and why
    assert flag.evidence[0]["answer_now"]["leg_pain"] == 3
    assert not DigestItem.objects.filter(user=therapist).exists()


def test_a_flag_whose_digest_went_out_stays_open_after_a_correction(patient, therapist, now):
    submit(patient, 1, leg_pain=2)
    submit(patient, 0, leg_pain=6)
    DigestItem.objects.update(digested_at=timezone.now())

    submit(patient, 0, leg_pain=3)

    flag = Flag.objects.get(rule="sudden_worsening")
    assert flag.status == FlagStatus.OPEN
    assert flag.answer_changed_at is not None


def test_an_acknowledged_flag_stays_after_a_correction(patient, therapist, now):
    submit(patient, 1, leg_pain=2)
    submit(patient, 0, leg_pain=6)
    flag_acknowledge(flag=Flag.objects.get(), by=therapist, note="Calling today")

    submit(patient, 0, leg_pain=3)

    flag = Flag.objects.get()
    assert flag.status == FlagStatus.ACKNOWLEDGED
    assert flag.evidence[0]["answer_now"]["leg_pain"] == 3


def test_answering_as_before_again_clears_the_changed_mark(patient, therapist, now):
    submit(patient, saddle_numbness=True)
    submit(patient)
    submit(patient, saddle_numbness=True)

    flag = Flag.objects.get()
    assert flag.answer_changed_at is None
    assert "answer_now" not in flag.evidence[0]


def test_partial_loss_on_an_untold_flag_just_drops_that_day(patient, now):
    for days_ago in (2, 1, 0):
        submit(patient, days_ago, night_pain=True)
    flag = Flag.objects.get(rule="night_pain")
    assert [e["date"] for e in flag.evidence] == ["2026-03-09", "2026-03-10"]

    submit(patient, 1)  # 03-09 corrected: 1 bad night of 3 there, still 2 of 3 on 03-10
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN
    assert [e["date"] for e in flag.evidence] == ["2026-03-10"]
    assert flag.opened_on == TODAY
    assert "changed_at" not in str(flag.evidence)


@pytest.mark.parametrize("days_ago", [1, 4, 9])
def test_a_flag_opens_on_the_date_of_its_first_evidence_not_when_it_was_written(
    patient, now, days_ago
):
    submit(patient, days_ago, saddle_numbness=True)

    flag = Flag.objects.get()
    assert flag.opened_on == TODAY - timedelta(days=days_ago)
    assert flag.last_evidence_on == TODAY - timedelta(days=days_ago)
    assert timezone.localdate(flag.opened_at, timezone=patient.patient_profile.tzinfo) == TODAY

    submit(patient, 0, saddle_numbness=True)
    flag.refresh_from_db()
    assert (flag.opened_on, flag.last_evidence_on) == (TODAY - timedelta(days=days_ago), TODAY)


@pytest.mark.parametrize(("age", "stale"), [(0, False), (6, False), (7, True), (20, True)])
def test_a_flag_reads_as_stale_after_seven_days_without_new_evidence(patient, now, age, stale):
    submit(patient, age, saddle_numbness=True)
    flag = Flag.objects.get()

    assert flag.is_stale(TODAY) is stale


def test_resolving_takes_the_flag_out_of_the_waiting_digest_only(
    patient, therapist, colleague, now
):
    CareTeamMemberFactory(patient=patient, therapist=colleague)
    submit(patient, 1, night_pain=True)
    submit(patient, 0, night_pain=True)
    flag = Flag.objects.get()
    DigestItem.objects.filter(user=colleague).update(digested_at=timezone.now())

    flag_resolve(flag=flag, by=therapist, note="Sleeping better with a pillow")

    assert not DigestItem.objects.filter(user=therapist).exists()
    assert DigestItem.objects.filter(user=colleague).exists()  # already sent: history


def test_acknowledging_and_resolving_are_audited(patient, therapist, now):
    submit(patient, 1, night_pain=True)
    submit(patient, 0, night_pain=True)
    flag = Flag.objects.get()
    before = AuditEvent.objects.filter(actor=therapist).count()

    flag_acknowledge(flag=flag, by=therapist)
    flag_resolve(flag=flag, by=therapist)
    flag_resolve(flag=flag, by=therapist)  # a second resolve changes nothing

    events = AuditEvent.objects.filter(actor=therapist).order_by("at")[before:]
    assert [(e.action, e.object_type, e.object_id) for e in events] == [
        ("update", "flag", str(flag.public_id)),
        ("update", "flag", str(flag.public_id)),
    ]
    assert all(e.patient == patient for e in events)


def test_an_urgent_flag_is_resolved_only_with_a_note(patient, therapist, now):
    submit(patient, saddle_numbness=True)
    flag = Flag.objects.get()

    with translation.override("en"), pytest.raises(ValidationError, match="Say what was done"):
        flag_resolve(flag=flag, by=therapist, note="  ")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN

    flag_resolve(flag=flag, by=therapist, note="Sent to A&E, MRI clear")
    assert flag.status == FlagStatus.RESOLVED


def test_alerts_carry_absolute_links(patient, therapist, now):
    submit(patient, saddle_numbness=True)

    page = f"{settings.SITE_URL}/therapist/patients/{patient.public_id}/"
    assert settings.SITE_URL.startswith("http")
    assert {row.url for row in Delivery.objects.filter(user=therapist)} == {page}
    assert InboxMessage.objects.get(user=therapist).url == page
