"""Queues that tell the truth: overdue first and marked, nothing due last, the due date beside the id;
an approved request offers "Allocate" to its secretariat, whose form states the figures to decide by."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hrcoop.assistance.models import AssistanceRequest, Status
from hrcoop.core.calendar import local_date
from hrcoop.core.models import Role
from hrcoop.core.money import Money
from hrcoop.core.roles import has_role
from hrcoop.funds import services as funds
from tests.assistance.conftest import World
from tests.factories import make_request

TODAY = local_date(timezone.now())


def _client(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def _row_ids(page: str) -> list[str]:
    return re.findall(r'<th scope="row"><a href="[^"]+">(AR-[0-9A-F]+)</a>', page)


def test_the_queue_puts_overdue_first_and_requests_with_nothing_due_last(world: World) -> None:
    paused = make_request(world.state, world.fund, status=Status.INFORMATION_REQUESTED, due_date=None)
    later = make_request(
        world.state, world.fund, status=Status.ACKNOWLEDGED, due_date=TODAY + dt.timedelta(days=20)
    )
    soon = make_request(
        world.state, world.fund, status=Status.SUBMITTED, due_date=TODAY + dt.timedelta(days=2)
    )
    overdue = make_request(
        world.state, world.fund, status=Status.UNDER_ASSESSMENT, due_date=TODAY - dt.timedelta(days=3)
    )
    page = _client(world, "secretariat").get(reverse("assistance:queue")).content.decode()
    assert _row_ids(page) == [overdue.public_id, soon.public_id, later.public_id, paused.public_id]
    rows = re.findall(r"<tr( class=\"overdue\")?>\s*<th scope=\"row\"><a[^>]*>(AR-[0-9A-F]+)", page)
    assert [(marked != "", public_id) for marked, public_id in rows] == [
        (True, overdue.public_id),
        (False, soon.public_id),
        (False, later.public_id),
        (False, paused.public_id),
    ]


def test_the_due_date_is_the_second_column_and_stays_on_a_phone(world: World) -> None:
    make_request(world.state, world.fund, status=Status.SUBMITTED, due_date=TODAY - dt.timedelta(days=1))
    page = _client(world, "secretariat").get(reverse("assistance:queue")).content.decode()
    headers = re.findall(r'<th scope="col"( class="[^"]*")?>([^<]+)</th>', page)
    assert [name for _, name in headers][:2] == ["Request", "Due"]
    assert all("wide" not in css for css, name in headers if name in ("Request", "Due", "Status", "Title"))


def test_the_board_agenda_orders_the_same_way(world: World) -> None:
    later = make_request(
        world.state, world.fund, status=Status.RECOMMENDED, due_date=TODAY + dt.timedelta(days=9)
    )
    undated = make_request(world.state, world.fund, status=Status.RECOMMENDED, due_date=None)
    overdue = make_request(
        world.state, world.fund, status=Status.RECOMMENDED, due_date=TODAY - dt.timedelta(days=9)
    )
    page = _client(world, "board").get(reverse("assistance:agenda")).content.decode()
    assert _row_ids(page) == [overdue.public_id, later.public_id, undated.public_id]


def test_allocate_is_offered_to_the_secretariat_on_approved_requests_only(world: World) -> None:
    allocate = "/allocations/new/"
    for status in Status.values:
        request = make_request(world.state, world.fund, status=status)
        url = reverse("assistance:detail", args=[request.public_id])
        for who in ("secretariat", "board", "focal_point", "other_focal_point", "anonymous"):
            client = Client()
            if who != "anonymous":
                client.force_login(world.users[who])
            page = client.get(url)
            if page.status_code == 404:  # another State's draft
                continue
            expected = status in (Status.APPROVED, Status.APPROVED_WITH_CHANGES) and has_role(
                world.users[who], Role.SECRETARIAT
            )
            assert (allocate in page.content.decode()) is expected, (status, who)


def _fund_with_cash(world: World, minor_units: int) -> None:
    clerk = world.users["secretariat"]
    donor = funds.register_donor(name="Open Rights Foundation", kind="foundation", actor=clerk)
    pledge = funds.record_pledge(
        fund_code=world.fund.code,
        donor_id=donor.pk,
        amount=Money(minor_units, "USD"),
        pledged_on=TODAY,
        idempotency_key="pledge",
        actor=clerk,
    )
    funds.record_receipt(
        pledge_id=pledge.pk,
        amount=Money(minor_units, "USD"),
        received_on=TODAY,
        idempotency_key="receipt",
        actor=clerk,
    )


def test_the_allocation_form_shows_the_approved_amount_and_what_the_fund_has(world: World) -> None:
    _fund_with_cash(world, 80_000_00)
    request = make_request(world.state, world.fund, status=Status.APPROVED, amount=50_000_00)
    client = _client(world, "secretariat")
    form_url = reverse("funds:new-allocation", args=[request.public_id])
    page = client.get(form_url).content.decode()
    facts = page[page.index('id="facts"') : page.index("</dl>", page.index('id="facts"'))]
    assert "Amount approved" in facts and "50,000.00 USD" in facts
    assert "Allocated already" in facts and "0.00 USD" in facts
    assert "Available in the fund" in facts and "80,000.00 USD" in facts
    assert 'name="amount" value="50000.00"' in page  # what remains to allocate, filled in
    done = client.post(
        form_url, {"amount": "50000.00", "allocated_on": TODAY.isoformat(), "idempotency_key": "a"}
    )
    assert done.status_code == 302 and done["Location"] == reverse(
        "assistance:detail", args=[request.public_id]
    )
    assert AssistanceRequest.objects.get(pk=request.pk).status == Status.FUNDED


def test_the_public_register_keeps_the_state_on_a_phone(world: World) -> None:
    make_request(world.state, world.fund, status=Status.SUBMITTED, due_date=TODAY)
    page = Client().get(reverse("assistance:register")).content.decode()
    assert '<th scope="col">State</th>' in page and '<th scope="col" class="wide">State</th>' not in page
