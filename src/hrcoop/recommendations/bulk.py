"""Reading and writing many rows at once: the one place where the database engines differ for imports.

An import writes tens of thousands of rows; the ORM's per-object cost and one statement per row were
most of its time (``bench/import_upr_info.py``). PostgreSQL takes rows fastest through ``COPY``;
SQLite through multi-row INSERTs within its limit of query parameters. Rows are tuples of values
already prepared for the database (``connection.ops.adapt_*``), in the order of ``field_names``; no
signals are sent. Looking rows up by thousands of keys goes through plain SQL too: building the same
query through the ORM cost more than running it. New rows get their primary keys from
``reserve_ids`` before they are written, so that the writer need not read them back.
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


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys of ``model`` that no other row has or will be given, to insert with.

    PostgreSQL draws them from the column's sequence, SQLite from the table's ``sqlite_sequence`` row
    (Django's SQLite primary keys are AUTOINCREMENT, which never hands out a key at or below it). The
    SQLite update comes first, so that the transaction holds the write lock before it reads.
    """
    if count <= 0:
        return []
    table, column = model._meta.db_table, _column(model, model._meta.pk.name)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        cursor.execute("UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s", [count, table])
        if cursor.rowcount == 0:  # no row written to the table yet
            cursor.execute(
                f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, coalesce(max({column}), 0) + %s "
                f"FROM {connection.ops.quote_name(table)}",
                [table, count],
            )
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        (last,) = cursor.fetchone()
    return list(range(last - count + 1, last + 1))


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
    query = f"SELECT {columns} FROM {table} WHERE {key}"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one array: planning 2,000 parameters took most of the time
            cursor.execute(f"{query} = ANY(%s)", [list(keys)])
            return cursor.fetchall()
        per_statement = connection.features.max_query_params or len(keys)
        found: list[tuple[Any, ...]] = []
        for start in range(0, len(keys), per_statement):
            chunk = keys[start : start + per_statement]
            cursor.execute(f"{query} IN ({', '.join(['%s'] * len(chunk))})", chunk)
            found += cursor.fetchall()
    return found
