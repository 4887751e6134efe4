"""Fixtures of the funds tests: a secretariat user, donors, and approved requests to allocate to.

Approved requests are written straight to the table: how a request reaches ``approved`` is the
assistance app's business and is tested there; here it is only the starting point of funding.
"""

from __future__ import annotations

import csv
import datetime
import itertools
from collections.abc import Callable

import pytest
from django.utils import timezone

from hrcoop.assistance.models import AssistanceRequest, Status
from hrcoop.core.models import Role, User
from hrcoop.core.money import Money
from hrcoop.core.services import grant_role
from hrcoop.funds import services
from hrcoop.funds.models import Donor, Posting
from hrcoop.recommendations.models import Classification, Label, Recommendation
from hrcoop.reference.models import Fund, Mechanism, Organisation, RegionalGroup, State
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


IATI_DAY = datetime.date(2025, 9, 1)  # the funded requests of the IATI tests (test_iati, test_iati_site)


@pytest.fixture
def funded(
    secretariat: User, donors: dict[str, Donor], make_request: Callable[..., AssistanceRequest]
) -> list[AssistanceRequest]:
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
    requests = [make_request(iso3=iso3) for iso3 in ("MDV", "HTI", "SEN")]
    requests[1].implementing_partners = "National Human Rights Commission"
    requests[1].save()
    recommendation = Recommendation.objects.create(
        public_id="R-TEST-1",
        identity_key="k" * 64,
        mechanism=Mechanism.objects.create(code="UPR", kind="upr", name="Universal Periodic Review"),
        state_under_review=requests[1].requesting_state,
        text="Strengthen access to justice for women",
    )
    for kind, code in (("sdg_goal", "5"), ("sdg_target", "16.3")):
        Classification.objects.create(
            recommendation=recommendation,
            label=Label.objects.create(kind=kind, code=code, name=code),
            kind=kind,
            provenance="imported",
        )
    requests[1].recommendations.add(recommendation)
    requests[2].confidential_fields = ["amount"]
    requests[2].save()
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
