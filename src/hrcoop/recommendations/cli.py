"""``hrcoop import <format> FILE...`` and ``hrcoop stats``."""

from __future__ import annotations

from pathlib import Path

import typer

from hrcoop.core.cli import print_json
from hrcoop.recommendations.selectors import registry_stats

import_app = typer.Typer(
    no_args_is_help=True, pretty_exceptions_enable=False, help="Import recommendations from a source export."
)


def stats(as_json: bool = typer.Option(False, "--json", help="Print one JSON object")) -> None:
    """Counts of the registry: records, States under review, by response, action category and cycle."""
    figures = registry_stats()
    if as_json:
        print_json(figures)
        return
    typer.echo(f"recommendations: {figures['recommendations']}")
    typer.echo(f"States under review: {figures['states_under_review']}")
    for key in ("by_response", "by_action_category", "by_cycle"):
        typer.echo(f"{key.replace('_', ' ')}: " + ", ".join(f"{k} {v}" for k, v in figures[key].items()))


def _import(
    format_name: str, files: list[Path], dry_run: bool, new_labels: bool, skip_invalid: Path | None
) -> None:
    from hrcoop.recommendations.services.imports import import_files

    print_json(
        import_files(
            files,
            format_name=format_name,
            actor=None,
            dry_run=dry_run,
            new_labels=new_labels,
            skip_invalid=skip_invalid,
        )
    )


FILES = typer.Argument(..., exists=False, help="Files to import (plain or gzip-compressed)")
DRY_RUN = typer.Option(False, "--dry-run", help="Read and check everything, report, and write nothing")
NEW_LABELS = typer.Option(
    False,
    "--new-labels",
    help="Add issues, themes and affected persons the vocabulary does not know (listed in the report) "
    "instead of rejecting their rows",
)
SKIP_INVALID = typer.Option(
    None,
    "--skip-invalid",
    metavar="FILE",
    help="Import the valid rows and write the rejected ones, each with its reason, to FILE in the "
    "source's own format, to correct and import again (without it, one bad row imports nothing)",
)


@import_app.command("upr-info")
def import_upr_info(
    files: list[Path] = FILES,
    dry_run: bool = DRY_RUN,
    new_labels: bool = NEW_LABELS,
    skip_invalid: Path | None = SKIP_INVALID,
) -> None:
    """UPR Info database exports (the 2015 and 2018 formats, detected automatically)."""
    _import("upr-info", files, dry_run, new_labels, skip_invalid)


@import_app.command("uhri")
def import_uhri(
    files: list[Path] = FILES,
    dry_run: bool = DRY_RUN,
    new_labels: bool = NEW_LABELS,
    skip_invalid: Path | None = SKIP_INVALID,
) -> None:
    """OHCHR Universal Human Rights Index exports (JSON or XLSX)."""
    _import("uhri", files, dry_run, new_labels, skip_invalid)


@import_app.command("ohchr-list")
def import_ohchr_list(
    files: list[Path] = FILES,
    dry_run: bool = DRY_RUN,
    new_labels: bool = NEW_LABELS,
    skip_invalid: Path | None = SKIP_INVALID,
) -> None:
    """OHCHR thematic lists / matrices of UPR recommendations (plain text)."""
    _import("ohchr-list", files, dry_run, new_labels, skip_invalid)
