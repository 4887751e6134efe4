from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.db import transaction

from hrcoop.core.audit import chain_head, events_for, record_event, verify_audit_chain
from hrcoop.core.models import AuditChainHead, AuditEvent, User
from tests.core.sample_actions import SampleAction

pytestmark = pytest.mark.django_db


def _chain(user: User, n: int = 4) -> list[AuditEvent]:
    with transaction.atomic():
        return [
            record_event(actor=user, action=SampleAction.CHANGED, target=user, data={"n": i})
            for i in range(n)
        ]


def test_events_form_a_chain_that_detects_tampering() -> None:
    user = User.objects.create_user("clerk")
    with transaction.atomic():
        first = record_event(actor=user, action=SampleAction.CREATED, target=user, data={"n": 1})
        record_event(actor=None, action=SampleAction.CHANGED, target=user, data={"n": 2})
    assert verify_audit_chain() == []
    assert [e.action for e in events_for(user)] == ["test.created", "test.changed"]
    AuditEvent.objects.filter(pk=first.pk).update(data={"n": 99})
    assert verify_audit_chain() == [f"event {first.pk}: content does not match its hash"]


def test_a_deleted_event_in_the_middle_is_found() -> None:
    events = _chain(User.objects.create_user("clerk"))
    AuditEvent.objects.filter(pk=events[1].pk).delete()
    assert verify_audit_chain() == [f"event {events[2].pk}: previous hash does not match event before it"]


@pytest.mark.parametrize("deleted", [1, 2, 4])
def test_deleted_last_events_are_found_by_the_chain_head(deleted: int) -> None:
    """Defect 7: the chain alone still links up when its tail is cut; the head row remembers it."""
    events = _chain(User.objects.create_user("clerk"))
    AuditEvent.objects.filter(pk__in=[e.pk for e in events[-deleted:]]).delete()
    [problem] = verify_audit_chain()
    assert problem.startswith(f"chain head: the head names hash {events[-1].hash[:16]}")
    assert ("has no events" if deleted == 4 else f"ends at event {events[-deleted - 1].pk}") in problem


def test_two_swapped_events_are_found() -> None:
    events = _chain(User.objects.create_user("clerk"))
    a, b = events[1].pk, events[2].pk
    AuditEvent.objects.filter(pk=a).update(id=10_000)
    AuditEvent.objects.filter(pk=b).update(id=a)
    AuditEvent.objects.filter(pk=10_000).update(id=b)
    problems = verify_audit_chain()
    assert problems[0] == f"event {a}: previous hash does not match event before it"


def test_a_changed_actor_is_found_even_when_the_label_is_kept() -> None:
    """Defect 7: only the actor's label was hashed, so the account behind an event could be swapped."""
    clerk = User.objects.create_user("clerk")
    other = User.objects.create_user("other")
    events = _chain(clerk)
    AuditEvent.objects.filter(pk=events[2].pk).update(actor=other)
    assert verify_audit_chain() == [f"event {events[2].pk}: content does not match its hash"]


def test_a_new_event_cannot_pass_for_an_old_one_without_the_actor_id() -> None:
    events = _chain(User.objects.create_user("clerk"))
    AuditEvent.objects.filter(pk=events[0].pk).update(hash_version=1)
    assert verify_audit_chain() == [f"event {events[0].pk}: content does not match its hash"]


def test_events_written_before_the_actor_was_hashed_still_verify() -> None:
    """An event of hash version 1, hashed as the code before this version did, then a new event."""
    clerk = User.objects.create_user("clerk")
    at = dt.datetime(2026, 11, 1, 9, 30, tzinfo=dt.UTC)
    body = {
        "action": "test.created",
        "actor": "clerk",
        "at": at.isoformat(),
        "data": {"n": 1},
        "target": f"core.user:{clerk.pk}",
    }
    old_hash = hashlib.sha256(
        ("0" * 64 + json.dumps(body, sort_keys=True, separators=(",", ":"))).encode()
    ).hexdigest()
    # An event of hash version 1 as an older installation wrote it: no service writes that version now.
    AuditEvent.objects.create(
        at=at,
        actor=clerk,
        actor_label="clerk",
        action="test.created",
        target_type="core.user",
        target_id=str(clerk.pk),
        data={"n": 1},
        previous_hash="0" * 64,
        hash=old_hash,
        hash_version=1,
    )
    AuditChainHead.objects.create(pk=1, last_hash=old_hash)
    [new] = _chain(clerk, 1)
    assert (new.previous_hash, new.hash_version) == (old_hash, 2)
    assert verify_audit_chain() == []
    assert chain_head() == new.hash


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused() -> None:
    user = User.objects.create_user("clerk")
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record_event(actor=user, action=SampleAction.CREATED, target=user)
