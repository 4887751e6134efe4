"""Numbers, amounts, dates and session names as the reader's language writes them.

Everything a page, a chart, a PDF or an export's labelled column shows goes through Django's
localisation (``django.utils.formats``), which follows the active language: "12,345.5" in English,
Arabic and Chinese, "12 345,5" in French, Spanish and Russian (``config/formats/`` completes Django's
formats from the CLDR). One date style per language, ``DATE_FORMAT``: "6 December 2026",
"6 décembre 2026", "2026年12月6日"... Machine-readable values (ISO dates, codes, the API and the
exports' code columns) never come through here. docs/languages.md.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import formats
from django.utils.translation import pgettext

from hrcoop.core.money import Money, minor_units


def number(value: int | float | Decimal, *, decimals: int | None = None) -> str:
    """A number with the language's grouping and decimal marks (``decimals`` fixes the places)."""
    return formats.number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def money(value: Money) -> str:
    """An amount with its currency's decimals and its ISO code: "1,250.00 USD", "1 250,00 USD"."""
    return f"{number(value.major(), decimals=minor_units(value.currency))} {value.currency}"


def percent(share: float | Decimal, *, decimals: int = 1) -> str:
    """A share of one (0.125) as a percentage in the language's way: "12.5 %", "12,5 %"."""
    return f"{number(round(Decimal(str(share)) * 100, decimals), decimals=decimals)}\u00a0%"


def date(value: dt.date) -> str:
    """A date in the language's one date style (``DATE_FORMAT``)."""
    return formats.date_format(value, "DATE_FORMAT", use_l10n=True)


def session_name(body: str, number: int) -> str:
    """A session of a body as its documents name it: "HRC 16" is "CDH 16" in French, "UPR 21" "EPU 21".

    ``body`` is "HRC" (the Human Rights Council), "UPR" (its Working Group on the Universal Periodic
    Review) or "GA" (the General Assembly); any other body is written as given.
    """
    names = {
        # Translators: a session of the Human Rights Council, e.g. "HRC 16" (French "CDH 16").
        "HRC": pgettext("session", "HRC %(number)s"),
        # Translators: a session of the UPR Working Group, e.g. "UPR 21" (French "EPU 21").
        "UPR": pgettext("session", "UPR %(number)s"),
        # Translators: a session of the General Assembly, e.g. "GA 78" (French "AG 78").
        "GA": pgettext("session", "GA %(number)s"),
    }
    return names.get(body, f"{body} %(number)s") % {"number": number}
