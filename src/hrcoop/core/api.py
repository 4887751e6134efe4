"""What every API endpoint shares: one JSON error shape and cursor pagination with a size cap.

Error shape (all 4xx):  ``{"error": {"status": 400, "code": "invalid", "message": "...", "where": "..."}}``
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, get_resolver
from django.views import defaults
from rest_framework import exceptions, pagination, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView
from rest_framework.views import exception_handler as drf_exception_handler

from hrcoop.core.errors import DomainError


def error_body(*, status: int, code: str, message: str, where: str = "") -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "where": where}}


def validated(serializer_class: type[serializers.Serializer], data: Any) -> dict[str, Any]:
    """The input ``data`` as ``serializer_class`` validates it; invalid input raises DRF's 400, which
    ``exception_handler`` answers in the one error shape."""
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _flatten(detail: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(detail, dict):
        out: list[tuple[str, str]] = []
        for key, value in detail.items():
            out.extend(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(detail, list):
        out = []
        for item in detail:
            out.extend(_flatten(item, prefix))
        return out
    return [(prefix, str(detail))]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain errors and DRF's own errors onto the one error shape."""
    if isinstance(exc, DomainError):
        return Response(
            error_body(status=exc.status, code=exc.code, message=exc.message, where=exc.where),
            status=exc.status,
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    problems = _flatten(exc.detail)
    where = ", ".join(sorted({p for p, _ in problems if p and p not in {"detail", "non_field_errors"}}))
    message = "; ".join(
        f"{p}: {m}" if p and p not in {"detail", "non_field_errors"} else m for p, m in problems
    )
    code = exc.get_codes()
    response.data = error_body(
        status=response.status_code,
        code=code if isinstance(code, str) else exc.default_code,
        message=message or str(exc.default_detail),
        where=where,
    )
    return response


# --- Django's own error views, in the API's shape under /api/ ----------------------------------------------
# Errors that never reach a DRF view (an unknown address, a body over the size limit, an unhandled
# exception) used to come back as the site's HTML pages; API clients parse the one JSON shape instead.


def _in_api(request: HttpRequest) -> bool:
    return request.path.startswith("/" + API_PREFIX)


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(status=status, code=code, message=message), status=status)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not _in_api(request):
        return defaults.bad_request(request, exception)
    if isinstance(exception, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        return _json_error(
            413, "too_large", f"The request body is over the {limit:,} bytes this server accepts; send less."
        )
    return _json_error(400, "invalid", "The request is malformed.")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if not _in_api(request):
        return defaults.page_not_found(request, exception)
    return _json_error(404, "not_found", "No API endpoint at this address; /api/ lists them.")


def server_error(request: HttpRequest) -> HttpResponse:
    if not _in_api(request):
        return defaults.server_error(request)
    return _json_error(
        500, "server_error", "The server failed to answer; the error was logged for the operators."
    )


class CursorPagination(pagination.CursorPagination):
    """Stable pages over changing data; clients may ask for up to ``max_page_size`` rows."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"


API_PREFIX = "api/"


def _argument_free(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[tuple[str, str]]:
    """(route, name) of every named URL under ``patterns`` that takes no argument, depth first."""
    for entry in patterns:
        if entry.pattern.regex.groups or getattr(entry.pattern, "converters", None):
            continue
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$")
        if isinstance(entry, URLResolver):
            yield from _argument_free(entry.url_patterns, route)
        elif entry.name:
            yield route, entry.name


class ApiRoot(APIRootView):
    """The endpoints of the hrcoop API, from every app: those that need no id (follow them for the rest).

    Read from the URLconf rather than listed by hand, so that an app's new endpoint appears here
    without anyone remembering to add it. (The mandates router's own root, mounted first at /api/,
    used to list the mandates alone.)
    """

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        endpoints = sorted(
            (route.removeprefix(API_PREFIX).rstrip("/") or name, name)
            for route, name in _argument_free(get_resolver().url_patterns)
            if route.startswith(API_PREFIX) and name != "api-root"
        )
        # Without the format of /api/.json: most endpoints take no suffix.
        return Response({key: reverse(name, request=request) for key, name in endpoints})
