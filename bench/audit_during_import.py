"""Benchmark: how long an audited write waits while the 41,066 rows of UPR Info are being imported.

Every audited write locks the audit chain's head to append its event (``core.audit``), and holds it
until it commits. An import that appended its events early held the head for the rest of its run, so
a posting or a role granted meanwhile waited for the whole import; the import now appends its events
as its last writes (``DeferredEvents``). Target (issue 25): an audited write during the import waits
at most 1 s.

Measured on PostgreSQL (SQLite lets one writer at a time in, whatever it locks): ``hrcoop import
upr-info`` runs in its own process, as it does on a server (indexing included), while this process
grants a role and revokes it (``core.services``, one audit event each) every ``--every`` seconds until
the import has committed, and times each write from its start to its commit. The floor is the same write
with no import running, in the same run on the same database. The longest waits are printed with
the moment they began, so that a wait at the very end (the import appending its own events and
committing) shows apart from one in the middle.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/audit_during_import.py
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _database import bench_database  # the benchmark's own folder is on sys.path
from import_upr_info import DATA, SESSION_FILES

TARGET_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=DATA, help="folder of the UPR Info files")
    parser.add_argument("--every", type=float, default=0.5, help="seconds between two audited writes")
    parser.add_argument(
        "--json", action="store_true", help="end with the longest waits as JSON (bench/scale.py reads it)"
    )
    args = parser.parse_args()
    files = [args.data / f"upr_info_sessions_{name}.csv.gz" for name in SESSION_FILES]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        sys.exit(f"missing data files: {', '.join(missing)}")
    with bench_database(postgres=True, label="audit_wait"):
        longest, floor = run(files, every=args.every)
    if args.json:
        print(json.dumps({"max_ms": round(longest * 1000), "floor_max_ms": round(floor * 1000)}))


def run(files: list[Path], *, every: float) -> tuple[float, float]:
    """Print the waits; return the longest during the import and the longest without one, in seconds."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hrcoop.core.models import AuditEvent, Role, User
    from hrcoop.core.services import grant_role, revoke_role
    from hrcoop.reference.services import load_reference_data

    call_command("migrate", verbosity=0)
    load_reference_data()
    person = User.objects.create_user("bench-writer")

    def audited_writes() -> list[float]:
        """Seconds to grant a role, then to take it away again: two writes, each committed with its
        audit event."""
        started = time.perf_counter()
        assignment = grant_role(person, Role.CONTRIBUTOR, actor=None)
        granted = time.perf_counter()
        revoke_role(assignment, actor=None)
        return [granted - started, time.perf_counter() - granted]

    audited_writes()  # the chain's head exists, as on any live site
    floor = [wait for _ in range(10) for wait in audited_writes()]
    events_before = AuditEvent.objects.count()

    started = time.perf_counter()
    importer = subprocess.Popen(
        [str(Path(sys.executable).with_name("hrcoop")), "import", "upr-info", *map(str, files)],
        stdout=subprocess.DEVNULL,
    )
    during: list[tuple[float, float]] = []  # (seconds after the import started, wait)
    while importer.poll() is None:
        began = time.perf_counter() - started
        first, second = audited_writes()
        during += [(began, first), (began + first, second)]
        time.sleep(every)
    import_seconds = time.perf_counter() - started
    if importer.returncode != 0:
        sys.exit(f"the import failed with exit code {importer.returncode}")
    import_events = AuditEvent.objects.count() - events_before - len(during)

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:8.1f} ms"

    waits = [wait for _, wait in during]
    print(f"database            {connection.vendor}")
    print(
        f"import              {len(files)} files, {import_seconds:.1f} s, "
        f"{import_events:,} audit events of its own"
    )
    for label, values in (("floor (no import)", floor), ("during the import", waits)):
        print(
            f"{label:<19} median {ms(statistics.median(values))}  max {ms(max(values))}  "
            f"({len(values)} writes)"
        )
    longest = sorted(during, key=lambda item: -item[1])[:3]
    print(
        "longest waits       " + ", ".join(f"{ms(wait).strip()} at {began:.1f} s" for began, wait in longest)
    )
    verdict = "holds" if max(waits) <= TARGET_SECONDS else "MISSED"
    print(f"target              max <= {TARGET_SECONDS * 1000:.0f} ms: {verdict}")
    return max(waits), max(floor)


if __name__ == "__main__":
    main()
