"""The request pages' forms: drafting, editing, acting; bad input and stale pages change nothing."""

from __future__ import annotations

import csv
import io

from django.test import Client
from django.urls import reverse

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.core.models import AuditEvent
from tests.assistance.conftest import World
from tests.factories import make_request

FORM = {
    "state": "FJI",
    "fund": "UPR-FTA",
    "title": "Training of the national mechanism",
    "need": "Staff are new",
    "amount": "25,000",
    "currency": "USD",
    "budget": "Trainers; 20,000\nVenue; 5,000",
    "priorities": "Reporting\nFollow-up",
    "recommendations": "R-noted",
    "confidential_fields": ["need"],
}


def _as(world: World, who: str) -> Client:
    client = Client()
    client.force_login(world.users[who])
    return client


def test_a_focal_point_drafts_and_edits_through_the_form(world: World) -> None:
    client = _as(world, "focal_point")
    response = client.post(reverse("assistance:new"), FORM, follow=True)
    assert response.status_code == 200
    request = AssistanceRequest.objects.get()
    assert (request.amount_requested, request.currency, request.status) == (2_500_000, "USD", "draft")
    assert request.budget_lines == [
        {"item": "Trainers", "amount": 2_000_000},
        {"item": "Venue", "amount": 500_000},
    ]
    assert request.priorities == ["Reporting", "Follow-up"] and request.confidential_fields == ["need"]
    assert "R-noted was noted, not supported" in response.content.decode()
    edit = reverse("assistance:edit", args=[request.public_id])
    form = client.get(edit).content.decode()
    assert "Trainers; 20,000.00" in form and 'value="25,000.00"' in form
    changed = {**FORM, "title": "Training, revised", "version": request.version}
    assert client.post(edit, changed).status_code == 302
    request.refresh_from_db()
    assert request.title == "Training, revised"
    assert AuditEvent.objects.filter(action="assistance.edit").get().data == {"fields": ["title"]}


def test_bad_input_in_the_form_is_shown_and_changes_nothing(world: World) -> None:
    set_up = list(AuditEvent.objects.values_list("pk", flat=True))
    client = _as(world, "focal_point")
    response = client.post(reverse("assistance:new"), {**FORM, "amount": "-10"})
    assert response.status_code == 400
    assert "greater than zero" in response.content.decode()
    response = client.post(reverse("assistance:new"), {**FORM, "recommendations": "R-foreign"})
    assert response.status_code == 400 and "addressed to Ghana" in response.content.decode()
    assert not AssistanceRequest.objects.exists()
    assert not AuditEvent.objects.exclude(pk__in=set_up).exists()  # but the set-up's


def test_only_focal_points_draft(world: World) -> None:
    assert _as(world, "secretariat").get(reverse("assistance:new")).status_code == 403
    assert Client().get(reverse("assistance:new")).status_code == 302  # to sign in


def test_a_stale_page_gets_409_and_the_wrong_person_403(world: World) -> None:
    request = make_request(world.state, world.fund, status="submitted")
    url = reverse("assistance:detail", args=[request.public_id])
    stale = _as(world, "secretariat").post(url, {"action": "acknowledge", "version": request.version + 1})
    assert stale.status_code == 409 and "changed since you opened it" in stale.content.decode()
    wrong = _as(world, "board").post(url, {"action": "acknowledge", "version": request.version})
    assert wrong.status_code == 403
    request.refresh_from_db()
    assert request.status == "submitted"
    done = _as(world, "secretariat").post(url, {"action": "acknowledge", "version": request.version})
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == "acknowledged"


def test_consent_keeps_the_day_the_state_gave_it(world: World) -> None:
    request = make_request(world.state, world.fund, consent=False)
    client = _as(world, "focal_point")
    detail = reverse("assistance:detail", args=[request.public_id])
    form = {"action": "consent", "given_by": "Minister of Justice", "reference": "NV 123/2026"}

    response = client.post(detail, {**form, "given_on": "2026-12-01"}, follow=True)

    assert "Minister of Justice, 1 December 2026, NV 123/2026" in response.content.decode()
    api = client.get(f"/api/assistance/requests/{request.public_id}/").json()
    assert api["consent_given_at"] == "2026-12-01T00:00:00+01:00"


def test_a_date_missing_from_the_calendar_is_refused_and_changes_nothing(world: World) -> None:
    request = make_request(world.state, world.fund, consent=False)
    client = _as(world, "focal_point")
    detail = reverse("assistance:detail", args=[request.public_id])
    form = {"action": "consent", "given_by": "Minister of Justice", "reference": "NV 123/2026"}

    response = client.post(detail, {**form, "given_on": "2026-02-30"})

    assert response.status_code == 400
    assert "given_on: give the date of consent as YYYY-MM-DD" in response.content.decode()
    request.refresh_from_db()
    assert request.consent_given_at is None and request.version == 0


def test_the_register_csv_opens_in_a_spreadsheet_as_text(world: World) -> None:
    request = make_request(world.state, world.fund, status="submitted", title="=1+2+cmd|' /C calc'!A0")

    response = Client().get(reverse("assistance:register-csv"))

    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["public_id"], r["title"]) for r in rows] == [(request.public_id, "'=1+2+cmd|' /C calc'!A0")]


def test_the_steps_are_named_in_the_readers_language(world: World) -> None:
    request = make_request(world.state, world.fund)
    client = _as(world, "focal_point")
    page = f"/fr/assistance/requests/{request.public_id}/"
    confirm = f"/fr/assistance/requests/{request.public_id}/confirm/submit/"
    assert f'href="{confirm}">Soumettre</a>' in client.get(page).content.decode()

    client.post(page, {"action": "submit", "version": request.version, "confirmed": "1"})

    timeline = client.get(page).content.decode().split('id="step-')[1]
    assert "Soumettre → <strong>Soumise</strong>" in timeline
    process = Client().get("/fr/assistance/process/").content.decode()
    assert "Soumettre" in process and "Transmettre la demande au secrétariat." in process


def test_a_french_official_writes_the_amount_as_the_hint_shows(world: World) -> None:
    client = _as(world, "focal_point")
    form = client.get("/fr/assistance/new/").content.decode()
    assert "120 000,00" in form  # the French hint

    form_data = {**FORM, "amount": "120 000,00", "budget": "Formateurs; 100 000,00\nSalle; 20 000,00"}
    assert client.post("/fr/assistance/new/", form_data).status_code == 302

    request = AssistanceRequest.objects.get()
    assert (request.amount_requested, request.currency) == (12_000_000, "USD")
    assert [line["amount"] for line in request.budget_lines] == [10_000_000, 2_000_000]


def test_the_navigation_offers_only_what_the_reader_may_open(world: World) -> None:
    def links(who: str) -> set[str]:
        page = _as(world, who).get("/assistance/").content.decode()
        return {name for name in ("My State's requests", "Secretariat queue", "Board agenda") if name in page}

    assert links("focal_point") == {"My State's requests"}
    assert links("secretariat") == {"Secretariat queue"}
    assert links("board") == {"Board agenda"}
    assert links("admin") == {"My State's requests", "Secretariat queue", "Board agenda"}
    assert "Secretariat queue" not in Client().get("/assistance/").content.decode()


def test_the_request_page_names_fields_and_changes_as_a_person_reads_them(world: World) -> None:
    client = _as(world, "focal_point")
    client.post(reverse("assistance:new"), FORM)
    request = AssistanceRequest.objects.get()
    edit = reverse("assistance:edit", args=[request.public_id])
    changed = {
        **FORM,
        "title": "Training, revised",
        "need": "Staff are new and many",
        "version": request.version,
    }
    assert client.post(edit, changed).status_code == 302

    page = client.get(reverse("assistance:detail", args=[request.public_id])).content.decode()

    assert "Kept out of the public register</dt><dd>Need</dd>" in page
    assert "<td>Request edited</td><td>fields: need, title</td>" in page and "['" not in page


def test_a_version_that_is_not_a_number_is_refused_and_changes_nothing(world: World) -> None:
    """Defect 11: the edit form read ``int(version)`` and answered 500; the action form ignored it."""
    request = make_request(world.state, world.fund)
    version, set_up = request.version, list(AuditEvent.objects.values_list("pk", flat=True))
    client = _as(world, "focal_point")
    edit = reverse("assistance:edit", args=[request.public_id])
    response = client.post(edit, {**FORM, "title": "Changed", "version": "abc"})
    assert response.status_code == 400
    assert "version: the page sent no valid version" in response.content.decode()
    detail = reverse("assistance:detail", args=[request.public_id])
    response = client.post(detail, {"action": "submit", "version": "1e3", "confirmed": "1"})
    assert response.status_code == 400
    request.refresh_from_db()
    assert (request.title, request.status, request.version) == (
        "National mechanism for reporting and follow-up",
        "draft",
        version,
    )
    assert not AuditEvent.objects.exclude(pk__in=set_up).exists()  # but the set-up's
