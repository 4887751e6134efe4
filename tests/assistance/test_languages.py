"""A refusal reads in the page's language; the API answers in English whatever the client asks for."""

from __future__ import annotations

from django.test import Client

from hrcoop.assistance.models import AssistanceRequest
from tests.assistance.conftest import World
from tests.factories import make_request

FORM = {
    "state": "FJI",
    "fund": "UPR-FTA",
    "title": "Training of the national mechanism",
    "amount": "25,000",
    "currency": "USD",
    "budget": "Trainers; 20,000\nVenue; 1,000",
}


def test_budget_lines_that_do_not_add_up_are_refused_in_french_on_the_french_page(world: World) -> None:
    client = Client()
    client.force_login(world.users["focal_point"])
    response = client.post("/fr/assistance/new/", FORM)
    assert response.status_code == 400
    assert (
        "budget_lines: les lignes budgétaires totalisent 21,000.00 USD, et non les 25,000.00 USD demandés"
        in response.content.decode()
    )
    assert not AssistanceRequest.objects.exists()


def test_the_api_refuses_the_same_request_in_english_even_when_asked_for_french(world: World) -> None:
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.cookies["django_language"] = "fr"
    client.force_login(world.users["focal_point"])
    assert "totalisent" in client.post("/fr/assistance/new/", FORM).content.decode()
    response = client.post(
        "/api/assistance/requests/",
        {
            "state": "FJI",
            "fund": "UPR-FTA",
            "title": "Training of the national mechanism",
            "amount": "25,000",
            "currency": "USD",
            "budget_lines": [{"item": "Trainers", "amount": "20,000"}, {"item": "Venue", "amount": "1,000"}],
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"] == {
        "status": 400,
        "code": "invalid",
        "message": "the budget lines add up to 21,000.00 USD, not the 25,000.00 USD requested",
        "where": "budget_lines",
    }
    assert not AssistanceRequest.objects.exists()


def test_a_workflow_step_out_of_order_is_refused_in_arabic_on_the_arabic_page(world: World) -> None:
    request = make_request(world.state, world.fund)
    client = Client()
    client.force_login(world.users["focal_point"])
    url = f"/ar/assistance/requests/{request.public_id}/"
    response = client.post(url, {"action": "start_implementation"})
    assert response.status_code == 409
    assert "بدء التنفيذ: غير ممكن ما دامت حالة الطلب «مسودة»" in response.content.decode()


def test_the_request_page_writes_amounts_as_its_language_does(world: World) -> None:
    request = make_request(
        world.state,
        world.fund,
        status="submitted",
        amount=2_500_000,
        budget_lines=[{"item": "Trainers", "amount": 2_000_000}, {"item": "Venue", "amount": 500_000}],
    )
    client = Client()
    client.force_login(world.users["focal_point"])
    english = client.get(f"/assistance/requests/{request.public_id}/").content.decode()
    french = client.get(f"/fr/assistance/requests/{request.public_id}/").content.decode()
    assert "25,000.00 USD" in english and "20,000.00 USD" in english
    assert "25\u00a0000,00 USD" in french and "20\u00a0000,00 USD" in french
    assert "25,000.00" not in french
