"""One world holding each object of docs/access.md's table once, and a user for each role of it.

Every object carries a marker: a word found in that object alone, so a test can tell from any page,
API answer, export or feed whether the object (or, for the confidential amount, the figure) reached
the reader. The objects are made through the services where a service makes them, so they are in the
states the platform itself produces.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.utils import timezone

from hrcoop.assistance.models import AssistanceRequest, ConfidentialField, Status
from hrcoop.consultations import services as consultations
from hrcoop.consultations.services import QuestionSpec
from hrcoop.cooperation import services as cooperation
from hrcoop.core.models import Role, User
from hrcoop.core.money import Money
from hrcoop.funds import services as funds
from hrcoop.recommendations.models import Recommendation, Response
from hrcoop.recommendations.services.vocabularies import sync_vocabularies
from hrcoop.reference.models import State
from hrcoop.reference.services import load_reference_data
from hrcoop.reports import opendata
from hrcoop.reports.models import ReportBuild
from hrcoop.tracking import services as tracking
from hrcoop.tracking.models import Plan
from tests.consultations.conftest import report_mandate
from tests.factories import make_recommendation, make_request, make_user

STATE, OTHER_STATE, FUND = "FJI", "GHA", "UPR-FTA"

# The column headings of the table, in its order.
ROLES = [
    "public",
    "focal point",
    "other focal point",
    "institution member",
    "secretariat",
    "board",
    "donor",
    "contributor",
    "admin",
]

MARKERS: dict[str, str | tuple[str, ...]] = {
    "request in draft": "QXDRAFT",
    "request submitted": "QXSUBMITTED",
    # The amount as pages and the API write it, and as the CSV export does (major units, minor units).
    "request with confidential amount": ("987,654.32", "987654.32", "98765432"),
    "donor anonymous": "QXANONDONOR",
    "donor named": "QXNAMEDDONOR",
    "tracker plan unpublished": "QXPLANHIDDEN",
    "tracker plan published": "QXPLANPUBLIC",
    "offer unpublished": "QXOFFERHIDDEN",
    "offer published": "QXOFFERPUBLIC",
    "match unconfirmed": "R-QXMATCH",
    "call answer unpublished": "QXANSWERHIDDEN",
    "dialogue private": "QXDIALOGUE",
    "report draft": "QXREPORTDRAFT",
    "report published": "QXREPORTPUBLIC",
}


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    ids: dict[str, Any] = field(default_factory=dict)


def _request(title: str, *, status: str, amount: int, **data: Any) -> str:
    """A request of the State to the fund, walked to ``status`` through the assistance services."""
    need = "A database to track recommendations"
    data = {"need": need, "duration_months": 12, **data}
    return make_request(STATE, FUND, status=status, amount=amount, title=title, **data).public_id


def _offer(contributor: User, title: str) -> Any:
    return cooperation.submit_offer(
        actor=contributor,
        data={
            "provider_kind": "ngo",
            "provider_name": "Open Follow-up Network",
            "kind": "tool",
            "title": title,
            "description": "Software and peer support to set up a national mechanism for reporting and "
            "follow-up that tracks the implementation of UPR recommendations.",
            "themes": ["A27"],
            "sdg_goals": [16],
            "languages": ["en"],
            "regions": [],
        },
    )


def _report(status: str, marker: str, secretariat: User) -> ReportBuild:
    # Around reports.services (request_build, run_build, publish): the cells look for a marker word in
    # the report's file, which no real build writes.
    build = ReportBuild.objects.create(
        kind=ReportBuild.Kind.COUNTRY,
        year=2026,
        language="en",
        state=STATE,
        status=status,
        progress=100,
        requested_by=secretariat,
        requested_at=timezone.now(),
        built_at=timezone.now(),
        published_at=timezone.now() if status == ReportBuild.Status.PUBLISHED else None,
    )
    build.html.save(f"{marker}.html", ContentFile(f"<html><body>{marker}</body></html>".encode()))
    return build


def build_world() -> World:
    load_reference_data()
    sync_vocabularies()
    state = State.objects.get(iso3=STATE)
    for key in ("R-QXPLAN", "R-QXMATCH"):
        text = "Establish a national mechanism for reporting and follow-up"
        make_recommendation(key, state, text, identity_key=key, response=Response.SUPPORTED)
    secretariat = make_user("secretariat", Role.SECRETARIAT)
    focal_point = make_user("fiji", Role.STATE_FOCAL_POINT, STATE)
    contributor = make_user("ngo", Role.CONTRIBUTOR)
    board = make_user("board", Role.BOARD, FUND)
    world = World()
    ids = world.ids

    ids["draft"] = _request("QXDRAFT request", status=Status.DRAFT, amount=5_000_000)
    ids["submitted"] = _request("QXSUBMITTED request", status=Status.SUBMITTED, amount=5_000_000)
    # The confidential request is approved and funded, so its amount also reaches the fund's page and
    # CSV; a second funded request keeps the fund's totals from equalling its allocation.
    ids["confidential"] = _request(
        "Request whose amount is confidential",
        status=Status.APPROVED,
        amount=98_765_432,
        confidential_fields=[ConfidentialField.AMOUNT],
    )

    anonymous = funds.register_donor(name="QXANONDONOR", kind="foundation", anonymous=True, actor=secretariat)
    named = funds.register_donor(name="QXNAMEDDONOR", kind="foundation", actor=secretariat)
    pledges = [
        funds.record_pledge(
            fund_code=FUND,
            donor_id=donor.pk,
            amount=Money(amount, "USD"),
            pledged_on=dt.date(2026, 1, 5),
            idempotency_key=f"authz-pledge-{n}",
            actor=secretariat,
        )
        for n, (donor, amount) in enumerate(((anonymous, 100_000), (named, 200_000_000)))
    ]
    funds.record_receipt(
        pledge_id=pledges[1].pk,
        amount=Money(200_000_000, "USD"),
        received_on=dt.date(2026, 2, 5),
        idempotency_key="authz-receipt",
        actor=secretariat,
    )
    funded = _request("Request with a public amount", status=Status.APPROVED, amount=1_000_000)
    for n, public_id in enumerate((ids["confidential"], funded)):
        request = AssistanceRequest.objects.get(public_id=public_id)
        funds.allocate(
            request_id=public_id,
            amount=Money(request.amount_requested, "USD"),
            allocated_on=dt.date(2026, 3, 2),
            idempotency_key=f"authz-allocation-{n}",
            actor=secretariat,
        )
    ids["donor_anonymous"], ids["donor_named"] = anonymous.pk, named.pk

    institution = tracking.create_institution(
        actor=focal_point, state=state, name="Ministry of Justice", kind="ministry"
    )
    hidden_plan = tracking.create_plan(actor=focal_point, state=state, title="QXPLANHIDDEN plan")
    tracking.add_recommendations(hidden_plan, actor=focal_point, public_ids=["R-QXPLAN"])
    cluster = tracking.create_cluster(
        hidden_plan, actor=focal_point, title="Follow-up", public_ids=["R-QXPLAN"]
    )
    tracking.assign_institutions(cluster, actor=focal_point, lead=institution)
    public_plan = tracking.create_plan(actor=focal_point, state=state, title="QXPLANPUBLIC plan")
    Plan.objects.filter(pk=public_plan.pk).update(published_at=timezone.now())
    ids["plan_hidden"], ids["plan_public"] = hidden_plan.pk, public_plan.pk

    ids["offer_hidden"] = _offer(contributor, "QXOFFERHIDDEN tool").pk
    published = _offer(contributor, "QXOFFERPUBLIC tool")
    cooperation.moderate_offer(published, actor=secretariat, publish=True)
    ids["offer_public"] = published.pk
    match = cooperation.propose_match(
        published,
        actor=contributor,
        recommendation=Recommendation.objects.get(public_id="R-QXMATCH"),
        score=0.8,
        explanation={"themes": ["A27"]},
    )
    ids["match"] = match.pk

    call = consultations.open_call(
        actor=secretariat,
        mandate=report_mandate(),
        title="Call for inputs on international cooperation",
        deadline=timezone.now() + dt.timedelta(days=10),
        questions=[
            QuestionSpec(kind="text", text="How does your State cooperate with others?"),
            QuestionSpec(kind="text", text="What did it cost?"),
        ],
        languages=["en"],
    )
    questions = list(call.questions.order_by("position"))
    submission = consultations.start_submission(call, actor=focal_point, state=state)
    consultations.save_answer(
        submission,
        actor=focal_point,
        question=questions[0],
        value="We share our tracking database.",
        language="en",
    )
    ids["answer_hidden"] = consultations.save_answer(
        submission,
        actor=focal_point,
        question=questions[1],
        value="QXANSWERHIDDEN budget figures",
        language="en",
        keep_unpublished=True,
    ).pk
    consultations.submit(submission, actor=focal_point)
    ids["call"] = call.pk

    dialogue = cooperation.record_dialogue(
        actor=secretariat,
        data={
            "title": "QXDIALOGUE on follow-up",
            "held_on": "2026-03-02",
            "participants": "Fiji\nSecretariat",
            "states": [STATE],
            "topics": "National mechanisms",
            "is_public": False,
        },
    )
    ids["dialogue"] = dialogue.pk
    ids["report_draft"] = _report(ReportBuild.Status.BUILT, "QXREPORTDRAFT", secretariat).pk
    ids["report_public"] = _report(ReportBuild.Status.PUBLISHED, "QXREPORTPUBLIC", secretariat).pk

    opendata.build_bundle()
    world.users = {
        "public": AnonymousUser(),
        "focal point": focal_point,
        "other focal point": make_user("ghana", Role.STATE_FOCAL_POINT, OTHER_STATE),
        "institution member": make_user("justice", Role.INSTITUTION_MEMBER, str(institution.pk)),
        "secretariat": secretariat,
        "board": board,
        "donor": make_user("donor", Role.DONOR, str(anonymous.pk)),
        "contributor": contributor,
        "admin": make_user("admin", Role.ADMIN),
    }
    return world
