"""A year of the machinery, 2021, built through the services as people would have built it.

Recommendations come from a small UPR Info export imported by the importer; the seed resolution from the
mandates importer; donors, pledges, receipts and allocations from the funds services; requests walk the
workflow through ``apply_transition`` on the dates patched into ``timezone.now``. Nothing is written to
a table directly, so the reports read what the services wrote.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from unittest.mock import patch

import pytest
from django.db import connection

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.assistance.services import (
    add_progress_report,
    apply_transition,
    create_request,
    record_consent,
)
from hrcoop.core.models import Role, User
from hrcoop.core.money import Money
from hrcoop.funds import services as funds
from hrcoop.mandates.services import import_resolution_text
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.services.imports import import_files
from hrcoop.reference.models import Fund, State
from tests.conftest import SHARED_DATA
from tests.factories import make_user
from tests.recommendations.upr_info_fixtures import write_2018

TA = "Technical assistance and cooperation"
# (State under review, text, recommending State, response, action category, issues, UPR session)
ROWS = [
    (
        "Fiji",
        "Seek technical assistance from OHCHR to set up a national mechanism",
        "Ghana",
        "Supported",
        "1",
        TA,
        "37",
    ),
    (
        "Fiji",
        "Request technical cooperation to train the police",
        "Norway",
        "Supported",
        "1",
        f"{TA}, Torture and other CID treatment",
        "37",
    ),
    (
        "Fiji",
        "Ratify the Optional Protocol to the Convention against Torture",
        "Norway",
        "Noted",
        "5",
        "Torture and other CID treatment",
        "37",
    ),
    ("Fiji", "Consider abolishing the death penalty", "France", "Noted", "3", "Death penalty", "37"),
    (
        "Haiti",
        "Seek assistance to strengthen the judiciary",
        "Brazil",
        "Supported",
        "1",
        f"{TA}, Justice",
        "38",
    ),
    (
        "Haiti",
        "Continue efforts on the rights of the child",
        "Canada",
        "Voluntary Pledge",
        "2",
        "Rights of the child",
        "38",
    ),
    (
        "Haiti",
        "Ensure birth registration for all children",
        "Mexico",
        "Pending",
        "5",
        "Rights of the child",
        "38",
    ),
    ("Ghana", "Abolish the death penalty", "Germany", "Noted", "5", "Death penalty", "38"),
    ("Ghana", "Request technical assistance for the NHRI", "Kenya", "Supported", "4", TA, "38"),
    (
        "Fiji",
        "Strengthen the national human rights institution",
        "Chile",
        "Supported",
        "4",
        "National Human Rights Institution",
        "35",
    ),
    ("Norway", "Continue to support the funds for technical cooperation", "Fiji", "Supported", "2", TA, "36"),
]


REASONS = {"recommend": "Meets the fund's criteria", "decline": "Outside the fund's scope"}


def at(year: int, month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


@dataclass
class Year:
    secretariat: User
    board: User
    focal: dict[str, User]
    fund: Fund
    requests: dict[str, AssistanceRequest] = field(default_factory=dict)
    resolution_imported: bool = False


def step(
    request: AssistanceRequest, name: str, actor: User, when: dt.datetime, reason: str = ""
) -> AssistanceRequest:
    with patch("django.utils.timezone.now", return_value=when):
        return apply_transition(request, name, actor=actor, reason=reason)


def _request(
    world: Year, iso3: str, title: str, *, recommendations: list[str], when: dt.datetime, **data: object
) -> AssistanceRequest:
    focal = world.focal[iso3]
    with patch("django.utils.timezone.now", return_value=when):
        request = create_request(
            actor=focal,
            state=State.objects.get(iso3=iso3),
            fund=world.fund,
            data={
                "title": title,
                "amount": Money(5_000_000, "USD"),
                "recommendations": recommendations,
                **data,
            },
        ).request
        return record_consent(
            request, actor=focal, given_by="Ministry of Foreign Affairs", given_at=when, reference="NV/1"
        )


def _through_to(
    world: Year, request: AssistanceRequest, *, last: str, start: dt.datetime, pace: int = 7
) -> AssistanceRequest:
    """Submit ``request`` on ``start`` and walk it ``pace`` days per step up to ``last``."""
    plan = [
        ("submit", world.focal[request.requesting_state.iso3]),
        ("acknowledge", world.secretariat),
        ("start_assessment", world.secretariat),
        ("recommend", world.secretariat),
        (last, world.board) if last in {"approve", "decline", "approve_with_changes"} else ("", world.board),
    ]
    when = start
    for name, actor in plan:
        if not name:
            break
        request = step(request, name, actor, when, reason=REASONS.get(name, "Recorded for the test year"))
        when += dt.timedelta(days=pace)
        if name == last:
            break
    return request


@pytest.fixture
def year_2021(reference_data: None, tmp_path: Path) -> Year:
    import_files([write_2018(tmp_path / "upr.csv", ROWS)], format_name="upr-info", actor=None)
    seeds = sorted((SHARED_DATA.parent / "seed").glob("*.txt"))
    if seeds:
        import_resolution_text(seeds[0].read_text(encoding="utf-8"), source=seeds[0].name, actor=None)
    world = Year(
        secretariat=make_user("secretariat", Role.SECRETARIAT, email=""),
        board=make_user("board", Role.BOARD, "VFTC", email=""),
        focal={
            iso3: make_user(f"focal-{iso3}", Role.STATE_FOCAL_POINT, iso3, email="")
            for iso3 in ("FJI", "HTI", "GHA")
        },
        fund=Fund.objects.get(code="VFTC"),
        resolution_imported=bool(seeds),
    )
    secretariat = world.secretariat
    norway = funds.register_donor(name="Norway", kind="member_state", state_iso3="NOR", actor=secretariat)
    qatar = funds.register_donor(name="Qatar", kind="member_state", state_iso3="QAT", actor=secretariat)
    quiet = funds.register_donor(
        name="Quiet Foundation", kind="foundation", anonymous=True, actor=secretariat
    )
    pledges = {}
    for key, donor, amount, day in (
        ("norway-2020", norway, 30_000_000, dt.date(2020, 11, 2)),
        ("norway-2021", norway, 50_000_000, dt.date(2021, 2, 1)),
        ("qatar-2021", qatar, 20_000_000, dt.date(2021, 3, 1)),
        ("quiet-2021", quiet, 1_500_000, dt.date(2021, 4, 1)),
    ):
        pledges[key] = funds.record_pledge(
            fund_code="VFTC",
            donor_id=donor.pk,
            amount=Money(amount, "USD"),
            pledged_on=day,
            idempotency_key=f"pledge-{key}",
            actor=secretariat,
        )
    for key, amount, day in (
        ("norway-2020", 30_000_000, dt.date(2021, 1, 15)),
        ("norway-2021", 25_000_000, dt.date(2021, 6, 1)),
        ("qatar-2021", 20_000_000, dt.date(2021, 12, 30)),
    ):
        funds.record_receipt(
            pledge_id=pledges[key].pk,
            amount=Money(amount, "USD"),
            received_on=day,
            idempotency_key=f"receipt-{key}",
            actor=secretariat,
        )
    ta = {r.text.split()[0] + r.state_under_review.iso3: r.public_id for r in Recommendation.objects.all()}
    fiji = _request(
        world,
        "FJI",
        "A national mechanism for reporting and follow-up",
        recommendations=[ta["SeekFJI"]],
        when=at(2021, 1, 20),
    )
    fiji = _through_to(world, fiji, last="approve", start=at(2021, 2, 1))
    with patch("django.utils.timezone.now", return_value=at(2021, 3, 10)):
        funds.allocate(
            request_id=fiji.public_id,
            amount=Money(4_000_000, "USD"),
            allocated_on=dt.date(2021, 3, 10),
            idempotency_key="alloc-fiji",
            actor=secretariat,
        )
    fiji.refresh_from_db()
    fiji = step(fiji, "start_implementation", world.focal["FJI"], at(2021, 3, 20))
    with patch("django.utils.timezone.now", return_value=at(2021, 9, 1)):
        add_progress_report(fiji, actor=world.focal["FJI"], text="The mechanism meets monthly.")
    police = _request(
        world,
        "FJI",
        "Police training",
        recommendations=[ta["RequestFJI"]],
        when=at(2021, 4, 1),
        confidential_fields=["amount", "recommendations", "need"],
        amount=Money(7_654_321, "USD"),
        need="The names of the units to be trained",
    )
    police = _through_to(world, police, last="approve", start=at(2021, 4, 5))
    with patch("django.utils.timezone.now", return_value=at(2021, 6, 1)):
        funds.allocate(
            request_id=police.public_id,
            amount=Money(900_000, "USD"),
            allocated_on=dt.date(2021, 6, 1),
            idempotency_key="alloc-police",
            actor=secretariat,
        )
    haiti = _request(world, "HTI", "Judicial reform", recommendations=[ta["SeekHTI"]], when=at(2021, 2, 1))
    haiti = _through_to(world, haiti, last="decline", start=at(2021, 2, 10), pace=14)  # acknowledged late
    late = _request(world, "GHA", "NHRI support", recommendations=[], when=at(2020, 12, 1))
    late = _through_to(world, late, last="start_assessment", start=at(2020, 12, 28))
    _request(world, "GHA", "A draft never sent", recommendations=[], when=at(2021, 5, 1))
    world.requests = {"fiji": fiji, "police": police, "haiti": haiti, "late": late}
    return world


@pytest.fixture
def sql() -> Iterator[object]:
    """Run one raw SQL query and return its rows: the independent count each figure is checked against."""

    def run(query: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(query, params or [])
            return list(cursor.fetchall())

    yield run
