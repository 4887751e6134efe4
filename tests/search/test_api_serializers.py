"""The record serializers write their output by hand for speed: it must stay what DRF's own
field-by-field path makes of the same declared fields, key for key and value for value."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from rest_framework import serializers

from hrcoop.core.models import User
from hrcoop.recommendations.api import ClassificationSerializer, RecommendationSerializer
from hrcoop.recommendations.models import Classification, LabelKind, Provenance, Recommendation
from hrcoop.recommendations.selectors import records_in_order
from hrcoop.reference.api import StateRefSerializer
from tests.factories import make_label


def _drf(serializer: serializers.Serializer, instance: object) -> dict[str, object]:
    return dict(serializers.Serializer.to_representation(serializer, instance))


@pytest.mark.django_db
def test_hand_written_output_is_drfs_own(corpus: dict[str, Recommendation]) -> None:
    press = corpus["press"]
    # A label set by a person, with a confidence: the row a review leaves of a model's suggestion, written
    # here because no model is trained for these tests.
    Classification.objects.create(
        recommendation=press,
        label=make_label(LabelKind.THEME, "media", "Media"),
        kind=LabelKind.THEME,
        provenance=Provenance.PERSON,
        person=User.objects.create_user("reviewer", password="pw-reviewer-1"),
        confidence=0.75,
    )
    Recommendation.objects.filter(pk=corpus["nhri"].pk).update(date=None, session=None, cycle=None)
    request = RequestFactory().get("/api/recommendations/", SERVER_NAME="testserver")
    records = records_in_order([r.pk for r in corpus.values()])
    serializer = RecommendationSerializer(context={"request": request})

    for record in records:
        mine, drf = serializer.to_representation(record), _drf(serializer, record)
        assert list(mine) == list(drf) and mine == drf
        assert mine["url"] == f"http://testserver/recommendations/{record.public_id}/"
        for state in [record.state_under_review, *record.recommending_states.all()]:
            assert StateRefSerializer().to_representation(state) == _drf(StateRefSerializer(), state)
        for classification in record.accepted_classifications:
            assert ClassificationSerializer().to_representation(classification) == _drf(
                ClassificationSerializer(), classification
            )
    shown = {r.public_id: serializer.to_representation(r) for r in records}
    assert shown[corpus["nhri"].public_id]["date"] is None
    assert {"kind": "theme", "code": "media", "name": "Media", "provenance": "person"}.items() <= next(
        c for c in shown[press.public_id]["classifications"] if c["kind"] == "theme"
    ).items()
