"""The installed ``hrcoop`` command, run as a user would on a fresh database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli

HRCOOP = str(Path(sys.executable).with_name("hrcoop"))


def run(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    """``hrcoop ARGS`` on ``database``, its var folder (collected static files, models) beside it."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "HRCOOP_VAR_DIR": str(database.parent)}
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


def test_a_database_without_the_schema_is_named_with_the_command_that_prepares_it(tmp_path: Path) -> None:
    database = tmp_path / "never-initialised.sqlite3"
    result = run("stats", "--json", database=database)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"error: the sqlite database {database} has no hrcoop schema yet")
    assert "no such table: recommendations_recommendation" in line and "run `hrcoop init`" in line


def test_a_database_behind_the_code_names_the_first_missing_migration(tmp_path: Path) -> None:
    database = tmp_path / "older.sqlite3"
    assert run("init", database=database).returncode == 0
    assert run("migrate", "classification", "zero", database=database).returncode == 0
    result = run("classify", "apply", database=database)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "has an older schema than this version of hrcoop (2 migration(s) not applied" in line
    assert "first classification.0001_initial" in line and "run `hrcoop init`" in line
    assert run("init", database=database).returncode == 0  # what the message says to do mends it
    mended = run("classify", "apply", database=database)
    assert mended.stderr.strip() == "error: issue: no trained issue model: run `hrcoop classify train` first"


def test_an_unreachable_database_server_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "DATABASE_URL": "postgres://hrcoop@127.0.0.1:9/registry"}  # port 9: discard
    result = subprocess.run(
        [HRCOOP, "stats", "--json"], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: cannot use the postgresql database registry at 127.0.0.1:9: ")


def test_help_lists_our_commands_first_then_says_django_commands_pass_through(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_cli(capsys, "--help")
    assert code == 0
    lines = out.splitlines()
    commands = [line.split(maxsplit=1) for line in lines if line.startswith("  ")]
    assert [name for name, _ in commands] == [
        "init", "reference", "import", "stats", "search", "assistance", "mandates", "export", "funds",
        "classify", "tracking", "report", "open-data", "cooperation", "audit", "tokens", "dump", "restore",
        "demo", "consultations",
    ]  # fmt: skip
    described = dict(commands)
    assert described["init"].startswith("Create or upgrade the schema")
    assert described["import"] == "Import recommendations from a source export."
    assert described["classify"] == "Machine-assisted tagging: train, suggest, measure."
    passed_through = lines.index(next(line for line in lines if "Django management command" in line))
    assert passed_through > lines.index(next(line for line in lines if line.startswith("  consultations ")))
    assert described["audit"] == "The audit log: verify its hash chain."
    assert "hrcoop migrate" in lines[passed_through]
    assert "makemigrations" not in out  # Django's own listing is one command away, not in the way
    for alone in ([], ["-h"], ["help"]):
        assert run_cli(capsys, *alone) == (0, out, "")


def test_django_help_still_answers_for_its_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "help", "--commands")
    assert code == 0 and "migrate" in out.split() and "runserver" in out.split()
    code, out, _ = run_cli(capsys, "help", "migrate")
    assert code == 0 and out.startswith("usage: hrcoop migrate")
