"""``hrcoop audit verify`` and the daily integrity task that alerts the administrators."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from hrcoop.core.audit import record_event
from hrcoop.core.models import AuditEvent, Role, User
from hrcoop.core.tasks import verify_integrity
from tests.conftest import run_cli
from tests.core.sample_actions import SampleAction
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def events() -> list[AuditEvent]:
    clerk = User.objects.create_user("clerk")
    with transaction.atomic():
        return [
            record_event(actor=clerk, action=SampleAction.CHANGED, target=clerk, data={"n": i})
            for i in range(3)
        ]


def test_verify_says_the_chain_is_intact_and_gives_its_head(
    events: list[AuditEvent], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "audit", "verify")
    assert code == 0
    assert out.strip() == f"audit chain intact: 3 events, head {events[-1].hash}"


def test_verify_exits_non_zero_and_names_the_first_bad_event(
    events: list[AuditEvent], capsys: pytest.CaptureFixture[str]
) -> None:
    AuditEvent.objects.filter(pk=events[1].pk).update(action="test.hidden")
    AuditEvent.objects.filter(pk=events[2].pk).delete()
    code, out, err = run_cli(capsys, "audit", "verify")
    assert code == 1 and out == ""
    first, then = err.strip().splitlines()
    assert (
        first == f"audit chain broken: first bad event: event {events[1].pk}: content does not match its hash"
    )
    assert then.startswith("  then: chain head: the head names hash")


@pytest.fixture
def administrators() -> None:
    """Who an alert goes to, and someone it does not; asked for before ``events``, so that the grant's
    audit event comes before the chain's three rather than at its head."""
    User.objects.create_superuser("root", email="root@example.org", password="x")
    make_user("operator", Role.ADMIN, email="ops@example.org")
    User.objects.create_user("secretary", email="sec@example.org")


def test_the_daily_check_alerts_the_administrators_only_when_something_is_wrong(
    administrators: None, events: list[AuditEvent]
) -> None:

    assert verify_integrity.call() == {"audit": 0, "funds": 0, "emails": 0}
    assert mail.outbox == []

    AuditEvent.objects.filter(pk=events[-1].pk).delete()
    assert verify_integrity.call() == {"audit": 1, "funds": 0, "emails": 2}
    [alert] = mail.outbox
    assert alert.to == ["ops@example.org", "root@example.org"]
    assert "INTEGRITY ALERT: audit" in alert.subject
    assert f"ends at event {events[1].pk}" in alert.body


def test_daily_runs_the_check_inline_when_asked(
    events: list[AuditEvent], capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(capsys, "audit", "daily", "--now")
    assert code == 0 and '"audit": 0' in out
