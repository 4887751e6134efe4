"""``{{ row|money:"contributions" }}``: an integer field of a statement row shown as money."""

from __future__ import annotations

from typing import Any

from django import template

from hrcoop.core.money import Money

register = template.Library()


@register.filter
def money(row: Any, field: str) -> str:
    return str(Money(int(getattr(row, field)), row.currency))


@register.filter
def percent(value: float) -> str:
    return f"{100 * value:.1f} %"
