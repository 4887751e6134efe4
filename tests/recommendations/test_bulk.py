"""Keys the bulk writer reserves for new records are never handed out again, by it or by the ORM."""

from __future__ import annotations

import pytest

from hrcoop.recommendations.bulk import reserve_ids
from hrcoop.recommendations.models import Recommendation
from hrcoop.reference.models import Mechanism, State


def _create(n: int) -> Recommendation:
    """A row written by the ORM, around the import writer: whether its key collides is the test."""
    return Recommendation.objects.create(
        identity_key=f"k{n}",
        public_id=f"R{n:010d}",
        mechanism=Mechanism.objects.get(code="UPR"),
        state_under_review=State.objects.get(iso3="KEN"),
        text=f"Recommendation {n}",
    )


@pytest.mark.django_db
def test_reserved_keys_are_fresh_before_and_after_rows_written_by_the_orm(reference_data: None) -> None:
    first = reserve_ids(Recommendation, 3)  # on an empty table
    assert len(set(first)) == 3
    made = _create(1)
    assert made.pk not in first
    second = reserve_ids(Recommendation, 2)
    assert min(second) > max(made.pk, *first)
    assert _create(2).pk > max(second)
    assert reserve_ids(Recommendation, 0) == []
