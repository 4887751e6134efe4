"""schemathesis over every operation of the OpenAPI schema, as an anonymous caller and as the
secretariat with a read-and-write API token, against a small real data set (reference data, a
registry, a fund with a donor and a pledge, requests in the register, a State's plan, a resolution's
mandates). Whatever the generated parameters and bodies: no 5xx, and JSON wherever the schema
promises JSON. Bounded: a few examples per operation, the whole module in a few minutes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance

from hrcoop.recommendations.search import embeddings
from tests.conftest import SHARED_DATA
from tests.search.test_api_schema import _stand_in_encode

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
# The coverage phase (every boundary value and unexpected method of every operation) doubles the run,
# past the few minutes this module is allowed; run with it on, it found nothing the examples miss.
schema.config.phases.coverage.enabled = False


@dataclass
class Known:
    """Identifiers of objects that exist, put in the place of generated path parameters, so that the
    fuzzer reaches the code behind a found object and not only the 404 in front of it."""

    token: str = ""
    by_name: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)


def _build(known: Known) -> None:
    from hrcoop.assistance.models import Status
    from hrcoop.core.models import Role
    from hrcoop.core.money import Money
    from hrcoop.core.tokens import create_token
    from hrcoop.funds import services as funds
    from hrcoop.mandates.models import Mandate, Resolution
    from hrcoop.mandates.services import import_resolution_text
    from hrcoop.reference.services import load_reference_data
    from hrcoop.tracking import services as tracking
    from tests.factories import make_request, make_user
    from tests.search.conftest import make_corpus

    load_reference_data()
    records = list(make_corpus().values())
    secretariat = make_user("fuzz-secretariat", Role.SECRETARIAT, email="")
    state = records[0].state_under_review
    focal_point = make_user("fuzz-focal-point", Role.STATE_FOCAL_POINT, state.iso3, email="")
    _, known.token = create_token(secretariat, actor=None, name="fuzz", scopes=["read", "write"], days=1)

    donor = funds.register_donor(name="Norway", kind="member_state", state_iso3="NOR", actor=secretariat)
    funds.record_pledge(
        fund_code="VFTC",
        donor_id=donor.pk,
        amount=Money(1_000_000, "USD"),
        pledged_on=dt.date(2026, 1, 5),
        idempotency_key="fuzz-pledge",
        actor=secretariat,
    )
    request = make_request(
        state,
        "VFTC",
        status=Status.SUBMITTED,
        title="National mechanism for implementation, reporting and follow-up",
        at=dt.datetime(2026, 1, 2, tzinfo=dt.UTC),
    )
    plan = tracking.create_plan(actor=focal_point, state=state, title="UPR implementation plan")
    tracking.add_recommendations(
        plan, actor=focal_point, public_ids=[r.public_id for r in records if r.state_under_review == state]
    )
    institution = tracking.create_institution(
        actor=focal_point, state=state, name="Ministry of Justice", kind="ministry", contact_email="moj@x.org"
    )
    seeds = sorted((SHARED_DATA.parent / "seed").glob("*.txt"))
    if seeds:
        import_resolution_text(seeds[0].read_text(encoding="utf-8"), source=seeds[0].name, actor=None)

    known.by_name = {
        "public_id": records[0].public_id,
        "code": "VFTC",
        "iso3": state.iso3,
    }
    known.ids = {
        "/api/assistance/requests/": request.public_id,
        "/api/funds/donors/": str(donor.pk),
        "/api/tracking/plans/": str(plan.pk),
        "/api/tracking/institutions/": str(institution.pk),
        "/api/mandates/resolutions/": str(Resolution.objects.values_list("pk", flat=True).first() or 1),
        "/api/mandates/mandates/": str(Mandate.objects.values_list("pk", flat=True).first() or 1),
    }


@pytest.fixture(scope="module")
def known(django_db_setup: None, django_db_blocker: Any) -> Any:
    """The data set, created once for every operation of the schema and flushed afterwards."""
    from django.core.management import call_command

    # Requests go straight to the WSGI app, so do what Django's test client does: keep the test's
    # database connection open across requests (PostgreSQL would otherwise lose its transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        found = Known()
        _build(found)
        yield found
        call_command("flush", interactive=False, verbosity=0)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _aim_at_known_objects(case: Any, known: Known) -> None:
    """Half of the examples (by the parity of what was generated) get an identifier that exists."""
    parameters = case.path_parameters or {}
    for name, value in parameters.items():
        if len(str(value)) % 2:
            continue
        prefix = next((p for p in known.ids if case.path.startswith(p)), None)
        if name == "public_id" and prefix == "/api/assistance/requests/":
            parameters[name] = known.ids[prefix]
        elif name in known.by_name:
            parameters[name] = known.by_name[name]
        elif name == "id" and prefix is not None:
            parameters[name] = known.ids[prefix]


@pytest.fixture(autouse=True)
def _fast_stand_ins(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Any) -> None:
    # The API contract is under test, not the sentence model: a stand-in encoder keeps this fast.
    monkeypatch.setattr(embeddings, "encode", _stand_in_encode)
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.mark.django_db
@pytest.mark.parametrize("caller", ["anonymous", "secretariat"])
@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_every_operation_answers_without_server_error_in_json(case: Any, caller: str, known: Known) -> None:
    _aim_at_known_objects(case, known)
    headers = {"Authorization": f"Token {known.token}"} if caller == "secretariat" else {}
    case.call_and_validate(headers=headers, checks=[not_a_server_error, content_type_conformance])
