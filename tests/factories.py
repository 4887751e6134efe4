"""The suite's one set of factories: users with roles, reference rows, funds, records and requests,
each built through the service a person's action goes through, so that what a test starts from is
audited, versioned and derived as real data is (issue 17, item 7).

Plain functions, imported by the tests and by the apps' ``conftest.py`` worlds. Data a test must write
around the services (to show the daily reindex catches it, or to play an attacker) is written in that
test, with a comment saying so.
"""

from __future__ import annotations

import datetime as dt
import uuid
from contextlib import nullcontext
from typing import Any
from unittest.mock import patch

from django.db import transaction
from django.utils import timezone

from hrcoop.assistance import services as assistance
from hrcoop.assistance.models import AssistanceRequest, BoardSession, ServiceLevel, Status
from hrcoop.core.calendar import local_date
from hrcoop.core.events import records_changed
from hrcoop.core.models import Role, RoleAssignment, User
from hrcoop.core.money import Money
from hrcoop.core.services import grant_role
from hrcoop.funds import services as funds
from hrcoop.funds.models import Allocation, Donor
from hrcoop.funds.services import create_fund
from hrcoop.mandates.models import Resolution
from hrcoop.mandates.services import import_resolution_text
from hrcoop.recommendations.models import Classification, Label, Provenance, Recommendation
from hrcoop.recommendations.services.vocabularies import create_labels
from hrcoop.reference.models import Fund, Mechanism, State
from hrcoop.reference.services import create_reference_row

# --- people ------------------------------------------------------------------------------------------


def make_user(
    username: str,
    role: Role | str | None = None,
    scope: str = "",
    *,
    email: str | None = None,
    password: str | None = None,
    **extra: Any,
) -> User:
    """A user, holding ``role`` within ``scope`` when given (granted through ``core.services``).

    ``email`` defaults to ``USERNAME@example.org`` (pass ``""`` for none); ``password`` to none usable,
    which also spares the suite PBKDF2's deliberate second per user where it is not made fast.
    """
    address = f"{username}@example.org" if email is None else email
    user = User.objects.create_user(username, email=address, password=password, **extra)
    if role is not None:
        grant_role(user, role, scope=scope, actor=None)
    return user


def holder(role: Role, scope: str = "") -> User:
    """The first user holding ``role`` within ``scope``, made when there is none: who acts on a request."""
    held = RoleAssignment.objects.filter(role=role, scope=scope).select_related("user").order_by("pk").first()
    if held is not None:
        return held.user
    return make_user(f"{role}-{scope or 'all'}".lower(), role, scope)


# --- reference data ----------------------------------------------------------------------------------


def make_state(iso3: str, iso2: str, m49: str, name: str, **values: Any) -> State:
    """A State added as the reference services add one (audited; the registry's version moves)."""
    return create_reference_row(
        State,
        actor=None,
        values={"iso3": iso3, "iso2": iso2, "m49": m49, "name": name, "status": "member", **values},
    )


def make_mechanism(
    code: str = "UPR", kind: str = "upr", name: str = "Universal Periodic Review"
) -> Mechanism:
    return create_reference_row(Mechanism, actor=None, values={"code": code, "kind": kind, "name": name})


def make_fund(code: str, name: str, currency: str = "USD") -> Fund:
    """A fund as the secretariat creates one (``funds.services.create_fund``; the system acts)."""
    return create_fund(code=code, name=name, currency=currency, actor=None)


def make_service_level(fund: Fund, stage: str, working_days: int) -> ServiceLevel:
    """A fund's service level for a stage, as its secretariat sets one (``assistance.set_service_level``)."""
    return assistance.set_service_level(
        actor=holder(Role.SECRETARIAT), fund=fund, stage=stage, working_days=working_days
    )


def make_board_session(
    fund: Fund, starts_on: dt.date, title: str = "Board session", *, at: dt.datetime | None = None
) -> BoardSession:
    """A session of the fund's board, scheduled by its secretariat (``assistance.schedule_board_session``)
    at ``at`` (now by default): the service refuses a day already past, and tests of the clocks name
    their days."""
    with patch("django.utils.timezone.now", return_value=at) if at else nullcontext():
        return assistance.schedule_board_session(
            actor=holder(Role.SECRETARIAT), fund=fund, starts_on=starts_on, title=title
        )


TEST_DONOR = "Donor of the tests"


def make_allocation(request: AssistanceRequest, amount: int, *, on: dt.date | None = None) -> Allocation:
    """``amount`` (minor units of the fund's currency) of the request's fund allocated to it by the
    secretariat (``funds.services.allocate``; the first allocation funds an approved request), ``on`` a
    day (today by default). The money is pledged and received first, from a donor of the tests, as the
    ledger refuses to allocate what the fund has not got."""
    secretariat, fund = holder(Role.SECRETARIAT), request.fund
    day, money, key = on or local_date(timezone.now()), Money(amount, fund.currency), uuid.uuid4().hex
    donor = Donor.objects.filter(name=TEST_DONOR).first() or funds.register_donor(
        name=TEST_DONOR, kind=Donor.Kind.FOUNDATION, actor=secretariat
    )
    pledge = funds.record_pledge(
        fund_code=fund.code,
        donor_id=donor.pk,
        amount=money,
        pledged_on=day,
        idempotency_key=f"pledge-{key}",
        actor=secretariat,
    )
    funds.record_receipt(
        pledge_id=pledge.pk,
        amount=money,
        received_on=day,
        idempotency_key=f"receipt-{key}",
        actor=secretariat,
    )
    return funds.allocate(
        request_id=request.public_id,
        amount=money,
        allocated_on=day,
        idempotency_key=f"allocation-{key}",
        actor=secretariat,
    )


# --- mandates ----------------------------------------------------------------------------------------


def make_resolution(number: str, title: str, paragraphs: dict[int, str]) -> Resolution:
    """A Human Rights Council resolution imported from its text as ``hrcoop mandates import`` reads one
    (``mandates.services.import_resolution_text``): its mandates are what the parser finds in the
    operative ``paragraphs`` ({number: text}, e.g. ``{32: "*Requests* the High Commissioner to ..."}``);
    an excerpt that skips paragraphs is stored with a warning, as a real one would be."""
    text = "\n\n".join(
        [
            "Human Rights Council",
            f"{number} {title}",
            "The Human Rights Council,",
            *(f"{n}. {paragraph}" for n, paragraph in paragraphs.items()),
        ]
    )
    import_resolution_text(text, source=f"resolution {number} (test)", actor=None)
    return Resolution.objects.get(number=number)


# --- recommendations ---------------------------------------------------------------------------------


def make_label(kind: str, code: str, name: str) -> Label:
    """A label added to a vocabulary as the vocabulary files and an import's new labels are
    (``create_labels``: the registry's version moves, as a new facet value may show)."""
    [label] = create_labels([Label(kind=kind, code=code, name=name)])
    return label


@transaction.atomic
def make_recommendation(
    public_id: str,
    state: State,
    text: str,
    *,
    identity_key: str | None = None,
    mechanism: str = "UPR",
    labels: dict[str, list[str]] | None = None,
    label_names: dict[str, str] | None = None,
    provenance: str = Provenance.IMPORTED,
    recommending_states: list[State] | None = None,
    announce: bool = True,
    **fields: Any,
) -> Recommendation:
    """A record with its ``labels`` ({kind: [code, ...]}, labels the vocabulary lacks added through
    ``create_labels``, named by ``label_names`` or their code).

    Written here rather than imported from a file: the tests name its public id, and set fields no
    import format carries (language, date). It is then announced as the import writer announces what
    it wrote (``records_changed``), so the search index and the registry's version follow it as they
    follow an import; no test raises a version by hand. Many records are cheaper announced at once:
    ``announce=False``, then ``announce_records``.
    """
    record = Recommendation.objects.create(
        public_id=public_id,
        identity_key=identity_key or f"key-{public_id}",
        mechanism=Mechanism.objects.filter(code=mechanism).first() or make_mechanism(mechanism),
        state_under_review=state,
        text=text,
        **fields,
    )
    if recommending_states:
        record.recommending_states.set(recommending_states)
    for kind, codes in (labels or {}).items():
        for code in codes:
            label = Label.objects.filter(kind=kind, code=code).first()
            if label is None:
                label = make_label(kind, code, (label_names or {}).get(code, code))
            Classification.objects.create(
                recommendation=record, label=label, kind=kind, provenance=provenance
            )
    if announce:
        announce_records([record])
    return record


@transaction.atomic
def announce_records(records: list[Recommendation]) -> None:
    """Tell derived data about records written by ``make_recommendation``, as the import writer would."""
    records_changed.send(ids=[record.pk for record in records], text_changed=True)


# --- assistance requests -----------------------------------------------------------------------------

# The steps that take a new request to each status, and who takes each: the workflow's own path.
_PATHS: dict[str, list[str]] = {
    Status.DRAFT: [],
    Status.SUBMITTED: ["submit"],
    Status.ACKNOWLEDGED: ["submit", "acknowledge"],
    Status.UNDER_ASSESSMENT: ["submit", "acknowledge", "start_assessment"],
}
_PATHS |= {
    Status.INFORMATION_REQUESTED: [*_PATHS[Status.UNDER_ASSESSMENT], "request_information"],
    Status.ON_HOLD: [*_PATHS[Status.UNDER_ASSESSMENT], "put_on_hold"],
    Status.RECOMMENDED: [*_PATHS[Status.UNDER_ASSESSMENT], "recommend"],
    Status.WITHDRAWN: ["submit", "withdraw"],
}
_PATHS |= {
    Status.APPROVED: [*_PATHS[Status.RECOMMENDED], "approve"],
    Status.APPROVED_WITH_CHANGES: [*_PATHS[Status.RECOMMENDED], "approve_with_changes"],
    Status.DECLINED: [*_PATHS[Status.RECOMMENDED], "decline"],
}
_PATHS[Status.FUNDED] = [*_PATHS[Status.APPROVED], "fund_request"]
_PATHS[Status.IN_IMPLEMENTATION] = [*_PATHS[Status.FUNDED], "start_implementation", "report_progress"]
_PATHS[Status.COMPLETED] = [*_PATHS[Status.IN_IMPLEMENTATION], "complete"]
_PATHS[Status.CLOSED] = [*_PATHS[Status.COMPLETED], "close"]

REQUEST = {
    "title": "National mechanism for reporting and follow-up",
    "need": "A database to track recommendations",
}


def make_request(
    state: State | str,
    fund: Fund | str,
    *,
    status: str = Status.DRAFT,
    consent: bool = True,
    amount: int = 5_000_000,
    due_date: dt.date | object | None = ...,
    at: dt.datetime | None = None,
    **data: Any,
) -> AssistanceRequest:
    """A request of ``state`` to ``fund``, drafted by its focal point and walked by the workflow's own
    steps up to ``status``, each taken by whoever takes it (the first holder of the role, made when
    there is none). ``data`` are the request's fields as the State writes them (``title``, ``need``,
    ``objectives``, ``confidential_fields``...); ``amount`` is in minor units of the fund's currency;
    ``consent`` records the State's consent before submitting (a request cannot be recommended
    without it; ``consent=False`` past that point erases it afterwards, see below). ``due_date``
    overrides the one the stage's clock computed, for tests of the queues; ``at`` is when it all happens
    (now by default), for tests that take the next steps on given days."""
    with patch("django.utils.timezone.now", return_value=at) if at else nullcontext():
        request = _walk(state, fund, status=status, consent=consent, amount=amount, data=data)
    if not consent and request.consent_given_at is not None:
        # Around the services: no step passes recommendation without consent, and none takes consent
        # back; a test of the checks at funding needs such a request (as data from before the rule).
        AssistanceRequest.objects.filter(pk=request.pk).update(
            consent_given_by="", consent_given_at=None, consent_reference=""
        )
        request.refresh_from_db()
    if due_date is not ...:
        # Around the services: no person sets a due date (the clock does), but a queue's order is
        # easiest to test with the dates named.
        AssistanceRequest.objects.filter(pk=request.pk).update(due_date=due_date)
        request.due_date = due_date  # type: ignore[assignment]
    return request


def _walk(
    state: State | str, fund: Fund | str, *, status: str, consent: bool, amount: int, data: dict[str, Any]
) -> AssistanceRequest:
    state = state if isinstance(state, State) else State.objects.get(iso3=state)
    fund = fund if isinstance(fund, Fund) else Fund.objects.get(code=fund)
    focal_point = holder(Role.STATE_FOCAL_POINT, state.iso3)
    request = assistance.create_request(
        actor=focal_point,
        state=state,
        fund=fund,
        data={**REQUEST, "amount": Money(amount, fund.currency), **data},
    ).request
    if consent or "recommend" in _PATHS[status]:
        request = assistance.record_consent(
            request,
            actor=focal_point,
            given_by="Minister of Justice",
            given_at=timezone.now() - dt.timedelta(days=2),
            reference="NV 12/2026",
        )
    secretariat, board = holder(Role.SECRETARIAT), holder(Role.BOARD, fund.code)
    for name in _PATHS[status]:
        if name == "fund_request":
            request = assistance.mark_funded(
                request, actor=secretariat, allocation_reference="test allocation"
            )
        elif name == "report_progress":
            assistance.add_progress_report(request, actor=focal_point, text="First quarter done")
        else:
            actor = {"state": focal_point, "board": board}.get(
                assistance.TRANSITIONS[name].actor, secretariat
            )
            request = assistance.apply_transition(request, name, actor=actor, reason="Recorded for the test")
    return request
