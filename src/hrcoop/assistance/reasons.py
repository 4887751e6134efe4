"""Reasons the register publishes must not give away an amount the State keeps confidential.

The board's reasons for approving or declining are published (resolution para 22), and a board
member writing "approved at USD 48,000" would undo the State's choice in one line. Before a reason of
a request with a confidential amount is published, ``amounts_in`` looks for any currency amount
(a number next to an ISO 4217 code or a currency sign or word) and for any number that reads as the
amount requested or one of its budget lines, however it is grouped ("48000", "48,000.00",
"48 000", "48'000", "48k"). The service refuses such a reason and the form warns before it is sent.

Written here rather than with a library: the question is "could a reader take this for the amount",
which a number parser (Babel) does not answer; the patterns below are the ways people write money.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from hrcoop.assistance.models import AssistanceRequest, ConfidentialField
from hrcoop.core.money import Money, currencies

_SIGNS = "$€£¥₣₹₽元"
_WORDS = r"dollars?|euros?|francs?|pounds?|yen|yuan|roubles?|rubles?|dirhams?|rials?|riyals?|pesos?"
# Grouped by threes with a space, a point, a comma or an apostrophe, or not grouped; a decimal part.
_NUMBER = r"\d{1,3}(?:[\s\u00a0\u202f'\u2019.,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
_THOUSANDS = r"\s?(?:k|thousand|mille|millier)\b"


def _currency_pattern() -> re.Pattern[str]:
    codes = "|".join(sorted(currencies(), key=len, reverse=True))
    unit = rf"(?:\b(?:{codes})\b|[{_SIGNS}]|\b(?:{_WORDS})\b)"
    return re.compile(rf"{unit}\s?(?:{_NUMBER})|(?:{_NUMBER})(?:{_THOUSANDS})?\s?{unit}", re.IGNORECASE)


def _readings(token: str) -> set[Decimal]:
    """The values a reader could take ``token`` for: separators as grouping, or the last as decimal mark."""
    compact = re.sub(r"[\s'\u2019\u00a0\u202f]", "", token)
    values = {re.sub(r"[.,]", "", compact)}
    marks = [i for i, c in enumerate(compact) if c in ".,"]
    if marks:
        last = marks[-1]
        values.add(re.sub(r"[.,]", "", compact[:last]) + "." + compact[last + 1 :])
    readings = set()
    for value in values:
        try:
            readings.add(Decimal(value))
        except InvalidOperation:
            continue
    return readings


def confidential_amounts(request: AssistanceRequest) -> set[Decimal]:
    """The amounts, in major units, that the State keeps out of the register."""
    amounts = [request.amount_requested] + [int(line.get("amount") or 0) for line in request.budget_lines]
    return {Money(a, request.currency).major() for a in amounts if a}


def amounts_in(text: str, request: AssistanceRequest) -> list[str]:
    """What in ``text`` reads as money, when the request's amount is confidential (else nothing)."""
    if not request.is_confidential(ConfidentialField.AMOUNT):
        return []
    found = [m.group(0).strip() for m in _currency_pattern().finditer(text)]
    secret = confidential_amounts(request)
    for match in re.finditer(rf"(?:{_NUMBER})(?P<k>{_THOUSANDS})?", text, re.IGNORECASE):
        number = match.group(0)[: match.start("k") - match.start()] if match.group("k") else match.group(0)
        scale = 1000 if match.group("k") else 1
        if any(value * scale in secret for value in _readings(number.strip())):
            token = match.group(0).strip()
            if not any(token in earlier for earlier in found):
                found.append(token)
    return list(dict.fromkeys(found))
