"""A throw-away database for one benchmark run, on SQLite or on PostgreSQL.

Shared by the benchmarks that must start from empty books: SQLite gets a file in a temporary folder;
PostgreSQL gets a fresh database on the server ``DATABASE_URL`` names, dropped afterwards even if the
run fails half-way.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit


def _admin_url(server: str) -> str:
    return urlunsplit(urlsplit(server)._replace(path="/postgres"))


@contextmanager
def bench_database(*, postgres: bool, label: str, keep: bool = False) -> Iterator[Path]:
    """Point ``DATABASE_URL`` (and ``HRCOOP_VAR_DIR``) at an empty database; yield the work folder.

    ``keep`` leaves the PostgreSQL database in place afterwards, to look into it (its name is printed)."""
    with tempfile.TemporaryDirectory() as workdir:
        os.environ["HRCOOP_VAR_DIR"] = workdir
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hrcoop.config.settings")
        if not postgres:
            os.environ["DATABASE_URL"] = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
            yield Path(workdir)
            return
        import psycopg

        server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
        if not urlsplit(server).scheme.startswith("postgres"):
            sys.exit("--postgres needs DATABASE_URL=postgres://user@host:port/any-database")
        name = f"hrcoop_bench_{label}_{os.getpid()}"
        with psycopg.connect(_admin_url(server), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
        try:
            yield Path(workdir)
        finally:
            from django.db import connections

            connections.close_all()
            if keep:
                print(f"kept the database {name}")
            else:
                with psycopg.connect(_admin_url(server), autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
