"""Derived data follows the domain events that services send, and nothing else.

An edit of reference data in the admin, an import, a correction and a role grant each go through a
service, which writes one audit event and sends the events that the search index, the suggestions
and the registry's data version follow. A row saved around the services (an old import run saved
again) changes nothing derived.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.forms import MultiWidget
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks

from hrcoop.core.events import Delivery, DomainEvent, records_changed
from hrcoop.core.models import AuditEvent, Role, RoleAssignment, User
from hrcoop.core.roles import has_role
from hrcoop.core.services import grant_role, revoke_role
from hrcoop.recommendations.classification.models import ModelVersion
from hrcoop.recommendations.models import ImportRun, Recommendation
from hrcoop.recommendations.registry_version import reference_version, registry_version
from hrcoop.recommendations.search.models import SearchDocument
from hrcoop.recommendations.search.selectors import SearchParams, search
from hrcoop.recommendations.services.imports import import_files
from hrcoop.reference.models import Mechanism, Organisation, RegionalGroup, State
from hrcoop.reference.services import (
    create_reference_row,
    delete_reference_row,
    set_organisation_members,
    update_reference_row,
)
from tests.conftest import committed
from tests.recommendations.upr_info_fixtures import write_2018

DEATH = "Abolish the death penalty"  # under review: Côte d'Ivoire; recommended by France (WEOG, EU)


def _found(q: str = "", **filters: list[str]) -> set[str]:
    return set(
        Recommendation.objects.filter(pk__in=search(SearchParams(q=q, filters=filters)).ids()).values_list(
            "text", flat=True
        )
    )


def _version() -> int:
    return (registry_version() or (0, None))[0]


def _reference_version() -> int:
    return (reference_version() or (0, None))[0]


def _audited(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


@pytest.fixture
def queued(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The import runs queued for suggestions (the task itself is the classification tests' concern)."""
    runs: list[int] = []

    class Task:
        @staticmethod
        def enqueue(import_run_id: int) -> None:
            runs.append(import_run_id)

    monkeypatch.setattr("hrcoop.recommendations.classification.tasks.suggest_for_import", Task)
    return runs


@pytest.fixture
def active_model(db: None) -> ModelVersion:
    """An active model's row without fitting one: these tests need one to be there, not its suggestions."""
    return ModelVersion.objects.create(
        version="issue-test", kind="issue", created_at=timezone.now(), records=1, artifact="x", active=True
    )


@pytest.fixture
def imported(reference_data: None, tmp_path: Path) -> Iterator[None]:
    with committed():
        import_files([write_2018(tmp_path / "upr.csv")], format_name="upr-info", actor=None)
    yield


@pytest.fixture
def operator(db: None, client: Client) -> Client:
    client.force_login(User.objects.create_superuser("operator", password="x" * 12))
    return client


def _admin_post(client: Client, url: str, **changes: Any) -> None:
    """Post the admin's change form as it was rendered, with ``changes``, as a person would."""
    page = client.get(url)
    form = page.context["adminform"].form
    data: dict[str, Any] = {}
    for name in form.fields:
        value = form[name].value()
        widget = form[name].field.widget
        if isinstance(widget, MultiWidget):  # a date and a time, in two inputs
            data.update({f"{name}_{i}": part for i, part in enumerate(widget.decompress(value)) if part})
        elif value is not None:
            data[name] = value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for each in formset.forms:
            for name in each.fields:
                value = each[name].value()
                if value is not None:
                    data[each.add_prefix(name)] = value
    data.update(changes)
    answer = client.post(url, data)
    assert answer.status_code == 302, answer.content.decode()[:2000]


# --- the events themselves ------------------------------------------------------------------------


def test_an_event_delivered_in_the_transaction_refuses_to_be_sent_outside_one() -> None:
    with pytest.raises(RuntimeError, match="records_changed"):
        records_changed.send(ids=[1], text_changed=False)


@pytest.mark.django_db
def test_receivers_get_the_payload_in_the_transaction_or_once_it_commits(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    got: list[tuple[str, int]] = []
    now = DomainEvent("now", "test", Delivery.IN_TRANSACTION)
    later = DomainEvent("later", "test", Delivery.ON_COMMIT)
    for event in (now, later):
        event.subscribe(lambda *, n, name=event.name: got.append((name, n)))

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        now.send(n=1)
        later.send(n=2)
        assert got == [("now", 1)]
    assert got == [("now", 1), ("later", 2)]


# --- an import, and an old import run saved again -------------------------------------------------


def test_an_import_reaches_the_index_the_suggestions_and_the_version(
    reference_data: None,
    tmp_path: Path,
    active_model: ModelVersion,
    queued: list[int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    before = _version()
    with django_capture_on_commit_callbacks(execute=True):
        [report] = import_files([write_2018(tmp_path / "upr.csv")], format_name="upr-info", actor=None)

    assert _found("death") == {DEATH}
    assert queued == [report["import_run"]]
    assert _version() > before  # once for the file, and once for the vocabulary's first labels
    assert len(_audited("recommendations.import_file")) == 1


def test_saving_an_old_import_run_again_changes_nothing_derived(
    imported: None,
    active_model: ModelVersion,
    queued: list[int],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    death = Recommendation.objects.get(text=DEATH)
    SearchDocument.objects.filter(recommendation=death).delete()  # lost, to be seen missing still
    before = registry_version()

    with django_capture_on_commit_callbacks(execute=True):
        run = ImportRun.objects.get()
        run.finished_at = timezone.now()
        run.save()  # around the import services, on purpose: a plain save must change nothing derived

    assert not SearchDocument.objects.filter(recommendation=death).exists()
    assert queued == []
    assert registry_version() == before


# --- reference data edited in the admin -----------------------------------------------------------


def test_a_state_moved_to_another_group_in_the_admin_reaches_the_index_and_the_version(
    imported: None, operator: Client
) -> None:
    assert _found(recommending_group=["WEOG"]) >= {DEATH}
    before = _version()
    france = State.objects.get(iso3="FRA")

    _admin_post(operator, reverse("admin:reference_state_change", args=[france.pk]), regional_group="EEG")

    assert DEATH in _found(recommending_group=["EEG"])
    assert DEATH not in _found(recommending_group=["WEOG"])
    assert _version() == before + 1
    [event] = _audited("reference.changed")
    assert event.data == {"before": {"regional_group": "WEOG"}, "after": {"regional_group": "EEG"}}


def test_an_organisations_members_edited_in_the_admin_reach_the_index_and_the_version(
    imported: None, operator: Client
) -> None:
    assert DEATH in _found(recommending_organisation=["EU"])
    before = _version()
    eu = Organisation.objects.get(code="EU")
    members = [pk for pk in eu.members.values_list("pk", flat=True) if pk != State.objects.get(iso3="FRA").pk]

    _admin_post(operator, reverse("admin:reference_organisation_change", args=["EU"]), members=members)

    assert DEATH not in _found(recommending_organisation=["EU"])
    assert _version() == before + 1
    [event] = _audited("reference.members_changed")
    assert "FRA" in event.data["before"] and "FRA" not in event.data["after"]


def test_a_reference_row_added_and_deleted_in_the_admin_raises_the_version(operator: Client) -> None:
    """The reference rows' version, not the records': no record changed."""
    records, before = _version(), _reference_version()
    answer = operator.post(
        reverse("admin:reference_mechanism_add"),
        {"code": "TEST-SP", "kind": "special_procedures", "name": "A test"},
    )
    assert answer.status_code == 302, answer.content.decode()[:2000]
    assert _reference_version() == before + 1
    assert Mechanism.objects.filter(code="TEST-SP").exists()

    answer = operator.post(reverse("admin:reference_mechanism_delete", args=["TEST-SP"]), {"post": "yes"})
    assert answer.status_code == 302
    assert not Mechanism.objects.filter(code="TEST-SP").exists()
    assert _reference_version() == before + 2
    assert _version() == records
    assert [len(_audited(action)) for action in ("reference.created", "reference.deleted")] == [1, 1]


def test_reference_rows_written_around_the_services_change_nothing_derived(imported: None) -> None:
    """The daily ``hrcoop search reindex`` is the safety net for these; nothing follows them at once."""
    before = _version()
    State.objects.filter(iso3="FRA").update(regional_group_id="EEG")
    Organisation.objects.get(code="EU").members.remove(State.objects.get(iso3="FRA"))
    assert _version() == before
    assert DEATH in _found(recommending_group=["WEOG"], recommending_organisation=["EU"])


# --- services: one audit event each, bad input changes nothing ---------------------------------------


@pytest.mark.django_db
def test_each_reference_service_writes_exactly_one_audit_event_of_its_kind(reference_data: None) -> None:
    group = create_reference_row(RegionalGroup, actor=None, values={"code": "TEST", "name": "Test group"})
    assert len(_audited("reference.created")) == 1
    update_reference_row(group, actor=None, changes={"name": "Renamed group"})
    update_reference_row(group, actor=None, changes={"name": "Renamed group"})  # no change: no event
    [changed] = _audited("reference.changed")
    assert changed.data == {"before": {"name": "Test group"}, "after": {"name": "Renamed group"}}
    organisation = create_reference_row(Organisation, actor=None, values={"code": "TO", "name": "Test org"})
    set_organisation_members(organisation, State.objects.filter(iso3__in=["KEN", "GHA"]), actor=None)
    [members] = _audited("reference.members_changed")
    assert members.data == {"before": [], "after": ["GHA", "KEN"]}
    delete_reference_row(organisation, actor=None)
    [deleted] = _audited("reference.deleted")
    assert deleted.data["before"] == {"code": "TO", "name": "Test org", "names": {}}
    assert not Organisation.objects.filter(code="TO").exists()


@pytest.mark.django_db
def test_a_reference_edit_refused_changes_nothing(reference_data: None) -> None:
    from hrcoop.core.errors import Conflict, InvalidInput

    kenya = State.objects.get(iso3="KEN")
    count, version = AuditEvent.objects.count(), _version()
    with pytest.raises(InvalidInput, match="iso3"):
        update_reference_row(kenya, actor=None, changes={"iso3": "XXX"})
    with pytest.raises(InvalidInput, match="name"):
        update_reference_row(kenya, actor=None, changes={"name": ""})
    with pytest.raises(Conflict, match="still referred to"):
        delete_reference_row(RegionalGroup.objects.get(code="AFRICAN"), actor=None)
    assert State.objects.get(iso3="KEN").name == kenya.name
    assert RegionalGroup.objects.filter(code="AFRICAN").exists()
    assert (AuditEvent.objects.count(), _version()) == (count, version)


# --- roles ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_role_granted_and_revoked_is_audited_once_each_and_touches_no_derived_data() -> None:
    official = User.objects.create_user("official")
    before = registry_version()
    assignment = grant_role(official, Role.STATE_FOCAL_POINT, scope="KEN", actor=None)
    assert grant_role(official, Role.STATE_FOCAL_POINT, scope="KEN", actor=None) == assignment  # held
    [granted] = _audited("core.role_granted")
    assert granted.data == {"user": "official", "role": "state_focal_point", "scope": "KEN"}
    assert has_role(official, Role.STATE_FOCAL_POINT, scope="KEN")

    revoke_role(assignment, actor=None)
    assert len(_audited("core.role_revoked")) == 1
    assert not has_role(official, Role.STATE_FOCAL_POINT, scope="KEN")
    assert registry_version() == before


@pytest.mark.django_db
def test_a_role_without_its_scope_is_refused_and_changes_nothing() -> None:
    from hrcoop.core.errors import InvalidInput

    official = User.objects.create_user("official")
    with pytest.raises(InvalidInput, match="needs a scope"):
        grant_role(official, Role.DONOR, actor=None)
    assert not RoleAssignment.objects.exists() and not AuditEvent.objects.exists()


def test_roles_granted_and_revoked_in_the_admin_go_through_the_services(operator: Client) -> None:
    official = User.objects.create_user("official")
    url = reverse("admin:core_user_change", args=[official.pk])
    _admin_post(
        operator,
        url,
        **{"roles-TOTAL_FORMS": "1", "roles-0-role": "state_focal_point", "roles-0-scope": "KEN"},
    )
    assert has_role(official, Role.STATE_FOCAL_POINT, scope="KEN")
    [granted] = _audited("core.role_granted")
    assert granted.actor == User.objects.get(username="operator")

    assignment = RoleAssignment.objects.get(user=official)
    _admin_post(operator, url, **{"roles-0-DELETE": "on"})
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()
    assert len(_audited("core.role_revoked")) == 1


# --- a correction ------------------------------------------------------------------------------------


def test_a_correction_in_the_admin_reaches_the_index_and_the_version(
    imported: None, operator: Client
) -> None:
    death = Recommendation.objects.get(text=DEATH)
    before = _version()
    _admin_post(
        operator,
        reverse("admin:recommendations_recommendation_change", args=[death.pk]),
        text="Abolish capital punishment",
    )
    assert _found("punishment") == {"Abolish capital punishment"}
    assert _found("death") == set()
    assert _version() == before + 1
