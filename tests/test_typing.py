"""The generated packages are typed: `mypy --strict` passes on each of them."""

from __future__ import annotations

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
        [sys.executable, "-m", "mypy", "--strict", "--ignore-missing-imports", "--no-incremental", "generator"],
        cwd=GENERATED.parent, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
