"""Writing and checking the audit log.

``record_event`` is called by every service inside its transaction, so the event exists if and only if
the change does. Appends are serialised on ``AuditChainHead`` (a row lock on PostgreSQL; SQLite
serialises writers already), which keeps the hash chain linear under concurrency.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from hrcoop.core.models import AuditChainHead, AuditEvent, User

SYSTEM_ACTOR_LABEL = "system"


def _actor_label(actor: User | None) -> str:
    if actor is None:
        return SYSTEM_ACTOR_LABEL
    return actor.get_username()


def _event_hash(previous_hash: str, payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((previous_hash + body).encode()).hexdigest()


def _payload(event: AuditEvent) -> dict[str, Any]:
    return {
        "at": event.at.isoformat(),
        "actor": event.actor_label,
        "action": event.action,
        "target": f"{event.target_type}:{event.target_id}",
        "data": event.data,
    }


def record_event(
    *, actor: User | None, action: str, target: models.Model, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Append one audit event about ``target``; must run inside the caller's transaction."""
    [event] = record_events(actor=actor, action=action, changes=[(target, data or {})])
    return event


def record_events(
    *, actor: User | None, action: str, changes: Sequence[tuple[models.Model, dict[str, Any]]]
) -> list[AuditEvent]:
    """Append one event per ``(target, data)``, chained in order, with one lock of the chain's head
    and one insert: an import that answers a session's pending records writes thousands at once."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must be called inside the transaction of the change it records")
    if not changes:
        return []
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    previous = head.last_hash
    events = []
    for target, data in changes:
        event = AuditEvent(
            at=timezone.now(),
            actor=actor,
            actor_label=_actor_label(actor),
            action=action,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            data=json.loads(json.dumps(data, default=str)),
            previous_hash=previous,
        )
        event.hash = previous = _event_hash(previous, _payload(event))
        events.append(event)
    AuditEvent.objects.bulk_create(events)
    head.last_hash = previous
    head.save(update_fields=["last_hash"])
    return events


def events_for(target: models.Model) -> models.QuerySet[AuditEvent]:
    """The history of one record, oldest first."""
    return AuditEvent.objects.filter(target_type=target._meta.label_lower, target_id=str(target.pk))


def verify_audit_chain(events: Iterable[AuditEvent] | None = None) -> list[str]:
    """Return the problems found in the chain (empty when it is intact)."""
    problems: list[str] = []
    previous = "0" * 64
    for event in events if events is not None else AuditEvent.objects.order_by("id").iterator():
        if event.previous_hash != previous:
            problems.append(f"event {event.pk}: previous hash does not match event before it")
        if _event_hash(event.previous_hash, _payload(event)) != event.hash:
            problems.append(f"event {event.pk}: content does not match its hash")
        previous = event.hash
    return problems
