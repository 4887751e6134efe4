"""``hrcoop init`` and ``hrcoop reference ...``."""

from __future__ import annotations

from pathlib import Path

import typer
from django.core.management import call_command

from hrcoop.core.cli import print_json
from hrcoop.reference.services import load_reference_data, load_sdg_texts

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Reference data: States, organisations, sessions, SDGs.",
)


def init() -> None:
    """Create or upgrade the schema, load the reference data, collect static files (safe to rerun)."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    print_json(load_reference_data())


@app.command("load-sdg")
def load_sdg(
    directory: Path = typer.Argument(..., help="Folder with en/, fr/, es/, ar/, ru/, zh-Hans/"),
) -> None:
    """Load the SDG goal, target and indicator texts in the six UN languages."""
    print_json(load_sdg_texts(directory))
