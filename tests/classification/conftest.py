"""A small synthetic registry whose labels follow the words, so that a model can learn them in a second."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from pathlib import Path

import pytest

from hrcoop.core.models import Role, User
from hrcoop.recommendations.classification import services
from hrcoop.recommendations.classification.models import ModelVersion
from hrcoop.recommendations.models import Classification, LabelKind, Provenance, Recommendation
from hrcoop.reference.models import State, UprSession
from tests.factories import announce_records, make_recommendation, make_user

TOPICS = {
    "torture": [
        "torture in places of detention",
        "the Convention against Torture",
        "ill-treatment by police",
    ],
    "womens-rights": ["violence against women", "equality between women and men", "women in political life"],
    "child": ["the rights of the child", "child labour", "birth registration of every child"],
    "death-penalty": ["the death penalty", "a moratorium on executions", "capital punishment"],
}
VERBS = {
    "2": "Continue its efforts on",
    "3": "Consider action on",
    "4": "Take measures on",
    "5": "Adopt a law on",
}
SUFFIXES = ["", " without delay", " in all regions", " with civil society", " as a priority"]

Make = Callable[..., Recommendation]
Suggestions = tuple[list[Classification], float]
HELD_OUT_PRECISION = 0.985


@pytest.fixture
def make_record(reference_data: None) -> Make:
    state = State.objects.get(iso3="KEN")
    counter = itertools.count()

    def make(
        text: str,
        *,
        session: int = 1,
        labels: dict[str, list[str]] | None = None,
        provenance: str = Provenance.IMPORTED,
        announce: bool = True,
    ) -> Recommendation:
        n = next(counter)
        upr_session = UprSession.objects.get(number=session)
        return make_recommendation(
            f"TC{n:06d}",
            state,
            text,
            identity_key=hashlib.sha256(f"{n}{text}".encode()).hexdigest(),
            session=upr_session,
            cycle=upr_session.cycle,
            labels=labels,
            provenance=provenance,
            announce=announce,
        )

    return make


@pytest.fixture
def registry(make_record: Make) -> list[Recommendation]:
    """160 labelled records over sessions 1-8: issue from the topic, action category from the verb."""
    records = []
    topics = list(TOPICS.items())
    for i, ((action, verb), (issue, phrases), suffix) in enumerate(
        itertools.product(VERBS.items(), topics, SUFFIXES)
    ):
        for j, phrase in enumerate(phrases[:2]):
            second = topics[(i + j) % len(topics)]
            text = f"{verb} {phrase}{suffix}"
            issues = [issue]
            if j == 1:  # every other record is about two issues
                text += f" and on {second[1][2]}"
                issues = sorted({issue, second[0]})
            records.append(
                make_record(
                    text,
                    session=1 + (i * 2 + j) % 8,
                    labels={LabelKind.ISSUE: issues, LabelKind.ACTION_CATEGORY: [action]},
                    announce=False,
                )
            )
    announce_records(records)
    return records


@pytest.fixture(autouse=True)
def _model_dir(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.HRCOOP_MODEL_DIR = str(tmp_path / "models")  # type: ignore[attr-defined]


@pytest.fixture
def reviewer(db: None) -> User:
    return make_user("reviewer", Role.SECRETARIAT, email="", password="pw-reviewer-1")


@pytest.fixture
def outsider(db: None) -> User:
    return make_user("contributor", Role.CONTRIBUTOR, email="", password="pw-contributor-1")


@pytest.fixture
def open_suggestions(registry: list[Recommendation], make_record: Make) -> Suggestions:
    """Suggestions for two new sessions (9 and 10), and the threshold their version is given: the
    middle of session 9's confidences, as a training on real sessions would choose one (the tiny
    registry's own held-out choice would accept everything or nothing)."""
    version = services.train(LabelKind.ISSUE, actor=None)
    for session in (9, 10):
        make_record("Adopt a law on violence against women and on child labour", session=session)
        make_record("Continue its efforts on the death penalty", session=session)
        make_record(
            "Consider action on the rights of the child and a moratorium on executions", session=session
        )
    services.apply(LabelKind.ISSUE, actor=None)
    rows = list(Classification.objects.filter(status=Classification.Status.SUGGESTED).order_by("pk"))
    levels = sorted({c.confidence for c in rows if c.recommendation.session.number == 9})
    assert len(levels) >= 2, "the test needs suggestions on both sides of the threshold"
    threshold = levels[len(levels) // 2]
    ModelVersion.objects.filter(pk=version.pk).update(
        accept_threshold=threshold, accept_precision=HELD_OUT_PRECISION
    )
    return rows, threshold
