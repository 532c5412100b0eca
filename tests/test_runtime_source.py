"""Facts about the runtime's own source that no single behaviour test would notice drifting."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

RUNTIME = Path(__file__).resolve().parent.parent / "specgen" / "templates" / "runtime" / "_runtime.py"


def _overloaded_methods() -> list[tuple[str, list[ast.FunctionDef | ast.AsyncFunctionDef]]]:
    """(class.method, [overloads..., implementation]) for every overloaded method of the runtime."""
    found = []
    for cls in ast.walk(ast.parse(RUNTIME.read_text())):
        if not isinstance(cls, ast.ClassDef):
            continue
        by_name: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
        for node in cls.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                by_name.setdefault(node.name, []).append(node)
        found += [(f"{cls.name}.{name}", defs) for name, defs in by_name.items() if len(defs) > 1]
    return found


def _parameters(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[str, str]]:
    arguments = function.args
    return [(a.arg, ast.unparse(a.annotation) if a.annotation else "")
            for a in (*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs)]


def test_the_runtime_has_overloads() -> None:
    assert any(name.endswith(".request") for name, _ in _overloaded_methods())


@pytest.mark.parametrize(("name", "defs"), _overloaded_methods(), ids=lambda v: v if isinstance(v, str) else "")
def test_overloads_take_the_parameters_of_their_implementation(name: str, defs: list[ast.FunctionDef]) -> None:
    """Each overload lists the implementation's parameters with the same annotations (the one
    allowed to differ is the one the overloads exist for), so a parameter added to the
    implementation cannot be forgotten in an overload, where mypy would reject generated calls."""
    *overloads, implementation = defs
    expected = _parameters(implementation)
    for overload in overloads:
        actual = _parameters(overload)
        assert [n for n, _ in actual] == [n for n, _ in expected], name
        differing = [n for (n, a), (_, b) in zip(actual, expected) if a != b]
        assert len(differing) <= 1, f"{name}: {differing}"
