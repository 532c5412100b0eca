"""The hostile cases: each a small edit of the base spec (:mod:`hostile.base`) with an id.

Sections follow issue 6: spec text that becomes code (every field x every payload), YAML tricks,
schemas, paths, long names, names that collide with what the generated code uses, and package names.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

from hostile.base import CLIENT, PACKAGE
from hostile.harness import Case, Edit

RUN = ("components", "schemas", "Run")
GET = ("paths", "/runs/{run_id}", "get")
LIST = ("paths", "/runs", "get")
POST = ("paths", "/runs", "post")
DELETE = ("paths", "/runs/{run_id}", "delete")
SCHEME = ("components", "securitySchemes", "ApiKeyAuth")
Pointer = tuple[Any, ...]

# -- edit helpers ---------------------------------------------------------------------------------


def _node(spec: Any, pointer: Pointer) -> Any:
    for part in pointer:
        spec = spec[part]
    return spec


def put(pointer: Pointer, value: Any) -> Edit:
    """Set the value at ``pointer`` (the last part may be a new key)."""

    def edit(spec: dict[str, Any]) -> None:
        _node(spec, pointer[:-1])[pointer[-1]] = value

    return edit


def drop(pointer: Pointer) -> Edit:
    def edit(spec: dict[str, Any]) -> None:
        del _node(spec, pointer[:-1])[pointer[-1]]

    return edit


def call(pointer: Pointer, function: Callable[[Any], Any]) -> Edit:
    """Replace the value at ``pointer`` by ``function(value)``."""

    def edit(spec: dict[str, Any]) -> None:
        parent = _node(spec, pointer[:-1])
        parent[pointer[-1]] = function(parent[pointer[-1]])

    return edit


def rename_key(mapping: Pointer, old: str, new: str) -> Edit:
    """Rename a key of the mapping at ``mapping``, keeping its place."""

    def edit(spec: dict[str, Any]) -> None:
        parent = _node(spec, mapping[:-1]) if mapping else None
        node = _node(spec, mapping)
        renamed = {(new if key == old else key): value for key, value in node.items()}
        if parent is None:
            spec.clear()
            spec.update(renamed)
        else:
            parent[mapping[-1]] = renamed

    return edit


def _walk_refs(node: Any, rewrite: Callable[[str], str]) -> None:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                node[key] = rewrite(value)
            else:
                _walk_refs(value, rewrite)
    elif isinstance(node, list):
        for item in node:
            _walk_refs(item, rewrite)


def rename_schema(old: str, new: str) -> Edit:
    """Rename a component schema and every reference to it."""
    rename = rename_key(("components", "schemas"), old, new)
    target = f"#/components/schemas/{old}"

    def edit(spec: dict[str, Any]) -> None:
        rename(spec)
        _walk_refs(spec, lambda ref: f"#/components/schemas/{new}" if ref == target else ref)

    return edit


def rename_path(old: str, new: str) -> Edit:
    return rename_key(("paths",), old, new)


def all_of(*edits: Edit) -> Edit:
    def edit(spec: dict[str, Any]) -> None:
        for one in edits:
            one(spec)

    return edit


def add_property(name: str, schema: dict[str, Any], model: str = "Run") -> Edit:
    return put(("components", "schemas", model, "properties", name), schema)


def add_query(operation: Pointer, name: str, schema: dict[str, Any] | None = None) -> Edit:
    parameter = {"name": name, "in": "query", "description": f"The {name} parameter.",
                 "schema": schema or {"type": "string"}}
    return call((*operation, "parameters"), lambda params: [*params, parameter])


def set_tag(name: str) -> Edit:
    """Rename the tag (declared and used by every operation)."""

    def edit(spec: dict[str, Any]) -> None:
        spec["tags"][0]["name"] = name
        for item in spec["paths"].values():
            for operation in item.values():
                operation["tags"] = [name]

    return edit


def for_all_operations(key: str, value: Any) -> Edit:
    def edit(spec: dict[str, Any]) -> None:
        for item in spec["paths"].values():
            for operation in item.values():
                operation[key] = value

    return edit


_raw_tokens = itertools.count()


def raw(pointer: Pointer, yaml_text: str) -> tuple[Edit, Callable[[str], str]]:
    """Put literal YAML (tags, anchors, flow collections too deep for the dumper) at ``pointer``."""
    token = f"RAWTOKEN{next(_raw_tokens):04d}"

    def text(spec_text: str) -> str:
        assert spec_text.count(token) == 1, token
        return spec_text.replace(token, yaml_text)

    return put(pointer, token), text


def raw_case(case_id: str, pointer: Pointer, yaml_text: str, **kwargs: Any) -> Case:
    edit, text = raw(pointer, yaml_text)
    return Case(case_id, edit=edit, text=text, **kwargs)


def replace_text(old: str, new: str) -> Callable[[str], str]:
    def text(spec_text: str) -> str:
        assert old in spec_text, old
        return spec_text.replace(old, new, 1)

    return text


# -- section 1: spec text that becomes code -------------------------------------------------------

#: Dangerous strings, by id. Several try to run code when the generated package is imported.
PAYLOADS: dict[str, str] = {
    "inject-marker": 'x"""; import os; open("MARKER","w"); """',
    "inject-exit": 'x"""; raise SystemExit(99); """',
    "inject-single-quotes": "x'''; raise SystemExit(99); '''",
    "inject-newline": 'x"""\nraise SystemExit(99)\n"""',
    "triple-quote": '"""',
    "ends-in-quote": 'value"',
    "ends-in-backslash": "value\\",
    "multi-line": "line one\nline two\n\n    indented line\nlast",
    "carriage-return": 'a\rraise SystemExit(99)\r"""',
    "nul": "a\0b",
    "c0-controls": "a\x0bb\x0cc\x1b[31md",
    "unicode-line-breaks": "a\x85b\u2028c\u2029d",
    "bidi-override": "a\u202eb\u202c",
    "lone-surrogate": "a\ud800b",
    "jinja": "{{ 7*191 }}{% if true %}x{% endif %}{{ api }}{% raw %}",
    "backslash-escapes": "\\N{BULLET} \\x41 \\u0041 \\x",
}

#: The fields issue 6 names (plus the enum of a parameter, which becomes a ``Literal[...]`` in the
#: resource module, and a query parameter's wire name): id → pointer (or an edit taking the value).
#: tests/test_injection_property.py covers every other string of the base spec.
FIELDS: dict[str, Pointer | Callable[[str], Edit]] = {
    "info.title": ("info", "title"),
    "info.description": ("info", "description"),
    "x-specgen-env": (*SCHEME, "x-specgen-env"),
    "apikey-header-name": (*SCHEME, "name"),
    "server-url": ("servers", 0, "url"),
    "operation-summary": (*GET, "summary"),
    "operation-description": (*GET, "description"),
    "parameter-description": (*GET, "parameters", 1, "description"),
    "parameter-example": (*GET, "parameters", 2, "example"),
    "response-description": (*GET, "responses", "200", "description"),
    "schema-description": (*RUN, "description"),
    "enum-description": ("components", "schemas", "Status", "description"),
    "schema-title": (*RUN, "title"),
    "property-description": (*RUN, "properties", "id", "description"),
    "property-title": (*RUN, "properties", "id", "title"),
    "enum-value": ("components", "schemas", "Status", "enum", 1),
    "parameter-enum-value": (*LIST, "parameters", 1, "schema", "enum", 1),
    "property-name": lambda value: rename_key((*RUN, "properties"), "createdAt", value),
    "query-parameter-name": (*GET, "parameters", 1, "name"),
    "default-value": (*RUN, "properties", "note", "default"),
    "examples": (*RUN, "properties", "id", "examples", 0),
    "pattern": (*RUN, "properties", "id", "pattern"),
    "format": (*RUN, "properties", "createdAt", "format"),
    "operationId": (*GET, "operationId"),
    "tag-name": set_tag,
}


def _round_trip_checks(field: str, value: str) -> str:
    """Python run after import (see hostile.importcheck): the wire value survives exactly."""
    if field == "property-name":
        return (f"wire = {value!r}\n"
                "names = {(n if f.alias is None else f.alias) for n, f in models.Run.model_fields.items()}\n"
                "assert wire in names, names\n"
                "run = models.Run.model_validate({'id': 'run1', 'status': 'queued', wire: None})\n"
                "assert wire in run.model_dump(by_alias=True), run.model_dump(by_alias=True)\n")
    if field == "enum-value":
        return (f"wire = {value!r}\n"
                "assert wire in [m.value for m in models.Status], list(models.Status)\n"
                "assert models.Status(wire).value == wire\n")
    return ""


def _paging_probe(wire: str) -> str:
    """Python run after import: ``iter_list_runs`` sends the added parameter (by its wire name) as given,
    and starts without a cursor, against an in-memory transport."""
    return f"""
import inspect
import httpx
wire = {wire!r}
seen = []
def handler(request):
    seen.append(request)
    return httpx.Response(200, json={{"runs": [], "next_cursor": None}})
# The method's own arguments stay; the operation's other parameters go, unless one is the probed name.
baseline = {{"self", "timeout", "max_retries", "extra_headers"}} | ({{"cursor", "order", "ids", "labels"}} - {{wire}})
names = [n for n in inspect.signature(type(sync_client.runs).iter_list_runs).parameters if n not in baseline]
assert len(names) == 1, names
cls = type(sync_client)
client = cls(**client_arguments(cls), http_client=httpx.Client(transport=httpx.MockTransport(handler)))
assert list(getattr(client.runs, "iter_list_runs")(**{{names[0]: "P"}})) == []
query = seen[0].url.params
assert query.get(wire) == "P", f"{{names[0]}}='P' sent the query {{dict(query)!r}}"
assert "cursor" not in query or wire == "cursor", f"the first page was asked with a cursor: {{query}}"
"""


def _section1() -> Iterator[Case]:
    for (field, where), (payload_id, payload) in itertools.product(FIELDS.items(), PAYLOADS.items()):
        edit = put(where, payload) if isinstance(where, tuple) else where(payload)
        forbid = ("1337",) if payload_id == "jinja" else ()
        yield Case(f"text/{field}/{payload_id}", edit=edit, checks=_round_trip_checks(field, payload),
                   forbid=forbid)


# -- section 2: YAML --------------------------------------------------------------------------------

BOMB_LEVELS = 9


def _billion_laughs() -> str:
    parts = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, BOMB_LEVELS):
        refs = ",".join([f"*a{level - 1}"] * 10)
        parts.append(f"a{level}: &a{level} [{refs}]")
    return "{" + ", ".join(parts) + "}"


def _yaml_cases() -> Iterator[Case]:
    yield raw_case("yaml/tag-unknown", ("info", "description"), "!foo bar")
    yield raw_case("yaml/tag-python-name", ("info", "description"), "!!python/name:os.system ''")
    yield raw_case("yaml/tag-python-apply", ("info", "description"),
                   "!!python/object/apply:os.system ['touch MARKER']")
    yield raw_case("yaml/tag-python-object", (*RUN, "properties", "note", "default"),
                   "!!python/object/new:builtins.SystemExit [99]")
    yield raw_case("yaml/tag-binary-default", (*RUN, "properties", "note", "default"), "!!binary aGVsbG8=")
    yield raw_case("yaml/tag-set-enum", ("components", "schemas", "Status", "enum"), "!!set {a, b}")
    # `<<` merges the Status schema into a new one (and a property that merges into itself).
    yield Case("yaml/merge-key", edit=put(("components", "schemas", "Copy"), "MERGETOKEN"),
               text=lambda t: replace_text("  Status:\n", "  Status: &status\n")(t).replace(
                   "MERGETOKEN", "{<<: *status, description: merged}"))
    yield raw_case("yaml/merge-key-into-properties", (*RUN, "properties", "extra"),
                   "{<<: [{type: string}, {type: integer}], description: two merges}")
    yield raw_case("yaml/billion-laughs", ("x-bomb",), _billion_laughs())
    yield raw_case("yaml/billion-laughs-in-schema", (*RUN, "properties", "bomb"),
                   "{type: string, examples: " + _billion_laughs().replace("a0:", "b0:") + "}")
    yield raw_case("yaml/recursive-alias", ("x-loop",), "&loop [*loop]")
    yield raw_case("yaml/recursive-alias-mapping", (*RUN, "properties", "loop"), "&loopmap {items: *loopmap, type: array}")
    big = "9" * 5000
    yield raw_case("yaml/int-5000-digits-default", (*RUN, "properties", "priority", "default"), big)
    yield raw_case("yaml/int-5000-digits-example", (*GET, "parameters", 1, "example"), big)
    yield raw_case("yaml/int-5000-digits-enum", ("components", "schemas", "Status"),
                   "{type: integer, enum: [1, " + big + "]}")
    yield raw_case("yaml/float-inf-default", (*RUN, "properties", "priority"), "{type: number, default: .inf}")
    yield raw_case("yaml/float-nan-enum", ("components", "schemas", "Status"), "{type: number, enum: [.nan, 1.5]}")
    yield raw_case("yaml/date-in-enum", ("components", "schemas", "Status", "enum", 1), "2024-01-01")
    yield raw_case("yaml/date-in-string-enum-only", ("components", "schemas", "Status", "enum"),
                   "[2024-01-01, 2024-01-02]")
    yield raw_case("yaml/date-in-examples", (*RUN, "properties", "id", "examples", 0), "2024-01-01")
    yield raw_case("yaml/datetime-default", (*RUN, "properties", "note", "default"), "2024-01-01T00:00:00Z")
    yield raw_case("yaml/date-parameter-example", (*GET, "parameters", 2, "example"), "2024-01-01")
    yield raw_case("yaml/non-string-key-properties", (*RUN, "properties"),
                   "{1: {type: string}, true: {type: string}, null: {type: string}, id: {type: string}}")
    yield raw_case("yaml/non-string-path-key", ("paths", "/runs", "get", "responses"),
                   "{200: {description: ok}}")


# -- schemas ----------------------------------------------------------------------------------------

def _schema(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _deep(levels: int, open_: str, close: str, leaf: str) -> str:
    return open_ * levels + leaf + close * levels


def _chain(count: int) -> Edit:
    def edit(spec: dict[str, Any]) -> None:
        schemas = spec["components"]["schemas"]
        for i in range(count):
            nxt = {"$ref": f"#/components/schemas/A{i + 1}"} if i + 1 < count else {"type": "string"}
            schemas[f"A{i}"] = {"type": "object", "properties": {"next": nxt}}
        schemas["Run"]["properties"]["chain"] = _schema("A0")

    return edit


def _schema_cases() -> Iterator[Case]:
    schemas = ("components", "schemas")
    yield Case("schema/ref-self", edit=all_of(put((*schemas, "A"), _schema("A")), add_property("a", _schema("A"))))
    yield Case("schema/ref-self-unused", edit=put((*schemas, "A"), _schema("A")))
    yield Case("schema/ref-cycle-a-b", edit=all_of(put((*schemas, "A"), _schema("B")),
                                                   put((*schemas, "B"), _schema("A")), add_property("a", _schema("A"))))
    yield Case("schema/ref-cycle-object-a-b-valid", edit=all_of(
        put((*schemas, "A"), {"type": "object", "properties": {"b": _schema("B")}}),
        put((*schemas, "B"), {"type": "object", "properties": {"a": _schema("A")}}),
        add_property("a", _schema("A"))))
    yield Case("schema/ref-cycle-in-allof", edit=all_of(put((*schemas, "A"), {"allOf": [_schema("A")]}),
                                                        add_property("a", _schema("A"))))
    yield Case("schema/ref-cycle-as-parameter-schema", edit=all_of(
        put((*schemas, "A"), _schema("B")), put((*schemas, "B"), _schema("A")),
        put((*GET, "parameters", 1, "schema"), _schema("A"))))
    yield Case("schema/ref-cycle-as-response-schema", edit=all_of(
        put((*schemas, "A"), _schema("A")),
        put((*GET, "responses", "200", "content", "application/json", "schema"), _schema("A"))))
    yield Case("schema/ref-cycle-as-body-schema", edit=all_of(
        put((*schemas, "A"), _schema("A")),
        put((*POST, "requestBody", "content", "application/json", "schema"), _schema("A"))))
    yield Case("schema/ref-cycle-as-error-schema", edit=all_of(
        put((*schemas, "A"), _schema("A")),
        put((*GET, "responses", "default", "content", "application/json", "schema"), _schema("A"))))
    yield Case("schema/ref-cycle-parameter", edit=all_of(
        put(("components", "parameters"), {"P": {"$ref": "#/components/parameters/P"}}),
        call((*GET, "parameters"), lambda ps: [*ps, {"$ref": "#/components/parameters/P"}])))
    yield Case("schema/ref-cycle-parameter-a-b", edit=all_of(
        put(("components", "parameters"), {"P": {"$ref": "#/components/parameters/Q"},
                                           "Q": {"$ref": "#/components/parameters/P"}}),
        call((*GET, "parameters"), lambda ps: [*ps, {"$ref": "#/components/parameters/P"}])))
    yield Case("schema/ref-cycle-response", edit=all_of(
        put(("components", "responses"), {"R": {"$ref": "#/components/responses/R"}}),
        put((*GET, "responses", "200"), {"$ref": "#/components/responses/R"})))
    yield Case("schema/ref-cycle-error-response", edit=all_of(
        put(("components", "responses"), {"R": {"$ref": "#/components/responses/S"},
                                           "S": {"$ref": "#/components/responses/R"}}),
        put((*GET, "responses", "default"), {"$ref": "#/components/responses/R"})))
    yield Case("schema/ref-cycle-request-body", edit=all_of(
        put(("components", "requestBodies"), {"B": {"$ref": "#/components/requestBodies/B"}}),
        put((*POST, "requestBody"), {"$ref": "#/components/requestBodies/B"})))
    yield Case("schema/ref-cycle-paginated-items", edit=all_of(
        put((*schemas, "A"), _schema("A")),
        put((*schemas, "RunList", "properties", "runs", "items"), _schema("A"))))
    yield Case("schema/ref-cycle-pagination-path", edit=all_of(
        put((*schemas, "A"), _schema("B")), put((*schemas, "B"), _schema("A")),
        put((*schemas, "RunList", "properties", "runs"), _schema("A"))))
    yield Case("schema/ref-to-non-schema", edit=add_property("a", {"$ref": "#/paths"}))
    yield Case("schema/ref-to-list-item", edit=add_property("a", {"$ref": "#/servers/0"}))
    yield raw_case("schema/nested-arrays-200", (*RUN, "properties", "deep"),
                   _deep(200, "{type: array, items: ", "}", "{type: string}"))
    yield raw_case("schema/nested-arrays-200-parameter", (*GET, "parameters", 1, "schema"),
                   _deep(200, "{type: array, items: ", "}", "{type: string}"))
    yield raw_case("schema/nested-anyof-1500", (*RUN, "properties", "deep"),
                   _deep(1500, "{anyOf: [", "]}", "{type: string}"))
    yield raw_case("schema/nested-anyof-1500-parameter", (*GET, "parameters", 1, "schema"),
                   _deep(1500, "{anyOf: [", "]}", "{type: string}"))
    yield raw_case("schema/nested-flow-lists-5000", ("x-deep",), _deep(5000, "[", "]", "1"))
    for value in (True, False):
        name = str(value).lower()
        yield Case(f"schema/boolean-{name}-error-response", edit=put(
            (*GET, "responses", "default", "content", "application/json", "schema"), value))
        yield Case(f"schema/boolean-{name}-response", edit=put(
            (*GET, "responses", "200", "content", "application/json", "schema"), value))
        yield Case(f"schema/boolean-{name}-paginated-response", edit=put(
            (*LIST, "responses", "200", "content", "application/json", "schema"), value))
        yield Case(f"schema/boolean-{name}-paginated-items", edit=put(
            (*schemas, "RunList", "properties", "runs"), value))
        yield Case(f"schema/boolean-{name}-items", edit=put((*schemas, "RunList", "properties", "runs", "items"), value))
        yield Case(f"schema/boolean-{name}-parameter", edit=put((*GET, "parameters", 1, "schema"), value))
        yield Case(f"schema/boolean-{name}-body", edit=put(
            (*POST, "requestBody", "content", "application/json", "schema"), value))
        yield Case(f"schema/boolean-{name}-component", edit=put((*schemas, "Status"), value))
        yield Case(f"schema/boolean-{name}-property", edit=put((*RUN, "properties", "note"), value))
        yield Case(f"schema/boolean-{name}-additional-properties",
                   edit=add_property("bag", {"type": "object", "additionalProperties": value}))
    yield Case("schema/chain-200", edit=_chain(200))
    status = (*schemas, "Status")
    yield Case("schema/enum-empty", edit=put((*status, "enum"), []))
    yield Case("schema/enum-empty-parameter", edit=put((*LIST, "parameters", 1, "schema", "enum"), []))
    yield Case("schema/enum-null-string", edit=put((*status, "enum"), [None]))
    yield Case("schema/enum-null-string-parameter", edit=put((*LIST, "parameters", 1, "schema", "enum"), [None]))
    yield Case("schema/enum-int-above-1e30", edit=put(status, {"type": "integer", "enum": [10**31, 10**31 + 1, -(10**32)]}))
    yield Case("schema/enum-int-above-1e30-default", edit=all_of(
        put(status, {"type": "integer", "enum": [10**31, 7]}),
        add_property("level", {"$ref": "#/components/schemas/Status", "default": 10**31})))
    yield Case("schema/enum-objects", edit=put(status, {"enum": [{"a": 1}, {"b": [2]}]}))
    yield Case("schema/enum-lists", edit=put(status, {"enum": [[1, 2], []]}))
    yield Case("schema/enum-mixed-types", edit=put(status, {"enum": ["a", 1, True, None, 1.5]}))
    yield Case("schema/enum-mixed-typed-string", edit=put(status, {"type": "string", "enum": ["a", 1, True, 1.5]}))
    yield Case("schema/enum-duplicates-after-naming", edit=put((*status, "enum"), ["a-b", "a_b", "A B", "a.b"]))
    yield Case("schema/enum-parameter-mixed", edit=put((*LIST, "parameters", 1, "schema"),
                                                       {"type": "string", "enum": ["a", 1, None, True]}))
    yield Case("schema/enum-float-special", edit=put(status, {"type": "number", "enum": [1e308, -0.0, 1e-320]}))
    yield Case("schema/const-string", edit=add_property("kind", {"type": "string", "const": 'x"""y'}))
    yield Case("pattern/redos-default", edit=all_of(
        put((*RUN, "properties", "id", "pattern"), "(a+)+$"),
        put((*RUN, "properties", "id", "default"), "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")))
    yield Case("pattern/redos-example", edit=all_of(
        put((*RUN, "properties", "id", "pattern"), "(a+)+$"),
        put((*RUN, "properties", "id", "examples"), ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"])))
    yield Case("pattern/redos-parameter", edit=put((*GET, "parameters", 2, "schema"),
                                                  {"type": "string", "pattern": "(a+)+$",
                                                   "default": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!"}))
    yield Case("pattern/benign", edit=put((*RUN, "properties", "id", "pattern"), "^run[0-9]+$"))
    yield Case("pattern/invalid-regex", edit=put((*RUN, "properties", "id", "pattern"), "(unclosed["))
    yield Case("schema/inline-object-in-items", edit=add_property(
        "children", {"type": "array", "items": {"type": "object", "properties": {"a": {"type": "string"}}}}))
    yield Case("schema/property-not-a-mapping", edit=add_property("weird", "just a string"))
    yield Case("schema/properties-is-a-list", edit=put((*RUN, "properties"), ["id", "status"]))
    yield Case("schema/required-not-a-list", edit=put((*RUN, "required"), "id"))
    yield Case("schema/type-is-a-number", edit=put((*RUN, "properties", "note", "type"), 7))


# -- paths ------------------------------------------------------------------------------------------

def _rename_path_param(old_path: str, new_path: str, name: str) -> Edit:
    def edit(spec: dict[str, Any]) -> None:
        rename_path(old_path, new_path)(spec)
        for operation in spec["paths"][new_path].values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path":
                    parameter["name"] = name

    return edit


def _path_cases() -> Iterator[Case]:
    yield Case("path/unclosed-brace", edit=rename_path("/runs/{run_id}", "/runs/{run_id"), expect="rejected")
    yield Case("path/unopened-brace", edit=rename_path("/runs/{run_id}", "/runs/run_id}"), expect="rejected")
    yield Case("path/param-name-with-closing-brace",
               edit=_rename_path_param("/runs/{run_id}", "/runs/{run}id}", "run}id"))
    yield Case("path/param-name-with-percent",
               edit=_rename_path_param("/runs/{run_id}", "/runs/{run%id}", "run%id"))
    yield Case("path/param-name-with-quote",
               edit=_rename_path_param("/runs/{run_id}", '/runs/{run"id}', 'run"id'))
    yield Case("path/param-name-empty", edit=_rename_path_param("/runs/{run_id}", "/runs/{}", ""))
    yield Case("path/param-not-declared", edit=rename_path("/runs/{run_id}", "/runs/{run_id}/{other}"),
               expect="rejected")
    yield Case("path/param-declared-not-in-path", edit=rename_path("/runs/{run_id}", "/runs/current"),
               expect="rejected")
    yield Case("path/template-with-quotes", edit=rename_path("/runs", '/runs"""; raise SystemExit(99); """'))
    yield Case("path/template-with-newline", edit=rename_path("/runs", "/runs\nraise SystemExit(99)"))
    pagination = (*LIST, "x-specgen-pagination")
    yield Case("pagination/start-abc", edit=put((*pagination, "start"), "abc"), expect="rejected")
    yield Case("pagination/start-float", edit=put((*pagination, "start"), 1.5))
    yield Case("pagination/start-huge", edit=put((*pagination, "start"), 10**40))
    yield Case("pagination/next-cursor-7", edit=put((*pagination, "next_cursor"), 7), expect="rejected")
    yield Case("pagination/items-3", edit=put((*pagination, "items"), 3), expect="rejected")
    yield Case("pagination/has-more-list", edit=put((*pagination, "has_more"), ["a"]), expect="rejected")
    yield Case("pagination/style-missing", edit=drop((*pagination, "style")), expect="rejected")
    yield Case("pagination/not-a-mapping", edit=put(pagination, "cursor"), expect="rejected")
    yield Case("pagination/items-empty", edit=put((*pagination, "items"), ""), expect="rejected")
    yield Case("pagination/items-dotted-through-array", edit=put((*pagination, "items"), "runs.id"),
               expect="rejected")
    yield Case("pagination/next-cursor-missing-field", edit=put((*pagination, "next_cursor"), "nope"),
               expect="rejected")
    yield Case("pagination/cursor-param-is-header", edit=put((*pagination, "cursor_param"), "X-Trace-Id"),
               expect="rejected")
    yield Case("pagination/on-operation-without-response", edit=put(
        (*DELETE, "x-specgen-pagination"), {"style": "page", "page_param": "run_id", "items": "runs"}),
        expect="rejected")


# -- long names -------------------------------------------------------------------------------------

LONG = "a" * 300


def _long_name_cases() -> Iterator[Case]:
    yield Case("long/tag", edit=set_tag(LONG))
    yield Case("long/x-specgen-resource", edit=for_all_operations("x-specgen-resource", LONG))
    yield Case("long/x-specgen-package", edit=put(("info", "x-specgen-package"), LONG))
    yield Case("long/x-specgen-client", edit=put(("info", "x-specgen-client"), "C" + LONG))
    yield Case("long/operationId", edit=put((*GET, "operationId"), "get" + LONG))
    yield Case("long/x-specgen-method", edit=put((*GET, "x-specgen-method"), "get_" + LONG))
    yield Case("long/schema-name", edit=rename_schema("Run", "Run" + LONG))
    yield Case("long/property-name", edit=rename_key((*RUN, "properties"), "createdAt", "created" + LONG))
    yield Case("long/parameter-name", edit=put((*GET, "parameters", 1, "name"), "v" + LONG))
    yield Case("long/description-1mb", edit=put((*RUN, "description"), ("word " * 200_000).strip()))
    yield Case("long/description-one-1mb-word", edit=put((*RUN, "description"), "w" * 1_000_000))


# -- names that collide with what the generated code uses --------------------------------------------

SCHEMA_NAMES = ("Pages", "StrEnum", "Literal", "TimeoutTypes", "Mapping", "Iterator", "AsyncIterator", "Any",
                "Field", "NotGiven", "Model", "OpenEnum", "BaseModel", "RootModel", "AwareDatetime",
                "SyncClient", "AsyncClient", "Runs", "AsyncRuns", "constr")
CLIENT_NAMES = ("cached_property", "APIError", "NotFoundError", "TYPE_CHECKING", "NOT_GIVEN", "SyncClient",
                "Mapping", "AsyncClient", "BASE_URL", "USER_AGENT", "require_auth", "header_auth",
                "with_raw_response", "APIResponse", "NotGiven", "TimeoutTypes", "httpx")
RESOURCE_NAMES = ("cached_property", "close", "request", "_private", "aclose", "base_url", "httpx",
                  "headers", "auth", "models", "errors", "TYPE_CHECKING", "mapping")
METHOD_NAMES = ("__init__", "__repr__", "_client", "iter_list_runs", "list", "dict", "str", "type", "bool", "int",
                "cast_to", "Mapping", "LIST_RUNS_PAGES", "iterate", "Run", "Error")
PARAMETER_NAMES = ("iterate", "aiterate", "type", "list", "dict", "str", "position", "self", "cast_to",
                   "timeout", "max_retries", "extra_headers", "body", "Pages", "Run", "Literal", "Mapping",
                   "NOT_GIVEN", "path_params", "query", "headers", "lambda", "None", "async", "await")
SCHEME_NAMES = ("self", "base_url", "timeout", "max_retries", "headers", "http_client", "api_key", "class", "super")
PACKAGE_NAMES = ("os", "json", "enum", "typing", "pydantic", "httpx", "generated", "asyncio", "collections",
                 "abc", "test", "site", "conftest", "generator", "sys", "_runtime", "models", "errors")
PROPERTY_NAMES = ("model_config", "model_fields", "model_dump", "schema", "json", "copy", "dict", "validate",
                  "fields", "register", "self", "from", "class", "None", "True", "__class__", "__dict__",
                  "model_extra", "_private", "__private", "", "1st", "Run", "Status", "str", "int")


def _two_api_keys(scheme: str) -> Edit:
    def edit(spec: dict[str, Any]) -> None:
        spec["components"]["securitySchemes"][scheme] = {
            "type": "apiKey", "in": "header", "name": "X-Other-Key", "x-specgen-env": "OTHER_KEY"}
        spec["security"] = [{"ApiKeyAuth": []}, {scheme: []}]

    return edit


def _name_cases() -> Iterator[Case]:
    for name in SCHEMA_NAMES:
        yield Case(f"names/schema/{name}", edit=rename_schema("Run", name))
    for name in ("Pages", "Literal", "Mapping", "Any"):
        yield Case(f"names/enum-schema/{name}", edit=rename_schema("Status", name))
    for name in CLIENT_NAMES:
        yield Case(f"names/client/{name}", edit=put(("info", "x-specgen-client"), name))
    for name in RESOURCE_NAMES:
        yield Case(f"names/resource/{name}", edit=for_all_operations("x-specgen-resource", name))
    for name in ("Close", "Request", "Base URL", "__init__", "models"):
        yield Case(f"names/tag/{name}", edit=set_tag(name))
    for name in METHOD_NAMES:
        yield Case(f"names/method/{name}", edit=put((*GET, "x-specgen-method"), name))
    for name in ("list", "type", "iter_list_runs", "__init__"):
        yield Case(f"names/operationId/{name}", edit=put((*GET, "operationId"), name))
    for name in PARAMETER_NAMES:
        yield Case(f"names/parameter/{name}", edit=add_query(LIST, name), checks=_paging_probe(name))
    yield Case("names/parameter/position-is-the-cursor", edit=all_of(
        put((*LIST, "parameters", 0, "name"), "position"), put((*LIST, "x-specgen-pagination", "cursor_param"), "position")),
        checks=_paging_probe("position"))
    yield Case("names/parameter/x-specgen-name-position", edit=put((*LIST, "parameters", 1, "x-specgen-name"), "position"),
               checks=_paging_probe("order"))
    yield Case("names/body/x-specgen-name-self", edit=put((*POST, "requestBody", "x-specgen-name"), "self"))
    yield Case("names/body/x-specgen-name-timeout", edit=put((*POST, "requestBody", "x-specgen-name"), "timeout"))
    for name in SCHEME_NAMES:
        yield Case(f"names/security-scheme/{name}", edit=_two_api_keys(name))
    for name in PACKAGE_NAMES:
        yield Case(f"names/package/{name}", edit=put(("info", "x-specgen-package"), name))
    for name in PROPERTY_NAMES:
        yield Case(f"names/property/{name or 'empty'}", edit=add_property(name, {"type": "string"}),
                   checks=_round_trip_checks("property-name", name))


def all_cases() -> list[Case]:
    cases = [Case("base", expect="accepted")]
    for section in (_section1, _yaml_cases, _schema_cases, _path_cases, _long_name_cases, _name_cases):
        cases.extend(section())
    ids = [c.id for c in cases]
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1]
    return cases


CASES = all_cases()
assert PACKAGE and CLIENT
