"""Running several servers (docs/deploy.md): gunicorn's configuration, health and readiness, JSON logs,
Prometheus metrics, and the read-replica router."""

from __future__ import annotations

import json
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from hrcoop.core import replica
from hrcoop.core.models import AuditEvent
from tests.core.test_deploy import _env

BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _get(url: str) -> tuple[int, dict[str, Any]]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_gunicorn_serves_with_the_shipped_configuration_and_readiness_tells_the_truth(tmp_path: Path) -> None:
    """A server on a database nobody migrated is live but not ready, so a load balancer sends it nothing."""
    port = _free_port()
    env = _env(
        tmp_path,
        HRCOOP_SECRET_KEY=secrets.token_urlsafe(50),
        HRCOOP_BIND=f"127.0.0.1:{port}",
        HRCOOP_WORKERS="1",
        HRCOOP_LOG_FORMAT="json",
    )
    server = subprocess.Popen(
        [BIN / "gunicorn", "-c", "python:hrcoop.config.gunicorn", "hrcoop.config.wsgi"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                live = _get(f"http://127.0.0.1:{port}/health/live")
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.5)
        assert live == (200, {"status": "live"})
        status, body = _get(f"http://127.0.0.1:{port}/health/ready")
        assert status == 503
        assert body == {
            "status": "not ready",
            "checks": {"database": "ok", "migrations": "failing", "cache": "ok", "task_queue": "ok"},
        }
    finally:
        server.terminate()
        _, errors = server.communicate(timeout=60)
    logged = [json.loads(line) for line in errors.splitlines() if line.startswith("{")]
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"] for line in logged)
    failure = next(line for line in logged if line["logger"] == "hrcoop.core.health")
    assert failure["level"] == "ERROR" and "migrations" in failure["message"] and "exc_info" in failure


@pytest.mark.django_db
def test_ready_when_every_check_passes_and_names_a_failing_one_without_its_reason(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "migrations": "ok", "cache": "ok", "task_queue": "ok"},
    }
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)  # a cache that keeps nothing
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "failing"


def test_an_unknown_setting_stops_the_start_naming_the_choices(tmp_path: Path) -> None:
    env = _env(tmp_path, HRCOOP_TASK_BACKEND="celery")
    result = subprocess.run(
        [BIN / "hrcoop", "check"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode != 0
    assert "HRCOOP_TASK_BACKEND='celery': one of database, immediate, rq" in result.stderr


@pytest.mark.django_db
def test_metrics_answer_only_the_scraper_with_the_token(client: Client, settings: Any) -> None:
    assert client.get("/metrics").status_code == 404  # no token configured: no page
    settings.HRCOOP_METRICS_TOKEN = token = secrets.token_urlsafe(20)
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    client.get("/health/live")
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert 'django_http_responses_total_by_status_total{status="200"}' in response.content.decode()


# --- the read replica ------------------------------------------------------------------------------


def _route(request: HttpRequest) -> tuple[str, HttpResponse]:
    """Which database a read made while answering ``request`` goes to, and the response."""
    seen: list[str] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(replica.PrimaryReplicaRouter().db_for_read(AuditEvent))
        return HttpResponse()

    response = replica.ReplicaMiddleware(view)(request)
    return seen[0], response


def test_only_reads_of_a_visitor_who_has_not_just_written_go_to_the_replica(
    settings: Any,
) -> None:
    settings.HRCOOP_REPLICA_LAG_SECONDS = 7
    factory = RequestFactory()
    assert _route(factory.get("/funds/"))[0] == "replica"
    database, response = _route(factory.post("/assistance/new/"))
    assert database == "default"
    cookie = response.cookies[replica.RECENT_WRITE_COOKIE]
    assert cookie["max-age"] == 7 and cookie["httponly"]
    after_write = factory.get("/assistance/")
    after_write.COOKIES[replica.RECENT_WRITE_COOKIE] = "1"
    assert _route(after_write)[0] == "default"
    # Outside a request (commands, background tasks) every read goes to the primary.
    assert replica.PrimaryReplicaRouter().db_for_read(AuditEvent) == "default"


@pytest.mark.django_db(transaction=True)  # no test transaction around it: the view's reads decide
def test_a_read_after_a_write_or_inside_a_transaction_goes_to_the_primary() -> None:
    from django.db import transaction

    router = replica.PrimaryReplicaRouter()

    def view(request: HttpRequest) -> HttpResponse:
        reads = [router.db_for_read(AuditEvent)]
        with transaction.atomic():
            reads.append(router.db_for_read(AuditEvent))
        reads.append(router.db_for_read(AuditEvent))
        router.db_for_write(AuditEvent)
        reads.append(router.db_for_read(AuditEvent))
        return HttpResponse(",".join(reads))

    response = replica.ReplicaMiddleware(view)(RequestFactory().get("/"))
    assert response.content.decode() == "replica,default,replica,default"
    assert router.allow_migrate("replica", "core") is False and router.allow_migrate("default", "core")


def test_the_json_log_is_one_object_per_line(tmp_path: Path) -> None:
    code = (
        "import django, logging; django.setup(); "
        "logging.getLogger('hrcoop.example').warning('request %s was slow', 'R1')"
    )
    env = {**_env(tmp_path, HRCOOP_LOG_FORMAT="json"), "DJANGO_SETTINGS_MODULE": "hrcoop.config.settings"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    [line] = result.stderr.splitlines()
    logged = json.loads(line)
    assert {k: logged[k] for k in ("level", "logger", "message")} == {
        "level": "WARNING",
        "logger": "hrcoop.example",
        "message": "request R1 was slow",
    }
    assert logged["time"][:2] == "20"
