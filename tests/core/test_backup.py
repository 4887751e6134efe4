"""``hrcoop dump`` / ``hrcoop restore``: every table round-trips, the audit chain still verifies."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection, transaction

from hrcoop.core.audit import record_event
from hrcoop.core.backup import dump
from hrcoop.core.models import Role
from hrcoop.core.tokens import create_token
from tests.core.sample_actions import SampleAction
from tests.factories import make_user

HRCOOP = str(Path(sys.executable).with_name("hrcoop"))


def _run(*args: str, database_url: str, var: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "HRCOOP_VAR_DIR": str(var)}
    return subprocess.run([HRCOOP, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


def _content(path: Path) -> tuple[dict[str, int], str]:
    """Rows per model and one hash of every row's content, whatever the order of rows and of JSON keys."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    canonical = sorted(json.dumps(row, sort_keys=True) for row in rows)
    return counts, hashlib.sha256("\n".join(canonical).encode()).hexdigest()


def _restore_and_dump_again(source: Path, database_url: str, var: Path) -> Path:
    restored = _run("restore", str(source), database_url=database_url, var=var)
    assert restored.returncode == 0, restored.stderr
    assert json.loads(restored.stdout)["audit_chain"] == "intact"
    again = var / f"again-{uuid.uuid4().hex[:6]}.jsonl.gz"
    dumped = _run("dump", str(again), database_url=database_url, var=var)
    assert dumped.returncode == 0, dumped.stderr
    return again


@pytest.mark.django_db
def test_every_table_round_trips_and_the_chain_still_verifies(reference_data: None, tmp_path: Path) -> None:
    clerk = make_user("clerk", Role.SECRETARIAT, email="clerk@example.org", password="correct horse battery")
    create_token(clerk, actor=clerk, name="nightly", scopes=["read"])
    with transaction.atomic():
        for i in range(2):  # with the grant's and the token's, four audit events
            record_event(
                actor=clerk, action=SampleAction.CHANGED, target=clerk, data={"n": i, "text": "é ü 中文"}
            )
    source = tmp_path / "source.jsonl.gz"
    rows = dump(source)
    assert rows["core.AuditEvent"] == 4 and rows["reference.State"] == 195

    into_sqlite = _restore_and_dump_again(source, f"sqlite:///{tmp_path / 'copy.sqlite3'}", tmp_path)
    assert _content(into_sqlite) == _content(source)
    refused = _run(
        "restore", str(source), database_url=f"sqlite:///{tmp_path / 'copy.sqlite3'}", var=tmp_path
    )
    assert refused.returncode == 2 and "restore into a new, empty database" in refused.stderr

    if connection.vendor == "postgresql":  # and back from SQLite into a new PostgreSQL database
        import psycopg

        settings = connection.settings_dict
        name = f"{settings['NAME']}_restore"
        server = {"host": settings["HOST"], "port": settings["PORT"] or 5432, "user": settings["USER"]}
        # CREATE DATABASE cannot run in the test's transaction: a connection of its own, outside it.
        with psycopg.connect(**server, dbname="postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
            try:
                url = f"postgres://{settings['USER']}@{settings['HOST']}:{server['port']}/{name}"
                into_postgres = _restore_and_dump_again(into_sqlite, url, tmp_path)
                assert _content(into_postgres) == _content(source)
            finally:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
