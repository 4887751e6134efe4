"""SVG charts drawn from a report's tables, byte for byte the same for the same table.

Determinism: ``svg.hashsalt`` fixes the ids matplotlib would draw at random, and the metadata carry no
date. Text stays text (``svg.fonttype: none``) so that WeasyPrint shapes it with the document's fonts
(the page's CSS names them, Arabic and Chinese included): matplotlib itself neither joins Arabic letters
nor orders them right to left. matplotlib measures the labels with DejaVu Sans only to lay the chart
out, so its warnings about glyphs DejaVu lacks are silenced: those glyphs are never drawn by it.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from django.utils.translation import gettext as _

from hrcoop.reports.document import Chart, Table

PALETTE = ["#0b5394", "#6fa8dc", "#e69138", "#999999", "#93c47d", "#cc4125", "#674ea7"]
STYLE: Any = {  # matplotlib types its keys as literals
    "svg.hashsalt": "hrcoop-reports",
    "svg.fonttype": "none",
    "font.family": ["DejaVu Sans"],
    "font.size": 9,
}


def _svg(figure: Any) -> str:
    buffer = io.StringIO()
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def stacked_bars(table: Table, *, series: list[str], key: str, caption: str) -> Chart:
    """One bar per row of ``table``, stacked by the columns named in ``series``."""
    # Imported here: matplotlib costs about 1.5 s, which commands that draw nothing should not pay.
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(7, 3.2), layout="constrained")
        axes = figure.add_subplot()
        labels = [str(row[0]) for row in table.rows]
        bottom = [0] * len(table.rows)
        for colour, name in zip(PALETTE, series, strict=False):
            values = [int(v or 0) for v in table.values(name)]  # type: ignore[arg-type]
            axes.bar(labels, values, bottom=bottom, color=colour, label=name)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        axes.set_ylabel(_("Recommendations") if "recommendation" in table.key else _("Number"))
        axes.legend(fontsize="small", loc="upper left")
        axes.tick_params(axis="x", labelrotation=0 if len(labels) < 6 else 30)
        svg = _svg(figure)
    return Chart(
        key=key,
        caption=caption,
        svg=svg,
        methods=_("Drawn from table %(table)s: the same figures, stacked by %(series)s.")
        % {"table": table.caption, "series": ", ".join(series)},
    )


def bars(table: Table, *, column: str, key: str, caption: str) -> Chart:
    """One horizontal bar per row of ``table``, the value of ``column``."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(7, 0.35 * len(table.rows) + 1), layout="constrained")
        axes = figure.add_subplot()
        labels = [str(row[0]) for row in table.rows][::-1]
        values = [int(v or 0) for v in table.values(column)][::-1]  # type: ignore[arg-type]
        axes.barh(labels, values, color=PALETTE[0])
        axes.set_xlabel(column)
        svg = _svg(figure)
    return Chart(
        key=key,
        caption=caption,
        svg=svg,
        methods=_("Drawn from table %(table)s: column %(column)s.")
        % {"table": table.caption, "column": column},
    )
