"""specgen's own model emitter against datamodel-code-generator, spec by spec (the differential harness).

Run from the repository root, after the test install (``pip install -e '.[test]'``):

    .venv/bin/python bench/models_diff.py [SET ...] [--only NAME ...] [--show LINES]

SET is ``specs``, ``fixtures``, ``corpus`` or ``giants`` (default: the first three). For each spec,
both ``models.py`` are built and formatted (``tests/modelgen_oracle.py``; the oracle's is cached) and
compared; a spec that differs shows the first LINES lines of the unified diff. Exit 1 if any differs.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import modelgen_oracle as harness  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sets", nargs="*", default=["specs", "fixtures", "corpus"], choices=harness.SETS)
    parser.add_argument("--only", nargs="*", default=[])
    parser.add_argument("--show", type=int, default=40)
    args = parser.parse_args()
    same = differ = failed = 0
    for which in args.sets:
        for name, path in harness.spec_paths(which):
            if args.only and name not in args.only:
                continue
            try:
                spec, api = harness.load(path)
                expected = harness.oracle(spec, api)
                started = time.perf_counter()
                got = harness.candidate(spec, api)
                seconds = time.perf_counter() - started
            except Exception:
                failed += 1
                print(f"{which}/{name}: ERROR\n{traceback.format_exc(limit=-4)}")
                continue
            if got == expected:
                same += 1
                print(f"{which}/{name}: identical ({expected.count(chr(10))} lines, {seconds:.2f} s)")
                continue
            differ += 1
            diff = list(harness.differences(expected, got))
            changed = sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))
            print(f"{which}/{name}: DIFFERS ({changed} lines changed of {expected.count(chr(10))}, {seconds:.2f} s)")
            sys.stdout.writelines(diff[: args.show])
            if len(diff) > args.show:
                print("...")
    print(f"{same} identical, {differ} differ, {failed} failed")
    return 1 if differ or failed else 0


if __name__ == "__main__":
    sys.exit(main())
