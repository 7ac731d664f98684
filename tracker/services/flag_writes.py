"""The flag evaluation's writes of flags it already had and of their evidence, written out
(issue 16): on PostgreSQL one statement (the flags' UPDATE a data-modifying CTE of the evidence
upsert), on SQLite, which has no data-modifying CTEs, the same two statements one after the
other. The ORM's bulk_update built a CASE per field and flag (~6 ms of CPU for four flags), and
an upsert of every field prepared each of them by its field (~1 ms)."""

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import connection

from tracker.models import Flag, FlagEvidence

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

EvidenceRow = tuple[int, date, dict[str, Any], datetime | None]  # flag id, date, data, changed


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
    table, on = FlagEvidence._meta.db_table, connection.ops.quote_name("on")
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
