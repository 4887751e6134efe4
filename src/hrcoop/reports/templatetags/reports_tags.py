"""How a report's values are written: numbers in the page's language, money with its currency.

Every number of a report goes through ``cell``, in its tables and in its sentences alike (builders call
it for the figures they put in a text), so that each is written by Django's localisation of the active
language, thousands grouped: "1,234,567" in English, "1 234 567" in French.
"""

from __future__ import annotations

import base64
from decimal import Decimal

from django import template
from django.utils.formats import number_format

from hrcoop.core.money import Money, minor_units
from hrcoop.reports.document import Share, Value, is_figure

register = template.Library()

DASH = "\u2013"


@register.filter
def cell(value: Value) -> str:
    if value is None:
        return DASH
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    if isinstance(value, Decimal):
        return number_format(value, decimal_pos=max(0, -int(value.as_tuple().exponent)), force_grouping=True)
    if isinstance(value, Money):
        decimals = minor_units(value.currency)
        return f"{number_format(value.major(), decimal_pos=decimals, force_grouping=True)} {value.currency}"
    if isinstance(value, Share):
        percent = value.percent
        return DASH if percent is None else number_format(round(float(percent), 1), decimal_pos=1)
    return str(value)


@register.filter
def numeric(value: Value) -> bool:
    return is_figure(value)


@register.filter
def svg_data_uri(chart_svg: str) -> str:
    """The chart as a ``data:`` URI: the HTML file stands alone, and WeasyPrint draws it as an image
    instead of reading its style attributes as the page's CSS (which it does for inline SVG)."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart_svg.encode()).decode("ascii")
