"""The differential comparison of ``bench/models_diff.py`` on the hostile specs of ``tests/hostile/``.

Every hostile variation of the base spec that specgen accepts is built both ways (datamodel-code-
generator, specgen's emitter); each that differs is listed. ``--show N`` prints N lines of each diff.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import modelgen_oracle as harness  # noqa: E402
from hostile.cases import all_cases  # noqa: E402

from specgen.diagnostics import SpecError  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=20)
    args = parser.parse_args()
    same = differ = rejected = failed = 0
    with tempfile.TemporaryDirectory() as folder:
        for case in all_cases():
            path = Path(folder) / "hostile.yaml"
            try:
                path.write_text(case.spec_text(), encoding="utf-8", errors="surrogatepass")
                spec, api = harness.load(path)
            except (SpecError, RecursionError, UnicodeError, ValueError, OSError):
                rejected += 1
                continue
            try:
                expected = harness.oracle(spec, api)
            except BaseException as exc:  # DCG fails on some: nothing to compare with
                print(f"{case.id}: oracle failed ({type(exc).__name__})")
                failed += 1
                continue
            got = harness.candidate(spec, api)
            if got == expected:
                same += 1
                continue
            differ += 1
            diff = list(harness.differences(expected, got))
            print(f"{case.id}: DIFFERS")
            sys.stdout.writelines(diff[: args.show])
    print(f"{same} identical, {differ} differ, {rejected} rejected by specgen, {failed} the oracle cannot build")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
