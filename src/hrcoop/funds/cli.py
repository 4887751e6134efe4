"""``hrcoop export iati DIR``: publish the funds in IATI 2.03 (see ``funds/iati.py``);
``hrcoop funds verify``: check the books, for operators and a daily task."""

from __future__ import annotations

from pathlib import Path

import typer

from hrcoop.core.cli import print_json
from hrcoop.funds import iati
from hrcoop.funds.models import Line, Posting
from hrcoop.funds.selectors import books_problems

export_app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, help="Open-data exports.")


@export_app.command("iati")
def export_iati(
    directory: Path = typer.Argument(
        ..., help="Folder to write iati-activities.xml and iati-organisations-*.xml"
    ),
    schemas: Path | None = typer.Option(
        None,
        "--schemas",
        envvar="HRCOOP_IATI_SCHEMAS",
        help="Folder with the IATI 2.03 XSDs (e.g. ../shared/data/iati_schemas): validate before writing",
    ),
    site: bool = typer.Option(
        False, "--site", help="Also offer the validated files on the site's /funds/ page (needs --schemas)"
    ),
) -> None:
    """Write the IATI activity file (one activity per funded request) and one organisation file per fund.

    With no publishable activity, only the organisation files are written and the output says why.
    """
    if site and schemas is None:
        raise typer.BadParameter("the site offers only validated files: give --schemas", param_hint="--site")
    summary = iati.export(directory, schema_dir=schemas)
    if site and schemas is not None:
        summary["site"] = iati.publish(schema_dir=schemas)["built_at"]
    print_json(summary)
    if "note" in summary:
        typer.echo(summary["note"], err=True)


funds_app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, help="The funds' books.")


@funds_app.command("verify")
def verify() -> None:
    """Check the whole ledger: exit 1 naming the first problem, or print one line and exit 0.

    Every posting sums to zero per currency, every balance is the sum of its lines, no rule of the
    books is broken, and every posting is as its audit event recorded it.
    """
    problems = books_problems()
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        typer.echo(f"the books are not sound: {problems[0]}{more}", err=True)
        raise typer.Exit(1)
    typer.echo(
        f"the books are sound: {Posting.objects.count()} postings, {Line.objects.count()} lines checked"
    )
