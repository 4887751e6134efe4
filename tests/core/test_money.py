from __future__ import annotations

import pytest

from hrcoop.core.errors import InvalidInput
from hrcoop.core.money import MAX_MINOR_UNITS, Money


def test_parse_uses_the_currency_minor_units() -> None:
    assert Money.parse("12,500.50", "usd") == Money(1_250_050, "USD")
    assert Money.parse("1500", "JPY") == Money(1500, "JPY")
    assert Money.parse("1.234", "KWD") == Money(1234, "KWD")
    assert str(Money(1_250_050, "USD")) == "12,500.50 USD"


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("10.505", "USD", "more decimals than USD allows"),
        ("1.5", "JPY", "more decimals than JPY allows"),
        ("ten", "USD", "not an amount"),
        ("1e6", "USD", "not an amount"),
        ("10", "XYZ", "unknown currency 'XYZ'"),
        (str(MAX_MINOR_UNITS), "USD", "beyond the largest amount"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(text: str, currency: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        Money.parse(text, currency)


def test_currencies_do_not_mix_without_a_conversion() -> None:
    with pytest.raises(InvalidInput, match="cannot combine USD with EUR"):
        Money(100, "USD") + Money(100, "EUR")
    assert Money(100, "USD") - Money(30, "USD") == Money(70, "USD")
