"""`init --demo` loads only into an empty database; `demo remove` takes out the demo alone."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import authenticate
from django.test import Client, RequestFactory

from hrcoop.assistance.models import AssistanceRequest, Status
from hrcoop.core.audit import verify_audit_chain
from hrcoop.core.errors import Conflict
from hrcoop.core.models import AuditEvent, Role, User
from hrcoop.core.money import Money
from hrcoop.core.services import grant_role
from hrcoop.demo.models import DemoRecord
from hrcoop.demo.services import load_demo, remove_demo, sign_in_file
from hrcoop.demo.workspace import demo_user
from hrcoop.funds.models import Donor, Pledge, Posting
from hrcoop.funds.services import record_pledge, register_donor
from hrcoop.mandates.models import Mandate, Resolution
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.services.imports import import_file
from hrcoop.reference.models import Fund, SdgIndicator, State
from hrcoop.tracking.models import (
    Action,
    Cluster,
    Indicator,
    Institution,
    Plan,
    ProgressUpdate,
    StatusChange,
    TrackedRecommendation,
)
from hrcoop.tracking.services import create_institution, create_plan
from tests.conftest import run_cli
from tests.recommendations.upr_info_fixtures import write_2018

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    models = (Recommendation, Resolution, AssistanceRequest, Donor, Pledge, Posting, Fund, User, DemoRecord)
    return {m.__name__: m._default_manager.count() for m in models} | {"audit": AuditEvent.objects.count()}


def _real_donor_and_pledge() -> tuple[Donor, Pledge]:
    """A real record of the funds, made by a real secretariat officer in a real fund."""
    officer = User.objects.create_user("officer", password="x")
    grant_role(officer, Role.SECRETARIAT, scope="VFTC", actor=None)
    donor = register_donor(name="Qatar", kind=Donor.Kind.MEMBER_STATE, state_iso3="QAT", actor=officer)
    pledge = record_pledge(
        fund_code="VFTC",
        donor_id=donor.pk,
        amount=Money(1_000_000_00, "USD"),
        pledged_on=dt.date(2026, 3, 2),
        idempotency_key="real-pledge",
        actor=officer,
    )
    return donor, pledge


def _real_plan() -> tuple[Plan, Institution]:
    """Norway's own tracker, begun by its real focal point."""
    focal_point = User.objects.create_user("norway", password="x")
    grant_role(focal_point, Role.STATE_FOCAL_POINT, scope="NOR", actor=None)
    norway = State.objects.get(iso3="NOR")
    institution = create_institution(
        actor=focal_point, state=norway, name="Ministry of Justice and Public Security", kind="ministry"
    )
    return create_plan(actor=focal_point, state=norway, title="Norway's plan"), institution


def test_the_demo_shows_the_platform_at_work(reference_data: None) -> None:
    report = load_demo()
    assert report["loaded"]
    assert Recommendation.objects.filter(state_under_review__iso3="SVN").count() == 631
    assert Recommendation.objects.filter(session__number=34).count() == 215
    assert (
        Resolution.objects.filter(symbol="A/HRC/RES/14/6").exists()
        or Resolution.objects.filter(number="14/6").exists()
    )
    assert Mandate.objects.filter(resolution__title__icontains="international cooperation").exists()
    statuses = dict(AssistanceRequest.objects.values_list("title", "status"))
    assert set(statuses.values()) == {Status.DRAFT, Status.SUBMITTED, Status.UNDER_ASSESSMENT, Status.FUNDED}
    registered = AuditEvent.objects.filter(action="demo.register")
    assert registered.count() == DemoRecord.objects.count() == report["records"]
    # Four requests of the workspace, and the draft that the plan's action needing support became.
    assert registered.filter(target_type="assistance.assistancerequest").count() == 5
    confidential = AssistanceRequest.objects.get(confidential_fields=["amount"])
    assert confidential.status == Status.SUBMITTED
    # Each role signs in with the password printed for it.
    rows = [line.split("\t") for line in sign_in_file().read_text().splitlines()]
    assert {username for _, username, _ in rows} == {
        "demo-focal-point",
        "demo-secretariat",
        "demo-board",
        "demo-donor",
        "demo-institution",
    }
    for _, username, password in rows:
        # Through every authentication backend, the lockout's included (which needs the request).
        assert authenticate(RequestFactory().post("/accounts/login/"), username=username, password=password)
    # The funded request's page says it is demo data; the fund page shows the money received.
    funded = AssistanceRequest.objects.get(status=Status.FUNDED)
    page = Client().get(f"/assistance/requests/{funded.public_id}/")
    assert page.status_code == 200
    assert "Demo data" in page.content.decode() and "demo-record" in page.content.decode()
    assert "demo-record" not in Client().get("/funds/VFTC/").content.decode()  # a real fund
    resolution = Resolution.objects.filter(mandates__isnull=False).first()
    assert resolution is not None
    for path in (
        "/funds/DEMO-FTA/",
        f"/funds/donors/{Donor.objects.get(name='Norway (demo)').pk}/",
        f"/recommendations/{Recommendation.objects.first().public_id}/",  # type: ignore[union-attr]
        f"/mandates/resolutions/{resolution.pk}/",
        f"/mandates/mandate/{resolution.mandates.first().pk}/",  # type: ignore[union-attr]
    ):
        page = Client().get(path)
        assert page.status_code == 200, path
        assert "demo-record" in page.content.decode(), path


def test_the_demo_plan_is_published_with_validated_progress(reference_data: None) -> None:
    load_demo()
    plan = Plan.objects.get(state__iso3="SVN")
    assert plan.is_published
    # OHCHR's 42 headings of the cycle-3 list, every one of the list's 215 recommendations in its own.
    clusters = Cluster.objects.filter(plan=plan)
    assert clusters.count() == 42
    assert not clusters.filter(lead_institution__isnull=True).exists()
    assert TrackedRecommendation.objects.filter(plan=plan, cluster__isnull=False).count() == 215
    nhri = clusters.get(title="National Human Rights Institution (NHRI)")
    assert nhri.lead_institution.name == "Human Rights Ombudsman of the Republic of Slovenia"  # type: ignore[union-attr]
    assert set(nhri.recommendations.values_list("status", flat=True)) == {"implemented"}
    # Indicators name real SDG indicators; one action needing support became a draft request.
    codes = set(Indicator.objects.values_list("sdg_indicator", flat=True))
    assert codes and codes <= set(SdgIndicator.objects.values_list("code", flat=True))
    needing = Action.objects.get(needs_support=True)
    assert needing.assistance_request is not None
    assert needing.assistance_request.status == Status.DRAFT
    reviews = {(u.review, u.public) for u in ProgressUpdate.objects.all()}
    assert reviews == {("validated", True), ("validated", False), ("submitted", False)}
    # The public progress page shows validated, published progress only, and says it is demo data.
    page = Client().get("/tracking/states/SVN/").content.decode()
    assert "demo-record" in page
    assert "only yes means yes" in page
    for kept_back in ProgressUpdate.objects.exclude(review="validated", public=True):
        assert kept_back.text not in page
    assert "demo-record" in Client().get(f"/tracking/plans/{plan.pk}/").content.decode()
    # The institution member signs in to the Ministry of Justice's actions.
    member = User.objects.get(username="demo-institution")
    assert member.roles.get().scope == str(Institution.objects.get(name="Ministry of Justice").pk)


def test_demo_passwords_hash_light_and_take_the_sites_cost_at_first_sign_in(
    reference_data: None, settings: pytest.FixtureRequest
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # type: ignore[attr-defined]
    sign_in = demo_user("demo-someone", "Someone", Role.STATE_FOCAL_POINT, ["SVN"], [])
    user = User.objects.get(username="demo-someone")
    assert user.password.startswith("argon2$argon2id$v=19$m=1024,t=1,p=1$")
    assert authenticate(
        RequestFactory().post("/accounts/login/"), username=user.username, password=sign_in.password
    )
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=102400,t=2,p=8$")


def test_a_second_load_changes_nothing(reference_data: None) -> None:
    load_demo()
    before = _counts()
    assert load_demo() == {"loaded": False, "reason": "the demo is already loaded"}
    assert _counts() == before


def test_the_demo_refuses_a_database_with_real_records(reference_data: None) -> None:
    _real_donor_and_pledge()
    before = _counts()
    with pytest.raises(Conflict, match=r"holds real records \(pledges: 1, donors: 1\); nothing was changed"):
        load_demo()
    assert _counts() == before
    assert not sign_in_file().exists()


def test_the_demo_refuses_a_database_with_a_real_tracker(reference_data: None) -> None:
    _real_plan()
    before = _counts() | {"plans": Plan.objects.count(), "institutions": Institution.objects.count()}
    with pytest.raises(Conflict, match=r"holds real records \(plans: 1, institutions: 1\)"):
        load_demo()
    assert _counts() | {"plans": Plan.objects.count(), "institutions": Institution.objects.count()} == before


def test_init_demo_refuses_with_its_own_exit_status(
    reference_data: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """``make run`` reads exit status 3 as "no demo here" and serves the real data all the same."""
    _real_donor_and_pledge()
    before = _counts()
    code, _, err = run_cli(capsys, "init", "--demo")
    assert code == 3
    assert "demo not loaded: the demo loads only into an empty database" in err
    assert "(pledges: 1, donors: 1)" in err
    assert _counts() == before


def test_removal_leaves_real_records_and_the_audit_chain(reference_data: None) -> None:
    load_demo()
    donor, pledge = _real_donor_and_pledge()
    real_plan, real_institution = _real_plan()
    history = list(AuditEvent.objects.order_by("id").values_list("id", "hash"))
    demo_users = list(User.objects.filter(username__startswith="demo-"))

    removed = remove_demo(actor=None)

    assert removed["recommendations.recommendation"] == 631
    assert not Recommendation.objects.exists()
    assert not Resolution.objects.exists() and not Mandate.objects.exists()
    assert not AssistanceRequest.objects.exists()
    assert not Fund.objects.filter(code__startswith="DEMO-").exists()
    assert list(Donor.objects.all()) == [donor]
    assert list(Pledge.objects.all()) == [pledge]
    assert set(Posting.objects.values_list("fund_id", flat=True)) == {"VFTC"}
    assert not DemoRecord.objects.exists()
    # No tracker record of the demo remains; another State's real plan and institution do.
    assert list(Plan.objects.all()) == [real_plan]
    assert list(Institution.objects.all()) == [real_institution]
    for model in (Cluster, TrackedRecommendation, StatusChange, Action, Indicator, ProgressUpdate):
        assert not model._default_manager.exists(), model
    for user in demo_users:
        user.refresh_from_db()
        assert not user.is_active and not user.has_usable_password() and not user.roles.exists()
    # The audit log only grew: every earlier event is there unchanged, and the chain holds.
    after = list(AuditEvent.objects.order_by("id").values_list("id", "hash"))
    assert after[: len(history)] == history
    removals = AuditEvent.objects.filter(action="demo.remove")
    assert removals.filter(target_type="recommendations.recommendation").count() == 631
    assert verify_audit_chain() == []
    # The home page no longer speaks of a demo, and the demo can be loaded again only once empty.
    assert "Demo data" not in Client().get("/").content.decode()
    with pytest.raises(Conflict):
        load_demo()


def test_removal_refuses_when_real_records_sit_in_a_demo_fund(reference_data: None) -> None:
    load_demo()
    officer = User.objects.create_user("officer", password="x")
    grant_role(officer, Role.SECRETARIAT, scope="DEMO-TC", actor=None)
    donor = register_donor(name="Qatar", kind=Donor.Kind.MEMBER_STATE, state_iso3="QAT", actor=officer)
    record_pledge(
        fund_code="DEMO-TC",
        donor_id=donor.pk,
        amount=Money(10_00, "USD"),
        pledged_on=dt.date(2026, 3, 2),
        idempotency_key="real-pledge-in-demo-fund",
        actor=officer,
    )
    before = _counts()
    with pytest.raises(Conflict, match="1 pledges not made by the demo belong to the demo funds"):
        remove_demo(actor=None)
    assert _counts() == before


def test_removal_keeps_what_a_real_import_also_brought(reference_data: None, tmp_path: Path) -> None:
    """A UPR Info export imported after the demo finds one of the demo's records (same State, session,
    text and response) and adds its own issue to it: that record is real now, and stays."""
    load_demo()
    shared = Recommendation.objects.filter(session__number=20, response="supported").order_by("pk").first()
    assert shared is not None
    export = write_2018(
        tmp_path / "upr-info.csv",
        [("Slovenia", shared.text, "Norway", "Supported", "4", "Justice", "20")],
    )
    report = import_file(export, format_name="upr-info", actor=None)
    assert (report["records_created"], report["records_updated"]) == (0, 1)

    removed = remove_demo(actor=None)

    assert list(Recommendation.objects.all()) == [shared]
    assert removed["recommendations.recommendation"] == 630
    assert verify_audit_chain() == []


def test_visitors_are_told_what_is_invented_and_administrators_how_to_remove_it(reference_data: None) -> None:
    load_demo()
    funded = AssistanceRequest.objects.get(status=Status.FUNDED)
    for path in ("/", f"/assistance/requests/{funded.public_id}/"):
        visitor = Client().get(path).content.decode()
        assert "Demo data" in visitor and "hrcoop demo remove" not in visitor, path
    admin = Client()
    admin.force_login(User.objects.create_superuser("operator", password="x" * 20))
    assert "hrcoop demo remove" in admin.get("/").content.decode()
