"""Audit actions are declared once, by the app that records them (``core.audit``, docs/architecture.md).

An undeclared action is refused before anything is written; no two apps declare one value; each value
starts with its app's label as stored; no service passes an action written as a string; and a process
that never ran an app's services still reads that app's labels.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.db import transaction
from django.utils.functional import Promise

from hrcoop.core.actions import CoreAction
from hrcoop.core.audit import GENESIS_HASH, AuditAction, action_label, chain_head, record_event, record_events
from hrcoop.core.models import AuditEvent, User

SRC = Path(__file__).resolve().parents[2] / "src" / "hrcoop"
# The apps whose services record audit events, by label; core also records its accounts' actions.
RECORDING_APPS = {
    "core", "reference", "recommendations", "classification", "mandates", "assistance", "consultations",
    "funds", "tracking", "cooperation", "reports", "demo",
}  # fmt: skip
EXTRA_PREFIXES = {"core": {"accounts"}}


def _declared_by_apps() -> list[type[AuditAction]]:
    return [kind for kind in AuditAction.__subclasses__() if kind.__module__.startswith("hrcoop.")]


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["funds.pledge", "funds.pledged", ""])
def test_an_undeclared_action_is_refused_and_nothing_is_written(action: str) -> None:
    """Even the stored value of a declared action is refused as a bare string: only members pass. The
    test's transaction is still open, so an event written before the refusal would still be there."""
    user = User.objects.create_user("clerk")
    with pytest.raises(
        ValueError, match=rf"Unknown audit action '{action}': declare it in its app's actions"
    ):
        record_events(actor=user, action=action, changes=[(user, {}), (user, {})])  # type: ignore[arg-type]
    assert not AuditEvent.objects.exists()
    assert chain_head() == GENESIS_HASH


@pytest.mark.django_db
def test_a_declared_action_is_stored_as_its_value() -> None:
    user = User.objects.create_user("clerk")
    with transaction.atomic():
        event = record_event(actor=user, action=CoreAction.ROLE_GRANTED, target=user)
    assert AuditEvent.objects.values_list("action", flat=True).get(pk=event.pk) == "core.role_granted"


def test_every_recording_app_declares_its_actions_under_its_own_prefix_and_no_value_twice() -> None:
    owners: dict[str, str] = {}
    labels = set()
    for kind in _declared_by_apps():
        config = apps.get_containing_app_config(kind.__module__)
        assert config is not None, kind
        labels.add(config.label)
        prefixes = {config.label} | EXTRA_PREFIXES.get(config.label, set())
        for member in kind:
            prefix = member.value.split(".", 1)[0]
            assert prefix in prefixes, (
                f"{kind.__name__}.{member.name} = {member.value!r} is not under {prefixes}"
            )
            assert member.value not in owners, (
                f"{member.value!r} declared by {owners[member.value]} and {kind}"
            )
            owners[member.value] = kind.__name__
    assert labels == RECORDING_APPS


def test_every_label_is_translatable_and_says_more_than_the_value() -> None:
    for kind in _declared_by_apps():
        for member in kind:
            assert isinstance(member.label, Promise), (
                f"{member.value}: its label is not marked for translation"
            )
            assert str(member.label) and str(member.label) != member.value, member.value


def test_a_stored_action_reads_as_its_label_and_an_undeclared_one_as_itself() -> None:
    assert action_label("core.role_granted") == "Role granted"
    assert action_label("assistance.submit") == "Request submitted"
    assert action_label("legacy.something") == "legacy.something"


def test_a_fresh_process_reads_the_labels_of_apps_it_never_used() -> None:
    """Labels come from each app's actions.py, imported as Django starts (``discover_actions``)."""
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hrcoop.config.settings'); "
        "django.setup(); from hrcoop.core.audit import action_label; "
        "print(action_label('funds.pledge'), '|', action_label('tracking.publish'))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "Pledge recorded | Plan published or taken back"


def _string_actions(source: str) -> list[tuple[int, str]]:
    """Calls of ``record_event``/``record_events`` whose ``action`` is, or is built from, a string."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        if name not in {"record_event", "record_events"}:
            continue
        for keyword in node.keywords:
            if keyword.arg == "action" and any(
                isinstance(part, ast.JoinedStr)
                or (isinstance(part, ast.Constant) and isinstance(part.value, str))
                for part in ast.walk(keyword.value)
            ):
                found.append((node.lineno, ast.unparse(keyword.value)))
    return found


def test_no_service_passes_an_action_written_as_a_string() -> None:
    found = [
        f"{path.relative_to(SRC)}:{line}: {action}"
        for path in sorted(SRC.rglob("*.py"))
        for line, action in _string_actions(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_source_check_finds_the_forms_the_apps_used_before() -> None:
    source = (
        'record_event(actor=None, action="funds.create_fund", target=x)\n'
        'record_event(actor=None, action=f"funds.{kind}", target=x)\n'
        'record_events(actor=None, action="a.b" if flag else "a.c", changes=[])\n'
        "record_event(actor=None, action=FundsAction.FUND_CREATED, target=x)\n"
        "record_event(actor=None, action=STEP_ACTIONS[name], target=x)\n"
    )
    assert [line for line, _ in _string_actions(source)] == [1, 2, 3]
