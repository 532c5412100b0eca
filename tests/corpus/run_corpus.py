"""The real-spec corpus from a shell, with the full report (the test asserts the same run's figures).

    python tests/corpus/run_corpus.py [--sample tests/corpus/sample.txt] [--json report.json] [-k TEXT]

``--draw N`` redraws the sample (N files, seed ``corpus.SEED``). See ``corpus.py`` for the stages.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=Path, default=corpus.SAMPLE)
    parser.add_argument("--draw", type=int, help=f"draw a new sample of this size (seed {corpus.SEED})")
    parser.add_argument("--json", type=Path)
    parser.add_argument("-k", default="", help="only the specs whose file name contains this")
    args = parser.parse_args()
    if args.draw:
        names = sorted(p.name for p in corpus.fetch().glob("*.json"))
        args.sample.write_text("\n".join(sorted(random.Random(corpus.SEED).sample(names, args.draw))) + "\n")
    names = [name for name in corpus.sample(args.sample) if args.k in name]
    work = Path(tempfile.mkdtemp(prefix="specgen-corpus-"))
    started = time.monotonic()
    results = corpus.run_all(names, work)
    print(corpus.report(results))
    print(f"{time.monotonic() - started:.0f} s (work folder {work})", file=sys.stderr)
    if args.json:
        args.json.write_text(corpus.to_json(results))


if __name__ == "__main__":
    main()
