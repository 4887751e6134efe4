"""Every write of a consultation (docs/consultations.md): open and close a call, invite, answer, submit.

Each function is one transaction that checks who acts and what holds, writes the change and one audit
event, and leaves its e-mail to a task enqueued on commit. A refused write raises a domain error and
changes nothing: the checks run before the first write.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrcoop.assistance.services import check_upload
from hrcoop.consultations.actions import ConsultationAction
from hrcoop.consultations.languages import detect_language
from hrcoop.consultations.models import (
    ORGANISATION_NAME_LENGTH,
    UN_LANGUAGES,
    Answer,
    Call,
    Invitation,
    Question,
    Submission,
    SubmissionAttachment,
)
from hrcoop.consultations.tasks import send_acknowledgement, send_invitation
from hrcoop.core import accounts
from hrcoop.core.audit import record_event
from hrcoop.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from hrcoop.core.models import Role, User
from hrcoop.core.roles import Actor, has_role, scopes_of
from hrcoop.mandates.models import Mandate
from hrcoop.recommendations.search.embeddings import encode, quantise
from hrcoop.reference.models import State


@dataclass(frozen=True)
class QuestionSpec:
    kind: str
    text: str
    choices: list[str] = field(default_factory=list)


def _user(actor: Actor) -> User:
    if not isinstance(actor, User) or not actor.is_authenticated:
        raise Forbidden(_("sign in to take part in a consultation"))
    return actor


def _require_secretariat(actor: Actor) -> User:
    user = _user(actor)
    if not has_role(user, Role.SECRETARIAT):
        raise Forbidden(_("only the secretariat opens, closes and manages calls for inputs"))
    return user


def _check_languages(languages: list[str]) -> list[str]:
    unknown = sorted(set(languages) - set(UN_LANGUAGES))
    if unknown or not languages:
        raise InvalidInput(
            _("accepted languages must be among %(codes)s, got %(given)s")
            % {"codes": ", ".join(UN_LANGUAGES), "given": ", ".join(languages) or "none"},
            where="languages",
        )
    return [code for code in UN_LANGUAGES if code in languages]


def _check_question(position: int, spec: QuestionSpec) -> None:
    where = f"questions[{position}]"
    if spec.kind not in Question.Kind.values:
        raise InvalidInput(
            _("question %(n)d: kind %(kind)r is not text, choice or number")
            % {"n": position, "kind": spec.kind},
            where=where,
        )
    if not spec.text.strip():
        raise InvalidInput(_("question %(n)d has no text") % {"n": position}, where=where)
    if spec.kind == Question.Kind.CHOICE and len({c.strip() for c in spec.choices if c.strip()}) < 2:
        raise InvalidInput(
            _("question %(n)d: a choice needs at least two options") % {"n": position}, where=where
        )


@transaction.atomic
def open_call(
    *,
    actor: Actor,
    mandate: Mandate,
    title: str,
    deadline: dt.datetime,
    questions: list[QuestionSpec],
    languages: list[str],
    description: str = "",
    open_to_states: bool = True,
    open_to_organisations: bool = True,
    publish_answers: bool = True,
) -> Call:
    """The secretariat opens a call for inputs to the report ``mandate`` asks for."""
    user = _require_secretariat(actor)
    if not title.strip():
        raise InvalidInput(_("a call needs a title"), where="title")
    if timezone.is_naive(deadline):
        raise InvalidInput(_("the deadline needs a time zone"), where="deadline")
    if not questions:
        raise InvalidInput(_("a call needs at least one question"), where="questions")
    for position, spec in enumerate(questions, start=1):
        _check_question(position, spec)
    accepted = _check_languages(languages)
    now = timezone.now()
    call = Call.objects.create(
        mandate=mandate,
        title=title.strip(),
        description=description.strip(),
        deadline=deadline,
        languages=accepted,
        open_to_states=open_to_states,
        open_to_organisations=open_to_organisations,
        publish_answers=publish_answers,
        opened_at=now,
        created_by=user,
    )
    Question.objects.bulk_create(
        Question(
            call=call,
            position=position,
            kind=spec.kind,
            text=spec.text.strip(),
            choices=[c.strip() for c in spec.choices if c.strip()],
        )
        for position, spec in enumerate(questions, start=1)
    )
    record_event(
        actor=user,
        action=ConsultationAction.CALL_OPENED,
        target=call,
        data={"mandate": mandate.pk, "deadline": deadline.isoformat(), "questions": len(questions)},
    )
    return call


def _lock_call(call: Call) -> Call:
    try:
        return Call.objects.select_for_update().get(pk=call.pk)
    except Call.DoesNotExist as exc:
        raise NotFound(_("call %(id)s does not exist") % {"id": call.pk}) from exc


@transaction.atomic
def close_call(call: Call, *, actor: Actor) -> Call:
    """No answer is taken after this, not even a late one."""
    user = _require_secretariat(actor)
    call = _lock_call(call)
    if call.status == Call.Status.CLOSED:
        raise Conflict(_("call %(id)s is already closed") % {"id": call.pk})
    call.status = Call.Status.CLOSED
    call.closed_at = timezone.now()
    call.save(update_fields=["status", "closed_at"])
    record_event(actor=user, action=ConsultationAction.CALL_CLOSED, target=call)
    return call


def _check_invitation(call: Call, *, language: str, organisation: str) -> None:
    """What an invitation must satisfy before anything is written: an open call, a UN language."""
    if call.status == Call.Status.CLOSED:
        raise Conflict(_("call %(id)s is closed: nobody more can be invited") % {"id": call.pk})
    if language not in UN_LANGUAGES:
        raise InvalidInput(_("%(code)r is not a UN language") % {"code": language}, where="language")
    if len(organisation) > ORGANISATION_NAME_LENGTH:
        raise InvalidInput(_("the organisation's name is too long"), where="organisation")


def _invited(call: Call, user: User) -> bool:
    return call.invitations.filter(user=user).exists()


def _already_invited(user: User) -> Conflict:
    return Conflict(
        _("%(email)s is already invited to this call") % {"email": user.email or user.get_username()},
        where="email",
    )


@transaction.atomic
def invite(
    call: Call, *, actor: Actor, user: User, language: str = "en", organisation: str = ""
) -> Invitation:
    """Invite a person to answer, whatever their role, for ``organisation`` (or in their own name).

    The invitation and its reminders reach them in ``language``, by a task enqueued on commit.
    """
    secretariat = _require_secretariat(actor)
    call = _lock_call(call)
    organisation = organisation.strip()
    _check_invitation(call, language=language, organisation=organisation)
    if _invited(call, user):
        raise _already_invited(user)
    invitation = Invitation.objects.create(
        call=call, user=user, organisation=organisation, language=language, invited_at=timezone.now()
    )
    record_event(
        actor=secretariat,
        action=ConsultationAction.INVITED,
        target=call,
        data={"user": user.pk, "language": language, "organisation": organisation},
    )
    invitation_id = invitation.pk
    transaction.on_commit(lambda: send_invitation.enqueue(invitation_id))
    return invitation


@transaction.atomic
def invite_by_email(
    call: Call,
    *,
    actor: Actor,
    email: str,
    language: str,
    organisation: str,
    link_for: Callable[[User, str], str],
) -> Invitation:
    """Invite whoever holds ``email`` to answer for ``organisation`` (or a person's name, never the
    address: it is what the public page shows); a person without an account gets one, with no role.

    The new account is opened by ``core.accounts.invite`` (its e-mail carries the link to choose a
    password, built by ``link_for``); it can do nothing but answer the calls it is invited to.
    """
    secretariat = _require_secretariat(actor)
    call = _lock_call(call)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvalidInput(_("%(email)r is not an e-mail address") % {"email": email}, where="email") from exc
    organisation = organisation.strip()
    if not organisation:
        raise InvalidInput(
            _(
                "name the organisation or the person the answer is published under: an e-mail address is "
                "never published"
            ),
            where="organisation",
        )
    _check_invitation(call, language=language, organisation=organisation)
    holders = list(User.objects.filter(email__iexact=email).order_by("pk")[:2])
    if len(holders) > 1:
        raise InvalidInput(
            _("several accounts share %(email)s: invite the person from the admin") % {"email": email},
            where="email",
        )
    if holders and _invited(call, holders[0]):
        raise _already_invited(holders[0])
    user = (
        holders[0]
        if holders
        else accounts.invite(actor=secretariat, email=email, role=None, link_for=link_for)
    )
    return invite(call, actor=secretariat, user=user, language=language, organisation=organisation)


@transaction.atomic
def revoke_invitation(invitation: Invitation, *, actor: Actor) -> None:
    """Withdraw an invitation; a draft the invitee started can then no longer change or be submitted.

    An invitee who has submitted has answered: their submission stands, so revoking is refused.
    """
    secretariat = _require_secretariat(actor)
    call = _lock_call(invitation.call)
    try:
        invitation = Invitation.objects.select_related("user").get(pk=invitation.pk, call=call)
    except Invitation.DoesNotExist as exc:
        raise NotFound(_("this invitation does not exist or was already revoked")) from exc
    answered = call.submissions.filter(
        state__isnull=True, author=invitation.user, status=Submission.Status.SUBMITTED
    ).exists()
    if answered:
        raise Conflict(
            _("%(email)s has already answered: their submission stands and the invitation cannot be revoked")
            % {"email": invitation.user.email or invitation.user.get_username()}
        )
    record_event(
        actor=secretariat,
        action=ConsultationAction.INVITATION_REVOKED,
        target=call,
        data={"user": invitation.user_id, "invited_at": invitation.invited_at.isoformat()},
    )
    invitation.delete()


# --- answering ---------------------------------------------------------------------------------------


def _respondent(call: Call, user: User, state: State | None) -> tuple[str, State | None, str]:
    """(kind, State, name) of whom ``user`` answers for, or ``Forbidden`` naming why they may not."""
    if state is not None:
        if not call.open_to_states:
            raise Forbidden(_("this call does not ask States for inputs"))
        if state.iso3 not in scopes_of(user, Role.STATE_FOCAL_POINT):
            raise Forbidden(
                _("you are not a focal point of %(state)s and cannot answer for it") % {"state": state.name}
            )
        return Submission.Kind.STATE, state, state.name
    invitation = call.invitations.filter(user=user).first()
    if invitation is not None:
        name = invitation.organisation or user.get_full_name() or user.get_username()
        return Submission.Kind.INVITEE, None, name
    if call.open_to_organisations and scopes_of(user, Role.CONTRIBUTOR):
        scope = sorted(scopes_of(user, Role.CONTRIBUTOR))[0]
        return Submission.Kind.ORGANISATION, None, scope or user.get_full_name() or user.get_username()
    raise Forbidden(
        _("you are not invited to answer call %(id)s: it is open to %(who)s")
        % {"id": call.pk, "who": _who_may_answer(call)}
    )


def _who_may_answer(call: Call) -> str:
    who = []
    if call.open_to_states:
        who.append(_("the focal points of States"))
    if call.open_to_organisations:
        who.append(_("contributors of organisations"))
    who.append(_("invited persons"))
    return ", ".join(who)


def _require_open(call: Call) -> None:
    if call.status == Call.Status.CLOSED:
        raise Conflict(
            _("call %(id)s is closed: it no longer takes answers, even late ones") % {"id": call.pk}
        )


@transaction.atomic
def start_submission(
    call: Call, *, actor: Actor, state: State | None = None, language: str = "en"
) -> Submission:
    """The draft of the actor's (or their State's) submission, created on first use.

    ``state`` names the State a focal point answers for; without it the actor answers as an invitee
    or for their organisation. ``language`` is the one their acknowledgement is written in.
    """
    user = _user(actor)
    call = _lock_call(call)
    _require_open(call)
    kind, state, respondent = _respondent(call, user, state)
    existing = (
        call.submissions.filter(state=state).first()
        if state is not None
        else call.submissions.filter(state__isnull=True, author=user).first()
    )
    if existing is not None:
        return existing
    submission = Submission.objects.create(
        call=call,
        kind=kind,
        state=state,
        respondent=respondent,
        author=user,
        language=language if language in UN_LANGUAGES else "en",
        created_at=timezone.now(),
    )
    record_event(
        actor=user,
        action=ConsultationAction.SUBMISSION_STARTED,
        target=submission,
        data={"call": call.pk, "kind": kind, "respondent": respondent},
    )
    return submission


def _lock_own_draft(submission: Submission, user: User) -> Submission:
    """The submission's row locked, after checking the user answers for it and it may still change."""
    try:
        locked = (
            Submission.objects.select_for_update(of=("self",))
            .select_related("call", "state")
            .get(pk=submission.pk)
        )
    except Submission.DoesNotExist as exc:
        raise NotFound(_("submission %(id)s does not exist") % {"id": submission.pk}) from exc
    if locked.state is not None:
        mine = locked.state.iso3 in scopes_of(user, Role.STATE_FOCAL_POINT)
    else:
        mine = locked.author_id == user.pk
    if not mine:
        raise Forbidden(_("this submission is not yours to change"))
    if locked.kind == Submission.Kind.INVITEE and not _invited(locked.call, user):
        raise Forbidden(_("your invitation to this call was revoked: this draft can no longer change"))
    _require_open(locked.call)
    if locked.status == Submission.Status.SUBMITTED:
        raise Conflict(_("this submission was already submitted and can no longer change"))
    return locked


def _answer_language(call: Call, text: str, language: str, fallback: str) -> tuple[str, bool]:
    if language:
        code, detected = language, False
    elif text.strip():
        code, detected = detect_language(text), True
    else:
        code, detected = fallback, False
    if code not in call.languages:
        accepted = ", ".join(str(UN_LANGUAGES[c]) for c in call.languages)
        raise InvalidInput(
            _("this call accepts answers in %(accepted)s; this answer is in %(language)s")
            % {"accepted": accepted, "language": UN_LANGUAGES.get(code, code)},
            where="language",
        )
    return code, detected


def _parse_value(question: Question, value: str) -> tuple[str, str, Decimal | None]:
    """(text, choice, number) of ``value`` given to ``question``, checked against its kind."""
    where = f"question {question.position}"
    value = value.strip()
    if not value:
        raise InvalidInput(_("question %(n)d: the answer is empty") % {"n": question.position}, where=where)
    if question.kind == Question.Kind.CHOICE:
        if value not in question.choices:
            raise InvalidInput(
                _("question %(n)d: %(value)r is not one of its options (%(options)s)")
                % {"n": question.position, "value": value, "options": ", ".join(question.choices)},
                where=where,
            )
        return "", value, None
    if question.kind == Question.Kind.NUMBER:
        try:
            number = Decimal(value.replace(",", "."))
        except InvalidOperation as exc:
            raise InvalidInput(
                _("question %(n)d asks for a number, not %(value)r")
                % {"n": question.position, "value": value},
                where=where,
            ) from exc
        if not number.is_finite() or abs(number) >= Decimal(10) ** 16:
            raise InvalidInput(
                _("question %(n)d: %(value)s is out of range") % {"n": question.position, "value": value},
                where=where,
            )
        return "", "", number
    return value, "", None


@transaction.atomic
def save_answer(
    submission: Submission,
    *,
    actor: Actor,
    question: Question,
    value: str,
    language: str = "",
    keep_unpublished: bool = False,
) -> Answer:
    """Save (or replace) the draft answer to one question; its language is detected when not given."""
    user = _user(actor)
    submission = _lock_own_draft(submission, user)
    if question.call_id != submission.call_id:
        raise InvalidInput(
            _("question %(question)s belongs to another call, not to call %(call)s")
            % {"question": question.pk, "call": submission.call_id},
            where="question",
        )
    text, choice, number = _parse_value(question, value)
    code, detected = _answer_language(submission.call, text, language, submission.language)
    vector = quantise(encode([text])[0]) if text else None
    answer, created = Answer.objects.update_or_create(
        submission=submission,
        question=question,
        defaults={
            "text": text,
            "choice": choice,
            "number": number,
            "language": code,
            "language_detected": detected,
            "keep_unpublished": keep_unpublished,
            "vector": vector,
            "updated_at": timezone.now(),
        },
    )
    record_event(
        actor=user,
        action=ConsultationAction.ANSWER_SAVED,
        target=answer,
        data={
            "submission": submission.pk,
            "question": question.pk,
            "language": code,
            "detected": detected,
            "keep_unpublished": keep_unpublished,
            "replaced": not created,
        },
    )
    return answer


@transaction.atomic
def attach_document(
    submission: Submission, *, actor: Actor, upload: UploadedFile, keep_unpublished: bool = False
) -> SubmissionAttachment:
    """Attach a document (the types and sizes a request for assistance accepts)."""
    user = _user(actor)
    submission = _lock_own_draft(submission, user)
    name, content_type = check_upload(upload)
    attachment = SubmissionAttachment(
        submission=submission,
        name=name,
        size=upload.size or 0,
        content_type=content_type,
        keep_unpublished=keep_unpublished,
        uploaded_at=timezone.now(),
        uploaded_by=user,
    )
    attachment.file.save(name, upload, save=False)
    attachment.save()
    record_event(
        actor=user,
        action=ConsultationAction.DOCUMENT_ATTACHED,
        target=attachment,
        data={"submission": submission.pk, "name": name, "keep_unpublished": keep_unpublished},
    )
    return attachment


@transaction.atomic
def submit(submission: Submission, *, actor: Actor) -> Submission:
    """Send the submission to the secretariat; after the deadline it is taken but marked late."""
    user = _user(actor)
    submission = _lock_own_draft(submission, user)
    if not submission.answers.exists():
        raise InvalidInput(_("answer at least one question before submitting"), where="answers")
    now = timezone.now()
    submission.status = Submission.Status.SUBMITTED
    submission.submitted_at = now
    submission.late = now > submission.call.deadline
    submission.save(update_fields=["status", "submitted_at", "late"])
    record_event(
        actor=user,
        action=ConsultationAction.SUBMITTED,
        target=submission,
        data={"call": submission.call_id, "late": submission.late},
    )
    submission_id, submitter_id = submission.pk, user.pk
    transaction.on_commit(lambda: send_acknowledgement.enqueue(submission_id, submitter_id))
    return submission
