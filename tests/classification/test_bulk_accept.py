"""Accepting every suggestion above its model's threshold: what the queue shows first, then one decision."""

from __future__ import annotations

import pytest
from django.test import Client

from hrcoop.core.audit import verify_audit_chain
from hrcoop.core.errors import Conflict, Forbidden, InvalidInput
from hrcoop.core.models import AuditEvent, User
from hrcoop.recommendations.classification import selectors, services
from hrcoop.recommendations.classification.models import ModelVersion
from hrcoop.recommendations.models import Classification, LabelKind, Provenance, Recommendation
from tests.classification.conftest import HELD_OUT_PRECISION, Make, Suggestions

pytestmark = pytest.mark.django_db
QUEUE = "/classification/review/"


def _above_in_session(suggestions: Suggestions, session: int) -> set[int]:
    rows, threshold = suggestions
    return {c.pk for c in rows if c.recommendation.session.number == session and c.confidence >= threshold}


def test_the_preview_counts_what_the_decision_then_accepts(
    open_suggestions: Suggestions, reviewer: User
) -> None:
    chosen = _above_in_session(open_suggestions, 9)
    preview = selectors.bulk_preview(reviewer, session=9)
    assert preview.count == len(chosen)
    assert preview.expected_precision == pytest.approx(HELD_OUT_PRECISION)
    events_before = AuditEvent.objects.filter(action="classification.accepted").count()

    accepted = services.accept_above_threshold(actor=reviewer, expected=preview.count, session=9)

    assert accepted == len(chosen)
    now = {c.pk: c for c in Classification.objects.filter(pk__in=[c.pk for c in open_suggestions[0]])}
    for pk, row in now.items():
        if pk in chosen:
            assert row.status == Classification.Status.ACCEPTED
            assert row.provenance == Provenance.PERSON and row.person == reviewer
        else:  # below the threshold, or another session: left for a person to look at
            assert row.status == Classification.Status.SUGGESTED and row.provenance == Provenance.MODEL
    events = AuditEvent.objects.filter(action="classification.accepted")
    assert events.count() - events_before == len(chosen)
    assert {e.data["above_threshold"] for e in events} == {True}
    assert verify_audit_chain() == []
    assert selectors.bulk_preview(reviewer, session=9).count == 0


def test_a_selection_that_changed_since_it_was_shown_is_refused_and_nothing_is_accepted(
    open_suggestions: Suggestions, reviewer: User
) -> None:
    shown = selectors.bulk_preview(reviewer, session=9).count
    with pytest.raises(Conflict, match=f"not the {shown - 1} shown"):
        services.accept_above_threshold(actor=reviewer, expected=shown - 1, session=9)
    assert not Classification.objects.filter(status=Classification.Status.ACCEPTED, person=reviewer).exists()


def test_a_version_without_a_threshold_accepts_nothing_in_bulk(
    open_suggestions: Suggestions, reviewer: User
) -> None:
    ModelVersion.objects.update(accept_threshold=None, accept_precision=None)
    assert selectors.bulk_preview(reviewer).count == 0
    with pytest.raises(InvalidInput, match="no open suggestion in this selection reaches"):
        services.accept_above_threshold(actor=reviewer)


def test_only_the_secretariat_accepts_in_bulk(open_suggestions: Suggestions, outsider: User) -> None:
    with pytest.raises(Forbidden):
        services.accept_above_threshold(actor=outsider, session=9)
    assert not Classification.objects.filter(status=Classification.Status.ACCEPTED, person=outsider).exists()


def test_the_queue_says_how_many_and_how_precise_before_the_one_action(
    open_suggestions: Suggestions, reviewer: User
) -> None:
    chosen = _above_in_session(open_suggestions, 9)
    client = Client()
    client.force_login(reviewer)
    page = client.get(QUEUE, {"session": "9"}).content.decode()
    assert f"{len(chosen)} suggestions in this view reach their model" in page
    assert "right 98.5 % of the time. Expected error rate of this decision: 1.5 %" in page
    assert f"Accept these {len(chosen)} suggestions" in page
    assert "`hrcoop" not in page and "hrcoop classify" not in page  # never a command to run

    response = client.post(
        QUEUE, {"bulk": "above-threshold", "expected": str(len(chosen)), "query": "session=9"}, follow=True
    )

    assert f"{len(chosen)} suggestion(s) accepted." in response.content.decode()
    accepted = set(
        Classification.objects.filter(status=Classification.Status.ACCEPTED, person=reviewer).values_list(
            "pk", flat=True
        )
    )
    assert accepted == chosen


def test_an_excluded_label_is_neither_learned_nor_suggested(
    registry: list[Recommendation], make_record: Make
) -> None:
    services.train(LabelKind.ISSUE, actor=None)
    new = make_record("Continue its efforts on the death penalty", session=9)
    services.apply(LabelKind.ISSUE, actor=None)
    death_penalty = Classification.objects.get(recommendation=new, label__code="death-penalty").label
    retired = {death_penalty.pk}

    services.apply(LabelKind.ISSUE, actor=None, excluded_label_ids=retired)
    assert not Classification.objects.filter(recommendation=new, label=death_penalty).exists()

    version = services.train(LabelKind.ISSUE, actor=None, excluded_label_ids=retired)
    assert "death-penalty" not in version.labels
    services.apply(LabelKind.ISSUE, actor=None)
    assert not Classification.objects.filter(recommendation=new, label=death_penalty).exists()


def test_a_label_its_source_retired_is_no_longer_suggested(
    registry: list[Recommendation], make_record: Make
) -> None:
    """A later export that drops a label from every record retires it (the import writer marks its
    classifications superseded): a model trained before still scores it, but apply never suggests it."""
    services.train(LabelKind.ISSUE, actor=None)
    new = make_record("Continue its efforts on the death penalty", session=9)
    services.apply(LabelKind.ISSUE, actor=None)
    death_penalty = Classification.objects.get(recommendation=new, label__code="death-penalty").label

    Classification.objects.filter(label=death_penalty, status=Classification.Status.ACCEPTED).update(
        status=Classification.Status.SUPERSEDED
    )
    services.apply(LabelKind.ISSUE, actor=None)

    assert not Classification.objects.filter(recommendation=new, label=death_penalty).exists()
