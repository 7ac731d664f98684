"""The audit trail of patient records: who read or changed whose record, and when.

Every read of a patient's record and every write is one row of tracker_auditevent, so these run
on every page and every check-in: each is one plain parameterised INSERT, its values prepared
here once (no model instance per row, no transaction around a single statement; issue 16).
"""

import functools
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.utils import timezone

from tracker.models import AuditAction, AuditEvent, PatientProfile, User
from tracker.services.raw_rows import model_field

# The columns every event sets (the id is the database's), in the order of the INSERT's values.
_FIELDS = ("public_id", "actor", "patient", "clinic", "action", "object_type", "object_id", "at")


@functools.cache
def _insert_sql(rows: int, _vendor: str) -> str:
    """INSERT INTO tracker_auditevent (…) VALUES (%s, …), … for `rows` rows (names from the
    model, values as parameters), built once per size and kind of database."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(model_field(AuditEvent, name).column) for name in _FIELDS)
    row = f"({', '.join(['%s'] * len(_FIELDS))})"
    return (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} ({names}) "  # noqa: S608 - names only
        f"VALUES {', '.join([row] * rows)}"
    )


def _uuid(value: uuid.UUID) -> Any:
    """A public_id as the database takes it (PostgreSQL's uuid; SQLite's 32 hex digits), as
    UUIDField prepares it."""
    return value if connection.features.has_native_uuid_field else value.hex


def _at() -> Any:
    """Now, as DateTimeField prepares it for this database."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


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
    public_id, at = uuid.uuid4(), timezone.now()
    action = str(action)
    object_id = str(object_id)
    actor_id = actor.pk if actor is not None else None
    params = [
        _uuid(public_id),
        actor_id,
        patient.pk,
        clinic_id,
        action,
        object_type,
        object_id,
        connection.ops.adapt_datetimefield_value(at),
    ]
    # One row, its id read back (PostgreSQL and SQLite both have RETURNING).
    pk_column = connection.ops.quote_name(model_field(AuditEvent, "id").column)
    with connection.cursor() as cursor:
        cursor.execute(f"{_insert_sql(1, connection.vendor)} RETURNING {pk_column}", params)
        pk = cursor.fetchone()[0]
    event = AuditEvent(
        id=pk,
        public_id=public_id,
        actor_id=actor_id,
        patient_id=patient.pk,
        clinic_id=clinic_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        at=at,
    )
    event._state.adding = False
    event._state.db = connection.alias
    return event


# Rows per INSERT: 8 parameters a row, within SQLite's oldest limit of 999 parameters a statement.
_ROWS_PER_STATEMENT = 120


def audit_record_reads(
    *, actor: User, profiles: Iterable[PatientProfile], object_type: str
) -> None:
    """One `read` event per patient whose records a list showed (each patient once), in a single
    INSERT of plain values (a list longer than _ROWS_PER_STATEMENT takes one per that many)."""
    clinics = {profile.user_id: profile.clinic_id for profile in profiles}
    if not clinics:
        return
    at, read, actor_id = _at(), AuditAction.READ.value, actor.pk
    native_uuid = connection.features.has_native_uuid_field
    patients = list(clinics.items())
    for start in range(0, len(patients), _ROWS_PER_STATEMENT):
        chunk = patients[start : start + _ROWS_PER_STATEMENT]
        params: list[Any] = []
        for patient_id, clinic_id in chunk:
            public_id = uuid.uuid4()
            params += (
                public_id if native_uuid else public_id.hex,
                actor_id,
                patient_id,
                clinic_id,
                read,
                object_type,
                "",
                at,
            )
        with connection.cursor() as cursor:
            cursor.execute(_insert_sql(len(chunk), connection.vendor), params)
