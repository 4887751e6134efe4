"""The request form a State official fills in alone (issue 20, items 7 and 8): recommendations found by
words and ticked, their text wherever the request is shown, confirmation before submitting and
withdrawing, the secretariat's question answered at the top of the request and sent by e-mail, and the
how-to page's times computed from the service levels."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from hrcoop.assistance import services
from hrcoop.assistance.models import AssistanceRequest, Status, TransitionRecord
from hrcoop.core.errors import Forbidden, InvalidInput
from hrcoop.core.models import AuditEvent
from tests.assistance.conftest import World
from tests.factories import make_request

FORM = {
    "state": "FJI",
    "fund": "UPR-FTA",
    "title": "Training of the national mechanism",
    "amount": "25,000",
    "currency": "USD",
}


def _as(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def test_the_picker_finds_the_states_own_recommendations_by_words(searchable: World) -> None:
    client = _as(searchable, "focal_point")
    picker = reverse("assistance:picker")
    page = client.get(picker, {"state": "FJI", "find_words": "torture"}).content.decode()
    assert "R-torture" in page and "Ratify the Convention against Torture" in page
    assert "R-torture-gha" not in page and "R-prisons" not in page
    # Stemmed: "prison" finds "prisons"; a ticked record stays listed (ticked) whatever the words.
    page = client.get(picker, {"state": "FJI", "find_words": "prison", "recommendations": "R-torture"})
    html = page.content.decode()
    assert 'value="R-torture" checked' in html and 'value="R-prisons">' in html
    # Another State's records cannot be listed, even by asking for that State.
    assert client.get(picker, {"state": "GHA", "find_words": "torture"}).status_code == 404


def test_without_javascript_find_keeps_what_was_typed_and_saves_nothing(searchable: World) -> None:
    client = _as(searchable, "focal_point")
    response = client.post(
        reverse("assistance:new"),
        {**FORM, "find": "1", "find_words": "detention", "recommendations": ["R-torture"]},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Training of the national mechanism"' in html
    assert 'value="R-torture" checked' in html and 'value="R-prisons">' in html
    assert "Not saved yet" in html
    assert not AssistanceRequest.objects.exists()


def test_ticked_recommendations_are_linked_and_shown_with_their_text(searchable: World) -> None:
    client = _as(searchable, "focal_point")
    response = client.post(reverse("assistance:new"), {**FORM, "recommendations": ["R-torture", "R-prisons"]})
    request = AssistanceRequest.objects.get()
    assert response.status_code == 302
    assert sorted(request.recommendations.values_list("public_id", flat=True)) == ["R-prisons", "R-torture"]
    detail = reverse("assistance:detail", args=[request.public_id])
    page = client.get(detail).content.decode()
    assert "Improve conditions of detention in prisons" in page and "cycle 1" in page
    # The edit form starts with them ticked.
    edit = client.get(reverse("assistance:edit", args=[request.public_id])).content.decode()
    assert 'value="R-prisons" checked' in edit and 'value="R-torture" checked' in edit
    # Once submitted, the public page shows the text too, unless the State keeps the links confidential.
    services.apply_transition(request, "submit", actor=searchable.users["focal_point"])
    assert "Ratify the Convention against Torture" in Client().get(detail).content.decode()
    csv = Client().get(reverse("assistance:register-csv")).content.decode("utf-8-sig")
    assert "R-torture: Ratify the Convention against Torture" in csv
    api = Client().get(f"/api/assistance/requests/{request.public_id}/").json()
    assert [r["text"] for r in api["linked_recommendations"]] == [
        "Improve conditions of detention in prisons",
        "Ratify the Convention against Torture",
    ]
    services.update_request(
        request, actor=searchable.users["focal_point"], data={"confidential_fields": ["recommendations"]}
    )
    public = Client().get(detail).content.decode()
    assert "Ratify the Convention" not in public and "R-torture" not in public
    csv = Client().get(reverse("assistance:register-csv")).content.decode("utf-8-sig")
    assert "Ratify the Convention" not in csv
    api = Client().get(f"/api/assistance/requests/{request.public_id}/").json()
    assert api["linked_recommendations"] is None


def test_a_record_of_another_state_posted_by_hand_is_refused_and_nothing_changes(searchable: World) -> None:
    client = _as(searchable, "focal_point")
    request = make_request(searchable.state, searchable.fund, recommendations=["R-prisons"])
    version = request.version
    edit = reverse("assistance:edit", args=[request.public_id])
    response = client.post(
        edit, {**FORM, "version": request.version, "recommendations": ["R-prisons", "R-torture-gha"]}
    )
    assert response.status_code == 400
    assert "recommendation R-torture-gha was addressed to Ghana, not to Fiji" in response.content.decode()
    request.refresh_from_db()
    assert list(request.recommendations.values_list("public_id", flat=True)) == ["R-prisons"]
    assert request.title == "National mechanism for reporting and follow-up" and request.version == version
    assert not AuditEvent.objects.filter(action="assistance.edit").exists()


def test_submit_and_withdraw_ask_for_confirmation_first(world: World) -> None:
    request = make_request(world.state, world.fund)
    client = _as(world, "focal_point")
    detail = reverse("assistance:detail", args=[request.public_id])
    confirm = reverse("assistance:confirm", args=[request.public_id, "submit"])
    response = client.post(detail, {"action": "submit", "version": request.version})
    assert response.status_code == 302 and response["Location"] == confirm
    request.refresh_from_db()
    assert request.status == Status.DRAFT
    assert "Yes, submit the request" in client.get(confirm).content.decode()
    client.post(detail, {"action": "submit", "version": request.version, "confirmed": "1"})
    request.refresh_from_db()
    assert request.status == Status.SUBMITTED
    # Withdrawing asks too, and needs reasons; the secretariat is offered neither confirmation.
    withdraw = reverse("assistance:confirm", args=[request.public_id, "withdraw"])
    assert 'name="reason"' in client.get(withdraw).content.decode()
    assert _as(world, "secretariat").get(withdraw).status_code == 404
    assert (
        client.get(reverse("assistance:confirm", args=[request.public_id, "acknowledge"])).status_code == 404
    )


def _ask(world: World, request: AssistanceRequest, question: str) -> None:
    services.apply_transition(
        request, "request_information", actor=world.users["secretariat"], reason=question
    )


def test_the_question_stands_at_the_top_and_only_the_states_focal_point_answers(world: World) -> None:
    request = make_request(world.state, world.fund, status=Status.UNDER_ASSESSMENT)
    _ask(world, request, "Who will maintain the database?")
    request.refresh_from_db()
    detail = reverse("assistance:detail", args=[request.public_id])
    client = _as(world, "focal_point")
    page = client.get(detail).content.decode()
    assert page.index('id="question"') < page.index('id="request-fields"')
    assert "Who will maintain the database?" in page and 'id="answer"' in page
    assert "Who will maintain" not in Client().get(detail).content.decode()  # the question is not public
    assert 'id="answer"' not in _as(world, "secretariat").get(detail).content.decode()

    # Another State's focal point may not answer: refused, nothing changes.
    other = _as(world, "other_focal_point").post(
        detail, {"action": "provide_information", "reason": "Us", "version": request.version}
    )
    assert other.status_code == 403
    with pytest.raises(Forbidden):
        services.apply_transition(
            request, "provide_information", actor=world.users["other_focal_point"], reason="Us"
        )
    request.refresh_from_db()
    assert request.status == Status.INFORMATION_REQUESTED

    client.post(
        detail, {"action": "provide_information", "reason": "The data unit", "version": request.version}
    )
    request.refresh_from_db()
    assert request.status == Status.UNDER_ASSESSMENT
    event = AuditEvent.objects.filter(action="assistance.provide_information").get()
    assert event.actor == world.users["focal_point"] and event.data["reason"] == "The data unit"
    assert 'id="question"' not in client.get(detail).content.decode()


def test_the_question_is_mailed_after_commit_in_the_recipients_language_and_time_zone(
    world: World, settings: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    settings.SITE_URL = "https://hrcoop.example.org"
    focal_point = world.users["focal_point"]
    focal_point.language, focal_point.time_zone = "fr", "Pacific/Fiji"
    focal_point.save()  # no service sets these: only the administration's user form does
    request = make_request(world.state, world.fund, status=Status.UNDER_ASSESSMENT)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _ask(world, request, "Who will maintain the database?\nFor how long?")
    assert mail.outbox == []  # nothing leaves before the step is committed
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["fiji@example.org"]]
    message = mail.outbox[0]
    asked = TransitionRecord.objects.get(name="request_information").at.astimezone(ZoneInfo("Pacific/Fiji"))
    assert message.subject == f"[hrcoop] Une question sur votre demande {request.public_id}"
    assert "> Who will maintain the database?\n> For how long?" in message.body
    assert f"https://hrcoop.example.org/fr/assistance/requests/{request.public_id}/#question" in message.body
    assert "127.0.0.1" not in message.body
    with translation.override("fr"):
        from django.utils import formats

        assert formats.date_format(asked, "DATETIME_FORMAT") in message.body
    assert "(Pacific/Fiji)" in message.body


def test_a_question_rolled_back_sends_nothing(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    request = make_request(world.state, world.fund, status=Status.UNDER_ASSESSMENT)
    mail.outbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(InvalidInput, match="give the reasons"),
    ):
        _ask(world, request, "  ")
    assert callbacks == [] and mail.outbox == []


def test_the_how_to_page_computes_the_time_from_the_service_levels(world: World) -> None:
    page = Client().get(reverse("assistance:process")).content.decode()
    table = page.split('id="typical-times"')[1].split("</table>")[0]
    assert "95 working days (about 19 weeks)" in table  # 5 + 30 + 60, the defaults, for both funds
    services.set_service_level(
        actor=world.users["secretariat"], fund=world.fund, stage="assessment", working_days=20
    )
    page = Client().get(reverse("assistance:process")).content.decode()
    table = page.split('id="typical-times"')[1].split("</table>")[0]
    assert "85 working days (about 17 weeks)" in table and "95 working days" in table
    assert "assesses the request within 20\u201330 working days" in page
    assert reverse("assistance:new") in page and "Start a request" in page
    assert 'id="steps-list"' in page  # the phone's list of steps beside the diagram
