"""A need by its public id, as the person asking may see it: shared by the pages and the API."""

from __future__ import annotations

from django.utils.translation import gettext as _

from hrcoop.assistance.selectors import request_for
from hrcoop.cooperation.needs import Need, from_recommendations, from_requests
from hrcoop.core.errors import NotFound
from hrcoop.core.roles import Actor
from hrcoop.recommendations.models import Recommendation


def request_need(actor: Actor, public_id: str) -> Need:
    [need] = from_requests([request_for(actor, public_id)])
    return need


def recommendation_need(public_id: str) -> Need:
    record = Recommendation.objects.select_related("state_under_review").filter(public_id=public_id).first()
    if record is None:
        raise NotFound(_("there is no recommendation %(id)s") % {"id": public_id})
    [need] = from_recommendations([record])
    return need


def need_by_kind(actor: Actor, kind: str, public_id: str) -> Need:
    if kind == "request":
        return request_need(actor, public_id)
    if kind == "recommendation":
        return recommendation_need(public_id)
    raise NotFound(_("a need is a request or a recommendation"))
