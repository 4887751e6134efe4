"""Writing and checking the audit log.

``record_event`` is called by every service inside its transaction, so the event exists if and only if
the change does; a long write collects its events in ``DeferredEvents`` and appends them last. Appends
are serialised on ``AuditChainHead`` (a row lock on PostgreSQL, held until the transaction ends; SQLite
serialises writers already), which keeps the hash chain linear under concurrency.

What the chain proves: each event's hash covers its content and the hash before it, and the head row
holds the hash of the last event. So an edited event, a deleted one (the last too: the head still
names it), two events swapped and a changed actor all break verification. It cannot stand against
someone who rewrites every hash and the head at once: that is why ``hrcoop audit verify`` reports the
head hash, which an operator keeps outside the database (the daily e-mail does).

Hash versions: 1 hashed the actor's label only, so its account could be swapped for another of the same
name unseen; 2 also hashes the actor's id and the version itself (so a version-2 event relabelled 1
fails). Events keep the version they were written with: rehashing the old ones would also bless any
tampering done before, so they verify as they always did, and every new event is version 2.

Actions are declared once, by the app whose services record them: a subclass of ``AuditAction`` in
the app's ``actions.py``, whose values are the strings stored in ``AuditEvent.action`` and whose labels
are what a reader of a history sees. ``record_events`` refuses anything else, so a misspelt action
fails where it is written instead of leaving an event no report or filter will ever find.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import module_has_submodule
from django.utils.translation import gettext_lazy as _

from hrcoop.core.models import AuditChainHead, AuditEvent, User

SYSTEM_ACTOR_LABEL = "system"
HASH_VERSION = 2
GENESIS_HASH = "0" * 64


class AuditAction(models.TextChoices):
    """The base of every app's declared actions (``app/actions.py``); it declares none itself.

    A value is ``"<app>.<what happened>"``, written in the past tense or as the step's name, and never
    changes once events carry it: the stored strings are the history.
    """


def discover_actions() -> None:
    """Import the ``actions.py`` of every hrcoop app (``CoreConfig.ready``), so that a process that never
    ran an app's services (a page showing a request's history) still reads that app's labels."""
    for config in apps.get_app_configs():
        if config.name.startswith("hrcoop.") and module_has_submodule(config.module, "actions"):
            import_module(f"{config.name}.actions")


def declared_actions() -> dict[str, AuditAction]:
    """Every declared action by its stored value, from every app's ``AuditAction`` subclass."""
    return {member.value: member for kind in AuditAction.__subclasses__() for member in kind}


def action_label(value: str) -> str:
    """What a reader sees for a stored action: its declared label, or the bare value for an action
    that is no longer declared (old events keep what they were written with)."""
    action = declared_actions().get(value)
    return str(action.label) if action is not None else value


def _declared(action: AuditAction) -> AuditAction:
    if not isinstance(action, AuditAction):
        raise ValueError(
            _("Unknown audit action %(action)r: declare it in its app's actions.py as an AuditAction.")
            % {"action": action}
        )
    return action


def _actor_label(actor: User | None) -> str:
    if actor is None:
        return SYSTEM_ACTOR_LABEL
    return actor.get_username()


def _event_hash(previous_hash: str, payload: dict[str, Any]) -> str:
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((previous_hash + body).encode()).hexdigest()


def _payload(event: AuditEvent) -> dict[str, Any]:
    payload = {
        "at": event.at.isoformat(),
        "actor": event.actor_label,
        "action": event.action,
        "target": f"{event.target_type}:{event.target_id}",
        "data": event.data,
    }
    if event.hash_version >= 2:
        payload.update(v=event.hash_version, actor_id=event.actor_id)
    return payload


def record_event(
    *, actor: User | None, action: AuditAction, target: models.Model, data: dict[str, Any] | None = None
) -> AuditEvent:
    """Append one audit event about ``target``; must run inside the caller's transaction."""
    [event] = record_events(actor=actor, action=action, changes=[(target, data or {})])
    return event


def record_events(
    *, actor: User | None, action: AuditAction, changes: Sequence[tuple[models.Model, dict[str, Any]]]
) -> list[AuditEvent]:
    """Append one event per ``(target, data)``, chained in order, with one lock of the chain's head
    and one insert: an import that answers a session's pending records writes thousands at once."""
    _require_transaction()
    return _append(_pending(actor, action, changes))


class DeferredEvents:
    """Audit events a long write collects as it goes and appends as its last write before it commits.

    The chain's head stays locked from the first append to the commit, so a write that appends early
    and then works for a minute (an import of 41,000 rows) makes every other audited write (a posting,
    a request) wait for it. Collected here, its events are appended by ``write`` at the end, and the
    head is held only for them. They are still written in the change's transaction: they exist if
    and only if the change does. Each event's content (actor, target, data) is fixed when it is
    added; its time and place in the chain when it is written.
    """

    def __init__(self) -> None:
        self._pending: list[_Pending] = []

    def __len__(self) -> int:
        return len(self._pending)

    def record_event(
        self,
        *,
        actor: User | None,
        action: AuditAction,
        target: models.Model,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.record_events(actor=actor, action=action, changes=[(target, data or {})])

    def record_events(
        self,
        *,
        actor: User | None,
        action: AuditAction,
        changes: Sequence[tuple[models.Model, dict[str, Any]]],
    ) -> None:
        _require_transaction()
        self._pending += _pending(actor, action, changes)

    def extend(self, other: DeferredEvents) -> None:
        """Take on ``other``'s events after these (a part of the write that committed its savepoint)."""
        self._pending += other._pending

    def write(self) -> list[AuditEvent]:
        """Append the collected events to the chain, in the order they were added; must be the
        change's last write, inside its transaction.

        The transaction's deferred constraint checks are run first: PostgreSQL checks foreign keys at
        commit, which for 41,000 imported records takes longer than the import's events themselves, and
        the head would be held meanwhile. ``check_constraints`` runs them now and defers again (on
        SQLite, which serialises writers anyway, ``table_names=[]`` makes it check nothing).
        """
        _require_transaction()
        transaction.get_connection().check_constraints(table_names=[])
        events, self._pending = _append(self._pending), []
        return events


@dataclass(frozen=True)
class _Pending:
    """An event before its place in the chain is known."""

    actor: User | None
    action: str
    target_type: str
    target_id: str
    data: dict[str, Any]


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must be called inside the transaction of the change it records")


def _pending(
    actor: User | None, action: AuditAction, changes: Sequence[tuple[models.Model, dict[str, Any]]]
) -> list[_Pending]:
    return [
        _Pending(
            actor=actor,
            action=_declared(action).value,
            target_type=target._meta.label_lower,
            target_id=str(target.pk),
            data=json.loads(json.dumps(data, default=str)),
        )
        for target, data in changes
    ]


def _append(pending: Sequence[_Pending]) -> list[AuditEvent]:
    """Chain ``pending`` after the head, under one lock of it (held until the transaction ends)."""
    if not pending:
        return []
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    previous = head.last_hash
    events = []
    for item in pending:
        event = AuditEvent(
            at=timezone.now(),
            actor=item.actor,
            actor_label=_actor_label(item.actor),
            action=item.action,
            target_type=item.target_type,
            target_id=item.target_id,
            data=item.data,
            previous_hash=previous,
            hash_version=HASH_VERSION,
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


def verify_audit_chain() -> list[str]:
    """The problems found in the whole chain, first bad event first (empty when it is intact)."""
    problems: list[str] = []
    previous = GENESIS_HASH
    last = None
    for event in AuditEvent.objects.order_by("id").iterator():
        if event.previous_hash != previous:
            problems.append(f"event {event.pk}: previous hash does not match event before it")
        if not 1 <= event.hash_version <= HASH_VERSION:
            problems.append(f"event {event.pk}: unknown hash version {event.hash_version}")
        elif _event_hash(event.previous_hash, _payload(event)) != event.hash:
            problems.append(f"event {event.pk}: content does not match its hash")
        previous = event.hash
        last = event.pk
    head = chain_head()
    if head != previous:
        ends = f"ends at event {last} with hash {previous[:16]}..." if last is not None else "has no events"
        problems.append(
            f"chain head: the head names hash {head[:16]}... but the chain {ends}: "
            "the events after it were deleted, or the head was altered"
        )
    return problems


def chain_head() -> str:
    """The hash of the last event: kept outside the database, it anchors the whole chain."""
    return AuditChainHead.objects.filter(pk=1).values_list("last_hash", flat=True).first() or GENESIS_HASH
