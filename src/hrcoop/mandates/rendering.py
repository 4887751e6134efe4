"""A paragraph's text as HTML: citations become links (named instruments ``<cite>``), footnote markers
superscript links.

Offsets were recorded by the parser on the plain text, so the markup is placed without re-reading it.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from hrcoop.mandates.models import Citation


def citation_href(citation: Citation) -> str:
    if citation.target_id:
        return reverse("mandates:resolution", args=[citation.target_id])
    return f"https://undocs.org/{citation.number if citation.kind == 'document' else _symbol(citation)}"


def _symbol(citation: Citation) -> str:
    series = {"HRC": "A/HRC/", "GA": "A/"}.get(citation.body)
    if series is None:
        return citation.number
    return f"{series}{'DEC' if citation.kind == 'decision' else 'RES'}/{citation.number}"


def render_text(
    text: str, citations: Iterable[Citation], markers: Iterable[tuple[str, int]] = ()
) -> SafeString:
    """``text`` with links at the citation spans and footnote references at their offsets."""
    inserts: list[tuple[int, int, str]] = []  # (position, order, html); order puts closing tags first
    for citation in citations:
        if citation.end > len(text):
            continue
        if citation.kind == "instrument":  # a named instrument has no symbol to link to
            inserts.append((citation.start, 1, '<cite class="instrument">'))
            inserts.append((citation.end, 0, "</cite>"))
            continue
        inserts.append(
            (citation.start, 1, format_html('<a class="citation" href="{}">', citation_href(citation)))
        )
        inserts.append((citation.end, 0, "</a>"))
    for marker, offset in markers:
        if 0 <= offset <= len(text):
            inserts.append(
                (offset, 2, format_html('<sup><a href="#fn-{0}" id="ref-{0}">{0}</a></sup>', marker))
            )
    out: list[str] = []
    position = 0
    for at, _order, html in sorted(inserts, key=lambda item: (item[0], item[1])):
        out.append(escape(text[position:at]))
        out.append(html)
        position = at
    out.append(escape(text[position:]))
    return mark_safe("".join(out))
