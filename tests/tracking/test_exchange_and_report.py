"""The exchange file (export, import, refusal of bad rows with nothing changed) and the draft mid-term
report, whose every status and measure must be the database's."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client

from hrcoop.core.errors import ImportFailed
from hrcoop.core.models import AuditEvent
from hrcoop.tracking import exchange, services
from hrcoop.tracking.models import (
    Action,
    Cluster,
    ImplementationStatus,
    ProgressUpdate,
    StatusChange,
    TrackedRecommendation,
)
from tests.tracking.conftest import JUSTICE_ACTION, PRIVATE_TEXT, PUBLIC_TEXT, SUBMITTED_TEXT, World


def snapshot() -> tuple[list[tuple[object, ...]], int, int, int, int]:
    return (
        sorted(TrackedRecommendation.objects.values_list("plan", "recommendation", "cluster", "status")),
        Cluster.objects.count(),
        Action.objects.count(),
        StatusChange.objects.count(),
        AuditEvent.objects.count(),
    )


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([exchange.COLUMNS, *rows])
    return buffer.getvalue().encode()


def test_an_exported_tracker_imports_into_a_new_plan_as_it_was(world: World) -> None:
    focal_point = world.users["focal point of the State"]
    tracked = TrackedRecommendation.objects.get(plan=world.plan, recommendation__public_id="R-2")
    services.set_status(tracked, actor=focal_point, status=ImplementationStatus.PARTIALLY_IMPLEMENTED)
    client = Client()
    client.force_login(focal_point)
    exported = client.get(f"/tracking/plans/{world.plan.pk}/export.csv")
    content = exported.content
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert [r["recommendation"] for r in rows] == ["R-1", "R-2", "R-3"]
    assert rows[0]["actions"] == f"{JUSTICE_ACTION} | Ministry of Justice | 2025-01-01 | 2026-12-31 | planned"

    fresh = services.create_plan(actor=focal_point, state=world.state, title="Moved from the spreadsheet")
    counts = exchange.import_tracker(fresh, actor=focal_point, name="tracker.csv", content=content)
    assert counts == {"rows": 3, "clusters_created": 2, "statuses_changed": 1, "actions_added": 2}
    again = {
        (
            r["public_id"],
            c["title"],
            c["lead_institution"],
            r["status"],
            tuple(a["description"] for a in c["actions"]),
        )
        for c in _record(fresh, focal_point)["clusters"]
        for r in c["recommendations"]
    }
    before = {
        (
            r["public_id"],
            c["title"],
            c["lead_institution"],
            r["status"],
            tuple(a["description"] for a in c["actions"]),
        )
        for c in _record(world.plan, focal_point)["clusters"]
        for r in c["recommendations"]
    }
    assert again == before
    # Idempotent: the same file again changes nothing but records the import.
    assert exchange.import_tracker(fresh, actor=focal_point, name="tracker.csv", content=content) == {
        "rows": 3,
        "clusters_created": 0,
        "statuses_changed": 0,
        "actions_added": 0,
    }


def _record(plan: object, actor: object) -> dict[str, object]:
    from hrcoop.tracking.selectors import plan_record

    return plan_record(plan, actor)  # type: ignore[arg-type]


def test_a_file_with_bad_rows_is_refused_naming_each_row_and_nothing_changes(world: World) -> None:
    focal_point = world.users["focal point of the State"]
    content = csv_bytes(
        [
            ["R-1", "", "Equality", "Ministry of Justice", "", "implemented", ""],
            ["R-404", "", "Equality", "Ministry of Justice", "", "in_progress", ""],
            ["R-2", "", "NHRI", "Ministry of Magic", "", "in_progress", ""],
            [
                "R-3",
                "",
                "Equality",
                "Ministry of Justice",
                "",
                "in_progress",
                "Adopt it | Ministry of Justice | 2026-02-30 | | planned",
            ],
        ]
    )
    before = snapshot()
    with pytest.raises(ImportFailed) as refused:
        exchange.import_tracker(world.plan, actor=focal_point, name="tracker.csv", content=content)
    message = refused.value.message
    assert re.search(r"row 3: unknown recommendation 'R-404'", message)
    assert re.search(r"row 4: unknown institution 'Ministry of Magic'", message)
    assert re.search(r"row 5: impossible start date '2026-02-30'", message)
    assert "row 2" not in message
    assert snapshot() == before

    client = Client()
    client.force_login(focal_point)
    upload = io.BytesIO(content)
    upload.name = "tracker.csv"
    response = client.post(f"/tracking/plans/{world.plan.pk}/import/", {"file": upload})
    assert response.status_code == 400
    assert "unknown institution" in response.content.decode()
    assert snapshot() == before


def test_the_mid_term_report_shows_the_databases_statuses_and_validated_measures(world: World) -> None:
    focal_point = world.users["focal point of the State"]
    tracked = TrackedRecommendation.objects.get(plan=world.plan, recommendation__public_id="R-1")
    services.set_status(tracked, actor=focal_point, status=ImplementationStatus.IN_PROGRESS)
    client = Client()
    client.force_login(focal_point)
    html = client.get(f"/tracking/plans/{world.plan.pk}/mid-term-report/").content.decode()
    shown = dict(re.findall(r'class="recommendation" data-id="([^"]+)" data-status="([^"]+)"', html))
    clustered = TrackedRecommendation.objects.filter(plan=world.plan, cluster__isnull=False)
    assert shown == dict(clustered.values_list("recommendation__public_id", "status"))
    measures = set(re.findall(r'class="measure-update" data-update="(\d+)"', html))
    validated = ProgressUpdate.objects.filter(
        action__cluster__plan=world.plan, review=ProgressUpdate.Review.VALIDATED
    )
    assert measures == {str(pk) for pk in validated.values_list("pk", flat=True)}
    assert PUBLIC_TEXT in html and PRIVATE_TEXT in html and SUBMITTED_TEXT not in html
    for cluster in Cluster.objects.filter(plan=world.plan):
        assert f'data-cluster="{cluster.pk}"' in html
        for action in cluster.actions.all():
            assert action.description in html


def test_the_mid_term_report_renders_as_pdf(world: World) -> None:
    client = Client()
    client.force_login(world.users["focal point of the State"])
    response = client.get(f"/tracking/plans/{world.plan.pk}/mid-term-report.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
