"""Checks of the deployment: no server without a secret key; ``check --deploy`` says what is missing.

The settings give no default key (a key in public code signs sessions and password-reset links for
anyone who reads it), so commands that sign nothing still run without one, and the server does not.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

NO_KEY = (
    "HRCOOP_SECRET_KEY (or HRCOOP_SECRET_KEY_FILE) is not set: the server will not start without a "
    "secret key. Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
)


def _has_secret_key() -> bool:
    try:
        return bool(settings.SECRET_KEY)
    except ImproperlyConfigured:  # Django's own answer to an empty key
        return False


def refuse_to_serve_without_a_secret_key() -> None:
    """Called as the WSGI and ASGI applications load: gunicorn and runserver stop here, with the reason."""
    if not _has_secret_key():
        raise ImproperlyConfigured(NO_KEY)


@checks.register(checks.Tags.security, deploy=True)
def secret_key_is_set(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    return [] if _has_secret_key() else [checks.Error(NO_KEY, id="hrcoop.E001")]


LOOPBACK_SITE_URL = (
    "HRCOOP_SITE_URL is %s: links in e-mail (a question to a State, a reminder) would point at this "
    "machine rather than at the site. Set it to the public address, e.g. https://hrcoop.example.org"
)


@checks.register(checks.Tags.security, deploy=True)
def site_url_is_public(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    host = urlsplit(settings.SITE_URL).hostname or ""
    loopback = host == "localhost" or host.startswith("127.") or host == "::1"
    return [checks.Warning(LOOPBACK_SITE_URL % settings.SITE_URL, id="hrcoop.W001")] if loopback else []
