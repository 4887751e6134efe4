"""What every API endpoint shares: one JSON error shape, cursor pagination with a size cap, opaque
signed cursors, and conditional GETs keyed by a data version (``ConditionalMixin``).

Error shape (all 4xx):  ``{"error": {"status": 400, "code": "invalid", "message": "...", "where": "..."}}``
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.template.response import SimpleTemplateResponse
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import exceptions, pagination, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView
from rest_framework.views import exception_handler as drf_exception_handler

from hrcoop.core.errors import DomainError, InvalidInput
from hrcoop.core.versions import versions_key


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


# --- hand-made pages: page size and opaque cursors ---------------------------------------------------------
# For lists DRF's pagination cannot page (a search ranked by relevance, a seek key that spans
# expressions): the view reads ``page_size``, decodes the ``cursor`` it gave earlier, and links the
# next and previous pages with ``cursor_url``.

_CURSOR_SALT = "hrcoop.api.cursor"


def page_size(request: Request) -> int:
    """The ``page_size`` asked for: ``CursorPagination.page_size`` by default, at most its maximum."""
    raw = request.query_params.get("page_size")
    if raw is None or raw == "":
        return CursorPagination.page_size
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidInput(
            f"page_size must be a whole number from 1 to {CursorPagination.max_page_size}.", where="page_size"
        )
    return min(int(raw), CursorPagination.max_page_size)


def encode_cursor(position: dict[str, Any]) -> str:
    """An opaque token for ``position`` (a JSON object), signed with the site's secret: a client can
    follow it but not forge or alter it, so a cursor never needs checking beyond its signature."""
    return signing.dumps(position, salt=_CURSOR_SALT, compress=True)


def decode_cursor(raw: str) -> dict[str, Any]:
    """The position of a cursor ``encode_cursor`` made; anything else is a 400 naming ``cursor``."""
    try:
        position = signing.loads(raw, salt=_CURSOR_SALT)
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise InvalidInput(_not_ours(), where="cursor") from exc
    if not isinstance(position, dict):
        raise InvalidInput(_not_ours(), where="cursor")
    return position


def _not_ours() -> str:
    return _("The cursor is not one this site gave, or it was altered; follow the next and previous links.")


def cursor_url(request: Request, cursor: str) -> str:
    """This request's address with ``cursor`` in place of its own."""
    params = [(k, v) for k, values in request.query_params.lists() if k != "cursor" for v in values]
    return request.build_absolute_uri(request.path + "?" + urlencode([*params, ("cursor", cursor)]))


# --- conditional requests ----------------------------------------------------------------------------------


def version_token(*names: str) -> tuple[str, float | None]:
    """(a token that changes with any change to the data versions ``names``, their last change as a
    timestamp).

    The token is empty while that data has never been written through its services: nothing is then
    cached, since nothing would tell a cached answer from a new one.
    """
    token, changed_at = versions_key(*names)
    return token, changed_at.timestamp() if token and changed_at else None


def _cacheable(request: HttpRequest) -> bool:
    """Anonymous requests only: the browsable API shows who is signed in."""
    return not request.user.is_authenticated and "HTTP_AUTHORIZATION" not in request.META


class ConditionalMixin:
    """ETag / Last-Modified on every GET, and a cache of public JSON answers, keyed by data versions.

    ``data_versions`` names the counters (``core.versions``) that the changes to what the view shows
    raise (each app's API names its own: a record's answer the registry's records and reference rows,
    the reference lists the reference rows alone, so a record corrected leaves their cached answers in
    place). What a GET answers depends only on that data, the URL and the format asked for (the API is
    outside the language prefixes: it answers in English), so a cached answer is never stale, as a
    change makes new keys and the old entries age out. A popular search then costs one look-up of the
    versions (one statement) and one of the cache. The cache is Django's ``default`` (per process
    unless ``CACHES`` says otherwise); ``HRCOOP_API_CACHE_SECONDS=0`` turns it off.
    """

    data_versions: tuple[str, ...]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "GET":
            return self._answer(request, *args, **kwargs)
        token, last = version_token(*self.data_versions)
        url = request.build_absolute_uri()
        digest = hashlib.sha256(f"{token}|{url}|{request.META.get('HTTP_ACCEPT', '')}".encode()).hexdigest()
        key = f"api:{digest}" if token and settings.HRCOOP_API_CACHE_SECONDS and _cacheable(request) else ""
        cached = cache.get(key) if key else None
        if cached is not None:
            response = HttpResponse(cached[0], content_type=cached[1])
        else:
            response = self._answer(request, *args, **kwargs)
            renderer = getattr(response, "accepted_renderer", None)
            if key and response.status_code == 200 and getattr(renderer, "format", None) == "json":
                cache.set(
                    key, (response.content, response["Content-Type"]), settings.HRCOOP_API_CACHE_SECONDS
                )
        if response.status_code != 200:
            return response
        etag = f'"{digest[:32]}"'
        response["ETag"] = etag
        if last is not None:
            response["Last-Modified"] = http_date(last)
        conditional = get_conditional_response(
            request, etag=etag, last_modified=int(last) if last else None, response=response
        )
        return conditional if isinstance(conditional, HttpResponse) else response

    def _answer(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The view's own answer, rendered (DRF renders lazily; the cache needs the bytes)."""
        response: HttpResponse = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        if isinstance(response, SimpleTemplateResponse):
            response.render()
        return response


# --- fields the apps' serializers share ---------------------------------------------------------------------


def names_field(source: str | None = None) -> serializers.DictField:
    """A row's name in the other UN languages (its ``names``)."""
    help_text = 'The name in the other UN languages, by language code ("ar", "es", "fr", "ru", "zh-hans")'
    if source is None:  # DRF refuses a source that repeats the field's name
        return serializers.DictField(child=serializers.CharField(), read_only=True, help_text=help_text)
    return serializers.DictField(
        child=serializers.CharField(), read_only=True, help_text=help_text, source=source
    )


def kind_field(choices: Any) -> serializers.CharField:
    """A plain string naming its values: several vocabularies are called "kind" in the schema."""
    return serializers.CharField(help_text="One of: " + ", ".join(choices.values))


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
