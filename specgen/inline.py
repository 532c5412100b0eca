"""Inline schemas of operations become named components, so every body and response is a typed class.

Real specs describe many request and response bodies in place (an object with ``properties``, an
``allOf`` of a base and extra fields) rather than under ``components/schemas``. The models are built
from named components only, so such a body would be ``Any``. This step, between loading and the IR,
moves each one to ``components/schemas`` under a name taken from where it stands and puts a ``$ref``
in its place:

* ``<Method>Response`` for the success response, ``<Method>Error<status>`` for an error response,
  ``<Method>Body`` for the request body, ``<Method><Parameter>`` for a parameter (``<Method>`` is the
  PascalCase of ``x-specgen-method``, else of ``operationId``);
* inside arrays, maps and unions the name says where: ``...Item``, ``...Value``, ``...Option<n>``.

A name already used by a component gets a number (``GetRunResponse2``). The spec file is not
changed: the copy this returns is what the IR and the models read, and every moved node keeps the
line it was written at, so problems are still reported where the author wrote them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from . import naming
from .ir.bodies import request_media
from .ir.responses import json_media
from .spec import Pointer, Spec

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def hoist(spec: Spec) -> Spec:
    """``spec`` with its operations' inline object schemas moved to named components (a copy)."""
    data = dict(spec.data)
    components = dict(data.get("components") or {}) if isinstance(data.get("components"), dict) else {}
    schemas = dict(components.get("schemas") or {}) if isinstance(components.get("schemas"), dict) else {}
    taken = {naming.pascal(str(key)) for key in schemas} | set(map(str, schemas))
    moved: dict[Pointer, str] = {}
    for pointer, schema, name in _operation_schemas(spec):
        for where, node, key in _needing_classes(pointer, schema, name):
            key = naming.free_name(key, taken, "")
            taken.add(key)
            schemas[key] = node
            moved[where] = key
    if not moved:
        return spec
    lines = dict(spec.lines)
    for old, line in spec.lines.items():  # a moved node keeps the lines it was written at
        for depth in range(len(old), 2, -1):
            if old[:depth] in moved:
                lines[("components", "schemas", moved[old[:depth]], *old[depth:])] = line
                break
    prefixes = {target[:depth] for target in moved for depth in range(len(target) + 1)}
    data["paths"] = _replaced(spec.data["paths"], ("paths",), moved, prefixes)
    components["schemas"] = schemas
    data["components"] = components
    return dataclasses.replace(spec, data=data, lines=lines)


def _operation_schemas(spec: Spec) -> Iterator[tuple[Pointer, Any, str]]:
    """Each schema an operation uses directly, with the name its class would get."""
    paths = spec.data.get("paths")
    for path, item in (paths.items() if isinstance(paths, dict) else ()):
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            base = _method_name(op, method, path)
            pointer: Pointer = ("paths", path, method)
            body = op.get("requestBody")
            found = request_media(body.get("content")) if isinstance(body, dict) else None
            if found is not None and found[2] in ("json", "form", "multipart"):
                media_type, media, _ = found
                if isinstance(media.get("schema"), dict):
                    yield (*pointer, "requestBody", "content", media_type, "schema"), media["schema"], f"{base}Body"
            responses = op.get("responses")
            for code, response in (responses.items() if isinstance(responses, dict) else ()):
                code = str(code)
                role = "Response" if code.startswith("2") else f"Error{naming.pascal(code) or code}"
                if isinstance(response, dict):
                    yield from _content_schemas((*pointer, "responses", code), response, base + role)
            parameters = op.get("parameters")
            for index, parameter in enumerate(parameters if isinstance(parameters, list) else ()):
                if isinstance(parameter, dict) and isinstance(parameter.get("schema"), dict):
                    name = base + naming.pascal(str(parameter.get("name", index)))
                    yield (*pointer, "parameters", str(index), "schema"), parameter["schema"], name


def _content_schemas(pointer: Pointer, owner: dict[str, Any], name: str) -> Iterator[tuple[Pointer, Any, str]]:
    """The JSON body schema of a request body or response: the one the client sends or parses."""
    media_type, media = json_media(owner.get("content"))
    if media is not None and isinstance(media.get("schema"), dict):
        yield (*pointer, "content", media_type, "schema"), media["schema"], name


def _method_name(op: dict[str, Any], method: str, path: str) -> str:
    for key in ("x-specgen-method", "operationId"):
        if isinstance(op.get(key), str) and naming.pascal(op[key]):
            return naming.pascal(op[key])
    return naming.pascal(naming.method_from_path(method, path))  # the name the IR gives it


def _needing_classes(pointer: Pointer, schema: Any, name: str) -> Iterator[tuple[Pointer, dict[str, Any], str]]:
    """The nodes under ``schema`` that need a class: objects with properties, and ``allOf``s.

    Arrays, maps and unions of them are followed (their own types stay expressions); a ``$ref`` is
    already named.
    """
    if not isinstance(schema, dict) or "$ref" in schema:
        return
    all_of = schema.get("allOf")
    if schema.get("properties") or (isinstance(all_of, list) and not _only_a_reference(schema)):
        yield pointer, schema, name
        return
    if isinstance(schema.get("items"), dict):
        yield from _needing_classes((*pointer, "items"), schema["items"], f"{name}Item")
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _needing_classes((*pointer, "additionalProperties"), schema["additionalProperties"],
                                    f"{name}Value")
    for key in ("anyOf", "oneOf"):
        members = schema.get(key)
        for index, member in enumerate(members if isinstance(members, list) else ()):
            yield from _needing_classes((*pointer, key, str(index)), member, f"{name}Option{index + 1}")


def _only_a_reference(schema: dict[str, Any]) -> bool:
    """``allOf: [{$ref: X}]`` (often only there to give a reference a description): the type is X."""
    members = schema["allOf"]
    return len(members) == 1 and isinstance(members[0], dict) and "$ref" in members[0]


def _replaced(node: Any, pointer: Pointer, moved: dict[Pointer, str], prefixes: set[Pointer]) -> Any:
    """A copy of ``node`` with each moved schema replaced by a ``$ref`` (untouched parts shared)."""
    if pointer in moved:
        return {"$ref": f"#/components/schemas/{_escape(moved[pointer])}"}
    if pointer not in prefixes:
        return node
    if isinstance(node, dict):
        return {key: _replaced(value, (*pointer, str(key)), moved, prefixes) for key, value in node.items()}
    if isinstance(node, list):
        return [_replaced(value, (*pointer, str(index)), moved, prefixes) for index, value in enumerate(node)]
    return node


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
