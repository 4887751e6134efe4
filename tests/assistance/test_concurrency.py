"""Two secretariat users act on one request at the same moment: one succeeds, the other gets 409."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from hrcoop.assistance.models import AssistanceRequest, TransitionRecord
from hrcoop.assistance.services import apply_transition
from hrcoop.core.errors import Conflict
from hrcoop.core.models import AuditEvent, Role, User
from hrcoop.core.services import grant_role
from tests.assistance.conftest import World
from tests.factories import make_request


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_second_secretariat_user_gets_409_while_the_first_holds_the_request(world: World) -> None:
    colleague = User.objects.create_user("secretariat-2", email="s2@example.org")
    grant_role(colleague, Role.SECRETARIAT, actor=None)
    request = make_request(world.state, world.fund, status="submitted")
    locked, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first() -> None:
        try:
            with transaction.atomic():
                apply_transition(request, "acknowledge", actor=world.users["secretariat"])
                locked.set()
                release.wait(timeout=30)
            outcome["first"] = "ok"
        finally:
            locked.set()
            connection.close()

    def second() -> None:
        try:
            locked.wait(timeout=30)
            apply_transition(request, "acknowledge", actor=colleague)
            outcome["second"] = "ok"
        except Conflict as exc:
            outcome["second"] = exc
        finally:
            release.set()
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcome["first"] == "ok"
    assert isinstance(outcome["second"], Conflict)
    assert "someone else is acting on request" in str(outcome["second"])
    assert AssistanceRequest.objects.get(pk=request.pk).status == "acknowledged"
    assert TransitionRecord.objects.filter(request=request, name="acknowledge").count() == 1  # not two
    assert AuditEvent.objects.filter(action="assistance.acknowledge").count() == 1
