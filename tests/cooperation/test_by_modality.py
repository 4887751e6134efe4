"""``selectors.cooperation_by_modality``, which the reports app reads, against a count written in plain
SQL: confirmed records only, by the year of confirmation in the platform's time zone, of one State as
provider (its offers, by the offer's State) or beneficiary."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection

from hrcoop.cooperation import services
from hrcoop.cooperation.models import Match, MatchStatus, Modality, Offer
from hrcoop.cooperation.selectors import cooperation_by_modality
from tests.cooperation.conftest import World, make_offer, recommendation

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo(settings.TIME_ZONE)

SQL = """
SELECT m.modality, COUNT(*)
FROM cooperation_match m
JOIN cooperation_offer o ON o.id = m.offer_id
JOIN reference_state b ON b.id = m.beneficiary_id
LEFT JOIN reference_state p ON p.id = o.provider_state_id
WHERE m.status = 'confirmed' AND m.confirmed_at >= %s AND m.confirmed_at < %s
  AND (%s = '' OR b.iso3 = %s OR p.iso3 = %s)
GROUP BY m.modality
"""


def _counted_in_sql(year: int, iso3: str = "") -> dict[str, int]:
    start = dt.datetime(year, 1, 1, tzinfo=LOCAL).astimezone(dt.UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=LOCAL).astimezone(dt.UTC)
    with connection.cursor() as cursor:
        cursor.execute(SQL, [start, end, iso3, iso3, iso3])
        return dict(cursor.fetchall())


def _match(world: World, offer: Offer, beneficiary: str, *, confirmed_at: dt.datetime | None) -> Match:
    """A match through the services (so its modality is derived), then dated: setup only."""
    key = f"{beneficiary}-{Match.objects.count()}"
    record = recommendation(key, world.state(beneficiary), "Seek assistance for a follow-up mechanism")
    proposer = {"FJI": "focal_point", "GHA": "other_focal_point", "PRY": "provider_focal_point"}[beneficiary]
    match = services.propose_match(
        offer, actor=world.users[proposer], recommendation=record, score=0.5, explanation={}
    )
    if confirmed_at is not None:
        Match.objects.filter(pk=match.pk).update(status=MatchStatus.CONFIRMED, confirmed_at=confirmed_at)
    return match


@pytest.fixture
def records(world: World) -> World:
    southern_ngo = make_offer(world, "secretariat")  # an NGO of Paraguay
    northern_state = make_offer(
        world, "secretariat", provider_kind="state", provider_state="NOR", provider_name=""
    )
    triangular = make_offer(world, "secretariat", facilitator_state="NOR")
    agency = make_offer(world, "secretariat", provider_kind="agency", provider_state="", provider_name="UNDP")
    assert all(o.status == "published" for o in (southern_ngo, northern_state, triangular, agency))
    in_2026 = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
    # 23:30 UTC on 31 December 2026 is already 2027 in Geneva: it counts in 2027.
    new_year = dt.datetime(2026, 12, 31, 23, 30, tzinfo=dt.UTC)
    _match(world, southern_ngo, "FJI", confirmed_at=in_2026)  # South-South
    _match(world, southern_ngo, "GHA", confirmed_at=in_2026)  # South-South
    _match(world, northern_state, "FJI", confirmed_at=in_2026)  # North-South
    _match(world, triangular, "GHA", confirmed_at=in_2026)  # triangular
    _match(world, agency, "PRY", confirmed_at=in_2026)  # multilateral
    _match(world, northern_state, "GHA", confirmed_at=new_year)  # North-South, in 2027
    _match(world, triangular, "FJI", confirmed_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    _match(world, southern_ngo, "PRY", confirmed_at=None)  # proposed only: not a record
    return world


def _in_order(counted: dict[str, int]) -> list[tuple[str, int]]:
    return [(str(label), counted[value]) for value, label in Modality.choices if counted.get(value)]


@pytest.mark.parametrize(
    ("year", "iso3"),
    [
        (2026, ""),
        (2027, ""),
        (2025, ""),
        (2024, ""),
        (2026, "FJI"),
        (2026, "PRY"),
        (2026, "NOR"),
        (2026, "GHA"),
    ],
)
def test_cooperation_by_modality_agrees_with_a_count_in_sql(records: World, year: int, iso3: str) -> None:
    assert cooperation_by_modality(year=year, state_iso3=iso3 or None) == _in_order(
        _counted_in_sql(year, iso3)
    )


def test_the_figures_themselves(records: World) -> None:
    assert cooperation_by_modality(year=2026) == [
        ("North-South", 1),
        ("South-South", 2),
        ("Triangular", 1),
        ("Multilateral", 1),
    ]
    assert cooperation_by_modality(year=2027) == [("North-South", 1)]
    # Paraguay provides (its NGO's offers, and the triangular one) and receives (the agency's offer).
    assert cooperation_by_modality(year=2026, state_iso3="pry") == [
        ("South-South", 2),
        ("Triangular", 1),
        ("Multilateral", 1),
    ]
    assert cooperation_by_modality(year=2024) == []
