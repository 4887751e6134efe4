"""How well suggested clusters match OHCHR's own grouping (``hrcoop tracking evaluate-clusters``).

OHCHR's thematic lists group each review's recommendations under "Theme:" headings: clusters made by
people. The evaluation imports each list into the registry (the ``ohchr-list`` importer, which drops
the headings), clusters the list's records without them (``clustering.assign``), and compares both
with the headings by adjusted Rand index and V-measure (scikit-learn).

The baseline groups the records by their first issue or theme label in the registry's order of labels
(kind, then code), the way a grouping "by issue" of the registry's data would. The registry keeps a
record's labels as a set; in the list itself the first theme written under a recommendation is always
the heading it sits under, so a grouping by the *written* first theme would be the answer itself. The
report says, per list, how often that holds (``first_written_theme_is_heading``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sklearn.metrics import adjusted_rand_score, v_measure_score

from hrcoop.core.models import User
from hrcoop.recommendations.importers.base import ParsedRecommendation
from hrcoop.recommendations.importers.ohchr_list import PARAGRAPH, THEME_HEADING, OhchrListParser
from hrcoop.recommendations.models import Recommendation
from hrcoop.recommendations.services.imports import import_file
from hrcoop.tracking.clustering import NAMING_KINDS, accepted_labels, assign, cluster_count

THEMATIC_LIST = re.compile(r"thematic.?list", re.IGNORECASE)


@dataclass(frozen=True)
class Heading:
    text: str
    row: int


def headings(path: Path) -> list[Heading]:
    """The "Theme:" headings of a list with their line numbers (numbered as the importer numbers rows)."""
    with path.open(encoding="utf-8-sig", newline=None) as handle:
        return [
            Heading(" ".join(html.unescape(line).split())[len("Theme:") :].strip(), row)
            for row, line in enumerate(handle, start=1)
            if THEME_HEADING.match(line.strip())
        ]


def first_written_themes(path: Path) -> dict[int, str]:
    """Line number of each recommendation -> the first theme line written under it."""
    first: dict[int, str] = {}
    current: int | None = None
    with path.open(encoding="utf-8-sig", newline=None) as handle:
        for row, raw in enumerate(handle, start=1):
            line = " ".join(html.unescape(raw).split())
            if PARAGRAPH.match(line):
                current = row
            elif (
                current is not None
                and current not in first
                and (line.startswith("- ") or re.match(r"^[A-H]\d{1,2} ", line))
            ):
                first[current] = re.sub(r"^(?:- |[A-H]\d{1,2} )", "", line)
    return first


def thematic_lists(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("cycle*/*.txt") if THEMATIC_LIST.search(p.name))


def evaluate_list(path: Path, *, actor: User | None = None) -> dict[str, Any]:
    """Import one list and measure the suggested clusters and the baseline against its headings."""
    import_file(path, format_name="ohchr-list", actor=actor)
    marks = headings(path)
    written = first_written_themes(path)
    heading_of: dict[str, str] = {}
    agreeing = total = 0
    sessions: set[int | None] = set()
    for item in OhchrListParser().parse(path):
        if not isinstance(item, ParsedRecommendation):  # the file imported whole above: no rejects
            continue
        sessions.add(item.session)
        heading = next((h.text for h in reversed(marks) if h.row < item.row), "")
        heading_of.setdefault(item.source_id, heading)
        total += 1
        agreeing += written.get(item.row, "").casefold() in heading.casefold()
    records: Sequence[Recommendation] = list(
        Recommendation.objects.filter(source_id__in=heading_of, session__number__in=sessions).order_by("pk")
    )
    truth = [heading_of[r.source_id] for r in records]
    labels = accepted_labels(records)
    baseline = [next((code for kind, code, _ in labels[r.pk] if kind in NAMING_KINDS), "") for r in records]
    suggested = assign(records)
    return {
        "file": path.name,
        "recommendations": len(records),
        "headings": len(set(truth)),
        "clusters_asked": cluster_count(len(records)),
        "adjusted_rand": round(float(adjusted_rand_score(truth, suggested)), 4),
        "v_measure": round(float(v_measure_score(truth, suggested)), 4),
        "baseline": {
            "groups": len(set(baseline)),
            "adjusted_rand": round(float(adjusted_rand_score(truth, baseline)), 4),
            "v_measure": round(float(v_measure_score(truth, baseline)), 4),
        },
        "first_written_theme_is_heading": round(agreeing / total, 4) if total else None,
    }


def summary(per_list: list[dict[str, Any]]) -> dict[str, Any]:
    """The mean over the lists, in the shape the issue asks for."""

    def mean(values: list[float]) -> float:
        return round(sum(values) / len(values), 4) if values else 0.0

    return {
        "lists": len(per_list),
        "adjusted_rand": mean([r["adjusted_rand"] for r in per_list]),
        "v_measure": mean([r["v_measure"] for r in per_list]),
        "baseline": {
            "adjusted_rand": mean([r["baseline"]["adjusted_rand"] for r in per_list]),
            "v_measure": mean([r["baseline"]["v_measure"] for r in per_list]),
        },
    }
