from __future__ import annotations

import pytest

from hrcoop.core.errors import InvalidInput
from hrcoop.core.money import MAX_AMOUNT, Money


def test_parse_uses_the_currency_minor_units() -> None:
    assert Money.parse("12,500.50", "usd") == Money(1_250_050, "USD")
    assert Money.parse("1500", "JPY") == Money(1500, "JPY")
    assert Money.parse("1.234", "KWD") == Money(1234, "KWD")
    assert str(Money(1_250_050, "USD")) == "12,500.50 USD"


@pytest.mark.parametrize(
    ("text", "currency", "minor_units"),
    [
        ("120,000.00", "USD", 12_000_000),  # the forms' hints, as each language writes them
        ("120 000,00", "USD", 12_000_000),
        ("120\u202f000,00", "EUR", 12_000_000),
        ("120.000,00", "USD", 12_000_000),
        ("1'234.50", "CHF", 123_450),
        ("25,000", "USD", 2_500_000),
        ("1.234.567", "USD", 123_456_700),
        ("1,5", "USD", 150),
        ("1234,56", "USD", 123_456),
        ("-5", "USD", -500),
        ("1.234", "KWD", 1_234),
        ("1,500", "JPY", 1_500),
        ("\u0661\u0662\u0660\u066c\u0660\u0660\u0660\u066b\u0665\u0660", "USD", 12_000_050),  # Arabic-Indic
    ],
)
def test_an_amount_is_read_as_its_language_writes_it(text: str, currency: str, minor_units: int) -> None:
    assert Money.parse(text, currency, as_typed=True) == Money(minor_units, currency)


@pytest.mark.parametrize(
    ("text", "currency", "message"),
    [
        ("10.5055", "USD", "more decimals than USD allows"),
        ("120.000", "USD", r"ambiguous: a decimal point, or 120000 .*e\.g\. 120,000\.00"),
        ("12.34.567", "USD", "grouped by three"),
        ("1,000.000,5", "USD", "at most one decimal mark"),
        ("25,", "USD", "at most one decimal mark"),
        ("1.5", "JPY", "more decimals than JPY allows"),
        ("ten", "USD", "not an amount"),
        ("1e6", "USD", "not an amount"),
        ("10", "XYZ", "unknown currency 'XYZ'"),
        (str(MAX_AMOUNT), "USD", "beyond the largest amount"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(text: str, currency: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        Money.parse(text, currency, as_typed=True)


def test_a_program_writes_a_point_for_decimals_and_commas_for_thousands() -> None:
    assert Money.parse("120.000", "KWD") == Money(120_000, "KWD")
    assert Money.parse("12,500.5", "USD") == Money(1_250_050, "USD")
    with pytest.raises(InvalidInput, match="more decimals than USD allows"):
        Money.parse("12.345", "USD")
    with pytest.raises(InvalidInput, match="not an amount"):
        Money.parse("120.000,00", "USD")


def test_currencies_do_not_mix_without_a_conversion() -> None:
    with pytest.raises(InvalidInput, match="cannot combine USD with EUR"):
        Money(100, "USD") + Money(100, "EUR")
    assert Money(100, "USD") - Money(30, "USD") == Money(70, "USD")
