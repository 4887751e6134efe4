"""Benchmark: train the issue and action-category models on the 41,066 UPR Info rows, then tag them.

Targets (issues 7 and 18): training on 41k records under 3 minutes of CPU (``time.process_time``,
both cores' work counted, since the machine is shared and wall time says more about the neighbours
than about the code), inference at least 2,000 recommendations a second on this 2-core machine.
The floor, measured in the same run: the time merely to vectorise the texts with the same features
as each task (fit the vocabularies on all texts; transform them again), which every text model has
to pay before it learns or predicts anything.

The texts and labels are read from the UPR Info export in ../shared/data (as `hrcoop import
upr-info` would store them); no database is needed, as the models themselves are free of Django.

    .venv/bin/python bench/classify.py
"""

from __future__ import annotations

import csv
import gzip
import io
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DATA = REPO.parent / "shared" / "data" / "upr_info_terman"
SESSION_FILES = ["1-5", "6-9", "10-13", "14-17", "17-20"]
sys.path.insert(0, str(REPO / "src"))

from hrcoop.recommendations.classification.learn import (  # noqa: E402
    MultiLabelModel,
    SingleLabelModel,
    make_action_featurizer,
    make_issue_featurizer,
)


def read_rows() -> tuple[list[str], list[list[str]], list[str], list[int]]:
    texts: list[str] = []
    issues: list[list[str]] = []
    actions: list[str] = []
    sessions: list[int] = []
    for name in SESSION_FILES:
        path = DATA / f"upr_info_sessions_{name}.csv.gz"
        with io.TextIOWrapper(gzip.open(path), encoding="mac_roman", newline="") as handle:
            for row in csv.DictReader(handle):
                texts.append(row["Text"].strip())
                issues.append(sorted({i.strip() for i in row["Issue"].split(",") if i.strip()}))
                actions.append(row["Action"].strip())
                sessions.append(int(row["Session"]))
    return texts, issues, actions, sessions


def timed(label: str, seconds: float, records: int) -> None:
    print(f"{label:58} {seconds:7.1f} s of CPU  {records / seconds:9,.0f} records/s")


def main() -> None:
    if not DATA.exists():
        sys.exit(f"the UPR Info export is not at {DATA}")
    texts, issues, actions, sessions = read_rows()
    n = len(texts)
    print(f"{n:,} UPR Info rows (sessions 1-20)")

    featurizers = [make_issue_featurizer(n), make_action_featurizer(n)]
    started = time.process_time()
    for featurizer in featurizers:
        featurizer.fit_transform(texts)
    floor_fit = time.process_time() - started
    started = time.process_time()
    for featurizer in featurizers:
        featurizer.transform(texts)
    floor_transform = time.process_time() - started

    started = time.process_time()
    issue_model = MultiLabelModel.train(texts, issues, groups=sessions)
    issue_seconds = time.process_time() - started
    started = time.process_time()
    action_model = SingleLabelModel.train(texts, actions, groups=sessions)
    action_seconds = time.process_time() - started

    started = time.process_time()
    issue_model.predict(texts)
    action_model.predict(texts)
    inference = time.process_time() - started

    print("floor: vectorise only")
    timed("  fit vocabularies + vectorise, both tasks' features", floor_fit, n)
    timed("  vectorise with fitted vocabularies, both tasks' features", floor_transform, n)
    print("training (out-of-fold or held-out scores, thresholds, calibration, refit)")
    timed("  issues (54 labels, 3 scoring folds + refit)", issue_seconds, n)
    timed("  action category (5 classes)", action_seconds, n)
    timed("  both tasks (target < 180 s of CPU)", issue_seconds + action_seconds, n)
    print("inference")
    timed("  issues + action category (target >= 2,000/s)", inference, n)
    print(
        f"training is {(issue_seconds + action_seconds) / floor_fit:.1f}x the floor; "
        f"inference is {inference / floor_transform:.2f}x the time to vectorise the texts for both tasks"
    )


if __name__ == "__main__":
    main()
