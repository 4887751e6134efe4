"""The funds' findings of the hostile test (issue 19), each kept as a regression test.

Every refusal is checked twice: the answer (400, 404 or 409 with the one JSON error shape, or the
domain error) and that nothing was written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from hrcoop.assistance.models import Status
from hrcoop.core.errors import Conflict, InvalidInput
from hrcoop.core.models import Role, User
from hrcoop.core.money import MAX_AMOUNT, MAX_BALANCE, Money
from hrcoop.core.services import grant_role
from hrcoop.funds import services
from hrcoop.funds.models import Donor, Line, Pledge, Posting
from hrcoop.reference.models import Fund

D = dt.date(2026, 3, 1)
pytestmark = pytest.mark.django_db


def _books() -> tuple[int, int, int]:
    return Pledge.objects.count(), Posting.objects.count(), Line.objects.count()


@pytest.fixture
def api(client: Client, secretariat: User) -> Client:
    client.force_login(secretariat)
    return client


def _pledge_through_api(api: Client, giver: Donor, **fields: Any) -> Any:
    body = {
        "fund": "VFTC",
        "donor": giver.pk,
        "amount": "1000",
        "currency": "USD",
        "pledged_on": "2026-03-01",
        "idempotency_key": "hostile",
        **fields,
    }
    return api.post("/api/funds/pledges/", body, content_type="application/json")


@pytest.mark.parametrize("amount", ["1,5", "1,50", "12,5000.00", "1,,500", "1,500,00", ",500", "1500,"])
def test_the_api_refuses_a_comma_that_does_not_group_thousands(
    api: Client, donors: dict[str, Donor], amount: str
) -> None:
    before = _books()
    response = _pledge_through_api(api, donors["norway"], amount=amount)
    assert response.status_code == 400, response.content
    assert "not an amount" in response.json()["error"]["message"]
    assert _books() == before


def test_the_api_still_reads_commas_between_groups_of_three(api: Client, donors: dict[str, Donor]) -> None:
    response = _pledge_through_api(api, donors["norway"], amount="1,234,567.50")
    assert response.status_code == 201, response.content
    assert response.json()["amount"] == 123_456_750


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (
            "1." + "0" * 27 + "1",
            "more decimals than USD allows",
        ),  # 29 significant digits, once rounded to 1.00
        ("12345678901234567890123456789", "beyond the largest amount"),
        ("9" * 4300, "beyond the largest amount"),
        ("1." + "0" * 4300 + "1", "more decimals than USD allows"),
    ],
)
def test_the_api_refuses_amounts_it_would_have_to_round(
    api: Client, donors: dict[str, Donor], amount: str, message: str
) -> None:
    before = _books()
    response = _pledge_through_api(api, donors["norway"], amount=amount)
    assert response.status_code == 400, response.content[:300]
    assert message in response.json()["error"]["message"]
    assert len(response.json()["error"]["message"]) < 300  # the amount is quoted shortened, not repeated
    assert _books() == before


def test_every_total_the_ledger_accepts_can_be_shown(
    client: Client, secretariat: User, donors: dict[str, Donor]
) -> None:
    """Three of the largest pledges make totals beyond the largest single amount: every page shows them."""
    for n in range(3):
        services.record_pledge(
            fund_code="VFTC",
            donor_id=donors["norway"].pk,
            amount=Money(MAX_AMOUNT, "USD"),
            pledged_on=D,
            idempotency_key=f"large-{n}",
            actor=secretariat,
        )
    total = "30,000,000,000,000.00"  # 3 x 10^15 cents
    donor = donors["norway"].pk
    for url in ("/funds/", "/funds/VFTC/", f"/funds/donors/{donor}/", "/funds/VFTC/donors.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert total.replace(",", "") in response.content.decode().replace(",", "").replace("\u202f", ""), url
    for url in ("/funds/VFTC/statement.csv", "/funds/VFTC/pledges.csv", "/api/funds/", "/api/funds/VFTC/"):
        assert client.get(url).status_code == 200, url
    assert client.get("/api/funds/VFTC/").json()["balances"][0]["pledges_outstanding"] == 3 * MAX_AMOUNT


def test_a_single_amount_beyond_the_limit_is_refused_by_the_ledger(
    secretariat: User, donors: dict[str, Donor]
) -> None:
    before = _books()
    with pytest.raises(InvalidInput, match="beyond the largest amount accepted"):
        services.record_pledge(
            fund_code="VFTC",
            donor_id=donors["norway"].pk,
            amount=Money(MAX_AMOUNT + 1, "USD"),
            pledged_on=D,
            idempotency_key="too-large",
            actor=secretariat,
        )
    assert _books() == before


def test_no_account_balance_passes_the_largest_balance(secretariat: User, donors: dict[str, Donor]) -> None:
    """A thousand of the largest pledges fill an account; the next is refused, the books unchanged."""
    from hrcoop.funds.models import Account

    # Around the services: the balances a thousand of the largest pledges leave, without posting them.
    Account.objects.create(
        fund_id="VFTC", kind=Account.Kind.PLEDGES_RECEIVABLE, currency="USD", balance=MAX_BALANCE
    )
    Account.objects.create(
        fund_id="VFTC", kind=Account.Kind.CONTRIBUTIONS, currency="USD", balance=-MAX_BALANCE
    )
    before = _books()
    with pytest.raises(Conflict, match="largest balance the books keep"):
        services.record_pledge(
            fund_code="VFTC",
            donor_id=donors["norway"].pk,
            amount=Money(1, "USD"),
            pledged_on=D,
            idempotency_key="one-too-many",
            actor=secretariat,
        )
    assert _books() == before


@pytest.mark.parametrize(
    "code", ["A/B", "UPR FTA", "UPR--FTA", "-UPR", "FUND.", "ÉCOLE", "\uff211", "X" * 21]
)
def test_a_fund_code_is_letters_digits_and_hyphens(client: Client, secretariat: User, code: str) -> None:
    funds = Fund.objects.count()
    with pytest.raises(InvalidInput, match="is not a fund code"):
        services.create_fund(code=code, name="A fund", currency="USD", actor=secretariat)
    client.force_login(secretariat)
    response = client.post("/funds/new/", {"code": code, "name": "A fund", "currency": "USD"})
    assert response.status_code == 200  # the form again, with the reason
    assert Fund.objects.count() == funds
    assert client.get("/funds/").status_code == 200


RATE = {"rate": Decimal("1.08"), "rate_date": D, "rate_source": "UN operational rate"}


@pytest.mark.parametrize(
    "other",
    [
        {"rate": Decimal("1.09")},
        {"rate_date": D - dt.timedelta(days=1)},
        {"rate_source": "a newspaper"},
        {"note": "another note"},
    ],
)
def test_the_same_key_with_another_rate_or_note_is_refused(
    secretariat: User, donors: dict[str, Donor], other: dict[str, Any]
) -> None:
    def eur_pledge(**changed: Any) -> Pledge:
        return services.record_pledge(
            fund_code="VFTC",
            donor_id=donors["eu"].pk,
            amount=Money.parse("1000", "EUR"),
            pledged_on=D,
            idempotency_key="fx-pledge",
            actor=secretariat,
            **{**RATE, "note": "first", **changed},
        )

    first = eur_pledge()
    assert eur_pledge() == first  # the same content is a replay
    before = _books()
    with pytest.raises(Conflict, match="already used for a different pledge"):
        eur_pledge(**other)
    assert _books() == before


@pytest.mark.parametrize(
    "other",
    [{"rate": Decimal("0.93")}, {"rate_date": D - dt.timedelta(days=1)}, {"rate_source": "a newspaper"}],
)
def test_the_same_receipt_key_with_another_rate_is_refused(
    secretariat: User, donors: dict[str, Donor], other: dict[str, Any]
) -> None:
    pledge = services.record_pledge(
        fund_code="VFTC",
        donor_id=donors["norway"].pk,
        amount=Money.parse("1000", "USD"),
        pledged_on=D,
        idempotency_key="usd-pledge",
        actor=secretariat,
    )

    def eur_receipt(**changed: Any) -> Any:
        return services.record_receipt(
            pledge_id=pledge.pk,
            amount=Money.parse("500", "EUR"),
            received_on=D,
            idempotency_key="fx-receipt",
            actor=secretariat,
            **{**RATE, **changed},
        )

    first = eur_receipt()
    assert eur_receipt() == first
    before = _books()
    with pytest.raises(Conflict, match="already used for a different receipt"):
        eur_receipt(**other)
    assert _books() == before


def test_the_same_reversal_key_with_another_reason_is_refused(
    secretariat: User, donors: dict[str, Donor]
) -> None:
    pledge = services.record_pledge(
        fund_code="VFTC",
        donor_id=donors["norway"].pk,
        amount=Money.parse("1000", "USD"),
        pledged_on=D,
        idempotency_key="to-reverse",
        actor=secretariat,
    )
    posting = Posting.objects.get(pledge=pledge)
    reversal = services.reverse(
        posting_id=posting.pk, reason="typed twice", reversed_on=D, idempotency_key="rev", actor=secretariat
    )
    assert reversal.memo == "typed twice"
    with pytest.raises(Conflict, match="already used for a different pledge"):
        services.reverse(
            posting_id=posting.pk,
            reason="another reason",
            reversed_on=D,
            idempotency_key="rev",
            actor=secretariat,
        )


FULL_WIDTH_1000 = "\uff11\uff10\uff10\uff10"
MATHEMATICAL_1000 = "\U0001d7cf\U0001d7ce\U0001d7ce\U0001d7ce"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("amount", FULL_WIDTH_1000),
        ("amount", MATHEMATICAL_1000),
        ("amount", "1\u0660\u0660\u0660"),  # Arabic-Indic digits: a form reads them, the API does not
        ("pledged_on", "\uff12\uff10\uff12\uff16-03-01"),
        ("donor", "DONOR"),  # replaced below by the donor's id in full-width digits
        ("rate", "\uff11.08"),
        ("pledged_on", "0001-01-01"),
        ("rate_date", "2999-01-01"),
        ("rate_date", "0001-01-01"),
    ],
)
def test_the_api_refuses_other_digits_and_impossible_dates(
    api: Client, donors: dict[str, Donor], field: str, value: str
) -> None:
    donor = donors["eu"]
    if value == "DONOR":
        value = "".join(chr(0xFF10 + int(digit)) for digit in str(donor.pk))
    before = _books()
    fx = {"currency": "EUR", "rate": "1.08", "rate_date": "2026-03-01", "rate_source": "UN operational rate"}
    response = _pledge_through_api(api, donor, **{**fx, field: value})
    assert response.status_code == 400, response.content
    assert response.json()["error"]["message"]
    assert _books() == before


@pytest.mark.parametrize(
    ("changed", "message"),
    [
        ({"pledged_on": dt.date(1, 1, 1)}, "pledged_on 0001-01-01 is before 1945-10-24"),
        ({"rate_date": dt.date(2999, 1, 1)}, "2999-01-01 is in the future"),
        ({"rate_date": dt.date(1, 1, 1)}, "rate_date 0001-01-01 is before 1945-10-24"),
    ],
)
def test_the_books_refuse_dates_before_the_united_nations_or_in_the_future(
    secretariat: User, donors: dict[str, Donor], changed: dict[str, Any], message: str
) -> None:
    before = _books()
    with pytest.raises(InvalidInput, match=message):
        services.record_pledge(
            fund_code="VFTC",
            donor_id=donors["eu"].pk,
            amount=Money.parse("1000", "EUR"),
            idempotency_key="dated",
            actor=secretariat,
            **{"pledged_on": D, **RATE, **changed},
        )
    assert _books() == before


def _page(response: Any, public_id: str) -> str:
    """A page as anyone would compare two: the id asked for and the per-response CSRF token blanked."""
    return re.sub(
        r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode().replace(public_id, "ID")
    )


@pytest.mark.parametrize("scope", ["VFTC", "UPR-FTA", ""])
def test_the_allocation_form_does_not_tell_that_a_draft_exists(
    client: Client, ledger_reference: None, make_request: Callable[..., Any], scope: str
) -> None:
    """Another State's draft answers the same 404 as a request that does not exist, for any secretariat."""
    officer = User.objects.create_user(f"officer-{scope or 'all'}")
    grant_role(officer, Role.SECRETARIAT, scope=scope, actor=None)
    client.force_login(officer)
    draft = make_request(status=Status.DRAFT)
    missing = client.get("/funds/requests/AR-NONE/allocations/new/")
    response = client.get(f"/funds/requests/{draft.public_id}/allocations/new/")
    assert missing.status_code == 404
    assert response.status_code == 404
    assert _page(response, draft.public_id) == _page(missing, "AR-NONE")
    posted = client.post(
        f"/funds/requests/{draft.public_id}/allocations/new/", {"amount": "1", "allocated_on": D}
    )
    assert posted.status_code == 404


def _funded_request(secretariat: User, donors: dict[str, Donor], make_request: Callable[..., Any]) -> Any:
    pledge = services.record_pledge(
        fund_code="VFTC",
        donor_id=donors["norway"].pk,
        amount=Money(1_000_000, "USD"),
        pledged_on=D,
        idempotency_key="fund-p",
        actor=secretariat,
    )
    services.record_receipt(
        pledge_id=pledge.pk,
        amount=Money(1_000_000, "USD"),
        received_on=D,
        idempotency_key="fund-r",
        actor=secretariat,
    )
    return make_request(status=Status.APPROVED_WITH_CHANGES)


def test_reversing_the_only_allocation_returns_the_request_to_its_approval(
    secretariat: User, donors: dict[str, Donor], make_request: Callable[..., Any]
) -> None:
    request = _funded_request(secretariat, donors, make_request)
    allocation = services.allocate(
        request_id=request.public_id,
        amount=Money(100_000, "USD"),
        allocated_on=D,
        idempotency_key="a",
        actor=secretariat,
    )
    request.refresh_from_db()
    assert (request.status, request.allocation_reference) == (
        Status.FUNDED,
        f"VFTC/allocation/{allocation.pk}",
    )
    posting = Posting.objects.get(allocation=allocation, reverses__isnull=True)
    services.reverse(
        posting_id=posting.pk, reason="wrong request", reversed_on=D, idempotency_key="ra", actor=secretariat
    )
    request.refresh_from_db()
    assert (request.status, request.allocation_reference) == (Status.APPROVED_WITH_CHANGES, "")
    again = services.allocate(
        request_id=request.public_id,
        amount=Money(50_000, "USD"),
        allocated_on=D,
        idempotency_key="a2",
        actor=secretariat,
    )
    request.refresh_from_db()
    assert (request.status, request.allocation_reference) == (Status.FUNDED, f"VFTC/allocation/{again.pk}")


def test_reversing_one_of_two_allocations_keeps_the_request_funded(
    secretariat: User, donors: dict[str, Donor], make_request: Callable[..., Any]
) -> None:
    request = _funded_request(secretariat, donors, make_request)
    first, _second = (
        services.allocate(
            request_id=request.public_id,
            amount=Money(100_000, "USD"),
            allocated_on=D,
            idempotency_key=f"a{n}",
            actor=secretariat,
        )
        for n in (1, 2)
    )
    posting = Posting.objects.get(allocation=first, reverses__isnull=True)
    services.reverse(
        posting_id=posting.pk, reason="typed twice", reversed_on=D, idempotency_key="ra", actor=secretariat
    )
    request.refresh_from_db()
    assert request.status == Status.FUNDED
