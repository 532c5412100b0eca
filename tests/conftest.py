"""Shared test setup: the generated packages import as top-level packages, exactly as when vendored."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
GENERATED = ROOT / "generated"
SEEDS = Path(__file__).resolve().parent / "fixtures" / "seeds"
PROVIDERS = ("airplane", "comfydeploy", "kubeflow", "northflank")
CREDENTIAL_ENV = ("AIRPLANE_API_KEY", "COMFYDEPLOY_API_KEY", "KUBEFLOW_TOKEN", "NORTHFLANK_API_TOKEN",
                  "NORTHFLANK_BASIC_AUTH")

if str(GENERATED) not in sys.path:
    sys.path.insert(0, str(GENERATED))


@pytest.fixture(autouse=True)
def _no_credentials_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests pass credentials explicitly; a developer's real keys must never leak into them."""
    for name in CREDENTIAL_ENV:
        monkeypatch.delenv(name, raising=False)
