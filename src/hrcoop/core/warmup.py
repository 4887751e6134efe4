"""What a server loads before it serves, so that no visitor waits for it.

Django reads the URLconf, the URL names of each language, the translation catalogues and every template
lazily, in the first request that needs each: a worker's first record page waited seconds for them. With
gunicorn's ``preload_app`` (``config/gunicorn.py``) the master loads them once and every worker it forks
shares them. Nothing here touches the database: a connection opened before the fork would be shared.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation

import hrcoop


def load_before_serving() -> None:
    resolver = get_resolver()
    resolver.url_patterns  # noqa: B018  (every app's views imported)
    for language, _ in settings.LANGUAGES:
        with translation.override(language):  # its catalogue, and the URL names under its prefix
            resolver.reverse_dict  # noqa: B018
    for name in template_names():
        get_template(name)  # compiled once, kept by the cached loader


def template_names() -> list[str]:
    """Every template of the platform's own apps (the libraries' are loaded when used: some ship
    templates for packages that are not installed)."""
    package = Path(hrcoop.__file__).parent
    names: set[str] = set()
    for engine in engines.all():
        for folder in map(Path, engine.template_dirs):
            if folder.is_relative_to(package):
                names.update(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())
    return sorted(names)
