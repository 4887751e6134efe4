"""The access rules of docs/tracking.md, cell by cell: each path of the table, for each reader, through
pages, API and exports. The table is read from the document, so the document and the code cannot part."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from hrcoop.core.models import User
from hrcoop.tracking.models import Plan
from tests.conftest import REPO_ROOT
from tests.tracking.conftest import JUSTICE_ACTION, OMBUDSMAN_ACTION, PRIVATE_TEXT, SUBMITTED_TEXT, World

READERS = [
    "institution member",
    "focal point of the State",
    "focal point of another State",
    "secretariat",
    "public",
]


@dataclass(frozen=True)
class Cell:
    published: bool
    resource: str
    path: str
    reader: str
    expected: str  # yes, own or no

    def __str__(self) -> str:
        plan = "published" if self.published else "unpublished"
        return f"{plan} {self.resource} / {self.reader}"


def table() -> list[Cell]:
    text = (REPO_ROOT / "docs" / "tracking.md").read_text(encoding="utf-8")
    block = text.split("<!-- access-table -->")[1].split("<!-- /access-table -->")[0]
    rows = [line for line in block.strip().splitlines() if line.startswith("|")][2:]
    cells = []
    for line in rows:
        plan, resource, path, *expected = [part.strip() for part in line.strip("|").split("|")]
        assert len(expected) == len(READERS), line
        for reader, value in zip(READERS, expected, strict=True):
            assert value in {"yes", "own", "no"}, line
            cells.append(Cell(plan == "published", resource, path.strip("`"), reader, value))
    return cells


CELLS = table()


def body_text(response: object) -> str:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    else:
        content = response.content  # type: ignore[attr-defined]
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):  # type: ignore[index]
        sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        return "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
    return content.decode("utf-8", errors="replace")


def test_the_table_covers_every_reader_and_both_states_of_a_plan() -> None:
    assert len(CELLS) == 21 * len(READERS)
    assert {c.published for c in CELLS} == {True, False}


@pytest.mark.parametrize("cell", CELLS, ids=str)
def test_access_cell(world: World, cell: Cell) -> None:
    if cell.published:
        Plan.objects.filter(pk=world.plan.pk).update(published_at=timezone.now())
    path = cell.path.format(
        plan=world.plan.pk,
        state=world.state.iso3,
        submitted=world.updates["submitted"].pk,
        validated_public=world.updates["validated_public"].pk,
        validated_private=world.updates["validated_private"].pk,
        document=world.updates["validated_public"].documents.get().pk,
        institution=world.justice.pk,
    )
    client = Client()
    reader = world.users[cell.reader]
    if isinstance(reader, User):
        client.force_login(reader)
    response = client.get(path)
    if cell.expected == "no":
        assert response.status_code == 404, (path, response.status_code)
        return
    assert response.status_code == 200, (path, response.status_code)
    text = body_text(response)
    if "/plans/{plan}/" in cell.path:
        assert JUSTICE_ACTION in text
        assert (OMBUDSMAN_ACTION in text) == (cell.expected == "yes"), "the other institution's assignment"
    if "/states/" in cell.path:  # the public page lists clusters, and actions with published progress
        assert world.clusters["justice"].title in text
        assert world.clusters["ombudsman"].title in text


@pytest.mark.parametrize("published", [False, True], ids=["unpublished", "published"])
@pytest.mark.parametrize("reader", READERS)
def test_unpublished_words_reach_no_one_the_table_keeps_them_from(
    world: World, reader: str, published: bool
) -> None:
    """Whatever a reader asks, the texts the table keeps from them appear in no answer."""
    if published:
        Plan.objects.filter(pk=world.plan.pk).update(published_at=timezone.now())
    secrets = {
        "submitted update (API)": SUBMITTED_TEXT,
        "validated update kept private (API)": PRIVATE_TEXT,
    }
    hidden = [
        words
        for cell in CELLS
        if cell.reader == reader and cell.published == published and cell.expected == "no"
        for resource, words in secrets.items()
        if cell.resource == resource
    ]
    if not published and reader not in ("institution member", "focal point of the State"):
        hidden = [SUBMITTED_TEXT, PRIVATE_TEXT, JUSTICE_ACTION]
    client = Client()
    user = world.users[reader]
    if isinstance(user, User):
        client.force_login(user)
    for path in (
        f"/tracking/plans/{world.plan.pk}/",
        f"/api/tracking/plans/{world.plan.pk}/",
        f"/tracking/plans/{world.plan.pk}/export.csv",
        f"/tracking/plans/{world.plan.pk}/mid-term-report/",
        f"/tracking/states/{world.state.iso3}/",
        "/tracking/",
        "/api/tracking/plans/",
        "/api/tracking/updates/",
    ):
        text = body_text(client.get(path))
        for words in hidden:
            assert words not in text, (path, words)
