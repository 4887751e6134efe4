"""The posting engine: every ledger event is declared once (``Event``) and written by one function (``post``).

``post`` takes the fund's lock, returns the earlier posting when the idempotency key was already used
for the same content (and refuses it for other content), creates the event's document, writes one
posting whose lines sum to zero per currency, moves the accounts' balances, and checks the rules the
books must keep, still under the lock: available (cash less open commitments) never below zero, a
pledge never paid or written off beyond what was pledged, a receipt never refunded beyond what came in,
an allocation never disbursed beyond what was allocated, no balance beyond ``MAX_BALANCE``. A breach
raises ``Conflict`` and the transaction rolls back. Reversals go through the same checks, which is why
"corrections are reversals" cannot break the books.

The services (``funds/services.py``) find what an event refers to and who may record it; everything
the events have in common happens here.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

from django.db import IntegrityError, connection, transaction
from django.db.models import Model, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hrcoop.core import formatting
from hrcoop.core.audit import record_event
from hrcoop.core.errors import Conflict, InvalidInput
from hrcoop.core.models import User
from hrcoop.core.money import MAX_BALANCE, Money, check_day
from hrcoop.funds.actions import POSTING_ACTIONS, FundsAction
from hrcoop.funds.models import Account, Line, Pledge, Posting
from hrcoop.reference.models import Fund

K = Account.Kind
Lines = Sequence[tuple[str, Money]]

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


@dataclass(frozen=True)
class Event:
    """One kind of ledger event: the accounts its amount debits and credits, the name of its date, and
    the message for a date before the entry it follows from (a receipt before its pledge)."""

    kind: str
    debit: str
    credit: str
    day: str
    too_early: Promise | None = None

    def lines(self, amount: Money, converted: Money | None = None) -> list[tuple[str, Money]]:
        """Debit ``amount``, credit it; credited in another currency (``converted``: a receipt in another
        currency than its pledge's), the difference goes through the currency conversion account."""
        if converted is None or converted.currency == amount.currency:
            return [(self.debit, amount), (self.credit, -amount)]
        return [
            (self.debit, amount),
            (self.credit, -converted),
            (K.FX_CONVERSION, -amount),
            (K.FX_CONVERSION, converted),
        ]


# What an event dated before the entry it follows from is told.
RECEIVED_TOO_EARLY = gettext_lazy("the money cannot be received on %(day)s, before the pledge of %(earlier)s")
DISBURSED_TOO_EARLY = gettext_lazy(
    "the allocation cannot be disbursed on %(day)s, before it was made on %(earlier)s"
)
REFUNDED_TOO_EARLY = gettext_lazy("the money cannot be refunded on %(day)s, before it came in on %(earlier)s")
WRITTEN_OFF_TOO_EARLY = gettext_lazy(
    "the pledge cannot be written off on %(day)s, before it was made on %(earlier)s"
)
REVERSED_TOO_EARLY = gettext_lazy(
    "the posting cannot be reversed on %(day)s, before it occurred on %(earlier)s"
)

PLEDGE = Event(Posting.Kind.PLEDGE, K.PLEDGES_RECEIVABLE, K.CONTRIBUTIONS, "pledged_on")
RECEIPT = Event(Posting.Kind.RECEIPT, K.CASH, K.PLEDGES_RECEIVABLE, "received_on", RECEIVED_TOO_EARLY)
ALLOCATION = Event(Posting.Kind.ALLOCATION, K.ALLOCATIONS, K.COMMITMENTS, "allocated_on")
DISBURSEMENT = Event(Posting.Kind.DISBURSEMENT, K.COMMITMENTS, K.CASH, "disbursed_on", DISBURSED_TOO_EARLY)
EXPENDITURE = Event(Posting.Kind.EXPENDITURE, K.EXPENDITURE, K.CASH, "spent_on")
REFUND = Event(Posting.Kind.REFUND, K.REFUNDS, K.CASH, "refunded_on", REFUNDED_TOO_EARLY)
WRITE_OFF = Event(
    Posting.Kind.WRITE_OFF, K.WRITE_OFFS, K.PLEDGES_RECEIVABLE, "written_off_on", WRITTEN_OFF_TOO_EARLY
)
# A reversal negates the lines of the posting it corrects and keeps its kind; only its date is its own.
REVERSAL = Event("", "", "", "reversed_on", REVERSED_TOO_EARLY)


# --- the input every event has ---------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """An event's input, checked before anything is read: its amount (none for a reversal), its
    idempotency key as stored, and its date. ``post`` takes it whole."""

    event: Event
    amount: Money | None
    key: str
    day: datetime.date


def checked_input(event: Event, *, amount: Money | None, key: str, day: datetime.date | None) -> Checked:
    """The event's amount (if it has one), idempotency key and date, checked before anything is read."""
    if event is not REVERSAL:
        _positive(amount, event.kind)
    stripped = (key or "").strip()
    if not stripped or len(stripped) > 200:
        raise InvalidInput(
            _("an idempotency key of 1 to 200 characters is required"), where="idempotency_key"
        )
    return Checked(event, amount, stripped, check_day(day, event.day))


def _positive(money: Money | None, kind: str) -> Money:
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
    return money.checked()


# --- posting ----------------------------------------------------------------------------------------


P = ParamSpec("P")
R = TypeVar("R")


def event_service(service: Callable[P, R]) -> Callable[P, R]:
    """A ledger event's service: one transaction, run once more if another fund's posting took the same
    idempotency key at the same moment.

    The key is unique across funds, but each posting locks only its own fund, so two funds can insert
    one key at once; the database lets the first commit and refuses the second. Run again, the second
    finds the first posting under the lock and answers as for any reused key: the same result for the
    same content, ``Conflict`` for other content.
    """
    atomic = transaction.atomic(service)

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return atomic(*args, **kwargs)
        except IntegrityError:
            key = str(kwargs.get("idempotency_key") or "").strip()
            if not Posting.objects.filter(idempotency_key=key).exists():
                raise
            return atomic(*args, **kwargs)

    return run


def post(
    checked: Checked,
    *,
    fund: Fund,
    sent: dict[str, Any],
    actor: User | None,
    converted: Money | None = None,
    follows: datetime.date | None = None,
    memo: str = "",
    links: dict[str, Model | None] | None = None,
    document: Callable[[], dict[str, Model]] | None = None,
    lines: Callable[[], Lines] | None = None,
    about: Model | None = None,
    audit: dict[str, Any] | None = None,
    then: Callable[[Posting], None] | None = None,
) -> Posting:
    """Post the ``checked`` event of ``fund``: the one way anything reaches the ledger.

    ``sent`` is everything the caller sent that makes this event what it is (the idempotency
    fingerprint: the same key with anything else is refused); ``converted`` is what ``amount`` is worth
    in the currency of the account it credits; ``follows`` is the date of the entry it follows from;
    ``links`` the documents it is about; ``document`` creates the event's own document (a pledge, a
    receipt, an allocation) once the key is known to be new; ``lines`` replaces the event's debit and
    credit (a reversal's negated lines). The audit event is about the new document, else ``about``, else
    the posting, and records the lines and ``audit``; ``then`` runs after it, for a new posting only.
    """
    event, amount, key, day = checked.event, checked.amount, checked.key, checked.day
    if follows is not None and day < follows:
        assert event.too_early is not None
        raise InvalidInput(str(event.too_early) % {"day": day, "earlier": follows}, where=event.day)
    fingerprint = hashlib.sha256(json.dumps(sent, sort_keys=True, default=str).encode()).hexdigest()
    _lock(fund)
    if (earlier := _replay(key, fingerprint)) is not None:
        return earlier
    created = document() if document else {}
    links = {**(links or {}), **created}
    if lines is not None:
        entries = lines()
    else:
        assert amount is not None
        entries = event.lines(amount, converted)
    reverses = links.get("reverses")
    assert reverses is None or isinstance(reverses, Posting)
    posting = _write(
        fund=fund,
        kind=reverses.kind if reverses else event.kind,
        key=key,
        fingerprint=fingerprint,
        day=day,
        lines=entries,
        actor=actor,
        memo=memo,
        links=links,
    )
    record_event(
        actor=actor,
        action=FundsAction.REVERSAL if posting.reverses_id else POSTING_ACTIONS[posting.kind],
        target=next(iter(created.values()), about or posting),
        data={
            "posting": posting.pk,
            "fund": fund.pk,
            "key": key,
            "lines": recorded_lines(entries),
            **(audit or {}),
        },
    )
    if then is not None:
        then(posting)
    return posting


def recorded_lines(lines: Lines) -> list[list[Any]]:
    """A posting's lines as its audit event records them, sorted: the hash chain of the audit log then
    guards them, and ``selectors.tampered_postings`` compares the ledger with this record."""
    return sorted([kind, money.currency, money.amount] for kind, money in lines)


def _lock(fund: Fund) -> None:
    """Lock the fund's row until the transaction ends: every posting of the fund waits for the one before.

    The fund's own row, so that every fund has its lock however it was added (by ``create_fund`` or
    with the reference data). ``no_key``: a FOR NO KEY UPDATE lock, which does not wait for, nor
    hold up, other transactions that only insert rows referring to the fund (a new request).
    Only the lock is wanted, not the row: ``exists()`` takes it without building a model instance.
    """
    Fund.objects.select_for_update(no_key=True).filter(pk=fund.pk).exists()


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
    fund: Fund,
    kind: str,
    key: str,
    fingerprint: str,
    day: datetime.date,
    lines: Lines,
    actor: User | None,
    memo: str,
    links: dict[str, Model | None],
) -> Posting:
    """Post ``lines`` under the fund's lock: the posting, its lines, the account balances, then the rules."""
    totals: dict[str, int] = defaultdict(int)
    for _kind, money in lines:
        totals[money.currency] += money.amount
    if any(totals.values()):  # pragma: no cover - every event builds balanced lines; this guards the engine
        raise RuntimeError(f"unbalanced posting: {dict(totals)}")
    accounts = _accounts(fund, {(account_kind, money.currency) for account_kind, money in lines})
    posting = Posting.objects.create(
        fund=fund,
        kind=kind,
        idempotency_key=key,
        fingerprint=fingerprint,
        occurred_on=day,
        recorded_at=timezone.now(),
        recorded_by=actor,
        memo=memo[:500],
        **links,
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


# --- the rules of the books -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Posted:
    """What the rules need of a posting just written: its lines and the balances they left."""

    posting: Posting
    lines: Lines
    accounts: dict[tuple[str, str], Account]

    @property
    def what(self) -> Promise:
        return POSTING_NAMES[self.posting.kind]

    @property
    def reversal(self) -> bool:
        return self.posting.reverses_id is not None

    def delta(self, *kinds: str, currency: str | None = None) -> int:
        return sum(
            m.amount for k, m in self.lines if k in kinds and (currency is None or m.currency == currency)
        )

    def balance(self, account_kind: str, currency: str) -> int:
        account = self.accounts.get((account_kind, currency))
        return account.balance if account else 0

    def refuse(
        self, message: Promise, reversal_message: Promise, figures: dict[str, Money | str | int]
    ) -> None:
        """Refuse the posting, its amounts written as the reader's language writes them."""
        chosen = reversal_message if self.reversal else message
        shown = {k: formatting.money(v) if isinstance(v, Money) else v for k, v in figures.items()}
        raise Conflict(str(chosen) % {"what": self.what, **shown}, where="amount")


def _check_rules(posting: Posting, lines: Lines, accounts: dict[tuple[str, str], Account]) -> None:
    """The rules of the books, checked after the lines are written and before the transaction commits.

    A rule is checked only when the posting moves its figure the way that could break it (less
    available, less outstanding on a pledge, less kept of a receipt, less open on an allocation).
    ``accounts`` holds the fund's balances in the posting's currencies after the posting.
    """
    posted = _Posted(posting, lines, accounts)
    _check_balances(posted)
    _check_available(posted)
    _check_documents(posted)


def _check_balances(posted: _Posted) -> None:
    """No account beyond ``MAX_BALANCE`` either way, so that every sum the statements take fits."""
    for (kind, currency), account in posted.accounts.items():
        if abs(account.balance) > MAX_BALANCE:
            raise Conflict(
                _("the %(account)s of %(fund)s would pass the largest balance the books keep (%(limit)s)")
                % {
                    "account": Account.Kind(kind).label.lower(),
                    "fund": posted.posting.fund_id,
                    "limit": formatting.money(Money(MAX_BALANCE, currency)),
                },
                where="amount",
            )


def _check_available(posted: _Posted) -> None:
    for currency in sorted({m.currency for _kind, m in posted.lines}):
        change = posted.delta(K.CASH, K.COMMITMENTS, currency=currency)
        available = posted.balance(K.CASH, currency) + posted.balance(K.COMMITMENTS, currency)
        if change < 0 and available < 0:
            posted.refuse(
                gettext_lazy(
                    "%(fund)s has %(available)s available (received less committed); "
                    "the %(what)s needs %(needed)s"
                ),
                gettext_lazy(
                    "%(fund)s has %(available)s available (received less committed); "
                    "the reversal of the %(what)s needs %(needed)s"
                ),
                {
                    "fund": posted.posting.fund_id,
                    "available": Money(available - change, currency),
                    "needed": Money(-change, currency),
                },
            )


@dataclass(frozen=True)
class _DocumentRule:
    """A posting may not take more from a document (a pledge, a receipt, an allocation) than is left on
    it: what is left is the sum of the document's lines in ``account`` (times ``sign``: -1 where the
    account is credited as the document grows), and a posting takes when it lowers that sum."""

    document: str  # the posting's field, and the document's name in the messages
    account: str
    sign: int
    left: str  # what is left, as the messages name it
    message: Promise
    reversal_message: Promise
    same_currency: bool = False  # only the lines in the document's own currency count


_DOCUMENT_RULES = (
    _DocumentRule(
        "pledge",
        K.PLEDGES_RECEIVABLE,
        1,
        "outstanding",
        gettext_lazy("pledge %(pledge)s has %(outstanding)s outstanding; the %(what)s would take %(taken)s"),
        gettext_lazy(
            "pledge %(pledge)s has %(outstanding)s outstanding; the reversal of the %(what)s "
            "would take %(taken)s (reverse its receipts and write-offs first)"
        ),
    ),
    _DocumentRule(
        "receipt",
        K.CASH,
        1,
        "left",
        gettext_lazy("receipt %(receipt)s has %(left)s left to refund; the %(what)s would take %(taken)s"),
        gettext_lazy(
            "receipt %(receipt)s has %(left)s left to refund; the reversal of the %(what)s "
            "would take %(taken)s (reverse its refunds first)"
        ),
        same_currency=True,
    ),
    _DocumentRule(
        "allocation",
        K.COMMITMENTS,
        -1,
        "open",
        gettext_lazy(
            "allocation %(allocation)s has %(open)s not yet disbursed; the %(what)s would take %(taken)s"
        ),
        gettext_lazy(
            "allocation %(allocation)s has %(open)s not yet disbursed; the reversal of the %(what)s "
            "would take %(taken)s (reverse its disbursements first)"
        ),
    ),
)


def _check_documents(posted: _Posted) -> None:
    for rule in _DOCUMENT_RULES:
        _check_document(posted, rule)


def _check_document(posted: _Posted, rule: _DocumentRule) -> None:
    change = rule.sign * posted.delta(rule.account)
    document = getattr(posted.posting, rule.document)
    if document is None or change >= 0:
        return
    lines = Line.objects.filter(**{f"posting__{rule.document}": document}, account__kind=rule.account)
    if rule.same_currency:
        lines = lines.filter(account__currency=document.currency)
    left = rule.sign * _sum(lines)
    if left >= 0:
        return
    if rule.document == "pledge" and not posted.reversal:
        _refuse_on_reversed_pledge(document)
    posted.refuse(
        rule.message,
        rule.reversal_message,
        {
            rule.document: document.pk,
            rule.left: Money(left - change, document.currency),
            "taken": Money(-change, document.currency),
        },
    )


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
