"""Reading and writing many rows at once: the one place where the database engines differ for imports.

An import writes tens of thousands of rows; the ORM's per-object cost and one statement per row were
most of its time (``bench/import_upr_info.py``). PostgreSQL takes rows fastest through ``COPY``;
SQLite through multi-row INSERTs within its limit of query parameters. Rows are tuples of values
already prepared for the database (``connection.ops.adapt_*``), in the order of ``field_names``; no
signals are sent. Looking rows up by thousands of keys goes through plain SQL too: building the same
query through the ORM cost more than running it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection, models

INSERT_ROWS = 500  # rows per INSERT statement, at most


def _column(model: type[models.Model], name: str) -> str:
    model_field = model._meta.get_field(name)
    assert isinstance(model_field, models.Field) and model_field.column, f"{model.__name__}.{name}: no column"
    return model_field.column


def insert_rows(model: type[models.Model], field_names: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows`` into ``model``'s table, in the current transaction."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(_column(model, name)) for name in field_names)
    if connection.vendor == "postgresql":
        _copy_postgresql(table, columns, rows)
    else:
        _insert_values(table, columns, len(field_names), rows)


def _copy_postgresql(table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _insert_values(table: str, columns: str, width: int, rows: list[tuple[Any, ...]]) -> None:
    one_row = "(" + ", ".join(["%s"] * width) + ")"
    max_params = connection.features.max_query_params or INSERT_ROWS * width
    per_statement = max(1, min(INSERT_ROWS, max_params // width))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([one_row] * len(chunk)),
                [value for row in chunk for value in row],
            )


def rows_by_key(
    model: type[models.Model], key_field: str, keys: Sequence[Any], field_names: Sequence[str]
) -> list[tuple[Any, ...]]:
    """The rows of ``model`` whose ``key_field`` is one of ``keys``: ``(key, *fields)`` tuples."""
    if not keys:
        return []
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    key = quote(_column(model, key_field))
    columns = ", ".join([key, *(quote(_column(model, name)) for name in field_names)])
    per_statement = connection.features.max_query_params or len(keys)
    found: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        for start in range(0, len(keys), per_statement):
            chunk = keys[start : start + per_statement]
            cursor.execute(
                f"SELECT {columns} FROM {table} WHERE {key} IN ({', '.join(['%s'] * len(chunk))})", chunk
            )
            found += cursor.fetchall()
    return found
