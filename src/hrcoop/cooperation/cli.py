"""``hrcoop cooperation ...``: measuring the matcher, and the offers and records as data."""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer

app = typer.Typer(
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Cooperation between States: offers and matching.",
)
DEFAULT_DATA = Path(os.environ.get("HRCOOP_SHARED_DATA", "../shared/data"))


@app.command("evaluate")
def evaluate(
    data: Path = typer.Option(DEFAULT_DATA, "--data", help="The shared data folder (holds upr_info_terman/)"),
) -> None:
    """Precision at 5 and MRR of the matcher beside a keyword-overlap baseline; the last line is JSON."""
    # Imported here: scikit-learn costs seconds to import, and every ``hrcoop`` command would pay it.
    from hrcoop.cooperation.evaluation import evaluate as run_evaluation

    result = run_evaluation(data)
    typer.echo(
        f"{result['pairs']} needs against {result['offers']} offers; best possible precision at 5: "
        f"{result['best_possible_precision_at_5']}"
    )
    for language, figures in result["by_language"].items():
        typer.echo(
            f"{language}: {figures['needs']} needs; matcher P@5 {figures['matcher_precision_at_5']} "
            f"MRR {figures['matcher_mrr']}; baseline P@5 {figures['baseline_precision_at_5']} "
            f"MRR {figures['baseline_mrr']}"
        )
    summary = {key: result[key] for key in ("precision_at_5", "mrr", "baseline", "pairs")}
    typer.echo(json.dumps(summary))
