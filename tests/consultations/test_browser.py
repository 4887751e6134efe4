"""The journey of issue 26 in Debian's Chromium: the secretariat opens a call for the seed's para-32
report with three questions and invites an expert; France's focal point answers in French with a
document and keeps one answer unpublished; an NGO answers in English after the deadline; the public
page shows the published answers only, the late one marked late; the secretariat builds the para-32
report, whose annex "Contributions received" lists both contributions and nothing kept unpublished.

The whole journey runs at a laptop's width (1,366 px) and a phone's (390 px), and once in French.
Screenshots of each page go to /tmp/consultations-shots/, named by step, language and width.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Browser, Page, expect

from hrcoop.consultations.models import Call, Invitation, Submission
from hrcoop.core.models import Role
from hrcoop.mandates.models import Mandate
from hrcoop.mandates.services import import_resolution_text
from hrcoop.reports.models import ReportBuild
from tests.conftest import SHARED_DATA, session_cookie
from tests.factories import make_user

SHOTS = Path("/tmp/consultations-shots")
FRENCH_TEXT = "Notre mécanisme national de mise en œuvre coordonne la coopération avec les autres États."
KEPT_NUMBER = "7319"
NGO_TEXT = "Civil society organisations were not consulted when the national plan was drafted."

# What the pages say, in the language of each pass.
SAYS = {
    "en": {
        "opened": "The call is open.",
        "invited": "expert@academy.example is invited.",
        "not yet": "not yet",
        "received late": "it is marked late",
        "late": "late",
        "annex": "Contributions received",
        "late kind": "Organisation (late)",
    },
    "fr": {
        "opened": "L'appel est ouvert.",
        "invited": "expert@academy.example est invité.",
        "not yet": "pas encore",
        "received late": "elle est marquée en retard",
        "late": "en retard",
        "annex": "Contributions reçues",
        "late kind": "Organisation (en retard)",
    },
}


def seed_para_32() -> Mandate:
    paths = sorted((SHARED_DATA.parent / "seed").glob("*.txt"))
    if not paths:
        pytest.skip(f"the seed resolution is not present in {SHARED_DATA.parent / 'seed'}")
    import_resolution_text(paths[0].read_text(encoding="utf-8"), source=paths[0].name, actor=None)
    return Mandate.objects.get(paragraph__number="32", kind=Mandate.Kind.REPORT)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("language", "width"), [("en", 1366), ("en", 390), ("fr", 1366)])
def test_a_call_for_the_para_32_report_from_opening_to_the_reports_annex(
    reference_data: None,
    live_server: Any,
    browser: Browser,
    settings: Any,
    tmp_path: Path,
    language: str,
    width: int,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    settings.SITE_URL = live_server.url  # the report's links lead back to this server
    mandate = seed_para_32()
    base = live_server.url
    prefix = f"{base}/fr" if language == "fr" else base
    says = SAYS[language]
    viewport = {"width": width, "height": 900 if width > 1000 else 844}
    SHOTS.mkdir(exist_ok=True)

    def shoot(page: Page, step: str) -> None:
        page.screenshot(path=str(SHOTS / f"{step}-{language}-{width}.png"), full_page=True)

    def signed_in(user: Any) -> Page:
        context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
        if user is not None:
            context.add_cookies([session_cookie(user, base)])  # type: ignore[list-item]
        return context.new_page()

    desk = signed_in(make_user("desk", Role.SECRETARIAT, password="pw-desk"))
    france = signed_in(make_user("france", Role.STATE_FOCAL_POINT, "FRA", password="pw-france"))
    ngo = signed_in(make_user("ngo", Role.CONTRIBUTOR, "Cooperation Watch", password="pw-ngo"))

    # The secretariat opens the call with three questions.
    desk.goto(f"{prefix}/consultations/new/")
    desk.locator("#id_mandate").select_option(value=str(mandate.pk))
    desk.locator("#id_title").fill("Call for inputs: report on the work of the Office (HRC 47, para 32)")
    deadline = timezone.localtime() + dt.timedelta(days=14)
    desk.locator("#id_deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    desk.locator("#id_q1_text").fill("How does your State cooperate on human rights?")
    desk.locator("#id_q2_kind").select_option("choice")
    desk.locator("#id_q2_text").fill("Does your State have a national mechanism?")
    desk.locator("#id_q2_choices").fill("Yes\nNo")
    desk.locator("#id_q3_kind").select_option("number")
    desk.locator("#id_q3_text").fill("How many recommendations were implemented since 2021?")
    shoot(desk, "new-call")
    desk.locator("main form button[type=submit]").click()
    expect(desk.locator(".messages")).to_contain_text(says["opened"])
    call = Call.objects.get()
    assert call.mandate == mandate and call.questions.count() == 3
    text_q, choice_q, number_q = call.questions.all()

    # From the desk, the secretariat invites an expert who has no account yet.
    desk.locator(f"a[href$='/consultations/{call.pk}/invitations/']").click()
    desk.locator("#id_email").fill("expert@academy.example")
    desk.locator("#id_organisation").fill("Geneva Academy")
    desk.locator("#id_language").select_option("fr")
    desk.locator("main form button[type=submit]").click()
    expect(desk.locator(".messages")).to_contain_text(says["invited"])
    invitation = Invitation.objects.get()
    row = desk.locator(f"#invitation-{invitation.pk}")
    expect(row).to_contain_text("Geneva Academy")
    expect(row.locator(".answer-status")).to_have_text(says["not yet"])
    shoot(desk, "invitations")

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
    shoot(france, "answer")
    france.locator("button[value=submit]").click()
    expect(france.locator(".messages")).to_contain_text("Votre contribution a été reçue.")

    # The deadline passes; an NGO answers in English, late.
    Call.objects.filter(pk=call.pk).update(deadline=timezone.now() - dt.timedelta(hours=2))
    ngo.goto(f"{prefix}/consultations/{call.pk}/answer/")
    ngo.locator(f"#answer-{text_q.pk}").fill(NGO_TEXT)
    ngo.locator("button[value=submit]").click()
    expect(ngo.locator(".messages")).to_contain_text(says["received late"])
    assert Submission.objects.get(kind=Submission.Kind.ORGANISATION).late

    # The public sees the published answers only, the late one marked late.
    public = signed_in(None)
    public.goto(f"{prefix}/consultations/{call.pk}/")
    main = public.locator("main")
    expect(main).to_contain_text(FRENCH_TEXT)
    expect(main).to_contain_text(NGO_TEXT)
    expect(main).to_contain_text("note-verbale.pdf")
    expect(main).not_to_contain_text(KEPT_NUMBER)
    france_block = public.locator(".submission", has_text="France")
    ngo_block = public.locator(".submission", has_text="Cooperation Watch")
    expect(france_block.locator(".late")).to_have_count(0)
    expect(ngo_block.locator(".late")).to_have_text(says["late"])
    expect(public.locator(".submission dd[lang=fr]", has_text=FRENCH_TEXT)).to_have_count(1)
    shoot(public, "public")

    # The secretariat's desk sees both submissions side by side, the kept number among them.
    desk.goto(f"{prefix}/consultations/{call.pk}/desk/")
    expect(desk.locator("main")).to_contain_text(KEPT_NUMBER)
    shoot(desk, "desk")

    # The secretariat builds the para-32 report of the deadline's year: its annex lists both
    # contributions, the late one said so, and nothing France kept unpublished.
    desk.goto(f"{prefix}/reports/")
    desk.locator("#id_kind").select_option(ReportBuild.Kind.COOPERATION.value)
    desk.locator("#id_year").fill(str(call.deadline.year))
    desk.locator("#id_language").select_option(language)
    desk.locator("main form button[type=submit]").click()
    build = ReportBuild.objects.get()
    with translation.override(language):
        built = str(ReportBuild.Status.BUILT.label)
    expect(desk.locator("#build-status")).to_have_text(built, timeout=60_000)
    build.refresh_from_db()
    desk.goto(f"{base}/reports/builds/{build.pk}/report.html")
    annex = desk.locator("#section-contributions_received")
    expect(annex.locator("h2")).to_contain_text(says["annex"])
    rows = annex.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0).locator("th")).to_have_text("France")
    expect(rows.nth(1).locator("th")).to_have_text("Cooperation Watch")
    expect(rows.nth(1)).to_contain_text(says["late kind"])
    expect(annex).not_to_contain_text(KEPT_NUMBER)
    expect(annex).not_to_contain_text("Geneva Academy")  # invited, but has not answered
    shoot(desk, "report")
    # Each row leads to the contribution on the call's public page, where the kept number is not.
    link = rows.nth(0).locator("td").last.inner_text().strip()
    public.goto(link)
    expect(public.locator(f"#submission-{Submission.objects.get(state__iso3='FRA').pk}")).to_contain_text(
        FRENCH_TEXT
    )
    expect(public.locator("main")).not_to_contain_text(KEPT_NUMBER)
