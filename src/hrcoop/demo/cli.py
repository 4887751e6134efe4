"""``hrcoop init [--demo]`` and ``hrcoop demo remove``."""

from __future__ import annotations

import sys

import typer

from hrcoop.core.cli import print_json

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="The demo workspace: public UN documents and labelled demo records.",
)

# ``hrcoop init --demo`` exits with this status when it refuses the demo because the database holds
# real records: the schema and reference data are ready, so ``make run`` serves them without it.
DEMO_REFUSED = 3


def init(
    demo: bool = typer.Option(
        False,
        "--demo",
        help="Also load the demo (public UN documents and a labelled workspace) into an empty database",
    ),
) -> None:
    """Create or upgrade the schema, load reference data, collect static files; --demo: the demo too.

    Safe to rerun. The demo loads only into a database that holds no real records; once loaded,
    running it again changes nothing."""
    from django.db import transaction

    from hrcoop.recommendations.services.vocabularies import sync_vocabularies
    from hrcoop.reference.cli import init as prepare

    prepare()
    with transaction.atomic():  # the labels' names in six languages, before any import brings labels
        sync_vocabularies()
    if not demo:
        return
    from hrcoop.core.errors import Conflict
    from hrcoop.demo.services import load_demo

    try:
        report = load_demo()
    except Conflict as exc:
        print(f"demo not loaded: {exc}", file=sys.stderr)
        raise SystemExit(DEMO_REFUSED) from exc
    print_json({"demo": report})
    print_sign_ins()


def print_sign_ins() -> None:
    """The demo's sign-ins, as ``make run`` shows them before the server starts."""
    from hrcoop.demo.services import sign_in_file

    path = sign_in_file()
    if not path.exists():
        return
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    typer.echo("\nDemo sign-ins (demo data only; `hrcoop demo remove` takes the demo out):")
    for role, username, password in rows:
        typer.echo(f"  {role:<22} user {username:<18} password {password}")
    typer.echo("Sign in at http://127.0.0.1:8000/accounts/login/\n")


@app.command("remove")
def remove() -> None:
    """Take every demo record out (audited); real records stay as they were."""
    from hrcoop.demo.services import remove_demo

    print_json({"removed": remove_demo(actor=None)})
