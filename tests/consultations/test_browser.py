"""The journey of issue 26 in Debian's Chromium: the secretariat opens a call for the seed's para-32
report with three questions; France's focal point answers in French with a document and keeps one
answer unpublished; an NGO answers in English after the deadline; the public page shows the published
answers only, the late one marked late. Screenshots at 1,366 and 390 pixels, in English and French,
go to /tmp/calls-shots/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from hrcoop.consultations.models import Call, Submission
from hrcoop.core.models import Role
from hrcoop.mandates.models import Mandate
from hrcoop.mandates.services import import_resolution_text
from tests.conftest import SHARED_DATA, session_cookie
from tests.consultations.conftest import make_user

SHOTS = Path("/tmp/calls-shots")
FRENCH_TEXT = "Notre mécanisme national de mise en œuvre coordonne la coopération avec les autres États."
KEPT_NUMBER = "137"
NGO_TEXT = "Civil society organisations were not consulted when the national plan was drafted."


def shoot(page: Page, name: str) -> None:
    """The page at a laptop's and a phone's width."""
    SHOTS.mkdir(exist_ok=True)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def seed_para_32() -> Mandate:
    paths = sorted((SHARED_DATA.parent / "seed").glob("*.txt"))
    if not paths:
        pytest.skip(f"the seed resolution is not present in {SHARED_DATA.parent / 'seed'}")
    import_resolution_text(paths[0].read_text(encoding="utf-8"), source=paths[0].name, actor=None)
    return Mandate.objects.get(paragraph__number="32", kind=Mandate.Kind.REPORT)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_call_for_the_para_32_report_from_opening_to_publication(
    reference_data: None, live_server: Any, browser: Browser, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    mandate = seed_para_32()
    base = live_server.url
    users = {
        "desk": make_user("desk", Role.SECRETARIAT),
        "france": make_user("france", Role.STATE_FOCAL_POINT, "FRA"),
        "ngo": make_user("ngo", Role.CONTRIBUTOR, "Cooperation Watch"),
    }
    pages = {}
    for who, user in users.items():
        context = browser.new_context()
        context.add_cookies([session_cookie(user, base)])  # type: ignore[list-item]
        pages[who] = context.new_page()
    desk, france, ngo = pages["desk"], pages["france"], pages["ngo"]

    # The secretariat opens the call with three questions.
    desk.goto(f"{base}/consultations/new/")
    desk.get_by_label("Mandate the report answers").select_option(value=str(mandate.pk))
    desk.get_by_label("Title").fill("Call for inputs: report on the work of the Office (HRC 47, para 32)")
    deadline = timezone.localtime() + dt.timedelta(days=14)
    desk.get_by_label("Deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    desk.get_by_label("Question 1", exact=True).fill("How does your State cooperate on human rights?")
    desk.get_by_label("Question 2: kind").select_option("choice")
    desk.get_by_label("Question 2", exact=True).fill("Does your State have a national mechanism?")
    desk.get_by_label("Question 2: options, one a line").fill("Yes\nNo")
    desk.get_by_label("Question 3: kind").select_option("number")
    desk.get_by_label("Question 3", exact=True).fill("How many recommendations were implemented since 2021?")
    shoot(desk, "new-call-en")
    desk.get_by_role("button", name="Open the call").click()
    expect(desk.locator(".messages")).to_contain_text("The call is open.")
    call = Call.objects.get()
    assert call.mandate == mandate and call.questions.count() == 3
    text_q, choice_q, number_q = call.questions.all()

    # France's focal point answers in French, attaches a note verbale, keeps the number unpublished.
    france.goto(f"{base}/fr/consultations/{call.pk}/answer/")
    expect(france.locator("main")).to_contain_text("Vous répondez pour France.")
    france.locator(f"#answer-{text_q.pk}").fill(FRENCH_TEXT)
    france.locator(f"input[name=answer-{choice_q.pk}][value=Yes]").check()
    france.locator(f"input[name=answer-{number_q.pk}]").fill(KEPT_NUMBER)
    france.locator(f"input[name=unpublished-{number_q.pk}]").check()
    note = tmp_path / "note-verbale.pdf"
    note.write_bytes(b"%PDF-1.4\n% Note verbale de la Mission permanente de la France\n")
    france.locator("input[name=document]").set_input_files(str(note))
    shoot(france, "answer-fr")
    france.locator("button[value=submit]").click()
    expect(france.locator(".messages")).to_contain_text("Votre contribution a été reçue.")

    # The deadline passes; an NGO answers in English, late.
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - dt.timedelta(hours=2))
    ngo.goto(f"{base}/consultations/{call.pk}/answer/")
    ngo.locator(f"#answer-{text_q.pk}").fill(NGO_TEXT)
    ngo.locator("button[value=submit]").click()
    expect(ngo.locator(".messages")).to_contain_text("it is marked late")
    assert Submission.objects.get(kind=Submission.Kind.ORGANISATION).late

    # The public sees the published answers only, the late one marked late, in English and in French.
    public = browser.new_context().new_page()
    public.goto(f"{base}/consultations/{call.pk}/")
    main = public.locator("main")
    expect(main).to_contain_text(FRENCH_TEXT)
    expect(main).to_contain_text(NGO_TEXT)
    expect(main).to_contain_text("note-verbale.pdf")
    expect(main).not_to_contain_text(KEPT_NUMBER)
    france_block = public.locator(".submission", has_text="France")
    ngo_block = public.locator(".submission", has_text="Cooperation Watch")
    expect(france_block.locator(".late")).to_have_count(0)
    expect(ngo_block.locator(".late")).to_have_text("late")
    expect(public.locator(".submission dd[lang=fr]", has_text=FRENCH_TEXT)).to_have_count(1)
    shoot(public, "public-en")
    public.goto(f"{base}/fr/consultations/{call.pk}/")
    late = public.locator(".submission", has_text="Cooperation Watch").locator(".late")
    expect(late).to_have_text("en retard")
    expect(public.locator("main")).not_to_contain_text(KEPT_NUMBER)
    shoot(public, "public-fr")

    # The secretariat's desk sees both submissions, the kept number among them.
    desk.goto(f"{base}/consultations/{call.pk}/desk/")
    expect(desk.locator("main")).to_contain_text(KEPT_NUMBER)
    shoot(desk, "desk-en")
