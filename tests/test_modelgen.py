"""specgen's model emitter (specgen/modelgen) against datamodel-code-generator: the same ``models.py``.

The oracle is the formatted ``models.py`` that datamodel-code-generator built before specgen had an
emitter of its own (``tests/modelgen_oracle.py``). Every spec of ``specs/`` and ``tests/fixtures/``
must give byte-identical text; the 60 real specs of the corpus run under the ``corpus`` marker and
GitHub, Stripe and Kubernetes under ``giants`` (``bench/models_diff.py`` runs the same comparisons
from a shell, with the differences).
"""

from __future__ import annotations

from pathlib import Path

import modelgen_oracle as harness
import pytest


def _cases(which: str) -> list[tuple[str, Path]]:
    return harness.spec_paths(which) if which in ("specs", "fixtures") else []


def _same(path: Path) -> None:
    spec, api = harness.load(path)
    expected = harness.oracle(spec, api)
    got = harness.candidate(spec, api)
    assert got == expected, "".join(list(harness.differences(expected, got))[:80])


@pytest.mark.parametrize(("name", "path"), _cases("specs"), ids=[n for n, _ in _cases("specs")])
def test_specs(name: str, path: Path) -> None:
    _same(path)


@pytest.mark.parametrize(("name", "path"), _cases("fixtures"), ids=[n for n, _ in _cases("fixtures")])
def test_fixtures(name: str, path: Path) -> None:
    _same(path)


@pytest.mark.corpus
def test_corpus() -> None:
    differ = []
    for name, path in harness.spec_paths("corpus"):
        spec, api = harness.load(path)
        if harness.candidate(spec, api) != harness.oracle(spec, api):
            differ.append(name)
    assert not differ, differ


@pytest.mark.giants
@pytest.mark.parametrize("name", list(harness.GIANTS))
def test_giants(name: str) -> None:
    path = dict(harness.spec_paths("giants"))[name]
    _same(path)
