"""SVG charts drawn from a report's tables, byte for byte the same for the same table.

Determinism: ``svg.hashsalt`` fixes the ids matplotlib would draw at random, and the metadata carry no
date. The charts hold no words, only numbers, written as the text writes them (grouped, in the report's
language); every label (series, categories, axis) is written by the page beside the chart. Neither
matplotlib nor an SVG renderer shapes Arabic reliably (matplotlib draws letters unjoined and left to
right; WeasyPrint's SVG text places marks apart from their letters), while the page's HTML text is
shaped properly in every language.
"""

from __future__ import annotations

import io
from typing import Any

from hrcoop.reports.document import Chart, Table
from hrcoop.reports.templatetags.reports_tags import cell

PALETTE = ["#0b5394", "#6fa8dc", "#e69138", "#999999", "#93c47d", "#cc4125", "#674ea7"]
STYLE: Any = {  # matplotlib types its keys as literals
    "svg.hashsalt": "hrcoop-reports",
    "svg.fonttype": "none",
    "font.family": ["DejaVu Sans"],
    "font.size": 9,
}


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def _localised_ticks(axes: Any) -> None:
    """Write the value axis's numbers as the report's text does: in the active language, grouped."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: cell(int(value))))


def _categories(table: Table) -> list[tuple[str, str]]:
    """The chart's category keys (1, 2, ...) and the row each stands for."""
    return [(str(index), str(row[0])) for index, row in enumerate(table.rows, start=1)]


def stacked_bars(table: Table, *, series: list[str], key: str, caption: str, methods: str) -> Chart:
    """One bar per row of ``table``, stacked by the columns named in ``series``."""
    # Imported here: matplotlib costs about 1.5 s, which commands that draw nothing should not pay.
    import matplotlib
    from matplotlib.figure import Figure

    categories = _categories(table)
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(7, 3), layout="constrained")
        axes = figure.add_subplot()
        ticks = [number for number, _label in categories]
        bottom = [0] * len(ticks)
        for colour, name in zip(PALETTE, series, strict=False):
            values = [int(v or 0) for v in table.values(name)]  # type: ignore[arg-type]
            axes.bar(ticks, values, bottom=bottom, color=colour)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        _localised_ticks(axes)
        svg = _svg(figure)
    return Chart(
        key=key,
        caption=caption,
        svg=svg,
        methods=methods,
        series=list(zip(PALETTE, series, strict=False)),
        categories=categories,
    )


def bars(table: Table, *, column: str, key: str, caption: str, methods: str) -> Chart:
    """One bar per row of ``table``: the value of ``column``."""
    import matplotlib
    from matplotlib.figure import Figure

    categories = _categories(table)
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(7, 2.6), layout="constrained")
        axes = figure.add_subplot()
        values = [int(v or 0) for v in table.values(column)]  # type: ignore[arg-type]
        axes.bar([number for number, _label in categories], values, color=PALETTE[0])
        _localised_ticks(axes)
        svg = _svg(figure)
    return Chart(
        key=key,
        caption=caption,
        svg=svg,
        methods=methods,
        series=[(PALETTE[0], column)],
        categories=categories,
    )
