"""What the demo adds to ``make run``'s preparation: ``hrcoop init --demo`` beside ``hrcoop init``.

Each run starts the command as ``make run`` does, on a fresh SQLite database in a folder of its own;
the two kinds alternate, so that whatever else the machine is doing weighs on both alike. Prints the
median wall-clock and CPU seconds of each and the difference (target: at most +30 s). Run:
``.venv/bin/python bench/demo_init.py [--rounds 3]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HRCOOP = Path(sys.executable).with_name("hrcoop")
TARGET_EXTRA_SECONDS = 30.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_init(*flags: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one ``hrcoop init FLAGS`` on an empty SQLite database."""
    with tempfile.TemporaryDirectory(prefix="hrcoop-bench-init-") as folder:
        environment = {
            **os.environ,
            "HRCOOP_VAR_DIR": folder,
            "DATABASE_URL": f"sqlite:///{Path(folder) / 'hrcoop.sqlite3'}",
        }
        cpu, start = _children_cpu(), time.perf_counter()
        subprocess.run(
            [str(HRCOOP), "init", *flags], env=environment, cwd=REPO, check=True, capture_output=True
        )
        return time.perf_counter() - start, _children_cpu() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    runs: dict[str, list[tuple[float, float]]] = {"init": [], "init --demo": []}
    for _ in range(args.rounds):
        runs["init"].append(run_init())
        runs["init --demo"].append(run_init("--demo"))
    medians = {
        name: (statistics.median(w for w, _ in timings), statistics.median(c for _, c in timings))
        for name, timings in runs.items()
    }
    for name, (wall, cpu) in medians.items():
        every = ", ".join(f"{w:.1f}" for w, _ in runs[name])
        print(f"hrcoop {name:<12} median {wall:6.1f} s wall ({every}), {cpu:6.1f} s CPU")
    extra = medians["init --demo"][0] - medians["init"][0]
    verdict = "met" if extra <= TARGET_EXTRA_SECONDS else "MISSED"
    print(f"the demo adds {extra:+.1f} s wall, {medians['init --demo'][1] - medians['init'][1]:+.1f} s CPU")
    print(f"target: at most {TARGET_EXTRA_SECONDS:+.0f} s: {verdict}")


if __name__ == "__main__":
    main()
