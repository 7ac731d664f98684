"""Rows read with hand-written SQL, converted as the ORM converts a model's columns (JSON text to
Python; on SQLite also booleans, dates, datetimes and UUIDs), for the few statements written out
on the check-in's path (issue 16)."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model

Converter = Callable[[Any, Any, Any], Any]


def column_converters(
    model: type[Model], names: Sequence[str]
) -> list[tuple[Any, list[Converter]]]:
    """For each of the model's fields `names`: its column and the converters the ORM applies."""
    found = []
    for name in names:
        column = model._meta.get_field(name).get_col(model._meta.db_table)
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
    columns = column_converters(model, names)
    result = []
    for row in rows:
        values = []
        for value, (column, converters) in zip(row, columns, strict=True):
            if value is not None:
                for convert in converters:
                    value = convert(value, column, connection)
            values.append(value)
        result.append(tuple(values))
    return result
