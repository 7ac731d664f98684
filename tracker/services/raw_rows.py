"""Rows read with hand-written SQL, converted as the ORM converts a model's columns (JSON text to
Python; on SQLite also booleans, dates, datetimes and UUIDs), for the few statements written out
on the check-in's path (issue 16)."""

import functools
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.db import connection
from django.db.models import Field, Model

M = TypeVar("M", bound=Model)

Converter = Callable[[Any, Any, Any], Any]


def model_field(model: type[Model], name: str) -> "Field[Any, Any]":
    """The model's concrete field `name` (typed as one, for the statements built from it)."""
    found = model._meta.get_field(name)
    assert isinstance(found, Field)
    return found


Columns = list[tuple[Any, list[Converter]]]


def column_converters(model: type[Model], names: Sequence[str]) -> Columns:
    """For each of the model's fields `names`: its column and the converters the ORM applies
    (worked out once per model, fields and kind of database)."""
    return _converters(model, tuple(names), connection.vendor)


@functools.cache
def _converters(model: type[Model], names: tuple[str, ...], _vendor: str) -> Columns:
    found = []
    for name in names:
        column = model_field(model, name).get_col(model._meta.db_table)
        converters = [
            *connection.ops.get_db_converters(column),
            *column.get_db_converters(connection),
        ]
        found.append((column, converters))
    return found


def converted_rows(
    model: type[Model], names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """`rows` (values of the fields `names`, in that order) as the ORM would return them."""
    converting = _converting(model, tuple(names), connection.vendor)
    if not converting:
        return [tuple(row) for row in rows]
    result = []
    for row in rows:
        values = list(row)
        for i, column, converters in converting:
            value = values[i]
            if value is not None:
                for convert in converters:
                    value = convert(value, column, connection)
                values[i] = value
        result.append(tuple(values))
    return result


@functools.cache
def _converting(
    model: type[Model], names: tuple[str, ...], _vendor: str
) -> list[tuple[int, Any, list[Converter]]]:
    """Only the columns that have converters (on PostgreSQL, the JSON ones), worked out once per
    model, fields and kind of database: every authenticated request loads three instances
    this way (issue 16)."""
    columns = column_converters(model, names)
    return [(i, column, converters) for i, (column, converters) in enumerate(columns) if converters]


def loaded(model: type[Model], names: Sequence[str], raw: Sequence[Any]) -> Any:
    """The instance a query would have returned for the row `raw` of the fields `names`."""
    return instances(model, names, [raw])[0]


def fetched(model: type[Model], names: Sequence[str], sql: str, params: Any) -> list[Any]:
    """The instances the statement `sql` reads, its columns being the fields `names` in that
    order: what raw() gives, without its ~0.3 ms of CPU per query mapping columns (issue 16)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return instances(model, names, rows)


def instances(model: type[Model], names: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[Any]:
    """The model's instances for `rows` of the fields `names` (as a query would load them)."""
    attnames = _attnames(model, tuple(names))
    alias = connection.alias
    return [model.from_db(alias, attnames, row) for row in converted_rows(model, names, rows)]


@functools.cache
def _attnames(model: type[Model], names: tuple[str, ...]) -> list[str]:
    return [model_field(model, name).attname for name in names]


def select_list(model: type[Model], alias: str, names: Sequence[str]) -> str:
    """`alias."column", …` for the fields `names` of the model."""
    quote = connection.ops.quote_name
    return ", ".join(f"{alias}.{quote(model_field(model, name).column)}" for name in names)


def insert(obj: M) -> M:
    """INSERT one object (every concrete field but an automatic id, which is read back), as
    `save()` would, without the ~0.5 ms of CPU the ORM spends building it (issue 16). Nothing is
    stamped (no auto_now_add): callers set every value. Database errors (IntegrityError) are
    raised as the ORM raises them."""
    meta = obj._meta
    quote = connection.ops.quote_name
    pk = meta.pk
    returning = bool(getattr(pk, "db_returning", False))  # an automatic id
    fields = [f for f in meta.concrete_fields if not (f.primary_key and returning)]
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    params = [f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        if returning:
            assert pk is not None
            cursor.execute(f"{sql} RETURNING {quote(pk.column)}", params)
            obj.pk = cursor.fetchone()[0]
        else:
            cursor.execute(sql, params)
    obj._state.adding = False
    obj._state.db = connection.alias
    return obj
