"""The registry's tables after every migration: identity still unique, the listing's index still there,
and none of the indexes that migration 0005 dropped because no query used them and every import paid
for them."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from hrcoop.recommendations.models import Classification, Recommendation
from hrcoop.reference.models import Mechanism, State


def _indexes(model: type[Recommendation] | type[Classification]) -> dict[str, dict[str, object]]:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, model._meta.db_table)


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["identity_key", "public_id"])
def test_a_second_record_with_the_same_identity_is_refused_by_the_database(
    reference_data: None, field: str
) -> None:
    values = {
        "identity_key": "k1",
        "public_id": "RAAAAAAAAAA",
        "mechanism": Mechanism.objects.get(code="UPR"),
        "state_under_review": State.objects.get(iso3="KEN"),
        "text": "Ratify the Convention",
    }
    Recommendation.objects.create(**values)  # around the import writer: the database's check is tested
    other = {"identity_key": "k2", "public_id": "RBBBBBBBBBB"}
    del other[field]
    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(**{**values, **other})


@pytest.mark.django_db
def test_the_registry_keeps_only_the_indexes_its_queries_use() -> None:
    records = _indexes(Recommendation)
    indexed = [c["columns"] for c in records.values() if c["index"] or c["unique"]]
    assert "recommendation_newest_first" in records  # migration 0004's, which model state does not hold
    for column in ("source_id", "mechanism_id", "cycle_id"):
        assert [column] not in indexed, f"{column} is indexed again"
    assert not [name for name in records if name.endswith("_like")]

    person = [c for c in _indexes(Classification).values() if c["columns"] == ["person_id"] and c["index"]]
    assert len(person) == 1
