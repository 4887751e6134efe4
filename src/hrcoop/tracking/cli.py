"""``hrcoop tracking ...``: the measure of suggested clusters against OHCHR's thematic lists."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from hrcoop.core.errors import InvalidInput
from hrcoop.tracking.evaluation import evaluate_list, summary, thematic_lists

app = typer.Typer(
    no_args_is_help=True, pretty_exceptions_enable=False, help="National implementation trackers."
)

DEFAULT_LISTS = Path("../shared/data/upr_docs_slovenia")


@app.command("evaluate-clusters")
def evaluate_clusters(
    directory: Path = typer.Argument(
        DEFAULT_LISTS, help="A folder with OHCHR thematic lists in cycle*/ (Slovenia's, cycles 2-4)"
    ),
) -> None:
    """Import OHCHR's thematic lists, cluster each without its headings, and compare with the headings.

    One line per list, then, as the last line, one JSON object: the means of adjusted Rand index and
    V-measure over the lists, beside those of the baseline (grouping by first issue or theme label).
    """
    paths = thematic_lists(directory)
    if not paths:
        raise InvalidInput(f"no thematic list (cycle*/*thematic*list*.txt) under {directory}")
    per_list = []
    for path in paths:
        figures = evaluate_list(path)
        per_list.append(figures)
        typer.echo(json.dumps(figures, ensure_ascii=False))
    typer.echo(json.dumps(summary(per_list)))
