"""Training from the registry, suggestions that never overwrite, and review decisions."""

from __future__ import annotations

import pytest
from django.test import Client

from hrcoop.core.audit import verify_audit_chain
from hrcoop.core.errors import Conflict, Forbidden, InvalidInput
from hrcoop.core.models import AuditEvent, User
from hrcoop.recommendations.classification import services
from hrcoop.recommendations.classification.models import ModelVersion
from hrcoop.recommendations.models import Classification, Label, LabelKind, Provenance, Recommendation
from tests.classification.conftest import Make

pytestmark = pytest.mark.django_db


def test_empty_registry_says_what_to_do(reference_data: None) -> None:
    with pytest.raises(
        InvalidInput, match=r"no record carries an accepted issue label.*hrcoop import upr-info"
    ):
        services.train(LabelKind.ISSUE, actor=None)
    assert not ModelVersion.objects.exists()


def test_one_label_registry_is_refused_clearly(make_record: Make) -> None:
    for i in range(12):
        make_record(
            f"Ratify treaty number {i}",
            labels={LabelKind.ISSUE: ["instruments"], LabelKind.ACTION_CATEGORY: ["5"]},
        )
    with pytest.raises(InvalidInput, match=r"1 label\(s\) \(instruments\).*at least two labels"):
        services.train(LabelKind.ISSUE, actor=None)
    with pytest.raises(InvalidInput, match="same label \\(5\\)"):
        services.train(LabelKind.ACTION_CATEGORY, actor=None)
    assert not ModelVersion.objects.exists()


def test_train_apply_suggests_for_unlabelled_records(
    registry: list[Recommendation], make_record: Make
) -> None:
    version = services.train(LabelKind.ISSUE, actor=None)
    assert version.active and version.records == len(registry)
    assert sorted(version.labels) == ["child", "death-penalty", "torture", "womens-rights"]
    new = make_record("Adopt a law on the death penalty", session=9)

    counts = services.apply(LabelKind.ISSUE, actor=None)

    assert counts["records"] == 1 and counts["created"] >= 1
    suggestion = Classification.objects.get(recommendation=new, label__code="death-penalty")
    assert suggestion.status == Classification.Status.SUGGESTED
    assert suggestion.provenance == Provenance.MODEL
    assert suggestion.model_version == version.version
    assert suggestion.confidence is not None and 0.0 < suggestion.confidence <= 1.0
    assert AuditEvent.objects.filter(action="classification.suggestions_stored").count() == 1


def test_imported_and_human_labels_are_never_overwritten(
    registry: list[Recommendation], reviewer: User
) -> None:
    services.train(LabelKind.ISSUE, actor=None)
    record = registry[0]  # imported "torture"; we also give it a human rejection of "child"
    child = Label.objects.get(kind=LabelKind.ISSUE, code="child")
    # The row a review leaves, written directly: this model does not suggest "child" here to review.
    rejected = Classification.objects.create(
        recommendation=record,
        label=child,
        kind=LabelKind.ISSUE,
        status=Classification.Status.REJECTED,
        provenance=Provenance.PERSON,
        person=reviewer,
    )
    before = {
        (c.pk, c.status, c.provenance, c.person_id, c.model_version) for c in record.classifications.all()
    }

    services.apply(LabelKind.ISSUE, actor=None, include_labelled=True)
    services.apply(LabelKind.ISSUE, actor=None, include_labelled=True)  # twice: refresh, not duplicate

    after = {
        (c.pk, c.status, c.provenance, c.person_id, c.model_version)
        for c in record.classifications.all()
        if c.provenance != Provenance.MODEL
    }
    assert after == before
    rejected.refresh_from_db()
    assert rejected.status == Classification.Status.REJECTED and rejected.provenance == Provenance.PERSON


def test_a_new_version_withdraws_only_its_own_open_suggestions(
    registry: list[Recommendation], make_record: Make
) -> None:
    services.train(LabelKind.ISSUE, actor=None)
    new = make_record("Take measures on child labour", session=9)
    services.apply(LabelKind.ISSUE, actor=None)
    torture = Label.objects.get(kind=LabelKind.ISSUE, code="torture")
    # An open suggestion of an older version, as apply stored it then (no second model is trained).
    stale = Classification.objects.create(
        recommendation=new,
        label=torture,
        kind=LabelKind.ISSUE,
        status=Classification.Status.SUGGESTED,
        provenance=Provenance.MODEL,
        model_version="issue-old",
        confidence=0.4,
    )
    counts = services.apply(LabelKind.ISSUE, actor=None)
    assert counts["withdrawn"] == 1
    assert not Classification.objects.filter(pk=stale.pk).exists()


def test_review_records_the_reviewer_and_feeds_the_next_training(
    registry: list[Recommendation], make_record: Make, reviewer: User
) -> None:
    services.train(LabelKind.ACTION_CATEGORY, actor=None)
    new = make_record("Consider action on capital punishment", session=9)
    services.apply(LabelKind.ACTION_CATEGORY, actor=None)
    suggestion = Classification.objects.get(recommendation=new, kind=LabelKind.ACTION_CATEGORY)

    assert services.review([suggestion.pk], accept=True, actor=reviewer) == 1

    suggestion.refresh_from_db()
    assert suggestion.status == Classification.Status.ACCEPTED
    assert suggestion.provenance == Provenance.PERSON and suggestion.person == reviewer
    assert AuditEvent.objects.filter(action="classification.accepted", actor=reviewer).count() == 1
    version = services.train(LabelKind.ACTION_CATEGORY, actor=reviewer)
    assert version.records == len(registry) + 1
    assert ModelVersion.objects.filter(kind=LabelKind.ACTION_CATEGORY, active=True).get() == version


def test_an_accepted_suggestion_reaches_the_api_at_once(
    registry: list[Recommendation], make_record: Make, reviewer: User, client: Client
) -> None:
    services.train(LabelKind.ACTION_CATEGORY, actor=None)
    new = make_record("Consider action on capital punishment", session=9)
    services.apply(LabelKind.ACTION_CATEGORY, actor=None)
    suggestion = Classification.objects.get(recommendation=new, kind=LabelKind.ACTION_CATEGORY)
    url = f"/api/recommendations/{new.public_id}/"
    assert client.get(url).json()["classifications"] == []  # a suggestion is not shown; now cached

    services.review([suggestion.pk], accept=True, actor=reviewer)

    shown = client.get(url).json()["classifications"]
    assert [(c["kind"], c["provenance"]) for c in shown] == [("action_category", "person")]


def test_review_is_for_the_secretariat_only(
    registry: list[Recommendation], make_record: Make, outsider: User
) -> None:
    services.train(LabelKind.ISSUE, actor=None)
    make_record("Adopt a law on torture", session=9)
    services.apply(LabelKind.ISSUE, actor=None)
    suggestion = Classification.objects.filter(status=Classification.Status.SUGGESTED).first()
    assert suggestion is not None
    with pytest.raises(Forbidden):
        services.review([suggestion.pk], accept=True, actor=outsider)
    suggestion.refresh_from_db()
    assert suggestion.status == Classification.Status.SUGGESTED


def test_deciding_twice_is_a_conflict_and_changes_nothing(
    registry: list[Recommendation], make_record: Make, reviewer: User
) -> None:
    services.train(LabelKind.ISSUE, actor=None)
    make_record("Adopt a law on violence against women", session=9)
    services.apply(LabelKind.ISSUE, actor=None)
    ids = list(
        Classification.objects.filter(status=Classification.Status.SUGGESTED).values_list("pk", flat=True)
    )
    services.review(ids[:1], accept=False, actor=reviewer)
    with pytest.raises(Conflict, match="already decided"):
        services.review(ids, accept=True, actor=reviewer)
    assert Classification.objects.get(pk=ids[0]).status == Classification.Status.REJECTED


def _action_suggestion(record: Recommendation, code: str) -> Classification:
    """A model's suggestion of ``code`` with a chosen confidence, as ``services.apply`` would store it."""
    return Classification.objects.create(
        recommendation=record,
        label=Label.objects.get(kind=LabelKind.ACTION_CATEGORY, code=code),
        kind=LabelKind.ACTION_CATEGORY,
        status=Classification.Status.SUGGESTED,
        provenance=Provenance.MODEL,
        model_version="action_category-test",
        confidence=0.5,
    )


def test_a_second_action_category_is_refused_and_nothing_changes(
    registry: list[Recommendation], make_record: Make, reviewer: User
) -> None:
    new = make_record("Consider action on capital punishment", session=9)
    first, second = _action_suggestion(new, "3"), _action_suggestion(new, "4")
    other = _action_suggestion(make_record("Continue its work on torture", session=9), "2")

    with pytest.raises(Conflict, match=f"recommendation {new.public_id} has two action_category suggestions"):
        services.review([first.pk, second.pk, other.pk], accept=True, actor=reviewer)
    assert services.review([first.pk], accept=True, actor=reviewer) == 1
    with pytest.raises(
        Conflict, match=f"recommendation {new.public_id} already has an accepted action_category"
    ):
        services.review([other.pk, second.pk], accept=True, actor=reviewer)

    assert Classification.objects.get(pk=other.pk).status == Classification.Status.SUGGESTED
    assert Classification.objects.get(pk=second.pk).status == Classification.Status.SUGGESTED
    assert AuditEvent.objects.filter(action="classification.accepted").count() == 1


def test_a_bulk_decision_records_one_chained_event_per_label(
    registry: list[Recommendation], make_record: Make, reviewer: User
) -> None:
    suggestions = [
        _action_suggestion(make_record(f"Consider reform number {i}", session=9), "3") for i in range(5)
    ]

    assert services.review([s.pk for s in suggestions], accept=False, actor=reviewer) == 5

    events = AuditEvent.objects.filter(action="classification.rejected").order_by("pk")
    assert [e.target_id for e in events] == [str(s.pk) for s in suggestions]
    assert {e.actor_id for e in events} == {reviewer.pk}
    assert verify_audit_chain() == []
