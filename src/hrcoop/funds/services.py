"""Every write of the funds: donors, funds, and the business events that post to the ledger.

Each event service validates its input first (nothing is written for bad input), locks the fund's
``FundBook`` row, returns the earlier result when its idempotency key was already posted, writes one
posting whose lines sum to zero per currency, and then checks the rules the books must keep, still
under the lock: available (cash less open commitments) never below zero, a pledge never paid or
written off beyond what was pledged, a receipt never refunded beyond what came in, an allocation never
disbursed beyond what was allocated. A breach raises ``Conflict`` and the transaction rolls back.
Reversals go through the same checks, which is why "corrections are reversals" cannot break the books.

Cross-currency rounding rule: a conversion multiplies the exact minor-unit amount by the rate and
rounds half to even to the target currency's minor unit, once per receipt; "paid" on a pledge is the
sum of these rounded amounts in the pledge's currency and is never allowed to exceed the pledge.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrcoop.assistance.models import AssistanceRequest, Status
from hrcoop.assistance.services import mark_funded
from hrcoop.core.audit import record_event
from hrcoop.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from hrcoop.core.models import Role, User
from hrcoop.core.money import Money, check_currency, minor_units
from hrcoop.core.roles import Actor, has_role
from hrcoop.funds.classification import is_traditional
from hrcoop.funds.models import Account, Allocation, Donor, FundBook, Line, Pledge, Posting, Receipt
from hrcoop.reference.models import Fund, Organisation, State

K = Account.Kind
# The kinds of posting as messages name them (``Posting.Kind``'s labels are the ledger's English terms).
POSTING_NAMES: dict[str, Promise] = {
    Posting.Kind.PLEDGE: gettext_lazy("pledge"),
    Posting.Kind.RECEIPT: gettext_lazy("receipt"),
    Posting.Kind.ALLOCATION: gettext_lazy("allocation"),
    Posting.Kind.DISBURSEMENT: gettext_lazy("disbursement"),
    Posting.Kind.EXPENDITURE: gettext_lazy("expenditure"),
    Posting.Kind.REFUND: gettext_lazy("refund"),
    Posting.Kind.WRITE_OFF: gettext_lazy("write-off"),
}


# --- permissions, input checks ---------------------------------------------------------------------


def _require_secretariat(actor: Actor, fund: Fund | None = None) -> User | None:
    """The secretariat (of the fund, or of every fund) and admins write; ``None`` is the system itself."""
    if actor is None:
        return None
    if not has_role(actor, Role.SECRETARIAT, scope=fund.code if fund else None):
        raise Forbidden(_("only the secretariat of the fund may record this"))
    assert isinstance(actor, User)
    return actor


def _positive(money: Money, kind: str) -> Money:
    what = POSTING_NAMES[kind]
    if not isinstance(money, Money):
        # Translators: %(what)s is a kind of posting: pledge, receipt, allocation, disbursement, ...
        raise InvalidInput(_("the %(what)s must be an amount with a currency") % {"what": what})
    if money.amount <= 0:
        raise InvalidInput(
            # Translators: %(what)s is a kind of posting: pledge, receipt, allocation, disbursement, ...
            _("the %(what)s must be greater than zero (got %(amount)s)") % {"what": what, "amount": money},
            where="amount",
        )
    return money


def _key(idempotency_key: str) -> str:
    key = (idempotency_key or "").strip()
    if not key or len(key) > 200:
        raise InvalidInput(
            _("an idempotency key of 1 to 200 characters is required"), where="idempotency_key"
        )
    return key


def _date(value: datetime.date | None, what: str) -> datetime.date:
    """The books record what has happened: a date after today (in the office's zone) is a typing error
    that would open a year of its own in the statements."""
    if not isinstance(value, datetime.date):
        # Translators: %(field)s is the name of a date field, e.g. pledged_on: keep it as it is.
        raise InvalidInput(_("the %(field)s date is required") % {"field": what}, where=what)
    if value > timezone.localdate():
        raise InvalidInput(
            _("%(day)s is in the future: record it once it has happened") % {"day": value}, where=what
        )
    return value


def _not_before(day: datetime.date, earlier: datetime.date, message: str, *, where: str) -> None:
    """An entry cannot precede the one it follows from (a receipt its pledge, a refund its receipt)."""
    if day < earlier:
        raise InvalidInput(message % {"day": day, "earlier": earlier}, where=where)


@dataclass(frozen=True)
class Conversion:
    """An amount converted at a recorded rate: ``rate`` target units per one source unit (major units)."""

    result: Money
    rate: Decimal
    rate_date: datetime.date
    rate_source: str


def convert(
    money: Money,
    to_currency: str,
    *,
    rate: Decimal | str | None,
    rate_date: datetime.date | None,
    source: str,
) -> Conversion:
    """Convert with the rounding rule of this module; the rate, its date and its source are all required."""
    target = check_currency(to_currency)
    if rate is None or rate == "":
        raise InvalidInput(
            _("%(source)s to %(target)s needs an exchange rate, its date and its source")
            % {"source": money.currency, "target": target},
            where="rate",
        )
    try:
        exact_rate = Decimal(str(rate))
    except InvalidOperation as exc:
        raise InvalidInput(_("%(rate)r is not an exchange rate") % {"rate": rate}, where="rate") from exc
    if not exact_rate.is_finite() or exact_rate <= 0:
        raise InvalidInput(
            _("an exchange rate must be greater than zero (got %(rate)s)") % {"rate": rate}, where="rate"
        )
    if rate_date is None:
        raise InvalidInput(_("the date of the exchange rate is required"), where="rate_date")
    if not (source or "").strip():
        raise InvalidInput(
            _("the source of the exchange rate is required (e.g. UN operational rate)"), where="rate_source"
        )
    scale = Decimal(10) ** (minor_units(target) - minor_units(money.currency))
    converted = (Decimal(money.amount) * exact_rate * scale).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)
    result = Money(int(converted), target)
    if result.amount <= 0:
        raise InvalidInput(
            _("%(amount)s at rate %(rate)s is less than one minor unit of %(target)s")
            % {"amount": money, "rate": exact_rate, "target": target},
            where="amount",
        )
    return Conversion(result, exact_rate, rate_date, source.strip())


def _fingerprint(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


# --- the posting engine ----------------------------------------------------------------------------


def _lock(fund: Fund) -> FundBook:
    """The fund's book row, locked until the transaction ends (opened on first use for older funds).

    Only the lock is wanted, not the row: ``exists()`` takes it without building a model instance.
    """
    locked = FundBook.objects.select_for_update().filter(pk=fund.pk)
    if not locked.exists():
        FundBook.objects.get_or_create(fund=fund)
        locked.exists()  # now the row is there to lock
    return FundBook(fund=fund)


def _replay(key: str, fingerprint: str) -> Posting | None:
    """The posting already made under ``key``, if any; the same key for a different event is refused.

    The usual answer is "none", so only three columns are read; a replay then loads the posting with
    the document it returns.
    """
    found = Posting.objects.filter(idempotency_key=key).values_list("pk", "fingerprint", "kind").first()
    if found is None:
        return None
    pk, earlier_fingerprint, kind = found
    if earlier_fingerprint != fingerprint:
        raise Conflict(
            # Translators: %(what)s is a kind of posting: pledge, receipt, allocation, disbursement, ...
            _("idempotency key %(key)r was already used for a different %(what)s")
            % {"key": key, "what": POSTING_NAMES[kind]},
            where="idempotency_key",
        )
    return Posting.objects.select_related("pledge", "receipt", "allocation").get(pk=pk)


def _write(
    *,
    book: FundBook,
    kind: str,
    key: str,
    fingerprint: str,
    occurred_on: datetime.date,
    lines: Sequence[tuple[str, Money]],
    actor: User | None,
    memo: str = "",
    pledge: Pledge | None = None,
    receipt: Receipt | None = None,
    allocation: Allocation | None = None,
    reverses: Posting | None = None,
) -> Posting:
    """Post ``lines`` under the fund's lock: the posting, its lines, the account balances, then the rules."""
    totals: dict[str, int] = defaultdict(int)
    for _kind, money in lines:
        totals[money.currency] += money.amount
    if any(totals.values()):  # pragma: no cover - every caller builds balanced lines; this guards the engine
        raise RuntimeError(f"unbalanced posting: {dict(totals)}")
    fund = book.fund
    accounts = _accounts(fund, {(account_kind, money.currency) for account_kind, money in lines})
    posting = Posting.objects.create(
        fund=fund,
        kind=kind,
        idempotency_key=key,
        fingerprint=fingerprint,
        occurred_on=occurred_on,
        recorded_at=timezone.now(),
        recorded_by=actor,
        memo=memo[:500],
        pledge=pledge,
        receipt=receipt,
        allocation=allocation,
        reverses=reverses,
    )
    Line.objects.bulk_create(
        [Line(posting=posting, account_id=accounts[k, m.currency].pk, amount=m.amount) for k, m in lines]
    )
    deltas: dict[tuple[str, str], int] = defaultdict(int)
    for account_kind, money in lines:
        deltas[account_kind, money.currency] += money.amount
    _add_to_balances({accounts[where].pk: delta for where, delta in deltas.items() if delta})
    for where, delta in deltas.items():
        accounts[where].balance += delta
    _check_rules(posting, lines, accounts)
    return posting


def _accounts(fund: Fund, wanted: set[tuple[str, str]]) -> dict[tuple[str, str], Account]:
    """Every account of ``fund`` in the posting's currencies, by (kind, currency), with its balance.

    Read after the fund's lock is taken, so the balances are current: the rule on what is available
    is checked against them without reading them again. Accounts the posting needs are opened here.
    """
    accounts = {
        (a.kind, a.currency): a
        for a in Account.objects.filter(fund=fund, currency__in={c for _kind, c in wanted})
    }
    for account_kind, currency in wanted - accounts.keys():
        accounts[account_kind, currency] = Account.objects.create(
            fund=fund, kind=account_kind, currency=currency
        )
    return accounts


def _add_to_balances(deltas: dict[int, int]) -> None:
    """Add the posting's amounts to its accounts' running balances, in one call to the database.

    Plain SQL because this runs for every posting and the ORM's CASE/WHEN form of the same UPDATE
    cost a millisecond of Python each time; the increment is relative, so it is right whatever the
    balance read earlier.
    """
    if not deltas:
        return
    table = connection.ops.quote_name(Account._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET balance = balance + %s WHERE id = %s",
            [(delta, pk) for pk, delta in deltas.items()],
        )


def _sum(lines: Any) -> int:
    return int(lines.aggregate(total=Sum("amount"))["total"] or 0)


def _check_rules(
    posting: Posting, lines: Sequence[tuple[str, Money]], accounts: dict[tuple[str, str], Account]
) -> None:
    """The rules of the books, checked after the lines are written and before the transaction commits.

    A rule is checked only when the posting moves its figure the way that could break it (less
    available, less outstanding on a pledge, less kept of a receipt, less open on an allocation).
    ``accounts`` holds the fund's balances in the posting's currencies after the posting.
    """
    what = POSTING_NAMES[posting.kind]
    reversal = posting.reverses_id is not None
    fund = posting.fund

    def delta(*kinds: str, currency: str | None = None) -> int:
        return sum(m.amount for k, m in lines if k in kinds and (currency is None or m.currency == currency))

    def balance(account_kind: str, currency: str) -> int:
        account = accounts.get((account_kind, currency))
        return account.balance if account else 0

    for currency in sorted({m.currency for _kind, m in lines}):
        change = delta(K.CASH, K.COMMITMENTS, currency=currency)
        available = balance(K.CASH, currency) + balance(K.COMMITMENTS, currency)
        if change < 0 and available < 0:
            message = (
                _(
                    "%(fund)s has %(available)s available (received less committed); "
                    "the reversal of the %(what)s needs %(needed)s"
                )
                if reversal
                else _(
                    "%(fund)s has %(available)s available (received less committed); "
                    "the %(what)s needs %(needed)s"
                )
            )
            figures = {"available": Money(available - change, currency), "needed": Money(-change, currency)}
            raise Conflict(message % {"fund": fund.code, "what": what, **figures}, where="amount")
    change = delta(K.PLEDGES_RECEIVABLE)
    if posting.pledge_id is not None and change < 0:
        pledge = posting.pledge
        assert pledge is not None
        outstanding = _sum(Line.objects.filter(posting__pledge=pledge, account__kind=K.PLEDGES_RECEIVABLE))
        if outstanding < 0:
            if not reversal:
                _refuse_on_reversed_pledge(pledge)
            message = (
                _(
                    "pledge %(pledge)s has %(outstanding)s outstanding; the reversal of the %(what)s "
                    "would take %(taken)s (reverse its receipts and write-offs first)"
                )
                if reversal
                else _("pledge %(pledge)s has %(outstanding)s outstanding; the %(what)s would take %(taken)s")
            )
            figures = {
                "outstanding": Money(outstanding - change, pledge.currency),
                "taken": Money(-change, pledge.currency),
            }
            raise Conflict(message % {"pledge": pledge.pk, "what": what, **figures}, where="amount")
    change = delta(K.CASH)
    if posting.receipt_id is not None and change < 0:
        receipt = posting.receipt
        assert receipt is not None
        kept = _sum(
            Line.objects.filter(
                posting__receipt=receipt, account__kind=K.CASH, account__currency=receipt.currency
            )
        )
        if kept < 0:
            message = (
                _(
                    "receipt %(receipt)s has %(left)s left to refund; the reversal of the %(what)s "
                    "would take %(taken)s (reverse its refunds first)"
                )
                if reversal
                else _("receipt %(receipt)s has %(left)s left to refund; the %(what)s would take %(taken)s")
            )
            figures = {
                "left": Money(kept - change, receipt.currency),
                "taken": Money(-change, receipt.currency),
            }
            raise Conflict(message % {"receipt": receipt.pk, "what": what, **figures}, where="amount")
    change = delta(K.COMMITMENTS)
    if posting.allocation_id is not None and change > 0:
        allocation = posting.allocation
        assert allocation is not None
        open_commitment = -_sum(
            Line.objects.filter(posting__allocation=allocation, account__kind=K.COMMITMENTS)
        )
        if open_commitment < 0:
            message = (
                _(
                    "allocation %(allocation)s has %(open)s not yet disbursed; the reversal of the %(what)s "
                    "would take %(taken)s (reverse its disbursements first)"
                )
                if reversal
                else _(
                    "allocation %(allocation)s has %(open)s not yet disbursed; "
                    "the %(what)s would take %(taken)s"
                )
            )
            figures = {
                "open": Money(open_commitment + change, allocation.currency),
                "taken": Money(change, allocation.currency),
            }
            raise Conflict(message % {"allocation": allocation.pk, "what": what, **figures}, where="amount")


def _refuse_on_reversed_pledge(pledge: Pledge) -> None:
    """Say so when the pledge itself was reversed, rather than that nothing is outstanding on it.

    A pledge can be reversed only while nothing is paid or written off, and its receipts and
    write-offs cannot come back after that, so it has nothing outstanding for ever: every receipt
    or write-off on it breaks the outstanding rule, and only then is this looked up (one query less
    for every receipt that is fine).
    """
    if Posting.objects.filter(reverses__pledge=pledge, reverses__kind=Posting.Kind.PLEDGE).exists():
        raise Conflict(
            _("pledge %(pledge)s was reversed; record a new pledge first") % {"pledge": pledge.pk},
            where="pledge",
        )


def _audit(actor: User | None, posting: Posting, target: Any, data: dict[str, Any]) -> None:
    record_event(
        actor=actor,
        action=f"funds.{'reverse' if posting.reverses_id else posting.kind}",
        target=target,
        data={"posting": posting.pk, "fund": posting.fund_id, "key": posting.idempotency_key, **data},
    )


def _fund(code: str) -> Fund:
    fund = Fund.objects.filter(code=code).first()
    if fund is None:
        raise NotFound(_("there is no fund %(code)r") % {"code": code}, where="fund")
    return fund


# --- reference data: funds and donors -------------------------------------------------------------


@transaction.atomic
def create_fund(*, code: str, name: str, currency: str, actor: Actor) -> Fund:
    """Add a fund (secretariat or admin); its books open empty."""
    user = _require_secretariat(actor)
    code = (code or "").strip().upper()
    if not code or len(code) > 20:
        raise InvalidInput(_("a fund code of 1 to 20 characters is required"), where="code")
    if not (name or "").strip():
        raise InvalidInput(_("the fund's name is required"), where="name")
    if Fund.objects.filter(code=code).exists():
        raise Conflict(_("fund %(code)s already exists") % {"code": code}, where="code")
    fund = Fund.objects.create(code=code, name=name.strip(), currency=check_currency(currency))
    FundBook.objects.create(fund=fund)
    record_event(actor=user, action="funds.create_fund", target=fund, data={"currency": fund.currency})
    return fund


@transaction.atomic
def register_donor(
    *,
    name: str,
    kind: str,
    state_iso3: str | None = None,
    organisation_code: str | None = None,
    anonymous: bool = False,
    actor: Actor,
) -> Donor:
    """Add a donor, classified traditional or not by ``classification.is_traditional``."""
    user = _require_secretariat(actor)
    name = (name or "").strip()
    if not name:
        raise InvalidInput(_("the donor's name is required"), where="name")
    if kind not in Donor.Kind.values:
        raise InvalidInput(
            _("unknown donor kind %(kind)r: one of %(kinds)s")
            % {"kind": kind, "kinds": ", ".join(Donor.Kind.values)},
            where="kind",
        )
    state = organisation = None
    if kind in (Donor.Kind.MEMBER_STATE, Donor.Kind.OTHER_STATE):
        state = State.objects.filter(iso3=(state_iso3 or "").upper()).first()
        if state is None:
            raise InvalidInput(
                _("a State donor needs a known ISO alpha-3 code, not %(code)r") % {"code": state_iso3},
                where="state",
            )
        if (state.status == State.Status.MEMBER) != (kind == Donor.Kind.MEMBER_STATE):
            message = (
                _("%(state)s is not a Member State")
                if kind == Donor.Kind.MEMBER_STATE
                else _("%(state)s is not an observer State")
            )
            raise InvalidInput(message % {"state": state.name})
    elif organisation_code:
        organisation = Organisation.objects.filter(code=organisation_code).first()
        if organisation is None or kind != Donor.Kind.IGO:
            raise InvalidInput(
                _("unknown intergovernmental organisation %(code)r") % {"code": organisation_code},
                where="organisation",
            )
    if Donor.objects.filter(name=name).exists():
        raise Conflict(_("donor %(name)r already exists") % {"name": name}, where="name")
    donor = Donor.objects.create(
        name=name,
        kind=kind,
        state=state,
        organisation=organisation,
        anonymous=anonymous,
        traditional=is_traditional(
            state_iso3=state.iso3 if state else None,
            organisation_code=organisation.code if organisation else None,
        ),
    )
    record_event(
        actor=user, action="funds.register_donor", target=donor, data={"traditional": donor.traditional}
    )
    return donor


@transaction.atomic
def reclassify_donors(*, actor: Actor) -> int:
    """Apply the classification rule again to every donor (after the DAC list changed); returns changes."""
    user = _require_secretariat(actor)
    changed = 0
    for donor in Donor.objects.select_related("state", "organisation").select_for_update():
        traditional = is_traditional(
            state_iso3=donor.state.iso3 if donor.state else None,
            organisation_code=donor.organisation.code if donor.organisation else None,
        )
        if traditional != donor.traditional:
            Donor.objects.filter(pk=donor.pk).update(traditional=traditional)
            record_event(
                actor=user, action="funds.reclassify_donor", target=donor, data={"traditional": traditional}
            )
            changed += 1
    return changed


# --- business events --------------------------------------------------------------------------------


@transaction.atomic
def record_pledge(
    *,
    fund_code: str,
    donor_id: int,
    amount: Money,
    pledged_on: datetime.date,
    idempotency_key: str,
    rate: Decimal | str | None = None,
    rate_date: datetime.date | None = None,
    rate_source: str = "",
    note: str = "",
    actor: Actor,
) -> Pledge:
    """A donor pledges: Dr pledges receivable, Cr contributions. Another currency needs a rate."""
    fund = _fund(fund_code)
    user = _require_secretariat(actor, fund)
    _positive(amount, Posting.Kind.PLEDGE)
    key = _key(idempotency_key)
    pledged_on = _date(pledged_on, "pledged_on")
    donor = Donor.objects.filter(pk=donor_id).first()
    if donor is None:
        raise NotFound(_("there is no donor %(id)r") % {"id": donor_id}, where="donor")
    conversion = None
    if amount.currency != fund.currency:
        conversion = convert(amount, fund.currency, rate=rate, rate_date=rate_date, source=rate_source)
    fingerprint = _fingerprint({"pledge": [fund.code, donor.pk, amount.amount, amount.currency, pledged_on]})
    book = _lock(fund)
    if (earlier := _replay(key, fingerprint)) is not None:
        assert earlier.pledge is not None
        return earlier.pledge
    pledge = Pledge.objects.create(
        fund=fund,
        donor=donor,
        amount=amount.amount,
        currency=amount.currency,
        pledged_on=pledged_on,
        fund_amount=conversion.result.amount if conversion else amount.amount,
        rate=conversion.rate if conversion else None,
        rate_date=conversion.rate_date if conversion else None,
        rate_source=conversion.rate_source if conversion else "",
        note=note[:500],
    )
    posting = _write(
        book=book,
        kind=Posting.Kind.PLEDGE,
        key=key,
        fingerprint=fingerprint,
        occurred_on=pledged_on,
        lines=[(K.PLEDGES_RECEIVABLE, amount), (K.CONTRIBUTIONS, -amount)],
        actor=user,
        memo=note,
        pledge=pledge,
    )
    _audit(user, posting, pledge, {"donor": donor.pk, "amount": str(amount)})
    return pledge


@transaction.atomic
def record_receipt(
    *,
    pledge_id: int,
    amount: Money,
    received_on: datetime.date,
    idempotency_key: str,
    rate: Decimal | str | None = None,
    rate_date: datetime.date | None = None,
    rate_source: str = "",
    actor: Actor,
) -> Receipt:
    """Money in against a pledge, in full or in part, possibly in another currency (at a recorded rate)."""
    _positive(amount, Posting.Kind.RECEIPT)
    key = _key(idempotency_key)
    received_on = _date(received_on, "received_on")
    pledge = Pledge.objects.select_related("fund").filter(pk=pledge_id).first()
    if pledge is None:
        raise NotFound(
            _("there is no pledge %(id)r to receive money against") % {"id": pledge_id}, where="pledge"
        )
    user = _require_secretariat(actor, pledge.fund)
    _not_before(
        received_on,
        pledge.pledged_on,
        _("the money cannot be received on %(day)s, before the pledge of %(earlier)s"),
        where="received_on",
    )
    conversion = None
    if amount.currency != pledge.currency:
        conversion = convert(amount, pledge.currency, rate=rate, rate_date=rate_date, source=rate_source)
    paid = conversion.result if conversion else amount
    fingerprint = _fingerprint(
        {"receipt": [pledge.pk, amount.amount, amount.currency, received_on, str(rate)]}
    )
    book = _lock(pledge.fund)
    if (earlier := _replay(key, fingerprint)) is not None:
        assert earlier.receipt is not None
        return earlier.receipt
    receipt = Receipt.objects.create(
        pledge=pledge,
        amount=amount.amount,
        currency=amount.currency,
        received_on=received_on,
        pledge_amount=paid.amount,
        rate=conversion.rate if conversion else None,
        rate_date=conversion.rate_date if conversion else None,
        rate_source=conversion.rate_source if conversion else "",
    )
    lines = [(K.CASH, amount), (K.PLEDGES_RECEIVABLE, -paid)]
    if conversion:
        lines += [(K.FX_CONVERSION, -amount), (K.FX_CONVERSION, paid)]
    posting = _write(
        book=book,
        kind=Posting.Kind.RECEIPT,
        key=key,
        fingerprint=fingerprint,
        occurred_on=received_on,
        lines=lines,
        actor=user,
        pledge=pledge,
        receipt=receipt,
    )
    _audit(user, posting, receipt, {"pledge": pledge.pk, "amount": str(amount), "paid": str(paid)})
    return receipt


FUNDABLE = (Status.APPROVED, Status.APPROVED_WITH_CHANGES)
TOP_UP = (Status.FUNDED, Status.IN_IMPLEMENTATION)


@transaction.atomic
def allocate(
    *,
    request_id: str,
    amount: Money,
    allocated_on: datetime.date,
    idempotency_key: str,
    actor: Actor,
) -> Allocation:
    """Commit money of the request's fund to an approved request, under the fund's lock.

    Refused beyond what is available. The first allocation moves the request to ``funded`` through
    ``assistance.services.mark_funded`` in the same transaction; a funded request may be topped up.
    """
    _positive(amount, Posting.Kind.ALLOCATION)
    key = _key(idempotency_key)
    allocated_on = _date(allocated_on, "allocated_on")
    request = (
        AssistanceRequest.objects.select_related("fund").filter(public_id=(request_id or "").strip()).first()
    )
    if request is None:
        raise NotFound(_("there is no request for assistance %(id)r") % {"id": request_id}, where="request")
    fund = request.fund
    user = _require_secretariat(actor, fund)
    if amount.currency != request.currency:
        raise InvalidInput(
            _("request %(id)s is in %(currency)s, not %(other)s")
            % {"id": request.public_id, "currency": request.currency, "other": amount.currency}
        )
    fingerprint = _fingerprint(
        {"allocation": [request.public_id, amount.amount, amount.currency, allocated_on]}
    )
    book = _lock(fund)
    if (earlier := _replay(key, fingerprint)) is not None:
        assert earlier.allocation is not None
        return earlier.allocation
    request.refresh_from_db(fields=["status"])
    if request.status not in FUNDABLE + TOP_UP:
        raise Conflict(
            _(
                "request %(id)s is %(status)s: "
                "only an approved (or already funded) request can receive an allocation"
            )
            % {"id": request.public_id, "status": request.get_status_display().lower()},
            where="request",
        )
    allocation = Allocation.objects.create(
        fund=fund, request=request, amount=amount.amount, currency=amount.currency, allocated_on=allocated_on
    )
    posting = _write(
        book=book,
        kind=Posting.Kind.ALLOCATION,
        key=key,
        fingerprint=fingerprint,
        occurred_on=allocated_on,
        lines=[(K.ALLOCATIONS, amount), (K.COMMITMENTS, -amount)],
        actor=user,
        allocation=allocation,
    )
    _audit(user, posting, allocation, {"request": request.public_id, "amount": str(amount)})
    if request.status in FUNDABLE:
        mark_funded(request, actor=actor, allocation_reference=f"{fund.code}/allocation/{allocation.pk}")
    return allocation


@transaction.atomic
def disburse(
    *, allocation_id: int, amount: Money, disbursed_on: datetime.date, idempotency_key: str, actor: Actor
) -> Posting:
    """Pay out (part of) an allocation: Dr commitments, Cr cash."""
    _positive(amount, Posting.Kind.DISBURSEMENT)
    key = _key(idempotency_key)
    disbursed_on = _date(disbursed_on, "disbursed_on")
    allocation = Allocation.objects.select_related("fund").filter(pk=allocation_id).first()
    if allocation is None:
        raise NotFound(_("there is no allocation %(id)r") % {"id": allocation_id}, where="allocation")
    user = _require_secretariat(actor, allocation.fund)
    _not_before(
        disbursed_on,
        allocation.allocated_on,
        _("the allocation cannot be disbursed on %(day)s, before it was made on %(earlier)s"),
        where="disbursed_on",
    )
    if amount.currency != allocation.currency:
        raise InvalidInput(
            _("allocation %(id)s is in %(currency)s, not %(other)s")
            % {"id": allocation.pk, "currency": allocation.currency, "other": amount.currency}
        )
    fingerprint = _fingerprint({"disbursement": [allocation.pk, amount.amount, disbursed_on]})
    book = _lock(allocation.fund)
    if (earlier := _replay(key, fingerprint)) is not None:
        return earlier
    posting = _write(
        book=book,
        kind=Posting.Kind.DISBURSEMENT,
        key=key,
        fingerprint=fingerprint,
        occurred_on=disbursed_on,
        lines=[(K.COMMITMENTS, amount), (K.CASH, -amount)],
        actor=user,
        allocation=allocation,
    )
    _audit(user, posting, posting, {"allocation": allocation.pk, "amount": str(amount)})
    return posting


@transaction.atomic
def record_expenditure(
    *,
    fund_code: str,
    amount: Money,
    spent_on: datetime.date,
    description: str,
    idempotency_key: str,
    actor: Actor,
) -> Posting:
    """A direct expense of the fund (e.g. travel paid by the fund itself): Dr expenditure, Cr cash."""
    fund = _fund(fund_code)
    user = _require_secretariat(actor, fund)
    _positive(amount, Posting.Kind.EXPENDITURE)
    key = _key(idempotency_key)
    spent_on = _date(spent_on, "spent_on")
    if not (description or "").strip():
        raise InvalidInput(_("say what the expenditure was for"), where="description")
    fingerprint = _fingerprint(
        {"expenditure": [fund.code, amount.amount, amount.currency, spent_on, description]}
    )
    book = _lock(fund)
    if (earlier := _replay(key, fingerprint)) is not None:
        return earlier
    posting = _write(
        book=book,
        kind=Posting.Kind.EXPENDITURE,
        key=key,
        fingerprint=fingerprint,
        occurred_on=spent_on,
        lines=[(K.EXPENDITURE, amount), (K.CASH, -amount)],
        actor=user,
        memo=description,
    )
    _audit(user, posting, posting, {"amount": str(amount)})
    return posting


@transaction.atomic
def refund(
    *,
    receipt_id: int,
    amount: Money,
    refunded_on: datetime.date,
    reason: str,
    idempotency_key: str,
    actor: Actor,
) -> Posting:
    """Return money to the donor out of a receipt, in the receipt's currency: Dr refunds, Cr cash."""
    _positive(amount, Posting.Kind.REFUND)
    key = _key(idempotency_key)
    refunded_on = _date(refunded_on, "refunded_on")
    receipt = Receipt.objects.select_related("pledge__fund").filter(pk=receipt_id).first()
    if receipt is None:
        raise NotFound(_("there is no receipt %(id)r") % {"id": receipt_id}, where="receipt")
    fund = receipt.pledge.fund
    user = _require_secretariat(actor, fund)
    _not_before(
        refunded_on,
        receipt.received_on,
        _("the money cannot be refunded on %(day)s, before it came in on %(earlier)s"),
        where="refunded_on",
    )
    if amount.currency != receipt.currency:
        raise InvalidInput(
            _("receipt %(id)s came in %(currency)s; refund it in %(currency)s")
            % {"id": receipt.pk, "currency": receipt.currency}
        )
    fingerprint = _fingerprint({"refund": [receipt.pk, amount.amount, refunded_on, reason]})
    book = _lock(fund)
    if (earlier := _replay(key, fingerprint)) is not None:
        return earlier
    posting = _write(
        book=book,
        kind=Posting.Kind.REFUND,
        key=key,
        fingerprint=fingerprint,
        occurred_on=refunded_on,
        lines=[(K.REFUNDS, amount), (K.CASH, -amount)],
        actor=user,
        memo=reason,
        pledge=receipt.pledge,
        receipt=receipt,
    )
    _audit(user, posting, receipt, {"amount": str(amount), "reason": reason})
    return posting


@transaction.atomic
def write_off(
    *,
    pledge_id: int,
    amount: Money,
    written_off_on: datetime.date,
    reason: str,
    idempotency_key: str,
    actor: Actor,
) -> Posting:
    """Write off (part of) a pledge that will not be paid: Dr write-offs, Cr pledges receivable."""
    _positive(amount, Posting.Kind.WRITE_OFF)
    key = _key(idempotency_key)
    written_off_on = _date(written_off_on, "written_off_on")
    pledge = Pledge.objects.select_related("fund").filter(pk=pledge_id).first()
    if pledge is None:
        raise NotFound(_("there is no pledge %(id)r") % {"id": pledge_id}, where="pledge")
    user = _require_secretariat(actor, pledge.fund)
    _not_before(
        written_off_on,
        pledge.pledged_on,
        _("the pledge cannot be written off on %(day)s, before it was made on %(earlier)s"),
        where="written_off_on",
    )
    if amount.currency != pledge.currency:
        raise InvalidInput(
            _("pledge %(id)s is in %(currency)s; write it off in %(currency)s")
            % {"id": pledge.pk, "currency": pledge.currency}
        )
    fingerprint = _fingerprint({"write_off": [pledge.pk, amount.amount, written_off_on, reason]})
    book = _lock(pledge.fund)
    if (earlier := _replay(key, fingerprint)) is not None:
        return earlier
    posting = _write(
        book=book,
        kind=Posting.Kind.WRITE_OFF,
        key=key,
        fingerprint=fingerprint,
        occurred_on=written_off_on,
        lines=[(K.WRITE_OFFS, amount), (K.PLEDGES_RECEIVABLE, -amount)],
        actor=user,
        memo=reason,
        pledge=pledge,
    )
    _audit(user, posting, pledge, {"amount": str(amount), "reason": reason})
    return posting


@transaction.atomic
def reverse(
    *, posting_id: int, reason: str, reversed_on: datetime.date, idempotency_key: str, actor: Actor
) -> Posting:
    """Correct a posting by one that negates its lines; refused if the books would break."""
    key = _key(idempotency_key)
    reversed_on = _date(reversed_on, "reversed_on")
    if not (reason or "").strip():
        raise InvalidInput(_("say why the posting is reversed"), where="reason")
    original = (
        Posting.objects.select_related("fund", "pledge", "receipt", "allocation")
        .filter(pk=posting_id)
        .first()
    )
    if original is None:
        raise NotFound(_("there is no posting %(id)r") % {"id": posting_id}, where="posting")
    user = _require_secretariat(actor, original.fund)
    _not_before(
        reversed_on,
        original.occurred_on,
        _("the posting cannot be reversed on %(day)s, before it occurred on %(earlier)s"),
        where="reversed_on",
    )
    fingerprint = _fingerprint({"reverse": [original.pk]})
    book = _lock(original.fund)
    if (earlier := _replay(key, fingerprint)) is not None:
        return earlier
    if original.reverses_id is not None:
        raise Conflict(
            _("posting %(id)s is itself a reversal; record the event again instead") % {"id": original.pk}
        )
    if Posting.objects.filter(reverses=original).exists():
        raise Conflict(_("posting %(id)s was already reversed") % {"id": original.pk})
    lines = [
        (line.account.kind, Money(-line.amount, line.account.currency))
        for line in original.lines.select_related("account")
    ]
    posting = _write(
        book=book,
        kind=original.kind,
        key=key,
        fingerprint=fingerprint,
        occurred_on=reversed_on,
        lines=lines,
        actor=user,
        memo=reason,
        pledge=original.pledge,
        receipt=original.receipt,
        allocation=original.allocation,
        reverses=original,
    )
    _audit(user, posting, posting, {"reverses": original.pk, "reason": reason})
    return posting
