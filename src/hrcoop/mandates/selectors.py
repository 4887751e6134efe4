"""Reads of the mandates app: the tracker with its status rule, a resolution with its graph neighbours.

Resolutions are public records, so no read depends on who asks; status is computed in the query
(fulfilled: a document is linked; overdue: the due session has ended; open: otherwise) so that lists,
pages, API and exports agree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from hrcoop.core.errors import InvalidInput
from hrcoop.mandates.models import Citation, Mandate, Resolution


def mandates_tracker(
    *, addressee: str = "", due_session: int | None = None, status: str = "", today: date | None = None
) -> QuerySet[Mandate]:
    """Mandates filtered by addressee code, due session and status, soonest due first."""
    today = today or timezone.localdate()
    queryset = Mandate.objects.select_related("resolution", "paragraph").order_by(
        "due_end", "resolution__session", "resolution_id", "paragraph__position"
    )
    if addressee:
        queryset = queryset.filter(addressee=addressee)
    if due_session is not None:
        queryset = queryset.filter(due_session=due_session)
    if status == Mandate.Status.FULFILLED:
        queryset = queryset.exclude(fulfilled_by="")
    elif status == Mandate.Status.OVERDUE:
        queryset = queryset.filter(fulfilled_by="", due_end__lt=today)
    elif status == Mandate.Status.OPEN:
        queryset = queryset.filter(fulfilled_by="").filter(Q(due_end__isnull=True) | Q(due_end__gte=today))
    elif status:
        raise InvalidInput(
            _("unknown status %(status)r: use open, fulfilled or overdue") % {"status": status},
            where="status",
        )
    return queryset


def tracker_summary(*, today: date | None = None) -> list[dict[str, Any]]:
    """Mandates counted by addressee and deadline, with how many are open, overdue and fulfilled.

    The deadline is all the table shows of it: the body (the Council's or the Assembly's), the
    session, and whether the mandate recurs every year; a recurring report is a standing duty to
    plan for each session, not one to tick off. Grouping by anything the table does not show split
    one visible row into two (the High Commissioner's mandates without a session, 2 and 1).
    """
    today = today or timezone.localdate()
    counts: dict[tuple[str, int, str, bool], Counter[str]] = defaultdict(Counter)
    for mandate in Mandate.objects.only(
        "addressee", "due_body", "due_session", "due_end", "recurrence", "fulfilled_by"
    ):
        key = (mandate.addressee, mandate.due_session or 0, mandate.due_body, mandate.recurrence == "annual")
        counts[key][mandate.status_on(today)] += 1
    return [
        {
            "addressee": addressee,
            "due_session": session or None,
            "due_body": body,
            "annual": annual,
            **{s: n[s] for s in Mandate.Status},
        }
        for (addressee, session, body, annual), n in sorted(counts.items())
    ]


def resolution_detail(pk: int) -> Resolution:
    return get_object_or_404(Resolution.objects.prefetch_related("paragraphs", "citations__target"), pk=pk)


def recalls(resolution: Resolution) -> QuerySet[Citation]:
    """What this text cites (each reference once per paragraph), with the stored target when we have it."""
    return resolution.citations.select_related("target", "paragraph").order_by(
        "paragraph__kind", "paragraph__position", "start"
    )


def recalled_by(resolution: Resolution) -> QuerySet[Citation]:
    """The stored texts that cite this one."""
    return Citation.objects.filter(target=resolution).select_related("resolution", "paragraph")


def citation_edges() -> list[tuple[Resolution, list[Resolution]]]:
    """The graph among stored resolutions: each one with the stored resolutions it cites."""
    edges: dict[int, set[int]] = {}
    for source_id, target_id in Citation.objects.filter(target__isnull=False).values_list(
        "resolution_id", "target_id"
    ):
        if source_id != target_id:
            edges.setdefault(source_id, set()).add(target_id)
    stored = Resolution.objects.in_bulk(set(edges) | {t for ts in edges.values() for t in ts})
    return [
        (stored[source], sorted((stored[t] for t in targets), key=lambda r: r.key))
        for source, targets in sorted(edges.items(), key=lambda item: stored[item[0]].key)
    ]
