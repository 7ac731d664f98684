"""The flag evaluation's statements about evidence, written out (issue 16).

Reads: the ORM's querysets with Q objects took ~0.3 ms of CPU each to compile. Writes of the
flags it already had and of their evidence: on PostgreSQL one statement (the flags' UPDATE a
data-modifying CTE of the evidence upsert); on SQLite, which has no data-modifying CTEs, the
same two statements one after the other. The ORM's bulk_update built a CASE per field and
flag (~6 ms of CPU for four flags), and an upsert of every field prepared each of them by its
field (~1 ms)."""

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection
from django.utils import timezone

from tracker.models import Flag, FlagEvidence
from tracker.services.raw_rows import converted_rows

EvidenceRow = tuple[int, date, dict[str, Any], datetime | None]  # flag id, date, data, changed

_EVIDENCE_SQL = (
    f"SELECT flag_id, {connection.ops.quote_name('on')}, data "  # noqa: S608
    f"FROM {connection.ops.quote_name(FlagEvidence._meta.db_table)} WHERE flag_id IN ({{ids}})"
)


def evidence_read(flag_ids: Sequence[int], *, since: date | None = None) -> list[EvidenceRow]:
    """The evidence rows (flag id, date, data, None) of these flags: every one, or with
    `since`, those from that date on and every marked one (changed_at set). One query. Only
    placeholders are interpolated."""
    sql = _EVIDENCE_SQL.format(ids=", ".join(["%s"] * len(flag_ids)))
    params: list[Any] = list(flag_ids)
    if since is not None:
        sql += f" AND ({connection.ops.quote_name('on')} >= %s OR changed_at IS NOT NULL)"
        params.append(connection.ops.adapt_datefield_value(since))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = converted_rows(FlagEvidence, ("flag", "on", "data"), cursor.fetchall())
    return [(flag_id, on, data, None) for flag_id, on, data in rows]


# What an evaluation changes on a flag it already had, and the cast PostgreSQL needs to read
# each from a VALUES list of parameters (SQLite takes them as they come).
_UPDATED = (
    ("latest_evidence", "jsonb"),
    ("opened_on", "date"),
    ("last_evidence_on", "date"),
    ("answer_changed_at", "timestamptz"),
    ("status", "varchar"),
    ("withdrawn_at", "timestamptz"),
    ("updated_at", "timestamptz"),
)


def _cast(kind: str) -> str:
    return f"::{kind}" if connection.vendor == "postgresql" else ""


def _update_sql(count: int) -> tuple[str, str]:
    """The VALUES list of `count` flags (a CTE named v) and the UPDATE that reads it. Only
    names are interpolated; values go as parameters."""
    flag = Flag._meta.db_table
    columns = ", ".join(name for name, _ in _UPDATED)
    row = f"({', '.join(['%s'] * (len(_UPDATED) + 1))})"
    values = f"v (id, {columns}) AS (VALUES {', '.join([row] * count)})"
    sets = ", ".join(f"{name} = v.{name}{_cast(kind)}" for name, kind in _UPDATED)
    update = f"UPDATE {flag} SET {sets} FROM v WHERE {flag}.id = v.id"  # noqa: S608
    return values, update


def _evidence_sql(count: int) -> str:
    """INSERT … ON CONFLICT DO UPDATE of `count` evidence rows (one per flag and date)."""
    table = connection.ops.quote_name(FlagEvidence._meta.db_table)
    on = connection.ops.quote_name("on")
    row = f"(%s, %s, %s{_cast('jsonb')}, %s)"
    return (
        f"INSERT INTO {table} (flag_id, {on}, data, changed_at) "  # noqa: S608
        f"VALUES {', '.join([row] * count)} "
        f"ON CONFLICT (flag_id, {on}) DO UPDATE SET data = EXCLUDED.data, "
        "changed_at = EXCLUDED.changed_at"
    )


def _update_params(flags: Sequence[Flag]) -> list[Any]:
    date_value = connection.ops.adapt_datefield_value
    moment = connection.ops.adapt_datetimefield_value
    params: list[Any] = []
    for flag in flags:
        params += [
            flag.pk,
            json.dumps(flag.latest_evidence),
            date_value(flag.opened_on),
            date_value(flag.last_evidence_on),
            moment(flag.answer_changed_at),
            flag.status,
            moment(flag.withdrawn_at),
            moment(flag.updated_at),
        ]
    return params


def _evidence_params(rows: Sequence[EvidenceRow]) -> list[Any]:
    date_value = connection.ops.adapt_datefield_value
    moment = connection.ops.adapt_datetimefield_value
    params: list[Any] = []
    for flag_id, on, data, changed_at in rows:
        params += [flag_id, date_value(on), json.dumps(data), moment(changed_at)]
    return params


# The columns a new flag is written with: all but the automatic id (read back).
_NEW_FIELDS = [f for f in Flag._meta.concrete_fields if not f.primary_key]


def flags_insert(flags: Sequence[Flag]) -> None:
    """INSERT the evaluation's new flags in one statement and set their ids (bulk_create's
    preparing took ~1 ms of CPU). The ids are matched by public_id, not by the order of the
    rows returned. opened_at and updated_at are stamped as auto_now_add/auto_now would, one
    flag after the other (flags are read in the order they were opened)."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in _NEW_FIELDS)
    row = f"({', '.join(['%s'] * len(_NEW_FIELDS))})"
    sql = (
        f"INSERT INTO {Flag._meta.db_table} ({names}) "  # noqa: S608
        f"VALUES {', '.join([row] * len(flags))} RETURNING id, public_id"
    )
    params = []
    for flag in flags:
        flag.opened_at = flag.updated_at = timezone.now()
        params += [f.get_db_prep_save(getattr(flag, f.attname), connection) for f in _NEW_FIELDS]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchall()
    ids = {str(public_id).replace("-", ""): pk for pk, public_id in returned}
    for flag in flags:
        flag.pk = ids[flag.public_id.hex]
        flag._state.adding = False
        flag._state.db = connection.alias


def flags_and_evidence_write(flags: Sequence[Flag], evidence: Sequence[EvidenceRow]) -> None:
    """Set the evaluation's fields (_UPDATED) of `flags` as they stand, and upsert `evidence`."""
    statements: list[tuple[str, list[Any]]] = []
    if flags:
        values, update = _update_sql(len(flags))
        statements.append((f"WITH {values} {update}", _update_params(flags)))
    if evidence:
        statements.append((_evidence_sql(len(evidence)), _evidence_params(evidence)))
    if len(statements) == 2 and connection.vendor == "postgresql":
        # One round trip: the UPDATE runs as a CTE of the upsert (PostgreSQL runs every
        # data-modifying CTE exactly once, read or not). The two touch different tables.
        values, update = _update_sql(len(flags))
        sql = f"WITH {values}, changed AS ({update}) {_evidence_sql(len(evidence))}"
        statements = [(sql, statements[0][1] + statements[1][1])]
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
