"""Ordinal and cardinal words as UN texts spell sessions ("fiftieth", "Forty-seventh", "seventy-sixth")."""

from __future__ import annotations

import re

_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TEENS = [
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_UNIT_ORDINALS = ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth"]
_TEEN_ORDINALS = [
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]


def _ordinal_word(n: int) -> str:
    if n < 10:
        return _UNIT_ORDINALS[n]
    if n < 20:
        return _TEEN_ORDINALS[n - 10]
    tens, units = divmod(n, 10)
    if units == 0:
        return _TENS[tens][:-1] + "ieth"
    return f"{_TENS[tens]}-{_UNIT_ORDINALS[units]}"


def _cardinal_word(n: int) -> str:
    if n < 10:
        return _UNITS[n]
    if n < 20:
        return _TEENS[n - 10]
    tens, units = divmod(n, 10)
    return _TENS[tens] if units == 0 else f"{_TENS[tens]}-{_UNITS[units]}"


ORDINALS: dict[str, int] = {_ordinal_word(n): n for n in range(1, 100)}
CARDINALS: dict[str, int] = {_cardinal_word(n): n for n in range(1, 100)}
ORDINAL_PATTERN = "(?:" + "|".join(sorted(ORDINALS, key=len, reverse=True)) + ")"
ORDINAL_RE = re.compile(ORDINAL_PATTERN, re.IGNORECASE)


def ordinal_value(word: str) -> int | None:
    """``"Forty-seventh"`` -> 47; ``None`` for anything else (also "hundredth" and beyond)."""
    return ORDINALS.get(word.lower().replace("\u2011", "-").replace("\u2010", "-"))


def number_value(word: str) -> int | None:
    """``"three"`` or ``"3"`` -> 3."""
    if word.isdigit():
        return int(word)
    return CARDINALS.get(word.lower())
