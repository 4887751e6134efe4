"""Reads from a PostgreSQL read replica where a stale answer cannot mislead (docs/deploy.md).

A replica lags its primary by a fraction of a second to a few seconds. So only a request that only
reads (GET, HEAD, OPTIONS) and comes from a visitor who has not just written reads from it: after a
write the visitor's next requests read from the primary for ``HRCOOP_REPLICA_LAG_SECONDS`` (a cookie
says so), so that an official who saves a request sees it saved. Everything else, commands and
background tasks included, reads from the primary: a task that indexes records just imported must
see them. Inside a transaction every read goes to the primary too, as services read what they lock.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RECENT_WRITE_COOKIE = "hrcoop_primary"

_replica_allowed: ContextVar[bool] = ContextVar("hrcoop_replica_allowed", default=False)


class PrimaryReplicaRouter:
    """Writes, and reads that may not be stale, to the primary; the other reads to the replica."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        if _replica_allowed.get() and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str:
        _replica_allowed.set(False)  # what this request reads next must include what it wrote
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # one database, two copies

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS


class ReplicaMiddleware:
    """Lets a request read from the replica when it only reads and its visitor has not just written;
    marks a visitor who writes so that their next requests read from the primary."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reads_only = request.method in READ_ONLY_METHODS
        token = _replica_allowed.set(reads_only and RECENT_WRITE_COOKIE not in request.COOKIES)
        try:
            response = self.get_response(request)
        finally:
            _replica_allowed.reset(token)
        if not reads_only:
            response.set_cookie(
                RECENT_WRITE_COOKIE,
                "1",
                max_age=settings.HRCOOP_REPLICA_LAG_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response
