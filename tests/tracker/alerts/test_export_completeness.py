"""The data export holds everything stored about the patient (issue 10, issue 15's rule: a
table that holds patient data is erased AND exported). Like the erasure test, this walks every
table: a model that can point at a patient (directly, or through a row that does) must be
listed below with where the export carries it, or with the reason it is left out; and with a
rich history written through the services, every row about the patient is in the export."""

import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils import timezone
from knox.models import AuthToken

from reminders.models import ReminderSchedule
from reminders.services import reminder_schedule_upsert, reminders_dispatch
from tests.factories import CareTeamMemberFactory
from tests.reminders.factories import PushSubscriptionFactory
from tracker.models import Flag, User
from tracker.services.assignments import assignment_change
from tracker.services.checkins import checkin_submit
from tracker.services.flag_actions import flag_acknowledge, flag_resolve
from tracker.services.invitations import patient_invitation_resend
from tracker.services.messages import conversation_mark_read, message_send
from tracker.services.psfs import psfs_activity_add, psfs_rate
from tracker.services.sessions import session_log_create

Rows = Callable[[dict], list[dict]]


def _items(data: dict) -> list[dict]:
    return [item for assignment in data["assignments"] for item in assignment["items"]]


def _both(part: str) -> Rows:
    return lambda data: data["reminders"][part] + data["care_team_alerts"][part]


# Where the export carries each model's rows about the patient.
EXPORTED: dict[str, Rows] = {
    "tracker.user": lambda data: [data["account"]],
    "tracker.patientprofile": lambda data: [data["profile"]],
    "tracker.careteammember": lambda data: data["care_team"],
    "tracker.programmeassignment": lambda data: data["assignments"],
    "tracker.assignmentitem": _items,
    "tracker.sessionlog": lambda data: data["sessions"],
    "tracker.checkin": lambda data: data["checkins"],
    "tracker.checkinrevision": lambda data: data["checkin_revisions"],
    "tracker.psfsactivity": lambda data: data["psfs"]["activities"],
    "tracker.psfsrating": lambda data: data["psfs"]["ratings"],
    "tracker.flag": lambda data: data["flags"],
    "tracker.flagevidence": lambda data: [e for flag in data["flags"] for e in flag["evidence"]],
    "tracker.auditevent": lambda data: data["audit"],
    "reminders.reminderschedule": lambda data: data["reminders"]["schedules"],
    "reminders.pushsubscription": lambda data: data["reminders"]["push_subscriptions"],
    "reminders.delivery": _both("deliveries"),
    "reminders.inboxmessage": _both("inbox"),
    "reminders.digestitem": lambda data: data["care_team_alerts"]["digest_items"],
    "knox.authtoken": lambda data: data["api_tokens"],
    "tracker.conversation": lambda data: [data["conversation"]["conversation"]],
    "tracker.message": lambda data: data["messages"],
    "tracker.conversationread": lambda data: data["conversation"]["reads"],
    "tracker.invitation": lambda data: data["invitations"],
}

# Tables that can point at a user but hold nothing of the patient's record, and why.
NOT_EXPORTED = {
    "tracker.idempotencyrecord": "a replay cache of the API's answers (each one's data is in "
    "the export already), kept a day so a retried request is not stored twice",
    "admin.logentry": "the Django admin's log of operators' edits; patients never sign in there",
    "tracker.user_groups": "Django permission groups: used by operators, never by patients",
    "tracker.user_user_permissions": "Django permissions: operators', never patients'",
    "exercises.programmetemplateitem": "catalogue content; its override names a therapist",
    "tracker.messagesettings": "a therapist's own choice of how new messages reach them",
}


def _label(model: type[models.Model]) -> str:
    return model._meta.label_lower


def _paths_to_user(model: type[models.Model]) -> list[str]:
    """The lookups from `model` to a user, directly or through one related row."""
    paths = []
    for field in model._meta.concrete_fields:
        if not field.is_relation or field.related_model is None:
            continue
        if field.related_model is User:
            paths.append(field.name)
            continue
        for inner in field.related_model._meta.concrete_fields:
            if inner.is_relation and inner.related_model is User:
                paths.append(f"{field.name}__{inner.name}")
    return paths


def _every_model() -> list[type[models.Model]]:
    return [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy]


def test_every_table_that_can_point_at_a_patient_is_exported_or_said_why_not():
    unlisted = sorted(
        _label(model)
        for model in _every_model()
        if _paths_to_user(model) and _label(model) not in EXPORTED | NOT_EXPORTED
    )
    assert unlisted == [], (
        f"{unlisted} can hold rows about a patient: add them to the export "
        "(tracker/selectors/export.py) and to EXPORTED here, or to NOT_EXPORTED with the reason"
    )
    known = {_label(model) for model in _every_model()}
    assert set(EXPORTED) | set(NOT_EXPORTED) <= known | {"tracker.user"}


@pytest.fixture
def rich_history(patient, therapist, colleague, settings, now):
    """A patient with everything the product stores: a programme, a session, check-ins (one
    corrected), an urgent flag acknowledged and resolved with notes, a digest flag, PSFS,
    reminder settings with quiet hours, a push subscription, reminders sent to them, an API
    sign-in, and a therapist who read the record."""
    settings.PUSH_SERVICE_HOSTS = ["push.example.test"]
    CareTeamMemberFactory(patient=patient, therapist=colleague)
    item = assignment_change(
        patient=patient, therapist=therapist, template_key="circulation"
    ).items.get()
    session_log_create(patient=patient, item_id=item.public_id, minutes=20, note="腿酸")
    calm = {"back_pain": 3, "leg_pain": 4, "numbness": 2}
    for day in (8, 9):
        checkin_submit(patient=patient, on=date(2026, 3, day), answers={**calm, "night_pain": True})
    checkin_submit(patient=patient, on=date(2026, 3, 10), answers={**calm, "note": "first"})
    checkin_submit(
        patient=patient,
        on=date(2026, 3, 10),
        answers={**calm, "saddle_numbness": True, "numbness_areas": ["left_outer_calf"]},
    )
    urgent = Flag.objects.get(patient=patient, rule="cauda_equina")
    flag_acknowledge(flag=urgent, by=therapist, note="Phoned, going to A&E")
    flag_resolve(flag=urgent, by=colleague, note="Seen in A&E, MRI clear")
    activity = psfs_activity_add(patient=patient, text="弯腰穿袜子", by=patient)
    psfs_rate(patient=patient, scores={activity: 4}, on=date(2026, 3, 10), by=patient)
    reminder_schedule_upsert(user=patient, kind="stand_up")
    ReminderSchedule.objects.filter(user=patient).update(
        quiet_from="12:00", quiet_until="13:00", channels=["push", "email"]
    )
    PushSubscriptionFactory(user=patient, endpoint="https://push.example.test/send/phone-secret")
    ReminderSchedule.objects.filter(user__in=[patient, therapist]).update(
        next_due_at=timezone.now() - timedelta(minutes=1),
        active_from="00:00",
        active_until="23:59",
    )
    reminders_dispatch()
    AuthToken.objects.create(user=patient)
    # A message from the therapist, read by the patient (one from the patient would add an
    # alert for the care team, which the tests below count).
    message, _ = message_send(patient=patient, author=therapist, body="Keep walking daily.")
    conversation_mark_read(conversation=message.conversation, user=patient)
    # The invitation they were sent before they set a password (kept after they accept it).
    patient.set_unusable_password()
    patient.save(update_fields=["password"])
    patient_invitation_resend(profile=patient.patient_profile, therapist=therapist)
    return patient


def _rows_about(model: type[models.Model], patient: User) -> models.QuerySet:
    if model is User:
        return User.objects.filter(pk=patient.pk)
    condition = Q()
    for path in _paths_to_user(model):
        condition |= Q(**{path: patient})
    return model._default_manager.filter(condition).distinct()


@pytest.fixture
def exported(api, rich_history, therapist):
    client = api(therapist)
    assert client.get(f"/api/v1/patients/{rich_history.public_id}/").status_code == 200
    response = client.get(f"/api/v1/patients/{rich_history.public_id}/export/")
    assert response.status_code == 200
    return response.json()


def test_every_row_about_the_patient_is_in_the_export(rich_history, exported):
    patient = rich_history
    missing = {}
    for model in _every_model():
        label = _label(model)
        if label in NOT_EXPORTED or (not _paths_to_user(model) and model is not User):
            continue
        stored = _rows_about(model, patient)
        count = stored.count()
        if not count:
            continue
        assert label in EXPORTED, f"{label} holds {count} rows about the patient"
        rows = EXPORTED[label](exported)
        if any(f.name == "public_id" for f in model._meta.fields) and all("id" in r for r in rows):
            want = {str(value) for value in stored.values_list("public_id", flat=True)}
            if not want <= {str(row["id"]) for row in rows}:
                missing[label] = want - {str(row["id"]) for row in rows}
        elif len(rows) < count:
            missing[label] = f"{count} stored, {len(rows)} exported"
    assert missing == {}
    # The fixture wrote something of each kind: the walk saw real rows, not empty tables.
    seen = {_label(m) for m in _every_model() if _paths_to_user(m) and _rows_about(m, patient)}
    assert set(EXPORTED) - {"tracker.user"} <= seen


def test_flags_carry_their_acknowledgement_resolution_and_notes(exported):
    [urgent] = [flag for flag in exported["flags"] if flag["rule"] == "cauda_equina"]
    assert urgent["status"] == "resolved"
    assert urgent["acknowledged_by"] == "ther" and urgent["acknowledged_note"] == (
        "Phoned, going to A&E"
    )
    assert urgent["resolved_by"] == "colleague"
    assert urgent["resolved_note"] == "Seen in A&E, MRI clear"
    assert urgent["evidence"][0]["date"] == "2026-03-10"
    assert {flag["rule"] for flag in exported["flags"]} >= {"cauda_equina", "night_pain"}


def test_reminder_settings_are_exported_and_push_keys_are_not(exported):
    [stand_up] = [s for s in exported["reminders"]["schedules"] if s["kind"] == "stand_up"]
    assert stand_up["quiet_from"] == "12:00:00" and stand_up["quiet_until"] == "13:00:00"
    assert stand_up["channels"] == ["push", "email"]
    assert stand_up["interval_minutes"] == 35
    [subscription] = exported["reminders"]["push_subscriptions"]
    assert subscription["push_service"] == "https://push.example.test"
    text = json.dumps(exported)
    assert "phone-secret" not in text
    assert "p256dh" not in text and '"auth"' not in text
    assert exported["api_tokens"] and set(exported["api_tokens"][0]) == {"created", "expiry"}


def test_the_audit_says_who_read_the_record(exported):
    reads = [e for e in exported["audit"] if e["action"] == "read" and e["actor"] == "ther"]
    assert reads and reads[0]["actor_role"] == "therapist"
    assert any(e["action"] == "export" for e in exported["audit"])


def test_the_care_team_alerts_about_the_patient_are_in_it(exported):
    alerts = exported["care_team_alerts"]
    assert {m["to"] for m in alerts["inbox"]} == {"ther", "colleague"}
    assert all(m["title"] == "紧急 Urgent: Pat" for m in alerts["inbox"])
    assert {d["channel"] for d in alerts["deliveries"]} == {"push", "email"}
    assert {item["to"] for item in alerts["digest_items"]} == {"ther", "colleague"}


def test_the_csv_zip_has_a_file_for_every_list_in_the_json(api, rich_history, therapist):
    client = api(therapist)
    data = client.get(f"/api/v1/patients/{rich_history.public_id}/export/").json()
    response = client.get(f"/api/v1/patients/{rich_history.public_id}/export/csv/")
    archive = zipfile.ZipFile(io.BytesIO(response.content))

    def lines(name: str) -> int:
        text = archive.read(name).decode("utf-8-sig")
        return len(text.splitlines()) - 1 if text else 0

    assert lines("flags.csv") == len(data["flags"])
    assert lines("reminder_schedules.csv") == len(data["reminders"]["schedules"])
    assert lines("push_subscriptions.csv") == 1
    assert lines("inbox.csv") == len(data["reminders"]["inbox"]) > 0
    assert lines("care_team_alerts.csv") == 2
    assert lines("care_team_digest_items.csv") == 2
    assert lines("api_sign_ins.csv") == 1
    # At least as many audit lines as the JSON saw (the CSV's own export adds one).
    assert lines("audit.csv") >= len(data["audit"])
    assert "Seen in A&E, MRI clear" in archive.read("flags.csv").decode("utf-8-sig")
    assert "phone-secret" not in archive.read("push_subscriptions.csv").decode("utf-8-sig")
