"""openapi-generator client docs (the ``python`` generator's ``docs/*.md``).

* Model pages: ``# Name``, an optional description, ``## Properties`` and a
  ``Name | Type | Description | Notes`` table: ``**run_id**``, ``**str**`` or ``[**ApiRun**](ApiRun.md)``,
  ``list[T]``, ``dict(str, T)``, ``object``; ``[optional]`` in Notes (absent: required).
* Enum pages: the same page with no properties, whose description lists the values as
  ``- VALUE: meaning`` (the generator writes no values table: the list is read, rule ``enum``).
* API pages (``*Api.md``): a ``Method | HTTP request | Description`` table (``**POST** /path``), then a
  ``# **method**`` section per method with its ``### Parameters`` table and ``### Return type``.
"""

from __future__ import annotations

import re

from .. import rules
from ..facts import FieldFact, ModelFact, OperationFact, PageFacts, ParamFact, Problem, TypeExpr
from ..page import Cell, Heading, ItemList, Page, Paragraph, Row, Table
from ..links import record_link
from ..tables import has_columns

NAME = "openapi-generator"
_PROPERTIES = ("Name", "Type", "Description", "Notes")
_METHODS = ("Method", "HTTP request", "Description")
_ENUM_VALUE = re.compile(r"(?:^|\s)-\s+([A-Z][A-Z0-9_]*):")
_ROUTE = re.compile(r"^\*\*(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\*\*\s+(/\S*)", re.I)


def detect(page: Page) -> str | None:
    for block in page.blocks:
        if isinstance(block, Table) and (block.header[:2] == _PROPERTIES[:2] or block.header[:2] == _METHODS[:2]):
            return NAME
    return None


def read(page: Page, flavour: str, wire_case: str | None) -> PageFacts:
    facts = PageFacts(flavour)
    case = wire_case or rules.WIRE_CASE[flavour]
    if any(isinstance(b, Table) and b.header[:2] == _METHODS[:2] for b in page.blocks):
        _api(page, facts, case)
    else:
        _model(page, facts, case)
    return facts


def _model(page: Page, facts: PageFacts, case: str) -> None:
    title = page.title()
    if title is None:
        facts.problems.append(Problem(page.loc(1), "model page has no `# Name`", "start the page with `# ModelName`"))
        return
    description_parts = []
    table: Table | None = None
    for block in page.blocks:
        if isinstance(block, Paragraph) and table is None and not block.cell.text.startswith("[[Back"):
            description_parts.append(block.cell.markdown)
        elif isinstance(block, ItemList) and table is None:  # a description starting with " - VALUE: ..."
            description_parts.append("\n".join(f" - {item.cell.markdown}" for item in block.items))
        if isinstance(block, Table) and block.header[:1] == ("Name",):
            table = block
            break
    description = rules.description("\n\n".join(description_parts)) if description_parts else None
    if table is None or not has_columns(page, facts, table, _PROPERTIES, dialect="openapi-generator", cells=3):
        if table is None:
            facts.problems.append(Problem(page.loc(title.line), "model page has no `Name | Type | Description | Notes` table", ""))
        return
    loc = page.loc(title.line)
    if not table.rows:
        values = tuple(_ENUM_VALUE.findall(description or ""))
        if values:
            facts.models.append(ModelFact(title.text, "enum", loc, description, values=values, page=str(page.path)))
        else:
            facts.models.append(ModelFact(title.text, "object", loc, description, page=str(page.path)))
        return
    fields = []
    for row in table.rows:
        shown = row.cells[0].text
        type_ = parse_type(page, facts, row.cells[1], row.line)
        if type_ is None:
            facts.problems.append(Problem(page.loc(row.line), f"unknown type {row.cells[1].text!r} of field {shown!r}",
                                          "openapi-generator python types are str, int, float, bool, datetime, date, "
                                          "object, list[T], dict(str, T) or a model"))
            continue
        wire, note = rules.wire_name(shown, case)
        notes = row.cells[3].text if len(row.cells) > 3 else ""
        fields.append(FieldFact(shown, wire, type_, "[optional]" not in notes, page.loc(row.line),
                                rules.description(row.cells[2].markdown), None, inferred=(note,) if note else ()))
    facts.models.append(ModelFact(title.text, "object", loc, description, tuple(fields), page=str(page.path)))


def parse_type(page: Page, facts: PageFacts, cell: Cell, line: int) -> TypeExpr | None:
    text = cell.text.replace("*", "").strip()
    href = cell.links[0][1] if cell.links else ""
    return _parse(page, facts, text, href, line)


def _parse(page: Page, facts: PageFacts, text: str, href: str, line: int) -> TypeExpr | None:
    if m := re.fullmatch(r"list\[(.+)\]", text):
        item = _parse(page, facts, m[1], href, line)
        return TypeExpr("array", item=item) if item else None
    if m := re.fullmatch(r"dict\(\s*str\s*,\s*(.+)\)", text):
        item = _parse(page, facts, m[1], href, line)
        return TypeExpr("map", item=item) if item else None
    if text == "object":
        return TypeExpr("object")
    found = rules.scalar(text)
    if found is not None:
        kind, fmt = found
        return TypeExpr(kind, format=fmt)  # datetime → date-time is what the type says, not a guess
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", text):
        target = record_link(facts, page, href, line) if href else ""
        return TypeExpr("ref", name=text, link=target)
    return None


def _api(page: Page, facts: PageFacts, case: str) -> None:
    title = page.title()
    group = (title.text if title else page.path.stem).rsplit(".", 1)[-1]
    routes: dict[str, tuple[str, str, str, int]] = {}
    for block in page.blocks:
        if isinstance(block, Table) and block.header[:2] == _METHODS[:2]:
            if not has_columns(page, facts, block, _METHODS, dialect="openapi-generator", cells=2):
                continue
            for row in block.rows:
                if len(row.cells) < 2:
                    continue
                name = row.cells[0].text.replace("*", "")
                m = _ROUTE.match(row.cells[1].source.strip())
                if m is None:
                    facts.problems.append(Problem(page.loc(row.line), f"no `**METHOD** /path` in the HTTP request cell of {name!r}",
                                                  "write the cell as **GET** /path"))
                    continue
                routes[name] = (m[1].lower(), m[2], row.cells[2].text if len(row.cells) > 2 else "", row.line)
    sections: dict[str, list[object]] = {}
    current: str | None = None
    for block in page.blocks:
        if isinstance(block, Heading) and block.level == 1:
            current = block.text.replace("*", "").strip()
            if current in routes:
                sections[current] = []
            else:
                current = None
        elif current is not None:
            sections[current].append(block)
    for name, (method, path, summary, line) in routes.items():
        facts.operations.append(_operation(page, facts, group, name, method, path, summary, line,
                                           sections.get(name, []), case))


def _operation(page: Page, facts: PageFacts, group: str, name: str, method: str, path: str, summary: str, line: int,
               blocks: list[object], case: str) -> OperationFact:
    variables = re.findall(r"\{([^}]+)\}", path)
    by_python = {re.sub(r"\W", "_", v): v for v in variables}
    params: list[ParamFact] = []
    body = response = None
    body_loc = response_loc = None
    body_required = True
    subsection = ""
    description = None
    for block in blocks:
        if isinstance(block, Heading):
            subsection = block.text
            continue
        if subsection == "" and isinstance(block, Paragraph) and description is None:
            description = rules.description(block.cell.markdown)
        elif subsection == "Parameters" and isinstance(block, Table):
            if not has_columns(page, facts, block, _PROPERTIES, dialect="openapi-generator", cells=3):
                continue
            for row in block.rows:
                params_or_body = _param(page, facts, row, by_python, case)
                if params_or_body is None:
                    continue
                if isinstance(params_or_body, tuple):
                    body, body_required = params_or_body
                    body_loc = page.loc(row.line)
                else:
                    params.append(params_or_body)
        elif subsection == "Return type" and isinstance(block, Paragraph) and response is None:
            response = parse_type(page, facts, block.cell, block.line)
            response_loc = page.loc(block.line)
    return OperationFact(group, name, page.loc(line), method, path, None, summary or None,
                         description if description != summary else None, tuple(params), body, body_required, body_loc,
                         response, None, response_loc)


def _param(page: Page, facts: PageFacts, row: Row, by_python: dict[str, str],
           case: str) -> ParamFact | tuple[TypeExpr, bool] | None:
    shown = row.cells[0].text
    type_ = parse_type(page, facts, row.cells[1], row.line)
    if type_ is None:
        facts.problems.append(Problem(page.loc(row.line), f"unknown type {row.cells[1].text!r} of parameter {shown!r}", ""))
        return None
    notes = row.cells[3].text if len(row.cells) > 3 else ""
    required = "[optional]" not in notes
    if shown == "body":
        return type_, required
    description = rules.description(row.cells[2].markdown)
    if shown in by_python:
        return ParamFact(shown, by_python[shown], type_, True, page.loc(row.line), "path", description)
    wire, note = rules.wire_name(shown, case)
    return ParamFact(shown, wire, type_, required, page.loc(row.line), None, description,
                     inferred=(note,) if note else ())
