"""Corrections of a record by the secretariat (from the admin), each audited with the old and new values."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from hrcoop.core.audit import record_event
from hrcoop.core.errors import InvalidInput
from hrcoop.core.events import records_changed
from hrcoop.core.models import User
from hrcoop.recommendations.actions import RecommendationAction
from hrcoop.recommendations.models import Recommendation, Response

EDITABLE_FIELDS = (
    "text",
    "language",
    "response",
    "response_source",
    "document_symbol",
    "paragraph",
    "date",
    "source_id",
)


@transaction.atomic
def update_recommendation(
    recommendation: Recommendation, *, actor: User | None, changes: dict[str, Any]
) -> Recommendation:
    """Correct fields of a record (from the admin); the old and new values go to the audit log.

    The identity key and public id stay as first computed, so links and re-imports keep finding the
    record.
    """
    not_editable = sorted(set(changes) - set(EDITABLE_FIELDS))
    if not_editable:
        raise InvalidInput(f"these fields cannot be changed: {', '.join(not_editable)}")
    if "response" in changes and changes["response"] not in Response.values:
        raise InvalidInput(f"unknown response {changes['response']!r}", where="response")
    if "text" in changes and not str(changes["text"]).strip():
        raise InvalidInput("the text cannot be empty", where="text")
    before = {name: getattr(recommendation, name) for name in changes}
    for name, value in changes.items():
        setattr(recommendation, name, value)
    recommendation.save(update_fields=[*changes, "updated_at"])
    records_changed.send(ids=[recommendation.pk], text_changed=bool({"text", "language"} & set(changes)))
    record_event(
        actor=actor,
        action=RecommendationAction.CORRECTED,
        target=recommendation,
        data={"before": before, "after": changes},
    )
    return recommendation
