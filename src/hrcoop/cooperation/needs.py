"""Needs: what an offer can answer, from whichever app holds it, in one shape the matcher reads.

A need is a request for assistance, a recommendation that asks for assistance, an action of a State's
implementation tracker that needs support, or a cluster of the tracker. Each kind has one adapter
here (``from_requests``, ``from_recommendations``, ``from_actions``, ``from_clusters``); who may see a
need is the owning app's rule, asked in ``lookups``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import Q
from django.urls import reverse

from hrcoop.assistance.models import AssistanceRequest, ConfidentialField
from hrcoop.assistance.models import Status as RequestStatus
from hrcoop.cooperation.models import NEED_FIELDS, NeedKind
from hrcoop.cooperation.vectors import encode, recommendation_vectors
from hrcoop.recommendations.models import Classification, LabelKind, Recommendation
from hrcoop.reference.models import State
from hrcoop.tracking.models import Action, Cluster, TrackedRecommendation
from hrcoop.tracking.selectors import published_plans

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
    action: Action | None = None
    cluster: Cluster | None = None
    vector: np.ndarray | None = None

    @property
    def kind_label(self) -> str:
        return str(NeedKind(self.kind).label)

    @property
    def identity(self) -> tuple[str, str]:
        """Kind and key together: an action and a cluster may share a number."""
        return (self.kind, self.key)

    def links(self) -> dict[str, Any]:
        """The need as the foreign keys of a ``Match``: the one of its kind set, the others None."""
        return {name: getattr(self, name) for name in NEED_FIELDS}


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


def _cluster_labels(clusters: Iterable[Cluster]) -> dict[int, tuple[dict[str, str], set[int]]]:
    """Themes and SDG goals of each cluster: those of the recommendations it holds."""
    members: dict[int, list[int]] = defaultdict(list)
    rows = TrackedRecommendation.objects.filter(cluster__in=[c.pk for c in clusters]).values_list(
        "cluster_id", "recommendation_id"
    )
    for cluster_id, recommendation_id in rows:
        members[cluster_id].append(recommendation_id)
    labels = _labels(pk for ids in members.values() for pk in ids)
    out: dict[int, tuple[dict[str, str], set[int]]] = {}
    for cluster_id, ids in members.items():
        themes: dict[str, str] = {}
        sdgs: set[int] = set()
        for pk in ids:
            themes.update(labels.get(pk, ({}, set()))[0])
            sdgs |= labels.get(pk, ({}, set()))[1]
        out[cluster_id] = (themes, sdgs)
    return out


def _plan_url(cluster: Cluster, anchor: str) -> str:
    return f"{reverse('tracking:plan', args=[cluster.plan_id])}#{anchor}"


def from_actions(actions: Iterable[Action]) -> list[Need]:
    """Tracker actions as needs: the action's description with its cluster's title, the State that
    implements it, and the themes and SDG goals of the cluster's recommendations. Whoever passes the
    actions has already decided the reader may see them (``lookups``, ``open_needs``)."""
    actions = list(actions)
    labels = _cluster_labels(a.cluster for a in actions)
    needs = []
    for action in actions:
        cluster = action.cluster
        themes, sdgs = labels.get(cluster.pk, ({}, set()))
        needs.append(
            Need(
                kind=NeedKind.ACTION,
                key=str(action.pk),
                state=cluster.plan.state,
                title=action.description.splitlines()[0][:120],
                text=f"{cluster.title}. {action.description}",
                language="",
                url=_plan_url(cluster, f"action-{action.pk}"),
                themes=dict(themes),
                sdgs=set(sdgs),
                action=action,
            )
        )
    for need, vector in zip(needs, encode([n.text for n in needs]), strict=True):
        need.vector = vector
    return needs


def from_clusters(clusters: Iterable[Cluster]) -> list[Need]:
    """Tracker clusters as needs: the cluster's title and the texts of its recommendations (what the
    State set out to implement together), with their themes and SDG goals."""
    clusters = list(clusters)
    labels = _cluster_labels(clusters)
    texts: dict[int, list[str]] = defaultdict(list)
    rows = (
        TrackedRecommendation.objects.filter(cluster__in=[c.pk for c in clusters])
        .order_by("cluster_id", "recommendation__paragraph", "pk")
        .values_list("cluster_id", "recommendation__text")
    )
    for cluster_id, text in rows:
        texts[cluster_id].append(text)
    needs = []
    for cluster in clusters:
        themes, sdgs = labels.get(cluster.pk, ({}, set()))
        needs.append(
            Need(
                kind=NeedKind.CLUSTER,
                key=str(cluster.pk),
                state=cluster.plan.state,
                title=cluster.title[:120],
                text=" ".join([f"{cluster.title}.", *texts.get(cluster.pk, [])]),
                language="",
                url=_plan_url(cluster, f"cluster-{cluster.pk}"),
                themes=dict(themes),
                sdgs=set(sdgs),
                cluster=cluster,
            )
        )
    for need, vector in zip(needs, encode([n.text for n in needs]), strict=True):
        need.vector = vector
    return needs


def open_actions() -> list[Action]:
    """Actions that need support and are not completed, in plans their States published: what the
    tracker shows everyone, so an offer's ranked needs reveal nothing unpublished."""
    return list(
        Action.objects.filter(needs_support=True, cluster__plan__in=published_plans().values("pk"))
        .exclude(status=Action.Status.COMPLETED)
        .select_related("cluster__plan__state")
        .order_by("pk")
    )


def open_needs() -> list[Need]:
    """Every need an offer may answer: open requests, published tracker actions that need support, and
    recommendations that ask for assistance."""
    requests = AssistanceRequest.objects.filter(status__in=OPEN_REQUEST_STATUSES).select_related(
        "requesting_state"
    )
    records = (
        Recommendation.objects.filter(ASKS_FOR_ASSISTANCE)
        .distinct()
        .select_related("state_under_review")
        .order_by("pk")
    )
    return from_requests(requests) + from_actions(open_actions()) + from_recommendations(records)
