from datetime import date, timedelta

import pytest
from axes.models import AccessAttempt
from django.core.exceptions import ValidationError
from django.utils import timezone
from knox.models import AuthToken

from reminders.models import Delivery, InboxMessage, ReminderSchedule
from reminders.services import reminder_schedule_upsert
from tests.factories import UserFactory
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


# --- erasure leaves nothing (issue 15) -------------------------------------------------------

NAME = "张伟测试"
USERNAME = "zhang_wei_77"
EMAIL = "zhangwei77@example.cn"
CHECKIN_NOTE = "左腿麻木加重 after gardening QX-17"
SESSION_NOTE = "桥式做完膝盖酸 ZK-44"
MESSAGE = "走路时左脚发麻 MS-58"
ANSWER = "Walk slower for a week, MA-63"


def _everything_that_mentions(values: list[str]) -> dict[str, list]:
    """Every table, every column (cast to text), searched for each value: table → rows."""
    from django.db import connection

    quote = connection.ops.quote_name
    found: dict[str, list] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            ]
            conditions, params = [], []
            for column in columns:
                for value in values:
                    conditions.append(
                        f"UPPER(CAST({quote(column)} AS TEXT)) LIKE UPPER(%s) ESCAPE '\\'"
                    )
                    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                    params.append(f"%{escaped}%")
            cursor.execute(
                f"SELECT * FROM {quote(table)} WHERE {' OR '.join(conditions)}",  # noqa: S608
                params,
            )
            rows = cursor.fetchall()
            if rows:
                found[table] = rows
    return found


@pytest.fixture
def rich_history(therapist, colleague, api, settings, now):
    """A patient created through the API (with an Idempotency-Key), on two therapists' care
    team, with notes in check-ins and sessions, an urgent flag both therapists were alerted to,
    night-pain flags in a digest already written (shared with another patient of the same
    therapist), a push subscription and reminders in their own inbox."""
    from reminders.models import ReminderSchedule
    from reminders.services import reminders_dispatch
    from tests.factories import CareTeamMemberFactory
    from tests.reminders.factories import PushSubscriptionFactory
    from tests.tracker.support import enroll
    from tracker.models import User

    settings.PUSH_SERVICE_HOSTS = ["fcm.googleapis.com"]
    created = api(therapist).post(
        "/api/v1/patients/",
        {
            "username": USERNAME,
            "password": "Correct-horse-42",
            "display_name": NAME,
            "email": EMAIL,
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="create-zhang",
    )
    assert created.status_code == 201, created.json()
    patient = User.objects.get(username=USERNAME)
    CareTeamMemberFactory(patient=patient, therapist=colleague)
    # Someone else in the same digest: their line must stay.
    neighbour = enroll(UserFactory(username="li_si_88"), therapist, display_name="李四邻居")

    item = assignment_change(
        patient=patient, therapist=therapist, template_key="circulation"
    ).items.get()
    session_log_create(patient=patient, item_id=item.public_id, minutes=20, note=SESSION_NOTE)
    for who in (patient, neighbour):
        for day in (8, 9):
            checkin_submit(
                patient=who,
                on=date(2026, 3, day),
                answers={"back_pain": 5, "leg_pain": 5, "numbness": 2, "night_pain": True},
            )
    checkin_submit(
        patient=patient,
        on=date(2026, 3, 10),
        answers={
            "back_pain": 3,
            "leg_pain": 4,
            "numbness": 1,
            "bowel_bladder_change": True,
            "note": CHECKIN_NOTE,
        },
    )
    # Messages both ways (issue 12): the care team and the patient are told of them.
    from tracker.services.messages import message_send

    message_send(patient=patient, author=patient, body=MESSAGE)
    message_send(patient=patient, author=therapist, body=ANSWER)
    PushSubscriptionFactory(
        user=patient,
        endpoint="https://fcm.googleapis.com/fcm/send/zhang-phone",
        user_agent=f"Mozilla/5.0 ({USERNAME}'s phone)",
    )
    # Their own reminders and the therapist's digest come due and are written out.
    ReminderSchedule.objects.filter(user__in=[patient, therapist]).update(
        next_due_at=timezone.now() - timedelta(minutes=1),
        active_from="00:00",
        active_until="23:59",
    )
    reminders_dispatch()
    return patient, neighbour


def test_after_erasure_no_table_holds_anything_that_identifies_the_patient(
    rich_history, therapist, colleague
):
    from reminders.models import DigestItem, InboxMessage

    patient, neighbour = rich_history
    values = [NAME, USERNAME, EMAIL, str(patient.public_id), patient.public_id.hex]
    values += [CHECKIN_NOTE, SESSION_NOTE, MESSAGE, ANSWER]
    before = _everything_that_mentions(values)
    # The test can fail: the care team was told, in their inbox and outbox and digest.
    assert {
        "reminders_inboxmessage",
        "reminders_delivery",
        "reminders_digestitem",
        "tracker_idempotencyrecord",
        "tracker_checkin",
        "tracker_sessionlog",
        "tracker_message",
    } <= set(before)
    assert any(
        message.title.startswith("紧急 Urgent: " + NAME)
        for message in InboxMessage.objects.filter(user__in=[therapist, colleague])
    )

    account_erase(user=patient, password="Correct-horse-42")

    assert _everything_that_mentions(values) == {}
    # The neighbour's line in the digest the therapist already has is still there.
    [digest] = InboxMessage.objects.filter(user=therapist, kind="therapist_digest")
    assert "李四邻居" in digest.body and digest.title.startswith("1 ")
    assert DigestItem.objects.filter(about_user=neighbour).exists()
    # The audit trail is kept, pointing at the anonymised account.
    assert AuditEvent.objects.filter(patient=patient, action="erase").exists()
    assert AuditEvent.objects.filter(patient=patient, action="create").exists()


def test_care_team_messages_written_before_they_named_the_patient_go_too(patient, therapist):
    # Rows from before `about_user` existed: found by the link to the patient's page.
    from reminders.models import DigestItem
    from reminders.services import digest_item_add, notification_send_now
    from tracker.services.flag_notifications import patient_page_url

    url = patient_page_url(patient)
    notification_send_now(
        user=therapist, key="flag:old", title="紧急 Urgent: Pat", body="…", url=url
    )
    digest_item_add(user=therapist, key="flag:older", text="Pat: night pain", url=url)
    assert InboxMessage.objects.filter(user=therapist, about_user=None).exists()

    account_erase(user=patient, password="Correct-horse-42")

    assert not InboxMessage.objects.filter(user=therapist).exists()
    assert not Delivery.objects.filter(user=therapist).exists()
    assert not DigestItem.objects.filter(user=therapist).exists()


def test_erasure_forgets_the_failed_sign_ins_recorded_under_the_username(api, patient):
    api().post("/api/v1/auth/token/", {"username": "Pat", "password": "wrong"}, format="json")
    assert AccessAttempt.objects.filter(username="pat").exists()

    account_erase(user=patient, password="Correct-horse-42")

    assert not AccessAttempt.objects.filter(username__icontains="pat").exists()


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
