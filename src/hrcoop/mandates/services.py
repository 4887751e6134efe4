"""Every write of the mandates app: importing resolution texts and recording that a mandate is fulfilled.

An import is all-or-nothing per file and idempotent by the resolution's key: the same text again changes
nothing; a changed text replaces the paragraphs, citations and mandates (keeping what was recorded about
fulfilment of a mandate in the same paragraph). Each stored resolution gets one audit event.

A changed text that would drop mandates is refused unless forced: a truncated or garbled file looks
like a new version of its resolution, and replacing silently deleted the mandates the text lost. One
that would drop a fulfilled mandate is refused even when forced, since the fulfilment record would go
with it; the mandate's paragraph must be restored to the text (or the file was the wrong one).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hrcoop.core.audit import record_event
from hrcoop.core.errors import Forbidden, ImportFailed, InvalidInput
from hrcoop.core.models import Role, User
from hrcoop.core.roles import Actor, has_role
from hrcoop.mandates.actions import MandateAction
from hrcoop.mandates.models import Citation, Mandate, Paragraph, Resolution
from hrcoop.mandates.parsing import ParsedResolution, parse_document
from hrcoop.mandates.parsing.text import SYMBOL_RE
from hrcoop.mandates.sessions import session_dates
from hrcoop.reference.names import StateIndex


@dataclass
class ImportSummary:
    file: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    mandates: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "mandates": self.mandates,
            "warnings": self.warnings,
        }


def _key(parsed: ParsedResolution) -> str:
    if parsed.symbol:
        return parsed.symbol
    return f"{parsed.body} {parsed.number} {parsed.title}"[:300]


def _cite_key(parsed: ParsedResolution) -> str:
    if parsed.kind == "draft" or not parsed.number or "." in parsed.number:
        return ""
    return f"{parsed.body} {'dec' if parsed.kind == 'decision' else 'res'} {parsed.number}"


def _sponsors(parsed: ParsedResolution, index: StateIndex) -> list[dict[str, Any]]:
    out = []
    for sponsor in parsed.sponsors:
        state = index.get(sponsor.name)
        out.append(
            {
                "name": sponsor.name,
                "iso3": state.iso3 if state else "",
                "on_behalf_of": sponsor.on_behalf_of,
                "non_member": sponsor.non_member,
            }
        )
    return out


def _store(
    parsed: ParsedResolution, *, source: str, digest: str, previous: Resolution | None, states: StateIndex
) -> Resolution:
    fulfilment: dict[tuple[str, str], tuple[str, date | None]] = {}
    if previous is not None:
        for old in previous.mandates.select_related("paragraph"):
            if old.fulfilled_by:
                fulfilment[(old.paragraph.anchor, old.kind)] = (old.fulfilled_by, old.fulfilled_on)
        previous.paragraphs.all().delete()
    resolution = previous or Resolution(key=_key(parsed))
    resolution.cite_key = _cite_key(parsed)
    resolution.symbol = parsed.symbol[:60]
    resolution.number = parsed.number[:20]
    resolution.kind = parsed.kind
    resolution.body = parsed.body
    resolution.session = parsed.session
    resolution.title = parsed.title
    resolution.agenda_item = parsed.agenda_item[:40]
    resolution.agenda_title = parsed.agenda_title
    resolution.document_date = parsed.document_date
    resolution.adopted_on = parsed.adopted_on
    resolution.meeting = parsed.meeting[:40]
    resolution.adoption = parsed.adoption
    resolution.sponsors = _sponsors(parsed, states)
    resolution.footnotes = [{"marker": f.marker, "text": f.text} for f in parsed.footnotes]
    resolution.warnings = parsed.warnings
    resolution.source = source
    resolution.source_sha256 = digest
    resolution.imported_at = timezone.now()
    resolution.save()
    targets = dict(Resolution.objects.exclude(cite_key="").values_list("cite_key", "id"))
    citations: list[Citation] = []
    mandates: list[Mandate] = []
    for sequence, item in enumerate(parsed.paragraphs, start=1):
        paragraph = Paragraph.objects.create(
            resolution=resolution,
            sequence=sequence,
            kind=item.kind,
            position=item.position,
            number=item.number,
            anchor=item.anchor,
            phrase=item.phrase[:120],
            text=item.text,
            subparagraphs=[{"label": s.label, "text": s.text} for s in item.subparagraphs],
            footnote_markers=[[m, o] for m, o in item.footnote_refs],
            addressees=[{"code": a.code, "text": a.text} for a in item.addressees],
        )
        located = [("", c) for c in item.citations]
        located += [(f"({s.label})", c) for s in item.subparagraphs for c in s.citations]
        located += [(f"fn {f.marker}", c) for f in item.footnotes for c in f.citations]
        for location, cite in located:
            citations.append(
                Citation(
                    resolution=resolution,
                    paragraph=paragraph,
                    location=location,
                    key=cite.key,
                    kind=cite.kind,
                    body=cite.body,
                    number=cite.number,
                    text=cite.text,
                    cited_date=cite.date,
                    start=cite.start,
                    end=cite.end,
                    target_id=targets.get(cite.key),
                )
            )
        for spec in item.mandates:
            deadline = spec.deadline
            start, end = session_dates(deadline.body, deadline.session) if deadline else (None, None)
            fulfilled_by, fulfilled_on = fulfilment.get((item.anchor, spec.kind), ("", None))
            mandates.append(
                Mandate(
                    resolution=resolution,
                    paragraph=paragraph,
                    kind=spec.kind,
                    addressee=spec.addressees[0].code,
                    addressees=[{"code": a.code, "text": a.text} for a in spec.addressees],
                    due_body=deadline.body if deadline else "",
                    due_session=deadline.session if deadline else None,
                    due_start=start,
                    due_end=end,
                    recurrence=deadline.recurrence if deadline else "",
                    deadline_text=(deadline.text if deadline else "")[:200],
                    renewal_years=spec.renewal_years,
                    fulfilled_by=fulfilled_by,
                    fulfilled_on=fulfilled_on,
                )
            )
    Citation.objects.bulk_create(citations)
    Mandate.objects.bulk_create(mandates)
    if resolution.cite_key:  # texts imported earlier that cite this one now point at it
        Citation.objects.filter(key=resolution.cite_key, target__isnull=True).update(target=resolution)
    return resolution


def _check_dropped_mandates(
    parsed: ParsedResolution, previous: Resolution, *, source: str, force: bool
) -> None:
    """Refuse a new text of ``previous`` that loses mandates (see the module's docstring)."""
    kept = Counter((item.anchor, spec.kind) for item in parsed.paragraphs for spec in item.mandates)
    dropped: list[Mandate] = []
    for old in previous.mandates.select_related("paragraph").order_by("paragraph__sequence", "id"):
        key = (old.paragraph.anchor, old.kind)
        if kept[key]:
            kept[key] -= 1
        else:
            dropped.append(old)
    if not dropped:
        return
    label = previous.number or previous.key
    fulfilled = [m for m in dropped if m.fulfilled_by]
    if fulfilled:
        named = ", ".join(
            f"para {m.paragraph.number or m.paragraph.anchor} ({m.fulfilled_by})" for m in fulfilled
        )
        raise ImportFailed(
            f"this text of {label} would drop {len(fulfilled)} fulfilled mandate(s), {named}, with the "
            "record of their fulfilment; refused even with --force: check that the file is complete",
            file=source,
        )
    if not force:
        named = ", ".join(f"para {m.paragraph.number or m.paragraph.anchor} ({m.kind})" for m in dropped)
        raise ImportFailed(
            f"this text of {label} would drop {len(dropped)} mandate(s), {named}: the file may be truncated "
            "or garbled; import it with --force if the resolution really lost them",
            file=source,
        )


@transaction.atomic
def import_resolution_text(
    text: str, *, source: str, actor: User | None, dry_run: bool = False, force: bool = False
) -> ImportSummary:
    """Parse and store every resolution in ``text`` (one resolution or a session report); ``force``
    accepts a new text that drops mandates none of which is fulfilled."""
    summary = ImportSummary(file=source)
    try:
        parsed_all = parse_document(text)
    except InvalidInput as exc:
        raise ImportFailed(exc.message, file=source) from exc
    states = StateIndex()
    for parsed in parsed_all:
        key = _key(parsed)
        label = parsed.number or key
        summary.warnings.extend(f"{label}: {w}" for w in parsed.warnings)
        summary.mandates += sum(len(p.mandates) for p in parsed.operative)
        digest = hashlib.sha256(repr(parsed).encode()).hexdigest()
        previous = Resolution.objects.filter(key=key).first()
        if previous is not None and previous.source_sha256 == digest:
            summary.unchanged.append(label)
            continue
        if previous is not None:
            _check_dropped_mandates(parsed, previous, source=source, force=force)
        (summary.updated if previous else summary.created).append(label)
        if dry_run:
            continue
        resolution = _store(parsed, source=source, digest=digest, previous=previous, states=states)
        record_event(
            actor=actor,
            action=MandateAction.RESOLUTION_UPDATED if previous else MandateAction.RESOLUTION_IMPORTED,
            target=resolution,
            data={
                "source": source,
                "paragraphs": len(parsed.paragraphs),
                "mandates": resolution.mandates.count(),
                "citations": resolution.citations.count(),
            },
        )
    if dry_run:
        transaction.set_rollback(True)
    return summary


def import_files(
    paths: list[Path], *, actor: User | None, dry_run: bool = False, force: bool = False
) -> list[dict[str, Any]]:
    """Import each file on its own (all-or-nothing per file); a file that fails stops the run and says why."""
    results = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ImportFailed(f"cannot read the file as UTF-8 text: {exc}", file=str(path)) from exc
        summary = import_resolution_text(text, source=str(path), actor=actor, dry_run=dry_run, force=force)
        results.append(summary.as_dict())
    return results


@transaction.atomic
def fulfil_mandate(
    mandate: Mandate, *, document_symbol: str, fulfilled_on: date | None = None, actor: Actor
) -> Mandate:
    """Record the document (e.g. the report A/HRC/50/19) that fulfils a mandate.

    The secretariat (or an admin) records it; ``actor=None`` is the operator at the command line.
    """
    if actor is not None and not has_role(actor, Role.SECRETARIAT):
        raise Forbidden(_("only the secretariat records that a mandate is fulfilled"))
    user = actor if isinstance(actor, User) else None
    symbol = document_symbol.strip()
    if not SYMBOL_RE.fullmatch(symbol) or len(symbol) > 80:
        raise InvalidInput(
            _("%(symbol)r is not a UN document symbol (expected something like A/HRC/50/19)")
            % {"symbol": symbol},
            where="document_symbol",
        )
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    mandate.fulfilled_by = symbol
    mandate.fulfilled_on = fulfilled_on or timezone.localdate()
    mandate.save(update_fields=["fulfilled_by", "fulfilled_on"])
    record_event(
        actor=user,
        action=MandateAction.MANDATE_FULFILLED,
        target=mandate,
        data={"document": symbol, "on": mandate.fulfilled_on.isoformat()},
    )
    return mandate
