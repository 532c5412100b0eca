"""The validator's walk takes each step into a mapping or a list without pathable's slow Protocol
check (specgen/validator.py ``_quick_steps``): every step gives what pathable's own gives, and the
findings on a bad spec are the same either way."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pathable.accessors import SubscriptableAccessor

from conftest import SPECS
from specgen import pipeline, spec, validator
from specgen.diagnostics import SpecError
from test_validation import STRUCTURAL, WARNED_NEW, WARNED_OLD

USUAL = validator._quick_steps()
AIRPLANE = SPECS / "airplane.yaml"


def outcome(step: Any, node: Any, part: Any) -> tuple[str, Any]:
    try:
        return "found", step(node, part)
    except Exception as exc:  # noqa: BLE001 - the exception is the outcome compared
        return type(exc).__name__, exc.args


def steps(node: Any) -> Iterator[tuple[Any, Any]]:
    """Every (node, part) of ``node``'s tree, and parts that are not there or of the wrong kind."""
    stack = [node]
    while stack:
        node = stack.pop()
        parts: list[Any] = ["missing", 0, "0", -1, None]
        if isinstance(node, dict):
            parts += list(node)
            stack += node.values()
        elif isinstance(node, list):
            parts += [len(node), str(len(node))] + list(range(len(node)))
            stack += node
        for part in parts:
            yield node, part


@pytest.mark.parametrize("path", pipeline.spec_files(SPECS), ids=lambda p: p.stem)
def test_each_step_gives_what_pathables_gives(path: Path) -> None:
    assert USUAL is not None and SubscriptableAccessor.__dict__["_get_subnode"].__func__ is not USUAL
    data = spec.read(path).data
    compared = 0
    for node, part in steps({"document": data, "values": ["text", 5, None, True, 1.5, b"bytes"]}):
        assert outcome(SubscriptableAccessor._get_subnode, node, part) == outcome(
            lambda n, p: USUAL(SubscriptableAccessor, n, p), node, part), (node, part)
        compared += 1
    assert compared > 1000


def findings(path: Path) -> list[str]:
    try:
        loaded = spec.load(path)
    except SpecError as exc:
        return [str(d) for d in exc.diagnostics]
    return [str(d) for d in loaded.warnings]


@pytest.mark.parametrize("old, new", [(b.old, b.new) for b in STRUCTURAL] + [(WARNED_OLD, WARNED_NEW)],
                         ids=[b.id for b in STRUCTURAL] + ["warned"])
def test_findings_are_the_same_with_pathables_own_steps(tmp_path: Path, old: str, new: str,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECGEN_CACHE_DIR", "off")
    path = tmp_path / "airplane.yaml"
    path.write_text(AIRPLANE.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    quick = findings(path)
    monkeypatch.setattr(SubscriptableAccessor, "_get_subnode", classmethod(USUAL))
    assert findings(path) == quick
