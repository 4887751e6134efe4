"""Every read of consultations whose answer depends on who asks, and the figures of a call.

The public rule lives here and only here: an answer is public when its call publishes answers, its
submission was submitted, and it is not kept unpublished; an attachment likewise. Pages, the API, the
exports and the search all read through ``public_answers`` / ``answers_visible_to``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from hrcoop.consultations.models import (
    UN_LANGUAGES,
    Answer,
    Call,
    Invitation,
    Question,
    Submission,
    SubmissionAttachment,
)
from hrcoop.core.models import Role
from hrcoop.core.roles import Actor, has_role, scopes_of
from hrcoop.recommendations.search.embeddings import dequantise, encode


def is_desk(actor: Actor) -> bool:
    """The secretariat (and administrators) see every answer, published or not."""
    return has_role(actor, Role.SECRETARIAT)


def calls_visible_to(actor: Actor) -> QuerySet[Call]:
    """Calls are public records: anyone may read a call, its questions and its deadline."""
    return Call.objects.select_related("mandate__resolution", "mandate__paragraph")


def _own_submissions(actor: Actor) -> Q:
    if actor is None or not actor.is_authenticated:
        return Q(pk__in=[])
    states = scopes_of(actor, Role.STATE_FOCAL_POINT)
    return Q(state__iso3__in=states) | Q(state__isnull=True, author_id=actor.pk)


def _published_submissions() -> Q:
    return Q(call__publish_answers=True, status=Submission.Status.SUBMITTED)


def submissions_visible_to(actor: Actor) -> QuerySet[Submission]:
    """The desk sees all; a respondent their own (a focal point, their State's); everyone the published."""
    queryset = Submission.objects.select_related("call", "state__regional_group")
    if is_desk(actor):
        return queryset
    return queryset.filter(_published_submissions() | _own_submissions(actor))


def public_submissions(call: Call) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(_published_submissions(), call=call)
        .select_related("state__regional_group")
        .order_by("submitted_at", "pk")
    )


def _public_answer() -> Q:
    return Q(
        submission__call__publish_answers=True,
        submission__status=Submission.Status.SUBMITTED,
        keep_unpublished=False,
    )


def public_answers(call: Call | None = None) -> QuerySet[Answer]:
    queryset = Answer.objects.filter(_public_answer()).select_related("submission", "question")
    return queryset.filter(submission__call=call) if call is not None else queryset


def answers_visible_to(actor: Actor, call: Call | None = None) -> QuerySet[Answer]:
    queryset = Answer.objects.select_related("submission__state", "question")
    if not is_desk(actor):
        own = Submission.objects.filter(_own_submissions(actor)).values("pk")
        queryset = queryset.filter(_public_answer() | Q(submission__in=own))
    return queryset.filter(submission__call=call) if call is not None else queryset


def attachments_visible_to(actor: Actor, submission: Submission) -> QuerySet[SubmissionAttachment]:
    queryset = submission.attachments.all()
    if is_desk(actor) or Submission.objects.filter(_own_submissions(actor), pk=submission.pk).exists():
        return queryset
    if not (submission.call.publish_answers and submission.status == Submission.Status.SUBMITTED):
        return queryset.none()
    return queryset.filter(keep_unpublished=False)


# --- what the reports app reads ---------------------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    """One published submission, as the annex "Contributions received" lists it."""

    respondent: str
    kind: str
    kind_label: str
    regional_group: str
    languages: tuple[str, ...]
    submitted_on: dt.date
    late: bool
    url: str


def contributions_received(call: Call) -> list[Contribution]:
    """The published submissions of ``call`` in the order they arrived, for the public and the report."""
    contributions = []
    for submission in public_submissions(call).prefetch_related("answers"):
        languages = sorted({a.language for a in submission.answers.all() if not a.keep_unpublished})
        assert submission.submitted_at is not None
        contributions.append(
            Contribution(
                respondent=submission.respondent,
                kind=submission.kind,
                kind_label=str(Submission.Kind(submission.kind).label),
                regional_group=(
                    submission.state.regional_group.display_name
                    if submission.state is not None and submission.state.regional_group is not None
                    else ""
                ),
                languages=tuple(languages),
                submitted_on=submission.submitted_at.date(),
                late=submission.late,
                url=reverse("consultations:public", args=[call.pk]) + f"#submission-{submission.pk}",
            )
        )
    return contributions


# --- the secretariat's desk --------------------------------------------------------------------------


@dataclass(frozen=True)
class InvitationRow:
    """An invitation as the desk lists it, with where the invitee's submission stands."""

    invitation: Invitation
    submission: Submission | None

    @property
    def language_name(self) -> str:
        code = self.invitation.language
        return str(UN_LANGUAGES.get(code, code))

    @property
    def answered(self) -> bool:
        return self.submission is not None and self.submission.status == Submission.Status.SUBMITTED


def invitation_rows(call: Call) -> list[InvitationRow]:
    """Who was invited to ``call``, most recent first, each with their submission (a draft or sent)."""
    submissions = {s.author_id: s for s in call.submissions.filter(state__isnull=True)}
    return [
        InvitationRow(invitation=invitation, submission=submissions.get(invitation.user_id))
        for invitation in call.invitations.select_related("user").order_by("-invited_at", "-pk")
    ]


@dataclass(frozen=True)
class Respondents:
    by_kind: dict[str, int]
    by_group: dict[str, int]
    submitted: int
    drafts: int
    late: int


def respondents(call: Call) -> Respondents:
    """Who has answered: submitted submissions counted by kind of respondent and by regional group."""
    submitted = list(
        call.submissions.filter(status=Submission.Status.SUBMITTED).select_related("state__regional_group")
    )
    by_group: Counter[str] = Counter()
    for submission in submitted:
        if submission.state is not None:
            group = submission.state.regional_group
            by_group[group.display_name if group is not None else "—"] += 1
    return Respondents(
        by_kind=dict(Counter(str(Submission.Kind(s.kind).label) for s in submitted)),
        by_group=dict(sorted(by_group.items())),
        submitted=len(submitted),
        drafts=call.submissions.filter(status=Submission.Status.DRAFT).count(),
        late=sum(1 for s in submitted if s.late),
    )


@dataclass(frozen=True)
class QuestionSummary:
    question: Question
    answers: list[Answer]
    choice_counts: list[tuple[str, int]]
    number_count: int
    number_total: Decimal | None
    number_min: Decimal | None
    number_max: Decimal | None
    representative: list[Answer]


def summarise(question: Question, answers: list[Answer], *, representatives: int = 3) -> QuestionSummary:
    """Counts of a choice or a number question; for text, the answers nearest the centroid of all.

    The centroid of unit sentence vectors points where most answers point, whatever their language,
    so the answers nearest it say what most respondents said; each stays linked to its submission.
    """
    counts = Counter(a.choice for a in answers if a.choice)
    numbers = [a.number for a in answers if a.number is not None]
    texts = [a for a in answers if a.text and a.vector is not None]
    representative: list[Answer] = []
    if texts:
        vectors = np.stack([dequantise(bytes(a.vector)) for a in texts])  # type: ignore[arg-type]
        centroid = vectors.mean(axis=0)
        order = np.argsort(-(vectors @ centroid), kind="stable")
        representative = [texts[i] for i in order[:representatives]]
    return QuestionSummary(
        question=question,
        answers=answers,
        choice_counts=[(choice, counts.get(choice, 0)) for choice in question.choices],
        number_count=len(numbers),
        number_total=sum(numbers, Decimal(0)) if numbers else None,
        number_min=min(numbers) if numbers else None,
        number_max=max(numbers) if numbers else None,
        representative=representative,
    )


def desk_summaries(call: Call, *, actor: Actor) -> list[QuestionSummary]:
    """Each question with its submitted answers side by side (the desk's view), and their summary."""
    answers = list(
        answers_visible_to(actor, call)
        .filter(submission__status=Submission.Status.SUBMITTED)
        .order_by("question__position", "submission__submitted_at", "pk")
    )
    return [
        summarise(question, [a for a in answers if a.question_id == question.pk])
        for question in call.questions.all()
    ]


def search_answers(call: Call, query: str, *, actor: Actor, limit: int = 20) -> list[tuple[Answer, float]]:
    """Text answers nearest in meaning to ``query``, in any language, among those ``actor`` may read."""
    candidates = [
        a
        for a in answers_visible_to(actor, call).filter(submission__status=Submission.Status.SUBMITTED)
        if a.vector is not None
    ]
    if not candidates or not query.strip():
        return []
    vectors = np.stack([dequantise(bytes(a.vector)) for a in candidates])  # type: ignore[arg-type]
    scores = vectors @ encode([query])[0]
    order = np.argsort(-scores, kind="stable")[:limit]
    return [(candidates[i], float(scores[i])) for i in order]


def contributions_to_report(*, year: int, resolution_id: int) -> list[tuple[str, str, str]]:
    """For the reports' annex "Contributions received": the published contributions to the calls for
    inputs that serve a mandate of the report's resolution and closed in ``year``, as (contributor,
    kind of contributor, link), late ones said so; a call for another report is not this report's.
    The link is absolute: a report is read as a PDF or a file, away from the site."""
    rows = []
    calls = Call.objects.filter(deadline__year=year, mandate__resolution_id=resolution_id)
    for call in calls.order_by("deadline", "pk"):
        for c in contributions_received(call):
            kind = _("%(kind)s (late)") % {"kind": c.kind_label} if c.late else c.kind_label
            rows.append((c.respondent, kind, settings.SITE_URL + c.url))
    return rows
