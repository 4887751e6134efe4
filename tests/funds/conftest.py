"""Fixtures of the funds tests: a secretariat user, donors, and approved requests to allocate to.

Approved requests come from ``tests.factories.make_request``, which walks them through the assistance
workflow: how a request reaches ``approved`` is tested in the assistance app; here it is only the
starting point of funding.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable
from typing import Any

import pytest

from hrcoop.assistance.models import AssistanceRequest, Status
from hrcoop.core.models import Role, User
from hrcoop.core.money import Money
from hrcoop.funds import services
from hrcoop.funds.models import Donor, Posting
from hrcoop.reference.models import Fund, Organisation, RegionalGroup, State
from hrcoop.reference.services import DATA_DIR, REGIONAL_GROUPS, create_reference_row
from tests import factories
from tests.factories import make_fund, make_state

STATES = {"NOR", "QAT", "MDV", "DEU", "BRA", "CHN", "FJI", "SEN", "KOR", "IND", "HTI", "CHE"}


@pytest.fixture
def ledger_reference(db: None) -> None:
    """The few reference rows these tests use (the full ``reference_data`` load takes seconds per test),
    added one by one through the reference and funds services."""
    for code, name in REGIONAL_GROUPS.items():
        create_reference_row(RegionalGroup, actor=None, values={"code": code, "name": name})
    with (DATA_DIR / "states.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["iso3"] in STATES:
                make_state(
                    row["iso3"],
                    row["iso2"],
                    row["m49"],
                    row["name"],
                    status=row["status"],
                    regional_group_id=row["regional_group"],
                    ldc=row["ldc"] == "1",
                    sids=row["sids"] == "1",
                )
    create_reference_row(Organisation, actor=None, values={"code": "EU", "name": "European Union"})
    with (DATA_DIR / "funds.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            make_fund(row["code"], row["name"], row["currency"])


@pytest.fixture
def secretariat(ledger_reference: None) -> User:
    return factories.make_user("secretariat", Role.SECRETARIAT, email="")


@pytest.fixture
def fund(ledger_reference: None) -> Fund:
    return Fund.objects.get(code="VFTC")


# What the requests these tests fund ask for (the IATI files publish it).
FUNDED_REQUEST = {
    "title": "Strengthening the national mechanism for implementation, reporting and follow-up",
    "objectives": "A functioning national mechanism that tracks every supported UPR recommendation.",
    "expected_results": "Tracking database in use by 12 ministries",
}


@pytest.fixture
def make_request() -> Callable[..., AssistanceRequest]:
    """``tests.factories.make_request`` with this folder's starting point: a request of the Maldives to
    VFTC that the board approved."""

    def make(
        fund_code: str = "VFTC",
        iso3: str = "MDV",
        amount: int = 10_000_000,
        status: str = Status.APPROVED,
        **data: Any,
    ) -> AssistanceRequest:
        return factories.make_request(
            iso3, fund_code, status=status, amount=amount, **{**FUNDED_REQUEST, **data}
        )

    return make


@pytest.fixture
def donors(secretariat: User) -> dict[str, Donor]:
    return {
        "norway": services.register_donor(
            name="Norway", kind="member_state", state_iso3="NOR", actor=secretariat
        ),
        "qatar": services.register_donor(
            name="Qatar", kind="member_state", state_iso3="QAT", actor=secretariat
        ),
        "eu": services.register_donor(
            name="European Union", kind="igo", organisation_code="EU", actor=secretariat
        ),
        "foundation": services.register_donor(
            name="Open Rights Foundation", kind="foundation", actor=secretariat
        ),
    }


IATI_DAY = datetime.date(2025, 9, 1)  # the funded requests of the IATI tests (test_iati, test_iati_site)


@pytest.fixture
def funded(secretariat: User, donors: dict[str, Donor]) -> list[AssistanceRequest]:
    pledge = services.record_pledge(
        fund_code="VFTC",
        donor_id=donors["norway"].pk,
        amount=Money(50_000_000, "USD"),
        pledged_on=IATI_DAY,
        idempotency_key="p",
        actor=secretariat,
    )
    services.record_receipt(
        pledge_id=pledge.pk,
        amount=Money(50_000_000, "USD"),
        received_on=IATI_DAY,
        idempotency_key="r",
        actor=secretariat,
    )
    services.record_expenditure(
        fund_code="VFTC",
        amount=Money(12_345, "USD"),
        spent_on=IATI_DAY,
        description="bank charges",
        idempotency_key="e",
        actor=secretariat,
    )
    haiti = State.objects.get(iso3="HTI")
    recommendation = factories.make_recommendation(
        "R-TEST-1",
        haiti,
        "Strengthen access to justice for women",
        identity_key="k" * 64,
        labels={"sdg_goal": ["5"], "sdg_target": ["16.3"]},
    )
    requests = [
        factories.make_request("MDV", "VFTC", status=Status.APPROVED, amount=10_000_000, **FUNDED_REQUEST),
        factories.make_request(
            haiti,
            "VFTC",
            status=Status.APPROVED,
            amount=10_000_000,
            **FUNDED_REQUEST,
            implementing_partners="National Human Rights Commission",
            recommendations=[recommendation.public_id],
        ),
        factories.make_request(
            "SEN",
            "VFTC",
            status=Status.APPROVED,
            amount=10_000_000,
            **FUNDED_REQUEST,
            confidential_fields=["amount"],
        ),
    ]
    for n, request in enumerate(requests):
        allocation = services.allocate(
            request_id=request.public_id,
            amount=Money(1_000_000, "USD"),
            allocated_on=IATI_DAY,
            idempotency_key=f"a{n}",
            actor=secretariat,
        )
        services.disburse(
            allocation_id=allocation.pk,
            amount=Money(400_000, "USD"),
            disbursed_on=IATI_DAY,
            idempotency_key=f"d{n}",
            actor=secretariat,
        )
    wrong = Posting.objects.get(idempotency_key="d0")
    services.reverse(
        posting_id=wrong.pk,
        reason="paid twice",
        reversed_on=IATI_DAY,
        idempotency_key="x0",
        actor=secretariat,
    )
    return requests
