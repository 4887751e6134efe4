"""Whether a page's subject has nothing in it yet, so the page can say what goes there and how.

Asked of the whole registry, register, ledger or mandate list, not of the page's filtered rows: a
search that finds nothing in a full registry is not an empty registry.
"""

from __future__ import annotations

from django import template

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.funds.models import Posting
from hrcoop.mandates.models import Resolution
from hrcoop.recommendations.models import Recommendation

register = template.Library()


@register.simple_tag
def registry_is_empty() -> bool:
    return not Recommendation.objects.exists()


@register.simple_tag
def register_is_empty() -> bool:
    return not AssistanceRequest.objects.exists()


@register.simple_tag
def ledger_is_empty() -> bool:
    return not Posting.objects.exists()


@register.simple_tag
def no_resolutions() -> bool:
    return not Resolution.objects.exists()
