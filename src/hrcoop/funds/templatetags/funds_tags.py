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
    return formatting.money(Money(int(getattr(row, field)), row.currency))


@register.filter
def percent(value: float) -> str:
    return formatting.percent(value)
