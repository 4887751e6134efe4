"""Training, storing suggestions and reviewing them record audit events of their declared kinds: one per
training and per stored batch, one per label decided."""

from __future__ import annotations

import pytest

from hrcoop.core.models import User
from hrcoop.recommendations.classification import services
from hrcoop.recommendations.classification.actions import ClassificationAction
from hrcoop.recommendations.models import LabelKind, Recommendation
from tests.classification.conftest import Make, Suggestions
from tests.conftest import records_exactly

pytestmark = pytest.mark.django_db


def test_training_and_applying_record_one_event_each(
    registry: list[Recommendation], make_record: Make
) -> None:
    with records_exactly(ClassificationAction.MODEL_TRAINED):
        services.train(LabelKind.ISSUE, actor=None)
    make_record("Adopt a law on violence against women", session=9)
    with records_exactly(ClassificationAction.SUGGESTIONS_STORED):
        services.apply(LabelKind.ISSUE, actor=None)


def test_a_review_records_one_event_per_label_decided(open_suggestions: Suggestions, reviewer: User) -> None:
    rows, _threshold = open_suggestions
    with records_exactly(ClassificationAction.ACCEPTED):
        services.review([rows[0].pk], accept=True, actor=reviewer)
    with records_exactly(ClassificationAction.REJECTED, ClassificationAction.REJECTED):
        services.review([rows[1].pk, rows[2].pk], accept=False, actor=reviewer)
