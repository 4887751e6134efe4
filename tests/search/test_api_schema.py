"""Property test of the search API against its own OpenAPI schema (schemathesis, bounded in time):
whatever the generated parameters, no 5xx and no response outside the schema."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from hrcoop.recommendations.search import embeddings


def _stand_in_encode(texts: list[str]) -> np.ndarray:
    vectors = np.stack([np.random.default_rng(len(t)).standard_normal(embeddings.DIMENSIONS) for t in texts])
    return (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)


schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application()).include(
    path_regex=r"^/api/(recommendations|states|reference)/"
)


@pytest.fixture(scope="module")
def public_ids(django_db_setup: None, django_db_blocker: Any) -> Any:
    """The corpus, created once for every operation of the schema and flushed afterwards."""
    from django.core.management import call_command

    from hrcoop.reference.services import load_reference_data
    from tests.search.conftest import make_corpus

    # Requests go straight to the WSGI app, so do what Django's test client does: keep the test's
    # database connection open across requests (PostgreSQL would otherwise lose its transaction).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    with django_db_blocker.unblock():
        load_reference_data()
        records = make_corpus()
        yield [r.public_id for r in records.values()]
        call_command("flush", interactive=False, verbosity=0)
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_never_errors_and_keeps_to_its_schema(
    case: Any, public_ids: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The API contract is under test, not the sentence model: a stand-in encoder keeps this fast.
    monkeypatch.setattr(embeddings, "encode", _stand_in_encode)
    if "public_id" in (case.path_parameters or {}) and case.path_parameters["public_id"].startswith("T"):
        case.path_parameters["public_id"] = public_ids[0]
    # Schemathesis's WSGI transport asks for gzip, as requests does, but reads the body undecoded; the
    # compression of answers is tested apart (tests/core/test_staticfiles.py).
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"},
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )
