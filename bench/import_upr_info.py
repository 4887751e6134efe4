"""Benchmark: import the 41,066 rows of the UPR Info export (sessions 1-20) beside a floor.

The floor, measured in the same run on the same database: read the same files (gunzip, Mac Roman,
csv) and ``executemany`` their rows, as they are, into a plain 11-column table in one transaction.
That is the least any importer must do; the import itself also resolves names, folds texts, merges
joint recommendations and writes four tables with their indexes. Target: a peak resident memory
under 300 MB. The floors are printed so that a slowdown shows; the former target of at most 3x the
floor was retired (issue 18: it would have cost the registry its foreign keys or its provenance).
A second reference, the schema floor, is the database alone writing the import's own rows (about
4.6 per source row) into the real tables, with their indexes and foreign keys: the part of the
import's time that no change to the Python code can remove.

By default the writer is measured alone: the receivers of its domain events (``import_finished``,
on which the search index tokenises every new record when a file's import finishes, and
``records_changed``) are muted;
``--with-hooks`` measures the import as ``hrcoop import`` runs it, indexing included.

    .venv/bin/python bench/import_upr_info.py              # SQLite, a fresh file in a temporary folder
    .venv/bin/python bench/import_upr_info.py --postgres   # PostgreSQL at DATABASE_URL's server, in a
                                                           # fresh database created and dropped here
    .venv/bin/python bench/import_upr_info.py --with-hooks # the whole import, search indexing included
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from _database import bench_database  # the benchmark's own folder is on sys.path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data" / "upr_info_terman"
SESSION_FILES = ["1-5", "6-9", "10-13", "14-17", "17-20"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def floor(files: list[Path]) -> tuple[float, float, int]:
    """Wall and CPU seconds to read the files and executemany their rows into a plain table; rows."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_floor")
        cursor.execute("CREATE TABLE bench_floor (" + ", ".join(f"c{i} text" for i in range(11)) + ")")
    sql = "INSERT INTO bench_floor VALUES (" + ", ".join(["%s"] * 11) + ")"
    started, cpu = time.perf_counter(), time.process_time()
    rows = 0
    for path in files:
        with transaction.atomic(), connection.cursor() as cursor, gzip.open(path) as raw:
            reader = csv.reader(io.TextIOWrapper(raw, encoding="mac_roman", newline=""))
            next(reader)
            batch = list(reader)
            cursor.executemany(sql, batch)
            rows += len(batch)
    return time.perf_counter() - started, time.process_time() - cpu, rows


def schema_floor() -> float:
    """Seconds for the database alone to write the import's own rows again into the same tables.

    The rows the import wrote (records, their recommending States, their labels) are copied aside, deleted
    and inserted again by ``INSERT ... SELECT``, with every index and constraint of the real tables;
    PostgreSQL's deferred foreign-key checks are forced inside the timed part. Everything is rolled
    back. What the import costs beyond this is the work done in Python: parsing, resolving, merging.
    """
    from django.db import connection, transaction

    from hrcoop.recommendations.models import Classification, Recommendation

    tables = [
        Recommendation._meta.db_table,
        Recommendation.recommending_states.through._meta.db_table,
        Classification._meta.db_table,
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"CREATE TEMPORARY TABLE copy_{table} AS SELECT * FROM {table}")
        for table in reversed(tables):
            cursor.execute(f"DELETE FROM {table}")
        started = time.perf_counter()
        for table in tables:
            cursor.execute(f"INSERT INTO {table} SELECT * FROM copy_{table}")
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return seconds


@contextmanager
def import_run_hooks(*, enabled: bool) -> Iterator[None]:
    """Mute the receivers of an import's events unless ``enabled``: those of ``import_finished`` (the
    search index, suggestions, the registry's version) and of ``records_changed`` (records given new
    States or labels)."""
    from hrcoop.core.events import import_finished, records_changed

    events = (import_finished, records_changed)
    saved = [list(event.receivers) for event in events]
    if not enabled:
        for event in events:
            event.receivers.clear()
    try:
        yield
    finally:
        for event, receivers in zip(events, saved, strict=True):
            event.receivers[:] = receivers


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (server from DATABASE_URL)")
    parser.add_argument("--with-hooks", action="store_true", help="include the search indexing hook")
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the UPR Info files")
    args = parser.parse_args()
    files = [args.data / f"upr_info_sessions_{name}.csv.gz" for name in SESSION_FILES]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        sys.exit(f"missing data files: {', '.join(missing)}")

    with bench_database(postgres=args.postgres, label="import"):
        run(files, with_hooks=args.with_hooks)


def run(files: list[Path], *, with_hooks: bool) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hrcoop.recommendations.services.imports import import_files
    from hrcoop.reference.services import load_reference_data

    call_command("migrate", verbosity=0)
    load_reference_data()
    rss_before = peak_rss_mb()

    floor_seconds, floor_cpu, floor_rows = floor(files)
    started, cpu = time.perf_counter(), time.process_time()
    with import_run_hooks(enabled=with_hooks):
        reports = import_files(files, format_name="upr-info", actor=None)
    import_seconds, import_cpu = time.perf_counter() - started, time.process_time() - cpu
    rows = sum(r["rows"] for r in reports)
    records = sum(r["records_created"] for r in reports)
    assert rows == floor_rows, (rows, floor_rows)
    schema_seconds = schema_floor()

    print(f"database          {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"rows              {rows:,} -> {records:,} records")
    print(f"floor                 {floor_seconds:6.2f} s  (read + executemany into a plain table)")
    what = "import with its hooks" if with_hooks else "import (writer)"
    ratio = import_seconds / floor_seconds
    print(f"{what:<21} {import_seconds:6.2f} s  = {ratio:.1f}x the floor")
    print(
        f"schema floor          {schema_seconds:6.2f} s  = {schema_seconds / floor_seconds:.1f}x the floor "
        "(the database alone writing the same records, links and labels into the real tables)"
    )
    print(f"rows per second   {rows / import_seconds:,.0f}")
    print(
        f"CPU of this process: floor {floor_cpu:.2f} s, import {import_cpu:.2f} s "
        f"= {import_cpu / floor_cpu:.1f}x (with SQLite the database's work is in-process; wall time"
        " also counts waiting for a busy machine)"
    )
    print(
        f"peak memory       {peak_rss_mb():6.0f} MB resident (before the import {rss_before:.0f} MB; "
        "target < 300 MB)"
    )


if __name__ == "__main__":
    main()
