"""The reports' country profile reads a State's published progress as it stood at a year's end."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from hrcoop.reports.builders.elsewhere import progress_section
from hrcoop.tracking import services
from hrcoop.tracking.models import TrackedRecommendation
from hrcoop.tracking.selectors import implementation_progress

from .conftest import World


def _status_counts_by_sql(plan_id: int) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT status, COUNT(*) FROM tracking_trackedrecommendation WHERE plan_id = %s GROUP BY status",
            [plan_id],
        )
        return dict(cursor.fetchall())


@pytest.mark.django_db
def test_progress_counts_the_published_plans_statuses_at_the_years_end(world: World) -> None:
    focal_point = world.users["focal point of the State"]
    this_year = timezone.localdate().year
    assert implementation_progress(state_iso3="FJI", year=this_year) == []  # not published yet

    first, second, *_ = TrackedRecommendation.objects.filter(plan=world.plan).order_by("pk")
    services.set_status(first, actor=focal_point, status="implemented")
    services.set_status(second, actor=focal_point, status="in_progress")
    services.publish_plan(world.plan, actor=focal_point)

    progress = dict(implementation_progress(state_iso3="FJI", year=this_year))
    by_sql = _status_counts_by_sql(world.plan.pk)
    assert progress == {
        "Not started": by_sql.get("not_started", 0),
        "In progress": by_sql["in_progress"],
        "Partially implemented": 0,
        "Implemented": by_sql["implemented"],
    }
    assert implementation_progress(state_iso3="FJI", year=this_year - 1) == []  # published only now
    assert implementation_progress(state_iso3="GHA", year=this_year) == []


@pytest.mark.django_db
def test_a_later_change_does_not_rewrite_an_earlier_years_figures(world: World) -> None:
    focal_point = world.users["focal point of the State"]
    first = TrackedRecommendation.objects.filter(plan=world.plan).order_by("pk").first()
    assert first is not None
    services.set_status(first, actor=focal_point, status="implemented")
    services.publish_plan(world.plan, actor=focal_point)
    next_year = timezone.localdate().year + 1
    later = timezone.now() + dt.timedelta(days=400)
    first.history.update(changed_at=later)  # as if the change came after next year's end

    assert dict(implementation_progress(state_iso3="FJI", year=next_year))["Implemented"] == 0


@pytest.mark.django_db
def test_the_country_profile_section_shows_the_published_progress(world: World) -> None:
    services.publish_plan(world.plan, actor=world.users["focal point of the State"])
    section = progress_section(state_iso3="FJI", year=timezone.localdate().year)
    assert section.no_data == ""
    [table] = section.tables
    assert [row[0] for row in table.rows] == [
        "Not started",
        "In progress",
        "Partially implemented",
        "Implemented",
    ]
