"""The generated packages are typed: `mypy --strict` passes on each of them."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import GENERATED, PROVIDERS


def test_mypy_strict_passes_on_generated() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", *PROVIDERS],
        cwd=GENERATED, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Success: no issues found" in result.stdout


def test_mypy_strict_passes_on_the_generator() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--ignore-missing-imports", "--no-incremental", "specgen"],
        cwd=GENERATED.parent, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


USER_CODE = '''
from airplane import (
    AirplaneClient,
    APIResponseDecodingError,
    AsyncAirplaneClient,
    PaginationError,
    with_streaming_response,
)
from airplane.models import GetRunResponse, Status


def describe(run: GetRunResponse) -> str:
    status = run.status
    if status is None:
        return "no status"
    if status.is_unknown:
        return f"a status this client does not know yet: {status.value}"
    unknown: bool = Status.SUCCEEDED.is_unknown
    return f"{status.name} {unknown}"


def errors() -> tuple[type[Exception], ...]:
    return (APIResponseDecodingError, PaginationError)


def streamed_size(client: AirplaneClient) -> int:
    with with_streaming_response(client.runs.get)(id="run1") as response:
        return response.status_code + sum(len(chunk) for chunk in response.iter_bytes(1024))


async def async_streamed_size(client: AsyncAirplaneClient) -> int:
    async with with_streaming_response(client.runs.get)(id="run1") as response:
        return response.status_code + sum([len(chunk) async for chunk in response.aiter_bytes()])
'''


def test_mypy_strict_accepts_is_unknown_in_user_code(tmp_path) -> None:
    """The documented ways to test for an unknown enum value and to stream a response (sync and
    async) type-check in a user's program,
    and mypy really checks it: the ``Status.UNKNOWN`` the README once promised is rejected."""
    good, bad = tmp_path / "good.py", tmp_path / "bad.py"
    good.write_text(USER_CODE)
    bad.write_text("from airplane.models import Status\n\nx = Status.UNKNOWN\n")
    results = {}
    for path in (good, bad):
        results[path.name] = subprocess.run(
            [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(path)],
            cwd=tmp_path, env={**os.environ, "MYPYPATH": str(GENERATED)},
            capture_output=True, text=True, check=False,
        )
    assert results["good.py"].returncode == 0, results["good.py"].stdout + results["good.py"].stderr
    assert results["bad.py"].returncode == 1, results["bad.py"].stdout
    assert '"type[Status]" has no attribute "UNKNOWN"' in results["bad.py"].stdout
