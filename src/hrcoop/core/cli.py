"""Shared plumbing of the command line: domain errors become one line on stderr and exit status 2.

So does a database our commands cannot use: one that is unreachable, or whose schema is missing or
older than the code (``hrcoop stats`` before ``hrcoop init``, or after an upgrade without it). The
driver's traceback ("no such table: recommendations_recommendation") says neither which database
nor what to do; the line printed instead says both.
"""

from __future__ import annotations

import json
import sys
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
