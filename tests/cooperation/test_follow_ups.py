"""Follow-up actions of a dialogue: owners and due dates, marked done by their owner or the secretariat,
overdue ones shown."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hrcoop.cooperation import selectors, services
from hrcoop.cooperation.models import Dialogue, FollowUpAction
from hrcoop.core.audit import events_for
from hrcoop.core.errors import Conflict, Forbidden, InvalidInput
from tests.cooperation.conftest import World

pytestmark = pytest.mark.django_db

YESTERDAY = "yesterday"
TOMORROW = "tomorrow"


def _day(when: str) -> str:
    delta = dt.timedelta(days=-1 if when == YESTERDAY else 1)
    return (timezone.localdate() + delta).isoformat()


def _dialogue(world: World, *follow_ups: dict[str, Any], is_public: bool = True) -> Dialogue:
    return services.record_dialogue(
        actor=world.users["secretariat"],
        data={
            "title": "Peer exchange on follow-up mechanisms",
            "held_on": "2026-04-14",
            "participants": "Fiji\nParaguay\nOpen Follow-up Network",
            "states": ["FJI", "PRY"],
            "topics": "SIMORE",
            "is_public": is_public,
            "follow_ups": list(follow_ups),
        },
    )


def _follow_up(action: str, when: str = TOMORROW, **owner: str) -> dict[str, Any]:
    return {"action": action, "owner": owner.pop("owner", "Paraguay"), "due_on": _day(when), **owner}


@pytest.mark.parametrize(
    ("who", "may"),
    [
        ("provider_focal_point", True),  # a focal point of the owning State
        ("contributor", True),  # the owning user
        ("secretariat", True),
        ("focal_point", False),  # another participant
        ("other_contributor", False),
        ("anonymous", False),
    ],
)
def test_the_owner_or_the_secretariat_marks_a_follow_up_done(world: World, who: str, may: bool) -> None:
    dialogue = _dialogue(
        world,
        _follow_up("Send the database schema", owner_state="PRY"),
        _follow_up("Share the training kit", owner="Open Follow-up Network", owner_user="ngo"),
    )
    follow_ups = list(dialogue.follow_ups.order_by("pk"))
    follow_up = follow_ups[1] if who == "contributor" else follow_ups[0]
    if not may:
        with pytest.raises(Forbidden):
            services.complete_follow_up(follow_up, actor=world.users[who])
        follow_up.refresh_from_db()
        assert not follow_up.done and not events_for(follow_up).exists()
        return
    done = services.complete_follow_up(follow_up, actor=world.users[who])
    assert done.done and done.done_by == world.users[who] and done.done_at is not None
    assert events_for(follow_up).get().action == "cooperation.follow_up_done"
    with pytest.raises(Conflict, match="already done"):
        services.complete_follow_up(follow_up, actor=world.users[who])


@pytest.mark.parametrize(
    ("owner", "where"),
    [
        ({"owner_state": "XXX"}, "follow_ups[0].owner_state"),
        ({"owner_user": "nobody"}, "follow_ups[0].owner_user"),
    ],
)
def test_an_unknown_owner_is_refused_and_nothing_is_recorded(
    world: World, owner: dict[str, str], where: str
) -> None:
    with pytest.raises(InvalidInput) as error:
        _dialogue(world, _follow_up("Send the schema", **owner))
    assert error.value.where == where
    assert not Dialogue.objects.exists() and not FollowUpAction.objects.exists()


def test_overdue_follow_ups_are_those_not_done_by_their_due_date(world: World) -> None:
    dialogue = _dialogue(
        world,
        _follow_up("Late and open", YESTERDAY, owner_state="PRY"),
        _follow_up("Late but done", YESTERDAY, owner_state="PRY"),
        _follow_up("Not due yet", TOMORROW, owner_state="PRY"),
    )
    late_done = dialogue.follow_ups.get(action="Late but done")
    services.complete_follow_up(late_done, actor=world.users["provider_focal_point"])
    assert [f.action for f in selectors.overdue_follow_ups(world.users["anonymous"])] == ["Late and open"]

    client = Client()
    listing = client.get(reverse("cooperation:dialogues")).content.decode()
    assert "Overdue follow-up actions" in listing and "Late and open" in listing
    assert "Late but done" not in listing and "Not due yet" not in listing
    page = client.get(reverse("cooperation:dialogue", args=[dialogue.pk])).content.decode()
    late = dialogue.follow_ups.get(action="Late and open")
    assert f'id="follow-up-{late.pk}" class="overdue"' in page
    api = client.get(f"/api/cooperation/dialogues/{dialogue.pk}/").json()["follow_ups"]
    assert [(f["action"], f["overdue"], f["done"]) for f in api] == [
        ("Late and open", True, False),
        ("Late but done", False, True),
        ("Not due yet", False, False),
    ]


def test_an_overdue_follow_up_of_a_private_dialogue_is_not_shown_to_others(world: World) -> None:
    _dialogue(world, _follow_up("Confidential step", YESTERDAY), is_public=False)
    assert not selectors.overdue_follow_ups(world.users["anonymous"]).exists()
    assert selectors.overdue_follow_ups(world.users["provider_focal_point"]).count() == 1


def test_the_page_and_the_api_mark_a_follow_up_done(world: World) -> None:
    dialogue = _dialogue(
        world,
        _follow_up("Send the schema", owner_state="PRY"),
        _follow_up("Share the kit", owner_state="PRY"),
    )
    first, second = dialogue.follow_ups.order_by("pk")
    page_path = reverse("cooperation:follow-up-done", args=[dialogue.pk, first.pk])
    api_path = f"/api/cooperation/dialogues/{dialogue.pk}/follow-ups/{second.pk}/done/"
    stranger = Client()
    stranger.force_login(world.users["other_focal_point"])
    assert stranger.post(api_path).status_code == 403
    owner = Client()
    owner.force_login(world.users["provider_focal_point"])
    assert page_path in owner.get(reverse("cooperation:dialogue", args=[dialogue.pk])).content.decode()
    assert owner.post(page_path).status_code == 302
    answer = owner.post(api_path)
    assert answer.status_code == 200 and answer.json()["done"] is True
    assert FollowUpAction.objects.filter(done=True).count() == 2
    assert owner.post(f"/api/cooperation/dialogues/{dialogue.pk}/follow-ups/999/done/").status_code == 404
