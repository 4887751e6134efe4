"""A need by its public id, as the person asking may see it: shared by the pages and the API.

Whether the reader may see a need is the owning app's rule, asked through its selectors: the public
register for requests, the tracker's for actions and clusters (an unpublished plan is seen only by its
State and its institutions). A need the reader may not see does not exist for them (``NotFound``).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from hrcoop.assistance.selectors import request_for
from hrcoop.cooperation.needs import Need, from_actions, from_clusters, from_recommendations, from_requests
from hrcoop.core.errors import NotFound
from hrcoop.core.roles import Actor
from hrcoop.recommendations.models import Recommendation
from hrcoop.tracking.selectors import action_for, clusters_visible_to, plans_visible_to


def request_need(actor: Actor, public_id: str) -> Need:
    [need] = from_requests([request_for(actor, public_id)])
    return need


def recommendation_need(public_id: str) -> Need:
    record = Recommendation.objects.select_related("state_under_review").filter(public_id=public_id).first()
    if record is None:
        raise NotFound(_("there is no recommendation %(id)s") % {"id": public_id})
    [need] = from_recommendations([record])
    return need


def _number(public_id: str, what: str) -> int:
    if not public_id.isdigit():
        raise NotFound(_("%(what)s is given by its number, not %(id)s") % {"what": what, "id": public_id})
    return int(public_id)


def action_need(actor: Actor, public_id: str) -> Need:
    """An action that needs support, if the tracker lets the reader see it."""
    action = action_for(actor, _number(public_id, _("an action")))
    if not action.needs_support:
        raise NotFound(
            _("action %(id)s does not need support: its State has not asked for it") % {"id": public_id}
        )
    [need] = from_actions([action])
    return need


def cluster_need(actor: Actor, public_id: str) -> Need:
    """A cluster of a plan, if the tracker lets the reader see it."""
    number = _number(public_id, _("a cluster"))
    for plan in plans_visible_to(actor).filter(clusters=number):
        cluster = clusters_visible_to(actor, plan).filter(pk=number).select_related("plan__state").first()
        if cluster is not None:
            [need] = from_clusters([cluster])
            return need
    raise NotFound(_("no cluster %(id)s that you may see") % {"id": public_id})


def need_by_kind(actor: Actor, kind: str, public_id: str) -> Need:
    if kind == "request":
        return request_need(actor, public_id)
    if kind == "recommendation":
        return recommendation_need(public_id)
    if kind == "action":
        return action_need(actor, public_id)
    if kind == "cluster":
        return cluster_need(actor, public_id)
    raise NotFound(_("a need is a request, a recommendation, a tracker action or a cluster"))
