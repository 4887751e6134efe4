"""docs/access.md's table, cell by cell: each role asks each path for each object and gets what the
table says. The table is read from the document, so the document and the code cannot part."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from openpyxl import load_workbook

from hrcoop.assistance.models import AssistanceRequest, Status
from hrcoop.cooperation.models import Match, Offer, OfferStatus
from hrcoop.reports.models import ReportBuild
from tests.authorization_world import FUND, MARKERS, ROLES, World, build_world
from tests.conftest import FAST_PASSWORD_HASHERS, REPO_ROOT

CHECKS = {"text", "status", "change"}


@dataclass(frozen=True)
class Cell:
    subject: str
    action: str
    method: str
    path: str
    check: str
    role: str
    allowed: bool

    def __str__(self) -> str:
        return f"{self.subject} / {self.action} / {self.role}"


def table() -> list[Cell]:
    text = (REPO_ROOT / "docs" / "access.md").read_text(encoding="utf-8")
    block = text.split("<!-- authorization-table -->")[1].split("<!-- /authorization-table -->")[0]
    header, _rule, *rows = [line for line in block.strip().splitlines() if line.startswith("|")]
    assert [part.strip() for part in header.strip("|").split("|")][4:] == ROLES
    cells = []
    for line in rows:
        subject, action, where, check, *expected = [part.strip() for part in line.strip("|").split("|")]
        assert subject in MARKERS and check in CHECKS and len(expected) == len(ROLES), line
        method, _, path = where.strip("`").rpartition(" ")
        for role, value in zip(ROLES, expected, strict=True):
            assert value in {"yes", "no"}, line
            cells.append(Cell(subject, action, method or "GET", path, check, role, value == "yes"))
    return cells


CELLS = table()

# What "changed" means for each object an action of the table changes.
CHANGED: dict[str, Callable[[dict[str, Any]], bool]] = {
    "request submitted": lambda ids: (
        AssistanceRequest.objects.get(public_id=ids["submitted"]).status != Status.SUBMITTED
    ),
    "offer unpublished": lambda ids: (
        Offer.objects.get(pk=ids["offer_hidden"]).status == OfferStatus.PUBLISHED
    ),
    "match unconfirmed": lambda ids: Match.objects.get(pk=ids["match"]).beneficiary_confirmed_at is not None,
    "report draft": lambda ids: (
        ReportBuild.objects.get(pk=ids["report_draft"]).status == ReportBuild.Status.PUBLISHED
    ),
}


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The world, built once for the module's few hundred cells and flushed afterwards."""
    media = tmp_path_factory.mktemp("authz-media")
    with (
        override_settings(MEDIA_ROOT=str(media), PASSWORD_HASHERS=FAST_PASSWORD_HASHERS),
        django_db_blocker.unblock(),
    ):
        yield build_world()
        call_command("flush", interactive=False, verbosity=0)


def body_text(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    return content.decode("utf-8", errors="replace")


def marker_in(subject: str, body: str) -> bool:
    markers = MARKERS[subject]
    return any(m in body for m in ((markers,) if isinstance(markers, str) else markers))


def signed_in_page(response: Any) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_table_has_every_role_for_every_kind_of_object_and_action() -> None:
    assert {c.subject for c in CELLS} == set(MARKERS)
    assert {c.check for c in CELLS} == CHECKS
    assert len(CELLS) % len(ROLES) == 0
    assert {c.subject for c in CELLS if c.check == "change"} == set(CHANGED)


@pytest.mark.django_db
@pytest.mark.parametrize("cell", CELLS, ids=str)
def test_access_cell(world: World, cell: Cell) -> None:
    client = Client()
    user = world.users[cell.role]
    if user.is_authenticated:
        client.force_login(user)
    path, _, query = cell.path.format(fund=FUND, **world.ids).partition("?")
    if cell.check == "change":
        with transaction.atomic():
            response = client.post(path, dict(parse_qsl(query)))
            changed = CHANGED[cell.subject](world.ids)
            transaction.set_rollback(True)
        assert response.status_code < 500, f"{cell}: {response.status_code}"
        assert changed is cell.allowed, f"{cell}: changed={changed}, answer {response.status_code}"
        return
    response = client.get(path)
    shown = marker_in(cell.subject, body_text(response))
    if cell.check == "text":
        assert response.status_code == 200 or (not cell.allowed and signed_in_page(response)), f"{cell}"
        assert shown is cell.allowed, f"{cell}: the marker is {'absent' if cell.allowed else 'there'}"
    elif cell.allowed:
        assert response.status_code == 200, f"{cell}: {response.status_code}"
    else:
        assert not shown, f"{cell}: the marker leaked"
        assert response.status_code in (403, 404) or signed_in_page(response), (
            f"{cell}: {response.status_code}"
        )
