"""What every API endpoint shares: one JSON error shape and cursor pagination with a size cap.

Error shape (all 4xx):  ``{"error": {"status": 400, "code": "invalid", "message": "...", "where": "..."}}``
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, pagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from hrcoop.core.errors import DomainError


def error_body(*, status: int, code: str, message: str, where: str = "") -> dict[str, Any]:
    return {"error": {"status": status, "code": code, "message": message, "where": where}}


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


class CursorPagination(pagination.CursorPagination):
    """Stable pages over changing data; clients may ask for up to ``max_page_size`` rows."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    ordering = "-id"
