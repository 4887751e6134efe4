"""Needs: what an offer can answer, from whichever app holds it, in one shape the matcher reads.

A need is a request for assistance or a recommendation today; an implementation action that "needs
support" in the tracker becomes one more kind by one more adapter (a function from the action to a
``Need``, and a source of open actions in ``open_needs``): docs/cooperation.md, "Adding a kind of need".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q
from django.urls import reverse

from hrcoop.assistance.models import AssistanceRequest, ConfidentialField
from hrcoop.assistance.models import Status as RequestStatus
from hrcoop.cooperation.models import NeedKind
from hrcoop.cooperation.vectors import encode, recommendation_vectors
from hrcoop.recommendations.models import Classification, LabelKind, Recommendation
from hrcoop.reference.models import State

# UPR Info's action category 1 ("minimal action": addressed to others, or asking for assistance) and
# its issue "Technical assistance and cooperation": the demand signals already in the registry.
ASKS_FOR_ASSISTANCE = Q(
    classifications__status=Classification.Status.ACCEPTED,
    classifications__kind=LabelKind.ACTION_CATEGORY,
    classifications__label__code="1",
) | Q(
    classifications__status=Classification.Status.ACCEPTED,
    classifications__kind=LabelKind.ISSUE,
    classifications__label__code="technical-assistance-and-cooperation",
)
# Requests that may still use help: they left draft and are not over.
OPEN_REQUEST_STATUSES = [
    s
    for s in RequestStatus.values
    if s
    not in {
        RequestStatus.DRAFT,
        RequestStatus.DECLINED,
        RequestStatus.WITHDRAWN,
        RequestStatus.CLOSED,
        RequestStatus.COMPLETED,
    }
]


@dataclass
class Need:
    kind: str
    key: str  # the public id the need is known by
    state: State
    title: str
    text: str
    language: str
    url: str
    themes: dict[str, str] = field(default_factory=dict)  # UHRI theme code -> name
    sdgs: set[int] = field(default_factory=set)
    request: AssistanceRequest | None = None
    recommendation: Recommendation | None = None
    vector: np.ndarray | None = None

    @property
    def kind_label(self) -> str:
        return str(NeedKind(self.kind).label)


def _labels(recommendation_ids: Iterable[int]) -> dict[int, tuple[dict[str, str], set[int]]]:
    out: dict[int, tuple[dict[str, str], set[int]]] = defaultdict(lambda: ({}, set()))
    rows = Classification.objects.filter(
        recommendation_id__in=list(recommendation_ids),
        status=Classification.Status.ACCEPTED,
        kind__in=[LabelKind.THEME, LabelKind.SDG_GOAL],
    ).values_list("recommendation_id", "kind", "label__code", "label__name")
    for pk, kind, code, name in rows:
        themes, sdgs = out[pk]
        if kind == LabelKind.THEME:
            themes[code] = name
        elif code.isdigit():
            sdgs.add(int(code))
    return out


def from_recommendations(records: Iterable[Recommendation]) -> list[Need]:
    records = list(records)
    labels = _labels(r.pk for r in records)
    vectors = recommendation_vectors((r.pk, r.text) for r in records)
    needs = []
    for record in records:
        themes, sdgs = labels.get(record.pk, ({}, set()))
        needs.append(
            Need(
                kind=NeedKind.RECOMMENDATION,
                key=record.public_id,
                state=record.state_under_review,
                title=record.text[:120],
                text=record.text,
                language=record.language,
                url=reverse("recommendations:detail", args=[record.public_id]),
                themes=dict(themes),
                sdgs=set(sdgs),
                recommendation=record,
                vector=vectors[record.pk],
            )
        )
    return needs


def from_requests(requests: Iterable[AssistanceRequest]) -> list[Need]:
    """Requests as needs. Only what the public register shows is read: a need or linked recommendations
    the State marked confidential are left out, so a match cannot reveal them."""
    requests = list(requests)
    linked: dict[int, list[int]] = defaultdict(list)
    through = AssistanceRequest.recommendations.through
    for request_id, recommendation_id in through.objects.filter(
        assistancerequest_id__in=[r.pk for r in requests]
    ).values_list("assistancerequest_id", "recommendation_id"):
        linked[request_id].append(recommendation_id)
    labels = _labels(pk for ids in linked.values() for pk in ids)
    texts = []
    needs = []
    for request in requests:
        text = request.title
        if request.need and not request.is_confidential(ConfidentialField.NEED):
            text = f"{request.title}. {request.need}"
        themes: dict[str, str] = {}
        sdgs: set[int] = set()
        if not request.is_confidential(ConfidentialField.RECOMMENDATIONS):
            for pk in linked.get(request.pk, []):
                if pk in labels:
                    themes.update(labels[pk][0])
                    sdgs |= labels[pk][1]
        texts.append(text)
        needs.append(
            Need(
                kind=NeedKind.REQUEST,
                key=request.public_id,
                state=request.requesting_state,
                title=request.title,
                text=text,
                language="",
                url=reverse("assistance:detail", args=[request.public_id]),
                themes=themes,
                sdgs=sdgs,
                request=request,
            )
        )
    for need, vector in zip(needs, encode(texts), strict=True):
        need.vector = vector
    return needs


def open_needs() -> list[Need]:
    """Every need an offer may answer: open requests, and recommendations that ask for assistance."""
    requests = AssistanceRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES).select_related(
        "requesting_state"
    )
    records = (
        Recommendation.objects.filter(ASKS_FOR_ASSISTANCE)
        .distinct()
        .select_related("state_under_review")
        .order_by("pk")
    )
    return from_requests(requests) + from_recommendations(records)
