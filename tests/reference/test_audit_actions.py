"""Each service of reference data records exactly one audit event of its declared kind."""

from __future__ import annotations

import pytest

from hrcoop.reference.actions import ReferenceAction
from hrcoop.reference.models import Organisation, RegionalGroup, State
from hrcoop.reference.services import (
    create_reference_row,
    delete_reference_row,
    set_organisation_members,
    update_reference_row,
)
from tests.conftest import records_exactly

pytestmark = pytest.mark.django_db


def test_reference_services_record_one_event_each() -> None:
    with records_exactly(ReferenceAction.CREATED):
        group = create_reference_row(RegionalGroup, actor=None, values={"code": "TEST", "name": "Test group"})
    with records_exactly(ReferenceAction.CHANGED):
        update_reference_row(group, actor=None, changes={"name": "A test group"})
    state = State.objects.create(iso3="FJI", iso2="FJ", m49="242", name="Fiji", status="member")
    organisation = Organisation.objects.create(code="PIF", name="Pacific Islands Forum")
    with records_exactly(ReferenceAction.MEMBERS_CHANGED):
        set_organisation_members(organisation, [state], actor=None)
    with records_exactly(ReferenceAction.DELETED):
        delete_reference_row(group, actor=None)
