"""Load a spec: YAML with line numbers → checked OpenAPI 3.1 document.

Every problem is collected as a :class:`Diagnostic` with the file and line it comes from, in stages
(syntax, references and types, the OpenAPI schema); a stage with problems stops the load, so one
mistake is not reported three times in three vocabularies.
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterator
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
    risky: list[Pointer] = []
    _raise_if(list(_check_structure(spec, risky)))
    _raise_if(list(_check_openapi(spec, risky)))
    return spec


def _raise_if(diagnostics: list[Diagnostic]) -> None:
    if diagnostics:
        raise SpecError(diagnostics)


MAX_SCHEMA_DEPTH = 64  # schema-in-schema levels (not counting $ref); the specs in specs/ use at most 4
_SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
_SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
_SCHEMA_CHILDREN = ("items", "additionalProperties", "not", "contains", "if", "then", "else",
                    "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema")
_NOT_SPEC = ("example", "examples", "default", "enum", "const")
_COMBINATIONS = ("allOf", "anyOf", "oneOf")
# Roles of a node in the walk: an OpenAPI object (or extension), a schema, a map of names to schemas.
SPEC, SCHEMA, NAMES = "spec", "schema", "names"


def _walk(roots: list[tuple[Pointer, Any, str]]) -> Iterator[tuple[Pointer, Any, str, int]]:
    """Every node under ``roots`` (pointer, node, role) with its role and schema depth.

    Values (examples, defaults, enums) are not entered; in a schema only the keywords that hold
    schemas are. Iterative, so any nesting the YAML loader accepts is fine here.
    """
    stack: list[tuple[Pointer, Any, str, int]] = [(p, n, r, 1 if r == SCHEMA else 0) for p, n, r in reversed(roots)]
    while stack:
        pointer, node, role, depth = item = stack.pop()
        yield item
        if role == SCHEMA and depth > MAX_SCHEMA_DEPTH:
            continue  # reported by the caller; going deeper would only repeat it
        children: list[tuple[Pointer, Any, str, int]] = []
        if isinstance(node, list):
            if role != SCHEMA:
                children = [((*pointer, str(i)), v, SPEC, 0) for i, v in enumerate(node)]
        elif isinstance(node, dict):
            for key, value in node.items():
                child = (*pointer, key)
                if role == NAMES:
                    children.append((child, value, SCHEMA, depth + 1))
                elif key in _NOT_SPEC:
                    continue
                elif role == SCHEMA:
                    if key in _SCHEMA_MAPS and isinstance(value, dict):
                        children.append((child, value, NAMES, depth))
                    elif key in _SCHEMA_LISTS and isinstance(value, list):
                        children += [((*child, str(i)), v, SCHEMA, depth + 1) for i, v in enumerate(value)]
                    elif key in _SCHEMA_CHILDREN:
                        children.append((child, value, SCHEMA, depth + 1))
                elif key == "schema":
                    children.append((child, value, SCHEMA, 1))
                elif key == "schemas" and pointer == ("components",):
                    children.append((child, value, NAMES, 0))
                else:
                    children.append((child, value, SPEC, 0))
        stack.extend(reversed(children))


def _check_structure(spec: Spec, risky: list[Pointer] | None = None) -> Iterator[Diagnostic]:
    """What later stages rely on: versions, references that lead somewhere sensible and do not go
    round in circles, schema types that exist, schemas nested within bounds, unique operationIds.

    Objects the validator could spend unbounded time on (see :func:`_validator_view`) are added to
    ``risky``."""
    version = spec.data.get("openapi")
    if not (isinstance(version, str) and version.startswith("3.1")):
        yield spec.at(("openapi",), f"unsupported OpenAPI version {version!r}",
                      "specgen reads OpenAPI 3.1 documents: set `openapi: 3.1.0`")
        return
    yield from _check_operation_ids(spec)
    refs: dict[Pointer, Pointer] = {}  # pointer of an object with a $ref → pointer of its target
    combined: dict[Pointer, list[Pointer]] = {}  # schema → its allOf/anyOf/oneOf members
    roots: list[tuple[Pointer, Any, str]] = [((), spec.data, SPEC)]
    walked: set[tuple[Pointer, str]] = set()
    while roots:
        found: list[Pointer] = []
        for pointer, node, role, depth in _walk(roots):
            walked.add((pointer, role))
            if role == SCHEMA and depth > MAX_SCHEMA_DEPTH:
                yield spec.at(pointer, f"schema nested more than {MAX_SCHEMA_DEPTH} levels deep",
                              "move inner schemas under components/schemas and use $ref")
            if not isinstance(node, dict) or role == NAMES:
                continue
            if risky is not None and _is_risky(node):
                risky.append(pointer)
            if "$ref" in node:
                target = yield from _check_ref(spec, pointer, node["$ref"], role)
                if target is not None:
                    refs[pointer] = target
                    found.append(pointer)
            if role == SCHEMA:
                yield from _check_patterns(spec, pointer, node)
                declared = node.get("type")
                for type_name in declared if isinstance(declared, list) else [declared]:
                    if type_name is not None and type_name not in JSON_TYPES:
                        yield spec.at((*pointer, "type"), f"unknown type {type_name!r}",
                                      f"use one of: {', '.join(JSON_TYPES)}")
                members = [(*pointer, key, str(i)) for key in _COMBINATIONS
                           if isinstance(node.get(key), list) for i in range(len(node[key]))]
                if members:
                    combined[pointer] = members
        # A $ref may lead where the walk does not go (an extension, say): check it there too.
        roots = []
        for source in found:
            target = refs[source]
            role = SCHEMA if (source, SCHEMA) in walked else SPEC
            if (target, role) not in walked:
                walked.add((target, role))
                roots.append((target, spec.resolve(_ref_text(target))[1], role))
    yield from _check_cycles(spec, refs, combined)


# Syntax errors that are errors in ECMA-262 regular expressions too. Other complaints of Python's
# `re` may be about ECMA syntax it lacks (`\p{L}`, `(?<name>...)`, `[^]`), which is valid in a spec.
_PATTERN_ERRORS = ("missing ), unterminated subpattern", "unbalanced parenthesis", "nothing to repeat", "multiple repeat")


def _check_patterns(spec: Spec, pointer: Pointer, schema: dict[str, Any]) -> Iterator[Diagnostic]:
    patterns: list[tuple[Pointer, str]] = []
    if isinstance(schema.get("pattern"), str):
        patterns.append((("pattern",), schema["pattern"]))
    if isinstance(schema.get("patternProperties"), dict):
        patterns += [(("patternProperties", key), key) for key in schema["patternProperties"]]
    for where, pattern in patterns:
        if len(pattern) > 1000:
            continue  # compiling is cheap, but not free
        try:
            re.compile(pattern)
        except re.error as exc:
            if exc.msg in _PATTERN_ERRORS:
                yield spec.at((*pointer, *where), f"invalid pattern {pattern[:80]!r}: {exc.msg} at position {exc.pos}",
                              "patterns are ECMA-262 regular expressions: fix the syntax (escape a literal ( ) * + ? with \\)")
        except (RecursionError, OverflowError, MemoryError):
            continue


def _ref_text(pointer: Pointer) -> str:
    return "#/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in pointer)


def _check_operation_ids(spec: Spec) -> Iterator[Diagnostic]:
    first_use: dict[str, Pointer] = {}
    paths = spec.data.get("paths")
    for path, item in paths.items() if isinstance(paths, dict) else ():
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


def _check_ref(spec: Spec, pointer: Pointer, ref: Any, role: str) -> Generator[Diagnostic, None, Pointer | None]:
    """Problems of the ``$ref`` in the object at ``pointer``; its target's pointer if it has a sensible one."""
    where = (*pointer, "$ref")
    if not isinstance(ref, str):
        yield spec.at(where, f"$ref must be a string, not {type(ref).__name__}",
                      "write $ref: '#/components/...'")
        return None
    if not ref.startswith("#/"):
        yield spec.at(where, f"unsupported $ref {ref!r}",
                      "specgen resolves references inside the same file only: use '#/components/...'")
        return None
    node: Any = spec.data
    target: list[str] = []
    for part in ref_pointer(ref):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isascii() and part.isdigit() and int(part[:9]) < len(node):
            node = node[int(part)]
            part = str(int(part))  # the pointer the walk knows: `01` is item 1
        else:
            name = ref.rsplit("/", 1)[-1]
            yield spec.at(where, f"unresolved $ref {ref!r}",
                          f"define {name!r} under {ref.rsplit('/', 1)[0][2:]} or fix the reference")
            return None
        target.append(part)
    if role == SCHEMA and not isinstance(node, (dict, bool)):
        yield spec.at(where, f"$ref {ref!r} points at a {_kind(node)}, not a schema",
                      "point it at a schema (a mapping such as `type: object`)")
        return None
    if role != SCHEMA and not isinstance(node, dict):
        yield spec.at(where, f"$ref {ref!r} points at a {_kind(node)}, not an object",
                      "point it at the parameter, response, request body, ... it stands for")
        return None
    return tuple(target)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    return "null" if value is None else type(value).__name__


def _check_cycles(spec: Spec, refs: dict[Pointer, Pointer], combined: dict[Pointer, list[Pointer]]) -> Iterator[Diagnostic]:
    """``$ref`` chains and allOf/anyOf/oneOf combinations that lead back where they started: a
    schema (or parameter, response, ...) defined as itself, which no stage could ever expand."""
    reported: set[frozenset[Pointer]] = set()
    on_path: dict[Pointer, int] = {}  # pointer → its index in `path`
    done: set[Pointer] = set()
    for start in sorted({*refs, *combined}):
        if start in done:
            continue
        path: list[Pointer] = [start]
        pending: list[Iterator[Pointer]] = [_edges(start, refs, combined)]
        on_path[start] = 0
        while pending:
            following = next(pending[-1], None)
            if following is None:
                done.add(path[-1])
                del on_path[path.pop()]
                pending.pop()
            elif following in on_path:
                cycle = path[on_path[following]:]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    yield _cycle_error(spec, cycle, refs)
                    if len(reported) >= _MAX_CYCLES:
                        return  # a document made of cycles: these are enough to go on with
            elif following not in done:
                on_path[following] = len(path)
                path.append(following)
                pending.append(_edges(following, refs, combined))


_MAX_CYCLES = 50


def _edges(pointer: Pointer, refs: dict[Pointer, Pointer], combined: dict[Pointer, list[Pointer]]) -> Iterator[Pointer]:
    if pointer in refs:
        yield refs[pointer]
    yield from combined.get(pointer, ())


def _cycle_error(spec: Spec, cycle: list[Pointer], refs: dict[Pointer, Pointer]) -> Diagnostic:
    sources = [p for p in cycle if p in refs]
    first = min(sources, key=lambda p: (spec.line((*p, "$ref")), p))
    turn = cycle.index(first)
    cycle = cycle[turn:] + cycle[:turn]
    names = [_name(refs[p]) for p in cycle if p in refs]
    names = names[-1:] + names  # start from the object the first $ref is in
    if len(names) > 12:
        names = [*names[:6], f"... ({len(names) - 10} more)", *names[-4:]]
    return spec.at((*first, "$ref"), f"$ref cycle: {' → '.join(names)}",
                   "an object cannot be defined as (a combination of) itself: break the cycle; recursion "
                   "through properties or items is fine")


def _name(pointer: Pointer) -> str:
    if len(pointer) == 3 and pointer[0] == "components":
        return pointer[2]
    return _ref_text(pointer)


# Defaults are validated against their schema by openapi-spec-validator; bigger ones are left out.
_DEFAULT_NODES, _DEFAULT_DEPTH, _DEFAULT_TEXT = 1_000, 16, 10_000


def _is_risky(node: dict[str, Any]) -> bool:
    return (isinstance(node.get("pattern"), str) or isinstance(node.get("patternProperties"), dict)
            or ("default" in node and not _small(node["default"])))


def _small(value: Any) -> bool:
    """At most _DEFAULT_NODES values, _DEFAULT_DEPTH levels and _DEFAULT_TEXT characters in a string."""
    stack, count = [(value, 0)], 0
    while stack:
        value, depth = stack.pop()
        count += 1
        if count > _DEFAULT_NODES or depth > _DEFAULT_DEPTH:
            return False
        if isinstance(value, str) and len(value) > _DEFAULT_TEXT:
            return False
        if isinstance(value, dict):
            stack += [(k, depth + 1) for k in value] + [(v, depth + 1) for v in value.values()]
        elif isinstance(value, list):
            stack += [(v, depth + 1) for v in value]
    return True


def _validator_view(data: dict[str, Any], risky: list[Pointer]) -> dict[str, Any]:
    r"""The document as openapi-spec-validator gets it: the same, except where it could take unbounded time.

    The validator checks each `default` against its schema with Python's ``re`` and format checkers:
    a backtracking ``pattern`` such as ``(a+)+$`` hangs it, and ECMA-only syntax (``\p{L}``) is
    reported as invalid although it is not. So the view has every ``pattern`` emptied, the keys of
    ``patternProperties`` replaced by patterns that match nothing (and ``additionalProperties``
    dropped next to them, so no default is refused for what is left), and large defaults removed.
    Only the objects on the way to a change are copied; the rest is shared.
    """
    view = dict(data)
    copies: dict[Pointer, Any] = {(): view}
    for pointer in reversed(risky):  # deepest first: a parent's change renames keys on the way to children
        node: Any = view
        for depth in range(1, len(pointer) + 1):
            here = pointer[:depth]
            if here not in copies:
                part = pointer[depth - 1]
                index: Any = int(part) if isinstance(node, list) else part
                copies[here] = node[index] = dict(node[index]) if isinstance(node[index], dict) else list(node[index])
            node = copies[here]
        if isinstance(node.get("pattern"), str):
            node["pattern"] = ""
        if isinstance(node.get("patternProperties"), dict):
            node["patternProperties"] = {f"(?!){i}": v for i, v in enumerate(node["patternProperties"].values())}
            node.pop("additionalProperties", None)
            node.pop("unevaluatedProperties", None)
        if "default" in node and not _small(node["default"]):
            del node["default"]
    return view


def _validator_class() -> Any:
    """openapi-spec-validator's OpenAPI 3.1 validator, with errors in a `default` located at it
    (it reports them at the path inside the default value, which is line 1 of the spec)."""
    from openapi_spec_validator import OpenAPIV31SpecValidator
    from openapi_spec_validator.validation.keywords import OpenAPIV31ValueValidator

    class LocatedDefaults(OpenAPIV31ValueValidator):
        def __call__(self, schema: Any, value: Any) -> Iterator[Any]:
            where = [str(part) for part in schema.parts] + ["default"]
            for error in super().__call__(schema, value):
                error.relative_path.extendleft(reversed(where))
                yield error

    class Validator(OpenAPIV31SpecValidator):
        keyword_validators = {**OpenAPIV31SpecValidator.keyword_validators, "default": LocatedDefaults}

    return Validator


def _check_openapi(spec: Spec, risky: list[Pointer] | None = None) -> Iterator[Diagnostic]:
    """Everything the OpenAPI 3.1 schema says, via openapi-spec-validator (on :func:`_validator_view`)."""
    if risky is None:
        risky = []
        list(_check_structure(spec, risky))
    validator = _validator_class()(_validator_view(spec.data, risky))
    errors: list[Any] = []
    try:
        # The schema of OpenAPI documents first: the validator's own walk assumes a document that fits it.
        errors.extend(validator.schema_validator.iter_errors(validator.schema))
        if not errors:
            errors.extend(validator.root_validator(validator.schema_path))
    except RecursionError:
        # Its walk follows $refs without end on recursion it does not expect (`A: {allOf: [{items: A}]}`
        # is a list of lists). Cycles with no base case and deep nesting were refused before it ran, so
        # what is left is legitimate recursion: keep what it found so far and trust the structure checks.
        pass
    except Exception as exc:  # noqa: BLE001 - a bug of the validator must still end in a located error
        yield spec.at((), f"the OpenAPI validator failed on this spec ({type(exc).__name__}: {str(exc)[:200]})",
                      "check the spec's structure against https://spec.openapis.org/oas/v3.1.0")
        return
    for error in errors:
        pointer = tuple(str(p) for p in getattr(error, "absolute_path", ()))
        message = str(getattr(error, "message", error)).splitlines()[0]
        if len(message) > 300:
            message = message[:297] + "..."
        yield spec.at(pointer, f"invalid OpenAPI: {message}",
                      "see https://spec.openapis.org/oas/v3.1.0 for what belongs here")
