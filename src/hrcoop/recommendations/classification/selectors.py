"""Reads with rules: who may review, the review queue, the latest published evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from hrcoop.core.errors import Forbidden
from hrcoop.core.models import Role
from hrcoop.core.roles import Actor, has_role
from hrcoop.recommendations.classification.data import SINGLE_LABEL_KINDS
from hrcoop.recommendations.classification.models import EvaluationRun, ModelVersion
from hrcoop.recommendations.models import Classification, Provenance
from hrcoop.reference.models import State


def may_review(actor: Actor) -> bool:
    return has_role(actor, Role.SECRETARIAT)  # admins pass every role check


def review_queue(
    actor: Actor,
    *,
    kind: str = "",
    label: str = "",
    min_confidence: float | None = None,
    max_confidence: float | None = None,
    session: int | None = None,
    state_iso3: str = "",
) -> QuerySet[Classification]:
    """Open model suggestions, least confident first (where a person's look is worth most); a
    session or a State under review narrows them to one batch of work, e.g. a newly imported session."""
    if not may_review(actor):
        raise Forbidden(_("only the secretariat or an administrator may review suggested labels"))
    queryset = _open_suggestions().select_related(
        "label", "recommendation", "recommendation__state_under_review"
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    if label:
        queryset = queryset.filter(label__code=label)
    if min_confidence is not None:
        queryset = queryset.filter(confidence__gte=min_confidence)
    if max_confidence is not None:
        queryset = queryset.filter(confidence__lte=max_confidence)
    if session is not None:
        queryset = queryset.filter(recommendation__session__number=session)
    if state_iso3:
        queryset = queryset.filter(recommendation__state_under_review__iso3=state_iso3)
    return queryset.order_by("confidence", "pk")


def bulk_acceptable(actor: Actor, **filters: Any) -> QuerySet[Classification]:
    """The suggestions of ``review_queue(actor, **filters)`` that may be accepted without review: those
    whose confidence reaches the threshold their model version chose on held-out sessions, except an
    action category (one per record) on a record that already has one accepted."""
    reaching = Q(pk__in=[])
    for version, threshold in ModelVersion.objects.filter(accept_threshold__isnull=False).values_list(
        "version", "accept_threshold"
    ):
        reaching |= Q(model_version=version, confidence__gte=threshold)
    taken = Classification.objects.filter(
        recommendation=OuterRef("recommendation"),
        kind__in=SINGLE_LABEL_KINDS,
        kind=OuterRef("kind"),
        status=Classification.Status.ACCEPTED,
    )
    return review_queue(actor, **filters).filter(reaching).exclude(Exists(taken))


@dataclass(frozen=True)
class BulkPreview:
    """What accepting every suggestion above the threshold would do, said before it is done."""

    count: int
    expected_precision: float | None  # from each version's held-out precision, weighed by its count

    @property
    def expected_percent(self) -> float | None:
        return None if self.expected_precision is None else round(100 * self.expected_precision, 1)

    @property
    def error_percent(self) -> float | None:
        return None if self.expected_precision is None else round(100 * (1 - self.expected_precision), 1)

    @property
    def expected_errors(self) -> int:
        return 0 if self.expected_precision is None else round(self.count * (1 - self.expected_precision))


def bulk_preview(actor: Actor, **filters: Any) -> BulkPreview:
    counts = dict(
        bulk_acceptable(actor, **filters)
        .order_by()
        .values_list("model_version")
        .annotate(n=Count("pk"))
        .values_list("model_version", "n")
    )
    if not counts:
        return BulkPreview(0, None)
    precision = dict(
        ModelVersion.objects.filter(version__in=counts).values_list("version", "accept_precision")
    )
    total = sum(counts.values())
    expected = sum(n * (precision.get(version) or 0.0) for version, n in counts.items()) / total
    return BulkPreview(total, expected)


def states_with_open_suggestions() -> list[tuple[str, str]]:
    """(ISO3, name) of the States under review whose records have suggestions awaiting a reviewer."""
    waiting = _open_suggestions().filter(recommendation__state_under_review=OuterRef("pk"))
    return list(State.objects.filter(Exists(waiting)).order_by("name").values_list("iso3", "name"))


def _open_suggestions() -> QuerySet[Classification]:
    return Classification.objects.filter(status=Classification.Status.SUGGESTED, provenance=Provenance.MODEL)


def latest_evaluation() -> EvaluationRun | None:
    return EvaluationRun.objects.first()


def active_versions() -> QuerySet[ModelVersion]:
    return ModelVersion.objects.filter(active=True).order_by("kind")
