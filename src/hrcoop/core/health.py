"""Liveness and readiness for load balancers and orchestrators (docs/deploy.md).

``/health/live`` answers as long as the process serves requests: restart the server when it does not.
``/health/ready`` also checks what a request needs (every database, no migration left to apply, the
cache, the task queue's Redis when tasks go through it): send no traffic to a server that is not
ready. The answer names each check and whether it passed, never why it failed (host names and errors
stay in the server's log), so it is safe to leave open.

Written here rather than with django-health-check: these are four short checks, and its plugins would
add apps and settings for less (it has no check that every database is migrated).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger(__name__)


def _databases() -> None:
    for connection in connections.all():
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")


_migrated = False  # once every migration is applied, it stays so for the life of this process


def _migrations() -> None:
    global _migrated
    if not _migrated:
        executor = MigrationExecutor(connections["default"])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise RuntimeError("migrations not applied: run `hrcoop migrate`")
        _migrated = True


def _cache() -> None:
    cache.set("hrcoop:health", "ok", 10)
    if cache.get("hrcoop:health") != "ok":
        raise RuntimeError("the cache kept nothing")


def _task_queue() -> None:
    if settings.TASK_BACKEND == "django_tasks_rq.RQBackend":
        import django_rq  # imported only where RQ is configured

        django_rq.get_connection("default").ping()


CHECKS: dict[str, Callable[[], None]] = {
    "database": _databases,
    "migrations": _migrations,
    "cache": _cache,
    "task_queue": _task_queue,
}


@never_cache
def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "live"})


@never_cache
def ready(request: HttpRequest) -> JsonResponse:
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:
            logger.exception("readiness check %s failed", name)
            results[name] = "failing"
        else:
            results[name] = "ok"
    is_ready = all(result == "ok" for result in results.values())
    return JsonResponse(
        {"status": "ready" if is_ready else "not ready", "checks": results}, status=200 if is_ready else 503
    )
