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

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from django.db import connection
from django.db.models import Field, Model

from tracker.services.raw_rows import column_converters, converted_rows, loaded

M = TypeVar("M", bound=Model)


class Columns(Generic[M]):
    """The columns of `model` (every concrete field, or only `names`, in the model's order) under
    a table alias: their select list, and each row of them back as an instance (the others
    deferred, as the ORM's only()). The conversions are tracker/services/raw_rows.py's, which
    the check-in's statements use too."""

    def __init__(self, model: type[M], alias: str, names: Sequence[str] | None = None) -> None:
        self.model = model
        self.alias = alias
        # In the model's order, as Model.from_db takes the values of the fields it is given.
        wanted = None if names is None else {model._meta.get_field(name) for name in names}
        self.fields: list[Field[Any, Any]] = [
            field for field in model._meta.concrete_fields if wanted is None or field in wanted
        ]
        self.names = [field.name for field in self.fields]
        self.attnames = [field.attname for field in self.fields]

    def __len__(self) -> int:
        return len(self.fields)

    @property
    def sql(self) -> str:
        return ", ".join(f"{self.alias}.{quoted(field.column)}" for field in self.fields)

    def values(self, row: Sequence[Any]) -> list[Any]:
        return list(converted_rows(self.model, self.names, [row])[0])

    def instance(self, row: Sequence[Any]) -> M:
        instance: M = loaded(self.model, self.names, row)
        return instance


def quoted(name: str) -> str:
    """An identifier as both backends quote it (Django's quote_name for PostgreSQL and SQLite)."""
    return f'"{name}"'


def converted(field: Field[Any, Any], value: Any) -> Any:
    """One value of `field` read outside a Columns (an annotation), converted as the ORM would."""
    [(column, converters)] = column_converters(field.model, [field.name])
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
