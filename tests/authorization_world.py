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

from hrcoop.assistance import services as assistance
from hrcoop.assistance.models import AssistanceRequest, ConfidentialField
from hrcoop.consultations import services as consultations
from hrcoop.consultations.services import QuestionSpec
from hrcoop.cooperation import services as cooperation
from hrcoop.core.models import Role, User
from hrcoop.core.money import Money
from hrcoop.core.services import grant_role
from hrcoop.funds import services as funds
from hrcoop.recommendations.models import Recommendation, Response
from hrcoop.recommendations.services.vocabularies import sync_vocabularies
from hrcoop.reference.models import Fund, Mechanism, State
from hrcoop.reference.services import load_reference_data
from hrcoop.reports import opendata
from hrcoop.reports.models import ReportBuild
from hrcoop.tracking import services as tracking
from hrcoop.tracking.models import Plan
from tests.consultations.conftest import report_mandate

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


def _user(username: str, role: Role | None = None, scope: str = "") -> User:
    user = User.objects.create_user(username, email=f"{username}@example.org")
    if role is not None:
        grant_role(user, role, scope=scope, actor=None)
    return user


def _request(focal_point: User, title: str, *, submit: bool, **data: Any) -> str:
    """A request drafted (and submitted) by the State's focal point through the assistance services."""
    request = assistance.create_request(
        actor=focal_point,
        state=State.objects.get(iso3=STATE),
        fund=Fund.objects.get(code=FUND),
        data={"title": title, "need": "A database to track recommendations", "duration_months": 12, **data},
    ).request
    assistance.record_consent(
        request,
        actor=focal_point,
        given_by="Minister of Justice",
        given_at=timezone.now() - dt.timedelta(days=2),
        reference="NV 12/2026",
    )
    if submit:
        assistance.apply_transition(request, "submit", actor=focal_point)
    return request.public_id


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
    upr, _ = Mechanism.objects.get_or_create(code="UPR", defaults={"kind": "upr", "name": "UPR"})
    state = State.objects.get(iso3=STATE)
    for key in ("R-QXPLAN", "R-QXMATCH"):
        Recommendation.objects.create(
            public_id=key,
            identity_key=key,
            mechanism=upr,
            state_under_review=state,
            text="Establish a national mechanism for reporting and follow-up",
            response=Response.SUPPORTED,
        )
    secretariat = _user("secretariat", Role.SECRETARIAT)
    focal_point = _user("fiji", Role.STATE_FOCAL_POINT, STATE)
    contributor = _user("ngo", Role.CONTRIBUTOR)
    board = _user("board", Role.BOARD, FUND)
    world = World()
    ids = world.ids

    ids["draft"] = _request(focal_point, "QXDRAFT request", submit=False, amount=Money(5_000_000, "USD"))
    ids["submitted"] = _request(
        focal_point, "QXSUBMITTED request", submit=True, amount=Money(5_000_000, "USD")
    )
    ids["confidential"] = _request(
        focal_point,
        "Request whose amount is confidential",
        submit=True,
        amount=Money(98_765_432, "USD"),
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
    # The confidential request is approved and funded, so its amount also reaches the fund's page and
    # CSV; a second funded request keeps the fund's totals from equalling its allocation.
    funded = _request(
        focal_point, "Request with a public amount", submit=True, amount=Money(1_000_000, "USD")
    )
    for n, public_id in enumerate((ids["confidential"], funded)):
        request = AssistanceRequest.objects.get(public_id=public_id)
        for name, actor in (
            ("acknowledge", secretariat),
            ("start_assessment", secretariat),
            ("recommend", secretariat),
            ("approve", board),
        ):
            assistance.apply_transition(request, name, actor=actor, reason="Meets the fund's criteria")
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
        "other focal point": _user("ghana", Role.STATE_FOCAL_POINT, OTHER_STATE),
        "institution member": _user("justice", Role.INSTITUTION_MEMBER, str(institution.pk)),
        "secretariat": secretariat,
        "board": board,
        "donor": _user("donor", Role.DONOR, str(anonymous.pk)),
        "contributor": contributor,
        "admin": _user("admin", Role.ADMIN),
    }
    return world
