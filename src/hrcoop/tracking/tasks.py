"""Reminders to institutions whose progress update is due (run daily: ``hrcoop tracking remind``).

An action that is not completed, has started, and has had no update for its plan's interval (90 days
by default; counted from its start when it has none) is due. Each institution with a due action gets
one e-mail, to its contact and to its members, listing those actions, written in the institution's
language (``Institution.language``), whatever language the worker runs in.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from hrcoop.core.models import Role, RoleAssignment
from hrcoop.tracking.models import Action, Institution
from hrcoop.tracking.selectors import update_is_due


def due_actions(today: dt.date) -> dict[Institution, list[Action]]:
    """The institutions whose update is due on ``today``, each with its due actions."""
    actions = (
        Action.objects.exclude(status=Action.Status.COMPLETED)
        .select_related("institution", "cluster__plan")
        .annotate(last_update=Max("updates__reported_on"))
        .order_by("institution__name", "due_on", "pk")
    )
    due: dict[Institution, list[Action]] = defaultdict(list)
    for action in actions:
        if update_is_due(action, last_update=action.last_update, today=today):  # type: ignore[attr-defined]
            due[action.institution].append(action)
    return due


def recipients(institution: Institution) -> list[str]:
    members = RoleAssignment.objects.filter(role=Role.INSTITUTION_MEMBER, scope=str(institution.pk))
    addresses = [institution.contact_email, *members.values_list("user__email", flat=True)]
    return sorted({a for a in addresses if a})


@task()
def send_progress_reminders() -> dict[str, int]:
    today = timezone.localdate()
    sent = 0
    due = due_actions(today)
    for institution, actions in due.items():
        addresses = recipients(institution)
        if not addresses:
            continue
        with translation.override(institution.language):
            lines = [
                f"- {action.description.splitlines()[0][:120]} ({action.cluster.title}): "
                + settings.SITE_URL
                + reverse("tracking:plan", args=[action.cluster.plan_id])
                for action in actions
            ]
            subject = ngettext(
                "[hrcoop] %(n)d action awaits your progress update",
                "[hrcoop] %(n)d actions await your progress update",
                len(actions),
            ) % {"n": len(actions)}
            body = _(
                "%(institution)s: these actions of your State's implementation plan have had no progress"
                " update for longer than the plan asks. Please report what was done, with evidence."
            ) % {"institution": institution.name}
        send_mail(
            subject=subject,
            message=body + "\n\n" + "\n".join(lines),
            from_email=None,
            recipient_list=addresses,
        )
        sent += 1
    return {"institutions": len(due), "emails": sent}
