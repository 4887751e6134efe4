"""The installed ``hrcoop`` command, run as a user would on a fresh database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HRCOOP = str(Path(sys.executable).with_name("hrcoop"))


def run(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    return subprocess.run([HRCOOP, *args], capture_output=True, text=True, env=env, timeout=300, check=False)


def test_init_is_idempotent_and_django_commands_pass_through(tmp_path: Path) -> None:
    database = tmp_path / "fresh.sqlite3"
    first = run("init", database=database)
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout)["states"] == 195
    second = run("init", database=database)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout)
    migrations = run("showmigrations", "reference", database=database)
    assert migrations.returncode == 0 and "[X] 0001_initial" in migrations.stdout
    stats = run("stats", "--json", database=database)
    assert json.loads(stats.stdout)["recommendations"] == 0


def test_a_domain_error_is_one_line_and_exit_status_2(tmp_path: Path) -> None:
    database = tmp_path / "fresh.sqlite3"
    result = run("reference", "load-sdg", str(tmp_path / "missing"), database=database)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"error: {tmp_path / 'missing'}: no folder for language(s) en, fr, es, ar, ru, zh-Hans"
    ]
