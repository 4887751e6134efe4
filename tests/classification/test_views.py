"""The review queue (secretariat only, filters, single and bulk decisions) and the public methods page."""

from __future__ import annotations

import html

import pytest
from django.test import Client

from hrcoop.core.models import User
from hrcoop.recommendations.classification import services
from hrcoop.recommendations.classification.evaluation import summary
from hrcoop.recommendations.models import Classification, LabelKind, Provenance, Recommendation
from tests.classification.conftest import Make

pytestmark = pytest.mark.django_db
QUEUE = "/classification/review/"


@pytest.fixture
def suggestions(registry: list[Recommendation], make_record: Make) -> list[Classification]:
    services.train(LabelKind.ISSUE, actor=None)
    make_record("Adopt a law on violence against women and on child labour", session=9)
    make_record("Continue its efforts on the death penalty", session=9)
    services.apply(LabelKind.ISSUE, actor=None)
    return list(Classification.objects.filter(status=Classification.Status.SUGGESTED).order_by("pk"))


def test_queue_needs_a_login_and_the_secretariat_role(
    suggestions: list[Classification], outsider: User
) -> None:
    client = Client()
    assert client.get(QUEUE).status_code == 302  # to the login page
    client.force_login(outsider)
    response = client.get(QUEUE)
    assert response.status_code == 403
    assert "only the secretariat or an administrator may review suggested labels" in response.content.decode()
    response = client.post(QUEUE, {"ids": [suggestions[0].pk], "decision": "accept"})
    assert response.status_code == 403
    assert Classification.objects.get(pk=suggestions[0].pk).status == Classification.Status.SUGGESTED


def test_queue_filters_by_label_and_confidence(suggestions: list[Classification], reviewer: User) -> None:
    client = Client()
    client.force_login(reviewer)
    page = client.get(QUEUE, {"kind": LabelKind.ISSUE, "label": "death-penalty"}).content.decode()
    assert "Continue its efforts on the death penalty" in page
    assert "violence against women" not in page
    assert "0 suggestions" in client.get(QUEUE, {"min": "1.01"}).content.decode()


def test_queue_narrows_to_a_session_and_a_state_under_review(
    suggestions: list[Classification], make_record: Make, reviewer: User
) -> None:
    make_record("Take measures on torture in places of detention", session=10)
    services.apply(LabelKind.ISSUE, actor=None)
    client = Client()
    client.force_login(reviewer)

    page = client.get(QUEUE, {"session": "10"}).content.decode()
    assert "torture in places of detention" in page and "death penalty" not in page
    page = client.get(QUEUE, {"session": "9", "state": "KEN"}).content.decode()
    assert "death penalty" in page and "torture in places of detention" not in page
    assert '<option value="KEN" selected>Kenya</option>' in page  # only States with suggestions are listed
    assert '<option value="FRA"' not in page
    assert "0 suggestions" in client.get(QUEUE, {"state": "FRA"}).content.decode()


def test_bulk_accept_and_single_reject(suggestions: list[Classification], reviewer: User) -> None:
    client = Client()
    client.force_login(reviewer)
    first, *rest = suggestions
    response = client.post(QUEUE, {"ids": [c.pk for c in rest], "decision": "accept", "query": "kind=issue"})
    assert response.status_code == 302 and response["Location"].endswith("?kind=issue")
    response = client.post(QUEUE, {"one": f"reject:{first.pk}"})
    assert response.status_code == 302
    decided = {c.pk: c for c in Classification.objects.filter(pk__in=[c.pk for c in suggestions])}
    assert decided[first.pk].status == Classification.Status.REJECTED
    assert all(decided[c.pk].status == Classification.Status.ACCEPTED for c in rest)
    assert all(c.provenance == Provenance.PERSON and c.person == reviewer for c in decided.values())


def test_a_choice_without_a_decision_decides_nothing(
    suggestions: list[Classification], reviewer: User
) -> None:
    client = Client()
    client.force_login(reviewer)
    response = client.post(QUEUE, {"ids": [c.pk for c in suggestions]}, follow=True)
    assert "decision: choose whether to accept or reject the suggestions" in response.content.decode()
    statuses = Classification.objects.filter(pk__in=[c.pk for c in suggestions]).values_list(
        "status", flat=True
    )
    assert set(statuses) == {Classification.Status.SUGGESTED}


def test_methods_page_is_public_and_shows_the_measured_figures(db: None) -> None:
    client = Client()
    page = client.get("/classification/").content.decode()
    assert "No evaluation has been run" in page
    per_label = {"torture": {"precision": 0.9, "recall": 0.8, "f1": 0.85, "support": 12}}
    details = {
        "issues": {
            "micro_f1": 0.8765,
            "macro_f1": 0.8123,
            "train": 100,
            "test": 40,
            "test_only_labels": ["Business"],
            "per_label": per_label,
            "baseline": {"micro_f1": 0.8511, "macro_f1": 0.7911, "per_label": per_label},
        },
        "sdg_goals": {"error": "no labelled records"},
    }
    services.record_evaluation(
        {"summary": summary(details, train=100, test=40), "details": details},
        train_sessions="1-16",
        test_sessions="17-20",
        actor=None,
    )
    page = client.get("/classification/").content.decode()
    assert "0.877" in page and "0.851" in page and "Business" in page and "1-16" in page


def test_a_decision_on_decided_suggestions_is_refused_in_french_on_the_french_queue(
    suggestions: list[Classification], reviewer: User
) -> None:
    first, *_rest = suggestions
    services.review([first.pk], accept=False, actor=reviewer)
    client = Client()
    client.force_login(reviewer)
    response = client.post(f"/fr{QUEUE}", {"ids": [first.pk], "decision": "accept"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(f"/fr{QUEUE}")
    page = html.unescape(response.content.decode())
    assert f"ids: il a déjà été statué sur les suggestions [{first.pk}] ; rechargez la file d'attente" in page
    assert Classification.objects.get(pk=first.pk).status == Classification.Status.REJECTED


def test_the_review_queue_and_the_methods_page_never_tell_a_person_to_run_a_command(
    reviewer: User,
) -> None:
    client = Client()
    client.force_login(reviewer)
    queue = client.get(QUEUE).content.decode()
    assert "No model has been trained on this site yet" in queue
    methods = Client().get("/classification/").content.decode()
    for page in (queue, methods):
        assert "`hrcoop" not in page and "<code>hrcoop" not in page and "<pre>hrcoop" not in page
