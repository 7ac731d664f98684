"""The audit trail of patient records: who read or changed whose record, and when."""

from collections.abc import Iterable

from tracker.models import AuditAction, AuditEvent, PatientProfile, User
from tracker.services.raw_rows import insert


def audit_record(
    *,
    actor: User | None,
    patient: User,
    action: AuditAction | str,
    object_type: str,
    object_id: object = "",
    clinic_id: int | None = None,
) -> AuditEvent:
    """One event. `clinic_id` defaults to the patient's clinic when the profile is at hand."""
    if clinic_id is None:
        profile = getattr(patient, "patient_profile", None)
        clinic_id = profile.clinic_id if profile is not None else None
    event = AuditEvent(
        actor=actor,
        patient=patient,
        clinic_id=clinic_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
    )
    return insert(event)  # what save() sends, written out: every write is audited (issue 16)


def audit_record_reads(
    *, actor: User, profiles: Iterable[PatientProfile], object_type: str
) -> None:
    """One `read` event per patient whose records a list showed, in a single INSERT."""
    events = [
        AuditEvent(
            actor=actor,
            patient_id=profile.user_id,
            clinic_id=profile.clinic_id,
            action=AuditAction.READ,
            object_type=object_type,
        )
        for profile in {profile.user_id: profile for profile in profiles}.values()
    ]
    if events:
        AuditEvent.objects.bulk_create(events)
