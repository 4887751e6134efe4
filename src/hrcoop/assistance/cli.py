"""``hrcoop assistance ...``: the daily reminders and the process as published."""

from __future__ import annotations

import typer

from hrcoop.assistance.diagram import workflow_svg
from hrcoop.assistance.tasks import send_service_level_reminders
from hrcoop.assistance.workflow import TRANSITIONS
from hrcoop.core.cli import print_json

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, help="Requests for assistance.")


@app.command("remind")
def remind(now: bool = typer.Option(False, "--now", help="Send in this process instead of queueing")) -> None:
    """Queue (or send) the reminders of requests due or overdue; run daily from cron."""
    if now:
        print_json(send_service_level_reminders.call())
    else:
        result = send_service_level_reminders.enqueue()
        print_json({"queued": str(result.id)})


@app.command("process")
def process(svg: bool = typer.Option(False, "--svg", help="Print the diagram as SVG")) -> None:
    """Print the workflow as it runs: each step, who takes it, from where to where."""
    if svg:
        typer.echo(workflow_svg())
        return
    print_json(
        [
            {
                "step": s.name,
                "actor": s.actor,
                "from": list(s.sources),
                "to": list(s.targets),
                "reason": s.reason_required,
            }
            for s in TRANSITIONS.values()
        ]
    )
