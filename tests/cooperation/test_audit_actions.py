"""Each service of an offer records exactly one audit event of its declared kind; moderation records
whichever of publication or refusal it decided."""

from __future__ import annotations

import pytest

from hrcoop.cooperation import services
from hrcoop.cooperation.actions import CooperationAction
from tests.conftest import records_exactly
from tests.cooperation.conftest import OFFER, World, make_offer

pytestmark = pytest.mark.django_db


def test_an_offer_s_services_record_one_event_each(world: World) -> None:
    contributor, secretariat = world.users["contributor"], world.users["secretariat"]
    with records_exactly(CooperationAction.OFFER_SUBMITTED):
        offer = make_offer(world)
    with records_exactly(CooperationAction.OFFER_EDITED):
        services.edit_offer(offer, actor=contributor, data={**OFFER, "title": "SIMORE, a public tracker"})
    with records_exactly(CooperationAction.OFFER_PUBLISHED):
        services.moderate_offer(offer, actor=secretariat, publish=True)
    with records_exactly(CooperationAction.OFFER_WITHDRAWN):
        services.withdraw_offer(offer, actor=contributor, reason="the team moved on")
    declined = make_offer(world, title="Another tool")
    with records_exactly(CooperationAction.OFFER_REJECTED):
        services.moderate_offer(declined, actor=secretariat, publish=False, note="a duplicate")
