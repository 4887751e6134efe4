"""Background tasks and the cache through Redis, as several servers share them (docs/deploy.md).

Redis is optional on a user's machine: these tests skip without it, naming it, except in CI
(``HRCOOP_REQUIRE_REDIS=1``), where a missing Redis is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.core.cache import caches

REDIS_URL = os.environ.get("HRCOOP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url() -> Iterator[str]:
    """An emptied Redis database for the test (number 15 unless HRCOOP_TEST_REDIS_URL says otherwise)."""
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("HRCOOP_REQUIRE_REDIS"):
            raise
        pytest.skip(f"needs Redis at {REDIS_URL} (set HRCOOP_TEST_REDIS_URL): not reachable")
    client.flushdb()
    yield REDIS_URL
    client.flushdb()


@pytest.mark.django_db(transaction=True)
def test_a_task_goes_through_redis_to_a_worker(
    redis_url: str, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import django_rq.settings
    from django_tasks import TaskResultStatus
    from django_tasks_rq import Job
    from rq import SimpleWorker

    from hrcoop.core.tasks import verify_integrity

    queues: dict[str, Any] = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 60}}
    monkeypatch.setattr(django_rq.settings, "QUEUES", queues)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    result = verify_integrity.enqueue()
    assert result.status == TaskResultStatus.READY
    assert redis.Redis.from_url(redis_url).llen("rq:queue:default") == 1

    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=queue.connection, job_class=Job).work(burst=True)

    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"audit": 0, "funds": 0, "emails": 0}  # run by the worker


def test_the_cache_through_redis(redis_url: str, settings: Any) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url},
        "other": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url},
    }
    caches["default"].set("registry-version", 41, 30)
    assert caches["other"].get("registry-version") == 41  # another server's connection sees it
