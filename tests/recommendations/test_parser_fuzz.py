"""Every import format's parser, given arbitrary and garbled files, either reads them (good rows and
rejected rows) or refuses the file with ``ImportFailed`` naming where: never another exception.

The files are built around each format's real shape (its header, its JSON keys, its cells) and then
garbled, so that the generator reaches past the first check of each parser.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hrcoop.core.errors import ImportFailed
from hrcoop.recommendations.importers import FORMATS
from hrcoop.recommendations.importers.base import ImportRejected
from hrcoop.recommendations.services.imports import import_files
from tests.recommendations.upr_info_fixtures import HEADER_2015, HEADER_2018

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Characters that parsers trip on: delimiters, quotes, line ends, NUL, a BOM, entities, other scripts.
AWKWARD = st.text(
    alphabet=st.sampled_from(list(",;\"'\r\n\t\x00\ufeff&#;()[]{}:0123456789 aéÅ中\u0627-"))
    | st.characters(),
    max_size=40,
)
CELL = st.one_of(
    AWKWARD,
    st.sampled_from(["Kenya", "Ghana", "Supported", "Noted", "Justice", "21", "5", "&#40;Unknown&#41;"]),
)


def _read_all(name: str, path: Path) -> None:
    """Parse the whole file, then import it (a dry run that writes the rejects and adds new labels, so
    that every row reaches the registry's checks); a refusal must be the import's own error, naming
    the file."""
    try:
        for _item in FORMATS[name].parse(path):
            pass
    except ImportFailed as exc:
        assert exc.file and str(exc).startswith(exc.file), exc
    try:
        import_files(
            [path],
            format_name=name,
            actor=None,
            dry_run=True,
            new_labels=True,
            # an OHCHR list is corrected and imported again whole: it offers no rejects file
            skip_invalid=None if name == "ohchr-list" else path.with_name("rejects" + path.suffix),
        )
    except ImportFailed as exc:
        assert exc.problems if isinstance(exc, ImportRejected) else exc.file, exc


def _garble(data: bytes, cuts: list[int], noise: bytes) -> bytes:
    """Truncate at a random place and splice noise in: what a broken download or editor leaves."""
    if cuts and data:
        cut = cuts[0] % (len(data) + 1)
        data = data[:cut] + noise + data[cut:][: cuts[-1] % (len(data) + 1)]
    return data


@FUZZ
@given(
    header=st.sampled_from([HEADER_2015, HEADER_2018]),
    rows=st.lists(st.lists(CELL, min_size=0, max_size=13), max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "mac_roman", "utf-16"]),
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=2),
    noise=st.binary(max_size=20),
)
def test_upr_info_csv(
    reference_data: None,
    tmp_path: Path,
    header: list[str],
    rows: list[list[str]],
    encoding: str,
    cuts: list[int],
    noise: bytes,
) -> None:
    delimiter = "," if header is HEADER_2015 else ";"
    text = "\r\n".join(delimiter.join(row) for row in [header, *rows])
    path = tmp_path / "export.csv"
    path.write_bytes(_garble(text.encode(encoding, errors="replace"), cuts, noise))
    _read_all("upr-info", path)


JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | AWKWARD,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(AWKWARD, children, max_size=3),
    max_leaves=8,
)
UHRI_KEYS = [
    "AnnotationId",
    "AnnotationType",
    "Symbol",
    "PublicationDate",
    "Body",
    "Text",
    "Countries",
    "Regions",
    "Themes",
    "AffectedPersons",
    "Sdgs",
    "UprPositions",
    "UprRecommendingCountry",
    "UprRecommendingRegions",
    "UprSession",
]
UHRI_VALUES = st.sampled_from(["Recommendation", "Kenya", "UPR", "A/HRC/21/10", "Supported", "21"])


@FUZZ
@given(
    records=st.lists(
        st.dictionaries(
            st.sampled_from(UHRI_KEYS) | AWKWARD,
            JSON_VALUE | UHRI_VALUES | st.lists(UHRI_VALUES, max_size=3),
            max_size=10,
        )
        | JSON_VALUE,
        max_size=5,
    ),
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=2),
    noise=st.binary(max_size=20),
)
def test_uhri_json(
    reference_data: None, tmp_path: Path, records: list[Any], cuts: list[int], noise: bytes
) -> None:
    path = tmp_path / "uhri.json"
    path.write_bytes(_garble(json.dumps(records).encode(), cuts, noise))
    _read_all("uhri", path)


OHCHR_LINES = st.one_of(
    AWKWARD,
    st.sampled_from(
        [
            "121.1 Ratify the Convention against Torture in Kenya (France) (Lithuania);",
            "95.2. Strengthen Kenya's national human rights institution (Ghana, Norway);",
            "Source of Position: A/HRC/43/15 - Para 121",
            "Source of position: A/HRC/21/10/Add.1 - Para.3vv",
            "Supported",
            "Noted",
            "- Acceptance of international norms",
            "A12 Acceptance of international norms",
            "SDGs:",
            "- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS",
            "S16 SDG 16 - peace",
            "Affected persons:",
            "Groups of Persons:",
            "- Disappeared persons",
            "Theme: A41 Constitutional and legislative framework",
            "UPR of Kenya (3rd Cycle - 35th session)",
            "Para. 2SupportedA12 Acceptance of international norms",
        ]
    ),
)


@FUZZ
@given(
    lines=st.lists(OHCHR_LINES, max_size=25),
    cuts=st.lists(st.integers(min_value=0, max_value=10_000), max_size=2),
    noise=st.binary(max_size=20),
)
def test_ohchr_list_text(
    reference_data: None, tmp_path: Path, lines: list[str], cuts: list[int], noise: bytes
) -> None:
    path = tmp_path / "list.txt"
    path.write_bytes(_garble("\n".join(lines).encode("utf-8", "surrogatepass"), cuts, noise))
    _read_all("ohchr-list", path)
