"""Every read of a tracker that depends on who asks (DESIGN.md §4.2; the table in docs/tracking.md).

- The focal point of a State (and an administrator) sees the State's whole tracker.
- A member of an institution sees the clusters its institution leads or supports, the actions assigned
  to it and the updates on those actions, published or not; nothing else of an unpublished plan.
- Everyone else (the public, the secretariat, the focal point of another State) sees a plan only once
  its State published it, and then only validated updates that the focal point made public, and no
  contact details of institutions.

Pages, the API and the exports all read through these functions.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from typing import Any

from django.db.models import F, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from hrcoop.core.errors import NotFound
from hrcoop.core.money import Money
from hrcoop.core.roles import Actor
from hrcoop.recommendations.models import Classification, LabelKind, Recommendation
from hrcoop.tracking.access import everything, focal_point_states, is_focal_point, member_institution_ids
from hrcoop.tracking.models import (
    Action,
    Cluster,
    ImplementationStatus,
    Institution,
    Plan,
    ProgressUpdate,
    StatusChange,
    TrackedRecommendation,
)


def _published(prefix: str = "") -> Q:
    return Q(**{f"{prefix}published_at__isnull": False})


def _own_state(actor: Actor, prefix: str = "") -> Q:
    return Q(**{f"{prefix}state__iso3__in": focal_point_states(actor)})


def _worked_on(actor: Actor) -> Q:
    """Plans of the actor's State, or where the actor's institution leads, supports or acts."""
    institutions = member_institution_ids(actor)
    assigned = (
        Q(clusters__lead_institution__in=institutions)
        | Q(clusters__supporting_institutions__in=institutions)
        | Q(clusters__actions__institution__in=institutions)
    )
    return _own_state(actor) | (assigned if institutions else Q(pk__in=[]))


def plans_visible_to(actor: Actor) -> QuerySet[Plan]:
    plans = Plan.objects.select_related("state")
    if everything(actor):
        return plans
    return plans.filter(pk__in=Plan.objects.filter(_published() | _worked_on(actor)).values("pk"))


def plans_worked_on(actor: Actor) -> QuerySet[Plan]:
    """The plans the actor works on, published or not (every plan for an administrator)."""
    plans = Plan.objects.select_related("state")
    if everything(actor):
        return plans
    return plans.filter(pk__in=Plan.objects.filter(_worked_on(actor)).values("pk"))


def plan_for(actor: Actor, plan_id: int) -> Plan:
    plan = plans_visible_to(actor).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound(_("no implementation plan %(id)s that you may see") % {"id": plan_id})
    return plan


def sees_whole_plan(actor: Actor, plan: Plan) -> bool:
    """True for those who see every part of the plan: its State's focal point, an administrator, and
    anyone once the plan is published (who then sees the published parts of progress only)."""
    return plan.is_published or is_focal_point(actor, plan.state)


def coordinates(actor: Actor, plan: Plan) -> bool:
    """True for the focal point of the plan's State (and an administrator): everything, every write."""
    return is_focal_point(actor, plan.state)


def clusters_visible_to(actor: Actor, plan: Plan) -> QuerySet[Cluster]:
    clusters = (
        Cluster.objects.filter(plan=plan)
        .select_related("lead_institution")
        .prefetch_related("supporting_institutions")
    )
    if sees_whole_plan(actor, plan):
        return clusters
    institutions = member_institution_ids(actor)
    return clusters.filter(
        Q(lead_institution__in=institutions)
        | Q(supporting_institutions__in=institutions)
        | Q(actions__institution__in=institutions)
    ).distinct()


def tracked_visible_to(actor: Actor, plan: Plan) -> QuerySet[TrackedRecommendation]:
    tracked = TrackedRecommendation.objects.filter(plan=plan).select_related(
        "recommendation", "cluster", "status_set_by"
    )
    if sees_whole_plan(actor, plan):
        return tracked
    return tracked.filter(cluster__in=clusters_visible_to(actor, plan))


def actions_visible_to(actor: Actor, plan: Plan | None = None) -> QuerySet[Action]:
    """Actions of one plan (or of every plan) that the actor may see."""
    actions = Action.objects.select_related("cluster__plan__state", "institution", "assistance_request")
    if plan is not None:
        actions = actions.filter(cluster__plan=plan)
    if everything(actor):
        return actions
    return actions.filter(
        _published("cluster__plan__")
        | _own_state(actor, "cluster__plan__")
        | Q(institution__in=member_institution_ids(actor))
    )


def action_for(actor: Actor, action_id: int) -> Action:
    action = actions_visible_to(actor).filter(pk=action_id).first()
    if action is None:
        raise NotFound(_("no action %(id)s that you may see") % {"id": action_id})
    return action


def updates_visible_to(actor: Actor, plan: Plan | None = None) -> QuerySet[ProgressUpdate]:
    """Progress updates: all of them for the State's focal point and the institution that posted on its
    action; for everyone else, validated updates made public in a published plan."""
    updates = ProgressUpdate.objects.select_related(
        "action__cluster__plan__state", "author"
    ).prefetch_related("documents")
    if plan is not None:
        updates = updates.filter(action__cluster__plan=plan)
    if everything(actor):
        return updates
    public = _published("action__cluster__plan__") & Q(review=ProgressUpdate.Review.VALIDATED, public=True)
    return updates.filter(
        public
        | _own_state(actor, "action__cluster__plan__")
        | Q(action__institution__in=member_institution_ids(actor))
    )


def update_for(actor: Actor, update_id: int) -> ProgressUpdate:
    update = updates_visible_to(actor).filter(pk=update_id).first()
    if update is None:
        raise NotFound(_("no progress update %(id)s that you may see") % {"id": update_id})
    return update


def institutions_visible_to(actor: Actor) -> QuerySet[Institution]:
    """Institutions with their contacts: the State's focal point sees all of them, a member its own."""
    institutions = Institution.objects.select_related("state")
    if everything(actor):
        return institutions
    return institutions.filter(_own_state(actor) | Q(pk__in=member_institution_ids(actor)))


def published_plans(state_iso3: str | None = None) -> QuerySet[Plan]:
    plans = Plan.objects.select_related("state").filter(_published())
    return plans.filter(state__iso3=state_iso3.upper()) if state_iso3 else plans


def _money(amount: int | None, currency: str) -> str | None:
    return None if amount is None else str(Money(amount, currency))


def update_record(u: ProgressUpdate, actor: Actor, *, full: bool | None = None) -> dict[str, Any]:
    """One progress update as plain data; its author is named to the State's coordinators and to the
    author."""
    if full is None:
        full = coordinates(actor, u.action.cluster.plan)
    return {
        "id": u.pk,
        "action": u.action_id,
        "reported_on": u.reported_on,
        "text": u.text,
        "indicator": u.indicator_id,
        "indicator_value": u.indicator_value,
        "links": u.links,
        "documents": [{"id": d.pk, "name": d.name, "size": d.size} for d in u.documents.all()],
        "review": u.review,
        "review_label": u.get_review_display(),
        "public": u.public,
        "author": str(u.author or "") if full or u.author_id == getattr(actor, "pk", None) else None,
    }


def unclustered_recommendations(plan: Plan) -> list[Recommendation]:
    """The plan's recommendations that no cluster holds yet, in the order of their paragraphs."""
    rows = TrackedRecommendation.objects.filter(plan=plan, cluster__isnull=True).select_related(
        "recommendation"
    )
    return sorted((t.recommendation for t in rows), key=_paragraph_order)


def _paragraph_order(recommendation: Recommendation) -> tuple[object, ...]:
    """Paragraphs in the document's order: 121.2 before 121.10."""
    numbers = tuple(int(part) for part in re.findall(r"\d+", recommendation.paragraph))
    return (recommendation.document_symbol, numbers, recommendation.pk)


def _status_counts(statuses: Iterable[str]) -> list[int]:
    """How many recommendations are at each implementation status, in the order of the statuses."""
    counts = Counter(statuses)
    return [counts.get(value, 0) for value in ImplementationStatus.values]


def plan_record(plan: Plan, actor: Actor) -> dict[str, Any]:
    """The plan as its reader may see it, as plain data: what the page, the API, the exports and the
    mid-term report all show. Who set a status, and who posted an update, are names of the State's
    officials: only its coordinators see them."""
    full = coordinates(actor, plan)
    clusters = list(clusters_visible_to(actor, plan))
    tracked = sorted(tracked_visible_to(actor, plan), key=lambda t: _paragraph_order(t.recommendation))
    actions = list(
        actions_visible_to(actor, plan).filter(cluster__in=clusters).prefetch_related("indicators")
    )
    updates = list(updates_visible_to(actor, plan).order_by("reported_on", "pk"))

    def recommendation(t: TrackedRecommendation) -> dict[str, Any]:
        r = t.recommendation
        return {
            "public_id": r.public_id,
            "source_id": r.source_id,
            "text": r.text,
            "response": r.response,
            "status": t.status,
            "status_label": t.get_status_display(),
            "status_set_at": t.status_set_at,
            "status_set_by": str(t.status_set_by or "") if full else None,
        }

    def action(a: Action) -> dict[str, Any]:
        return {
            "id": a.pk,
            "description": a.description,
            "institution": a.institution.name,
            "institution_id": a.institution_id,
            "starts_on": a.starts_on,
            "due_on": a.due_on,
            "budget": _money(a.budget_amount, a.budget_currency),
            "budget_minor_units": a.budget_amount,
            "budget_currency": a.budget_currency,
            "status": a.status,
            "status_label": a.get_status_display(),
            "needs_support": a.needs_support,
            "assistance_request": a.assistance_request.public_id if a.assistance_request else None,
            "indicators": [
                {
                    "id": i.pk,
                    "name": i.name,
                    "baseline": i.baseline,
                    "target": i.target,
                    "source": i.source,
                    "sdg_indicator": i.sdg_indicator,
                }
                for i in a.indicators.all()
            ],
            "updates": [update_record(u, actor, full=full) for u in updates if u.action_id == a.pk],
        }

    return {
        "id": plan.pk,
        "title": plan.title,
        "state": plan.state.display_name,
        "state_iso3": plan.state.iso3,
        "published_at": plan.published_at,
        "coordinator": full,
        "clusters": [
            {
                "id": c.pk,
                "title": c.title,
                "lead_institution": c.lead_institution.name if c.lead_institution else None,
                "lead_institution_id": c.lead_institution_id,
                "supporting_institutions": [i.name for i in c.supporting_institutions.all()],
                "recommendations": [recommendation(t) for t in tracked if t.cluster_id == c.pk],
                "status_counts": _status_counts(t.status for t in tracked if t.cluster_id == c.pk),
                "actions": [action(a) for a in actions if a.cluster_id == c.pk],
            }
            for c in clusters
        ],
        "unclustered": [recommendation(t) for t in tracked if t.cluster_id is None],
    }


def update_is_due(action: Action, *, last_update: dt.date | None, today: dt.date) -> bool:
    """An action not completed, started, with no update for its plan's interval (counted from its start
    when it has none) owes an update: the rule of the daily reminder and of each person's home page."""
    since = last_update or action.starts_on or action.cluster.plan.created_at.date()
    return since <= today and (today - since).days >= action.cluster.plan.update_interval_days


def updates_due(actor: Actor, *, today: dt.date) -> list[Action]:
    """The actions whose progress update the actor owes: those of its State's plans (a focal point) and
    those assigned to its institution (a member), soonest due first."""
    institutions = member_institution_ids(actor)
    actions = (
        Action.objects.exclude(status=Action.Status.COMPLETED)
        .filter(_own_state(actor, "cluster__plan__") | Q(institution__in=institutions))
        .select_related("institution", "cluster__plan__state")
        .annotate(last_update=Max("updates__reported_on"))
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )
    return [a for a in actions if update_is_due(a, last_update=a.last_update, today=today)]  # type: ignore[attr-defined]


def member_institutions(actor: Actor) -> QuerySet[Institution]:
    return Institution.objects.filter(pk__in=member_institution_ids(actor))


def status_by_issue(plans: list[Plan]) -> list[dict[str, Any]]:
    """For published plans: per issue or theme of the recommendations, how many are at each status."""
    rows = (
        Classification.objects.filter(
            status=Classification.Status.ACCEPTED,
            kind__in=(LabelKind.ISSUE, LabelKind.THEME),
            recommendation__in=TrackedRecommendation.objects.filter(plan__in=plans).values("recommendation"),
        )
        .values_list("label__name", "recommendation_id")
        .order_by("label__name")
    )
    status_of = dict(
        TrackedRecommendation.objects.filter(plan__in=plans).values_list("recommendation_id", "status")
    )
    table: dict[str, Counter[str]] = {}
    for name, recommendation_id in rows:
        table.setdefault(name, Counter())[status_of[recommendation_id]] += 1
    return sorted(
        (
            {
                "label": name,
                "total": sum(counts.values()),
                "counts": [counts.get(value, 0) for value in ImplementationStatus.values],
            }
            for name, counts in table.items()
        ),
        key=lambda row: (-row["total"], row["label"]),
    )


def implementation_progress(*, state_iso3: str, year: int) -> list[tuple[str, int]]:
    """The State's published progress at the end of ``year``, for the reports: (status label, number
    of recommendations) in the statuses' order; [] when it had published no plan by then.

    A status counts as it stood at the year's end (the last ``StatusChange`` up to then), so a report
    rebuilt later still shows that year; a recommendation without a change by then is not started.
    """
    year_end = dt.datetime(year + 1, 1, 1, tzinfo=timezone.get_current_timezone())
    plans = published_plans(state_iso3).filter(published_at__lt=year_end)
    tracked = TrackedRecommendation.objects.filter(plan__in=plans, plan__created_at__lt=year_end)
    if not tracked.exists():
        return []
    last_change = (
        StatusChange.objects.filter(tracked=OuterRef("pk"), changed_at__lt=year_end)
        .order_by("-changed_at", "-id")
        .values("status")[:1]
    )
    statuses = tracked.annotate(at_year_end=Subquery(last_change)).values_list("at_year_end", flat=True)
    counts = _status_counts(status or ImplementationStatus.NOT_STARTED for status in statuses)
    return [(str(label), n) for label, n in zip(ImplementationStatus.labels, counts, strict=True)]
