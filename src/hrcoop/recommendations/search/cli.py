"""``hrcoop search reindex``: catch the index and the vectors up with the registry."""

from __future__ import annotations

import time

import typer

from hrcoop.core.cli import print_json

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, help="Search index and vectors.")


@app.command("reindex")
def reindex(
    full: bool = typer.Option(False, "--full", help="Rebuild every record, not only missing or stale ones"),
    vectors: bool = typer.Option(
        True, "--vectors/--no-vectors", help="Also compute sentence vectors now (without a task worker)"
    ),
) -> None:
    """Index recommendations whose search tokens (and vectors) are missing or older than the record."""
    from hrcoop.recommendations.search import services

    started = time.perf_counter()
    indexed = services.index_recommendations(full=full, embed_later=False)
    text_seconds = time.perf_counter() - started
    embedded = services.embed(full=full) if vectors else 0
    print_json(
        {
            "indexed": indexed,
            "index_seconds": round(text_seconds, 2),
            "embedded": embedded,
            "seconds": round(time.perf_counter() - started, 2),
        }
    )
