from __future__ import annotations

import pytest
from django.db import transaction

from hrcoop.core.audit import events_for, record_event, verify_audit_chain
from hrcoop.core.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def test_events_form_a_chain_that_detects_tampering() -> None:
    user = User.objects.create_user("clerk")
    with transaction.atomic():
        first = record_event(actor=user, action="test.created", target=user, data={"n": 1})
        record_event(actor=None, action="test.changed", target=user, data={"n": 2})
    assert verify_audit_chain() == []
    assert [e.action for e in events_for(user)] == ["test.created", "test.changed"]
    AuditEvent.objects.filter(pk=first.pk).update(data={"n": 99})
    assert verify_audit_chain() == [f"event {first.pk}: content does not match its hash"]


@pytest.mark.django_db(transaction=True)
def test_an_event_outside_a_transaction_is_refused() -> None:
    user = User.objects.create_user("clerk")
    with pytest.raises(RuntimeError, match="inside the transaction"):
        record_event(actor=user, action="test.created", target=user)
