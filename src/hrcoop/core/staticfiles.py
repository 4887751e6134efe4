"""Static files compressed once, not at every ``hrcoop init``.

WhiteNoise's ``CompressedStaticFilesStorage`` writes a Brotli and a gzip copy of every file each time
``collectstatic`` runs, changed or not: 11 s of the 12 that ``hrcoop init`` (and so ``make run``)
took on an up-to-date installation, most of it Brotli on the API documentation's JavaScript bundles.
WhiteNoise stamps each compressed copy with its source's modification time, so a copy with the
source's time is current and the file is left alone; a file collectstatic copied anew gets a new
time and is compressed again.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whitenoise.storage import CompressedStaticFilesStorage


class IncrementalCompressedStaticFilesStorage(CompressedStaticFilesStorage):
    def post_process(self, paths: dict[str, Any], dry_run: bool = False, **options: Any) -> Any:
        stale = {name: found for name, found in paths.items() if not self.compressed_copy_is_current(name)}
        return super().post_process(stale, dry_run=dry_run, **options)

    def compressed_copy_is_current(self, name: str) -> bool:
        source = Path(self.path(name))
        modified = source.stat().st_mtime
        copies = (source.with_name(source.name + suffix) for suffix in (".br", ".gz"))
        # The stamp goes through a float, so allow for its rounding.
        return any(copy.exists() and copy.stat().st_mtime >= modified - 0.001 for copy in copies)
