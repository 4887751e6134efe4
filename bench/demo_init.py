"""What the demo adds to ``make run``'s preparation: ``hrcoop init --demo`` beside ``hrcoop init``.

Each run starts the command as ``make run`` does, on a fresh SQLite database in a folder of its own;
the kinds alternate, so that whatever else the machine is doing weighs on all alike. Prints the
median wall-clock and CPU seconds of each and the difference (target: at most +30 s). Creating the
schema dominates both runs on an empty database, and on a shared machine its wall-clock time varies
by more than the demo costs; so the same pair is also run on a copy of a database ``hrcoop init``
prepared once (the second start of ``make run``'s floor beside the demo loaded into it), where the
difference is the demo's own. Run: ``.venv/bin/python bench/demo_init.py [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HRCOOP = Path(sys.executable).with_name("hrcoop")
TARGET_EXTRA_SECONDS = 30.0
KINDS = ("init", "init --demo", "init, prepared", "init --demo, prepared")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_init(*flags: str, prepared: Path | None = None) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one ``hrcoop init FLAGS`` on an empty SQLite database, or on a copy
    of ``prepared``."""
    with tempfile.TemporaryDirectory(prefix="hrcoop-bench-init-") as folder:
        database = Path(folder) / "hrcoop.sqlite3"
        if prepared is not None:
            shutil.copyfile(prepared, database)
        environment = {**os.environ, "HRCOOP_VAR_DIR": folder, "DATABASE_URL": f"sqlite:///{database}"}
        cpu, start = _children_cpu(), time.perf_counter()
        subprocess.run(
            [str(HRCOOP), "init", *flags], env=environment, cwd=REPO, check=True, capture_output=True
        )
        return time.perf_counter() - start, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hrcoop-bench-prepared-") as folder:
        prepared = Path(folder) / "prepared.sqlite3"
        subprocess.run(
            [str(HRCOOP), "init"],
            env={**os.environ, "HRCOOP_VAR_DIR": folder, "DATABASE_URL": f"sqlite:///{prepared}"},
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in KINDS}
        for _ in range(args.rounds):
            runs["init"].append(run_init())
            runs["init --demo"].append(run_init("--demo"))
            runs["init, prepared"].append(run_init(prepared=prepared))
            runs["init --demo, prepared"].append(run_init("--demo", prepared=prepared))
    medians = {
        name: (statistics.median(w for w, _ in timings), statistics.median(c for _, c in timings))
        for name, timings in runs.items()
    }
    for name, (wall, cpu) in medians.items():
        every = ", ".join(f"{w:.1f}" for w, _ in runs[name])
        print(f"hrcoop {name:<22} median {wall:6.1f} s wall ({every}), {cpu:6.1f} s CPU")
    for floor, demo, where in (
        ("init", "init --demo", "on an empty database"),
        ("init, prepared", "init --demo, prepared", "on a prepared database"),
    ):
        extra = medians[demo][0] - medians[floor][0]
        verdict = "met" if extra <= TARGET_EXTRA_SECONDS else "MISSED"
        print(
            f"{where}: the demo adds {extra:+.1f} s wall, {medians[demo][1] - medians[floor][1]:+.1f} s CPU"
            f" (target: at most {TARGET_EXTRA_SECONDS:+.0f} s wall: {verdict})"
        )


if __name__ == "__main__":
    main()
