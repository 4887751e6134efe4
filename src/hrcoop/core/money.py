"""Money as an integer number of minor units and an ISO 4217 code (DESIGN.md §4).

Never a float, never a DECIMAL summed by the database: SQLite sums DECIMAL columns in floating point.
Amounts entered by people ("12,500.50 USD") are parsed here with the currency's own number of minor
units, and anything that does not fit (a third decimal for USD, an unknown code, an amount beyond
what a 64-bit column holds) is refused with a message that says so.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _

from hrcoop.core.errors import InvalidInput

# The largest amount we store, in minor units: far beyond any fund, far inside a signed 64-bit column,
# so that sums of many amounts cannot overflow either.
MAX_MINOR_UNITS = 10**15


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
        if abs(self.amount) > MAX_MINOR_UNITS:
            raise InvalidInput(
                _("amount %(amount)s %(currency)s is beyond the largest amount accepted")
                % {"amount": self.amount, "currency": self.currency}
            )

    @classmethod
    def parse(cls, text: str | int | Decimal, currency: str) -> Money:
        """Parse a major-unit amount such as ``"12,500.50"`` into minor units of ``currency``."""
        code = check_currency(currency)
        exponent = currencies()[code][0]
        raw = str(text).strip().replace(",", "").replace("\u00a0", "").replace(" ", "")
        if not re.fullmatch(r"-?\d+(\.\d+)?", raw):
            raise InvalidInput(
                _("%(text)r is not an amount: write digits with an optional decimal point") % {"text": text}
            )
        try:
            value = Decimal(raw)
        except InvalidOperation as exc:  # pragma: no cover - the regex above admits only valid decimals
            raise InvalidInput(_("%(text)r is not an amount") % {"text": text}) from exc
        scaled = value.scaleb(exponent)
        if scaled != scaled.to_integral_value():
            raise InvalidInput(
                _("%(text)r has more decimals than %(currency)s allows (%(decimals)d)")
                % {"text": text, "currency": code, "decimals": exponent}
            )
        return cls(int(scaled), code)

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
