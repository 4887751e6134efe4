"""Static files are fingerprinted, compressed once (when they change, not at every ``collectstatic``)
and cached for a year; pages are gzip-compressed for browsers that accept it (issue 25)."""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import django_htmx
import pytest
from django.templatetags.static import static
from django.test import Client, override_settings
from django.urls import reverse

from hrcoop.core.staticfiles import IMMUTABLE_MAX_AGE, IncrementalCompressedManifestStaticFilesStorage

HTMX = "django_htmx/htmx-2.min.js"


def collect(storage: IncrementalCompressedManifestStaticFilesStorage, *names: str) -> set[str]:
    """The compressed copies post-processing wrote, as collectstatic runs it over ``names`` (copied
    into the storage's folder already)."""
    return {
        written
        for _, written, _ in storage.post_process({name: (storage, name) for name in names})
        if written and written.endswith((".br", ".gz"))
    }


def test_only_a_changed_file_is_compressed_again(tmp_path: Path) -> None:
    storage = IncrementalCompressedManifestStaticFilesStorage(location=str(tmp_path))
    script, sheet = tmp_path / "app.js", tmp_path / "site.css"
    script.write_text("function f() { return 1; }\n" * 200)
    sheet.write_text("body { margin: 0; }\n" * 200)

    first = collect(storage, "app.js", "site.css")
    assert {"app.js.gz", "site.css.br"} <= first
    hashed = storage.stored_name("app.js")
    assert hashed != "app.js" and f"{hashed}.gz" in first  # the fingerprinted copy too
    assert collect(storage, "app.js", "site.css") == set()  # nothing changed: nothing compressed

    script.write_text("function g() { return 2; }\n" * 200)
    later = sheet.stat().st_mtime + 5
    os.utime(script, (later, later))  # what collectstatic does when it copies a changed file
    again = collect(storage, "app.js", "site.css")
    assert "app.js.gz" in again and not any(name.startswith("site.") for name in again)
    assert (tmp_path / "app.js.gz").stat().st_mtime == script.stat().st_mtime


@pytest.fixture
def collected(tmp_path: Path) -> Path:
    """htmx collected as ``hrcoop init`` collects it: fingerprinted, compressed, in a manifest."""
    source = Path(django_htmx.__file__).parent / "static" / HTMX
    (tmp_path / HTMX).parent.mkdir(parents=True)
    shutil.copy2(source, tmp_path / HTMX)
    collect(IncrementalCompressedManifestStaticFilesStorage(location=str(tmp_path)), HTMX)
    return tmp_path


def test_a_static_file_is_fingerprinted_served_compressed_and_cached_for_a_year(collected: Path) -> None:
    storage = "hrcoop.core.staticfiles.IncrementalCompressedManifestStaticFilesStorage"
    with override_settings(
        STATIC_ROOT=str(collected),
        STORAGES={"staticfiles": {"BACKEND": storage}},
        WHITENOISE_USE_FINDERS=False,
    ):
        url = static(HTMX)
        answer = Client().get(url, headers={"accept-encoding": "gzip"})
        plain = Client().get(url)

    assert url != f"/static/{HTMX}" and url.endswith(".js")  # a hash in the name
    assert answer.status_code == 200
    assert answer["Content-Encoding"] == "gzip"
    assert answer["Cache-Control"] == f"max-age={IMMUTABLE_MAX_AGE}, public, immutable"
    body = b"".join(answer.streaming_content)
    original = (collected / HTMX).read_bytes()
    assert gzip.decompress(body) == original and len(body) < len(original) / 2
    assert "Content-Encoding" not in plain


@pytest.mark.django_db
def test_a_page_is_gzip_compressed_when_the_browser_accepts_it(reference_data: None) -> None:
    answer = Client().get(reverse("portal:home"), headers={"accept-encoding": "gzip"})
    plain = Client().get(reverse("portal:home"))

    assert answer.status_code == plain.status_code == 200
    assert answer["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(answer.content)
    assert "Content-Encoding" not in plain and b"<html" in plain.content
