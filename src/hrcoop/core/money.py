"""Money as an integer number of minor units and an ISO 4217 code (DESIGN.md §4).

Never a float, never a DECIMAL summed by the database: SQLite sums DECIMAL columns in floating point.
Amounts entered by people ("12,500.50 USD") are parsed here with the currency's own number of minor
units, and anything that does not fit (a third decimal for USD, an unknown code, an amount beyond
``MAX_AMOUNT``) is refused with a message that says so. Conversions between currencies at a recorded
rate live here too, so that every module rounds them the same way.

The accepted range is one fact, kept here: a single amount (typed, imported or posted) is at most
``MAX_AMOUNT`` minor units either way (``Money.checked``); the ledger keeps every account's balance
within ``MAX_BALANCE``, so that any sum of a fund's amounts fits a signed 64-bit column and SQLite's
integer ``SUM``. A ``Money`` itself holds any whole number, so that every total the books accept can
be shown.
"""

from __future__ import annotations

import csv
import datetime
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation, localcontext
from functools import cache
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from hrcoop.core.errors import InvalidInput

# The largest single amount, in minor units: far beyond any fund's event (ten trillion USD).
MAX_AMOUNT = 10**15
# The largest balance of one account, in minor units: a thousand of the largest amounts, and a ninth
# of what a signed 64-bit column holds.
MAX_BALANCE = 10**18


# What a program writes (``Money.parse`` without ``as_typed``): commas only between groups of three.
# Its digits are ASCII: Python's ``\d`` also matches full-width and mathematical digits, which no
# program writes on purpose and which hide an amount from whoever reads the text later.
_MACHINE_AMOUNT = r"(-?)([0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?)"
# The earliest day an amount or a rate can carry: the United Nations' first. An earlier date (year 1,
# 1900) is a typing error that would open a statement year of its own.
EARLIEST_DAY = datetime.date(1945, 10, 24)


@cache
def currencies() -> dict[str, tuple[int, str]]:
    """ISO 4217 code -> (number of minor units, English name), from the project's reference file."""
    path = Path(__file__).with_name("data") / "currencies.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        return {row["code"]: (int(row["minor_units"]), row["name"]) for row in csv.DictReader(handle)}


def check_currency(code: str) -> str:
    """Return the code if it is an active ISO 4217 currency, else raise ``InvalidInput``."""
    normalised = (code or "").strip().upper()
    if normalised not in currencies():
        raise InvalidInput(
            _("unknown currency %(code)r: expected an ISO 4217 code such as USD, EUR or CHF") % {"code": code}
        )
    return normalised


def minor_units(currency: str) -> int:
    return currencies()[check_currency(currency)][0]


def _shortened(text: str) -> str:
    """Text to quote back in a message: a pasted page of digits is cut, not repeated."""
    return text if len(text) <= 40 else text[:37] + "..."


def _beyond_limit(amount: str, currency: str) -> InvalidInput:
    # Imported here: core/formatting writes amounts, so it imports this module.
    from hrcoop.core.formatting import money

    return InvalidInput(
        _("%(amount)s is beyond the largest amount accepted (%(limit)s)")
        % {"amount": _shortened(amount), "limit": money(Money(MAX_AMOUNT, currency))},
        where="amount",
    )


def _plain_number(digits: str, *, text: str, exponent: int) -> str:
    """``digits`` (digits, points and commas) as a plain decimal such as "1234.5", reading the marks as
    ``Money.parse`` explains."""
    marks = [mark for mark in ".," if mark in digits]
    if len(marks) == 2:
        decimal_mark = max(marks, key=digits.rindex)
    elif not marks or digits.count(marks[0]) > 1:
        decimal_mark = ""
    elif len(digits.rpartition(marks[0])[2]) != 3:
        decimal_mark = marks[0]
    elif marks[0] == "," or exponent >= 3:
        decimal_mark = "" if marks[0] == "," else "."
    else:
        whole, _sep, tail = digits.rpartition(".")
        raise InvalidInput(
            _(
                "%(text)r is ambiguous: a decimal point, or %(large)s with its thousands grouped? "
                "Write it without the point, or with its decimals (e.g. %(example)s)"
            )
            % {"text": text, "large": whole + tail, "example": f"{whole},{tail}.00"}
        )
    whole, _sep, decimals = digits.rpartition(decimal_mark) if decimal_mark else (digits, "", "")
    group_mark = "".join(mark for mark in marks if mark != decimal_mark)
    grouped = rf"\d{{1,3}}(\{group_mark}\d{{3}})*" if group_mark else r"\d+"
    if not re.fullmatch(grouped, whole) or (decimal_mark and not decimals.isdigit()):
        raise InvalidInput(
            _(
                "%(text)r is not an amount: write digits, grouped by three if you like, "
                "with at most one decimal mark"
            )
            % {"text": text}
        )
    plain = whole.replace(group_mark, "") if group_mark else whole
    return f"{plain}.{decimals}" if decimal_mark else plain


@dataclass(frozen=True, order=True)
class Money:
    """An exact amount: ``amount`` minor units of ``currency`` (e.g. Money(1050, "USD") is 10.50 USD)."""

    amount: int
    currency: str

    def __post_init__(self) -> None:
        check_currency(self.currency)
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise InvalidInput(
                _("an amount must be a whole number of minor units, not %(amount)r") % {"amount": self.amount}
            )

    @classmethod
    def parse(cls, text: str | int | Decimal, currency: str, *, as_typed: bool = False) -> Money:
        """Parse a major-unit amount into minor units of ``currency``.

        Programs (the API, imports) write "12500.50" or "12,500.50": a point is the decimal mark and
        commas group thousands, by three ("1,5" and "1,,500" are refused, never read as 15 or 1500).
        People typing into a form (``as_typed``) write amounts as their
        language does, and the forms' hints show them so: "120,000.00", "120 000,00", "120.000,00".
        Spaces and apostrophes only ever group thousands; where both a point and a comma appear, the
        last is the decimal mark. A lone comma before three digits groups thousands ("25,000"); a lone
        point before three digits could be either ("120.000" is 120 in English and 120,000 in
        Spanish), so for a currency with fewer than three decimals it is refused rather than guessed.
        The digits are read as written, never rounded: more decimals than the currency has, or more
        digits than the largest amount, is refused however many digits there are.
        """
        code = check_currency(currency)
        exponent = currencies()[code][0]
        raw = re.sub("[\\s'\u2019]", "", str(text))  # spaces and apostrophes group thousands
        if as_typed:  # Arabic's own decimal and thousands marks; its digits are digits to Python already
            raw = raw.replace("\u066b", ".").replace("\u066c", ",")
        match = re.fullmatch(r"(-?)(\d[\d.,]*)" if as_typed else _MACHINE_AMOUNT, raw)
        if match is None:
            message = (
                _("%(text)r is not an amount: write digits with an optional decimal point")
                if as_typed
                else _(
                    "%(text)r is not an amount: write digits with a point for decimals "
                    "and, if you like, commas between groups of three digits (e.g. 12,500.50)"
                )
            )
            raise InvalidInput(message % {"text": text}, where="amount")
        sign, digits = match.groups()
        plain = (
            _plain_number(digits, text=str(text), exponent=exponent) if as_typed else digits.replace(",", "")
        )
        whole, _point, decimals = plain.partition(".")
        if len(decimals.rstrip("0")) > exponent:
            raise InvalidInput(
                _("%(text)r has more decimals than %(currency)s allows (%(decimals)d)")
                % {"text": _shortened(str(text)), "currency": code, "decimals": exponent},
                where="amount",
            )
        if len(whole.lstrip("0")) + exponent > len(str(MAX_AMOUNT)):  # before ``int`` reads 4,000 digits
            raise _beyond_limit(str(text), code)
        return cls(int(sign + whole + decimals.ljust(exponent, "0")[:exponent]), code).checked()

    def checked(self) -> Money:
        """This amount if it is within ``MAX_AMOUNT`` either way: the one check of a single amount's size."""
        if abs(self.amount) > MAX_AMOUNT:
            raise _beyond_limit(str(self), self.currency)
        return self

    def major(self) -> Decimal:
        """The amount in major units, exact."""
        return Decimal(self.amount).scaleb(-minor_units(self.currency))

    def __str__(self) -> str:
        exponent = minor_units(self.currency)
        return f"{self.major():,.{exponent}f} {self.currency}"

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount - other.amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise InvalidInput(
                _("cannot combine %(currency)s with %(other)s without a conversion")
                % {"currency": self.currency, "other": other.currency}
            )


def check_day(value: datetime.date | None, what: str) -> datetime.date:
    """A day on which money moved or a rate held: required, not before ``EARLIEST_DAY``, not after today
    in the office's zone (the books record what has happened; any other date is a typing error that
    would open a year of its own in the statements)."""
    if not isinstance(value, datetime.date):
        # Translators: %(field)s is the name of a date field, e.g. pledged_on: keep it as it is.
        raise InvalidInput(_("the %(field)s date is required") % {"field": what}, where=what)
    if value > timezone.localdate():
        raise InvalidInput(
            _("%(day)s is in the future: record it once it has happened") % {"day": value}, where=what
        )
    if value < EARLIEST_DAY:
        raise InvalidInput(
            # Translators: %(field)s is the name of a date field, e.g. pledged_on: keep it as it is.
            _("%(field)s %(day)s is before %(earliest)s: check the year")
            % {"field": what, "day": value, "earliest": EARLIEST_DAY},
            where=what,
        )
    return value


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
    """Convert at a recorded rate; the rate, its date and its source are all required.

    The rounding rule: multiply the exact minor-unit amount by the rate and round half to even to the
    target currency's minor unit, once. The product is computed with enough digits to be exact (the
    default 28 would round it once before the rule does).
    """
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
    check_day(rate_date, "rate_date")
    if not (source or "").strip():
        raise InvalidInput(
            _("the source of the exchange rate is required (e.g. UN operational rate)"), where="rate_source"
        )
    scale = Decimal(10) ** (minor_units(target) - minor_units(money.currency))
    with localcontext(prec=100):
        converted = (Decimal(money.amount) * exact_rate * scale).quantize(
            Decimal(1), rounding=ROUND_HALF_EVEN
        )
    result = Money(int(converted), target)
    if result.amount <= 0:
        raise InvalidInput(
            _("%(amount)s at rate %(rate)s is less than one minor unit of %(target)s")
            % {"amount": money, "rate": exact_rate, "target": target},
            where="amount",
        )
    return Conversion(result.checked(), exact_rate, rate_date, source.strip())
