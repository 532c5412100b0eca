"""OpenAPI 3.0 → 3.1: schemas to JSON Schema 2020-12 as the project writes them.

``nullable: true`` → ``type: [T, "null"]`` (or ``anyOf`` with ``{type: "null"}`` around a ``$ref``
or a combination), ``example`` → ``examples: [...]``, boolean ``exclusiveMinimum``/``Maximum`` →
numbers, and ``openapi: 3.1.0``.
"""

from __future__ import annotations

from typing import Any

from ..spec import SCHEMA_CHILDREN, SCHEMA_LISTS, SCHEMA_MAPS


def convert(doc: dict[str, Any], from_version: str) -> dict[str, Any]:
    """``doc`` as OpenAPI 3.1 (in place for 3.0, and its schemas rewritten; 3.1 only relabelled)."""
    out = {"openapi": "3.1.0", **{k: v for k, v in doc.items() if k != "openapi"}}
    if from_version == "3.1":
        return out
    _each_schema_location(out)
    return out


def _each_schema_location(node: Any) -> None:
    """Find every schema (``schema:`` values and ``components/schemas``) outside schemas and convert it."""
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(current)
            continue
        if not isinstance(current, dict):
            continue
        for key, value in list(current.items()):
            if key in ("example", "examples", "default", "enum", "const"):
                continue
            if key == "schema" and isinstance(value, dict):
                current[key] = schema(value)
            elif key == "schemas" and isinstance(value, dict) and current is _components(node):
                current[key] = {name: schema(s) for name, s in value.items()}
            else:
                stack.append(value)


def _components(doc: Any) -> Any:
    return doc.get("components") if isinstance(doc, dict) else None


def schema(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: schema(s) for name, s in value.items()}
        elif key in SCHEMA_LISTS and isinstance(value, list):
            out[key] = [schema(s) for s in value]
        elif key in SCHEMA_CHILDREN and isinstance(value, dict):
            out[key] = schema(value)
        elif key == "example":
            if "examples" not in node:
                out["examples"] = [value]
        elif key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
            bound = "minimum" if key == "exclusiveMinimum" else "maximum"
            if value and bound in node:
                out[key] = node[bound]
        elif key in ("minimum", "maximum") and node.get("exclusive" + key.capitalize()) is True:
            continue
        elif key == "nullable":
            continue
        else:
            out[key] = value
    if node.get("nullable") is True:
        out = _nullable(out)
    return out


def _nullable(out: dict[str, Any]) -> dict[str, Any]:
    kind = out.get("type")
    if isinstance(kind, str):
        out["type"] = [kind, "null"]
        if isinstance(out.get("enum"), list) and None not in out["enum"]:
            out["enum"] = [*out["enum"], None]
        return out
    if isinstance(kind, list):
        if "null" not in kind:
            out["type"] = [*kind, "null"]
        return out
    if "$ref" in out:
        annotations = {k: v for k, v in out.items() if k != "$ref"}
        return {"anyOf": [{"$ref": out["$ref"]}, {"type": "null"}], **annotations}
    for combination in ("anyOf", "oneOf"):
        if isinstance(out.get(combination), list):
            if {"type": "null"} not in out[combination]:
                out[combination] = [*out[combination], {"type": "null"}]
            return out
    if isinstance(out.get("allOf"), list):
        members = out.pop("allOf")
        inner = members[0] if len(members) == 1 else {"allOf": members}
        return {"anyOf": [inner, {"type": "null"}], **out}
    return out
