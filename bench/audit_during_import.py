"""Benchmark: how long an audited write waits while the 41,066 rows of UPR Info are being imported.

Every audited write locks the audit chain's head to append its event (``core.audit``), and holds it
until it commits. An import that appended its events early held the head for the rest of its run, so
a posting or a role granted meanwhile waited for the whole import; the import now appends its events
as its last writes (``DeferredEvents``). Target (issue 25): an audited write during the import waits
at most 1 s.

Measured on PostgreSQL (SQLite lets one writer at a time in, whatever it locks): a second connection
grants and revokes a role (``core.services``, one audit event each) every ``--every`` seconds from
the moment the import starts until it commits, and times each write from its start to its commit.
The floor is the same write with no import running, in the same run on the same database. The import
runs as ``hrcoop import`` runs it, with the receivers of its domain events (the search index catches
up inside its transaction); ``--writer-only`` mutes them.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/audit_during_import.py
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

from _database import bench_database  # the benchmark's own folder is on sys.path
from import_upr_info import DATA, SESSION_FILES, import_run_hooks

TARGET_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the UPR Info files")
    parser.add_argument("--every", type=float, default=0.5, help="seconds between two audited writes")
    parser.add_argument(
        "--writer-only", action="store_true", help="mute the receivers of the import's events"
    )
    args = parser.parse_args()
    files = [args.data / f"upr_info_sessions_{name}.csv.gz" for name in SESSION_FILES]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        sys.exit(f"missing data files: {', '.join(missing)}")
    with bench_database(postgres=True, label="audit_wait"):
        run(files, every=args.every, with_hooks=not args.writer_only)


def run(files: list[Path], *, every: float, with_hooks: bool) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hrcoop.core.models import Role, User
    from hrcoop.core.services import grant_role, revoke_role
    from hrcoop.recommendations.services.imports import import_files
    from hrcoop.reference.services import load_reference_data

    call_command("migrate", verbosity=0)
    load_reference_data()
    person = User.objects.create_user("bench-writer")

    def audited_write() -> float:
        """Seconds to grant a role and take it away again, each committed with its audit event."""
        started = time.perf_counter()
        revoke_role(grant_role(person, Role.CONTRIBUTOR, actor=None), actor=None)
        return (time.perf_counter() - started) / 2

    audited_write()  # the chain's head exists, as on any live site
    floor = [audited_write() for _ in range(20)]

    done = threading.Event()
    outcome: dict[str, float] = {}

    def run_import() -> None:
        started = time.perf_counter()
        try:
            with import_run_hooks(enabled=with_hooks):
                reports = import_files(files, format_name="upr-info", actor=None)
            outcome["rows"] = sum(r["rows"] for r in reports)
        finally:
            outcome["seconds"] = time.perf_counter() - started
            done.set()
            connection.close()

    importer = threading.Thread(target=run_import)
    importer.start()
    during: list[float] = []
    while not done.is_set():
        during.append(audited_write())
        done.wait(every)
    importer.join()
    if "rows" not in outcome:
        sys.exit("the import failed: see the traceback above")

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:8.1f} ms"

    what = "with its hooks" if with_hooks else "writer only"
    rows, seconds = outcome["rows"], outcome["seconds"]
    print(f"database            {connection.vendor}")
    print(f"import              {rows:,.0f} rows in {len(files)} files, {seconds:.1f} s ({what})")
    for label, waits in (("floor (no import)", floor), ("during the import", during)):
        print(
            f"{label:<19} median {ms(statistics.median(waits))}  max {ms(max(waits))}  ({len(waits)} writes)"
        )
    verdict = "holds" if max(during) <= TARGET_SECONDS else "MISSED"
    print(f"target              max <= {TARGET_SECONDS * 1000:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
