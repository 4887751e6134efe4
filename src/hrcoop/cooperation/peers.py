"""Peers who did it: States that had a similar recommendation and received funded assistance for it.

For a need, the candidates are the other States' requests for assistance that a fund allocated money
to, through the recommendations they are linked to: a peer is a State whose linked recommendation is
close to the need (cosine of the multilingual vectors at least ``SIMILAR``). A Southern peer of a
Southern State in need is a candidate South-South partner: it has done, with support, what the State
in need is asking for. Links a State marked confidential are not read.

After the tracker is merged, a State that reports a similar recommendation implemented is a peer too
(docs/cooperation.md, "After the tracker").
"""

from __future__ import annotations

from dataclasses import dataclass

from hrcoop.assistance.models import AssistanceRequest, ConfidentialField
from hrcoop.cooperation.modality import is_northern
from hrcoop.cooperation.needs import Need
from hrcoop.cooperation.vectors import recommendation_vectors
from hrcoop.reference.models import State

SIMILAR = 0.5


@dataclass(frozen=True)
class Peer:
    state: State
    recommendation_id: str
    recommendation_text: str
    request_id: str
    request_title: str
    similarity: float
    south_south: bool  # both the peer and the State in need are outside the DAC


def peers_for(need: Need, *, limit: int = 10) -> list[Peer]:
    assert need.vector is not None
    funded = (
        AssistanceRequest.objects.filter(allocations__isnull=False)
        .exclude(requesting_state=need.state)
        .select_related("requesting_state")
        .prefetch_related("recommendations")
        .distinct()
    )
    links = [
        (request, record)
        for request in funded
        if not request.is_confidential(ConfidentialField.RECOMMENDATIONS)
        for record in request.recommendations.all()
    ]
    vectors = recommendation_vectors((record.pk, record.text) for _, record in links)
    best: dict[int, Peer] = {}
    southern_need = not is_northern(need.state)
    for request, record in links:
        similarity = float(vectors[record.pk] @ need.vector)
        state = request.requesting_state
        if similarity < SIMILAR or (state.pk in best and best[state.pk].similarity >= similarity):
            continue
        best[state.pk] = Peer(
            state=state,
            recommendation_id=record.public_id,
            recommendation_text=record.text,
            request_id=request.public_id,
            request_title=request.title,
            similarity=round(similarity, 3),
            south_south=southern_need and not is_northern(state),
        )
    return sorted(best.values(), key=lambda p: (not p.south_south, -p.similarity, p.state.name))[:limit]
