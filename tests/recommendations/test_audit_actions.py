"""An import records the file, then the responses it brought to records already there; a correction
records one event."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrcoop.recommendations.actions import RecommendationAction
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.services.corrections import update_recommendation
from tests.conftest import records_exactly
from tests.recommendations.test_responses_arrive import DEATH_PENALTY, imported, rows
from tests.recommendations.upr_info_fixtures import write_2018

pytestmark = pytest.mark.django_db


def test_imports_and_a_correction_record_their_events(reference_data: None, tmp_path: Path) -> None:
    with records_exactly(RecommendationAction.FILE_IMPORTED):
        imported(write_2018(tmp_path / "before.csv", rows("", DEATH_PENALTY)))
    with records_exactly(RecommendationAction.RESPONSE_RECORDED, RecommendationAction.FILE_IMPORTED):
        imported(write_2018(tmp_path / "after.csv", rows("Supported", DEATH_PENALTY)))
    with records_exactly(RecommendationAction.CORRECTED):
        update_recommendation(Recommendation.objects.get(), actor=None, changes={"response": "noted"})
