"""Resolutions parsed per second on one core, beside the floor of merely reading and splitting the lines.

Corpus: the seed resolution and the 35 texts (16 resolutions, 19 decisions) of the Council session report
A/HRC/14/37 in ../shared/data. Run: ``.venv/bin/python bench/parse_resolutions.py [--seconds 5]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "src"))

from hrcoop.mandates.parsing import parse_resolution, split_session_report  # noqa: E402

SHARED = REPO.parent / "shared"
TARGET_PER_SECOND = 20


def corpus() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted((SHARED / "seed").glob("*.txt"))]
    report = SHARED / "data" / "upr_docs_slovenia" / "cycle1" / "g1217781.txt"
    if report.exists():
        texts += [part.text for part in split_session_report(report.read_text(encoding="utf-8"))]
    if not texts:
        raise SystemExit(
            f"no texts found under {SHARED}: the benchmark reads ../shared/seed and ../shared/data"
        )
    return texts


def rate(texts: list[str], work: Callable[[str], object], seconds: float) -> float:
    """Texts per second over whole passes of the corpus, for at least ``seconds``."""
    done = 0
    start = time.perf_counter()
    while True:
        for text in texts:
            work(text)
        done += len(texts)
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return done / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    texts = corpus()
    words = sum(len(t.split()) for t in texts)
    floor = rate(texts, lambda t: t.splitlines(), args.seconds)
    parsed = rate(texts, parse_resolution, args.seconds)
    print(f"corpus: {len(texts)} texts, {words} words (mean {words // len(texts)} words per text)")
    print(f"floor (read and split lines): {floor:12.1f} texts/s")
    print(f"parse_resolution:             {parsed:12.1f} resolutions/s  (target >= {TARGET_PER_SECOND}/s)")
    verdict = "met" if parsed >= TARGET_PER_SECOND else "MISSED"
    print(f"parse costs {floor / parsed:.0f}x the floor; target {verdict}")


if __name__ == "__main__":
    main()
