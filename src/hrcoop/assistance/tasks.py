"""E-mail that leaves from the background worker: the daily reminder of what is due and overdue, and the
secretariat's question to a State.

The reminder (run it once a day: ``hrcoop assistance remind``): each person who acts next on a request
whose running clock is due within ``SOON`` working days, or is past due, gets one e-mail listing them
(Django's mail; the console backend unless SMTP is configured). Requests whose clock is paused are the
State's to move and carry no due date, so they are not listed.

The question (enqueued when the secretariat asks for information, once that step is committed): each
focal point of the State gets it quoted, in their own language and time zone (``User.language``,
``User.time_zone``), with a link to the request at the site's public address (``HRCOOP_SITE_URL``).
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from hrcoop.assistance.models import AssistanceRequest, TransitionRecord
from hrcoop.assistance.selectors import focal_points, recipients
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


@task()
def send_information_request(record_id: int) -> int:
    """Write the secretariat's question to each focal point of the requesting State; returns how many."""
    record = TransitionRecord.objects.select_related("request__requesting_state", "request__fund").get(
        pk=record_id
    )
    request = record.request
    sent = 0
    for user in focal_points(request):
        zone = user.mail_time_zone
        with translation.override(user.mail_language), timezone.override(zone):
            asked = formats.date_format(timezone.localtime(record.at), "DATETIME_FORMAT")
            subject = _("[hrcoop] A question on your request %(id)s") % {"id": request.public_id}
            intro = _(
                "On %(date)s (%(zone)s) the secretariat of %(fund)s asked a question about the request"
                ' "%(title)s" of %(state)s:'
            ) % {
                "date": asked,
                "zone": zone.key,
                "fund": request.fund_id,
                "title": request.title,
                "state": request.requesting_state,
            }
            outro = _(
                "Answer it on the request's page. The service-level clock stays stopped until you answer."
            )
            link = settings.SITE_URL + reverse("assistance:detail", args=[request.public_id]) + "#question"
        quoted = "\n".join(f"> {line}" for line in record.reason.splitlines())
        send_mail(
            subject=subject,
            message=f"{intro}\n\n{quoted}\n\n{outro}\n{link}\n",
            from_email=None,
            recipient_list=[user.email],
        )
        sent += 1
    return sent
