"""Issue 25's table: what a registry of 41k and of a million recommendations costs, each figure beside
its target and a floor measured in the same run, on PostgreSQL.

    python bench/scale.py                      # both columns (a column whose database is missing: skipped)
    python bench/scale.py --sizes 41k          # one column
    python bench/scale.py --build              # build the missing databases first (minutes; 1M: an hour)

Each column runs in its own process against its own database (``hrcoop_bench_41k``,
``hrcoop_bench_1m`` on the server of ``DATABASE_URL``, default 127.0.0.1:5432), reusing the pieces of
bench/search.py (gunicorn, the HTTP driver, the bare view that is the HTTP floor, ``expand``). The 41k
database is the real corpus (/work/shared/data/upr_info_terman or ``--data``) imported, indexed and
embedded; the 1M one is a copy of it grown by ``bench/search.py expand --to 1000000``.

The figures, each with its floor:

- record page, a worker's first view and warm p95 (gunicorn, 2 workers, preloaded): floor, the bare view;
- memory a process adds for similar records (its first similar-records call): floor, the vectors'
  own size stored as int8;
- similar records p50/p95: floor, the exact product over the stored vectors held in memory;
- uncached search API req/s, 8 clients, gunicorn 2 workers: floor, the bare view's req/s; and its
  ceiling, the same requests' SQL statements alone sent by 8 connections (what the database gives);
- search page q=women with its facets, its first view and the p95 of the views after (pages are
  served as deployed, caches on; the API's figure has them off): floor, the bare view;
- home page after a write (the registry's version raised), the slowest of the first two views: floor,
  the bare view;
- ``hrcoop search reindex --full --no-vectors``: completes, and in how long (no floor), on PostgreSQL
  and on a SQLite copy of the column (``var/bench/*.sqlite3``: the corpus without vectors, grown alike);
- an audited write's longest wait while a 41k-record import runs (bench/audit_during_import.py, on a
  database of its own): floor, the same write with no import running.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from _http import BARE, get_all, gunicorn  # the benchmark's own folder is on sys.path
from import_upr_info import DATA

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
HRCOOP = Path(sys.executable).parent / "hrcoop"
SIZES = {"41k": "hrcoop_bench_41k", "1m": "hrcoop_bench_1m"}
SQLITE = {size: f"{database}.sqlite3" for size, database in SIZES.items()}  # files in var/bench/
BENCH_VAR = ROOT / "var" / "bench"
TARGETS = {
    "record_first": ("record page, a worker's first view", "ms", "<= 1000"),
    "record_p95": ("record page, warm p95", "ms", "<= 150"),
    "vectors_mb": ("memory added per worker by similar records", "MB", "<= 300"),
    "similar_p95": ("similar records p95", "ms", "-"),
    "api_rps": ("search API uncached, 8 clients, 2 workers", "req/s", ">= 200 (41k) / 60 (1M)"),
    "api_sql_rps": ("the same requests' SQL alone, 8 connections", "req/s", "ceiling"),
    "page_first": ("search page q=women with facets, first view", "ms", "-"),
    "page_p95": ("search page q=women with facets, p95", "ms", "<= 200"),
    "home_after_write": ("home after a write, slowest of first two views", "ms", "<= 200"),
    "reindex_s": ("search reindex --full completes (PostgreSQL)", "s", "completes"),
    "reindex_sqlite_s": ("search reindex --full completes (SQLite)", "s", "completes"),
    "audited_wait": ("an audited write's longest wait during a 41k import", "ms", "<= 1000"),
}


def _url(database: str) -> str:
    """A PostgreSQL database's address on the server of ``DATABASE_URL``, or a SQLite file's."""
    if database.endswith(".sqlite3"):
        return f"sqlite:///{BENCH_VAR / database}"
    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    return urlunsplit(urlsplit(server)._replace(path=f"/{database}"))


def _admin(sql: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(_url("postgres"), autocommit=True) as conn:
        cursor = conn.execute(sql)
        return cursor.fetchall() if cursor.description else []


def _environment(database: str) -> dict[str, str]:
    """The column's database, and a vector index of its own (the default folder is the site's)."""
    return {
        "DATABASE_URL": _url(database),
        "HRCOOP_VECTOR_INDEX_DIR": str(BENCH_VAR / f"{database}.vectors" / "vector-index"),
    }


def _exists(database: str) -> bool:
    if database.endswith(".sqlite3"):
        return (BENCH_VAR / database).exists()
    return bool(_admin(f"SELECT 1 FROM pg_database WHERE datname = '{database}'"))


def _hrcoop(database: str, *args: str, backend: str = "immediate") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **_environment(database), "HRCOOP_TASK_BACKEND": backend}
    return subprocess.run([str(HRCOOP), *args], env=env, capture_output=True, text=True, check=False)


def build(size: str, data: Path, *, sqlite: bool = False) -> None:
    """Create the column's database if missing: the real corpus imported, indexed and embedded (41k),
    or a copy of that grown to a million (1M). The SQLite files, which only time the reindex, hold no
    vectors."""
    database = (SQLITE if sqlite else SIZES)[size]
    if _exists(database):
        return
    if size == "1m":
        build("41k", data, sqlite=sqlite)
        if sqlite:
            shutil.copyfile(BENCH_VAR / SQLITE["41k"], BENCH_VAR / database)
        else:
            _admin(f'CREATE DATABASE "{database}" TEMPLATE "{SIZES["41k"]}"')
        env = {**os.environ, **_environment(database)}
        subprocess.run(
            [sys.executable, str(BENCH / "search.py"), "expand", "--to", "1000000"], env=env, check=True
        )
        return
    if sqlite:
        BENCH_VAR.mkdir(parents=True, exist_ok=True)
    else:
        _admin(f'CREATE DATABASE "{database}"')
    for args in (
        ("init",),
        ("import", "upr-info", *map(str, sorted(data.glob("*.csv.gz")))),
        ("search", "reindex", *(["--no-vectors"] if sqlite else [])),
    ):
        done = _hrcoop(database, *args)
        if done.returncode:
            raise SystemExit(
                f"building {database}: hrcoop {' '.join(args[:2])} failed:\n{done.stderr[-2000:]}"
            )


# --- one column, in its own process (Django set up on the column's database) ----------------------


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _get(url: str) -> float:
    import urllib.request

    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=120) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def _p95(samples: list[float]) -> float:
    import search as bench

    return bench._percentiles(samples)[1]


def _bare_p95(base: str, n: int = 30) -> float:
    return _p95([_get(base + BARE) for _ in range(n)])


class _Figures(dict[str, Any]):
    """The column's figures, each also printed to stderr as it is measured (a long run shows progress)."""

    def __setitem__(self, key: str, value: Any) -> None:
        print(f"  {key}: {value}", file=sys.stderr, flush=True)
        super().__setitem__(key, value)


GROUPS = ("similar", "pages", "reindex", "audited")


def measure_column(
    database: str, *, port: int, data: Path, groups: tuple[str, ...] = GROUPS
) -> dict[str, Any]:
    os.environ.update(_environment(database))
    os.environ.setdefault("HRCOOP_SECRET_KEY", os.urandom(32).hex())  # a throw-away one, as the server's
    from django.db import connections

    import search  # noqa: F401  (bench/search.py: sets Django up on DATABASE_URL)
    from hrcoop.recommendations.models import Recommendation
    from hrcoop.recommendations.search.models import Embedding

    figures: dict[str, Any] = _Figures(
        records=Recommendation.objects.count(), vectors=Embedding.objects.count()
    )
    rng = random.Random(25)
    # Records that have their vector (all of them once the worker caught up): a page shows their
    # similar records, which is what costs.
    ids = list(Embedding.objects.values_list("pk", flat=True)) or list(
        Recommendation.objects.values_list("pk", flat=True)
    )
    sample = [Recommendation.objects.get(pk=pk) for pk in rng.sample(ids, 40)]
    if "similar" in groups:
        _similar(figures, sample)
    if "pages" in groups:
        _pages(figures, sample, port)
    connections.close_all()
    if "reindex" in groups:
        started = time.perf_counter()
        done = _hrcoop(database, "search", "reindex", "--full", "--no-vectors")
        seconds = round(time.perf_counter() - started, 1)
        figures["reindex_s"] = (
            seconds if done.returncode == 0 else f"failed: {done.stderr.strip()[-80:]}",
            "-",
        )
    if "audited" in groups:
        figures["audited_wait"] = audited_wait_during_import(data)
    return figures


def _similar(figures: dict[str, Any], sample: list[Any]) -> None:
    """Memory and time of similar records, in this process."""
    import numpy as np

    from hrcoop.recommendations.search.models import Embedding
    from hrcoop.recommendations.search.selectors import similar_to

    before = _rss_mb()
    similar_to(sample[0])
    figures["vectors_mb"] = (round(_rss_mb() - before), round(Embedding.objects.count() * 512 / 2**20))
    times = []
    for record in sample[1:31]:
        started = time.perf_counter()
        similar_to(record)
        times.append((time.perf_counter() - started) * 1000)
    rows = Embedding.objects.values_list("vector", flat=True)
    matrix = np.frombuffer(b"".join(bytes(v) for v in rows.iterator(chunk_size=10_000)), dtype=np.int8)
    matrix = matrix.reshape(-1, 512).astype(np.float32) / 127
    exact = []
    for i in range(30):
        started = time.perf_counter()
        scores = matrix @ matrix[i % len(matrix)]
        np.argpartition(-scores, 6)[:6]
        exact.append((time.perf_counter() - started) * 1000)
    del matrix
    figures["similar_p95"] = (round(_p95(times), 1), round(_p95(exact), 1))


def _pages(figures: dict[str, Any], sample: list[Any], port: int) -> None:
    """Pages through gunicorn, 2 workers, as deployed (caches on: a popular search asked again is read
    back); then the search API with its caches off, as searches nobody made before."""
    from django.db import transaction

    import search as bench
    from hrcoop.core.versions import bump_version
    from hrcoop.recommendations.registry_version import REGISTRY

    issue = bench._common_issue()
    paths = [
        "/api/recommendations/?" + urlencode([*bench._params(q, f, issue).query_items(), ("page_size", 20)])
        for _, q, f in bench.QUERIES
    ]
    with gunicorn(workers=2, port=port) as base:
        record_urls = [f"{base}/recommendations/{r.public_id}/" for r in sample]
        figures["record_first"] = (round(_get(record_urls[0])), round(_get(base + BARE)))
        for url in record_urls[1:3]:
            _get(url)  # the other worker's first view
        warm = [_get(url) for url in record_urls[3:] * 2]
        bare = _bare_p95(base)
        figures["record_p95"] = (round(_p95(warm), 1), round(bare, 1))
        page = [_get(base + "/recommendations/search/?q=women") for _ in range(25)]
        figures["page_first"] = (round(page[0]), round(bare, 1))
        figures["page_p95"] = (round(_p95(page[3:]), 1), round(bare, 1))
        after = []
        for _ in range(5):
            with transaction.atomic():
                bump_version(REGISTRY)  # what any write to the registry does to its figures
            after.append(max(_get(base + "/"), _get(base + "/")))
        figures["home_after_write"] = (round(max(after)), round(bare, 1))
    with gunicorn(workers=2, port=port, env={"HRCOOP_API_CACHE_SECONDS": "0"}) as base:
        get_all(base, paths, seconds=10, clients=8)  # warm both workers
        answers = get_all(base, paths, seconds=20, clients=8)
        floor = get_all(base, [BARE], seconds=10, clients=8)
        figures["api_rps"] = (round(len(answers) / 20, 1), round(len(floor) / 10, 1))
        figures["api_errors"] = sum(not a.ok for a in answers)
    figures["api_sql_rps"] = (round(_replayed_rps(_statements(paths), clients=8, seconds=10), 1), "-")


def _statements(paths: list[str]) -> list[list[tuple[str, Any]]]:
    """The SQL statements each API request sends (its cache off), captured in this process."""
    from django.test import Client, override_settings

    import search as bench

    client = Client()
    with override_settings(HRCOOP_API_CACHE_SECONDS=0, ALLOWED_HOSTS=["*"]):
        for path in paths:  # once first: what a worker reads once (reference rows) is not a request's
            client.get(path)
        return [bench._captured(lambda path=path: client.get(path))[1] for path in paths]


def _replayed_rps(requests: list[list[tuple[str, Any]]], *, clients: int, seconds: float) -> float:
    """Requests per second when ``clients`` connections send only each request's statements, reading
    every row, with no web server or Python around them: the most the database gives these searches on
    this machine, the ceiling that any number of workers shares."""
    import threading

    import psycopg

    done = [0] * clients
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        with psycopg.connect(os.environ["DATABASE_URL"], cursor_factory=psycopg.ClientCursor) as conn:
            i = n
            while time.monotonic() < stop:
                for sql, args in requests[i % len(requests)]:
                    cursor = conn.execute(sql, args)
                    if cursor.description:
                        cursor.fetchall()
                i += 1
                done[n] += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def _sqlite_reindex(size: str, *, build_missing: bool, data: Path) -> Any:
    """``hrcoop search reindex --full --no-vectors`` on the column's SQLite copy, in seconds."""
    if build_missing:
        build(size, data, sqlite=True)
    if not _exists(SQLITE[size]):
        return f"no {SQLITE[size]} (--build makes it)"
    started = time.perf_counter()
    done = _hrcoop(SQLITE[size], "search", "reindex", "--full", "--no-vectors")
    seconds = round(time.perf_counter() - started, 1)
    return (seconds if done.returncode == 0 else f"failed: {done.stderr.strip()[-80:]}", "-")


def audited_wait_during_import(data: Path) -> tuple[Any, Any]:
    """(longest wait during the import, longest wait without one), in ms: bench/audit_during_import.py,
    which imports the 41k rows into a database of its own while a role is granted and revoked."""
    done = subprocess.run(
        [
            sys.executable,
            str(Path(__file__).with_name("audit_during_import.py")),
            "--data",
            str(data),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        return f"failed: {done.stderr.strip()[-80:]}", "-"
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    return figures["max_ms"], figures["floor_max_ms"]


# --- the table -------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if isinstance(value, list | tuple):
        return f"{value[0]} (floor {value[1]})"
    return str(value)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command")
    parser.add_argument("--sizes", default="41k,1m")
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--port", type=int, default=8791)
    column = sub.add_parser("column")
    column.add_argument("--database", required=True)
    column.add_argument("--port", type=int, default=8791)
    column.add_argument("--data", type=Path, default=DATA)
    column.add_argument("--figures", default=",".join(GROUPS), help=f"some of {', '.join(GROUPS)}")
    args = parser.parse_args()
    if args.command == "column":
        groups = tuple(g.strip() for g in args.figures.split(","))
        print(json.dumps(measure_column(args.database, port=args.port, data=args.data, groups=groups)))
        return
    sizes = [s.strip().lower() for s in args.sizes.split(",")]
    # Pages name fingerprinted static files: collect them (only what changed) where gunicorn looks.
    subprocess.run([str(HRCOOP), "collectstatic", "--noinput", "-v0"], check=True)
    columns: dict[str, dict[str, Any]] = {}
    for size in sizes:
        if args.build:
            build(size, args.data)
        if not _exists(SIZES[size]):
            print(f"{size}: no database {SIZES[size]} (--build makes it)", file=sys.stderr)
            continue
        started = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                __file__,
                "column",
                "--database",
                SIZES[size],
                "--port",
                str(args.port),
                "--data",
                str(args.data),
                # The import's wait does not depend on the column: it is measured once, in the first.
                "--figures",
                ",".join(g for g in GROUPS if g != "audited" or not columns),
            ],
            stdout=subprocess.PIPE,  # its progress goes to stderr as it measures
            text=True,
            check=False,
        )
        if done.returncode:
            print(f"{size}: the column failed (its error is above)", file=sys.stderr)
            continue
        columns[size] = json.loads(done.stdout.strip().splitlines()[-1])
        columns[size]["reindex_sqlite_s"] = _sqlite_reindex(size, build_missing=args.build, data=args.data)
        print(f"{size}: measured in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    header = (
        "| measured | unit | target | "
        + " | ".join(f"{s} ({columns[s]['records']:,})" for s in columns)
        + " |"
    )
    print(header)
    print("|" + "---|" * (3 + len(columns)))
    for key, (label, unit, target) in TARGETS.items():
        cells = " | ".join(_cell(columns[s].get(key, "(as the first column)")) for s in columns)
        print(f"| {label} | {unit} | {target} | {cells} |")
    for size, figures in columns.items():
        print(f"{size}: {figures['vectors']:,} vectors stored; search API errors {figures.get('api_errors')}")


if __name__ == "__main__":
    main()
