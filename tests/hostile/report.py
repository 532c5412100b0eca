"""Run the hostile cases outside pytest and print what fails: ``python tests/hostile/report.py [-k TEXT] [--json FILE]``."""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hostile.cases import CASES  # noqa: E402
from hostile.harness import run_cases  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-k", default="", help="only cases whose id contains this")
    parser.add_argument("--json", type=Path, help="write every outcome here")
    args = parser.parse_args()
    cases = [c for c in CASES if args.k in c.id]
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as work:
        outcomes = run_cases(cases, Path(work))
    elapsed = time.monotonic() - started
    failing = [o for o in outcomes.values() if o.problems or o.status == "failed"]
    for outcome in failing:
        print(f"{outcome.case_id}\t{outcome.exit_code}\t{outcome.seconds:.1f}s\t{' | '.join(outcome.problems)}")
    statuses = [o.status for o in outcomes.values()]
    print(f"{len(cases)} cases in {elapsed:.0f} s: {statuses.count('accepted')} accepted, "
          f"{statuses.count('rejected')} rejected, {len(failing)} failing", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps([
            {"id": o.case_id, "status": o.status, "exit_code": o.exit_code, "seconds": round(o.seconds, 2),
             "problems": o.problems} for o in outcomes.values()], indent=1))


if __name__ == "__main__":
    main()
