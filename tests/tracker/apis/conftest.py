from datetime import date
from types import SimpleNamespace

import pytest

from reminders.models import InboxMessage
from tests.factories import ClinicAdminFactory
from tests.reminders.factories import PushSubscriptionFactory, StandUpScheduleFactory
from tests.tracker.support import (  # noqa: F401 - fixtures
    api,
    clinic_admin,
    colleague,
    now,
    other_clinic_admin,
    other_patient,
    patient,
)
from tracker.models import Flag
from tracker.services.assignments import assignment_change
from tracker.services.checkins import checkin_submit
from tracker.services.invitations import therapist_invite
from tracker.services.psfs import psfs_activity_add
from tracker.services.sessions import session_log_create

HISTORY_DAY = date(2026, 3, 9)  # the day before `now`, so today's check-in is still to come


def _own_reminder_objects(user) -> SimpleNamespace:
    return SimpleNamespace(
        schedule=StandUpScheduleFactory(user=user),
        subscription=PushSubscriptionFactory(user=user),
        message=InboxMessage.objects.create(
            user=user, kind="stand_up", title="Time to stand up", body="…", dedupe_key="t"
        ),
    )


@pytest.fixture
def subject(patient, therapist, now):  # noqa: F811 - the fixtures imported above
    """The patient's record with one of everything an endpoint can address: a programme, a
    session, yesterday's check-in and the flag it opened, and their own reminder schedule,
    push subscription and inbox message (and the therapist's own, for the therapist's calls)."""
    item = assignment_change(
        patient=patient, therapist=therapist, template_key="circulation"
    ).items.get()
    session = session_log_create(patient=patient, item_id=item.public_id, minutes=20)
    checkin_submit(
        patient=patient,
        on=HISTORY_DAY,
        answers={"back_pain": 3, "leg_pain": 4, "numbness": 2, "stopped_walking": True},
    )
    admin = ClinicAdminFactory(username="admin", clinic=therapist.clinic)
    return SimpleNamespace(
        patient=patient,
        therapist=therapist,
        # A therapist invitation of the patient's clinic, for the invitation endpoints.
        invitation=therapist_invite(
            admin=admin, name="New colleague", email="new@example.org", language="en"
        ).invitation,
        session=session,
        activity=psfs_activity_add(patient=patient, text="Sitting through a film", by=patient),
        flag=Flag.objects.filter(patient=patient).latest("opened_at"),
        reminders={
            "patient": _own_reminder_objects(patient),
            "therapist": _own_reminder_objects(therapist),
        },
    )
