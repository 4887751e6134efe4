"""A report to HTML (print CSS) and to PDF (WeasyPrint).

The renderer numbers what the builders leave unnumbered: sections (1, 2, ...), annexes (I, II, ...),
tables and figures in document order, and footnotes across the whole document; and it writes the
methods annex from the methods text of every table and figure. The build date is the only thing in the
output that is not a function of the data.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _

from hrcoop.reports.document import Chart, Report, Section, Table

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


@dataclass
class Numbered:
    number: str
    section: Section
    tables: list[tuple[int, Table, list[int]]] = field(default_factory=list)
    charts: list[tuple[int, Chart]] = field(default_factory=list)
    footnotes: list[tuple[int, str]] = field(default_factory=list)
    section_notes: list[int] = field(default_factory=list)


def _number(report: Report) -> tuple[list[Numbered], list[Numbered], list[dict[str, Any]]]:
    tables, charts, notes = 0, 0, 0
    methods: list[dict[str, Any]] = []

    def number(section: Section, label: str) -> Numbered:
        nonlocal tables, charts, notes
        numbered = Numbered(number=label, section=section)
        for text in section.footnotes:
            notes += 1
            numbered.footnotes.append((notes, text))
            numbered.section_notes.append(notes)
        for table in section.tables:
            tables += 1
            markers = []
            for text in table.footnotes:
                notes += 1
                numbered.footnotes.append((notes, text))
                markers.append(notes)
            numbered.tables.append((tables, table, markers))
            methods.append(
                {"label": _("Table %(n)s") % {"n": tables}, "caption": table.caption, "text": table.methods}
            )
        for chart in section.charts:
            charts += 1
            numbered.charts.append((charts, chart))
            methods.append(
                {"label": _("Figure %(n)s") % {"n": charts}, "caption": chart.caption, "text": chart.methods}
            )
        return numbered

    sections = [number(s, str(i)) for i, s in enumerate(report.sections, start=1)]
    annexes = [number(s, ROMAN[i]) for i, s in enumerate(report.annexes)]
    return sections, annexes, methods


def _css_string(text: str) -> str:
    """``text`` as a CSS string, its quotes, backslashes and angle brackets escaped (it sits in <style>)."""
    return '"' + re.sub(r'[\\"<>\n]', lambda m: f"\\{ord(m.group()):06x}", text) + '"'


def page_counter() -> str:
    """The CSS ``content`` of the page counter, worded in the active language.

    A bare "1 / 4" reads "4 / 1" on a right-to-left page (the bidirectional algorithm lays the two
    numbers out from right to left), so the counter is the translated sentence "Page 1 of 4", whose
    words hold each number in its place in every script.
    """
    content = []
    for part in re.split(r"(%\((?:n|total)\)s)", _("Page %(n)s of %(total)s")):
        if part == "%(n)s":
            content.append("counter(page)")
        elif part == "%(total)s":
            content.append("counter(pages)")
        elif part:
            content.append(_css_string(part))
    return " ".join(content)


def render_html(report: Report, *, built_on: dt.date) -> str:
    """The whole document as one HTML page with its charts inline and its print CSS."""
    with translation.override(report.language):
        sections, annexes, methods = _number(report)
        return render_to_string(
            "reports/document.html",
            {
                "report": report,
                "sections": sections,
                "annexes": annexes,
                "methods": methods,
                "methods_annex": ROMAN[len(annexes)],
                "built_on": built_on,
                "data_version": report.data_version(),
                "rtl": get_language_bidi(),
                "page_counter": page_counter(),
            },
        )


def render_pdf(html: str) -> bytes:
    """The PDF of ``render_html``'s page. WeasyPrint embeds the subset of each font it uses."""
    # Imported here: WeasyPrint loads Pango and fonts, which a page that only lists reports does not need.
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
