"""Facts the generator reads from the runtime it ships, so each is written once, in the runtime.

The runtime (``templates/runtime/_runtime.py``) is copied into every package as it is; what the
generated code must agree with (which methods are retried anyway, which attributes a client has) is
read from its source here rather than repeated in the generator.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

RUNTIME = Path(__file__).resolve().parent / "templates" / "runtime" / "_runtime.py"
CLIENT_CLASSES = ("BaseClient", "SyncClient", "AsyncClient")


@functools.cache
def _tree() -> ast.Module:
    return ast.parse(RUNTIME.read_text(encoding="utf-8"))


@functools.cache
def idempotent_methods() -> frozenset[str]:
    """The HTTP methods the runtime retries without being told (``_IDEMPOTENT_METHODS``)."""
    for node in _tree().body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "_IDEMPOTENT_METHODS" for t in node.targets
        ):
            value = ast.literal_eval(node.value.args[0]) if isinstance(node.value, ast.Call) else None
            if isinstance(value, set):
                return frozenset(str(v) for v in value)
    raise LookupError(f"{RUNTIME} no longer defines _IDEMPOTENT_METHODS as frozenset({{...}})")


@functools.cache
def path_parameter() -> re.Pattern[str]:
    """The pattern the runtime fills path parameters with (``_PATH_PARAMETER``); the IR checks paths with it."""
    for node in _tree().body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "_PATH_PARAMETER" for t in node.targets
        ) and isinstance(node.value, ast.Call) and node.value.args:
            return re.compile(ast.literal_eval(node.value.args[0]))
    raise LookupError(f"{RUNTIME} no longer defines _PATH_PARAMETER as re.compile(...)")


@functools.cache
def client_attributes() -> frozenset[str]:
    """Every attribute the runtime's client classes define: methods and ``self.<name>`` assignments."""
    names: set[str] = set()
    for node in _tree().body:
        if isinstance(node, ast.ClassDef) and node.name in CLIENT_CLASSES:
            for item in ast.walk(node):
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    names.add(item.name)
                elif isinstance(item, ast.Attribute) and isinstance(item.value, ast.Name) and item.value.id == "self" \
                        and isinstance(item.ctx, ast.Store):
                    names.add(item.attr)
    return frozenset(names)
