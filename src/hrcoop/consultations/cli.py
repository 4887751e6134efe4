"""``hrcoop consultations ...``: the daily reminders of calls for inputs, and a call's published answers."""

from __future__ import annotations

import json

import typer

from hrcoop.consultations.exports import answer_records
from hrcoop.consultations.models import Call
from hrcoop.consultations.tasks import send_deadline_reminders
from hrcoop.core.cli import print_json
from hrcoop.core.errors import NotFound

app = typer.Typer(no_args_is_help=True, pretty_exceptions_enable=False, help="Calls for inputs.")


@app.command("remind")
def remind(now: bool = typer.Option(False, "--now", help="Send in this process instead of queueing")) -> None:
    """Queue (or send) reminders to invitees who have not answered a call whose deadline is near."""
    if now:
        print_json(send_deadline_reminders.call())
    else:
        result = send_deadline_reminders.enqueue()
        print_json({"queued": str(result.id)})


@app.command("export")
def export(call_id: int = typer.Argument(..., help="The call's id")) -> None:
    """Print the published answers of a call as JSON lines (what the public page shows)."""
    call = Call.objects.filter(pk=call_id).first()
    if call is None:
        raise NotFound(f"call {call_id} does not exist", where="call_id")
    for record in answer_records(call):
        typer.echo(json.dumps(record, ensure_ascii=False))
