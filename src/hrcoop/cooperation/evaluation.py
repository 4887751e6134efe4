"""How well the matcher ranks offers for real needs, beside a keyword-overlap baseline in the same run.

The set (docs/cooperation.md, "Measuring the matcher"): every distinct recommendation of the UPR Info
export in ``../shared/data/upr_info_terman`` whose issues include "Technical assistance and
cooperation" or whose action category is 1 ("seek/request technical assistance"), and the French and
Spanish needs of ``data/evaluation.yml``; against the offers of that file, written for real issue
areas. An offer is relevant to a need when they share an issue of UPR Info's taxonomy (the
annotators' labels of the recommendation; the catch-alls "Technical assistance and cooperation",
"General" and "Other" do not count). Needs with no relevant offer are left out. Neither ranker sees the
issues: both read only the texts.

Figures: precision at 5 (relevant offers among the first five, over five) and mean reciprocal rank
(one over the rank of the first relevant offer), averaged over the needs.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import snowballstemmer
import yaml
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

from hrcoop.cooperation.matching import combined_score
from hrcoop.cooperation.vectors import encode
from hrcoop.core.errors import InvalidInput
from hrcoop.recommendations.importers.upr_info import ISSUES_FILE

EVALUATION_FILE = Path(__file__).with_name("data") / "evaluation.yml"
UPR_INFO_FILES = "upr_info_terman/upr_info_sessions_*.csv.gz"
ASSISTANCE_ISSUE = "technical-assistance-and-cooperation"
NOT_AN_AREA = frozenset({ASSISTANCE_ISSUE, "general", "other"})
CUTOFF = 5


@dataclass(frozen=True)
class Case:
    text: str
    language: str
    relevant: frozenset[str]  # keys of the relevant offers


def _fold(name: str) -> str:
    return " ".join(name.lower().replace("&#40;", "(").replace("&#41;", ")").split())


def issue_codes() -> dict[str, str]:
    """Every spelling of an issue in the exports (name and aliases, folded) -> its code."""
    codes: dict[str, str] = {}
    with ISSUES_FILE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            for name in [row["name"], *filter(None, row["aliases"].split("|"))]:
                codes[_fold(name)] = row["code"]
    return codes


def recommendations_asking_for_assistance(data_dir: Path) -> Iterator[tuple[str, set[str]]]:
    """(text, issue codes) of each distinct recommendation that asks for assistance, in file order."""
    codes = issue_codes()
    seen: set[str] = set()
    for path in sorted(data_dir.glob(UPR_INFO_FILES)):
        with gzip.open(path) as raw:
            for row in csv.DictReader(io.TextIOWrapper(raw, encoding="mac_roman", newline="")):
                issues = {codes.get(_fold(i), "") for i in row["Issue"].split(",") if i.strip()} - {""}
                text = " ".join(row["Text"].split())
                if (ASSISTANCE_ISSUE in issues or row["Action"].strip() == "1") and text not in seen:
                    seen.add(text)
                    yield text, issues


def build_cases(data_dir: Path) -> tuple[list[dict[str, Any]], list[Case]]:
    spec = yaml.safe_load(EVALUATION_FILE.read_text(encoding="utf-8"))
    offers = spec["offers"]
    areas = {o["key"]: set(o["issues"]) for o in offers}

    def relevant(issues: set[str]) -> frozenset[str]:
        wanted = issues - NOT_AN_AREA
        return frozenset(key for key, answered in areas.items() if answered & wanted)

    cases = [
        Case(text, "en", relevant(issues)) for text, issues in recommendations_asking_for_assistance(data_dir)
    ]
    if not cases:
        raise InvalidInput(
            f"no recommendations asking for assistance in {data_dir / UPR_INFO_FILES}: give the shared data "
            "folder with --data",
            where="--data",
        )
    cases += [
        Case(" ".join(n["text"].split()), n["language"], relevant(set(n["issues"]))) for n in spec["needs"]
    ]
    return offers, [c for c in cases if c.relevant]


_WORD = re.compile(r"[^\W\d_]{3,}")
_stemmer = snowballstemmer.stemmer("english")


def keywords(text: str) -> set[str]:
    words = [w for w in _WORD.findall(text.lower()) if w not in ENGLISH_STOP_WORDS]
    return set(_stemmer.stemWords(words))


def keyword_ranker(offer_texts: list[str]) -> Callable[[list[str]], np.ndarray]:
    """The baseline: shared stemmed keywords (stop words out), normalised as a cosine of sets."""
    offer_words = [keywords(t) for t in offer_texts]

    def scores(texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(offer_words)))
        for i, text in enumerate(texts):
            need = keywords(text)
            for j, words in enumerate(offer_words):
                if need and words:
                    out[i, j] = len(need & words) / math.sqrt(len(need) * len(words))
        return out

    return scores


def vector_ranker(offer_texts: list[str]) -> Callable[[list[str]], np.ndarray]:
    """The matcher's text score (``matching.combined_score`` with nothing declared in common)."""
    offer_vectors = encode(offer_texts)

    def scores(texts: list[str]) -> np.ndarray:
        similarity = encode(texts) @ offer_vectors.T
        return np.vectorize(lambda s: combined_score(float(s), shared_themes=0, shared_sdgs=0, past=False))(
            similarity
        )

    return scores


def measure(scores: np.ndarray, keys: list[str], cases: list[Case]) -> dict[str, float]:
    precision = reciprocal = 0.0
    for row, case in zip(scores, cases, strict=True):
        order = [keys[j] for j in sorted(range(len(keys)), key=lambda j: (-row[j], j))]
        precision += sum(key in case.relevant for key in order[:CUTOFF]) / CUTOFF
        first = next(rank for rank, key in enumerate(order, 1) if key in case.relevant)
        reciprocal += 1 / first
    return {"precision_at_5": round(precision / len(cases), 4), "mrr": round(reciprocal / len(cases), 4)}


def evaluate(data_dir: Path) -> dict[str, Any]:
    offers, cases = build_cases(data_dir)
    keys = [o["key"] for o in offers]
    offer_texts = [f"{o['title']}. {o['description']}" for o in offers]
    texts = [c.text for c in cases]
    matcher_scores = vector_ranker(offer_texts)(texts)
    baseline_scores = keyword_ranker(offer_texts)(texts)
    by_language: dict[str, dict[str, float]] = {}
    for language in sorted({c.language for c in cases}):
        rows = [i for i, c in enumerate(cases) if c.language == language]
        subset = [cases[i] for i in rows]
        mine, theirs = (
            measure(matcher_scores[rows], keys, subset),
            measure(baseline_scores[rows], keys, subset),
        )
        by_language[language] = {
            "needs": len(subset),
            **{f"matcher_{k}": v for k, v in mine.items()},
            **{f"baseline_{k}": v for k, v in theirs.items()},
        }
    ceiling = sum(min(len(c.relevant), CUTOFF) for c in cases) / CUTOFF / len(cases)
    return {
        **measure(matcher_scores, keys, cases),
        "baseline": measure(baseline_scores, keys, cases),
        "pairs": len(cases),
        "offers": len(offers),
        "best_possible_precision_at_5": round(ceiling, 4),
        "by_language": by_language,
    }
