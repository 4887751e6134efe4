"""The demo workspace on top of the documents: two funds, donors, pledges and receipts, Slovenia's
requests for assistance in several states of the workflow, and one signed-in user per role.

Everything is made through the services a person's actions go through (so each step is audited
and checked as it would be), acting as the demo user of the role that takes it. The funds are the
demo's own, so that their ledgers hold demo money only and can be removed whole.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, make_password
from django.db import models
from django.utils import timezone

from hrcoop.assistance.models import AssistanceRequest
from hrcoop.assistance.services import apply_transition, create_request, record_consent
from hrcoop.core.audit import record_event
from hrcoop.core.models import Role, User
from hrcoop.core.money import Money
from hrcoop.core.services import grant_role
from hrcoop.demo.actions import DemoAction
from hrcoop.funds.models import Donor
from hrcoop.funds.services import allocate, create_fund, record_pledge, record_receipt, register_donor
from hrcoop.recommendations.models import Recommendation, Response
from hrcoop.reference.models import Fund, State

STATE = "SVN"
FOCAL_POINT = "demo-focal-point"
# The demo fund that requests made from the plan's actions go to.
SUPPORT_FUND = "DEMO-FTA"
FUNDS = {
    "DEMO-FTA": "Demo fund for financial and technical assistance in implementing the UPR",
    "DEMO-TC": "Demo fund for technical cooperation in human rights",
}


@dataclass(frozen=True)
class SignIn:
    role: str
    username: str
    password: str


class _LightArgon2(Argon2PasswordHasher):
    """Argon2 at its lightest, for the demo's passwords only.

    They are random (72 bits, ``secrets.token_urlsafe(9)``) and kept in plain text beside the database
    for ``make run`` to print: stretching them guards nothing, and the site's Argon2 cost (a quarter of
    a second of CPU per user, a second or more on a busy machine) was the demo's largest single cost.
    Django verifies the hash whatever its parameters, and re-hashes the password at the site's own cost
    at its first sign-in (``must_update``).
    """

    time_cost = 1
    memory_cost = 1024
    parallelism = 1


def _hash(password: str) -> str:
    if isinstance(get_hasher(), Argon2PasswordHasher):
        hasher = _LightArgon2()
        return hasher.encode(password, hasher.salt())
    return make_password(password)


def demo_user(username: str, name: str, role: Role, scopes: list[str], made: list[models.Model]) -> SignIn:
    """A demo user holding ``role`` in each of ``scopes``, with a random password to print."""
    password = secrets.token_urlsafe(9)
    # A demo removed earlier left its users deactivated (audit events name them): take them back.
    user = User.objects.filter(username=username, is_active=False).first() or User(username=username)
    user.email, user.first_name, user.last_name, user.is_active = (
        f"{username}@demo.invalid",
        name,
        "(demo)",
        True,
    )
    user.password = _hash(password)
    user.save()
    for scope in scopes:
        grant_role(user, role, scope=scope, actor=None)
    record_event(
        actor=None, action=DemoAction.USER_CREATED, target=user, data={"role": role.value, "scopes": scopes}
    )
    made.append(user)
    return SignIn(str(role.label), username, password)


def _recommendations(*words: str) -> list[str]:
    """Public ids of up to three of Slovenia's supported recommendations that say ``words``, latest first."""
    found = Recommendation.objects.filter(state_under_review__iso3=STATE, response=Response.SUPPORTED)
    for word in words:
        found = found.filter(text__icontains=word)
    return list(found.order_by("-session__number", "paragraph").values_list("public_id", flat=True)[:3])


def _request(focal_point: User, fund: Fund, title: str, amount: int, **data: object) -> AssistanceRequest:
    outcome = create_request(
        actor=focal_point,
        state=State.objects.get(iso3=STATE),
        fund=fund,
        data={"title": title, "amount": Money(amount, fund.currency), "duration_months": 18, **data},
    )
    return outcome.request


def build(made: list[models.Model]) -> list[SignIn]:
    """Make the workspace; append every top-level record to ``made``; return the demo sign-ins."""
    today = timezone.localdate()
    sign_ins = [
        demo_user("demo-focal-point", "Focal point of Slovenia", Role.STATE_FOCAL_POINT, [STATE], made),
        demo_user("demo-secretariat", "Secretariat", Role.SECRETARIAT, list(FUNDS), made),
        demo_user("demo-board", "Board member", Role.BOARD, list(FUNDS), made),
    ]
    users = {s.username: User.objects.get(username=s.username) for s in sign_ins}
    secretariat, board = users["demo-secretariat"], users["demo-board"]
    focal_point = users["demo-focal-point"]

    funds = [
        create_fund(code=code, name=name, currency="USD", actor=secretariat) for code, name in FUNDS.items()
    ]
    made.extend(funds)
    upr_fund, cooperation_fund = funds
    donors: list[Donor] = [
        register_donor(
            name="Norway (demo)", kind=Donor.Kind.MEMBER_STATE, state_iso3="NOR", actor=secretariat
        ),
        register_donor(
            name="Mexico (demo)", kind=Donor.Kind.MEMBER_STATE, state_iso3="MEX", actor=secretariat
        ),
        register_donor(
            name="A human rights foundation (demo)", kind=Donor.Kind.FOUNDATION, actor=secretariat
        ),
    ]
    made.extend(donors)
    sign_ins.append(demo_user("demo-donor", "Donor representative", Role.DONOR, [str(donors[0].pk)], made))

    # Pledges a few months back, paid in full or in part since.
    for number, (fund, donor, amount, paid) in enumerate(
        [
            (upr_fund, donors[0], 600_000_00, 600_000_00),
            (upr_fund, donors[1], 150_000_00, 100_000_00),
            (cooperation_fund, donors[2], 80_000_00, 80_000_00),
        ],
        start=1,
    ):
        pledge = record_pledge(
            fund_code=fund.code,
            donor_id=donor.pk,
            amount=Money(amount, "USD"),
            pledged_on=today - dt.timedelta(days=120),
            idempotency_key=f"demo-pledge-{number}",
            note="Demo data",
            actor=secretariat,
        )
        receipt = record_receipt(
            pledge_id=pledge.pk,
            amount=Money(paid, "USD"),
            received_on=today - dt.timedelta(days=60),
            idempotency_key=f"demo-receipt-{number}",
            actor=secretariat,
        )
        made.extend([pledge, receipt])

    # A request in the public register, under assessment.
    mechanism = _request(
        focal_point,
        upr_fund,
        "A national mechanism for implementation, reporting and follow-up of recommendations",
        120_000_00,
        need="Recommendations of three review cycles are followed in spreadsheets kept by each ministry.",
        objectives="One public database of the recommendations, the ministries responsible and progress.",
        recommendations=_recommendations("national mechanism") or _recommendations("follow-up"),
    )
    # A request whose amount the State keeps confidential, submitted.
    training = _request(
        focal_point,
        cooperation_fund,
        "Training of police officers and prosecutors on hate crime and hate speech",
        45_000_00,
        need="Few cases of hate speech reach the courts.",
        confidential_fields=["amount"],
        recommendations=_recommendations("hate"),
    )
    # A request approved by the Board and funded.
    roma = _request(
        focal_point,
        upr_fund,
        "Access to water and sanitation in Roma settlements",
        250_000_00,
        need="Several Roma settlements have no safe drinking water or sanitation.",
        recommendations=_recommendations("Roma", "water") or _recommendations("Roma"),
    )
    # A draft, seen only by the State and the secretariat.
    draft = _request(focal_point, upr_fund, "Support to the Ombudsman's human rights centre", 60_000_00)
    made.extend([mechanism, training, roma, draft])
    for request in (mechanism, training, roma):
        record_consent(
            request,
            actor=focal_point,
            given_by="Ministry of Foreign and European Affairs (demo)",
            given_at=timezone.now() - dt.timedelta(days=30),
            reference="Demo note verbale 1/2026",
        )
        apply_transition(request, "submit", actor=focal_point)
    for request, steps in (
        (mechanism, [("acknowledge", secretariat), ("start_assessment", secretariat)]),
        (
            roma,
            [
                ("acknowledge", secretariat),
                ("start_assessment", secretariat),
                ("recommend", secretariat),
                ("approve", board),
            ],
        ),
    ):
        for step, actor in steps:
            apply_transition(request, step, actor=actor, reason="Demo data: a step taken by the demo loader.")
    made.append(
        allocate(
            request_id=roma.public_id,
            amount=Money(250_000_00, "USD"),
            allocated_on=today,
            idempotency_key="demo-allocation-1",
            actor=secretariat,
        )
    )
    return sign_ins
