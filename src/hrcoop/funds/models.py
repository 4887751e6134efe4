"""Donors, the documents of the funds (pledges, receipts, allocations) and the double-entry ledger.

The ledger is the truth about money. Every business event is one ``Posting`` whose ``Line`` rows sum
to zero in each currency (debits positive, credits negative); documents (``Pledge``, ``Receipt``,
``Allocation``) say what the event was about and never hold a balance of their own. A correction is a
reversal posting that negates the lines of the original, so that nothing once posted is edited.

``Account.balance`` is the running sum of the account's lines, kept in the same transaction as the
lines (``hrcoop.funds.selectors.ledger_problems`` checks that it always is). Every posting of a fund
first locks the fund's own row (``funds/ledger.py``): the lock that makes "allocate only what is
available" hold when several people allocate at once.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Ord, Substr
from django.db.models.lookups import Range
from django.utils.translation import gettext_lazy as _

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.core.money import Money
from hrcoop.reference.models import Fund, Organisation, State

# Rules of the books that are facts about a single row, kept by the database too (the services check
# them first, with messages a person can act on): what a bug or a hand-written UPDATE cannot break.


def _currency_code(model: str = "%(class)s") -> models.CheckConstraint:
    """Three upper-case ASCII letters (compared by code point: a collation may sort "b" between A and Z)."""
    condition = Q(Range(Length("currency"), (3, 3)))
    for position in (1, 2, 3):
        condition &= Q(Range(Ord(Substr("currency", position, 1)), (ord("A"), ord("Z"))))
    return models.CheckConstraint(condition=condition, name=f"funds_{model}_currency_code")


def _positive(*fields: str) -> models.CheckConstraint:
    condition = Q()
    for field in fields:
        condition &= Q(**{f"{field}__gt": 0})
    return models.CheckConstraint(condition=condition, name="funds_%(class)s_positive")


def _rate_recorded_whole() -> models.CheckConstraint:
    """A conversion rate with its date and its source, greater than zero; or no rate at all."""
    none = Q(rate__isnull=True, rate_date__isnull=True, rate_source="")
    whole = Q(rate__gt=0, rate_date__isnull=False) & ~Q(rate_source="")
    return models.CheckConstraint(condition=none | whole, name="funds_%(class)s_rate_whole")


def _recorded_rate() -> tuple[models.DecimalField, models.DateField, models.CharField]:
    """The columns of the rate a conversion used, its date and its source (empty when none was needed).

    New fields at each call, so that each document lists them where it declares them.
    """
    return (
        models.DecimalField(max_digits=24, decimal_places=12, null=True, blank=True),
        models.DateField(null=True, blank=True),
        models.CharField(max_length=200, blank=True),
    )


def _money_columns(help_text: str = "") -> tuple[models.BigIntegerField, models.CharField]:
    """The columns of a document's amount of money: minor units (``help_text`` says of what), currency."""
    return models.BigIntegerField(help_text=help_text), models.CharField(max_length=3)


class Document(models.Model):
    """What a pledge, a receipt and an allocation have in common: an amount of money, ``amount`` minor
    units of ``currency``. Each declares the columns (``_money_columns``) where its pages list them."""

    amount: int
    currency: str

    class Meta:
        abstract = True

    @property
    def money(self) -> Money:
        return Money(self.amount, self.currency)


def _document_meta(*, dated: str, positive: tuple[str, ...], converted: bool = False) -> type[Any]:
    """The options of a document: newest first by its date; its amounts positive, its currency a code
    and, for a document in another currency than the one it counts in, its rate recorded whole."""
    rules = [_positive(*positive), _currency_code()]
    if converted:
        rules.append(_rate_recorded_whole())

    class Meta:
        ordering = [f"-{dated}", "-id"]
        constraints = rules

    return Meta


class Donor(models.Model):
    """Who gives: a State, an intergovernmental organisation, a foundation or a private donor."""

    class Kind(models.TextChoices):
        MEMBER_STATE = "member_state", _("Member State")
        OTHER_STATE = "other_state", _("Other State")
        IGO = "igo", _("Intergovernmental organisation")
        FOUNDATION = "foundation", _("Foundation")
        PRIVATE = "private", _("Private donor")

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    state = models.ForeignKey(State, null=True, blank=True, on_delete=models.PROTECT, related_name="donors")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="donors"
    )
    traditional = models.BooleanField(
        help_text="Member of the OECD Development Assistance Committee (see funds/classification.py)"
    )
    anonymous = models.BooleanField(
        default=False, help_text="Shown to the public as an anonymous donor (private donors may ask for it)"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Account(models.Model):
    """A ledger account of one fund in one currency. Debit balances are positive."""

    class Kind(models.TextChoices):
        CASH = "cash", _("Cash")
        PLEDGES_RECEIVABLE = "pledges_receivable", _("Pledges receivable")
        CONTRIBUTIONS = "contributions", _("Contributions (income)")
        WRITE_OFFS = "write_offs", _("Pledges written off")
        REFUNDS = "refunds", _("Refunds to donors")
        FX_CONVERSION = "fx_conversion", _("Currency conversion")
        ALLOCATIONS = "allocations", _("Allocations to requests")
        COMMITMENTS = "commitments", _("Open commitments")
        EXPENDITURE = "expenditure", _("Direct expenditure")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    currency = models.CharField(max_length=3)
    balance = models.BigIntegerField(default=0, help_text="Sum of the lines, in minor units; debit positive")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "kind", "currency"], name="funds_account_unique"),
            _currency_code("account"),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.kind} {self.currency}"


class Pledge(Document):
    """A donor's promise to pay a fund; its value in the fund's currency is fixed on the pledge date."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="pledges")
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="pledges")
    amount, currency = _money_columns("Minor units of ``currency``")
    pledged_on = models.DateField()
    fund_amount = models.BigIntegerField(help_text="Value in the fund's currency of account, minor units")
    rate, rate_date, rate_source = _recorded_rate()
    note = models.CharField(max_length=500, blank=True)

    Meta = _document_meta(dated="pledged_on", positive=("amount", "fund_amount"), converted=True)

    def __str__(self) -> str:
        return f"pledge {self.pk} by {self.donor} of {self.money}"


class Receipt(Document):
    """Money received against a pledge, possibly in another currency (then with the rate used)."""

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="receipts")
    amount, currency = _money_columns("Minor units of ``currency`` as received")
    received_on = models.DateField()
    pledge_amount = models.BigIntegerField(help_text="What the receipt pays of the pledge, in its currency")
    rate, rate_date, rate_source = _recorded_rate()

    Meta = _document_meta(dated="received_on", positive=("amount", "pledge_amount"), converted=True)

    def __str__(self) -> str:
        return f"receipt {self.pk} of {self.money} on pledge {self.pledge_id}"


class Allocation(Document):
    """Money of a fund committed to an approved request for assistance."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="allocations")
    request = models.ForeignKey(AssistanceRequest, on_delete=models.PROTECT, related_name="allocations")
    amount, currency = _money_columns()
    allocated_on = models.DateField()

    Meta = _document_meta(dated="allocated_on", positive=("amount",))

    def __str__(self) -> str:
        return f"allocation {self.pk} of {self.money} to request {self.request_id}"


class Posting(models.Model):
    """One business event in the books. Never edited: a correction is a reversal (``reverses``)."""

    class Kind(models.TextChoices):
        PLEDGE = "pledge", "Pledge"
        RECEIPT = "receipt", "Receipt"
        ALLOCATION = "allocation", "Allocation"
        DISBURSEMENT = "disbursement", "Disbursement"
        EXPENDITURE = "expenditure", "Expenditure"
        REFUND = "refund", "Refund"
        WRITE_OFF = "write_off", "Write-off"

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="postings")
    kind = models.CharField(
        max_length=20, choices=Kind.choices, help_text="A reversal keeps the kind it undoes"
    )
    idempotency_key = models.CharField(max_length=200, unique=True)
    fingerprint = models.CharField(max_length=64, help_text="Hash of the event's content, to catch key reuse")
    occurred_on = models.DateField(db_index=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    memo = models.CharField(max_length=500, blank=True)
    pledge = models.ForeignKey(
        Pledge, null=True, blank=True, on_delete=models.PROTECT, related_name="postings"
    )
    receipt = models.ForeignKey(
        Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="postings"
    )
    allocation = models.ForeignKey(
        Allocation, null=True, blank=True, on_delete=models.PROTECT, related_name="postings"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversal"
    )

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["fund", "occurred_on"])]

    def __str__(self) -> str:
        return f"{'reversal of ' if self.reverses_id else ''}{self.kind} {self.pk} ({self.fund_id})"


class Line(models.Model):
    """One side of a posting: ``amount`` minor units of the account's currency, debit positive."""

    posting = models.ForeignKey(Posting, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    amount = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="funds_line_not_zero")]

    def __str__(self) -> str:
        return f"{self.account}: {self.amount}"
