"""``hrcoop report KIND --year 2021 --lang fr --out DIR``: build a report and write its HTML and PDF."""

from __future__ import annotations

from pathlib import Path

import typer

from hrcoop.reports.builders.fund_update import DEFAULT_FUND
from hrcoop.reports.building import KINDS, build_report, write_report


def report(
    kind: str = typer.Argument(..., help=f"One of: {', '.join(KINDS)}"),
    year: int = typer.Option(..., "--year", help="The year the report covers"),
    lang: str = typer.Option("en", "--lang", help="ar, zh-hans, en, fr, ru or es"),
    out: Path = typer.Option(Path("."), "--out", help="Folder to write the HTML and the PDF into"),
    state: str = typer.Option("", "--state", help="ISO 3166 alpha-3 code of the State (country profile)"),
    fund: str = typer.Option(DEFAULT_FUND, "--fund", help="Code of the fund (fund update)"),
) -> None:
    """Build a report (fund update, cooperation, country profile) as HTML and PDF."""
    document = build_report(kind, year=year, language=lang, state=state, fund=fund)
    output = write_report(document, out)
    typer.echo(f"{output.html}\n{output.pdf}\ndata version {output.data_version}")


def open_data() -> None:
    """Rebuild the open-data bundle (CSV, JSON and datapackage.json) that the Reports page links to."""
    from hrcoop.reports.opendata import build_bundle, current_folder

    package = build_bundle()
    typer.echo(f"{len(package['resources'])} files in {current_folder()}")
