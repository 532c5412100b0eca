"""Shared test setup: the generated packages import as top-level packages, exactly as when vendored."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
GENERATED = ROOT / "generated"
SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"


def _specs() -> list[dict[str, Any]]:
    """Every spec in specs/, as data (read the way specgen reads them, without the slow checks)."""
    from specgen import pipeline, spec

    return [spec.read(path).data for path in pipeline.spec_files(SPECS)]


_SPECS = _specs()
#: The generated package of every spec in specs/: a spec added there is covered with no test edits.
PROVIDERS = tuple(sorted(spec["info"]["x-specgen-package"] for spec in _SPECS))
#: Every environment variable a generated client reads credentials from.
CREDENTIAL_ENV = tuple(sorted({
    scheme["x-specgen-env"]
    for spec in _SPECS
    for scheme in (spec.get("components", {}).get("securitySchemes") or {}).values()
    if isinstance(scheme, dict) and "x-specgen-env" in scheme
}))

# specgen's result cache (specgen/cache.py) starts empty for every test session, in a folder of its
# own: a run measures the cold tool, and never reads or fills the developer's ~/.cache/specgen.
os.environ["SPECGEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="specgen-test-cache-")

if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))


@pytest.fixture(autouse=True)
def _no_credentials_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests pass credentials explicitly; a developer's real keys must never leak into them."""
    for name in CREDENTIAL_ENV:
        monkeypatch.delenv(name, raising=False)


#: Where tests/test_corpus.py leaves its report for the summary at the end of the run.
CORPUS_REPORT = pytest.StashKey[str]()


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A result cache of the test's own (``SPECGEN_CACHE_DIR``), empty at the start."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(folder))
    return folder


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ["SPECGEN_CACHE_DIR"], ignore_errors=True)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "corpus: the real-spec corpus (slow; .ci/run runs it)")
    config.addinivalue_line("markers", "giants: GitHub, Stripe and Kubernetes, and mypy on Stripe (minutes; run with -m giants only)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``giants`` run only when asked for by name (``-m giants``), not in ``.ci/run``."""
    if "giants" in (config.getoption("markexpr") or ""):
        return
    skip = pytest.mark.skip(reason="a giant: run with -m giants")
    for item in items:
        if "giants" in item.keywords:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """The corpus report, whether it passed or not: which real specs fail, where and why."""
    if CORPUS_REPORT in config.stash:
        terminalreporter.section("real-spec corpus")
        terminalreporter.write_line(config.stash[CORPUS_REPORT])
