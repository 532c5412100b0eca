"""Run hostile specs through ``specgen generate`` and judge the outcome: accepted or rejected, nothing else.

* **accepted**: exit 0; in a fresh process every module compiles, the package, its models and every
  resource import, both clients construct (:mod:`hostile.importcheck`); no canary fired (no
  ``MARKER`` file anywhere, no exit during import); and ``mypy --strict`` passes on the package
  (one mypy run over every accepted package of the session, see :func:`mypy_all`).
* **rejected**: exit 2; stderr has ``<spec file>:<line>: error:`` with 0 < line <= lines in the file;
  no ``Traceback``; the output folder, pre-filled with the base package, is byte-identical.

Anything else (exit 1, a traceback, a timeout, running out of memory, output changed on rejection,
accepted but not importable or not type-clean) is a failure, reported with its symptom.

Each specgen run is a child process forked from a warm interpreter (:mod:`hostile.forkserver`), with
a timeout and ``RLIMIT_AS``; see there for why.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hostile import base as base_spec
from hostile.forkserver import MEMORY_LIMIT, NEEDS_FRESH_INTERPRETER
from hostile.importcheck import OK_LINE

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
SPEC_NAME = "hostile.yaml"
TIMEOUT = 10.0  # generating the base spec takes 0.2 s, the largest case 2 s: this is a hang
WORKERS = 2
MARKER = "MARKER"
IGNORED = ("__pycache__", ".mypy_cache")

Edit = Callable[[dict[str, Any]], None]
TextEdit = Callable[[str], str]


@dataclass(frozen=True)
class Case:
    """One hostile spec: the base spec with ``edit`` applied to the dict, then ``text`` to the YAML."""

    id: str
    edit: Edit | None = None
    text: TextEdit | None = None
    expect: str = "either"  # "either", or "accepted" / "rejected" where only one is right
    checks: str = ""  # Python run after import when accepted (see hostile.importcheck)
    forbid: tuple[str, ...] = ()  # must not appear in any generated file when accepted

    def spec_text(self) -> str:
        spec = base_spec.base()
        if self.edit:
            self.edit(spec)
        text = base_spec.dump(spec)
        return self.text(text) if self.text else text


@dataclass
class Outcome:
    case_id: str
    status: str = "failed"  # "accepted", "rejected" or "failed"
    problems: list[str] = field(default_factory=list)
    package: str = ""
    package_dir: Path | None = None
    exit_code: int | None = None
    stderr: str = ""
    seconds: float = 0.0

    def fail(self, message: str) -> None:
        self.status = "failed"
        self.problems.append(message)


# -- running --------------------------------------------------------------------------------------


class _Server:
    """One :mod:`hostile.forkserver` process."""

    def __init__(self, mode: str, *extra: str) -> None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), str(ROOT)])}
        self.process = subprocess.Popen(
            [sys.executable, str(TESTS / "hostile" / "forkserver.py"), mode, *extra],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT,
        )
        assert self.process.stdout is not None
        ready = self.process.stdout.readline()
        if ready.strip() != "ready":
            raise RuntimeError(f"fork server ({mode}) did not start: {ready!r}")

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(job) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("fork server died")
        result: dict[str, Any] = json.loads(line)
        return result

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.wait(timeout=30)


class Runner:
    """Fork servers per worker thread, a baseline package, and a work folder per case."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._local = threading.local()
        self._servers: list[_Server] = []
        self._lock = threading.Lock()
        base_dir = workdir / "_base"
        (base_dir / "specs").mkdir(parents=True)
        self.base_spec = base_dir / "specs" / SPEC_NAME
        self.base_spec.write_text(base_spec.dump(base_spec.base()), encoding="utf-8")
        self.baseline = base_dir / "out"
        result = self._server("generate").run(self._generate_job(base_dir, self.baseline))
        if result["rc"] != 0:
            raise RuntimeError(f"the base spec does not generate: {(base_dir / 'stderr').read_text()}")
        self.baseline_snapshot = snapshot(self.baseline)
        self.warmup = base_dir / "warmup" / "specgen_hostile_warmup"
        shutil.copytree(self.baseline / base_spec.PACKAGE, self.warmup)

    def _server(self, mode: str) -> _Server:
        server = getattr(self._local, mode, None)
        if server is None:
            extra = [str(self.base_spec)] if mode == "generate" else [str(self.warmup.parent), self.warmup.name]
            server = _Server(mode, *extra)
            setattr(self._local, mode, server)
            with self._lock:
                self._servers.append(server)
        return server

    def close(self) -> None:
        for server in self._servers:
            server.close()

    @staticmethod
    def _generate_job(case_dir: Path, out: Path) -> dict[str, Any]:
        return {
            "args": ["generate", "--specs", str(case_dir / "specs"), "--out", str(out)],
            "cwd": str(case_dir), "stdout": str(case_dir / "stdout"), "stderr": str(case_dir / "stderr"),
            "timeout": TIMEOUT,
        }

    def run_case(self, case: Case) -> Outcome:
        started = time.monotonic()
        outcome = self._run_case(case)
        outcome.seconds = time.monotonic() - started
        return outcome

    def _run_case(self, case: Case) -> Outcome:
        outcome = Outcome(case.id)
        case_dir = self.workdir / re.sub(r"[^A-Za-z0-9_.-]", "_", case.id)
        (case_dir / "specs").mkdir(parents=True)
        spec = case_dir / "specs" / SPEC_NAME
        try:
            text = case.spec_text()
        except Exception as exc:  # a broken case is a broken test, not a generator bug
            outcome.fail(f"TEST BUG: the case cannot build its spec: {exc!r}")
            return outcome
        spec.write_text(text, encoding="utf-8")
        out = case_dir / "out"
        shutil.copytree(self.baseline, out)
        result = self._server("generate").run(self._generate_job(case_dir, out))
        stdout = (case_dir / "stdout").read_text(encoding="utf-8", errors="replace")
        stderr = (case_dir / "stderr").read_text(encoding="utf-8", errors="replace")
        outcome.exit_code, outcome.stderr = result["rc"], stderr
        if result["timed_out"]:
            outcome.fail(f"generate timed out after {TIMEOUT:.0f} s")
        elif result["rc"] == 2:
            _judge_rejection(outcome, spec, text, stdout, stderr, out, self.baseline_snapshot)
        elif result["rc"] == 0:
            self._judge_acceptance(outcome, case, case_dir, stdout, stderr, out)
        else:
            outcome.fail(f"generate exited {result['rc']}: {symptom(stdout + stderr)}")
        markers = [p for p in case_dir.rglob(MARKER)]
        if markers:
            outcome.fail(f"canary: injected code ran and wrote {markers[0]}")
        if case.expect != "either" and outcome.status not in ("failed", case.expect):
            outcome.fail(f"must be {case.expect}, was {outcome.status}")
        return outcome

    def _judge_acceptance(self, outcome: Outcome, case: Case, case_dir: Path, stdout: str, stderr: str,
                          out: Path) -> None:
        if "Traceback" in stdout + stderr:
            outcome.fail(f"exit 0 but a traceback was printed: {symptom(stdout + stderr)}")
            return
        match = re.search(r"^generated (.+) from ", stdout, re.M)
        if not match:
            outcome.fail(f"exit 0 but no 'generated ...' line: {stdout[:300]!r}")
            return
        package_dir = Path(match.group(1))
        package_dir = package_dir if package_dir.is_absolute() else case_dir / package_dir
        outcome.package, outcome.package_dir = package_dir.name, package_dir
        if not (package_dir / "__init__.py").is_file():
            outcome.fail(f"exit 0 but {package_dir} has no __init__.py")
            return
        job = {
            "out": str(package_dir.parent), "package": package_dir.name, "checks": case.checks,
            "cwd": str(case_dir), "stdout": str(case_dir / "import.stdout"),
            "stderr": str(case_dir / "import.stderr"), "timeout": TIMEOUT,
        }
        result = self._server("import").run(job)
        if result["rc"] == NEEDS_FRESH_INTERPRETER:
            result = _fresh_import(job)
        output = (case_dir / "import.stdout").read_text(errors="replace") + \
            (case_dir / "import.stderr").read_text(errors="replace")
        if result["timed_out"]:
            outcome.fail(f"accepted, but importing it timed out after {TIMEOUT:.0f} s")
        elif result["rc"] != 0 or OK_LINE not in output:
            outcome.fail(f"accepted, but the import check exited {result['rc']}: {symptom(output)}")
        else:
            outcome.status = "accepted"
        for forbidden in case.forbid:
            for path in sorted(package_dir.rglob("*.py")):
                if forbidden in path.read_text(encoding="utf-8", errors="replace"):
                    outcome.fail(f"accepted, but {path.relative_to(package_dir)} contains {forbidden!r}")
                    break


def _fresh_import(job: dict[str, Any]) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": str(TESTS), "PYTHONDONTWRITEBYTECODE": "1"}
    job_file = Path(job["cwd"]) / "import.json"
    job_file.write_text(json.dumps(job), encoding="utf-8")
    with open(job["stdout"], "w") as out, open(job["stderr"], "w") as err:
        try:
            process = subprocess.run([sys.executable, "-m", "hostile.importcheck", str(job_file)],
                                     cwd=job["cwd"], env=env, stdout=out, stderr=err, timeout=TIMEOUT,
                                     preexec_fn=limit_memory, check=False)
        except subprocess.TimeoutExpired:
            return {"rc": None, "timed_out": True}
    return {"rc": process.returncode, "timed_out": False}


def limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


_LOCATION = re.compile(r"^(?P<file>\S*" + re.escape(SPEC_NAME) + r"):(?P<line>-?\d+): error: ", re.M)


def _judge_rejection(outcome: Outcome, spec: Path, text: str, stdout: str, stderr: str, out: Path,
                     before: dict[str, bytes]) -> None:
    outcome.status = "rejected"
    if "Traceback" in stdout + stderr:
        outcome.fail(f"exit 2 with a traceback: {symptom(stdout + stderr)}")
    locations = list(_LOCATION.finditer(stderr))
    if not locations:
        outcome.fail(f"exit 2 without '<spec>:<line>: error:' on stderr: {first_line(stderr)!r}")
    line_count = text.count("\n") + 1
    for location in locations:
        line = int(location.group("line"))
        if not 0 < line <= line_count:
            outcome.fail(f"exit 2 but the error points at line {line} of a {line_count}-line spec: "
                         f"{first_line(stderr[location.start():])!r}")
    if snapshot(out) != before:
        outcome.fail("exit 2 but the output folder changed")


# -- symptoms -------------------------------------------------------------------------------------


def first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def symptom(output: str) -> str:
    """The exception line of the last traceback (and where it was raised), else the first error line."""
    lines = output.splitlines()
    if "Traceback (most recent call last):" in output:
        start = max(i for i, line in enumerate(lines) if line.startswith("Traceback"))
        tail = lines[start + 1:]
        frames = [line.strip() for line in tail if line.startswith('  File "')]
        exception = next((line for line in tail if line and not line.startswith(" ")), "?")
        where = frames[-1] if frames else ""
        where = re.sub(r'File ".*?/((?:specgen|site-packages/[^/]+|hostile|tests)/[^"]*)"', r"\1", where)
        return f"{exception[:300]}  [at {where[:200]}]"
    for line in lines:
        if "error" in line.lower():
            return line[:300]
    return first_line(output)[:300] or "(no output)"


def snapshot(directory: Path) -> dict[str, bytes]:
    return {
        p.relative_to(directory).as_posix(): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file() and not any(part in IGNORED for part in p.relative_to(directory).parts)
    }


# -- mypy -----------------------------------------------------------------------------------------


def mypy_all(outcomes: Iterable[Outcome], workdir: Path) -> None:
    """``mypy --strict`` on every accepted package, in one run; each gets the errors in its files.

    Packages are copied under unique names (they import themselves relatively, so any name works);
    if mypy crashes rather than reporting, each package is checked on its own.
    """
    accepted = [o for o in outcomes if o.status == "accepted" and o.package_dir is not None]
    if not accepted:
        return
    batch = workdir / "_mypy"
    batch.mkdir()
    names: dict[str, list[Outcome]] = {}
    by_content: dict[str, str] = {}
    for outcome in accepted:
        assert outcome.package_dir is not None
        digest = hashlib.sha256(repr(sorted(snapshot(outcome.package_dir).items())).encode()).hexdigest()
        if digest not in by_content:  # identical packages are checked once
            by_content[digest] = name = f"m{len(by_content):04d}"
            shutil.copytree(outcome.package_dir, batch / name, ignore=shutil.ignore_patterns(*IGNORED))
        names.setdefault(by_content[digest], []).append(outcome)
    result = _mypy(batch, sorted(names))
    if result is None:
        for name, outcomes_of_name in names.items():
            single = _mypy(batch, [name])
            if single is None:
                for outcome in outcomes_of_name:
                    outcome.fail("accepted, but mypy crashed (or timed out) on it")
            else:
                _attribute(single, {name: outcomes_of_name})
        return
    _attribute(result, names)


def _mypy(cwd: Path, packages: list[str]) -> str | None:
    try:
        process = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--no-error-summary",
             "--cache-dir", os.devnull, *packages],
            cwd=cwd, capture_output=True, text=True, timeout=600, check=False,
        )
    except subprocess.TimeoutExpired:
        return None
    if process.returncode not in (0, 1) or "INTERNAL ERROR" in process.stdout + process.stderr:
        return None
    return process.stdout


def _attribute(output: str, names: dict[str, list[Outcome]]) -> None:
    errors: dict[str, list[str]] = {}
    for line in output.splitlines():
        match = re.match(r"(m\d{4})/(\S+?:\d+): error: (.*)", line)
        if match:
            errors.setdefault(match.group(1), []).append(f"{match.group(2)}: {match.group(3)}")
    for name, found in errors.items():
        if name in names:
            shown = "; ".join(found[:3]) + (f"; (+{len(found) - 3} more)" if len(found) > 3 else "")
            for outcome in names[name]:
                outcome.fail(f"accepted, but mypy --strict: {len(found)} error(s): {shown}")


# -- all at once ----------------------------------------------------------------------------------


def run_cases(cases: list[Case], workdir: Path) -> dict[str, Outcome]:
    runner = Runner(workdir)
    try:
        with ThreadPoolExecutor(WORKERS) as pool:
            outcomes = list(pool.map(runner.run_case, cases))
    finally:
        runner.close()
    mypy_all(outcomes, workdir)
    return {o.case_id: o for o in outcomes}
