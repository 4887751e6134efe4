"""Prometheus metrics (django-prometheus) for the operator's scraper only.

The page exists only when ``HRCOOP_METRICS_TOKEN`` is set, and answers only a request that carries
it as a bearer token: request counts and latencies by view say how the platform is used, which is
no business of the public. Anything else gets the site's ordinary 404.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django_prometheus.exports import ExportToDjangoView


def metrics(request: HttpRequest) -> HttpResponse:
    token = settings.HRCOOP_METRICS_TOKEN
    sent = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
        raise Http404
    return ExportToDjangoView(request)
