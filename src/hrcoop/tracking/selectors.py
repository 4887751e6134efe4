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

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from hrcoop.core.errors import NotFound
from hrcoop.core.roles import Actor
from hrcoop.tracking.access import everything, focal_point_states, is_focal_point, member_institution_ids
from hrcoop.tracking.models import Action, Cluster, Institution, Plan, ProgressUpdate, TrackedRecommendation


def _published(prefix: str = "") -> Q:
    return Q(**{f"{prefix}published_at__isnull": False})


def _own_state(actor: Actor, prefix: str = "") -> Q:
    return Q(**{f"{prefix}state__iso3__in": focal_point_states(actor)})


def plans_visible_to(actor: Actor) -> QuerySet[Plan]:
    plans = Plan.objects.select_related("state")
    if everything(actor):
        return plans
    institutions = member_institution_ids(actor)
    assigned = (
        Q(clusters__lead_institution__in=institutions)
        | Q(clusters__supporting_institutions__in=institutions)
        | Q(clusters__actions__institution__in=institutions)
    )
    return plans.filter(
        pk__in=Plan.objects.filter(
            _published() | _own_state(actor) | (assigned if institutions else Q(pk__in=[]))
        ).values("pk")
    )


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
