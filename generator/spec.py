"""Load a spec: YAML with line numbers → checked OpenAPI 3.1 document.

Every problem is collected as a :class:`Diagnostic` with the file and line it comes from, in stages
(syntax, references and types, the OpenAPI schema); a stage with problems stops the load, so one
mistake is not reported three times in three vocabularies.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import yamlload
from .diagnostics import Diagnostic, SpecError

Pointer = yamlload.Pointer
JSON_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")


@dataclass
class Spec:
    """A loaded spec: the document plus where each part of it was written."""

    path: Path
    data: dict[str, Any]
    lines: dict[Pointer, int]

    def line(self, pointer: Pointer) -> int:
        """Line of ``pointer``, or of its closest written ancestor."""
        while pointer and pointer not in self.lines:
            pointer = pointer[:-1]
        return self.lines.get(pointer, 1)

    def at(self, pointer: Pointer, message: str, hint: str = "") -> Diagnostic:
        return Diagnostic(self.path, self.line(pointer), message, hint)

    def resolve(self, ref: str) -> tuple[Pointer, Any]:
        """Follow a local ``$ref`` (already checked at load time)."""
        pointer = ref_pointer(ref)
        node: Any = self.data
        for part in pointer:
            node = node[int(part)] if isinstance(node, list) else node[part]
        return pointer, node


def ref_pointer(ref: str) -> Pointer:
    """``#/components/schemas/A~1B`` → ``("components", "schemas", "A/B")``."""
    parts = ref[2:].split("/") if ref.startswith("#/") else []
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in parts)


def load(path: Path) -> Spec:
    """Read, check and return the spec at ``path``; raise :class:`SpecError` listing every problem."""
    data, lines = yamlload.load_yaml(path, yamlload.read_text(path))
    spec = Spec(path, data, lines)
    _raise_if(list(_check_structure(spec)))
    _raise_if(list(_check_openapi(spec)))
    return spec


def _raise_if(diagnostics: list[Diagnostic]) -> None:
    if diagnostics:
        raise SpecError(diagnostics)


_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_CHILDREN = ("items", "additionalProperties", "not", "contains", "if", "then", "else",
                    "propertyNames", "unevaluatedItems", "unevaluatedProperties")
_NOT_SPEC = ("example", "examples", "default", "enum", "const")


def _walk(node: Any, pointer: Pointer = (), schema: bool = False) -> Iterator[tuple[Pointer, Any, bool]]:
    """Every node with its pointer, and whether OpenAPI reads it as a schema."""
    yield pointer, node, schema
    if isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, (*pointer, str(index)))
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        child = (*pointer, key)
        if key in _NOT_SPEC:
            continue
        if schema and key in _SCHEMA_MAPS and isinstance(value, dict):
            yield child, value, False
            for name, sub in value.items():
                yield from _walk(sub, (*child, name), True)
        elif schema and key in _SCHEMA_LISTS and isinstance(value, list):
            for index, sub in enumerate(value):
                yield from _walk(sub, (*child, str(index)), True)
        elif schema and key in _SCHEMA_CHILDREN:
            yield from _walk(value, child, isinstance(value, dict))
        elif not schema and (key == "schema" or pointer == ("components", "schemas")):
            yield from _walk(value, child, True)
        elif not schema:
            yield from _walk(value, child)


def _check_structure(spec: Spec) -> Iterator[Diagnostic]:
    """References that lead nowhere and schema types that do not exist."""
    version = spec.data.get("openapi")
    if not (isinstance(version, str) and version.startswith("3.1")):
        yield spec.at(("openapi",), f"unsupported OpenAPI version {version!r}",
                      "specgen reads OpenAPI 3.1 documents: set `openapi: 3.1.0`")
        return
    yield from _check_operation_ids(spec)
    for pointer, node, is_schema in _walk(spec.data):
        if not isinstance(node, dict):
            continue
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield from _check_ref(spec, (*pointer, "$ref"), ref)
        if is_schema:
            declared = node.get("type")
            for type_name in declared if isinstance(declared, list) else [declared]:
                if type_name is not None and type_name not in JSON_TYPES:
                    yield spec.at((*pointer, "type"), f"unknown type {type_name!r}",
                                  f"use one of: {', '.join(JSON_TYPES)}")


def _check_operation_ids(spec: Spec) -> Iterator[Diagnostic]:
    first_use: dict[str, Pointer] = {}
    for path, item in (spec.data.get("paths") or {}).items():
        for method, operation in (item or {}).items() if isinstance(item, dict) else ():
            op_id = operation.get("operationId") if isinstance(operation, dict) else None
            if not isinstance(op_id, str):
                continue
            pointer = ("paths", path, method, "operationId")
            if op_id in first_use:
                yield spec.at(pointer, f"duplicate operationId {op_id!r} (first used at line {spec.line(first_use[op_id])})",
                              "operationIds must be unique across the spec: rename one")
            else:
                first_use[op_id] = pointer


def _check_ref(spec: Spec, pointer: Pointer, ref: str) -> Iterator[Diagnostic]:
    if not ref.startswith("#/"):
        yield spec.at(pointer, f"unsupported $ref {ref!r}",
                      "specgen resolves references inside the same file only: use '#/components/...'")
        return
    node: Any = spec.data
    for part in ref_pointer(ref):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            target = ref.rsplit("/", 1)[-1]
            yield spec.at(pointer, f"unresolved $ref {ref!r}",
                          f"define {target!r} under {ref.rsplit('/', 1)[0][2:]} or fix the reference")
            return


def _check_openapi(spec: Spec) -> Iterator[Diagnostic]:
    """Everything the OpenAPI 3.1 schema says, via openapi-spec-validator."""
    from openapi_spec_validator import OpenAPIV31SpecValidator

    validator = OpenAPIV31SpecValidator(spec.data)
    for error in validator.iter_errors():
        pointer = tuple(str(p) for p in getattr(error, "absolute_path", ()))
        message = str(getattr(error, "message", error)).splitlines()[0]
        if len(message) > 300:
            message = message[:297] + "..."
        yield spec.at(pointer, f"invalid OpenAPI: {message}",
                      "see https://spec.openapis.org/oas/v3.1.0 for what belongs here")
