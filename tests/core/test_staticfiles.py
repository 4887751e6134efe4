"""Static files are compressed when they change, not at every ``collectstatic`` (``hrcoop init``)."""

from __future__ import annotations

import os
from pathlib import Path

from hrcoop.core.staticfiles import IncrementalCompressedStaticFilesStorage


def collect(storage: IncrementalCompressedStaticFilesStorage, *names: str) -> set[str]:
    """What post-processing wrote, as collectstatic would run it over ``names``."""
    return {written for _, written, _ in storage.post_process({name: None for name in names})}


def test_only_a_changed_file_is_compressed_again(tmp_path: Path) -> None:
    storage = IncrementalCompressedStaticFilesStorage(location=str(tmp_path))
    script, sheet = tmp_path / "app.js", tmp_path / "site.css"
    script.write_text("function f() { return 1; }\n" * 200)
    sheet.write_text("body { margin: 0; }\n" * 200)

    assert collect(storage, "app.js", "site.css") == {"app.js.br", "app.js.gz", "site.css.br", "site.css.gz"}
    assert collect(storage, "app.js", "site.css") == set()  # nothing changed: nothing compressed

    script.write_text("function g() { return 2; }\n" * 200)
    later = sheet.stat().st_mtime + 5
    os.utime(script, (later, later))  # what collectstatic does when it copies a changed file
    assert collect(storage, "app.js", "site.css") == {"app.js.br", "app.js.gz"}
    assert (tmp_path / "app.js.gz").stat().st_mtime == script.stat().st_mtime
