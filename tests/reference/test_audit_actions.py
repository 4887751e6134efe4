"""Each service of reference data records exactly one audit event of its declared kind."""

from __future__ import annotations

import pytest

from hrcoop.reference.actions import ReferenceAction
from hrcoop.reference.models import Organisation, RegionalGroup
from hrcoop.reference.services import (
    create_reference_row,
    delete_reference_row,
    set_organisation_members,
    update_reference_row,
)
from tests.conftest import records_exactly
from tests.factories import make_state

pytestmark = pytest.mark.django_db


def test_reference_services_record_one_event_each() -> None:
    with records_exactly(ReferenceAction.CREATED):
        group = create_reference_row(RegionalGroup, actor=None, values={"code": "TEST", "name": "Test group"})
    with records_exactly(ReferenceAction.CHANGED):
        update_reference_row(group, actor=None, changes={"name": "A test group"})
    state = make_state("FJI", "FJ", "242", "Fiji")
    organisation = create_reference_row(
        Organisation, actor=None, values={"code": "PIF", "name": "Pacific Islands Forum"}
    )
    with records_exactly(ReferenceAction.MEMBERS_CHANGED):
        set_organisation_members(organisation, [state], actor=None)
    with records_exactly(ReferenceAction.DELETED):
        delete_reference_row(group, actor=None)
