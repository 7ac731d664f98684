"""Hand-written reads for the patient pages (issue 16): the few statements every page or Today
runs, as SQL written once, with the ORM's own conversions.

Building a statement through the ORM costs more CPU than running it: the patient's profile with
its clinic took about 1 ms to compile and 0.15 ms to run, and Today's five reads about 5 ms. Here
each statement is plain SQL over the columns the models declare (so a new field is read as
before), values always as parameters; each row goes through the converters the ORM would apply
(SQLite's dates and UUIDs, JSON) and becomes a model instance by `Model.from_db`, as a queryset
makes it. The SQL is the same on PostgreSQL and SQLite (the suite runs on both).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Field, Model
from django.db.models.expressions import Col

M = TypeVar("M", bound=Model)
Converter = Callable[[Any, Any, Any], Any]


def _converters(field: Field[Any, Any], alias: str) -> tuple[Col, list[Converter]]:
    """What the ORM's compiler applies to a column of `field` (backend's, then the field's)."""
    column = field.get_col(alias)
    return column, [
        *connection.ops.get_db_converters(column),
        *column.get_db_converters(connection),
    ]


class Columns(Generic[M]):
    """The columns of `model` (every concrete field, or only `names`, in the model's order) under
    a table alias: their select list, and each row of them back as an instance (the others
    deferred, as the ORM's only())."""

    def __init__(self, model: type[M], alias: str, names: Sequence[str] | None = None) -> None:
        self.model = model
        self.alias = alias
        # In the model's order, as Model.from_db takes the values of the fields it is given.
        wanted = None if names is None else {model._meta.get_field(name) for name in names}
        self.fields: list[Field[Any, Any]] = [
            field for field in model._meta.concrete_fields if wanted is None or field in wanted
        ]
        self.attnames = [field.attname for field in self.fields]
        self._conversions: list[tuple[int, Col, list[Converter]]] | None = None

    def __len__(self) -> int:
        return len(self.fields)

    @property
    def sql(self) -> str:
        return ", ".join(f"{self.alias}.{quoted(field.column)}" for field in self.fields)

    def values(self, row: Sequence[Any]) -> list[Any]:
        if self._conversions is None:  # once per process: the backend does not change
            self._conversions = [
                (i, column, converters)
                for i, field in enumerate(self.fields)
                for column, converters in [_converters(field, self.alias)]
                if converters
            ]
        values = list(row)
        for i, column, converters in self._conversions:
            value = values[i]
            for converter in converters:
                value = converter(value, column, connection)
            values[i] = value
        return values

    def instance(self, row: Sequence[Any]) -> M:
        return self.model.from_db(connection.alias, self.attnames, self.values(row))


def quoted(name: str) -> str:
    """An identifier as both backends quote it (Django's quote_name for PostgreSQL and SQLite)."""
    return f'"{name}"'


def converted(field: Field[Any, Any], value: Any) -> Any:
    """One value of `field` read outside a Columns (an annotation), converted as the ORM would."""
    column, converters = _converters(field, "t")
    for converter in converters:
        value = converter(value, column, connection)
    return value


def date_param(value: date) -> Any:
    return connection.ops.adapt_datefield_value(value)


def datetime_param(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
