"""REST reference pages in the style of Northflank's API docs: one operation per page.

* ``# Title`` (the operation), paragraphs (its description; a ``Source:`` line is skipped);
* ``**Path parameters:**`` / ``**Query parameters:**`` / ``**Request body:**`` / ``**Response body:**``
  labels, each followed by ``{object}`` and a nested list of
  ``- `name`: (type) (required) description (enum: a, b) (format: f)``; ``{object}`` and
  ``[array of] {object}`` nest further items;
* ``## API reference`` with one ``METHOD /path`` paragraph per route (a project-scoped and a
  team-scoped path are two operations), then ``200 OK: description`` and an example response.

A field's example is its value in the first example response of the API reference (rule
``example``); a ``(multiple options)`` value is a free-form object (rule ``multiple options``).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from .. import rules
from ..facts import FieldFact, OperationFact, PageFacts, ParamFact, Problem, TypeExpr
from ..page import Fence, Heading, Item, ItemList, Page, Paragraph

NAME = "rest-reference"
_LABELS = {"Path parameters:": "path", "Query parameters:": "query", "Request body:": "body", "Response body:": "response",
           "Header parameters:": "header"}
_ROUTE = re.compile(r"^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (/\S*)$")
_ITEM = re.compile(r"^`(?P<name>[^`]+)`:\s*(?P<rest>.*)$", re.S)
_TYPES = {"string": "string", "integer": "integer", "number": "number", "boolean": "boolean"}
_STATUS = re.compile(r"^(\d{3})\s+[A-Za-z ]*:\s*(.*)$")


def detect(page: Page) -> str | None:
    labels = sum(1 for b in page.blocks if isinstance(b, Paragraph) and b.cell.text in _LABELS)
    routes = sum(1 for b in page.blocks if isinstance(b, Paragraph) and _ROUTE.match(b.cell.text))
    return NAME if routes and labels else None


def read(page: Page, flavour: str, wire_case: str | None) -> PageFacts:
    facts = PageFacts(flavour)
    case = wire_case or rules.WIRE_CASE[flavour]
    title = page.title()
    if title is None:
        facts.problems.append(Problem(page.loc(1), "page has no `# Title` naming the operation", ""))
        return facts
    description: list[str] = []
    lists: dict[str, tuple[int, ItemList | None]] = {}
    routes: list[tuple[str, str, int]] = []
    pending: tuple[str, int] | None = None
    in_reference = False
    reference_level = 0
    status: tuple[str, str] | None = None
    example: Any = None
    for block in page.blocks:
        if isinstance(block, Heading):
            if block.text.lower() == "api reference":
                in_reference, reference_level = True, block.level
            elif block.level <= reference_level:
                in_reference = False
            continue
        if isinstance(block, Paragraph):
            text = block.cell.text
            if text in _LABELS:
                pending = (_LABELS[text], block.line)
                lists[_LABELS[text]] = (block.line, None)
            elif (m := _ROUTE.match(text)) and in_reference:
                routes.append((m[1].lower(), m[2], block.line))
            elif (m := _STATUS.match(text)) and in_reference and status is None:
                status = (m[1], m[2].strip())
            elif not lists and not routes and not text.startswith("Source:") and text != "{object}":
                description.append(text)
        elif isinstance(block, ItemList) and pending is not None:
            lists[pending[0]] = (pending[1], block)
            pending = None
        elif isinstance(block, Fence) and in_reference and example is None and block.info in ("json", ""):
            try:
                example = json.loads(block.content)
            except ValueError:
                example = None
    if not routes:
        facts.problems.append(Problem(page.loc(title.line), "no `METHOD /path` line under `## API reference`",
                                      "a REST reference page names its route, e.g. `GET /v1/projects/{projectId}`"))
        return facts
    path_params = _params(page, facts, lists.get("path"), "path", case)
    query_params = _params(page, facts, lists.get("query"), "query", case)
    header_params = _params(page, facts, lists.get("header"), "header", case)
    body = _object(page, facts, lists.get("body"), case, None)
    response = _object(page, facts, lists.get("response"), case, example)
    operation_id = _pascal(title.text)
    main_path = routes[0][1]
    for index, (method, path, line) in enumerate(routes):
        inferred = []
        op_id = operation_id if index == 0 else operation_id + "Via" + _pascal(_first_new_segment(path, main_path))
        inferred.append(f"operationId: {op_id} from the page title")
        params = list(path_params)
        shown = {p.wire for p in params}
        for variable in re.findall(r"\{([^}]+)\}", path):
            if variable not in shown:
                params.append(ParamFact(variable, variable, TypeExpr("string"), True, page.loc(line), "path",
                                        inferred=(f"in: path parameter {variable} is in the route but not listed: "
                                                  "a required string",)))
        listed = set(re.findall(r"\{([^}]+)\}", path))
        params = [p for p in params if p.location != "path" or p.wire in listed]
        facts.operations.append(OperationFact(
            "", title.text, page.loc(line), method, path, op_id, title.text, "\n\n".join(description) or None,
            tuple(params + query_params + header_params), body, False, page.loc(lists["body"][0]) if "body" in lists else None,
            response, status[1] if status else None, page.loc(lists["response"][0]) if "response" in lists else None,
            tuple(inferred)))
    return facts


def _pascal(text: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in re.findall(r"[A-Za-z0-9]+", text))


def _first_new_segment(path: str, main: str) -> str:
    known = set(main.split("/"))
    for segment in path.split("/"):
        if segment and segment not in known and not segment.startswith("{"):
            return segment
    return "Alternate"


def _split(item: Item) -> tuple[str, str] | None:
    m = _ITEM.match(html.unescape(item.cell.source.strip()))
    return (m["name"].strip(), m["rest"].strip()) if m else None


def _params(page: Page, facts: PageFacts, found: tuple[int, ItemList | None] | None, location: str,
            case: str) -> list[ParamFact]:
    if found is None or found[1] is None:
        return []
    params = []
    for item in found[1].items:
        parts = _split(item)
        if parts is None:
            facts.problems.append(Problem(page.loc(item.line), "parameter item is not `` `name`: (type) ... ``", ""))
            continue
        name, rest = parts
        type_, required, description, enum, _ = _describe(page, facts, rest, item.line)
        if type_ is None:
            continue
        wire, note = rules.wire_name(name, case)
        params.append(ParamFact(name, wire, type_, required or location == "path", page.loc(item.line), location,
                                description, inferred=(note,) if note else ()))
    return params


def _object(page: Page, facts: PageFacts, found: tuple[int, ItemList | None] | None, case: str,
            example: Any) -> TypeExpr | None:
    if found is None:
        return None
    line, items = found
    if items is None:
        return TypeExpr("object")
    return TypeExpr("inline", fields=tuple(_fields(page, facts, items.items, case, example)))


def _fields(page: Page, facts: PageFacts, items: list[Item] | tuple[Item, ...], case: str, example: Any) -> list[FieldFact]:
    out = []
    seen: set[str] = set()
    for item in items:
        parts = _split(item)
        if parts is None:
            facts.problems.append(Problem(page.loc(item.line), "field item is not `` `name`: (type) ... ``",
                                          "write `` - `name`: (string) (required) description ``"))
            continue
        name, rest = parts
        if name in seen:  # a `(multiple options)` object lists alternatives with the same keys
            continue
        seen.add(name)
        value = example.get(name) if isinstance(example, dict) else None
        type_, required, description, enum, inferred = _describe(page, facts, rest, item.line)
        if type_ is None:
            continue
        if type_.kind in ("inline", "array") and item.children and "(multiple options)" not in rest:
            inner = value[0] if isinstance(value, list) and value else value
            fields = tuple(_fields(page, facts, item.children, case, inner))
            if type_.kind == "array":
                type_ = TypeExpr("array", item=TypeExpr("inline", fields=fields))
            else:
                type_ = TypeExpr("inline", fields=fields)
        elif type_.kind == "inline":
            type_ = TypeExpr("object")
        elif type_.kind == "array" and type_.item is not None and type_.item.kind == "inline":
            type_ = TypeExpr("array", item=TypeExpr("object"))
        wire, note = rules.wire_name(name, case)
        shown_example = json.dumps(value) if value is not None and not isinstance(value, (dict, list)) else None
        if isinstance(value, str):
            shown_example = value
        notes = tuple(n for n in (note, *inferred) if n)
        if type_.kind in ("inline", "object") or type_.kind == "array" and type_.item is not None \
                and type_.item.kind in ("inline", "object"):
            notes += (REQUIRED_NOT_SHOWN,)
        if shown_example is not None:
            notes += ("examples: the field's value in the page's example response",)
        out.append(FieldFact(name, wire, type_, required, page.loc(item.line), description, shown_example, enum, notes))
    return out


_PAREN = re.compile(r"\(([^()]*)\)")
#: The dialect writes ``(required)`` only after a ``(type)``: an object's flag is not shown.
REQUIRED_NOT_SHOWN = "required: not shown for an {object} field (the spec's flag is kept; a new field is optional)"


def _describe(page: Page, facts: PageFacts, rest: str, line: int
              ) -> tuple[TypeExpr | None, bool, str | None, tuple[Any, ...], tuple[str, ...]]:
    """``(string) (required) text (enum: a, b) (format: float)`` → type, required, description, enum."""
    inferred: tuple[str, ...] = ()
    text = rest
    multiple = text.startswith("(multiple options)")
    if multiple:
        text = text[len("(multiple options)"):].strip()
        inferred = ("type: (multiple options) is not modelled: a free-form value",)
    array = text.startswith("[array of]")
    if array:
        text = text[len("[array of]"):].strip()
    type_: TypeExpr | None
    if text.startswith("{object}"):
        type_ = TypeExpr("inline")
        text = text[len("{object}"):].strip()
    elif m := re.match(r"\((\w+)\)", text):
        kind = _TYPES.get(m[1])
        if kind is None:
            facts.problems.append(Problem(page.loc(line), f"unknown type ({m[1]})",
                                          "REST reference types are (string), (integer), (number), (boolean) or {object}"))
            return None, False, None, (), ()
        type_ = TypeExpr(kind)
        text = text[m.end():].strip()
    else:
        facts.problems.append(Problem(page.loc(line), f"no type in {rest[:60]!r}", "write the type as (string) or {object}"))
        return None, False, None, (), ()
    if multiple:
        type_ = TypeExpr("any" if type_.kind != "inline" else "object")
        text = text.split(" | ", 1)[0]
    required = False
    if text.startswith("(required)"):
        required, text = True, text[len("(required)"):].strip()
    enum: tuple[Any, ...] = ()
    fmt = ""
    for m in _PAREN.finditer(text):
        key, _, value = m[1].partition(":")
        if key.strip() == "enum":
            values = [v.strip() for v in value.split(",") if v.strip()]
            enum = tuple(int(v) for v in values) if type_.kind == "integer" and all(re.fullmatch(r"-?\d+", v) for v in values) \
                else tuple(values)
        elif key.strip() == "format":
            fmt = value.strip()
    description = _PAREN.sub(lambda m: "" if m[1].partition(":")[0].strip() in
                             ("enum", "format", "pattern", "min length", "max length") else m[0], text).strip()
    if fmt and type_.kind in _TYPES.values():
        type_ = TypeExpr(type_.kind, format=fmt)
    if array:
        type_ = TypeExpr("array", item=type_)
    return type_, required, rules.description(description), enum, inferred
