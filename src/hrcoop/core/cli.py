"""Shared plumbing of the command line: domain errors become one line on stderr and exit status 2."""

from __future__ import annotations

import json
import sys
from typing import Any

import typer

from hrcoop.core.errors import DomainError


def run_typer(app: typer.Typer, args: list[str]) -> None:
    try:
        app(args=args, prog_name="hrcoop", standalone_mode=True)
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
