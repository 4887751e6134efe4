"""The daily reminder of what is due and overdue (run it once a day: ``hrcoop assistance remind``).

Each person who acts next on a request whose running clock is due within ``SOON`` working days, or is
past due, gets one e-mail listing them (Django's mail; the console backend unless SMTP is configured).
Requests whose clock is paused are the State's to move and carry no due date, so they are not listed.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.assistance.services import recipients
from hrcoop.assistance.workflow import TRANSITIONS
from hrcoop.core.calendar import add_working_days, local_date

SOON = 2


@task()
def send_service_level_reminders() -> dict[str, int]:
    today = local_date(timezone.now())
    horizon = add_working_days(today, SOON)
    due = (
        AssistanceRequest.objects.filter(due_date__isnull=False, due_date__lte=horizon)
        .select_related("requesting_state", "fund")
        .order_by("due_date")
    )
    lines: dict[str, list[str]] = defaultdict(list)
    for request in due:
        kinds = {
            step.actor
            for step in TRANSITIONS.values()
            if request.status in step.sources and step.actor != "state"
        }
        label = "OVERDUE" if request.due_date and request.due_date < today else "due"
        url = settings.SITE_URL + reverse("assistance:detail", args=[request.public_id])
        line = (
            f"{label} {request.due_date:%Y-%m-%d}  {request.public_id}  {request.requesting_state.name}  "
            f"{request.get_status_display()}  {url}"
        )
        for kind in kinds:
            for address in recipients(request, kind):
                lines[address].append(line)
    for address, entries in lines.items():
        send_mail(
            subject=f"[hrcoop] {len(entries)} request(s) for assistance due or overdue",
            message="Requests awaiting you, by due date (Geneva working days):\n\n" + "\n".join(entries),
            from_email=None,
            recipient_list=[address],
        )
    return {"requests": len(due), "emails": len(lines)}
