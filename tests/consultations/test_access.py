"""An unpublished answer, an unpublished attachment and a draft appear nowhere public: not on the pages,
in the API, in the exports, in the search or in the annex; each reader sees what their role allows."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from hrcoop.consultations import selectors, services
from hrcoop.consultations.models import Answer, Submission, SubmissionAttachment
from hrcoop.core.models import User
from tests.consultations.conftest import NGO_WORDS, PUBLIC_WORDS, SECRET_WORDS, World
from tests.factories import make_resolution

pytestmark = pytest.mark.django_db

DRAFT_WORDS = "Unfinished draft thoughts quokka"


@pytest.fixture
def answered(world: World) -> World:
    """France answers: its text kept unpublished, its choice public, one public and one kept document.
    An invitee answers in the open; Germany leaves a draft; the NGO answers in English."""
    focal, text_q, choice_q = world.users["focal"], world.questions[0], world.questions[1]
    france = services.start_submission(world.call, actor=focal, state=world.state, language="fr")
    services.save_answer(
        france, actor=focal, question=text_q, value=SECRET_WORDS, language="en", keep_unpublished=True
    )
    services.save_answer(france, actor=focal, question=choice_q, value="Yes")
    services.attach_document(
        france, actor=focal, upload=SimpleUploadedFile("public-note.pdf", b"%PDF-1.4 public")
    )
    services.attach_document(
        france,
        actor=focal,
        upload=SimpleUploadedFile("budget.pdf", b"%PDF-1.4 secret"),
        keep_unpublished=True,
    )
    services.submit(france, actor=focal)
    for name, words in (("invitee", PUBLIC_WORDS), ("ngo", NGO_WORDS)):
        submission = services.start_submission(world.call, actor=world.users[name])
        services.save_answer(submission, actor=world.users[name], question=text_q, value=words, language="en")
        services.submit(submission, actor=world.users[name])
    germany = services.start_submission(world.call, actor=world.users["other_focal"], state=world.other_state)
    services.save_answer(
        germany, actor=world.users["other_focal"], question=text_q, value=DRAFT_WORDS, language="en"
    )
    return world


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def everything_public(client: Client, world: World) -> str:
    """The text of every public channel of the call, as ``client`` reads it."""
    pk = world.call.pk
    parts = [
        client.get(f"/consultations/{pk}/").content.decode(),
        client.get("/consultations/").content.decode(),
        client.get(f"/consultations/{pk}/answers.csv").content.decode("utf-8-sig"),
        client.get(f"/consultations/{pk}/answers.json").content.decode(),
        client.get(f"/api/consultations/calls/{pk}/").content.decode(),
    ]
    book = load_workbook(io.BytesIO(client.get(f"/consultations/{pk}/answers.xlsx").content))
    parts.append(json.dumps([list(row) for row in book.active.iter_rows(values_only=True)], default=str))
    return "\n".join(parts)


@pytest.mark.parametrize("reader", [None, "other_focal", "focal", "ngo", "desk"])
def test_the_public_channels_hold_only_published_answers_whoever_reads(
    answered: World, reader: str | None
) -> None:
    text = everything_public(client_for(answered.users[reader] if reader else None), answered)
    assert PUBLIC_WORDS in text and NGO_WORDS in text
    assert SECRET_WORDS not in text
    assert DRAFT_WORDS not in text
    assert "public-note.pdf" in text and "budget.pdf" not in text


def api_texts(client: Client, world: World) -> list[str]:
    response = client.get(f"/api/consultations/answers/?call={world.call.pk}")
    assert response.status_code == 200
    return [row["value"] for row in response.json()["results"]]


PUBLISHED = [PUBLIC_WORDS, NGO_WORDS, "Yes"]


@pytest.mark.parametrize(
    ("reader", "also_sees"),
    [
        (None, []),
        ("other_focal", [DRAFT_WORDS]),  # Germany's own draft, not France's kept answer
        ("ngo", []),
        ("focal", [SECRET_WORDS]),  # France's focal point reads their own kept answer
        ("desk", [SECRET_WORDS, DRAFT_WORDS]),  # the secretariat reads everything, drafts included
    ],
)
def test_the_api_shows_each_reader_what_their_role_allows(
    answered: World, reader: str | None, also_sees: list[str]
) -> None:
    client = client_for(answered.users[reader] if reader else None)
    assert sorted(api_texts(client, answered)) == sorted([*PUBLISHED, *also_sees])
    kept = Answer.objects.get(text=SECRET_WORDS)
    status = client.get(f"/api/consultations/answers/{kept.pk}/").status_code
    assert status == (200 if SECRET_WORDS in also_sees else 404)


@pytest.mark.parametrize(
    ("reader", "sees_kept"),
    [(None, False), ("other_focal", False), ("ngo", False), ("focal", True), ("desk", True)],
)
def test_a_kept_document_downloads_only_for_its_state_and_the_desk(
    answered: World, reader: str | None, sees_kept: bool
) -> None:
    client = client_for(answered.users[reader] if reader else None)
    public = SubmissionAttachment.objects.get(name="public-note.pdf")
    kept = SubmissionAttachment.objects.get(name="budget.pdf")
    assert client.get(f"/consultations/{answered.call.pk}/documents/{public.pk}/").status_code == 200
    status = client.get(f"/consultations/{answered.call.pk}/documents/{kept.pk}/").status_code
    assert status == (200 if sees_kept else 404)


@pytest.mark.parametrize("reader", ["other_focal", "ngo", "invitee", "focal"])
def test_the_answer_page_shows_a_respondent_only_their_own_submission(answered: World, reader: str) -> None:
    page = client_for(answered.users[reader]).get(f"/consultations/{answered.call.pk}/answer/")
    text = page.content.decode()
    assert page.status_code == 200
    assert (SECRET_WORDS in text) == (reader == "focal")
    assert ("budget.pdf" in text) == (reader == "focal")
    assert (DRAFT_WORDS in text) == (reader == "other_focal")


@pytest.mark.parametrize("reader", [None, "other_focal", "ngo", "focal", "desk"])
def test_search_finds_a_kept_answer_only_for_those_who_may_read_it(
    answered: World, reader: str | None
) -> None:
    actor = answered.users[reader] if reader else None
    found = {
        a.text for a, _score in selectors.search_answers(answered.call, "confidential budget", actor=actor)
    }
    assert (SECRET_WORDS in found) == (reader in ("focal", "desk"))
    assert DRAFT_WORDS not in found  # a draft is not an answer yet, even for the desk's search
    # The search box is the desk's: anyone else is turned away before a query runs.
    response = client_for(actor).get(f"/consultations/{answered.call.pk}/desk/?q=confidential+budget")
    assert (SECRET_WORDS in response.content.decode()) == (reader == "desk")


@pytest.mark.parametrize("reader", [None, "other_focal", "focal", "ngo"])
def test_only_the_secretariat_opens_the_desk(answered: World, reader: str | None) -> None:
    client = client_for(answered.users[reader] if reader else None)
    response = client.get(f"/consultations/{answered.call.pk}/desk/")
    assert response.status_code in (302, 403)
    assert SECRET_WORDS not in response.content.decode()
    desk = client_for(answered.users["desk"]).get(f"/consultations/{answered.call.pk}/desk/")
    assert desk.status_code == 200 and SECRET_WORDS in desk.content.decode()


def test_a_call_that_publishes_nothing_shows_no_answer(answered: World) -> None:
    type(answered.call).objects.filter(pk=answered.call.pk).update(publish_answers=False)
    text = everything_public(client_for(None), answered)
    assert PUBLIC_WORDS not in text and NGO_WORDS not in text and "public-note.pdf" not in text
    assert selectors.contributions_received(answered.call) == []


def test_the_annex_lists_the_published_submissions(answered: World) -> None:
    contributions = selectors.contributions_received(answered.call)
    assert [(c.respondent, c.kind) for c in contributions] == [
        ("France", Submission.Kind.STATE),
        ("invitee", Submission.Kind.INVITEE),
        ("Cooperation Watch", Submission.Kind.ORGANISATION),
    ]
    france = contributions[0]
    assert france.regional_group == answered.state.regional_group.name  # type: ignore[union-attr]
    assert answered.state.regional_group_id == "WEOG"
    # France's only text answer is kept unpublished: its language does not show through the annex.
    assert france.languages == ("fr",)
    assert france.url.endswith(f"#submission-{Submission.objects.get(state=answered.state).pk}")


def test_the_command_line_export_holds_only_published_answers(
    answered: World, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import run_cli

    code, out, _err = run_cli(capsys, "consultations", "export", str(answered.call.pk))
    assert code == 0
    assert PUBLIC_WORDS in out and NGO_WORDS in out
    assert SECRET_WORDS not in out and DRAFT_WORDS not in out and "budget.pdf" not in out


def test_the_api_refuses_a_bad_filter_with_the_error_shape(answered: World) -> None:
    response = client_for(None).get("/api/consultations/answers/?call=abc")
    body: dict[str, Any] = response.json()
    assert response.status_code == 400 and body["error"]["where"] == "call"


def test_the_para_32_reports_annex_lists_the_calls_published_contributions(answered: World) -> None:
    from hrcoop.reports.builders.elsewhere import contributions_annex

    year = answered.call.deadline.year
    resolution = answered.call.mandate.resolution_id
    section = contributions_annex(year=year, resolution_id=resolution)
    assert section.no_data == ""
    [table] = section.tables
    assert [row[0] for row in table.rows] == ["France", "invitee", "Cooperation Watch"]
    assert SECRET_WORDS not in repr(section) and "budget.pdf" not in repr(section)
    assert "Germany" not in repr(section)  # a draft is not a contribution
    assert [row[2] for row in table.rows] == [
        settings.SITE_URL + c.url for c in selectors.contributions_received(answered.call)
    ]
    assert contributions_annex(year=year + 1, resolution_id=resolution).tables == []  # another year's
    assert contributions_annex(year=year, resolution_id=None).tables == []  # a report on no resolution
    other = make_resolution("99/1", "Another subject", {1: "*Decides* to remain seized of the matter."})
    assert contributions_annex(year=year, resolution_id=other.pk).tables == []  # another report's call
