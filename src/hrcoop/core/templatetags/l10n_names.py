"""Template filters that write for the reader in the page's language (``core.formatting``).

``{{ mandate.due_session|session:mandate.due_body }}`` is "HRC 50" in English and "CDH 50" in
French; ``{{ pledge.money|amount }}`` is "1,250.00 USD" or "1 250,00 USD" (``in_currency`` for minor
units); ``{{ share|percent }}`` "12.5 %"; ``{{ event.action|action_label }}`` "Request submitted" for
the stored ``assistance.submit``.
"""

from __future__ import annotations

from django import template

from hrcoop.core import audit, formatting
from hrcoop.core.money import Money

register = template.Library()


@register.filter
def session(number: int | None, body: str) -> str:
    return "" if number is None else formatting.session_name(body, number)


@register.filter
def amount(value: Money | None) -> str:
    return "" if value is None else formatting.money(value)


@register.filter
def in_currency(minor_units: int | None, currency: str) -> str:
    """An amount stored in minor units, as ``amount`` writes it: ``{{ line.amount|in_currency:"USD" }}``."""
    return "" if not minor_units else formatting.money(Money(minor_units, currency))


@register.filter
def percent(share: float | None) -> str:
    return "" if share is None else formatting.percent(share)


@register.filter
def action_label(value: str) -> str:
    """A stored audit action as its declared label says it, in the reader's language."""
    return audit.action_label(value)
