"""The pages a person uses: opening a call, answering it (drafts, documents, submission), the desk's
figures and summaries; a refused form says why and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from hrcoop.consultations import selectors, services
from hrcoop.consultations.models import Answer, Call, Submission
from hrcoop.core.models import AuditEvent, User
from tests.consultations.conftest import NGO_WORDS, World

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def answer_form(world: World, **extra: Any) -> dict[str, Any]:
    text_q, choice_q, number_q = world.questions
    return {
        f"answer-{text_q.pk}": "Le mécanisme national coordonne la coopération avec les autres États.",
        f"answer-{choice_q.pk}": "Yes",
        f"answer-{number_q.pk}": "12",
        f"unpublished-{number_q.pk}": "on",
        **extra,
    }


def test_the_secretariat_opens_a_call_through_the_form(world: World) -> None:
    response = signed_in(world.users["desk"]).post(
        "/consultations/new/",
        {
            "mandate": world.mandate.pk,
            "title": "Inputs on cooperation",
            "deadline": (timezone.localtime() + dt.timedelta(days=20)).strftime("%Y-%m-%dT%H:%M"),
            "languages": ["en", "fr"],
            "open_to_states": "on",
            "publish_answers": "on",
            "q1_kind": "text",
            "q1_text": "What works?",
            "q2_kind": "choice",
            "q2_text": "Is there a plan?",
            "q2_choices": "Yes\nNo\n",
        },
    )
    call = Call.objects.get(title="Inputs on cooperation")
    assert response.status_code == 302 and response["Location"].endswith(f"/consultations/{call.pk}/desk/")
    assert [(q.kind, q.choices) for q in call.questions.all()] == [("text", []), ("choice", ["Yes", "No"])]
    assert (call.languages, call.open_to_organisations) == (["en", "fr"], False)


def test_a_focal_point_saves_a_draft_then_submits_in_french(world: World) -> None:
    client = signed_in(world.users["focal"])
    url = f"/fr/consultations/{world.call.pk}/answer/"
    upload = SimpleUploadedFile("note-verbale.pdf", b"%PDF-1.4 note", content_type="application/pdf")
    response = client.post(url, answer_form(world, action="save", document=upload))
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == Submission.Status.DRAFT and submission.language == "fr"
    assert submission.attachments.get().name == "note-verbale.pdf"
    page = client.get(url).content.decode()
    assert "Le mécanisme national" in page and "Vous répondez pour France." in page

    response = client.post(url, answer_form(world, action="submit"), follow=True)
    assert "Votre contribution a été reçue." in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == Submission.Status.SUBMITTED
    languages = dict(Answer.objects.values_list("question__kind", "language"))
    assert languages["text"] == "fr"


def test_a_refused_answer_says_why_and_changes_nothing(world: World) -> None:
    client = signed_in(world.users["focal"])
    before = (Answer.objects.count(), Submission.objects.count(), AuditEvent.objects.count())
    bad = answer_form(world, action="submit", **{f"answer-{world.questions[2].pk}": "douze"})
    response = client.post(f"/consultations/{world.call.pk}/answer/", bad)
    assert response.status_code == 400
    assert "asks for a number" in response.content.decode()
    # The text and the choice, valid on their own, were not kept either: the form is one transaction.
    assert (Answer.objects.count(), Submission.objects.count(), AuditEvent.objects.count()) == before


def test_a_closed_call_and_a_stranger_are_refused_on_the_page(world: World) -> None:
    stranger = signed_in(world.users["stranger"]).post(
        f"/consultations/{world.call.pk}/answer/", answer_form(world, action="save")
    )
    assert stranger.status_code == 403 and "not invited" in stranger.content.decode()
    services.close_call(world.call, actor=world.users["desk"])
    closed = signed_in(world.users["focal"]).post(
        f"/consultations/{world.call.pk}/answer/", answer_form(world, action="save")
    )
    assert closed.status_code == 409 and "closed" in closed.content.decode()
    assert not Submission.objects.exists()


def test_the_desk_counts_who_answered_and_summarises_each_question(world: World) -> None:
    users = world.users
    text_q, choice_q, number_q = world.questions
    answers = {
        "focal": ("Our national mechanism coordinates cooperation with other States.", "Yes", "10"),
        "other_focal": ("The national mechanism works with regional partners on cooperation.", "Yes", "4"),
        "ngo": (NGO_WORDS, "No", "1.5"),
    }
    for name, (text, choice, number) in answers.items():
        state = world.state if name == "focal" else world.other_state if name == "other_focal" else None
        submission = services.start_submission(world.call, actor=users[name], state=state)
        services.save_answer(submission, actor=users[name], question=text_q, value=text, language="en")
        services.save_answer(submission, actor=users[name], question=choice_q, value=choice)
        services.save_answer(submission, actor=users[name], question=number_q, value=number)
        services.submit(submission, actor=users[name])

    figures = selectors.respondents(world.call)
    assert (figures.submitted, figures.by_kind) == (3, {"State": 2, "Organisation": 1})
    assert figures.by_group == {world.state.regional_group.name: 2}  # type: ignore[union-attr]
    text_summary, choice_summary, number_summary = selectors.desk_summaries(world.call, actor=users["desk"])
    assert choice_summary.choice_counts == [("Yes", 2), ("No", 1)]
    assert (number_summary.number_count, str(number_summary.number_total)) == (3, "15.5000")
    assert (str(number_summary.number_min), str(number_summary.number_max)) == ("1.5000", "10.0000")
    # The two answers about the national mechanism say what most said; the outlier comes last.
    assert text_summary.representative[-1].text == NGO_WORDS

    page = signed_in(users["desk"]).get(f"/consultations/{world.call.pk}/desk/?q=mécanisme national")
    body = page.content.decode()
    assert page.status_code == 200 and "Cooperation Watch" in body
    assert '<td data-label="Language">English</td>' in body  # each answer's language, by name
    hits = selectors.search_answers(world.call, "mécanisme national de coordination", actor=users["desk"])
    assert NGO_WORDS not in hits[0][0].text  # a French query finds the English answers about the mechanism
