"""Issue 6: untrusted specs. Every hostile spec is either accepted (the package imports, constructs,
type-checks, and no injected code ran) or rejected (exit 2, ``<spec>:<line>: error:``, no traceback,
output untouched). Nothing else: no exit 1, traceback, hang, memory blow-up or changed output.

The cases are in ``tests/hostile/cases.py`` and the judging in ``tests/hostile/harness.py``. They all
run once per session (two at a time), then one mypy run checks every accepted package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from hostile import base as base_spec
from hostile.cases import CASES
from hostile.harness import Case, Outcome, limit_memory, run_cases, snapshot

SPECGEN = [sys.executable, "-m", "specgen"]


@pytest.fixture(scope="session")
def hostile_outcomes(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    """The outcome of every selected case, computed once for the session."""
    selected = {
        item.callspec.params["case"].id
        for item in request.session.items
        if getattr(item, "originalname", "") == "test_hostile_spec" and hasattr(item, "callspec")
    }
    cases = [case for case in CASES if case.id in selected]
    outcomes = run_cases(cases, tmp_path_factory.mktemp("hostile"))
    report = os.environ.get("SPECGEN_HOSTILE_REPORT")  # a JSON file of every outcome, for triage
    if report:
        Path(report).write_text(json.dumps([
            {"id": o.case_id, "status": o.status, "exit_code": o.exit_code, "seconds": round(o.seconds, 2),
             "problems": o.problems} for o in outcomes.values()], indent=1), encoding="utf-8")
    return outcomes


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_hostile_spec(case: Case, hostile_outcomes: dict[str, Outcome]) -> None:
    outcome = hostile_outcomes[case.id]
    assert outcome.status in ("accepted", "rejected") and not outcome.problems, (
        f"{case.id}: " + "\n".join(outcome.problems)
    )


# -- the output folder ------------------------------------------------------------------------------


def _generate(tmp_path: Path, out: Path) -> subprocess.CompletedProcess[str]:
    specs = tmp_path / "specs"
    specs.mkdir(exist_ok=True)
    (specs / "hostile.yaml").write_text(base_spec.dump(base_spec.base()), encoding="utf-8")
    return subprocess.run([*SPECGEN, "generate", "--specs", str(specs), "--out", str(out)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60, preexec_fn=limit_memory, check=False)


def _assert_clean_refusal(result: subprocess.CompletedProcess[str], path: Path) -> None:
    output = result.stdout + result.stderr
    assert result.returncode == 2, f"exit {result.returncode}: {output}"
    assert "Traceback" not in output, output
    assert str(path) in result.stderr, f"the message does not name {path}: {result.stderr}"


def test_out_is_a_regular_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder\n")
    result = _generate(tmp_path, out)
    _assert_clean_refusal(result, out)
    assert out.read_text() == "not a folder\n"


def test_out_is_under_a_regular_file(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder\n")
    out = blocker / "out"
    result = _generate(tmp_path, out)
    _assert_clean_refusal(result, blocker)
    assert blocker.read_text() == "not a folder\n"


def test_out_is_read_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        probe = out / "probe"
        try:
            probe.write_text("x")
        except PermissionError:
            pass
        else:
            probe.unlink()
            pytest.skip("chmod 0o555 does not stop this user from writing (running as root?)")
        result = _generate(tmp_path, out)
        _assert_clean_refusal(result, out)
        assert list(out.iterdir()) == []
    finally:
        out.chmod(0o755)


def test_the_fork_server_agrees_with_the_real_cli(tmp_path: Path) -> None:
    """The harness forks specgen from a warm interpreter for speed; the real CLI gives the same verdicts."""
    probes = [case for case in CASES if case.id in (
        "base", "text/info.title/inject-marker", "path/param-not-declared", "pagination/start-abc")]
    outcomes = run_cases(probes, tmp_path / "forked")
    for case in probes:
        work = tmp_path / "real" / case.id.replace("/", "_")
        (work / "specs").mkdir(parents=True)
        (work / "specs" / "hostile.yaml").write_text(case.spec_text(), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        result = subprocess.run([*SPECGEN, "generate", "--specs", str(work / "specs"), "--out", str(work / "out")],
                                cwd=work, capture_output=True, text=True, timeout=60, preexec_fn=limit_memory,
                                env=env, check=False)
        assert result.returncode == outcomes[case.id].exit_code, (case.id, result.stderr)


def test_out_where_the_file_system_refuses_writes(tmp_path: Path) -> None:
    """Where chmod does not bind (root), /sys still refuses new folders: the same clean refusal."""
    out = Path("/sys/specgen-hostile-out")
    try:
        out.mkdir()
    except OSError:
        pass
    else:  # pragma: no cover - a machine whose /sys accepts folders
        out.rmdir()
        pytest.skip("/sys accepts new folders here")
    result = _generate(tmp_path, out)
    _assert_clean_refusal(result, out)
    assert not out.exists()
