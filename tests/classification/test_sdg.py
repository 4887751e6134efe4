"""SDG goals from the SDG texts in six languages, blended with the few labelled records."""

from __future__ import annotations

import pytest

from hrcoop.recommendations.classification import services
from hrcoop.recommendations.classification.sdg import SdgModel, embed, evaluate_sdg
from hrcoop.recommendations.models import (
    Classification,
    Label,
    LabelKind,
    Provenance,
    Recommendation,
)
from hrcoop.recommendations.registry_version import reference_version
from hrcoop.reference.services import load_sdg_texts
from tests.classification.conftest import Make
from tests.conftest import shared_data

pytestmark = pytest.mark.django_db

LABELLED = [
    ("Eliminate all forms of violence against women and girls", ["5"]),
    ("Guarantee equal pay for women and men", ["5", "8"]),
    ("Ensure free primary education for all children", ["4"]),
    ("Improve access of girls to secondary school", ["4", "5"]),
    ("Strengthen the independence of the judiciary and access to justice", ["16"]),
    ("End torture and ill-treatment in places of detention", ["16"]),
    ("Reduce maternal mortality and improve access to health care", ["3"]),
    ("Ensure access to safe drinking water and sanitation", ["6"]),
    ("Combat child labour and forced labour", ["8"]),
    ("Eradicate extreme poverty in rural areas", ["1"]),
]


@pytest.fixture
def sdg_texts(reference_data: None) -> None:
    load_sdg_texts(shared_data("sdg_open_sdg"))


def test_sdg_texts_alone_find_the_goal_in_any_language(sdg_texts: None) -> None:
    model = SdgModel.build(LabelKind.SDG_GOAL, embed([]), [])
    assert len(model.labels) == 17
    predicted = model.predict(
        [
            "Ensure access to safe drinking water and sanitation for all",
            "Garantizar el acceso al agua potable y al saneamiento",  # the same, in Spanish
        ]
    )
    assert all("6" in [code for code, _ in labels] for labels in predicted)


def test_evaluation_reports_precision_and_recall_for_both_methods(sdg_texts: None, make_record: Make) -> None:
    for text, goals in LABELLED:
        make_record(text, session=30, labels={LabelKind.SDG_GOAL: goals})
    figures = evaluate_sdg(LabelKind.SDG_GOAL)
    assert figures["records"] == len(LABELLED)
    for method in ("text_only", "text_and_labels"):
        assert 0.3 <= figures[method]["recall"] <= 1 and 0 < figures[method]["precision"] <= 1
    assert figures["precision"] == figures["text_and_labels"]["precision"]
    assert figures["folds"] == "5 folds of records (one document)"  # the fixture's records share none
    carried = {goal for _, goals in LABELLED for goal in goals}
    per_goal = figures["per_goal"]
    assert carried <= set(per_goal)
    assert sum(per_goal[goal]["support"] for goal in carried) == sum(len(goals) for _, goals in LABELLED)
    assert all(0 <= f["precision"] <= 1 and 0 <= f["recall"] <= 1 for f in per_goal.values())


def test_sdg_suggestions_for_unlabelled_records(sdg_texts: None, make_record: Make) -> None:
    record: Recommendation = make_record("Reduce maternal and child mortality through better health care")
    services.train(LabelKind.SDG_GOAL, actor=None)  # no labelled record yet: the texts suffice
    before = reference_version() or (0, None)
    services.apply(LabelKind.SDG_GOAL, actor=None)
    # Every goal gets its label row, in one change of the reference rows' version.
    assert Label.objects.filter(kind=LabelKind.SDG_GOAL).count() == 17
    assert reference_version()[0] == before[0] + 1  # type: ignore[index]
    services.apply(LabelKind.SDG_GOAL, actor=None)
    assert reference_version()[0] == before[0] + 1  # type: ignore[index]
    suggested = Classification.objects.filter(recommendation=record, kind=LabelKind.SDG_GOAL)
    assert "3" in {c.label.code for c in suggested}
    assert all(c.provenance == Provenance.MODEL and c.status == "suggested" for c in suggested)
