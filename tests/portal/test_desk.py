"""Each person lands, after signing in, on what awaits them in each role they hold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hrcoop.assistance.models import Status
from hrcoop.core.calendar import local_date
from hrcoop.core.models import Role, User
from hrcoop.core.money import Money
from hrcoop.core.services import grant_role
from hrcoop.funds import services as funds
from tests.assistance import conftest as assistance
from tests.assistance.conftest import World
from tests.factories import make_request

# The assistance tests' small world (two States, two funds, a user per role), as fixtures of this module.
world = assistance.world

pytestmark = pytest.mark.usefixtures("fast_passwords")

DESK = reverse("portal:desk")
TODAY = local_date(timezone.now())


def _page(world: World, who: str) -> str:
    client = Client()
    client.force_login(world.users[who])  # type: ignore[arg-type]
    return client.get(DESK).content.decode()


def test_signing_in_lands_on_the_desk(world: World) -> None:
    answer = Client().post(reverse("login"), {"username": "fiji", "password": "pw-fiji"})
    assert answer.status_code == 302 and answer["Location"] == DESK
    assert Client().get(DESK)["Location"].startswith(reverse("login"))


def test_the_secretariat_sees_its_queue_overdue_first_and_what_awaits_money(world: World) -> None:
    later = make_request(
        world.state, world.fund, status=Status.SUBMITTED, due_date=TODAY + dt.timedelta(days=5), title="Later"
    )
    overdue = make_request(
        world.state,
        world.fund,
        status=Status.ACKNOWLEDGED,
        due_date=TODAY - dt.timedelta(days=2),
        title="Late",
    )
    approved = make_request(world.state, world.fund, status=Status.APPROVED, title="Approved one")
    page = _page(world, "secretariat")
    assert "1 request is overdue." in page
    assert page.index(overdue.public_id) < page.index(later.public_id)
    assert reverse("funds:new-allocation", args=[approved.public_id]) in page
    assert reverse("assistance:board-sessions") in page
    assert "Board: your agenda" not in page and "Your State" not in page


def test_the_focal_point_sees_its_states_requests_and_the_question_to_answer(world: World) -> None:
    asked = make_request(world.state, world.fund, status=Status.INFORMATION_REQUESTED, title="Asked")
    other = make_request(
        world.other_state,
        world.fund,
        status=Status.INFORMATION_REQUESTED,
    )
    page = _page(world, "focal_point")
    assert asked.public_id in page and "the secretariat asks for information: answer it" in page
    assert other.public_id not in page
    assert "Secretariat: requests awaiting you" not in page


def test_the_board_sees_its_agenda_only(world: World) -> None:
    mine = make_request(world.state, world.fund, status=Status.RECOMMENDED, title="For the board")
    other = make_request(
        world.state,
        world.other_fund,
        status=Status.RECOMMENDED,
    )
    page = _page(world, "board")
    assert "Board: your agenda" in page and mine.public_id in page and other.public_id not in page


def test_a_donor_sees_its_contributions(world: World) -> None:
    clerk = world.users["secretariat"]
    donor = funds.register_donor(name="Open Rights Foundation", kind="foundation", actor=clerk)
    other = funds.register_donor(name="Someone Else Trust", kind="foundation", actor=clerk)
    for who, amount in ((donor, 12_345_00), (other, 99_999_00)):
        funds.record_pledge(
            fund_code=world.fund.code,
            donor_id=who.pk,
            amount=Money(amount, "USD"),
            pledged_on=TODAY,
            idempotency_key=f"pledge-{who.pk}",
            actor=clerk,
        )
    user = User.objects.create_user("donor-rep")
    grant_role(user, Role.DONOR, scope=str(donor.pk), actor=None)
    client = Client()
    client.force_login(user)
    page = client.get(DESK).content.decode()
    assert "Open Rights Foundation" in page and "12,345.00 USD" in page
    assert "Someone Else" not in page and "99,999.00" not in page


def test_an_account_without_a_role_is_told_how_roles_are_given(world: World) -> None:
    client = Client()
    client.force_login(User.objects.create_user("nobody"))
    page = client.get(DESK).content.decode()
    assert reverse("portal:getting-an-account") in page
