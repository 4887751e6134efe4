"""The record of dialogue (para 24): who records it, who sees a non-public one, bad input."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from hrcoop.cooperation import selectors, services
from hrcoop.cooperation.models import Dialogue
from hrcoop.core.errors import Forbidden, InvalidInput
from hrcoop.core.models import AuditEvent
from tests.cooperation.conftest import World, make_offer

pytestmark = pytest.mark.django_db


def _data(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "kind": "consultation",
        "title": "Consultation on a national mechanism for follow-up",
        "held_on": "2026-04-14",
        "participants": "Ministry of Justice of Fiji\nParaguay's SIMORE team",
        "states": ["FJI", "PRY"],
        "topics": "How SIMORE clusters recommendations",
        "outcomes": "Fiji will pilot the tool",
        "recommendations": ["R-mechanism"],
        "follow_ups": [{"action": "Send the database schema", "owner": "Paraguay", "due_on": "2026-05-01"}],
        **changes,
    }


def test_a_focal_point_of_a_participating_state_records_a_dialogue_with_follow_ups(world: World) -> None:
    offer = make_offer(world, "secretariat")
    dialogue = services.record_dialogue(
        actor=world.users["focal_point"], data=_data(world, offers=[str(offer.pk)])
    )
    assert [(f.owner, f.due_on) for f in dialogue.follow_ups.all()] == [("Paraguay", dt.date(2026, 5, 1))]
    assert list(dialogue.recommendations.all()) == [world.recommendations["mechanism"]]
    assert list(dialogue.offers.all()) == [offer]
    assert dialogue in selectors.dialogues_visible_to(world.users["anonymous"])  # public unless marked


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("anonymous", False),
        ("other_focal_point", False),
        ("contributor", False),
        ("focal_point", True),  # recorded it
        ("provider_focal_point", True),  # Paraguay took part
        ("secretariat", True),
    ],
)
def test_a_dialogue_marked_not_public_is_seen_by_its_participants_and_the_secretariat(
    world: World, who: str, sees: bool
) -> None:
    dialogue = services.record_dialogue(actor=world.users["focal_point"], data=_data(world, is_public=False))
    assert (dialogue in selectors.dialogues_visible_to(world.users[who])) is sees


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"held_on": "14/04/2026"}, "held_on"),
        ({"topics": ""}, "topics"),
        ({"states": ["FJI", "XXX"]}, "states"),
        ({"recommendations": ["R-none"]}, "recommendations"),
        ({"follow_ups": [{"action": "Send", "owner": "", "due_on": "2026-05-01"}]}, "follow_ups[0]"),
        ({"follow_ups": [{"action": "Send", "owner": "Paraguay", "due_on": "soon"}]}, "follow_ups[0].due_on"),
    ],
)
def test_bad_dialogues_are_refused_and_change_nothing(
    world: World, changes: dict[str, Any], where: str
) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(InvalidInput) as error:
        services.record_dialogue(actor=world.users["secretariat"], data=_data(world, **changes))
    assert error.value.where == where
    assert Dialogue.objects.count() == 0 and AuditEvent.objects.count() == events


def test_a_focal_point_records_only_dialogues_its_state_took_part_in(world: World) -> None:
    with pytest.raises(Forbidden):
        services.record_dialogue(actor=world.users["other_focal_point"], data=_data(world))
    assert Dialogue.objects.count() == 0
