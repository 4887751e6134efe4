"""Statements and donor-base metrics agree with the events that produced them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from hrcoop.core.models import User
from hrcoop.core.money import Money
from hrcoop.funds import services
from hrcoop.funds.classification import dac_members, is_traditional
from hrcoop.funds.metrics import donor_base, donor_base_chart
from hrcoop.funds.models import Donor, Posting
from hrcoop.funds.statements import (
    allocations_per_request,
    contributions_by_donor,
    income_and_expenditure,
    pledges_outstanding,
)
from hrcoop.reference.models import Fund

pytestmark = pytest.mark.django_db


def usd(major: str) -> Money:
    return Money.parse(major, "USD")


def pledge(actor: User, donor: Donor, amount: Money, on: dt.date, key: str, **kw: Any) -> int:
    return services.record_pledge(
        fund_code="VFTC",
        donor_id=donor.pk,
        amount=amount,
        pledged_on=on,
        idempotency_key=key,
        actor=actor,
        **kw,
    ).pk


def test_dac_rule() -> None:
    assert len(dac_members()["states"]) == 31 and dac_members()["organisations"] == {"EU"}
    assert is_traditional(state_iso3="NOR", organisation_code=None)
    assert is_traditional(state_iso3=None, organisation_code="EU")
    assert not is_traditional(state_iso3="QAT", organisation_code=None)
    assert not is_traditional(state_iso3=None, organisation_code="AU")
    assert not is_traditional(state_iso3=None, organisation_code=None)  # foundations, private donors


def test_donor_classification_and_regional_flags(donors: dict[str, Donor]) -> None:
    assert donors["norway"].traditional and donors["eu"].traditional
    assert not donors["qatar"].traditional and not donors["foundation"].traditional
    assert donors["qatar"].state is not None and donors["qatar"].state.regional_group_id == "APG"


def test_donor_base_metrics(secretariat: User, donors: dict[str, Donor]) -> None:
    y1, y2 = dt.date(2024, 5, 1), dt.date(2025, 5, 1)
    pledge(secretariat, donors["norway"], usd("100000"), y1, "n1")
    pledge(secretariat, donors["qatar"], usd("20000"), y1, "q1")
    pledge(secretariat, donors["norway"], usd("120000"), y2, "n2")
    pledge(secretariat, donors["qatar"], usd("10000"), y2, "q2")
    pledge(secretariat, donors["foundation"], usd("5000"), y2, "f2")
    pledge(
        secretariat,
        donors["eu"],
        Money.parse("50000", "EUR"),
        y2,
        "e2",
        rate="1.10",
        rate_date=y2,
        rate_source="UN operational rate of exchange",
    )
    cancelled = pledge(secretariat, donors["foundation"], usd("999999"), y2, "x2")
    services.reverse(
        posting_id=Posting.objects.get(pledge_id=cancelled).pk,
        reason="duplicate",
        reversed_on=y2,
        idempotency_key="rx",
        actor=secretariat,
    )
    first, second = donor_base(currency="USD")
    assert (first.year, first.donors, first.new, first.returning) == (2024, 2, 2, 0)
    assert first.non_traditional_share_count == 0.5
    assert first.non_traditional_share_amount == pytest.approx(1 / 6)
    assert first.hhi == pytest.approx(10_000 * (25 + 1) / 36)
    assert (second.year, second.donors, second.new, second.returning) == (2025, 4, 2, 2)
    assert second.amount == 12_000_000 + 1_000_000 + 500_000 + 5_500_000
    assert second.non_traditional_amount == 1_500_000
    shares = [a / second.amount for a in (12_000_000, 1_000_000, 500_000, 5_500_000)]
    assert second.hhi == pytest.approx(10_000 * sum(s * s for s in shares))
    assert second.top_five_share == pytest.approx(1.0)
    svg = donor_base_chart([first, second])
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg


def test_statements(secretariat: User, donors: dict[str, Donor], make_request: Callable[..., Any]) -> None:
    on = dt.date(2025, 3, 3)
    p1 = pledge(secretariat, donors["norway"], usd("1000"), on, "p1")
    p2 = pledge(secretariat, donors["qatar"], usd("500"), on, "p2")
    receipt = services.record_receipt(
        pledge_id=p1, amount=usd("1000"), received_on=on, idempotency_key="r1", actor=secretariat
    )
    services.record_receipt(
        pledge_id=p2,
        amount=usd("200"),
        received_on=dt.date(2026, 1, 5),
        idempotency_key="r2",
        actor=secretariat,
    )
    services.write_off(
        pledge_id=p2,
        amount=usd("100"),
        written_off_on=dt.date(2026, 2, 1),
        reason="budget cut",
        idempotency_key="w",
        actor=secretariat,
    )
    services.refund(
        receipt_id=receipt.pk,
        amount=usd("50"),
        refunded_on=on,
        reason="earmark not met",
        idempotency_key="f",
        actor=secretariat,
    )
    request = make_request()
    allocation = services.allocate(
        request_id=request.public_id,
        amount=usd("700"),
        allocated_on=on,
        idempotency_key="a",
        actor=secretariat,
    )
    services.disburse(
        allocation_id=allocation.pk,
        amount=usd("300"),
        disbursed_on=on,
        idempotency_key="d",
        actor=secretariat,
    )
    services.record_expenditure(
        fund_code="VFTC",
        amount=usd("20"),
        spent_on=on,
        description="bank charges",
        idempotency_key="e",
        actor=secretariat,
    )

    y2025, y2026 = income_and_expenditure(Fund.objects.get(code="VFTC"))
    assert y2025.as_dict() == {
        "year": 2025,
        "last_year": 2025,
        "currency": "USD",
        "contributions": 150_000,
        "write_offs": 0,
        "refunds": 5_000,
        "net_income": 145_000,
        "allocations": 70_000,
        "expenditure": 2_000,
        "total_expenditure": 72_000,
        "surplus": 73_000,
        "received": 100_000,
        "disbursed": 30_000,
    }
    assert (y2026.year, y2026.write_offs, y2026.received, y2026.net_income) == (2026, 10_000, 20_000, -10_000)

    by_donor = {row.donor.name: row.as_dict() for row in contributions_by_donor()}
    assert by_donor["Norway"] == {
        "donor": donors["norway"].pk,
        "currency": "USD",
        "pledged": 100_000,
        "paid": 100_000,
        "written_off": 0,
        "outstanding": 0,
        "refunded": 5_000,
    }
    assert by_donor["Qatar"]["outstanding"] == 20_000
    assert [(o.pledge.pk, o.outstanding) for o in pledges_outstanding()] == [(p2, usd("200"))]
    (row,) = allocations_per_request()
    assert (row.public_id, row.allocated, row.disbursed, row.open) == (
        request.public_id,
        70_000,
        30_000,
        40_000,
    )
