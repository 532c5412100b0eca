"""Time ``specgen check`` (answered from the manifest) against ``specgen check --full`` (regenerate
and compare), each in fresh processes on this repository's tree, as CI and pre-commit run them.

Run from the repository root:  .venv/bin/python bench/check.py [--fast-runs 7] [--full-runs 3]
Prints the median, min and max wall seconds of each side by side, and the ratio of the medians.
Every run must exit 0: on a stale tree the figures would time something else.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The ``specgen`` command next to this interpreter (the one a user runs), else ``python -m specgen``.
_SCRIPT = Path(sys.executable).with_name("specgen")
SPECGEN = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "specgen"]


def timed(args: list[str], runs: int) -> list[float]:
    """Wall seconds of ``runs`` runs of ``specgen ARGS`` in ROOT, in fresh processes."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run([*SPECGEN, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - start)
        if result.returncode != 0:
            sys.exit(f"`specgen {' '.join(args)}` exited {result.returncode}:\n{result.stdout}{result.stderr}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fast-runs", type=int, default=7)
    parser.add_argument("--full-runs", type=int, default=3)
    options = parser.parse_args()
    rows = {"check": timed(["check"], options.fast_runs), "check --full": timed(["check", "--full"], options.full_runs)}
    print(f"specgen check on {ROOT.name}/ ({len(list((ROOT / 'specs').glob('*.yaml')))} specs), wall seconds")
    print(f"  {'command':<16}{'runs':>5}{'median':>9}{'min':>9}{'max':>9}")
    for name, times in rows.items():
        print(f"  {name:<16}{len(times):>5}{statistics.median(times):>9.3f}{min(times):>9.3f}{max(times):>9.3f}")
    fast, full = (statistics.median(t) for t in rows.values())
    print(f"  ratio of the medians (--full / manifest): {full / fast:.1f}x")


if __name__ == "__main__":
    main()
