"""Inline schemas that need a class become named components, so every body, response and field is typed.

Real specs describe many schemas in place (an object with ``properties``, an ``allOf`` of a base and
extra fields, an ``enum`` of a field) rather than under ``components/schemas``. The client's types
name component classes only, and the models name every class themselves: left in place, such a
schema would be ``Any`` in a signature, or a class named by datamodel-code-generator after its
property alone (``Meta``, ``Status``), which can be the name of a component too. This step, between
loading and the IR, moves each one to ``components/schemas`` under a name taken from where it
stands and puts a ``$ref`` in its place:

* in an operation, ``<Method>Response`` for the success response, ``<Method>Error<status>`` for an
  error response, ``<Method>Body`` for the request body, ``<Method><Parameter>`` for a parameter
  (``<Method>`` is the PascalCase of ``x-specgen-method``, else of ``operationId``); in the shared
  ``components/responses``, ``requestBodies`` and ``parameters``, ``<Key>Response``, ``<Key>Body``,
  ``<Key>Parameter``;
* below a class (a component or a moved schema), ``<Class><Property>`` for an object or enum in a
  property (as openapi-python-client names them), and the fields of an inline ``allOf`` member
  count as the class's own;
* inside arrays, maps and unions the name says where: ``...Item``, ``...Value``, ``...Option<n>``.

A name already used by a component gets a number (``GetRunResponse2``). A schema that allows
``null`` is moved without it and referenced as ``anyOf: [$ref, null]``, so the field stays nullable;
a ``$ref`` into a moved schema is redirected to where it went. The spec file is not changed: the
copy this returns is what the IR and the models read, and every moved node keeps the line it was
written at, so problems are still reported where the author wrote them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from . import naming
from .ir.bodies import request_media
from .ir.responses import json_media
from .spec import Pointer, Spec, ref_pointer
from .yamlload import paused_gc

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_SCHEMAS: Pointer = ("components", "schemas")


def hoist(spec: Spec) -> Spec:
    """``spec`` with every inline schema that needs a class moved to a named component (a copy)."""
    with paused_gc():  # the copy is a tree of JSON data, with nothing to collect: a third faster on a large spec
        return _hoisted(spec)


def _hoisted(spec: Spec) -> Spec:
    components = spec.data.get("components")
    schemas = components.get("schemas") if isinstance(components, dict) else None
    schemas = schemas if isinstance(schemas, dict) else {}
    mover = _Mover({naming.pascal(str(key)) for key in schemas} | set(map(str, schemas)))
    for pointer, schema, name in (*_operation_schemas(spec), *_shared_schemas(spec)):
        mover.expression(pointer, schema, name)
    for key, schema in schemas.items():
        mover.members((*_SCHEMAS, str(key)), schema, naming.pascal(str(key)))
    if not mover.moved:
        return spec
    moved = {pointer: key for pointer, (key, _) in mover.moved.items()}
    data = _replaced(spec.data, (), moved, top=False)
    data.setdefault("components", {}).setdefault("schemas", {})
    for pointer, (key, node) in mover.moved.items():
        data["components"]["schemas"][key] = _replaced(node, pointer, moved, top=True)
    # A moved node keeps the lines it was written at: Spec.line reads them through ``origins``.
    origins = {key: pointer for pointer, (key, _) in mover.moved.items()}
    return dataclasses.replace(spec, data=data, origins=origins)


class _Mover:
    """Decides which nodes move and under which names (in document order, so deterministically)."""

    def __init__(self, taken: set[str]) -> None:
        self.taken = taken
        self.moved: dict[Pointer, tuple[str, dict[str, Any]]] = {}  # where it stood -> (key, schema)

    def expression(self, pointer: Pointer, schema: Any, name: str) -> None:
        """A schema whose type is written as an expression (a body, a response, a parameter):
        objects and ``allOf``s in it move; arrays, maps and unions of them are followed."""
        if not isinstance(schema, dict) or "$ref" in schema:
            return
        if _needs_class(schema):
            self.move(pointer, schema, name)
            return
        for child_pointer, child, child_name, _ in _children(pointer, schema, name, fields=False):
            self.expression(child_pointer, child, child_name)

    def members(self, pointer: Pointer, schema: Any, name: str) -> None:
        """The schemas inside a class: each one the models would make a class of moves (enums too)."""
        if not isinstance(schema, dict):
            return
        for child_pointer, child, child_name, movable in _children(pointer, schema, name, fields=True):
            if not isinstance(child, dict) or "$ref" in child:
                continue
            if movable and (_needs_class(child) or _is_enum(child)):
                self.move(child_pointer, child, child_name)
            else:
                self.members(child_pointer, child, child_name)

    def move(self, pointer: Pointer, schema: dict[str, Any], name: str) -> None:
        key = naming.free_name(name, self.taken, "")
        self.taken.add(key)
        self.moved[pointer] = key, _without_null(schema)
        self.members(pointer, schema, key)


def _children(pointer: Pointer, schema: dict[str, Any], name: str, *,
              fields: bool) -> Iterator[tuple[Pointer, Any, str, bool]]:
    """The schemas directly inside ``schema``, each with the name it would get and whether it may
    move (an inline ``allOf`` member may not: its fields are the class's own)."""
    if fields:
        properties = schema.get("properties")
        for index, (key, child) in enumerate(properties.items() if isinstance(properties, dict) else ()):
            yield (*pointer, "properties", str(key)), child, name + (naming.pascal(str(key)) or f"Field{index + 1}"), True
        members = schema.get("allOf")
        for index, member in enumerate(members if isinstance(members, list) else ()):
            yield (*pointer, "allOf", str(index)), member, name, False
    if isinstance(schema.get("items"), dict):
        yield (*pointer, "items"), schema["items"], f"{name}Item", True
    if isinstance(schema.get("additionalProperties"), dict):
        yield (*pointer, "additionalProperties"), schema["additionalProperties"], f"{name}Value", True
    for key in ("anyOf", "oneOf"):
        members = schema.get(key)
        for index, member in enumerate(members if isinstance(members, list) else ()):
            yield (*pointer, key, str(index)), member, f"{name}Option{index + 1}", True


def _needs_class(schema: dict[str, Any]) -> bool:
    """An object with properties, or an ``allOf`` (other than one that only gives a ``$ref`` a description)."""
    all_of = schema.get("allOf")
    only_a_reference = (isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], dict)
                        and "$ref" in all_of[0])
    return bool(schema.get("properties")) or (isinstance(all_of, list) and not only_a_reference)


def _is_enum(schema: dict[str, Any]) -> bool:
    """An enum the models make a class of (one of arrays or objects stays a plain field)."""
    values = schema.get("enum")
    return (isinstance(values, list) and any(v is not None for v in values)
            and not any(isinstance(v, (list, dict)) for v in values))


def _nullable(schema: dict[str, Any]) -> bool:
    types = schema.get("type")
    return isinstance(types, list) and "null" in types and len(types) > 1


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """The class's schema: ``null`` stays with the reference (see :func:`_reference`)."""
    if not _nullable(schema):
        return schema
    types = [t for t in schema["type"] if t != "null"]
    copy = {**schema, "type": types[0] if len(types) == 1 else types}
    if isinstance(schema.get("enum"), list):
        copy["enum"] = [v for v in schema["enum"] if v is not None]
    return copy


def _reference(key: str, schema: dict[str, Any]) -> dict[str, Any]:
    reference = {"$ref": "#/components/schemas/" + key.replace("~", "~0").replace("/", "~1")}
    return {"anyOf": [reference, {"type": "null"}]} if _nullable(schema) else reference


def _new_pointer(pointer: Pointer, moved: dict[Pointer, str]) -> Pointer:
    """Where the node at ``pointer`` is after the move (the deepest moved schema holding it decides)."""
    for depth in range(len(pointer), 2, -1):
        if pointer[:depth] in moved:
            return (*_SCHEMAS, moved[pointer[:depth]], *pointer[depth:])
    return pointer


def _replaced(node: Any, pointer: Pointer, moved: dict[Pointer, str], *, top: bool) -> Any:
    """A copy of ``node`` with each moved schema below it (and itself unless ``top``) replaced by a
    reference, and each ``$ref`` into a moved schema redirected."""
    if not top and pointer in moved and isinstance(node, dict):
        return _reference(moved[pointer], node)
    if isinstance(node, dict):
        copy = {key: _replaced(value, (*pointer, str(key)), moved, top=False) for key, value in node.items()}
        if isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/"):
            target = ref_pointer(node["$ref"])
            # A reference to a moved schema itself goes to what took its place (nullable, perhaps).
            new = (*_new_pointer(target[:-1], moved), *target[-1:]) if target in moved else _new_pointer(target, moved)
            if new != target:
                copy["$ref"] = "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in new)
        return copy
    if isinstance(node, list):
        return [_replaced(value, (*pointer, str(index)), moved, top=False) for index, value in enumerate(node)]
    return node


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
            yield from _body_schema((*pointer, "requestBody"), op.get("requestBody"), f"{base}Body")
            responses = op.get("responses")
            for code, response in (responses.items() if isinstance(responses, dict) else ()):
                code = str(code)
                role = "Response" if code.startswith("2") else f"Error{naming.pascal(code) or code}"
                yield from _response_schema((*pointer, "responses", code), response, base + role)
            parameters = op.get("parameters")
            for index, parameter in enumerate(parameters if isinstance(parameters, list) else ()):
                name = base + naming.pascal(str(parameter.get("name", index))) if isinstance(parameter, dict) else ""
                yield from _parameter_schema((*pointer, "parameters", str(index)), parameter, name)


def _shared_schemas(spec: Spec) -> Iterator[tuple[Pointer, Any, str]]:
    """Each schema of a response, request body or parameter defined once under ``components``."""
    components = spec.data.get("components")
    components = components if isinstance(components, dict) else {}
    for section, role, schemas_of in (("requestBodies", "Body", _body_schema), ("responses", "Response", _response_schema),
                                      ("parameters", "Parameter", _parameter_schema)):
        entries = components.get(section)
        for key, entry in (entries.items() if isinstance(entries, dict) else ()):
            yield from schemas_of(("components", section, str(key)), entry, naming.pascal(str(key)) + role)


def _body_schema(pointer: Pointer, body: Any, name: str) -> Iterator[tuple[Pointer, Any, str]]:
    """The schema of the body the client sends (JSON, form fields or multipart)."""
    found = request_media(body.get("content")) if isinstance(body, dict) else None
    if found is not None and found[2] in ("json", "form", "multipart") and isinstance(found[1].get("schema"), dict):
        yield (*pointer, "content", found[0], "schema"), found[1]["schema"], name


def _response_schema(pointer: Pointer, response: Any, name: str) -> Iterator[tuple[Pointer, Any, str]]:
    """The JSON body schema of a response: the one the client parses."""
    media_type, media = json_media(response.get("content")) if isinstance(response, dict) else ("", None)
    if media is not None and isinstance(media.get("schema"), dict):
        yield (*pointer, "content", media_type, "schema"), media["schema"], name


def _parameter_schema(pointer: Pointer, parameter: Any, name: str) -> Iterator[tuple[Pointer, Any, str]]:
    if isinstance(parameter, dict) and isinstance(parameter.get("schema"), dict):
        yield (*pointer, "schema"), parameter["schema"], name


def _method_name(op: dict[str, Any], method: str, path: str) -> str:
    for key in ("x-specgen-method", "operationId"):
        if isinstance(op.get(key), str) and naming.pascal(op[key]):
            return naming.pascal(op[key])
    return naming.pascal(naming.method_from_path(method, path))  # the name the IR gives it
