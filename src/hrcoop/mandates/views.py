"""Pages: resolutions, one resolution rendered from its structure, a mandate, the tracker, the graph."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext

from hrcoop.core.errors import DomainError, InvalidInput
from hrcoop.core.models import Role
from hrcoop.core.roles import has_role
from hrcoop.mandates.models import Mandate, Resolution
from hrcoop.mandates.parsing.addressees import ACTOR_LABELS
from hrcoop.mandates.rendering import render_text
from hrcoop.mandates.selectors import (
    citation_edges,
    mandates_tracker,
    recalled_by,
    recalls,
    resolution_detail,
    tracker_summary,
)
from hrcoop.mandates.services import fulfil_mandate


def addressee_label(code: str) -> str:
    """The addressee's name in the reader's language (labels are marked for translation in the parser)."""
    return gettext(ACTOR_LABELS[code]) if code in ACTOR_LABELS else code


def resolution_list(request: HttpRequest) -> HttpResponse:
    resolutions = Resolution.objects.order_by("body", "session", "kind", "id")
    return render(request, "mandates/resolution_list.html", {"resolutions": resolutions})


def resolution_page(request: HttpRequest, pk: int) -> HttpResponse:
    resolution = resolution_detail(pk)
    citations = list(recalls(resolution))
    paragraphs: list[dict[str, Any]] = []
    for paragraph in resolution.paragraphs.all():
        own = [c for c in citations if c.paragraph_id == paragraph.pk]
        markers = [(m, o) for m, o in paragraph.footnote_markers if o >= 0]
        paragraphs.append(
            {
                "paragraph": paragraph,
                "html": render_text(paragraph.text, [c for c in own if not c.location], markers),
                "subparagraphs": [
                    {
                        "label": sub["label"],
                        "html": render_text(
                            sub["text"], [c for c in own if c.location == f"({sub['label']})"]
                        ),
                    }
                    for sub in paragraph.subparagraphs
                ],
                "mandates": list(paragraph.mandates.all()),
            }
        )
    footnotes = [
        {
            "marker": note["marker"],
            "html": render_text(
                note["text"], {c.start: c for c in citations if c.location == f"fn {note['marker']}"}.values()
            ),
        }
        for note in resolution.footnotes
    ]
    return render(
        request,
        "mandates/resolution_detail.html",
        {
            "resolution": resolution,
            "preamble": [p for p in paragraphs if p["paragraph"].kind == "preambular"],
            "operative": [p for p in paragraphs if p["paragraph"].kind == "operative"],
            "footnotes": footnotes,
            "citations": citations,
            "recalled_by": list(recalled_by(resolution)),
        },
    )


def mandate_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A mandate; the secretariat records here the document that fulfils it (a plain form, no script)."""
    mandate = get_object_or_404(Mandate.objects.select_related("resolution", "paragraph"), pk=pk)
    error = ""
    if request.method == "POST":
        try:
            fulfil_mandate(
                mandate, document_symbol=request.POST.get("document_symbol", ""), actor=request.user
            )
            return redirect("mandates:mandate", pk=mandate.pk)
        except DomainError as exc:
            error = exc.message
            status = exc.status
    return render(
        request,
        "mandates/mandate_detail.html",
        {
            "mandate": mandate,
            "addressee_label": addressee_label(mandate.addressee),
            "may_fulfil": has_role(request.user, Role.SECRETARIAT),
            "error": error,
        },
        status=status if error else 200,
    )


def tracker(request: HttpRequest) -> HttpResponse:
    addressee = request.GET.get("addressee", "")
    status = request.GET.get("status", "")
    session_text = request.GET.get("due_session", "")
    error = ""
    try:
        due_session = int(session_text) if session_text else None
        mandates = list(mandates_tracker(addressee=addressee, due_session=due_session, status=status)[:500])
        for mandate in mandates:
            mandate.addressee_label = addressee_label(mandate.addressee)  # type: ignore[attr-defined]
    except (ValueError, InvalidInput) as exc:
        error = (
            str(exc)
            if isinstance(exc, InvalidInput)
            else gettext("due session must be a number, not %(value)r") % {"value": session_text}
        )
        mandates = []
    return render(
        request,
        "mandates/tracker.html",
        {
            "mandates": mandates,
            "addressees": sorted(
                ((code, addressee_label(code)) for code in ACTOR_LABELS), key=lambda item: item[1]
            ),
            "statuses": Mandate.Status.choices,
            "selected": {"addressee": addressee, "status": status, "due_session": session_text},
            "summary": [row | {"label": addressee_label(row["addressee"])} for row in tracker_summary()],
            "error": error,
        },
        status=400 if error else 200,
    )


def citation_graph(request: HttpRequest) -> HttpResponse:
    return render(request, "mandates/citation_graph.html", {"edges": citation_edges()})
