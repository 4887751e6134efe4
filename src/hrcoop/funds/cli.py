"""``hrcoop export iati DIR``: publish the funds in IATI 2.03 (see ``funds/iati.py``)."""

from __future__ import annotations

from pathlib import Path

import typer

from hrcoop.core.cli import print_json
from hrcoop.funds import iati

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
) -> None:
    """Write the IATI activity file (one activity per funded request) and one organisation file per fund."""
    print_json(iati.export(directory, schema_dir=schemas))
