"""Sentence vectors of offers and needs, from the registry's multilingual encoder.

The encoder is the one search uses (``recommendations.search.embeddings``: multilingual USE, the six
UN languages in one space), so a French request and an English offer are compared directly. Offers
keep their vector (int8, 512 bytes) beside them; recommendations reuse the vector search already keeps,
and the few needs without one (requests, unindexed records) are encoded when asked.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from hrcoop.cooperation.models import Offer
from hrcoop.recommendations.search import embeddings
from hrcoop.recommendations.search.models import Embedding


def offer_text(offer: Offer) -> str:
    return f"{offer.title}. {offer.description}"


def offer_vector(offer: Offer) -> bytes:
    return embeddings.quantise(embeddings.encode([offer_text(offer)])[0])


def stored_vector(blob: bytes | memoryview) -> np.ndarray:
    return embeddings.dequantise(bytes(blob))


def recommendation_vectors(ids_and_texts: Iterable[tuple[int, str]]) -> dict[int, np.ndarray]:
    """Vectors of recommendations: those search keeps, and the rest encoded now."""
    wanted = dict(ids_and_texts)
    kept = {
        pk: stored_vector(blob)
        for pk, blob in Embedding.objects.filter(
            recommendation_id__in=list(wanted), model=embeddings.MODEL_NAME
        ).values_list("recommendation_id", "vector")
    }
    missing = [pk for pk in wanted if pk not in kept]
    if missing:
        for pk, vector in zip(missing, embeddings.encode([wanted[pk] for pk in missing]), strict=True):
            kept[pk] = vector
    return kept


def encode(texts: list[str]) -> np.ndarray:
    return embeddings.encode(texts) if texts else np.zeros((0, embeddings.DIMENSIONS), dtype=np.float32)
