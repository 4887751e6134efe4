"""Every read of requests that depends on who asks (DESIGN.md §4.2).

Visibility: drafts are seen only by the focal points of their State (and admins); everything that left
draft is public. Confidentiality: the fields a State marked confidential are shown only to its focal
points, the fund's secretariat and board, and admins. ``request_record`` is the one place where a
request becomes a flat record with confidential values removed; pages, the API, the CSV export and the
Atom feed all render that record, so none of them can leak what another omits.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from hrcoop.assistance.clocks import is_overdue
from hrcoop.assistance.models import (
    ACTOR_LABELS,
    AWAITING_ALLOCATION,
    AssistanceRequest,
    BoardSession,
    ConfidentialField,
    StageClock,
    Status,
    TransitionRecord,
    is_board_for,
    is_focal_point_for,
    is_secretariat_for,
)
from hrcoop.assistance.workflow import TRANSITIONS
from hrcoop.core.audit import events_for
from hrcoop.core.calendar import local_date, working_days_between
from hrcoop.core.errors import NotFound
from hrcoop.core.models import AuditEvent, Role, RoleAssignment, User
from hrcoop.core.money import Money
from hrcoop.core.roles import Actor, holders, is_admin, scopes_of
from hrcoop.recommendations.models import Recommendation, Response
from hrcoop.recommendations.search.selectors import SearchParams, search
from hrcoop.reference.models import Fund, State

# Which keys of the record each confidential field hides.
HIDDEN_KEYS: dict[str, tuple[str, ...]] = {
    ConfidentialField.NEED: ("need",),
    ConfidentialField.OBJECTIVES: ("objectives",),
    ConfidentialField.EXPECTED_RESULTS: ("expected_results",),
    ConfidentialField.PRIORITIES: ("priorities",),
    ConfidentialField.AMOUNT: ("amount", "amount_minor_units", "budget_lines"),
    ConfidentialField.DURATION: ("duration_months",),
    ConfidentialField.PARTNERS: ("implementing_partners",),
    ConfidentialField.RECOMMENDATIONS: ("recommendations", "linked_recommendations"),
    ConfidentialField.CONSENT: ("consent_given_by", "consent_given_at", "consent_reference"),
    ConfidentialField.ATTACHMENTS: ("attachments",),
    ConfidentialField.PROGRESS: ("progress_reports",),
}
# Statuses in which the next move is the State's: drafts, questions to answer, work to start and report on.
AWAITING_STATE = frozenset(
    {Status.DRAFT, Status.INFORMATION_REQUESTED, Status.FUNDED, Status.IN_IMPLEMENTATION}
)


# How many of its State's recommendations the picker of the request form lists at once.
PICKER_LIMIT = 25


def _base() -> QuerySet[AssistanceRequest]:
    return AssistanceRequest.objects.select_related("requesting_state", "fund").prefetch_related(
        Prefetch("recommendations", queryset=_linkable()), "attachments", "progress_reports"
    )


def _linkable() -> QuerySet[Recommendation]:
    return Recommendation.objects.select_related("session", "cycle").order_by("public_id")


def linked_recommendation(recommendation: Recommendation) -> dict[str, Any]:
    """A recommendation as a request shows it: its id, its text (in its language) and where it came from."""
    return {
        "public_id": recommendation.public_id,
        "text": recommendation.text,
        "language": recommendation.language,
        "cycle": recommendation.cycle_id,
        "session": recommendation.session_id,
        "response": recommendation.response,
        "response_label": str(Response(recommendation.response).label),
    }


def recommendations_to_link(
    state: State, *, words: str = "", chosen: list[str] | None = None
) -> tuple[list[Recommendation], list[Recommendation]]:
    """(chosen, found) for the picker of the request form: the chosen recommendations of ``state`` that
    exist, and up to ``PICKER_LIMIT`` others of ``state`` (every cycle) that match ``words``.

    Words go through the registry's search (stemmed, boolean, ``docs/search.md``) and the result is
    limited to the State's own records again here, so no query can list another State's records. A
    chosen id of another State is dropped from the list; the service refuses it with its reason when
    the form is saved.
    """
    own = _linkable().filter(state_under_review=state)
    picked = list(own.filter(public_id__in=chosen or []))
    others = own.exclude(pk__in=[r.pk for r in picked])
    words = words.strip()[:200]
    if words:
        result = search(SearchParams(q=words, filters={"state": [state.iso3]}))
        others = others.filter(pk__in=result.queryset.values("pk")) if result.indexed else others.none()
    found = list(others.order_by("-session_id", "public_id")[:PICKER_LIMIT])
    return picked, found


def open_question(request: AssistanceRequest) -> TransitionRecord | None:
    """The secretariat's question the State has yet to answer: the step that asked for information."""
    if request.status != Status.INFORMATION_REQUESTED:
        return None
    return (
        TransitionRecord.objects.filter(request=request, name="request_information")
        .order_by("-at", "-id")
        .first()
    )


def _emails(role: Role, scopes: list[str]) -> list[str]:
    rows = RoleAssignment.objects.filter(role=role).filter(Q(scope__in=scopes) | Q(scope=""))
    return sorted({e for e in rows.values_list("user__email", flat=True) if e})


def recipients(request: AssistanceRequest, actor_kind: str) -> list[str]:
    """E-mail addresses of the people who act next: the State's focal points, the secretariat, the board."""
    if actor_kind == "state":
        return _emails(Role.STATE_FOCAL_POINT, [request.requesting_state.iso3])[:50]
    if actor_kind == "board":
        return _emails(Role.BOARD, [request.fund_id])
    return _emails(Role.SECRETARIAT, [request.fund_id])


def focal_points(request: AssistanceRequest) -> QuerySet[User]:
    """The people who act for the requesting State and have an address to write to."""
    return holders(Role.STATE_FOCAL_POINT, scope=request.requesting_state.iso3).exclude(email="")


def public_requests() -> QuerySet[AssistanceRequest]:
    """The public register: every request that left draft."""
    return _base().exclude(status=Status.DRAFT)


def requests_visible_to(actor: Actor) -> QuerySet[AssistanceRequest]:
    if is_admin(actor):
        return _base()
    own_states = scopes_of(actor, Role.STATE_FOCAL_POINT)
    return _base().filter(~Q(status=Status.DRAFT) | Q(requesting_state__iso3__in=own_states))


def request_for(actor: Actor, public_id: str) -> AssistanceRequest:
    request = requests_visible_to(actor).filter(public_id=public_id).first()
    if request is None:
        raise NotFound(_("no request %(id)s that you may see") % {"id": public_id})
    return request


def sees_confidential(request: AssistanceRequest, actor: Actor) -> bool:
    return (
        is_focal_point_for(request, actor)
        or is_secretariat_for(request, actor)
        or is_board_for(request, actor)
        or is_admin(actor)
    )


def confidential_access(actor: Actor) -> Callable[[AssistanceRequest], bool]:
    """``sees_confidential`` for many requests and one reader, with the reader's roles read once.

    Same rule as ``core.roles.has_role``: an unscoped secretariat or board role covers every fund.
    """
    if is_admin(actor):
        return lambda request: True
    states = scopes_of(actor, Role.STATE_FOCAL_POINT)
    funds = scopes_of(actor, Role.SECRETARIAT) | scopes_of(actor, Role.BOARD)

    def sees(request: AssistanceRequest) -> bool:
        return request.requesting_state.iso3 in states or "" in funds or request.fund_id in funds

    return sees


def filter_register(queryset: QuerySet[AssistanceRequest], params: Any) -> QuerySet[AssistanceRequest]:
    """Filters of the register, the queue and the API: State, fund, status, year of submission, words."""
    if params.get("state"):
        queryset = queryset.filter(requesting_state__iso3=str(params["state"]).upper())
    if params.get("fund"):
        queryset = queryset.filter(fund__code=params["fund"])
    if params.get("status") in Status.values:
        queryset = queryset.filter(status=params["status"])
    if str(params.get("year") or "").isdigit():
        queryset = queryset.filter(submitted_at__year=int(params["year"]))
    if params.get("q"):
        queryset = queryset.filter(title__icontains=str(params["q"])[:100])
    return queryset


def request_record(
    request: AssistanceRequest, *, full: bool, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The request as a flat record; without ``full``, confidential values are ``None``."""
    now = now or timezone.now()
    today = local_date(now)
    amount = Money(request.amount_requested, request.currency) if request.amount_requested else None
    # Sorted here, not by the query: the links may come prefetched, and the database's order is none.
    linked = sorted(request.recommendations.all(), key=lambda r: r.public_id)
    record: dict[str, Any] = {
        "public_id": request.public_id,
        "state": request.requesting_state.display_name,
        "state_iso3": request.requesting_state.iso3,
        "fund": request.fund_id,
        "fund_name": request.fund.display_name,
        "title": request.title,
        "status": request.status,
        "status_label": str(Status(request.status).label),
        "submitted_at": request.submitted_at,
        "status_changed_at": request.status_changed_at,
        "age_days": (today - local_date(request.submitted_at)).days if request.submitted_at else None,
        "working_days_in_status": (
            working_days_between(local_date(request.status_changed_at), today)
            if request.status_changed_at
            else None
        ),
        "due_date": request.due_date,
        "overdue": is_overdue(request, today=today),
        "clock_paused": request.status == Status.INFORMATION_REQUESTED,
        "need": request.need,
        "objectives": request.objectives,
        "expected_results": request.expected_results,
        "priorities": list(request.priorities),
        "amount": str(amount) if amount else "",
        "amount_minor_units": request.amount_requested,
        "currency": request.currency,
        "budget_lines": [
            {"item": line["item"], "amount": str(Money(line["amount"], request.currency))}
            for line in request.budget_lines
        ],
        "duration_months": request.duration_months,
        "implementing_partners": request.implementing_partners,
        "recommendations": [r.public_id for r in linked],
        "linked_recommendations": [linked_recommendation(r) for r in linked],
        "consent_given_by": request.consent_given_by,
        "consent_given_at": request.consent_given_at,
        "consent_reference": request.consent_reference,
        "attachments": [{"id": a.pk, "name": a.name, "size": a.size} for a in request.attachments.all()],
        "progress_reports": [
            {"submitted_at": p.submitted_at, "text": p.text, "final": p.final}
            for p in request.progress_reports.all()
        ],
        "allocation_reference": request.allocation_reference,
        "confidential_fields": list(request.confidential_fields),
        "version": request.version,
    }
    for key in hidden_keys(request, full=full):
        record[key] = None
    return record


def hidden_keys(request: AssistanceRequest, *, full: bool) -> set[str]:
    """The keys of ``request_record`` whose values this reader may not see."""
    if full:
        return set()
    return {key for name in request.confidential_fields for key in HIDDEN_KEYS.get(name, ())}


def timeline_entry(record: TransitionRecord, *, full: bool) -> dict[str, Any]:
    """One step as its reader may see it; reasons are public for decisions, withdrawals and holds only."""
    step = TRANSITIONS.get(record.name)
    if full and record.actor is not None:
        by = record.actor.get_username()
    else:
        by = str(ACTOR_LABELS[step.actor]) if step else ""
    return {
        "id": record.pk,
        "at": record.at,
        "step": record.name,
        "label": step.label if step else record.name,
        "from": record.source,
        "to": record.target,
        "to_label": str(Status(record.target).label),
        "by": by,
        "reason": record.reason if full or record.public_reason else "",
    }


def timeline(request: AssistanceRequest, *, full: bool) -> list[dict[str, Any]]:
    """Each transition of the request with its date, oldest first."""
    records = TransitionRecord.objects.filter(request=request).select_related("actor")
    return [timeline_entry(record, full=full) for record in records]


def history(request: AssistanceRequest, actor: Actor) -> QuerySet[AuditEvent] | None:
    """The audit trail of the request, for those who may see everything about it."""
    if not sees_confidential(request, actor):
        return None
    return events_for(request)


def secretariat_queue(actor: Actor) -> QuerySet[AssistanceRequest]:
    """Requests awaiting the secretariat, overdue first, then soonest due (paused ones last)."""
    waiting = [
        s
        for s in Status.values
        if any(s in step.sources and step.actor == "secretariat" for step in TRANSITIONS.values())
    ]
    funds = scopes_of(actor, Role.SECRETARIAT)
    queryset = _base().filter(status__in=[*waiting, Status.INFORMATION_REQUESTED])
    if not is_admin(actor) and "" not in funds:
        queryset = queryset.filter(fund__code__in=funds)
    return soonest_due_first(queryset)


def soonest_due_first(queryset: QuerySet[AssistanceRequest]) -> QuerySet[AssistanceRequest]:
    """By due date, so the overdue come first; a request with no due date (a paused clock) last.

    NULL's place is spelled out: databases disagree on it (SQLite sorts it first, PostgreSQL last),
    and on SQLite the requests with nothing due stood above the overdue ones.
    """
    return queryset.order_by(F("due_date").asc(nulls_last=True), "submitted_at", "pk")


def board_agenda(actor: Actor) -> QuerySet[AssistanceRequest]:
    """Requests recommended to the boards the actor sits on, soonest due first."""
    funds = scopes_of(actor, Role.BOARD)
    queryset = _base().filter(status=Status.RECOMMENDED)
    if not is_admin(actor) and "" not in funds:
        queryset = queryset.filter(fund__code__in=funds)
    return soonest_due_first(queryset)


def upcoming_sessions(actor: Actor) -> QuerySet[BoardSession]:
    """The next sessions of the boards the actor sits on."""
    funds = scopes_of(actor, Role.BOARD)
    sessions = BoardSession.objects.filter(starts_on__gte=local_date(timezone.now())).select_related("fund")
    if not is_admin(actor) and "" not in funds:
        sessions = sessions.filter(fund__code__in=funds)
    return sessions[:5]


def sessions_scheduled_by(actor: Actor) -> QuerySet[BoardSession]:
    """The coming board sessions of the funds whose secretariat the actor is."""
    funds = scopes_of(actor, Role.SECRETARIAT)
    sessions = BoardSession.objects.filter(starts_on__gte=local_date(timezone.now())).select_related("fund")
    if not is_admin(actor) and "" not in funds:
        sessions = sessions.filter(fund__code__in=funds)
    return sessions.order_by("starts_on", "fund__code")


def awaiting_allocation(actor: Actor) -> QuerySet[AssistanceRequest]:
    """Requests the board approved in the actor's funds, still awaiting money, longest waiting first."""
    queryset = _base().filter(status__in=AWAITING_ALLOCATION, fund__in=funds_of_secretariat(actor))
    return queryset.order_by("status_changed_at", "pk")


def funds_of_secretariat(actor: Actor) -> QuerySet[Fund]:
    """The funds whose secretariat the actor is (every fund for an unscoped secretariat role)."""
    funds = scopes_of(actor, Role.SECRETARIAT)
    if is_admin(actor) or "" in funds:
        return Fund.objects.order_by("code")
    return Fund.objects.filter(code__in=funds).order_by("code")


def state_dashboard(actor: Actor) -> list[dict[str, Any]]:
    """For each State the actor is a focal point of: its requests and those awaiting it."""
    blocks = []
    for state in State.objects.filter(iso3__in=scopes_of(actor, Role.STATE_FOCAL_POINT)):
        requests = list(_base().filter(requesting_state=state).order_by("-created_at"))
        recommendations = Recommendation.objects.filter(
            state_under_review=state,
            response__in=[Response.SUPPORTED, Response.SUPPORTED_IN_PART, Response.NOTED],
        ).order_by("-date", "public_id")[:50]
        blocks.append(
            {
                "state": state,
                "requests": requests,
                "awaiting": [r for r in requests if r.status in AWAITING_STATE],
                "recommendations": recommendations,
            }
        )
    return blocks


def timeliness(*, fund: str | None = None) -> list[dict[str, Any]]:
    """On-time rate and median working days per stage, per fund, per year the stage started."""
    clocks = StageClock.objects.filter(completed=True).select_related("fund")
    if fund:
        clocks = clocks.filter(fund__code=fund)
    groups: dict[tuple[str, int, str], list[StageClock]] = defaultdict(list)
    for clock in clocks:
        groups[(clock.fund_id, local_date(clock.started_at).year, clock.stage)].append(clock)
    rows = []
    for (fund_code, year, stage), members in sorted(groups.items()):
        taken = [c.working_days_taken for c in members if c.working_days_taken is not None]
        rows.append(
            {
                "fund": fund_code,
                "year": year,
                "stage": stage,
                "count": len(members),
                "on_time_rate": sum(1 for c in members if c.on_time) / len(members),
                "median_working_days": statistics.median(taken) if taken else None,
            }
        )
    return rows
