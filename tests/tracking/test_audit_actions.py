"""Each service of the tracker records exactly one audit event of its declared kind."""

from __future__ import annotations

import datetime as dt

import pytest

from hrcoop.tracking import services
from hrcoop.tracking.actions import TrackingAction
from hrcoop.tracking.models import TrackedRecommendation
from tests.conftest import records_exactly
from tests.tracking.conftest import World

pytestmark = pytest.mark.django_db


def test_the_plan_s_services_record_one_event_each(world: World) -> None:
    focal_point, member = world.users["focal point of the State"], world.users["institution member"]
    tracked = TrackedRecommendation.objects.get(plan=world.plan, recommendation__public_id="R-3")
    action = world.actions["justice"]
    with records_exactly(TrackingAction.CLUSTER_CREATED):
        cluster = services.create_cluster(world.plan, actor=focal_point, title="Treaties", public_ids=["R-3"])
    with records_exactly(TrackingAction.CLUSTER_EDITED):
        services.edit_cluster(cluster, actor=focal_point, title="Ratifications")
    with records_exactly(TrackingAction.STATUS_SET):
        services.set_status(tracked, actor=focal_point, status="in_progress")
    with records_exactly(TrackingAction.ACTION_STATUS_SET):
        services.set_action_status(action, actor=member, status="ongoing")
    with records_exactly(TrackingAction.ACTION_NEEDS_SUPPORT):
        services.mark_needs_support(action, actor=focal_point)
    with records_exactly(TrackingAction.INDICATOR_CREATED):
        services.add_indicator(action, actor=focal_point, name="Complaints received", sdg_indicator="16.10.2")
    with records_exactly(TrackingAction.PROGRESS_POSTED):
        update = services.post_progress(
            action, actor=member, reported_on=dt.date(2025, 7, 1), text="Bill drafted"
        )
    with records_exactly(TrackingAction.PROGRESS_REVIEWED):
        services.review_progress(update, actor=focal_point, validate=True)
    with records_exactly(TrackingAction.PUBLISHED):
        services.publish_plan(world.plan, actor=focal_point)
