"""Lay the document made from the pages over the existing spec, keeping the user's edits.

The rule, in one place:

* **The pages decide the contract** of what they show: a model's fields (one the page does not list
  is removed), each field's and parameter's type, required flag and enum values, an operation's
  parameters, body and success response. A type the spec states in more detail than the page can
  (nullability, a format, a ``$ref`` to a schema of the same shape, a typed map where the page says
  ``object``) is the same type, and the spec's is kept.
* **The spec keeps its prose and choices**: a description, summary or example the spec already has
  stays (a different one on the page is reported); every ``x-specgen-*`` key, ``operationId``, tags,
  servers, security, error responses and whatever the pages do not mention stay as they are; an
  inferred value (``x-specgen-inferred``) never replaces a written one.
* ``x-specgen-pinned: true`` on a schema, property, parameter or operation keeps it exactly as the
  spec has it, whatever the pages say.

Every difference is reported with both places: ``page.md:line`` and ``spec.yaml:line``.
"""

from __future__ import annotations

import copy
from typing import Any

from .. import naming
from . import rules
from .build import INFERRED, SCHEMAS, SOURCE, Built
from .facts import Problem
from .page import Loc

PINNED = "x-specgen-pinned"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TYPE_KEYS = ("$ref", "type", "format", "items", "additionalProperties", "properties", "required", "enum", "anyOf",
              "oneOf", "allOf", "const", "prefixItems")
Pointer = tuple[str, ...]


class Merger:
    def __init__(self, spec_name: str, lines: dict[Pointer, int]) -> None:
        self.spec_name, self.lines = spec_name, lines
        self.notes: list[Problem] = []
        self.doc: dict[str, Any] = {}

    # -- locations --------------------------------------------------------------------------
    def at(self, pointer: Pointer) -> Loc:
        while pointer and pointer not in self.lines:
            pointer = pointer[:-1]
        return Loc(self.spec_name, self.lines.get(pointer, 1))

    def note(self, where: str | None, message: str, severity: str = "note", hint: str = "") -> None:
        loc = _loc(where) or Loc(self.spec_name, 1)
        self.notes.append(Problem(loc, message, hint, severity))

    # -- the document -------------------------------------------------------------------------
    def merge(self, built: Built, old: dict[str, Any]) -> dict[str, Any]:
        doc = copy.deepcopy(old)
        self.doc = doc
        components = doc.setdefault("components", {})
        schemas = components.get("schemas")
        if not isinstance(schemas, dict):
            schemas = components["schemas"] = {}
        renames = _renames(built.schemas, schemas)
        new_schemas = {renames.get(k, k): _rename_refs(v, renames) for k, v in built.schemas.items()}
        for name, schema in new_schemas.items():
            if name in schemas and isinstance(schemas[name], dict):
                where = ("components", "schemas", name)
                schemas[name] = self.schema(schemas[name], schema, where, name)
            else:
                schemas[name] = schema
                self.note(schema.get(SOURCE), f"schema {name} added")
        paths = doc.get("paths")
        if not isinstance(paths, dict):
            paths = doc["paths"] = {}
        for path, method, op in built.operations:
            op = _rename_refs(op, renames)
            found = self.find_operation(paths, path, method, op)
            label = f"{method.upper()} {path}"
            if found is None:
                item = paths.setdefault(path, {})
                if method in item:
                    self.note(op.get(SOURCE), f"{label} is transcribed twice", "error",
                              "two pages describe the same operation: pass one of them")
                    continue
                item[method] = op
                self.note(op.get(SOURCE), f"operation {label} added")
            else:
                old_path, old_method = found
                where = ("paths", old_path, old_method)
                moved = (old_path, old_method) != (path, method)
                merged = self.operation(paths[old_path][old_method], op, where, f"{old_method.upper()} {old_path}", moved)
                route_shown = not any(str(n).startswith("path:") for n in op.get(INFERRED, []))
                target: dict[str, Any] = paths[path] if isinstance(paths.get(path), dict) else {}
                pinned = paths[old_path][old_method].get(PINNED) is True
                if moved and route_shown and method not in target and not pinned:
                    # the page shows another route for the same operation (its operationId): the page's is written
                    self.note(op.get(SOURCE), f"{old_method.upper()} {old_path} (at {self.at(where)}) is {label} on the page; "
                                              "the page's route is written", "warning",
                              "set x-specgen-pinned: true on the operation to keep the spec's route")
                    del paths[old_path][old_method]
                    if not any(m in METHODS for m in paths[old_path]):
                        paths.pop(old_path)
                    paths.setdefault(path, {})[method] = merged
                    continue
                paths[old_path][old_method] = merged
        return doc

    def find_operation(self, paths: dict[str, Any], path: str, method: str, op: dict[str, Any]) -> tuple[str, str] | None:
        route_inferred = any(n.startswith("path:") for n in op.get(INFERRED, []))
        item = paths.get(path)
        if not route_inferred and isinstance(item, dict) and isinstance(item.get(method), dict):
            return path, method
        wanted = (op.get("x-specgen-resource"), op.get("x-specgen-method"))
        op_id = op.get("operationId")
        for old_path, old_item in paths.items():
            for old_method, old_op in (old_item.items() if isinstance(old_item, dict) else ()):
                if old_method not in METHODS or not isinstance(old_op, dict):
                    continue
                if route_inferred and wanted[1] and _client_names(old_op) == wanted:
                    return old_path, old_method
                if op_id and old_op.get("operationId") == op_id and not route_inferred:
                    return old_path, old_method
        return None

    # -- schemas --------------------------------------------------------------------------------
    def schema(self, old: dict[str, Any], new: dict[str, Any], where: Pointer, label: str) -> dict[str, Any]:
        """A model (component schema, or an object written in place) merged."""
        if old.get(PINNED) is True:
            self.note(new.get(SOURCE), f"{label}: kept as {self.at(where)} has it (x-specgen-pinned)")
            return old
        target, target_where = self.deref(old, where)
        if target is not old:  # a $ref: the page's object is merged into the schema it names
            merged = self.schema(target, new, target_where, label)
            self.replace(target_where, merged)
            out = dict(old)
            self.prose(out, new, where, label)
            _mark(out, new)
            return out
        out = dict(old)
        if "enum" in new:
            self.contract(out, new, where, label)
        elif "properties" in new or new.get("type") == "object" and "additionalProperties" not in new:
            self.fields(out, new, where, label)
        else:
            self.contract(out, new, where, label)
        self.prose(out, new, where, label)
        _mark(out, new)
        return out

    def fields(self, out: dict[str, Any], new: dict[str, Any], where: Pointer, label: str) -> None:
        old_props: dict[str, Any] = out["properties"] if isinstance(out.get("properties"), dict) else {}
        new_props = new.get("properties") or {}
        if not new_props and old_props and "properties" not in new:
            return  # the page shows an object without its fields: the spec's stand
        new_props, renamed = _match_wire_names(new_props, old_props)
        new = {**new, "required": [renamed.get(n, n) for n in new.get("required", [])]}
        props: dict[str, Any] = {}
        for name, prop in new_props.items():
            if name in old_props and isinstance(old_props[name], dict):
                props[name] = self.property(old_props[name], prop, (*where, "properties", name), f"{label}.{name}")
            else:
                props[name] = prop
                if old_props:
                    self.note(prop.get(SOURCE), f"{label}.{name}: new field")
        for name, prop in old_props.items():
            if name not in props:
                if isinstance(prop, dict) and prop.get(PINNED) is True:
                    props[name] = prop
                    continue
                self.note(str(self.at((*where, "properties", name))),
                          f"{label}.{name} removed: the page {new.get(SOURCE, '')} does not list it",
                          "warning", "set x-specgen-pinned: true on the field to keep it")
        if out.get("type") != "object" and "type" not in out:
            out["type"] = "object"
        old_required = out.get("required", [])
        old_required = old_required if isinstance(old_required, list) else []
        unshown = {name for name, prop in new_props.items() if isinstance(prop, dict)
                   and any(str(n).startswith("required: not shown") for n in prop.get(INFERRED, []))}
        required = [n for n in new_props if n in new.get("required", []) or n in unshown and n in old_required]
        if sorted(required) != sorted(old_required):
            self.note(new.get(SOURCE), f"{label}: required fields now {sorted(required)} (were {old_required} at "
                                       f"{self.at((*where, 'required'))})")
        if required:
            out["required"] = required
        else:
            out.pop("required", None)
        # keep the order of the spec's fields, the page's new ones after them
        ordered = {k: props[k] for k in old_props if k in props}
        ordered.update({k: v for k, v in props.items() if k not in ordered})
        out["properties"] = ordered

    def property(self, old: dict[str, Any], new: dict[str, Any], where: Pointer, label: str) -> dict[str, Any]:
        if old.get(PINNED) is True:
            return old
        out = dict(old)
        self.contract(out, new, where, label)
        self.prose(out, new, where, label)
        _mark(out, new)
        return out

    def contract(self, out: dict[str, Any], new: dict[str, Any], where: Pointer, label: str) -> None:
        """The type keys of ``out`` (the spec's, in place) against the page's ``new``."""
        old_view = self.shape(out, where)
        new_view = self.shape(new, ())
        vague_number = any(str(n).startswith("type: number") for n in new.get(INFERRED, []))
        if _compatible(old_view, new_view) or vague_number and _number_like(old_view, new_view):
            self.nested(out, new, where, label)
            new_enum, old_enum = new.get("enum"), self.enum_of(out, where)
            if new_enum is not None and old_enum is not None and set(map(repr, new_enum)) != set(map(repr, old_enum)):
                self.note(new.get(SOURCE), f"{label}: enum values now {new_enum} (were {old_enum} at {self.at(where)})",
                          "warning")
                target, target_where = self.deref(out, where)
                if target is out:
                    out["enum"] = new_enum
                else:
                    changed = dict(target)
                    changed["enum"] = new_enum
                    self.replace(target_where, changed)
            elif new_enum is not None and old_enum is None:
                out["enum"] = new_enum
            return
        self.note(new.get(SOURCE), f"{label}: type {_show(new_view)} on the page, {_show(old_view)} at {self.at(where)}; "
                                   "the page's is written", "warning",
                  "set x-specgen-pinned: true on it in the spec to keep the spec's type")
        for key in _TYPE_KEYS:
            out.pop(key, None)
        for key in _TYPE_KEYS:
            if key in new:
                out[key] = new[key]

    def nested(self, out: dict[str, Any], new: dict[str, Any], where: Pointer, label: str) -> None:
        """Objects written in place (REST reference pages) merge field by field, through ``$ref``s."""
        if "properties" in new:
            target, target_where = self.deref(_strip_null(out), where)
            if target is not out and target is not None:
                merged = self.schema(target, {k: v for k, v in new.items() if k not in (SOURCE, INFERRED)},
                                     target_where, _ref_name(out) or label)
                self.replace(target_where, merged)
            elif isinstance(out.get("properties"), dict) or out.get("type") == "object":
                self.fields(out, new, where, label)
        elif isinstance(new.get("items"), dict) and isinstance(out.get("items"), dict):
            out["items"] = self.property(out["items"], new["items"], (*where, "items"), label + "[]")

    def prose(self, out: dict[str, Any], new: dict[str, Any], where: Pointer, label: str) -> None:
        for key in ("description", "summary", "examples", "example"):
            if key not in new:
                continue
            if key not in out:
                out[key] = new[key]
            elif out[key] != new[key] and not (key == "description" and _same_text(out[key], new[key])):
                self.note(new.get(SOURCE), f"{label}: {key} differs from {self.at((*where, key))}; the spec's is kept")

    # -- operations -------------------------------------------------------------------------------
    def operation(self, old: dict[str, Any], new: dict[str, Any], where: Pointer, label: str,
                  moved: bool = False) -> dict[str, Any]:
        if old.get(PINNED) is True:
            self.note(new.get(SOURCE), f"{label}: kept as {self.at(where)} has it (x-specgen-pinned)")
            return old
        out = dict(old)
        self.prose(out, new, where, label)
        for key in ("operationId", "tags", "x-specgen-resource", "x-specgen-method"):
            if key in new and key not in out:
                out[key] = new[key]
        out["parameters"] = self.parameters(old.get("parameters") or [], new.get("parameters") or [],
                                            (*where, "parameters"), label)
        if not out["parameters"]:
            out.pop("parameters")
        self.body(out, new, where, label)
        self.response(out, new, where, label)
        _mark(out, new)
        _kept_notes(out, {"operationId": "operationId" in old and old["operationId"] != new.get("operationId"),
                          "path": moved},
                    {"path": "path: the page shows no HTTP method and path: the spec's are kept"})
        return out

    def parameters(self, old: list[Any], new: list[dict[str, Any]], where: Pointer, label: str) -> list[Any]:
        result: list[Any] = []
        by_name = {p.get("name"): (i, p) for i, p in enumerate(old) if isinstance(p, dict) and "name" in p}
        as_props = {str(p["name"]): p for p in new}
        matched, _ = _match_wire_names(as_props, {str(k): v for k, v in by_name.items()})
        new = [{**param, "name": name} for name, param in matched.items()]
        used: set[int] = set()
        for param in new:
            name = param["name"]
            if name in by_name:
                index, old_param = by_name[name]
                used.add(index)
                result.append(self.parameter(old_param, param, (*where, str(index)), f"{label} parameter {name}"))
            else:
                result.append(param)
                self.note(param.get(SOURCE), f"{label}: new parameter {name}")
        for index, old_param in enumerate(old):
            if index in used:
                continue
            if not isinstance(old_param, dict) or "$ref" in old_param or old_param.get(PINNED) is True:
                result.append(old_param)
                continue
            self.note(str(self.at((*where, str(index)))),
                      f"{label}: parameter {old_param.get('name')} removed: the page does not list it", "warning",
                      "set x-specgen-pinned: true on the parameter to keep it")
        return result

    def parameter(self, old: dict[str, Any], new: dict[str, Any], where: Pointer, label: str) -> dict[str, Any]:
        if old.get(PINNED) is True:
            return old
        out = dict(old)
        inferred_in = any(n.startswith("in:") for n in new.get(INFERRED, []))
        if not inferred_in and new.get("in") != old.get("in"):
            self.note(new.get(SOURCE), f"{label}: in {new.get('in')} on the page, {old.get('in')} at {self.at(where)}; "
                                       "the page's is written", "warning")
            out["in"] = new["in"]
        if bool(new.get("required")) != bool(old.get("required")):
            if new.get("required"):
                out["required"] = True
            else:
                out.pop("required", None)
        old_schema: dict[str, Any] = old["schema"] if isinstance(old.get("schema"), dict) else {}
        merged = dict(old_schema)
        self.contract(merged, new.get("schema", {}), (*where, "schema"), label)
        out["schema"] = merged
        self.prose(out, new, where, label)
        _mark(out, new)
        _kept_notes(out, {"in": out.get("in") != new.get("in")},
                    {"in": "in: the page does not show where the parameter is sent: the spec's is kept"})
        return out

    def body(self, out: dict[str, Any], new: dict[str, Any], where: Pointer, label: str) -> None:
        new_body, old_body = new.get("requestBody"), out.get("requestBody")
        if new_body is None:
            if isinstance(old_body, dict) and "$ref" not in old_body:
                self.note(str(self.at((*where, "requestBody"))), f"{label}: request body removed: the page shows none",
                          "warning", "set x-specgen-pinned: true on the operation to keep it")
                out.pop("requestBody")
            return
        if not isinstance(old_body, dict) or "$ref" in old_body:
            out["requestBody"] = new_body
            return
        merged_body = dict(old_body)
        content = dict(old_body.get("content") or {})
        media = next((m for m in content if "json" in m), next(iter(content), "application/json"))
        old_media = dict(content.get(media) or {})
        old_schema: dict[str, Any] = old_media["schema"] if isinstance(old_media.get("schema"), dict) else {}
        new_schema = new_body["content"]["application/json"]["schema"]
        schema = dict(old_schema)
        self.contract(schema, new_schema, (*where, "requestBody", "content", media, "schema"), f"{label} body")
        old_media["schema"] = schema
        content[media] = old_media
        merged_body["content"] = content
        merged_body["required"] = new_body.get("required", True)
        _mark(merged_body, new_body)
        out["requestBody"] = merged_body

    def response(self, out: dict[str, Any], new: dict[str, Any], where: Pointer, label: str) -> None:
        new_response = new["responses"]["200"]
        responses = dict(out.get("responses") or {})
        code = next((c for c in responses if str(c).startswith("2")), None)
        if code is None:
            responses["200"] = new_response
            out["responses"] = responses
            return
        old_response = responses[code]
        if not isinstance(old_response, dict) or "$ref" in old_response or "content" not in new_response:
            return
        merged = dict(old_response)
        content = dict(old_response.get("content") or {})
        media = next((m for m in content if "json" in m), None)
        if media is None:
            merged["content"] = new_response["content"]
        else:
            old_media = dict(content[media] or {})
            schema = dict(old_media.get("schema") or {})
            new_schema = new_response["content"]["application/json"]["schema"]
            pointer = (*where, "responses", code, "content", media, "schema")
            if "properties" in new_schema and ("$ref" in schema or "properties" in schema):
                schema = self.schema(schema, new_schema, pointer, f"{label} response")
            else:
                self.contract(schema, new_schema, pointer, f"{label} response")
            old_media["schema"] = schema
            content[media] = old_media
            merged["content"] = content
        responses[code] = merged
        out["responses"] = responses

    # -- helpers ------------------------------------------------------------------------------------
    def deref(self, schema: dict[str, Any], where: Pointer) -> tuple[dict[str, Any], Pointer]:
        seen = 0
        while isinstance(schema.get("$ref"), str) and schema["$ref"].startswith(SCHEMAS) and seen < 32:
            name = schema["$ref"][len(SCHEMAS):]
            target = (self.doc.get("components") or {}).get("schemas", {}).get(name)
            if not isinstance(target, dict):
                break
            schema, where, seen = target, ("components", "schemas", name), seen + 1
        return schema, where

    def replace(self, where: Pointer, value: dict[str, Any]) -> None:
        if len(where) == 3 and where[:2] == ("components", "schemas"):
            self.doc["components"]["schemas"][where[2]] = value

    def enum_of(self, schema: dict[str, Any], where: Pointer) -> list[Any] | None:
        target, _ = self.deref(_strip_null(schema), where)
        enum = target.get("enum")
        return enum if isinstance(enum, list) else None

    def shape(self, schema: dict[str, Any], where: Pointer, depth: int = 0) -> tuple[Any, ...]:
        """The contract of a schema, as far as documentation can show it: no nullability, no format."""
        schema = _strip_null(schema)
        if depth > 8:
            return ("any",)
        if isinstance(schema.get("$ref"), str):
            target, target_where = self.deref(schema, where)
            name = _ref_name(schema) or ""
            if target is schema:
                return ("ref", name.lower())
            inner = self.shape(target, target_where, depth + 1)
            return ("ref", name.lower(), inner)
        kind = schema.get("type")
        if isinstance(kind, list):
            kinds = sorted(k for k in kind if k != "null")
            kind = kinds[0] if len(kinds) == 1 else tuple(kinds)
        if kind == "array":
            items = schema.get("items")
            return ("array", self.shape(items if isinstance(items, dict) else {}, where, depth + 1))
        if kind == "object" or "properties" in schema or "additionalProperties" in schema:
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and "properties" not in schema:
                return ("map", self.shape(extra, where, depth + 1))
            return ("object", "properties" in schema)
        if kind is None:
            return ("any",) if not schema.get("enum") else ("enum",)
        return (kind,)


def _compatible(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """Whether the page's shape ``new`` is the spec's ``old`` as documentation would show it."""
    if new == ("any",) or old == ("any",) and new[0] != "ref":
        return True
    if old[0] == "ref" and new[0] == "ref":
        return bool(old[1] == new[1])
    if old[0] == "ref" and len(old) > 2:
        return _compatible(old[2], new)
    if new[0] == "ref" and old[0] != "ref":
        return False
    if new[0] == "object":  # the page shows an object (with or without its fields): any object-like spec
        return old[0] in ("object", "map")
    if new[0] in ("array", "map") and old[0] == new[0]:
        return _compatible(old[1], new[1])
    if isinstance(old[0], tuple):
        return new[0] in old[0]
    return old == new


def _number_like(old: tuple[Any, ...], new: tuple[Any, ...]) -> bool:
    """``number`` on the page, ``integer`` (or an array of them) in the spec."""
    if old[0] == "array" and new[0] == "array":
        return _number_like(old[1], new[1])
    return old == ("integer",) and new == ("number",)


def _show(shape: tuple[Any, ...]) -> str:
    if shape[0] == "ref":
        return f"$ref {shape[1]}"
    if shape[0] in ("array", "map"):
        return f"{shape[0]} of {_show(shape[1])}"
    if isinstance(shape[0], tuple):
        return " | ".join(shape[0])
    return str(shape[0])


def _strip_null(schema: dict[str, Any]) -> dict[str, Any]:
    """``anyOf: [X, {type: null}]`` → X (nullability is never on the pages)."""
    options = schema.get("anyOf")
    if isinstance(options, list):
        rest = [o for o in options if not (isinstance(o, dict) and o.get("type") == "null")]
        if len(rest) == 1 and isinstance(rest[0], dict):
            return rest[0]
    return schema


def _ref_name(schema: dict[str, Any]) -> str | None:
    schema = _strip_null(schema)
    ref = schema.get("$ref")
    return ref[len(SCHEMAS):] if isinstance(ref, str) and ref.startswith(SCHEMAS) else None


def _same_text(a: Any, b: Any) -> bool:
    return isinstance(a, str) and isinstance(b, str) and " ".join(a.split()) == " ".join(b.split())


def _mark(out: dict[str, Any], new: dict[str, Any]) -> None:
    """Where the node was read now, and what was inferred now (an earlier transcription's marks go)."""
    out.pop(SOURCE, None)
    out.pop(INFERRED, None)
    if SOURCE in new:
        out[SOURCE] = new[SOURCE]
    if INFERRED in new:
        out[INFERRED] = new[INFERRED]


def _match_wire_names(new: dict[str, Any], old: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """A field the page shows by its SDK name (an ``x-specgen-inferred`` wire-name note) that is not in
    the spec under that name, but is under one equal ignoring case and ``_``, takes the spec's name."""
    by_loose: dict[str, list[str]] = {}
    for name in old:
        by_loose.setdefault(rules.loose(name), []).append(name)
    out: dict[str, Any] = {}
    renamed: dict[str, str] = {}
    for name, value in new.items():
        notes = value.get(INFERRED, []) if isinstance(value, dict) else []
        candidates = by_loose.get(rules.loose(name), [])
        if name not in old and len(candidates) == 1 and candidates[0] not in new \
                and any(str(n).startswith(rules.WIRE_NOTE) for n in notes):
            target = candidates[0]
            shown = next(str(n) for n in notes if str(n).startswith(rules.WIRE_NOTE)).split(" from the SDK name ", 1)
            sdk = shown[1].split(" (", 1)[0] if len(shown) > 1 else name
            value = {**value, INFERRED: sorted({*(n for n in notes if not str(n).startswith(rules.WIRE_NOTE)),
                                                f"{rules.WIRE_NOTE}{target} from the spec (the page shows the SDK name {sdk})"})}
            renamed[name] = target
            name = target
        out[name] = value
    return out, renamed


def _kept_notes(out: dict[str, Any], kept: dict[str, bool], replacements: dict[str, str]) -> None:
    """An inference note about a value the spec had otherwise (and kept) says so instead."""
    notes = out.get(INFERRED)
    if not isinstance(notes, list):
        return
    changed = []
    for note in notes:
        rule = str(note).split(":", 1)[0]
        if kept.get(rule):
            if rule in replacements:
                changed.append(replacements[rule])
            continue
        changed.append(note)
    if changed:
        out[INFERRED] = sorted(set(changed))
    else:
        out.pop(INFERRED)


def _loc(where: str | None) -> Loc | None:
    if not where:
        return None
    page, _, line = where.rpartition(":")
    return Loc(page, int(line)) if line.isdigit() else None


def _client_names(op: dict[str, Any]) -> tuple[Any, Any]:
    resource = op.get("x-specgen-resource")
    if resource is None and isinstance(op.get("tags"), list) and op["tags"]:
        resource = naming.snake(str(op["tags"][0]))
    method = op.get("x-specgen-method")
    if method is None and isinstance(op.get("operationId"), str):
        method = naming.snake(op["operationId"])
    return resource, method


def _renames(new: dict[str, Any], old: dict[str, Any]) -> dict[str, str]:
    """A page's model matches the spec's schema of the same name; else the one equal ignoring case;
    else the one an earlier transcription read from the same page (``x-specgen-source``), which the
    user has renamed since (a schema keeps its identity through a rename by where it was read)."""
    lower: dict[str, list[str]] = {}
    by_page: dict[str, list[str]] = {}
    for name, schema in old.items():
        lower.setdefault(name.lower(), []).append(name)
        page = _source_page(schema)
        if page:
            by_page.setdefault(page, []).append(name)
    out: dict[str, str] = {}
    for name, schema in new.items():
        if name in old:
            continue
        if len(lower.get(name.lower(), [])) == 1:
            out[name] = lower[name.lower()][0]
            continue
        earlier = by_page.get(_source_page(schema) or "", [])
        if len(earlier) == 1 and earlier[0] not in new and earlier[0] not in out.values():
            out[name] = earlier[0]
    return out


def _source_page(schema: Any) -> str | None:
    """The page a model schema was transcribed from (not a placeholder's: that is the linking page)."""
    if not isinstance(schema, dict) or not isinstance(schema.get(SOURCE), str):
        return None
    if any(str(n).startswith("placeholder:") for n in schema.get(INFERRED, []) or []):
        return None
    page, _, line = schema[SOURCE].rpartition(":")
    return page if line.isdigit() else None


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if not renames:
        return node
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMAS):
                name = value[len(SCHEMAS):]
                out[key] = SCHEMAS + renames.get(name, name)
            else:
                out[key] = _rename_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rename_refs(v, renames) for v in node]
    return node

