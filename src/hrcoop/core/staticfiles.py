"""Static files fingerprinted, compressed once, and cached by browsers for a year.

``{% static %}`` names a copy whose name carries a hash of its content (``htmx-2.min.3f1c….js``,
Django's manifest storage), so a browser may keep it for a year without asking again: a new version
of the file is a new name. WhiteNoise serves the Brotli or gzip copy that the browser accepts.

WhiteNoise writes a Brotli and a gzip copy of every file each time ``collectstatic`` runs, changed or
not: 11 s of the 12 that ``hrcoop init`` (and so ``make run``) took on an up-to-date installation,
most of it Brotli on the API documentation's JavaScript bundles. WhiteNoise stamps each compressed
copy with its source's modification time, so a copy with the source's time is current and the file is
left alone; a file collectstatic copied (or hashed) anew gets a new time and is compressed again.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from whitenoise.storage import CompressedManifestStaticFilesStorage

# A fingerprinted file never changes under its name: a year, the longest lifetime caches honour.
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


class IncrementalCompressedManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def compress_files(self, paths: Iterable[str]) -> Iterator[tuple[str, str]]:
        fingerprinted = set(self.hashed_files.values())
        return super().compress_files(
            [name for name in paths if not self.compressed_copy_is_current(name, name in fingerprinted)]
        )

    def compressed_copy_is_current(self, name: str, fingerprinted: bool = False) -> bool:
        """Whether a compressed copy of ``name`` holds its content. A fingerprinted name is its
        content's hash, so any copy is current (Django writes scripts and style sheets anew under the
        same name at every collectstatic); another file's copy must be as recent as the file."""
        source = Path(self.path(name))
        modified = source.stat().st_mtime
        copies = [source.with_name(source.name + suffix) for suffix in (".br", ".gz")]
        if fingerprinted:
            return any(copy.exists() for copy in copies)
        # The stamp goes through a float, so allow for its rounding.
        return any(copy.exists() and copy.stat().st_mtime >= modified - 0.001 for copy in copies)


def cache_for_a_year(headers: Any, path: str, url: str) -> None:
    """WhiteNoise's ``WHITENOISE_ADD_HEADERS_FUNCTION``: a fingerprinted file (WhiteNoise marks it
    ``immutable``) is cached for a year rather than WhiteNoise's ten."""
    if "immutable" in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = f"max-age={IMMUTABLE_MAX_AGE}, public, immutable"
