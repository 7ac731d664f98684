"""What therapists do with a flag: acknowledge it, resolve it. Both are audited writes of the
patient's record, and resolving takes the flag out of any digest still waiting to go."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reminders.services.notifications import digest_items_discard
from tracker.models import AuditAction, Flag, FlagStatus, User
from tracker.services.audit import audit_record
from tracker.services.flags import flag_notification_prefix

# Resolving an urgent flag closes the record of a possible emergency: it takes a note saying
# what was done (CLINICAL.md §4a: only a therapist resolves; the dashboard also asks to confirm).
URGENT_RESOLVE_NEEDS_NOTE = _("Say what was done about this urgent flag before resolving it.")


def _audit(flag: Flag, by: User) -> None:
    audit_record(
        actor=by,
        patient=flag.patient,
        action=AuditAction.UPDATE,
        object_type="flag",
        object_id=flag.public_id,
    )


def _note_to_patient(flag: Flag, by: User, note: str, send_to_patient: bool) -> None:
    # "Send this note to the patient": it arrives in their conversation (issue 12).
    if send_to_patient:
        from tracker.services.messages import message_from_flag_note

        message_from_flag_note(flag=flag, by=by, note=note)


@transaction.atomic
def flag_acknowledge(
    *, flag: Flag, by: User, note: str = "", send_to_patient: bool = False
) -> Flag:
    updated = Flag.objects.filter(pk=flag.pk, status=FlagStatus.OPEN).update(
        status=FlagStatus.ACKNOWLEDGED,
        acknowledged_at=timezone.now(),
        acknowledged_by=by,
        acknowledged_note=note,
    )
    flag.refresh_from_db()
    if not updated and flag.status in (FlagStatus.RESOLVED, FlagStatus.WITHDRAWN):
        raise ValidationError({"status": [_("This flag is already closed.")]})
    if updated:
        _audit(flag, by)
        _note_to_patient(flag, by, note, send_to_patient)
    return flag


@transaction.atomic
def flag_resolve(*, flag: Flag, by: User, note: str = "", send_to_patient: bool = False) -> Flag:
    if flag.is_urgent and not note.strip() and flag.status != FlagStatus.RESOLVED:
        raise ValidationError({"note": [URGENT_RESOLVE_NEEDS_NOTE]})
    updated = (
        Flag.objects.filter(pk=flag.pk)
        .exclude(status__in=(FlagStatus.RESOLVED, FlagStatus.WITHDRAWN))
        .update(
            status=FlagStatus.RESOLVED,
            resolved_at=timezone.now(),
            resolved_by=by,
            resolved_note=note,
        )
    )
    flag.refresh_from_db()
    if updated:
        digest_items_discard(key_prefix=flag_notification_prefix(flag))
        _audit(flag, by)
        _note_to_patient(flag, by, note, send_to_patient)
    return flag
