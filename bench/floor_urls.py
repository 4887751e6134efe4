"""The platform's URLs plus one bare view, the floor of the HTTP benchmarks (bench/search.py, scale.py).

``/bench/bare/`` goes through the same gunicorn, WSGI handler and middleware as every page, and then
does nothing: no ORM, no template. What a request to it costs is what no view of ours can go under.
Served only when gunicorn runs with ``DJANGO_SETTINGS_MODULE=floor_settings`` (bench/search.py does).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from hrcoop.config.urls import urlpatterns as platform


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"{}", content_type="application/json")


urlpatterns = [path("bench/bare/", bare), *platform]
