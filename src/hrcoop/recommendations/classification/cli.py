"""``hrcoop classify train|apply|evaluate``: thin front over the services and the evaluation."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from hrcoop.core.errors import InvalidInput

app = typer.Typer(no_args_is_help=True, help="Machine-assisted tagging: train, suggest, measure.")

TaskOption = Annotated[
    list[str] | None,
    typer.Option(
        "--task", "-t", help="issues, action_category, sdg_goals, sdg_targets, affected_persons, themes"
    ),
]
DEFAULT_TASKS = ["issues", "action_category", "sdg_goals"]


def _kinds(tasks: list[str] | None) -> list[tuple[str, str]]:
    from hrcoop.recommendations.classification.services import kind_for_task

    return [(task, kind_for_task(task)) for task in (tasks or DEFAULT_TASKS)]


@app.command()
def train(task: TaskOption = None) -> None:
    """Train a new version per task from the accepted labels in the database and make it active."""
    from hrcoop.recommendations.classification.services import train as train_kind

    for name, kind in _kinds(task):
        version = train_kind(kind, actor=None)
        typer.echo(
            f"{name}: trained {version.version} on {version.records} records, {len(version.labels)} labels, "
            f"held-out {json.dumps(version.holdout)}"
        )


@app.command()
def apply(
    task: TaskOption = None,
    include_labelled: Annotated[
        bool, typer.Option("--include-labelled", help="Also suggest extra labels for records that have some")
    ] = False,
) -> None:
    """Store the active models' suggestions (imported and human labels are never touched)."""
    from hrcoop.recommendations.classification.services import apply as apply_kind

    for name, kind in _kinds(task):
        counts = apply_kind(kind, actor=None, include_labelled=include_labelled)
        typer.echo(f"{name}: " + ", ".join(f"{k} {v}" for k, v in counts.items()))


def _table(title: str, per_label: dict[str, dict[str, float]], baseline: dict[str, dict[str, float]]) -> None:
    typer.echo(f"  {title}: label, precision / recall (model | baseline), support")
    for label, f in sorted(per_label.items(), key=lambda item: -item[1]["support"]):
        b = baseline.get(label, {})
        typer.echo(
            f"    {label[:45]:45} {f['precision']:.3f} / {f['recall']:.3f} | "
            f"{b.get('precision', 0):.3f} / {b.get('recall', 0):.3f}  {f['support']}"
        )


@app.command()
def evaluate(
    train_sessions: Annotated[str, typer.Option("--train-sessions", help="e.g. 1-16")] = "1-16",
    test_sessions: Annotated[str, typer.Option("--test-sessions", help="e.g. 17-20 or 17,19-20")] = "17-20",
    per_label: Annotated[bool, typer.Option("--per-label/--no-per-label")] = True,
    save: Annotated[bool, typer.Option("--save/--no-save", help="Publish on the methods page")] = True,
) -> None:
    """Train on earlier sessions, test on later ones, beside the TF-IDF + linear SVM baseline.

    The last line is one JSON object with the headline figures.
    """
    from hrcoop.recommendations.classification.data import parse_sessions
    from hrcoop.recommendations.classification.evaluation import evaluate as run
    from hrcoop.recommendations.classification.services import record_evaluation

    try:
        train, test = parse_sessions(train_sessions), parse_sessions(test_sessions)
        if train & test:
            raise ValueError(f"sessions {sorted(train & test)} are in both the training and the test split")
    except ValueError as exc:
        raise InvalidInput(str(exc), where="--train-sessions/--test-sessions") from exc
    results = run(train_sessions=train, test_sessions=test)
    for task, figures in results["details"].items():
        if "error" in figures:
            typer.echo(f"{task}: {figures['error']}")
            continue
        if task == "records_decided_at_97":
            typer.echo(
                _coverage_line(
                    "whole records (issues and action category) decided at 0.97 exact-set accuracy",
                    figures["model"],
                    figures["baseline"],
                    None,
                )
            )
            continue
        if task == "sdg_goals":
            typer.echo(f"{task}: {figures['records']} OHCHR-labelled records, {figures['folds']}")
            for name in ("text_only", "text_and_labels"):
                f = figures[name]
                typer.echo(
                    f"  {name:16} precision {f['precision']:.3f} recall {f['recall']:.3f} F1 {f['f1']:.3f}"
                )
            if per_label:
                typer.echo("  per goal (texts and labelled records): precision / recall, support")
                for goal, f in figures["per_goal"].items():
                    typer.echo(f"    {goal:>4} {f['precision']:.3f} / {f['recall']:.3f}  {f['support']}")
            continue
        base = figures["baseline"]
        head = ("accuracy", "macro_f1") if "accuracy" in figures else ("micro_f1", "macro_f1")
        typer.echo(
            f"{task}: train {figures['train']} test {figures['test']} records "
            f"({figures['train_cpu_seconds']} s of CPU to train); "
            + ", ".join(f"{k} {figures[k]:.4f} (baseline {base[k]:.4f})" for k in head)
        )
        typer.echo("  " + _coverage_line("coverage at 0.98 precision", figures, base, "coverage_at_98"))
        if "suggestions_at_98" in figures:
            typer.echo("  " + _coverage_line("labels at 0.98 precision", figures, base, "suggestions_at_98"))
        if figures["test_only_labels"]:
            typer.echo(f"  labels seen only in the test sessions: {', '.join(figures['test_only_labels'])}")
        if per_label:
            _table(task, figures["per_label"], base["per_label"])
    if save:
        record_evaluation(results, train_sessions=train_sessions, test_sessions=test_sessions, actor=None)
    typer.echo(json.dumps(results["summary"]))


def _coverage_line(title: str, model: dict[str, Any], baseline: dict[str, Any], key: str | None) -> str:
    """ "coverage 0.712 (precision on the test sessions 0.968) | baseline 0.52 (0.97)"."""

    def one(figures: dict[str, Any]) -> str:
        figures = figures[key] if key else figures
        precision = "-" if figures["precision"] is None else f"{figures['precision']:.3f}"
        return f"{figures['coverage']:.3f} (precision on the test sessions {precision})"

    return f"{title}: {one(model)} | baseline {one(baseline)}"
