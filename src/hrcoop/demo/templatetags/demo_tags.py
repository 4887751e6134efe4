"""``{% demo_notice %}``: the base template's word that the page shows demo data.

The commands that load and remove the demo are shown to administrators only, who can run them; a
visitor is told what is invented, not how to operate the server.

One query on every page while no demo is loaded; two on a record's page while one is.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db import models

from hrcoop.demo.models import DemoRecord

register = template.Library()

# The context names under which detail pages pass their record, most specific first.
RECORD_NAMES = ("req", "donor", "fund", "plan", "plans", "mandate", "resolution", "recommendation")


def _record(context: template.Context) -> models.Model | None:
    for name in RECORD_NAMES:
        value = context.get(name)
        if isinstance(value, list) and value:  # a State's published plans: the demo's when the first is
            value = value[0]
        if isinstance(value, models.Model) and value.pk is not None:
            # A mandate is demo data when its resolution is.
            return value.resolution if hasattr(value, "resolution") and name == "mandate" else value
    return None


@register.inclusion_tag("demo/_notice.html", takes_context=True)
def demo_notice(context: template.Context) -> dict[str, Any]:
    if not DemoRecord.objects.exists():
        return {"loaded": False}
    record = _record(context)
    is_demo = record is not None and (
        DemoRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=str(record.pk)
        ).exists()
    )
    user = getattr(context.get("request"), "user", None)
    return {"loaded": True, "record_is_demo": is_demo, "operator": bool(user and user.is_superuser)}
