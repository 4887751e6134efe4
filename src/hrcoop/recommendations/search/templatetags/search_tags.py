"""``{% similar_recommendations recommendation %}``: the "more like this" block of a record page."""

from __future__ import annotations

from typing import Any

from django import template

from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.search.selectors import similar_to

register = template.Library()


@register.inclusion_tag("search/similar.html")
def similar_recommendations(recommendation: Recommendation, limit: int = 5) -> dict[str, Any]:
    return {"recommendation": recommendation, "similar": similar_to(recommendation, limit=limit)}
