"""Issue 6: the names of ``tests/fixtures/hostile_names.yaml`` are accepted and renamed deterministically.

The golden output is the generator's, committed without the runtime modules (every package carries
those as they are; they are compared with a provider's). After a deliberate change, review and
rewrite it with ``specgen generate --specs <dir holding only hostile_names.yaml> --out <tmp>`` and
copy the package there without ``_runtime.py``, ``errors.py`` and ``_base_model.py``.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GENERATED, PROVIDERS
from specgen import output, render

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SPEC = FIXTURES / "hostile_names.yaml"
GOLDEN = FIXTURES / "hostile_names_golden"
PACKAGE = "hostile_names"

@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("hostile_names")
    (work / "specs").mkdir()
    shutil.copy(SPEC, work / "specs" / SPEC.name)
    result = subprocess.run(
        [sys.executable, "-m", "specgen", "generate", "--specs", str(work / "specs"), "--out", str(work / "out")],
        cwd=work, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return work / "out"


def test_hostile_names_match_the_golden_output(generated: Path) -> None:
    """The spec-derived modules match the golden record; the runtime modules, which every package
    carries as they are, match the providers' (whose own golden test covers them)."""
    fresh = output.read_package(generated / PACKAGE)
    derived = {path: text for path, text in fresh.items() if path not in render.RUNTIME_FILES}
    differences = output.compare(GOLDEN, {PACKAGE: derived})
    assert not differences, "\n".join(d.diff or f"{d.path}: {d.kind}" for d in differences)
    provider = output.read_package(GENERATED / PROVIDERS[0])
    for name in render.RUNTIME_FILES:
        assert _body(fresh[name]) == _body(provider[name]), name


def _body(module: str) -> str:
    """A module without the header that names its spec."""
    return module.split("\n", 2)[2]


def test_hostile_names_output_is_mypy_strict_clean(generated: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", PACKAGE],
        cwd=generated, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hostile_names_package_imports_and_constructs(generated: Path) -> None:
    code = (
        "import hostile_names, hostile_names.models\n"
        "from hostile_names import HostileNamesClient, AsyncHostileNamesClient\n"
        "import inspect\n"
        "for cls in (HostileNamesClient, AsyncHostileNamesClient):\n"
        "    args = {n: 'dummy' for n, p in inspect.signature(cls.__init__).parameters.items()\n"
        "            if p.kind is p.KEYWORD_ONLY and n not in ('base_url', 'timeout', 'max_retries', 'headers',"
        " 'http_client')}\n"
        "    cls(**args)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=generated, capture_output=True, text=True,
                            timeout=120, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
