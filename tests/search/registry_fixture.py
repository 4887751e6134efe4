"""A small registry imported as an operator would: a UPR Info export file through the import service.

Fiji, the State of the researcher's journey, has fewer recommendations than each of 22 other States,
so it is not among the values a facet shows first: it must be reached through "show all" or the
type-ahead box, as most States must in the real registry.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hrcoop.recommendations.services.imports import import_files
from hrcoop.reference.models import State
from tests.conftest import committed
from tests.recommendations.upr_info_fixtures import write_2018

# (text, recommending State, response, action category, issues, session); session 20 is in cycle 2.
FIJI = [
    ("Abolish the death penalty for all crimes", "NOR", "Noted", "5", "Death penalty", "20"),
    (
        "Ratify the Convention against Torture and its Optional Protocol",
        "FRA",
        "Noted",
        "5",
        "Torture and other CID treatment, International instruments",
        "20",
    ),
    ("Strengthen the independence of the judiciary", "AUS", "Supported", "4", "Justice", "20"),
    ("Criminalise marital rape in all circumstances", "ESP", "Noted", "4", "Women's rights", "34"),
]
OTHERS = [
    "GHA", "KEN", "NOR", "PER", "WSM", "TON", "JPN", "MEX", "NPL", "OMN", "QAT",
    "RWA", "SEN", "UGA", "URY", "VNM", "ZMB", "MNG", "NZL", "PNG", "THA", "TUN",
]  # fmt: skip
TOPICS = [
    ("Adopt a national action plan against corruption", "Corruption", "Noted", "3", "21"),
    ("Protect civil society organisations from harassment", "Civil society", "Supported", "4", "21"),
    ("Guarantee access to justice for rural communities", "Justice", "Supported", "4", "34"),
    ("Ensure equal pay for women and men", "Women's rights", "Supported", "3", "34"),
    ("Establish a moratorium on the death penalty", "Death penalty", "Noted", "5", "20"),
]


def import_registry(tmp_path: Path) -> dict[str, Any]:
    """Import the file; return the import's report."""
    names = {s.iso3: s.name for s in State.objects.all()}
    rows = [
        ("Fiji", text, names[by], response, action, issues, session)
        for text, by, response, action, issues, session in FIJI
    ]
    for iso3 in OTHERS:
        by = "FRA" if iso3 != "FRA" else "NOR"
        rows += [
            (names[iso3], f"{text} in {names[iso3]}", names[by], response, action, issue, session)
            for text, issue, response, action, session in TOPICS
        ]
    with committed():  # and indexed, as shortly after a real import
        [report] = import_files(
            [write_2018(tmp_path / "upr-info.csv", rows)], format_name="upr-info", actor=None
        )
    return report
