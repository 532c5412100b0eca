"""Load a spec: YAML with line numbers → checked OpenAPI 3.1 document.

Every problem is collected as a :class:`Diagnostic` with the file and line it comes from, in stages;
a stage with problems stops the load, so one mistake is not reported three times in three
vocabularies, and no stage sees input an earlier stage refused:

1. the file and its YAML (:mod:`.yamlload`): JSON data only, bounded in size, depth and aliases;
2. the structure later stages rely on (here): `$ref` targets of a sensible kind and without cycles,
   schema types, schema nesting at most :data:`MAX_SCHEMA_DEPTH`, pattern syntax, operationIds;
3. the OpenAPI 3.1 schema (:mod:`.validator`): openapi-spec-validator, on a view that cannot hang it.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import cache, validator, yamlload
from .diagnostics import ERROR, Diagnostic, SpecError

Pointer = yamlload.Pointer
JSON_TYPES = ("array", "boolean", "integer", "null", "number", "object", "string")


@dataclass
class Spec:
    """A loaded spec: the document plus where each part of it was written."""

    path: Path
    data: dict[str, Any]
    lines: dict[Pointer, int]
    #: Problems that do not stop generation (see :mod:`.validator` for which ones).
    warnings: list[Diagnostic] = field(default_factory=list)
    #: The text the document was read from: what the checks' results are cached under (:mod:`.cache`).
    text: str = field(default="", repr=False)
    #: Where each schema that :mod:`.inline` moved under ``components/schemas`` was written (by key):
    #: a class's identity that survives a change of the name it was given.
    origins: dict[str, Pointer] = field(default_factory=dict, repr=False)

    def line(self, pointer: Pointer) -> int:
        """Line of ``pointer``, or of its closest written ancestor; a pointer into a schema
        :mod:`.inline` moved is read where that schema was written (``origins``)."""
        if len(pointer) > 2 and pointer[0] == "components" and pointer[1] == "schemas" and pointer[2] in self.origins:
            pointer = (*self.origins[pointer[2]], *pointer[3:])
        while pointer and pointer not in self.lines:
            pointer = pointer[:-1]
        return self.lines.get(pointer, 1)

    def at(self, pointer: Pointer, message: str, hint: str = "", severity: str = ERROR) -> Diagnostic:
        return Diagnostic(self.path, self.line(pointer), message, hint, severity)

    def resolve(self, ref: str) -> tuple[Pointer, Any]:
        """Follow a local ``$ref`` (already checked at load time)."""
        pointer = ref_pointer(ref)
        node: Any = self.data
        for part in pointer:
            node = node[int(part)] if isinstance(node, list) else node[part]
        return pointer, node


def ref_pointer(ref: str) -> Pointer:
    """``#/components/schemas/A~1B`` → ``("components", "schemas", "A/B")``.

    The fragment of a URI is percent-decoded before the pointer's ``~1``/``~0`` escapes are undone
    (RFC 6901 §6): ``#/paths/~1jobs~1%7Bid%7D`` names the path ``/jobs/{id}``.
    """
    parts = urllib.parse.unquote(ref[1:]).split("/")[1:] if ref.startswith("#/") else []
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in parts)


def load(path: Path) -> Spec:
    """Read, check and return the spec at ``path``; raise :class:`SpecError` listing every problem.

    Warnings (problems that do not change the client) do not raise: they are in ``spec.warnings``.

    A spec that passes is stored in :mod:`.cache` under its text, as read (the data, the line of
    each value, and what the validator found), and read back from there the next time: a large
    spec is read back three times faster than it is parsed and checked again.

    The same in three steps, for a caller with other work to do while the OpenAPI schema is
    checked: :func:`begin`, :func:`validated`, :func:`finish`.
    """
    begun = begin(path)
    if isinstance(begun, Spec):
        return begun
    return finish(begun, *validated(begun))


@dataclass
class Unchecked:
    """A spec through stages 1 and 2 (its YAML and its structure), not yet through stage 3."""

    spec: Spec
    risky: list[Pointer]  # the objects :func:`validator.is_risky` picked out
    tree: bool  # whether the document is a tree (see :func:`yamlload.load_tree`), so it can be cached


def begin(path: Path) -> Spec | Unchecked:
    """Stages 1 and 2 of :func:`load` (a :class:`SpecError` for their problems), or the whole
    checked spec when :mod:`.cache` has it."""
    text = _text(path)
    spec = _loaded(path, text)
    if spec is not None:
        return spec
    data, lines, tree = yamlload.load_tree(path, text)
    spec = Spec(path, data, lines, text=text)
    risky: list[Pointer] = []
    _raise_if(list(_check_structure(spec, risky)))
    return Unchecked(spec, risky, tree)


def validated(begun: Unchecked) -> tuple[list[Diagnostic], list[Pointer]]:
    """Stage 3: what :func:`validator.check` finds, and the values it says to leave out. Reads
    ``begun`` only, so it can run in another process (see :mod:`.pipeline`)."""
    return _validated(begun.spec, begun.risky)


def finish(begun: Unchecked, found: list[Diagnostic], ignored: list[Pointer]) -> Spec:
    """The checked spec from stage 3's findings (a :class:`SpecError` if one is an error), stored in
    :mod:`.cache`; the values in ``ignored`` are taken out of ``begun.spec`` (the same object)."""
    if any(not d.is_warning for d in found):
        raise SpecError(found)
    spec = begun.spec
    if begun.tree:  # the line of each value is then one number, in document order (see yamlload.load_tree)
        cache.put("loaded", spec.text, {"data": spec.data, "lines": [line for _, line in spec.lines.items()],
                                        "found": _found_entry(found), "ignored": [list(pointer) for pointer in ignored]})
    return _checked(spec, found, ignored)


def _checked(spec: Spec, found: list[Diagnostic], ignored: list[Pointer]) -> Spec:
    """``spec`` with the warnings in ``found`` and the values in ``ignored`` left out (see :mod:`.validator`)."""
    spec.warnings = sorted(set(d for d in found if d.is_warning))
    for pointer in sorted(set(ignored), key=len, reverse=True):  # inner values first
        _remove(spec.data, pointer)
    return spec


def _loaded(path: Path, text: str) -> Spec | None:
    """The spec :func:`load` stored for ``text``, or None (not stored, or not as stored)."""
    with yamlload.paused_gc():
        entry = cache.get("loaded", text)
    try:
        data = entry["data"]
        if not isinstance(data, dict):
            return None
        if not all(type(line) is int for line in entry["lines"]):
            return None
        lines = yamlload.lines_of(data, entry["lines"])
        found = [Diagnostic(path, line, message, hint, severity) for line, message, hint, severity in entry["found"]]
        ignored = [tuple(pointer) for pointer in entry["ignored"]]
    except (TypeError, ValueError, KeyError):
        return None
    return _checked(Spec(path, data, lines, text=text), found, ignored)


def _found_entry(found: list[Diagnostic]) -> list[tuple[int, str, str, str]]:
    return [(d.line, d.message, d.hint, d.severity) for d in found]


def _validated(spec: Spec, risky: list[Pointer]) -> tuple[list[Diagnostic], list[Pointer]]:
    """What :func:`validator.check` finds, and the values it says to leave out; computed once per
    text (``risky`` is derived from the text too) and then read from :mod:`.cache`."""
    cached = cache.get("validate", spec.text)
    if cached is not None:
        return ([Diagnostic(spec.path, line, message, hint, severity) for line, message, hint, severity in cached["found"]],
                [tuple(pointer) for pointer in cached["ignored"]])
    ignored: list[Pointer] = []
    found = list(validator.check(spec, risky, ignored))
    cache.put("validate", spec.text, {"found": _found_entry(found), "ignored": [list(pointer) for pointer in ignored]})
    return found, ignored


def _remove(data: Any, pointer: Pointer) -> None:
    """Delete the mapping entry at ``pointer`` (a value the validator found wrong; see :mod:`.validator`)."""
    node = data
    for part in pointer[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return
    if isinstance(node, dict):
        node.pop(pointer[-1], None)


def read(path: Path) -> Spec:
    """The document at ``path`` as JSON data with the line of every part, before any check.

    JSON is read by the YAML reader too, for the line numbers. Outside strings, where JSON allows
    no raw tab, a tab is whitespace that YAML refuses to indent with: it becomes a space.
    """
    text = _text(path)
    data, lines = yamlload.load_yaml(path, text)
    return Spec(path, data, lines, text=text)


def _text(path: Path) -> str:
    text = yamlload.read_text(path)
    return text.replace("\t", " ") if path.suffix == ".json" else text


def _raise_if(diagnostics: list[Diagnostic]) -> None:
    if diagnostics:
        raise SpecError(diagnostics)


MAX_SCHEMA_DEPTH = 64  # schema-in-schema levels (not counting $ref); the specs in specs/ use at most 4
#: The keywords under which a schema holds other schemas: maps of them, lists of them, one of them.
SCHEMA_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SCHEMA_CHILDREN = ("items", "additionalProperties", "not", "contains", "if", "then", "else",
                    "propertyNames", "unevaluatedItems", "unevaluatedProperties", "contentSchema")
_NOT_SPEC = ("example", "examples", "default", "enum", "const")
_COMBINATIONS = ("allOf", "anyOf", "oneOf")
# Roles of a node in the walk: an OpenAPI object (or extension), a schema, a map of names to schemas,
# a list of schemas (allOf, ...).
SPEC, SCHEMA, NAMES, SCHEMA_LIST = "spec", "schema", "names", "schema list"


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
        items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
        children = []
        for key, value in items:
            key = str(key)
            step = _step(pointer, role, depth, key, value)
            if step is not None:
                children.append(((*pointer, key), value, *step))
        stack.extend(reversed(children))


def _step(pointer: Pointer, role: str, depth: int, key: str, value: Any) -> tuple[str, int] | None:
    """Role and schema depth of the child ``key`` of the node at ``pointer``; None: not walked."""
    if role in (NAMES, SCHEMA_LIST):
        return SCHEMA, depth + 1
    if key in _NOT_SPEC:
        return None
    if role == SCHEMA:
        if key in SCHEMA_MAPS and isinstance(value, dict):
            return NAMES, depth
        if key in SCHEMA_LISTS and isinstance(value, list):
            return SCHEMA_LIST, depth
        return (SCHEMA, depth + 1) if key in SCHEMA_CHILDREN else None
    if key == "schema":
        return SCHEMA, 1
    if key == "schemas" and pointer == ("components",):
        return NAMES, 0
    return SPEC, 0


def _role_at(data: Any, pointer: Pointer) -> str | None:
    """The role the walk from the document root gives ``pointer`` (None: it does not go there)."""
    node, role, depth = data, SPEC, 0
    for index, key in enumerate(pointer):
        node = node[int(key)] if isinstance(node, list) else node[key]
        step = _step(pointer[:index], role, depth, key, node)
        if step is None or (role == SCHEMA and depth > MAX_SCHEMA_DEPTH):
            return None
        role, depth = step
    return role


def _check_structure(spec: Spec, risky: list[Pointer] | None = None) -> Iterator[Diagnostic]:
    """What later stages rely on: versions, references that lead somewhere sensible and do not go
    round in circles, schema types that exist, schemas nested within bounds, unique operationIds.

    Objects the validator could spend unbounded time on (see :func:`validator.view`) are added to
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
    extra: set[tuple[Pointer, str]] = set()  # $ref targets walked on their own, with the role they were walked in
    while roots:
        found: list[tuple[Pointer, str]] = []
        for pointer, node, role, depth in _walk(roots):
            if role == SCHEMA and depth > MAX_SCHEMA_DEPTH:
                yield spec.at(pointer, f"schema nested more than {MAX_SCHEMA_DEPTH} levels deep",
                              "move inner schemas under components/schemas and use $ref")
            if not isinstance(node, dict) or role in (NAMES, SCHEMA_LIST):
                continue
            if risky is not None and validator.is_risky(node):
                risky.append(pointer)
            if "$ref" in node:
                target = yield from _check_ref(spec, pointer, node["$ref"], role)
                if target is not None:
                    refs[pointer] = target
                    found.append((target, SCHEMA if role == SCHEMA else SPEC))
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
        for target, role in dict.fromkeys(found):
            if (target, role) not in extra and _role_at(spec.data, target) != role:
                extra.add((target, role))
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
