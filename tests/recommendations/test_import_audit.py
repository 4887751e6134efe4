"""An import appends its audit events as its last writes: the chain's head, which every audited write
locks, is not held while the import works, and the events still exist if and only if the import does."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError, OperationalError, connection, transaction

from hrcoop.core.actions import CoreAction
from hrcoop.core.audit import DeferredEvents, verify_audit_chain
from hrcoop.core.errors import ImportFailed
from hrcoop.core.events import import_finished
from hrcoop.core.models import AuditEvent, Role, RoleAssignment, User
from hrcoop.core.services import grant_role
from hrcoop.recommendations.models import ImportRun
from hrcoop.recommendations.services.imports import import_files
from tests.recommendations.upr_info_fixtures import ROWS_2018, write_2018


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_an_audited_write_during_an_import_does_not_wait_for_it(reference_data: None, tmp_path: Path) -> None:
    person = User.objects.create_user("reviewer")
    grant_role(person, Role.CONTRIBUTOR, actor=None)  # the chain's head exists, as on any live site
    files = [write_2018(tmp_path / "first.csv"), write_2018(tmp_path / "second.csv", ROWS_2018[3:])]
    paused, resume = threading.Event(), threading.Event()
    finished: list[int] = []
    failures: list[BaseException] = []

    def pause_in_the_second_file(**payload: Any) -> None:
        finished.append(payload["import_run_id"])
        if len(finished) == 2:  # the first file's events are written by now, if the import writes early
            paused.set()
            resume.wait(timeout=120)

    def run_import() -> None:
        try:
            import_files(files, format_name="upr-info", actor=None)
        except BaseException as error:  # reported by the test, in its own thread
            failures.append(error)
        finally:
            connection.close()

    import_finished.subscribe(pause_in_the_second_file)
    importer = threading.Thread(target=run_import)
    try:
        importer.start()
        assert paused.wait(timeout=120), "the import never reached its second file"
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:  # waiting for the paused import would never end
                    cursor.execute("SET LOCAL lock_timeout = '10s'")
                grant_role(person, Role.BOARD, actor=None)
            blocked = None
        except OperationalError as error:
            blocked = error
    finally:
        resume.set()
        importer.join()
        import_finished.receivers.remove(pause_in_the_second_file)
    assert blocked is None, f"the audited write waited for the import to commit: {blocked}"
    assert failures == []
    assert ImportRun.objects.count() == 2
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == [
        "core.role_granted",
        "core.role_granted",
        "recommendations.import_file",
        "recommendations.import_file",
    ]
    assert verify_audit_chain() == []


@pytest.mark.django_db
def test_a_failed_file_leaves_no_event_and_a_dry_run_none(reference_data: None, tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportFailed, match="the file is empty"):
        import_files([write_2018(tmp_path / "good.csv"), empty], format_name="upr-info", actor=None)
    import_files([write_2018(tmp_path / "good.csv")], format_name="upr-info", actor=None, dry_run=True)
    assert not AuditEvent.objects.exists() and not ImportRun.objects.exists()
    import_files([write_2018(tmp_path / "good.csv")], format_name="upr-info", actor=None)
    assert list(AuditEvent.objects.values_list("action", flat=True)) == ["recommendations.import_file"]
    assert verify_audit_chain() == []


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_deferred_checks_run_before_the_events_take_the_head() -> None:
    """PostgreSQL checks foreign keys at commit: for an import of 41,000 rows that takes seconds, and the
    head, once locked, would be held through them. The checks run before the events are appended."""
    person = User.objects.create_user("reviewer")
    events = DeferredEvents()
    with transaction.atomic():
        RoleAssignment.objects.create(user_id=person.pk + 1000, role=Role.BOARD)  # no such user
        events.record_event(actor=None, action=CoreAction.ROLE_GRANTED, target=person)
        with pytest.raises(IntegrityError):
            events.write()
        transaction.set_rollback(True)
    assert not AuditEvent.objects.exists()
