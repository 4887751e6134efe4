"""The public UN documents shipped in ``data/``, loaded through the importers every source goes through.

The files are gzip-compressed copies (see ``data/SOURCES.md``); the recommendation importer reads
gzip itself, the resolution importer takes text, and the SDG loader reads a folder of YAML files,
so those are unpacked into a temporary folder first.
"""

from __future__ import annotations

import gzip
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hrcoop.core.models import User
from hrcoop.mandates.services import import_resolution_text
from hrcoop.recommendations.services.imports import import_file
from hrcoop.reference.services import SDG_LANGUAGES, load_sdg_texts

DATA_DIR = Path(__file__).with_name("data")
# Slovenia's OHCHR thematic lists of recommendations for its second, third and fourth reviews.
THEMATIC_LISTS = sorted((DATA_DIR / "upr" / "svn").glob("*.txt.gz"))
# The seed resolution (HRC 47, international cooperation) and the report of the Council's
# fourteenth session, which holds resolutions 14/1 to 14/16.
RESOLUTIONS = sorted((DATA_DIR / "mandates").glob("*.txt.gz"))
SDG_DIR = DATA_DIR / "sdg"


def import_recommendations(*, actor: User | None) -> list[dict[str, Any]]:
    return [import_file(path, format_name="ohchr-list", actor=actor) for path in THEMATIC_LISTS]


def import_resolutions(*, actor: User | None) -> list[dict[str, Any]]:
    return [
        import_resolution_text(
            gzip.decompress(path.read_bytes()).decode("utf-8-sig"), source=path.name, actor=actor
        ).as_dict()
        for path in RESOLUTIONS
    ]


def load_sdg() -> dict[str, int]:
    with tempfile.TemporaryDirectory(prefix="hrcoop-demo-sdg-") as folder:
        for language in SDG_LANGUAGES:
            (Path(folder) / language).mkdir()
            for packed in (SDG_DIR / language).glob("*.yml.gz"):
                with gzip.open(packed) as source, (Path(folder) / language / packed.stem).open("wb") as out:
                    shutil.copyfileobj(source, out)
        return load_sdg_texts(Path(folder))
