"""Benchmark: the report on international cooperation (para 32) over the full imported corpus.

Imports the UPR Info exports (sessions 1-20, 41,066 rows; ../shared/data/upr_info_terman) and the seed
resolution into a throw-away database, then builds the cooperation report for the corpus's last year
(2014 by default): the document (every figure), its HTML, its PDF. Target: under 15 s in all. Printed
beside the floor: the same SQL statements the build sent, replayed alone through a cursor (no Python
around them), i.e. what the database must spend whatever the builders do with the rows.

    .venv/bin/python bench/reports.py              # SQLite, a fresh file in a temporary folder
    .venv/bin/python bench/reports.py --postgres   # PostgreSQL at DATABASE_URL's server, a fresh database
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from _database import bench_database  # the benchmark's own folder is on sys.path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data" / "upr_info_terman"
SEED = REPO.parent / "shared" / "seed"
SESSION_FILES = ["1-5", "6-9", "10-13", "14-17", "17-20", "voluntary"]
TARGET_SECONDS = 15.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL (server from DATABASE_URL)")
    parser.add_argument("--year", type=int, default=2014, help="the year the report covers")
    parser.add_argument("--lang", default="en", help="the report's language")
    args = parser.parse_args()
    files = [DATA / f"upr_info_sessions_{name}.csv.gz" for name in SESSION_FILES]
    missing = [str(f) for f in files if not f.exists()]
    if missing:
        sys.exit(f"missing data files: {', '.join(missing)}")
    with bench_database(postgres=args.postgres, label="reports"):
        run(files, year=args.year, language=args.lang)


def run(files: list[Path], *, year: int, language: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from hrcoop.mandates.services import import_resolution_text
    from hrcoop.recommendations.models import Recommendation
    from hrcoop.recommendations.services.imports import import_files
    from hrcoop.reference.services import load_reference_data
    from hrcoop.reports.building import build_report
    from hrcoop.reports.rendering import render_html, render_pdf

    call_command("migrate", verbosity=0)
    load_reference_data()
    started = time.perf_counter()
    import_files(files, format_name="upr-info", actor=None)
    for seed in sorted(SEED.glob("*.txt")):
        import_resolution_text(seed.read_text(encoding="utf-8"), source=seed.name, actor=None)
    print(
        f"database        {connection.vendor}; {Recommendation.objects.count():,} records imported "
        f"in {time.perf_counter() - started:.1f} s (not counted)"
    )
    import matplotlib.figure  # noqa: F401 - imported once per process: not the report's cost
    import weasyprint  # noqa: F401

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        report = build_report("cooperation", year=year, language=language)
        built = time.perf_counter() - started
    started = time.perf_counter()
    html = render_html(report, built_on=timezone.localdate())
    rendered = time.perf_counter() - started
    started = time.perf_counter()
    pdf = render_pdf(html)
    printed = time.perf_counter() - started
    total = built + rendered + printed

    statements = [q["sql"] for q in queries.captured_queries]
    timings = []
    with connection.cursor() as cursor:
        for sql in statements:
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            timings.append((time.perf_counter() - started, sql))
    floor = sum(seconds for seconds, _sql in timings)

    print(
        f"report          cooperation {year} ({language}): {len(report.sections)} sections, "
        f"{sum(len(s.tables) for s in report.sections)} tables, {len(pdf) / 1024:.0f} KiB PDF"
    )
    print(f"floor           {floor:6.2f} s  the build's {len(statements)} SQL statements replayed alone")
    print(f"figures         {built:6.2f} s  = {built / floor:.1f}x the floor (builders: queries and tables)")
    print(f"HTML            {rendered:6.2f} s")
    print(f"PDF             {printed:6.2f} s  (WeasyPrint)")
    seconds, slowest = max(timings)
    print(f"slowest query   {seconds:6.2f} s  {' '.join(slowest.split())[:300]}")
    verdict = "under" if total < TARGET_SECONDS else "OVER"
    print(f"total           {total:6.2f} s  {verdict} the {TARGET_SECONDS:.0f} s target")


if __name__ == "__main__":
    main()
