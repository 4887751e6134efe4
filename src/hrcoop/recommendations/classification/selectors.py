"""Reads with rules: who may review, the review queue, the latest published evaluation."""

from __future__ import annotations

from django.db.models import QuerySet

from hrcoop.core.errors import Forbidden
from hrcoop.core.models import Role
from hrcoop.core.roles import Actor, has_role
from hrcoop.recommendations.classification.models import EvaluationRun, ModelVersion
from hrcoop.recommendations.models import Classification, Provenance


def may_review(actor: Actor) -> bool:
    return has_role(actor, Role.SECRETARIAT)  # admins pass every role check


def review_queue(
    actor: Actor,
    *,
    kind: str = "",
    label: str = "",
    min_confidence: float | None = None,
    max_confidence: float | None = None,
) -> QuerySet[Classification]:
    """Open model suggestions, least confident first (where a person's look is worth most)."""
    if not may_review(actor):
        raise Forbidden("only the secretariat or an administrator may review suggested labels")
    queryset = Classification.objects.filter(
        status=Classification.Status.SUGGESTED, provenance=Provenance.MODEL
    ).select_related("label", "recommendation", "recommendation__state_under_review")
    if kind:
        queryset = queryset.filter(kind=kind)
    if label:
        queryset = queryset.filter(label__code=label)
    if min_confidence is not None:
        queryset = queryset.filter(confidence__gte=min_confidence)
    if max_confidence is not None:
        queryset = queryset.filter(confidence__lte=max_confidence)
    return queryset.order_by("confidence", "pk")


def latest_evaluation() -> EvaluationRun | None:
    return EvaluationRun.objects.first()


def active_versions() -> QuerySet[ModelVersion]:
    return ModelVersion.objects.filter(active=True).order_by("kind")
