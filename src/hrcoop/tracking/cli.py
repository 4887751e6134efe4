"""``hrcoop tracking ...``: reminders to institutions, and the measure of suggested clusters against
OHCHR's thematic lists."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from hrcoop.core.cli import print_json
from hrcoop.core.errors import InvalidInput
from hrcoop.tracking.tasks import send_progress_reminders

app = typer.Typer(
    no_args_is_help=True, pretty_exceptions_enable=False, help="National implementation trackers."
)

DEFAULT_LISTS = Path("../shared/data/upr_docs_slovenia")


@app.command("remind")
def remind(now: bool = typer.Option(False, "--now", help="Send in this process instead of queueing")) -> None:
    """Queue (or send) the reminders to institutions whose progress update is due; run daily from cron."""
    if now:
        print_json(send_progress_reminders.call())
    else:
        result = send_progress_reminders.enqueue()
        print_json({"queued": str(result.id)})


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
    # Imported here: scikit-learn costs seconds to import, and every ``hrcoop`` command (``make run``'s
    # ``hrcoop init`` among them) would pay it to build its list of commands.
    from hrcoop.tracking.evaluation import evaluate_list, summary, thematic_lists

    paths = thematic_lists(directory)
    if not paths:
        raise InvalidInput(f"no thematic list (cycle*/*thematic*list*.txt) under {directory}")
    per_list = []
    for path in paths:
        figures = evaluate_list(path)
        per_list.append(figures)
        typer.echo(json.dumps(figures, ensure_ascii=False))
    typer.echo(json.dumps(summary(per_list)))
