"""Fixtures of the funds tests: a secretariat user, donors, and approved requests to allocate to.

Approved requests are written straight to the table: how a request reaches ``approved`` is the
assistance app's business and is tested there; here it is only the starting point of funding.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Callable

import pytest
from django.utils import timezone

from hrcoop.assistance.models import AssistanceRequest, Status
from hrcoop.core.models import Role, User
from hrcoop.core.services import grant_role
from hrcoop.funds import services
from hrcoop.funds.models import Donor
from hrcoop.reference.models import Fund, Organisation, RegionalGroup, State
from hrcoop.reference.services import DATA_DIR, REGIONAL_GROUPS

_numbers = itertools.count(1)
STATES = {"NOR", "QAT", "MDV", "DEU", "BRA", "CHN", "FJI", "SEN", "KOR", "IND", "HTI", "CHE"}


@pytest.fixture
def ledger_reference(db: None) -> None:
    """The few reference rows these tests use (the full ``reference_data`` load takes seconds per test)."""
    for code, name in REGIONAL_GROUPS.items():
        RegionalGroup.objects.create(code=code, name=name)
    with (DATA_DIR / "states.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["iso3"] in STATES:
                State.objects.create(
                    iso3=row["iso3"],
                    iso2=row["iso2"],
                    m49=row["m49"],
                    name=row["name"],
                    status=row["status"],
                    regional_group_id=row["regional_group"],
                    ldc=row["ldc"] == "1",
                    sids=row["sids"] == "1",
                )
    Organisation.objects.create(code="EU", name="European Union")
    with (DATA_DIR / "funds.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            Fund.objects.create(code=row["code"], name=row["name"], currency=row["currency"])


@pytest.fixture
def secretariat(ledger_reference: None) -> User:
    user = User.objects.create_user("secretariat")
    grant_role(user, Role.SECRETARIAT, actor=None)
    return user


@pytest.fixture
def fund(ledger_reference: None) -> Fund:
    return Fund.objects.get(code="VFTC")


@pytest.fixture
def make_request() -> Callable[..., AssistanceRequest]:
    def make(
        fund_code: str = "VFTC", iso3: str = "MDV", amount: int = 10_000_000, status: str = Status.APPROVED
    ) -> AssistanceRequest:
        return AssistanceRequest.objects.create(
            public_id=f"AR-T{next(_numbers):06d}",
            requesting_state=State.objects.get(iso3=iso3),
            fund_id=fund_code,
            title="Strengthening the national mechanism for implementation, reporting and follow-up",
            objectives="A functioning national mechanism that tracks every supported UPR recommendation.",
            expected_results="Tracking database in use by 12 ministries",
            amount_requested=amount,
            currency="USD",
            status=status,
            consent_given_by="Ministry of Foreign Affairs",
            consent_given_at=timezone.now(),
            consent_reference="NV/2026/17",
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
