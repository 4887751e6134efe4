"""``hrcoop mandates import FILE...`` and ``hrcoop mandates fulfil``."""

from __future__ import annotations

from pathlib import Path

import typer

from hrcoop.core.cli import print_json

app = typer.Typer(
    no_args_is_help=True, pretty_exceptions_enable=False, help="Resolutions, citations and mandates."
)


@app.command("import")
def import_command(
    files: list[Path] = typer.Argument(..., help="Plain-text resolutions, drafts or Council session reports"),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Parse and check everything, report, write nothing"
    ),
    force: bool = typer.Option(
        False, "--force", help="Accept a new text that drops mandates (never a fulfilled one)"
    ),
) -> None:
    """Parse resolutions into paragraphs, citations and mandates and store them (idempotent)."""
    from hrcoop.mandates.services import import_files

    print_json(import_files(files, actor=None, dry_run=dry_run, force=force))


@app.command("fulfil")
def fulfil_command(
    mandate_id: int = typer.Argument(..., help="Id of the mandate (see the tracker)"),
    document: str = typer.Argument(..., help="Symbol of the fulfilling document, e.g. A/HRC/50/19"),
) -> None:
    """Record the document that fulfils a mandate."""
    from hrcoop.core.errors import NotFound
    from hrcoop.mandates.models import Mandate
    from hrcoop.mandates.services import fulfil_mandate

    mandate = Mandate.objects.filter(pk=mandate_id).first()
    if mandate is None:
        raise NotFound(f"no mandate with id {mandate_id}")
    fulfilled = fulfil_mandate(mandate, document_symbol=document, actor=None)
    print_json({"mandate": fulfilled.pk, "status": fulfilled.status, "fulfilled_by": fulfilled.fulfilled_by})
