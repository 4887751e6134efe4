"""Ranked offers for a need, ranked needs for an offer, each match with the reasons it was ranked.

The score is the cosine similarity of the two texts' multilingual sentence vectors (``vectors``), plus
small bonuses for what the parties declared in common: shared UHRI themes, shared SDG goals, and
similar past cooperation of the same offer (a confirmed match whose need is close to this one). The
bonuses are capped so that the text decides: a shared label breaks a near-tie, it does not lift an
unrelated offer over a relevant one. ``hrcoop cooperation evaluate`` measures the text part on real
recommendations against a keyword-overlap baseline (docs/cooperation.md).

Filters: the offer's working languages, the regional group of the State in need (an offer that names
no region serves every region), and the modality the pair would have.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db.models import QuerySet

from hrcoop.cooperation.modality import offer_modality
from hrcoop.cooperation.models import Match, MatchStatus, Offer
from hrcoop.cooperation.needs import (
    Need,
    from_actions,
    from_clusters,
    from_recommendations,
    from_requests,
    open_needs,
)
from hrcoop.cooperation.selectors import published_offers
from hrcoop.cooperation.vectors import stored_vector

THEME_BONUS = 0.04  # per shared theme, at most three
SDG_BONUS = 0.02  # per shared SDG goal, at most three
PAST_BONUS = 0.03  # the offer already served a similar need
PAST_SIMILARITY = 0.5  # how close a past need must be to count as "similar"
# Below this the texts are about different things (an electoral register against a follow-up
# mechanism scores about 0.05): such pairs are not shown as matches.
MIN_SCORE = 0.2


@dataclass
class Ranked:
    offer: Offer
    need: Need
    score: float
    similarity: float
    modality: str
    modality_reason: str
    shared_themes: list[dict[str, str]] = field(default_factory=list)
    shared_sdgs: list[int] = field(default_factory=list)
    past: list[dict[str, Any]] = field(default_factory=list)

    def explanation(self) -> dict[str, Any]:
        """What the match page, the API and the stored match say about why it ranks where it does."""
        return {
            "similarity": round(self.similarity, 3),
            "shared_themes": self.shared_themes,
            "shared_sdgs": self.shared_sdgs,
            "past_cooperation": self.past,
            "modality": self.modality,
            "modality_reason": self.modality_reason,
        }


def combined_score(similarity: float, *, shared_themes: int, shared_sdgs: int, past: bool) -> float:
    return (
        similarity
        + THEME_BONUS * min(shared_themes, 3)
        + SDG_BONUS * min(shared_sdgs, 3)
        + (PAST_BONUS if past else 0.0)
    )


def _offer_labels(offer: Offer) -> tuple[dict[str, str], set[int]]:
    return {t.code: t.name for t in offer.themes.all()}, {g.number for g in offer.sdg_goals.all()}


def _past_needs(offers: list[Offer]) -> dict[int, list[Need]]:
    """The needs each offer already served in confirmed cooperation."""
    matches = list(
        Match.objects.filter(offer__in=offers, status=MatchStatus.CONFIRMED).select_related(
            "request__requesting_state",
            "recommendation__state_under_review",
            "action__cluster__plan__state",
            "cluster__plan__state",
        )
    )
    needs = (
        from_requests(m.request for m in matches if m.request)
        + from_recommendations(m.recommendation for m in matches if m.recommendation)
        + from_actions(m.action for m in matches if m.action)
        + from_clusters(m.cluster for m in matches if m.cluster)
    )
    by_identity = {n.identity: n for n in needs}
    out: dict[int, list[Need]] = {}
    for match in matches:
        out.setdefault(match.offer_id, []).append(by_identity[(match.need_kind, match.need_id)])
    return out


def _rank_pair(offer: Offer, need: Need, offer_vec: np.ndarray, past_needs: list[Need]) -> Ranked:
    assert need.vector is not None
    similarity = float(offer_vec @ need.vector)
    themes, sdgs = _offer_labels(offer)
    shared_themes = [{"code": c, "name": themes[c]} for c in sorted(themes.keys() & need.themes.keys())]
    shared_sdgs = sorted(sdgs & need.sdgs)
    past = [
        {
            "need": p.key,
            "kind": p.kind,
            "state": p.state.name,
            "similarity": round(float(p.vector @ need.vector), 3),
        }
        for p in past_needs
        if p.identity != need.identity
        and p.vector is not None
        and float(p.vector @ need.vector) >= PAST_SIMILARITY
    ]
    modality, reason = offer_modality(offer, need.state)
    return Ranked(
        offer=offer,
        need=need,
        score=combined_score(
            similarity, shared_themes=len(shared_themes), shared_sdgs=len(shared_sdgs), past=bool(past)
        ),
        similarity=similarity,
        modality=modality,
        modality_reason=reason,
        shared_themes=shared_themes,
        shared_sdgs=shared_sdgs,
        past=past[:3],
    )


def assess(offer: Offer, need: Need) -> Ranked:
    """One offer against one need, as the ranking would score and explain it (a proposed match keeps it)."""
    return _rank_pair(offer, need, stored_vector(offer.vector), _past_needs([offer]).get(offer.pk, []))


def _serves_region(offer: Offer, need: Need) -> bool:
    regions = {r.code for r in offer.regions.all()}
    return not regions or need.state.regional_group_id in regions


def rank_offers(
    need: Need,
    *,
    offers: QuerySet[Offer] | None = None,
    language: str = "",
    region: str = "",
    modality: str = "",
    limit: int = 10,
) -> list[Ranked]:
    """Published offers for one need, best first."""
    candidates = list(offers if offers is not None else published_offers())
    if language:
        candidates = [o for o in candidates if language in o.languages]
    if region and need.state.regional_group_id != region:
        return []
    candidates = [o for o in candidates if _serves_region(o, need) and bytes(o.vector)]
    past = _past_needs(candidates)
    ranked = [_rank_pair(o, need, stored_vector(o.vector), past.get(o.pk, [])) for o in candidates]
    ranked = [r for r in ranked if r.score >= MIN_SCORE and (not modality or r.modality == modality)]
    ranked.sort(key=lambda r: (-r.score, r.offer.pk))
    return ranked[:limit]


def rank_needs(
    offer: Offer,
    *,
    needs: list[Need] | None = None,
    language: str = "",
    region: str = "",
    modality: str = "",
    limit: int = 20,
) -> list[Ranked]:
    """Open needs for one offer, best first: requests, and recommendations that ask for assistance."""
    candidates = needs if needs is not None else open_needs()
    if language:
        candidates = [n for n in candidates if n.language in ("", language)]
    if region:
        candidates = [n for n in candidates if n.state.regional_group_id == region]
    candidates = [n for n in candidates if _serves_region(offer, n)]
    if not candidates or not bytes(offer.vector):
        return []
    past = _past_needs([offer]).get(offer.pk, [])
    offer_vec = stored_vector(offer.vector)
    ranked = [_rank_pair(offer, n, offer_vec, past) for n in candidates]
    ranked = [r for r in ranked if r.score >= MIN_SCORE and (not modality or r.modality == modality)]
    ranked.sort(key=lambda r: (-r.score, r.need.key))
    return ranked[:limit]
