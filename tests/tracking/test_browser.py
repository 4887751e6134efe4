"""Slovenia's cycle-3 recommendations from suggested clusters to a public progress page, in Debian's
Chromium, with three people: the focal point, a member of the Ministry of Justice, a public visitor.
Screenshots at 1,366 and 390 pixels, in English and French, go to /tmp/tracker-shots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from hrcoop.assistance.models import AssistanceRequest, Status
from hrcoop.core.models import Role
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.services.imports import import_file
from hrcoop.reference.models import State
from hrcoop.tracking import services
from hrcoop.tracking.models import Cluster, ImplementationStatus, ProgressUpdate, TrackedRecommendation
from tests.conftest import session_cookie, shared_data
from tests.factories import make_user

SHOTS = Path("/tmp/tracker-shots")
CYCLE_3 = "cycle3/UPR34_Slovenia_Thematic_list_of_Recommendations.txt"


def shoot(page: Page, name: str) -> None:
    """The page at a laptop's and a phone's width."""
    SHOTS.mkdir(exist_ok=True)
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=width == 390)
    page.set_viewport_size({"width": 1366, "height": 900})


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_focal_point_member_and_public_follow_up_slovenias_cycle_3(
    reference_data: None, live_server: Any, browser: Browser, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    import_file(shared_data("upr_docs_slovenia", CYCLE_3), format_name="ohchr-list", actor=None)
    slovenia = State.objects.get(iso3="SVN")
    focal_point = make_user("slovenia", Role.STATE_FOCAL_POINT, "SVN", password="pw-slovenia")
    justice = services.create_institution(
        actor=focal_point, state=slovenia, name="Ministry of Justice", kind="ministry", language="fr"
    )
    services.create_institution(actor=focal_point, state=slovenia, name="Human Rights Ombudsman", kind="nhri")
    member = make_user("moj", Role.INSTITUTION_MEMBER, str(justice.pk), password="pw-moj")
    plan = services.create_plan(actor=focal_point, state=slovenia, title="Slovenia UPR cycle 3 follow-up")
    services.add_recommendations(
        plan,
        actor=focal_point,
        public_ids=list(Recommendation.objects.filter(session_id=34).values_list("public_id", flat=True)),
    )
    base = live_server.url
    pages = {}
    for who, user in (("state", focal_point), ("member", member)):
        context = browser.new_context()
        context.add_cookies([session_cookie(user, base)])  # type: ignore[list-item]
        pages[who] = context.new_page()
    state, ministry = pages["state"], pages["member"]
    plan_url = f"{base}/tracking/plans/{plan.pk}/"

    # The focal point accepts the suggested clusters as they come.
    state.goto(plan_url)
    state.locator("#suggest-link").click()
    expect(state.locator("fieldset.suggestion")).to_have_count(29)
    shoot(state, "suggestions-en")
    state.get_by_role("button", name="Accept the ticked clusters").first.click()
    expect(state.locator(".messages")).to_contain_text("29 clusters accepted")
    assert not TrackedRecommendation.objects.filter(plan=plan, cluster__isnull=True).exists()

    # ... assigns a lead institution and an action to the first cluster.
    first = Cluster.objects.filter(plan=plan).order_by("pk").first()
    assert first is not None
    section = state.locator(f"#cluster-{first.pk}")
    section.get_by_label("Lead institution", exact=True).select_option(label="Ministry of Justice")
    section.get_by_role("button", name="Assign").click()
    expect(state.locator(f"#cluster-{first.pk} .lead-institution")).to_have_text("Ministry of Justice")
    section = state.locator(f"#cluster-{first.pk}")
    section.get_by_label("What").fill("Adopt the amendments to the anti-discrimination act")
    section.get_by_label("Who").select_option(label="Ministry of Justice")
    section.get_by_label("Start").fill("2025-01-15")
    section.get_by_role("button", name="Add").click()
    expect(state.locator(".messages")).to_contain_text("Action added")
    action = first.actions.get()

    # A member of the ministry posts progress with a document.
    ministry.goto(plan_url)
    expect(ministry.locator("#private")).to_be_visible()
    expect(ministry.locator("section.cluster")).to_have_count(1)  # only its own assignment
    form = ministry.locator(f"#action-{action.pk} form.progress-form")
    form.get_by_label("Date").fill("2025-10-01")
    form.get_by_label("What was done").fill(
        "The amendments passed their first reading in the National Assembly"
    )
    evidence = tmp_path / "first-reading.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% minutes of the first reading\n")
    form.get_by_label("Documents").set_input_files(str(evidence))
    form.get_by_role("button", name="Post").click()
    expect(ministry.locator(".messages")).to_contain_text("Progress posted")
    shoot(ministry, "member-en")
    update = ProgressUpdate.objects.get(action=action)
    assert update.documents.get().name == "first-reading.pdf"

    # The focal point validates it for publication, sets a status and publishes the plan.
    state.goto(plan_url)
    state.locator(f"#update-{update.pk}").get_by_role("button", name="Validate").click()
    expect(state.locator(".messages")).to_contain_text("Update validated")
    tracked = TrackedRecommendation.objects.filter(cluster=first).order_by("pk").first()
    assert tracked is not None
    row = state.locator(f"#rec-{tracked.recommendation.public_id}")
    row.get_by_label("Status").select_option(ImplementationStatus.IN_PROGRESS)
    row.get_by_role("button", name="Set").click()
    expect(state.locator(f"#rec-{tracked.recommendation.public_id} .status")).to_have_text("In progress")
    state.locator("#publish").click()
    expect(state.locator(".messages")).to_contain_text("Plan published")
    shoot(state, "plan-en")

    # A public visitor reads the progress page in French.
    visitor = browser.new_context().new_page()
    visitor.goto(f"{base}/fr/tracking/states/SVN/")
    expect(visitor.locator("h1")).to_have_text("Avancement de la mise en œuvre : Slovénie")
    expect(visitor.locator("#by-cluster caption")).to_have_text("Statut par groupe")
    expect(visitor.locator("#status-chart svg")).to_be_visible()
    expect(visitor.locator(".published-progress")).to_contain_text("first reading in the National Assembly")
    expect(visitor.get_by_role("link", name="first-reading.pdf")).to_be_visible()
    shoot(visitor, "public-fr")
    visitor.goto(f"{base}/tracking/states/SVN/")
    shoot(visitor, "public-en")
    visitor.goto(f"{base}/fr/tracking/plans/{plan.pk}/")
    shoot(visitor, "plan-fr")

    # An action that needs support becomes a draft request for assistance in one step.
    state.goto(plan_url)
    state.locator(f"#action-{action.pk}").get_by_role("button", name="Needs support").click()
    expect(state.locator(".messages")).to_contain_text("draft request for assistance was created")
    request = AssistanceRequest.objects.get()
    assert request.status == Status.DRAFT
    assert set(request.recommendations.values_list("pk", flat=True)) == set(
        first.recommendations.values_list("recommendation_id", flat=True)
    )
    expect(state.locator(f"#action-{action.pk} .assistance-request")).to_have_text(request.public_id)
