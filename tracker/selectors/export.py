"""A patient's data export: everything stored about them, as plain data (JSON- and CSV-ready).

Served by `GET patients/{id}/export/` (JSON) and `.../export/csv/` (tracker.services.exports
makes the ZIP), to the patient and their care team; both are audited as `export`. It holds the
account and profile, the care team, programmes, sessions, check-ins with their revisions, PSFS,
flags with their evidence, acknowledgements and notes, the reminder settings (schedules,
channels, quiet hours; push subscriptions without their keys or endpoint path), the patient's
outbox and inbox, what the care team was sent about them, their API sign-ins (dates only) and
the audit of who read or changed the record. tests/tracker/alerts/test_export_completeness.py
walks every table and fails for one that holds patient data and is not here.
"""

from typing import Any
from urllib.parse import urlsplit

from django.db import models
from django.db.models import Q
from knox.models import AuthToken

from reminders.models import Delivery, DigestItem, InboxMessage, PushSubscription, ReminderSchedule
from tracker.models import (
    AuditEvent,
    CareTeamMember,
    CheckIn,
    CheckInRevision,
    Flag,
    PatientProfile,
    SessionLog,
    User,
)

Row = dict[str, Any]


def _columns(row: models.Model, *, exclude: frozenset[str] = frozenset()) -> Row:
    """Every stored column of `row` but `exclude`, so a column added later is exported too;
    a relation is given as the related row's public id (or its name), never a database key."""
    data: Row = {}
    for field in row._meta.concrete_fields:
        if field.name in exclude:
            continue
        if field.is_relation:
            related = getattr(row, field.name)
            data[field.name] = (
                None
                if related is None
                else getattr(related, "public_id", None) or getattr(related, "name", str(related))
            )
        elif field.name == "public_id":
            data["id"] = row.public_id  # type: ignore[attr-defined]
        else:
            data[field.name] = getattr(row, field.attname)
    return data


def _username(user: User | None) -> str | None:
    return user.username if user is not None else None


def _account(patient: User) -> Row:
    return {
        "id": patient.public_id,
        "username": patient.username,
        "email": patient.email,
        "first_name": patient.first_name,
        "last_name": patient.last_name,
        "date_joined": patient.date_joined,
        "last_login": patient.last_login,
    }


def _profile(patient: User) -> Row | None:
    profile = PatientProfile.objects.select_related("clinic").filter(user=patient).first()
    if profile is None:
        return None
    data = _columns(profile, exclude=frozenset({"user", "clinic"}))
    data["clinic"] = profile.clinic.name if profile.clinic else None
    return data


def _assignments(patient: User) -> list[Row]:
    from tracker.selectors import assignments_for_patient

    return [
        {
            "id": assignment.public_id,
            "version": assignment.version,
            "is_current": assignment.is_current,
            "template": assignment.template.key if assignment.template else None,
            "starts_on": assignment.starts_on,
            "note": assignment.note,
            "created_by": assignment.created_by.username,
            "created_at": assignment.created_at,
            "items": [
                {
                    "id": item.public_id,
                    "exercise": item.exercise.key,
                    "sets": item.sets,
                    "reps": item.reps,
                    "hold_seconds": item.hold_seconds,
                    "minutes": item.minutes,
                    "times_per_day": item.times_per_day,
                    "days_per_week": item.days_per_week,
                    "starts_on": item.starts_on,
                    "duration_weeks": item.duration_weeks,
                    "note": item.note,
                    "overridden_cautions": item.overridden_cautions,
                    "override_reason": item.override_reason,
                }
                for item in assignment.items.all()
            ],
        }
        for assignment in assignments_for_patient(patient=patient).order_by("version")
    ]


def _sessions(patient: User) -> list[Row]:
    sessions = SessionLog.objects.filter(patient=patient).select_related("exercise", "item")
    return [
        {
            "id": session.public_id,
            "item": session.item.public_id if session.item else None,
            "exercise": session.exercise.key,
            "performed_at": session.performed_at,
            "performed_on": session.performed_on,
            "sets": session.sets,
            "reps": session.reps,
            "minutes": session.minutes,
            "pain_during": session.pain_during,
            "difficulty": session.difficulty,
            "note": session.note,
        }
        for session in sessions.order_by("performed_at")
    ]


def _checkins(patient: User) -> tuple[list[Row], list[Row]]:
    checkins = CheckIn.objects.filter(patient=patient).order_by("date")
    revisions = CheckInRevision.objects.filter(checkin__patient=patient).select_related("checkin")
    return (
        [
            {"id": c.public_id, "date": c.date, **c.answers(), "updated_at": c.updated_at}
            for c in checkins
        ],
        [
            {
                "checkin": revision.checkin.public_id,
                "date": revision.checkin.date,
                **revision.answers,
                "submitted_at": revision.submitted_at,
                "replaced_at": revision.replaced_at,
            }
            for revision in revisions.order_by("checkin__date", "replaced_at")
        ],
    )


def export_flags(*, patient: User) -> list[Row]:
    """Every flag, withdrawn ones too, with its evidence, who acknowledged or resolved it, when,
    and their notes."""
    flags = (
        Flag.objects.filter(patient=patient)
        .select_related("acknowledged_by", "resolved_by")
        .prefetch_related("evidence_rows")  # one query for every flag's evidence, not one each
    )
    return [
        {
            "id": flag.public_id,
            "rule": flag.rule,
            "severity": flag.severity,
            "status": flag.status,
            "opened_on": flag.opened_on,
            "last_evidence_on": flag.last_evidence_on,
            "opened_at": flag.opened_at,
            "updated_at": flag.updated_at,
            "evidence": flag.evidence,
            "answer_changed_at": flag.answer_changed_at,
            "withdrawn_at": flag.withdrawn_at,
            "acknowledged_at": flag.acknowledged_at,
            "acknowledged_by": _username(flag.acknowledged_by),
            "acknowledged_note": flag.acknowledged_note,
            "resolved_at": flag.resolved_at,
            "resolved_by": _username(flag.resolved_by),
            "resolved_note": flag.resolved_note,
        }
        for flag in flags.order_by("opened_on", "opened_at")
    ]


def _push_service(endpoint: str) -> str:
    # The endpoint's path is the browser's address at its push service: not exported.
    parts = urlsplit(endpoint)
    return f"{parts.scheme}://{parts.netloc}"


_DELIVERY_COLUMNS = (
    "kind",
    "channel",
    "due_at",
    "title",
    "body",
    "url",
    "urgency",
    "status",
    "attempts",
    "sent_at",
    "last_error",
    "created_at",
)


def export_reminders(*, patient: User) -> Row:
    """The patient's reminder settings and what reminders sent them."""
    schedules = ReminderSchedule.objects.filter(user=patient).order_by("kind", "key")
    subscriptions = PushSubscription.objects.filter(user=patient).order_by("created_at")
    deliveries = Delivery.objects.filter(user=patient).select_related("schedule")
    inbox = InboxMessage.objects.filter(user=patient).order_by("created_at", "id")
    return {
        "schedules": [_columns(s, exclude=frozenset({"id", "user"})) for s in schedules],
        "push_subscriptions": [
            {
                "id": s.public_id,
                "push_service": _push_service(s.endpoint),
                "user_agent": s.user_agent,
                "is_active": s.is_active,
                "created_at": s.created_at,
                "last_success_at": s.last_success_at,
                "deactivated_at": s.deactivated_at,
            }
            for s in subscriptions
        ],
        "deliveries": [
            {
                "id": d.public_id,
                "schedule": d.schedule.public_id if d.schedule else None,
                **{name: getattr(d, name) for name in _DELIVERY_COLUMNS},
            }
            for d in deliveries.order_by("due_at", "id")
        ],
        "inbox": [
            {
                "id": m.public_id,
                "kind": m.kind,
                "title": m.title,
                "body": m.body,
                "url": m.url,
                "created_at": m.created_at,
                "read_at": m.read_at,
            }
            for m in inbox
        ],
    }


def export_care_team_alerts(*, patient: User) -> Row:
    """What the care team was sent about the patient: urgent alerts (inbox and outbox rows),
    and lines for their daily digests."""
    inbox = InboxMessage.objects.filter(about_user=patient).exclude(user=patient)
    deliveries = Delivery.objects.filter(about_user=patient).exclude(user=patient)
    digest = DigestItem.objects.filter(Q(about_user=patient) | Q(user=patient))
    return {
        "inbox": [
            {
                "id": m.public_id,
                "to": m.user.username,
                "kind": m.kind,
                "title": m.title,
                "body": m.body,
                "created_at": m.created_at,
                "read_at": m.read_at,
            }
            for m in inbox.select_related("user").order_by("created_at", "id")
        ],
        "deliveries": [
            {
                "id": d.public_id,
                "to": d.user.username,
                **{name: getattr(d, name) for name in _DELIVERY_COLUMNS},
            }
            for d in deliveries.select_related("user").order_by("due_at", "id")
        ],
        "digest_items": [
            {
                "to": item.user.username,
                "text": item.text,
                "url": item.url,
                "created_at": item.created_at,
                "digested_at": item.digested_at,
            }
            for item in digest.select_related("user").order_by("created_at", "id")
        ],
    }


def export_audit(*, patient: User) -> list[Row]:
    """Who read or changed the record, what and when (oldest first)."""
    events = AuditEvent.objects.filter(patient=patient).select_related("actor")
    return [
        {
            "id": event.public_id,
            "at": event.at,
            "actor": _username(event.actor),
            "actor_role": event.actor.role if event.actor else None,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
        }
        for event in events.order_by("at", "id")
    ]


def patient_export(*, patient: User) -> dict[str, Any]:
    """Everything stored about one patient, as plain data (JSON- and CSV-ready)."""
    from tracker.selectors.invitations import invitations_export
    from tracker.selectors.messages import conversation_export, messages_export
    from tracker.selectors.psfs import psfs_export

    checkins, revisions = _checkins(patient)
    return {
        "account": _account(patient),
        "profile": _profile(patient),
        "care_team": [
            {
                "therapist": member.therapist.username,
                "therapist_id": member.therapist.public_id,
                "added_at": member.added_at,
            }
            for member in CareTeamMember.objects.filter(patient=patient).select_related("therapist")
        ],
        "assignments": _assignments(patient),
        "sessions": _sessions(patient),
        "checkins": checkins,
        "checkin_revisions": revisions,
        "psfs": psfs_export(patient=patient),
        "messages": messages_export(patient=patient),
        "invitations": invitations_export(patient=patient),
        "conversation": conversation_export(patient=patient),
        "flags": export_flags(patient=patient),
        "reminders": export_reminders(patient=patient),
        "care_team_alerts": export_care_team_alerts(patient=patient),
        # Sign-ins to the API (the app): when, and until when; never the token or its hash.
        "api_tokens": [
            {"created": token.created, "expiry": token.expiry}
            for token in AuthToken.objects.filter(user=patient).order_by("created")
        ],
        "audit": export_audit(patient=patient),
    }
