"""Every benchmark before and after a change, in one run.

Each benchmark runs alternately in a detached checkout of BASE (a temporary folder beside it) and in this
tree, each tree's script on its own code, so that whatever else the machine is doing weighs on both
alike. For each benchmark it prints the median CPU seconds of the whole process in
both trees and their ratio, then the figure lines (those that name a floor, a target or a ratio) of
each tree's last run: a slowdown of the measured part shows there beside its own floor, which the
whole-process time could hide.

Both run with this tree's virtualenv (dependencies added since BASE are there), the code chosen by
``PYTHONPATH`` and by the scripts themselves (``<tree>/src``). Where the change edited a benchmark's
script, the report says so: its two figures then measure two programs, and the floors beside them are
what stays comparable.

Not included: ``search.py`` and ``scale.py`` measure a database prepared beforehand (millions of rows;
the two trees' migrations may differ), so they are compared by running them on each tree by hand.

    .venv/bin/python bench/before_after.py BASE [--rounds 2] [--only ledger parse_resolutions ...]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Each benchmark with the arguments of a run short enough to repeat (its own defaults where they are).
BENCHMARKS: dict[str, list[str]] = {
    "parse_resolutions": ["--seconds", "3"],
    "assistance_register": [],
    "ledger": ["--events", "5000"],
    "import_upr_info": [],
    "reports": [],
    "demo_init": ["--rounds", "1"],
    "classify": [],
}
FIGURE_LINE = re.compile(r"floor|target|x the|ratio|/s\b|\bms\b", re.IGNORECASE)


@dataclass
class Runs:
    cpu: list[float] = field(default_factory=list)
    failed: bool = False
    last_output: str = ""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(name: str, *, tree: Path, runs: Runs) -> None:
    """One run of benchmark ``name`` of ``tree`` on that tree's code."""
    script = tree / "bench" / f"{name}.py"
    if not script.exists():
        runs.failed, runs.last_output = True, f"{script.relative_to(tree)} does not exist in this tree"
        return
    # A throw-away secret key: the trees' scripts may predate the server's refusal to start without one.
    env = {"HRCOOP_SECRET_KEY": secrets.token_urlsafe(50), **os.environ, "PYTHONPATH": str(tree / "src")}
    before = _children_cpu()
    done = subprocess.run(
        [sys.executable, str(script), *BENCHMARKS[name]],
        env=env,
        cwd=tree,
        capture_output=True,
        text=True,
    )
    runs.last_output = done.stdout + done.stderr
    if done.returncode != 0:
        runs.failed = True
        return
    runs.cpu.append(_children_cpu() - before)


def _figures(runs: Runs) -> list[str]:
    lines = runs.last_output.splitlines()
    if runs.failed:
        return ["failed: " + line for line in lines[-4:]]
    return [line for line in lines if FIGURE_LINE.search(line) and "Warning" not in line]


def compare(base: str, names: list[str], rounds: int) -> None:
    # Beside this tree, so that both find ../shared (the data the benchmarks read) alike.
    with tempfile.TemporaryDirectory(prefix=".hrcoop-before-", dir=REPO.parent) as folder:
        before_tree = Path(folder)
        subprocess.run(["git", "worktree", "add", "--detach", str(before_tree), base], cwd=REPO, check=True)
        try:
            for name in names:
                before, after = Runs(), Runs()
                for _ in range(rounds):
                    run_once(name, tree=before_tree, runs=before)
                    run_once(name, tree=REPO, runs=after)
                script = f"bench/{name}.py"
                changed = (
                    subprocess.run(["git", "diff", "--quiet", base, "--", script], cwd=REPO).returncode != 0
                )
                report(name, before, after, script_changed=changed)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(before_tree)], cwd=REPO, check=True)


def report(name: str, before: Runs, after: Runs, *, script_changed: bool) -> None:
    print(f"== {name}" + ("  (the change edited this benchmark's script)" if script_changed else ""))
    if before.cpu and after.cpu:
        b, a = statistics.median(before.cpu), statistics.median(after.cpu)
        print(f"   CPU of the whole run: before {b:7.1f} s, after {a:7.1f} s, after/before {a / b:5.2f}")
    for label, runs in (("before", before), ("after", after)):
        for line in _figures(runs):
            print(f"   {label:<6} | {line}")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("base", help="the commit before the change (e.g. main~5 or a hash)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), default=list(BENCHMARKS))
    args = parser.parse_args()
    compare(args.base, args.only, args.rounds)


if __name__ == "__main__":
    main()
