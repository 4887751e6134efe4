"""The tracker's writes: who may make them, what they refuse, that a refusal changes nothing, that each
is audited, and that a gap becomes a draft request for assistance carrying its recommendations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from hrcoop.assistance.models import Status
from hrcoop.core.audit import events_for
from hrcoop.core.errors import Conflict, Forbidden, InvalidInput
from hrcoop.core.money import Money
from hrcoop.tracking import services
from hrcoop.tracking.models import (
    Action,
    Evidence,
    ImplementationStatus,
    Indicator,
    ProgressUpdate,
    TrackedRecommendation,
)
from tests.tracking.conftest import World


def test_a_recommendation_sits_in_one_cluster_per_plan(world: World) -> None:
    focal_point = world.users["focal point of the State"]
    moved = services.create_cluster(world.plan, actor=focal_point, title="Moved", public_ids=["R-1", "R-3"])
    places = dict(
        TrackedRecommendation.objects.filter(plan=world.plan).values_list(
            "recommendation__public_id", "cluster"
        )
    )
    assert places == {"R-1": moved.pk, "R-2": world.clusters["ombudsman"].pk, "R-3": moved.pk}
    with pytest.raises(InvalidInput, match="two clusters"):
        services.accept_suggestions(
            world.plan,
            actor=focal_point,
            suggestions=[
                services.SuggestedCluster("A", ("R-1",)),
                services.SuggestedCluster("B", ("R-1", "R-2")),
            ],
        )
    assert TrackedRecommendation.objects.get(plan=world.plan, recommendation__public_id="R-2").cluster_id == (
        world.clusters["ombudsman"].pk
    )


def test_another_states_recommendation_cannot_join_the_plan(world: World) -> None:
    with pytest.raises(InvalidInput, match="R-foreign"):
        services.add_recommendations(
            world.plan, actor=world.users["focal point of the State"], public_ids=["R-foreign"]
        )
    assert not TrackedRecommendation.objects.filter(recommendation__public_id="R-foreign").exists()


@pytest.mark.parametrize(
    "reader", ["institution member", "focal point of another State", "secretariat", "public"]
)
def test_only_the_focal_point_coordinates(world: World, reader: str) -> None:
    actor = world.users[reader]
    tracked = TrackedRecommendation.objects.get(plan=world.plan, recommendation__public_id="R-1")
    with pytest.raises(Forbidden):
        services.set_status(tracked, actor=actor, status=ImplementationStatus.IMPLEMENTED)
    with pytest.raises(Forbidden):
        services.publish_plan(world.plan, actor=actor)
    with pytest.raises(Forbidden):
        services.review_progress(world.updates["submitted"], actor=actor, validate=True)
    tracked.refresh_from_db()
    world.plan.refresh_from_db()
    assert tracked.status == ImplementationStatus.NOT_STARTED
    assert world.plan.published_at is None
    assert (
        ProgressUpdate.objects.get(pk=world.updates["submitted"].pk).review == ProgressUpdate.Review.SUBMITTED
    )


def test_a_member_reports_only_on_its_institutions_actions(world: World) -> None:
    member = world.users["institution member"]
    with pytest.raises(Forbidden, match="Ombudsman"):
        services.post_progress(
            world.actions["ombudsman"], actor=member, reported_on=dt.date(2025, 1, 2), text="x"
        )
    services.set_action_status(world.actions["justice"], actor=member, status=Action.Status.ONGOING)
    assert Action.objects.get(pk=world.actions["justice"].pk).status == Action.Status.ONGOING
    assert not world.actions["ombudsman"].updates.exists()


def test_status_history_keeps_who_and_when(world: World) -> None:
    focal_point = world.users["focal point of the State"]
    tracked = TrackedRecommendation.objects.get(plan=world.plan, recommendation__public_id="R-1")
    services.set_status(tracked, actor=focal_point, status=ImplementationStatus.IN_PROGRESS)
    services.set_status(
        tracked, actor=focal_point, status=ImplementationStatus.IMPLEMENTED, note="Law adopted"
    )
    history = list(tracked.history.values_list("status", "changed_by__username", "note"))
    assert history == [("in_progress", "fiji", ""), ("implemented", "fiji", "Law adopted")]
    assert [e.data["to"] for e in events_for(tracked)] == ["in_progress", "implemented"]


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"starts_on": dt.date(2026, 5, 1), "due_on": dt.date(2026, 4, 1)}, "due_on"),
        ({"description": "   "}, "description"),
        ({"status": "finished"}, "status"),
        ({"budget": Money(-100, "USD")}, "budget"),
    ],
)
def test_a_bad_action_is_refused_and_nothing_is_written(
    world: World, changes: dict[str, object], where: str
) -> None:
    before = Action.objects.count()
    arguments: dict[str, object] = {"description": "Do it", "institution": world.justice, **changes}
    with pytest.raises(InvalidInput) as refused:
        services.add_action(
            world.clusters["justice"], actor=world.users["focal point of the State"], **arguments
        )  # type: ignore[arg-type]
    assert refused.value.where == where
    assert Action.objects.count() == before


def test_bad_progress_is_refused_and_nothing_is_written(world: World) -> None:
    member = world.users["institution member"]
    action = world.actions["justice"]
    before = (ProgressUpdate.objects.count(), Evidence.objects.count())
    program = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 a program", content_type="application/pdf")
    for bad in (
        {"reported_on": timezone.localdate() + dt.timedelta(days=3), "text": "x"},
        {"reported_on": dt.date(2025, 1, 1), "text": "  "},
        {"reported_on": dt.date(2025, 1, 1), "text": "x", "links": ["javascript:alert(1)"]},
        {"reported_on": dt.date(2025, 1, 1), "text": "x", "documents": [program]},
    ):
        with pytest.raises(InvalidInput):
            services.post_progress(action, actor=member, **bad)  # type: ignore[arg-type]
    assert (ProgressUpdate.objects.count(), Evidence.objects.count()) == before


def test_an_update_is_reviewed_once(world: World) -> None:
    with pytest.raises(Conflict):
        services.review_progress(
            world.updates["validated_public"], actor=world.users["focal point of the State"], validate=False
        )


def test_needs_support_becomes_a_draft_request_with_the_clusters_recommendations(world: World) -> None:
    focal_point = world.users["focal point of the State"]
    services.create_cluster(world.plan, actor=focal_point, title="Equality", public_ids=["R-1", "R-3"])
    cluster = TrackedRecommendation.objects.get(plan=world.plan, recommendation__public_id="R-1").cluster
    assert cluster is not None
    action = services.add_action(
        cluster,
        actor=focal_point,
        description="Set up a complaints database",
        institution=world.justice,
        budget=Money(2_500_000, "USD"),
    )
    request = services.request_support(action, actor=focal_point)
    action.refresh_from_db()
    assert action.needs_support and action.assistance_request == request
    assert request.status == Status.DRAFT
    assert request.requesting_state == world.state and request.fund == world.fund
    assert sorted(request.recommendations.values_list("public_id", flat=True)) == ["R-1", "R-3"]
    assert (request.amount_requested, request.currency) == (2_500_000, "USD")
    assert [e.action for e in events_for(action)][-1] == "tracking.action_request_support"
    with pytest.raises(Conflict):
        services.request_support(action, actor=focal_point)


def test_every_write_is_audited(world: World) -> None:
    """The world was built through the services: each object it made has its creation event."""
    assert [e.action for e in events_for(world.plan)] == [
        "tracking.plan_create",
        "tracking.recommendations_add",
    ]
    assert [e.action for e in events_for(world.updates["validated_public"])] == [
        "tracking.progress_post",
        "tracking.progress_review",
    ]
    assert [e.action for e in events_for(world.clusters["justice"])] == [
        "tracking.cluster_create",
        "tracking.cluster_assign",
    ]


def test_the_focal_point_adds_an_indicator_on_the_page_and_a_bad_code_changes_nothing(world: World) -> None:
    client = Client()
    client.force_login(world.users["focal point of the State"])
    url = f"/tracking/plans/{world.plan.pk}/"
    action = world.actions["justice"].pk
    fields = {
        "step": "indicator",
        "action": action,
        "name": "Complaints decided",
        "baseline": "0",
        "target": "200",
    }
    refused = client.post(url, {**fields, "sdg_indicator": "16.10"})
    assert refused.status_code == 400 and "16.10" in refused.content.decode()
    assert not Indicator.objects.exists()
    assert client.post(url, {**fields, "sdg_indicator": "16.b.1"}).status_code == 302
    assert list(Indicator.objects.values_list("name", "baseline", "target", "sdg_indicator")) == [
        ("Complaints decided", "0", "200", "16.b.1")
    ]


def test_a_member_sets_its_actions_status_on_the_page_but_not_anothers(world: World) -> None:
    client = Client()
    client.force_login(world.users["institution member"])
    url = f"/tracking/plans/{world.plan.pk}/"
    own, other = world.actions["justice"].pk, world.actions["ombudsman"].pk
    assert client.post(url, {"step": "action_status", "action": own, "status": "delayed"}).status_code == 302
    assert (
        client.post(url, {"step": "action_status", "action": other, "status": "delayed"}).status_code == 404
    )
    assert dict(Action.objects.values_list("pk", "status")) == {own: "delayed", other: "planned"}
