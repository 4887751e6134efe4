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
    """Index recommendations whose search tokens (and vectors) are missing or older than the record.

    With vectors, the vector index is rebuilt too when it is missing or behind (always with ``--full``).
    """
    from hrcoop.recommendations.search import services, vector_index

    started = time.perf_counter()
    indexed = services.index_recommendations(full=full, embed_later=False)
    text_seconds = time.perf_counter() - started
    embedded = services.embed(full=full) if vectors else 0
    built = vector_index.build() if vectors and (full or vector_index.due()) else None
    print_json(
        {
            "indexed": indexed,
            "index_seconds": round(text_seconds, 2),
            "embedded": embedded,
            "vector_index": {"vectors": built.size, "file": str(built.path)} if built else None,
            "seconds": round(time.perf_counter() - started, 2),
        }
    )
