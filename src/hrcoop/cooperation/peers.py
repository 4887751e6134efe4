"""Peers who did it: States that had a recommendation like the need and implemented it, or received
funded assistance for it.

Two sources, both read only where their owners make them public:

- the implementation tracker: a recommendation a State reports **implemented** in a plan it
  published (``tracking.selectors.published_plans``: an unpublished plan is the State's own business);
- assistance: a recommendation linked to a State's request for assistance that a fund allocated money
  to (links the State marked confidential are not read).

A peer is a State whose recommendation is close to the need (cosine of the multilingual vectors at
least ``SIMILAR``); each State is listed once, by its closest recommendation. A Southern peer of a
Southern State in need is a candidate South-South partner: it has done what the State in need is
asking for, and such peers come first.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from hrcoop.assistance.models import AssistanceRequest, ConfidentialField
from hrcoop.cooperation.modality import is_northern
from hrcoop.cooperation.needs import Need
from hrcoop.cooperation.vectors import recommendation_vectors
from hrcoop.recommendations.models import Recommendation
from hrcoop.reference.models import State
from hrcoop.tracking.models import ImplementationStatus, TrackedRecommendation
from hrcoop.tracking.selectors import published_plans

SIMILAR = 0.5
IMPLEMENTED = "implemented"  # the peer reports the recommendation implemented in its published plan
FUNDED = "funded"  # the peer received funded assistance for it
EVIDENCE_LABELS = {
    IMPLEMENTED: _("reports it implemented"),
    FUNDED: _("received funded assistance for it"),
}


@dataclass(frozen=True)
class Peer:
    state: State
    recommendation_id: str
    recommendation_text: str
    similarity: float
    south_south: bool  # both the peer and the State in need are outside the DAC
    evidence: str  # IMPLEMENTED or FUNDED
    request_id: str = ""  # the funded request (FUNDED)
    request_title: str = ""
    plan_id: int | None = None  # the published plan that reports it (IMPLEMENTED)

    @property
    def evidence_label(self) -> str:
        return str(EVIDENCE_LABELS[self.evidence])


@dataclass(frozen=True)
class _Candidate:
    state: State
    record: Recommendation
    evidence: str
    request: AssistanceRequest | None = None
    plan_id: int | None = None


def _funded(need: Need) -> list[_Candidate]:
    funded = (
        AssistanceRequest.objects.filter(allocations__isnull=False)
        .exclude(requesting_state=need.state)
        .select_related("requesting_state")
        .prefetch_related("recommendations")
        .distinct()
    )
    return [
        _Candidate(request.requesting_state, record, FUNDED, request=request)
        for request in funded
        if not request.is_confidential(ConfidentialField.RECOMMENDATIONS)
        for record in request.recommendations.all()
    ]


def _implemented(need: Need) -> list[_Candidate]:
    tracked = (
        TrackedRecommendation.objects.filter(
            plan__in=published_plans().values("pk"), status=ImplementationStatus.IMPLEMENTED
        )
        .exclude(plan__state=need.state)
        .select_related("plan__state", "recommendation")
        .order_by("pk")
    )
    return [_Candidate(t.plan.state, t.recommendation, IMPLEMENTED, plan_id=t.plan_id) for t in tracked]


def peers_for(need: Need, *, limit: int = 10) -> list[Peer]:
    assert need.vector is not None
    candidates = _implemented(need) + _funded(need)
    vectors = recommendation_vectors((c.record.pk, c.record.text) for c in candidates)
    best: dict[int, Peer] = {}
    southern_need = not is_northern(need.state)
    for candidate in candidates:
        similarity = float(vectors[candidate.record.pk] @ need.vector)
        state = candidate.state
        if similarity < SIMILAR or (state.pk in best and best[state.pk].similarity >= similarity):
            continue
        best[state.pk] = Peer(
            state=state,
            recommendation_id=candidate.record.public_id,
            recommendation_text=candidate.record.text,
            similarity=round(similarity, 3),
            south_south=southern_need and not is_northern(state),
            evidence=candidate.evidence,
            request_id=candidate.request.public_id if candidate.request else "",
            request_title=candidate.request.title if candidate.request else "",
            plan_id=candidate.plan_id,
        )
    return sorted(best.values(), key=lambda p: (not p.south_south, -p.similarity, p.state.name))[:limit]
