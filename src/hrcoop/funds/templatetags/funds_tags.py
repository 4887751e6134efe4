"""``{{ row|money:"contributions" }}``: an integer field of a statement row shown as money, and
``{{ share|percent }}``, both written in the page's language (``core.formatting``)."""

from __future__ import annotations

from typing import Any

from django import template

from hrcoop.core import formatting
from hrcoop.core.money import Money

register = template.Library()


@register.filter
def money(row: Any, field: str) -> str:
    """The amount, or a dash where the reader may not see it (rows with ``shown``: funds/disclosure.py)."""
    value = row.shown(field) if hasattr(row, "shown") else getattr(row, field)
    return "\u2014" if value is None else formatting.money(Money(int(value), row.currency))


@register.filter
def percent(value: float) -> str:
    return formatting.percent(value)
