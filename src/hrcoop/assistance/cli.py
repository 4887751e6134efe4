"""``hrcoop assistance ...``: the daily reminders and the process as published."""

from __future__ import annotations

import datetime as dt

import typer

from hrcoop.assistance import services
from hrcoop.assistance.diagram import workflow_svg
from hrcoop.assistance.tasks import send_service_level_reminders
from hrcoop.assistance.workflow import TRANSITIONS
from hrcoop.core.cli import print_json
from hrcoop.core.errors import NotFound
from hrcoop.core.models import User
from hrcoop.reference.selectors import fund_for

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


def _operator(username: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


@app.command("service-level")
def service_level(
    fund: str = typer.Argument(..., help="Fund code"),
    stage: str = typer.Argument(..., help="acknowledgement, assessment or decision"),
    working_days: int = typer.Argument(...),
    as_user: str = typer.Option(..., "--as", help="Username of the secretariat member making the change"),
) -> None:
    """Set a fund's service level for a stage (audited)."""
    level = services.set_service_level(
        actor=_operator(as_user), fund=fund_for(fund), stage=stage, working_days=working_days
    )
    print_json({"fund": level.fund_id, "stage": level.stage, "working_days": level.working_days})


@app.command("board-session")
def board_session(
    fund: str = typer.Argument(..., help="Fund code"),
    starts_on: str = typer.Argument(..., help="YYYY-MM-DD"),
    title: str = typer.Argument(...),
    as_user: str = typer.Option(..., "--as", help="Username of the secretariat member"),
) -> None:
    """Schedule a session of a fund's board; decisions become due by it (audited)."""
    session = services.schedule_board_session(
        actor=_operator(as_user), fund=fund_for(fund), starts_on=dt.date.fromisoformat(starts_on), title=title
    )
    print_json({"fund": session.fund_id, "starts_on": session.starts_on, "title": session.title})
