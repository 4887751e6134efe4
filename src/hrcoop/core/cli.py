"""Shared plumbing of the command line: domain errors become one line on stderr and exit status 2.

So does a database our commands cannot use: one that is unreachable, or whose schema is missing or
older than the code (``hrcoop stats`` before ``hrcoop init``, or after an upgrade without it). The
driver's traceback ("no such table: recommendations_recommendation") says neither which database
nor what to do; the line printed instead says both.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer
from django.db import DatabaseError

from hrcoop.core.errors import DomainError


def run_typer(app: typer.Typer, args: list[str]) -> None:
    try:
        app(args=args, prog_name="hrcoop", standalone_mode=True)
    except DomainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from exc
    except DatabaseError as exc:
        problem = unusable_database(exc, initialising=args[:1] == ["init"])
        if problem is None:
            raise
        print(f"error: {problem}", file=sys.stderr)
        raise SystemExit(2) from exc


def unusable_database(error: DatabaseError, *, initialising: bool = False) -> str | None:
    """Why the default database cannot serve our commands, or None when it can (``error`` is then a
    fault of its own, left to propagate with its traceback). While ``hrcoop init`` runs the schema is
    behind by design, so only an unreachable database is reported then."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    settings = connection.settings_dict
    server = f" at {settings['HOST']}:{settings['PORT'] or 'default port'}" if settings.get("HOST") else ""
    where = f"{connection.vendor} database {settings['NAME']}{server}"
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as unreachable:
        reason = str(unreachable).strip().splitlines() or [type(unreachable).__name__]
        return f"cannot use the {where}: {reason[0]}"
    if not plan or initialising:
        return None
    if not executor.loader.applied_migrations:
        state = "has no hrcoop schema yet"
    else:
        first = plan[0][0]
        state = (
            f"has an older schema than this version of hrcoop ({len(plan)} migration(s) not applied, "
            f"first {first.app_label}.{first.name})"
        )
    return (
        f"the {where} {state}, so the command failed ({str(error).strip()}); "
        "run `hrcoop init`, which creates or upgrades the schema and keeps the data"
    )


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


audit_app = typer.Typer(
    no_args_is_help=True, pretty_exceptions_enable=False, help="The audit log: verify its hash chain."
)


@audit_app.command("verify")
def audit_verify() -> None:
    """Check the audit hash chain; exit 1 naming the first bad event when it is broken."""
    from hrcoop.core.audit import chain_head, verify_audit_chain
    from hrcoop.core.models import AuditEvent

    problems = verify_audit_chain()
    if problems:
        print(f"audit chain broken: first bad event: {problems[0]}", file=sys.stderr)
        for problem in problems[1:]:
            print(f"  then: {problem}", file=sys.stderr)
        raise typer.Exit(1)
    # The head hash, kept outside the database (a log, a ticket), anchors the chain against a rewrite.
    typer.echo(f"audit chain intact: {AuditEvent.objects.count()} events, head {chain_head()}")


@audit_app.command("daily")
def audit_daily(
    now: bool = typer.Option(False, "--now", help="Run in this process instead of queueing"),
) -> None:
    """Queue (or run) every integrity check, e-mailing the administrators on failure; run daily from cron."""
    from hrcoop.core.tasks import verify_integrity

    if now:
        print_json(verify_integrity.call())
    else:
        print_json({"queued": str(verify_integrity.enqueue().id)})


tokens_app = typer.Typer(
    no_args_is_help=True, pretty_exceptions_enable=False, help="API tokens: create, list, revoke."
)


def _user(username: str) -> Any:
    from hrcoop.core.errors import NotFound
    from hrcoop.core.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


@tokens_app.command("create")
def tokens_create(
    username: str = typer.Argument(..., help="Whose token: it acts with this person's roles"),
    name: str = typer.Option(..., "--name", help="What uses it, e.g. 'nightly statements export'"),
    scope: list[str] = typer.Option(["read"], "--scope", help="read and/or write (repeat the option)"),
    days: int | None = typer.Option(
        None, "--days", help="Days until it expires (90 unless given; at most 366)"
    ),
) -> None:
    """Create a token; its key is printed this once and never stored."""
    from hrcoop.core.tokens import DEFAULT_DAYS, create_token, token_summary

    token, key = create_token(
        _user(username), actor=None, name=name, scopes=scope, days=DEFAULT_DAYS if days is None else days
    )
    print_json({**token_summary(token), "key": key})


@tokens_app.command("list")
def tokens_list(username: str = typer.Argument(..., help="Whose tokens")) -> None:
    """The person's tokens, without their keys."""
    from hrcoop.core.tokens import token_summary

    print_json([token_summary(t) for t in _user(username).api_tokens.order_by("created_at")])


@tokens_app.command("revoke")
def tokens_revoke(prefix: str = typer.Argument(..., help="The token's prefix, as `list` shows it")) -> None:
    """Revoke a token at once."""
    from hrcoop.core.errors import NotFound
    from hrcoop.core.models import ApiToken
    from hrcoop.core.tokens import revoke_token, token_summary

    token = ApiToken.objects.filter(prefix=prefix).first()
    if token is None:
        raise NotFound(f"no token with the prefix {prefix!r}")
    print_json(token_summary(revoke_token(token, actor=None)))


def dump(file: Path = typer.Argument(..., help="Where to write: *.jsonl, or *.jsonl.gz to compress")) -> None:
    """Write every table to FILE (JSON Lines); `hrcoop restore FILE` loads it on SQLite or PostgreSQL."""
    from hrcoop.core.backup import dump as dump_tables

    print_json({"file": str(file), "rows": dump_tables(file)})


def restore(file: Path = typer.Argument(..., help="A file `hrcoop dump` wrote")) -> None:
    """Load FILE into an empty database (creating the schema), then verify the audit chain."""
    from hrcoop.core.audit import verify_audit_chain
    from hrcoop.core.backup import restore as restore_tables

    rows = restore_tables(file)
    problems = verify_audit_chain()
    print_json({"file": str(file), "rows": rows, "audit_chain": problems[0] if problems else "intact"})
    if problems:
        raise typer.Exit(1)
