"""E-mail of consultations: an invitation, the acknowledgement of a submission, reminders before a deadline.

Each is written in its recipient's language (the invitation's, or the submission's), whatever language
the worker runs in. Reminders run daily (``hrcoop consultations remind``) while the deadline is within
``REMIND_DAYS`` days and not past; they reach whoever the platform knows has not answered yet: each
invitee who has not submitted, and the author of each draft left unsubmitted (a State's or an
organisation's), once a day.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from hrcoop.consultations.models import Call, Invitation, Submission
from hrcoop.core.models import User

REMIND_DAYS = 7
_PAGE_LANGUAGE = {"zh": "zh-hans"}


def _link(call: Call, language: str) -> str:
    with translation.override(_PAGE_LANGUAGE.get(language, language)):
        return settings.SITE_URL + reverse("consultations:answer", args=[call.pk])


@task()
def send_acknowledgement(submission_id: int, submitter_id: int | None = None) -> int:
    """Tell the author, and the focal point who submitted when a colleague started the State's draft,
    that the secretariat received the submission (and whether it came late)."""
    submission = Submission.objects.select_related("call", "author").get(pk=submission_id)
    people = [submission.author]
    if submitter_id is not None and submitter_id != submission.author_id:
        people += User.objects.filter(pk=submitter_id)
    recipients = [person.email for person in people if person.email]
    if not recipients:
        return 0
    with translation.override(_PAGE_LANGUAGE.get(submission.language, submission.language)):
        subject = _("[hrcoop] Submission received: %(title)s") % {"title": submission.call.title}
        body = _(
            "The secretariat received the submission of %(respondent)s to the call for inputs"
            ' "%(title)s" on %(date)s UTC.'
        ) % {
            "respondent": submission.respondent,
            "title": submission.call.title,
            "date": f"{submission.submitted_at:%Y-%m-%d %H:%M}",
        }
        if submission.late:
            body += " " + _("It arrived after the deadline and is marked late.")
    send_mail(
        subject=subject,
        message=body + "\n\n" + _link(submission.call, submission.language),
        from_email=None,
        recipient_list=recipients,
    )
    return 1


@task()
def send_invitation(invitation_id: int) -> int:
    """Tell the invitee which call they are asked to answer, by when, and where."""
    invitation = Invitation.objects.select_related("call", "user").filter(pk=invitation_id).first()
    if invitation is None or not invitation.user.email:
        return 0  # revoked before the worker reached it, or nobody to write to
    call = invitation.call
    with translation.override(_PAGE_LANGUAGE.get(invitation.language, invitation.language)):
        subject = _("[hrcoop] You are invited to answer: %(title)s") % {"title": call.title}
        body = _('The secretariat invites you to answer the call for inputs "%(title)s" by %(deadline)s.') % {
            "title": call.title,
            "deadline": formats.date_format(timezone.localtime(call.deadline), "DATETIME_FORMAT"),
        }
        if invitation.organisation:
            body += " " + _("You answer for %(organisation)s.") % {"organisation": invitation.organisation}
        if not invitation.user.has_usable_password():
            body += " " + _("A separate message lets you choose the password of your account first.")
    send_mail(
        subject=subject,
        message=body + "\n\n" + _link(call, invitation.language),
        from_email=None,
        recipient_list=[invitation.user.email],
    )
    return 1


def _not_yet_answered(call: Call) -> dict[int, tuple[User, str]]:
    """Whom to remind, by user id, with the language to write in: invitees without a submitted
    submission, then authors of drafts (in their draft's language, which is their page's)."""
    answered = set(
        call.submissions.filter(status=Submission.Status.SUBMITTED, state__isnull=True).values_list(
            "author_id", flat=True
        )
    )
    recipients: dict[int, tuple[User, str]] = {}
    for invitation in call.invitations.select_related("user").order_by("pk"):
        if invitation.user_id not in answered:
            recipients[invitation.user_id] = (invitation.user, invitation.language)
    drafts = call.submissions.filter(status=Submission.Status.DRAFT).select_related("author").order_by("pk")
    for draft in drafts:
        recipients.setdefault(draft.author_id, (draft.author, draft.language))
    return recipients


@task()
def send_deadline_reminders() -> dict[str, int]:
    """Remind whoever has not answered, of every open call whose deadline is near."""
    now = timezone.now()
    calls = Call.objects.filter(
        status=Call.Status.OPEN, deadline__gt=now, deadline__lte=now + dt.timedelta(days=REMIND_DAYS)
    )
    sent = 0
    for call in calls:
        for user, language in _not_yet_answered(call).values():
            if not user.email:
                continue
            with translation.override(_PAGE_LANGUAGE.get(language, language)):
                subject = _("[hrcoop] Reminder: inputs due by %(date)s") % {
                    "date": formats.date_format(timezone.localtime(call.deadline), "DATE_FORMAT")
                }
                body = _(
                    'You are invited to answer the call for inputs "%(title)s". The secretariat has not'
                    " yet received your submission; the deadline is %(deadline)s."
                ) % {
                    "title": call.title,
                    "deadline": formats.date_format(timezone.localtime(call.deadline), "DATETIME_FORMAT"),
                }
            send_mail(
                subject=subject,
                message=body + "\n\n" + _link(call, language),
                from_email=None,
                recipient_list=[user.email],
            )
            sent += 1
    return {"calls": len(calls), "emails": sent}
