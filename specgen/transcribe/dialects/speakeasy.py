"""Speakeasy-generated SDK docs (Go and TypeScript flavours).

* Model pages: ``# Name``, an optional description, ``## Fields`` and a
  ``Field | Type | Required | Description [| Example]`` table; types link to the model pages.
* Enum pages: ``# Name``, ``## Values`` and a ``Name | Value`` table.
* Operation pages (``docs/sdks/<group>/README.md``): ``# Group``, ``### Available Operations``,
  then ``## Method`` sections with ``### Parameters`` and ``### Response``; newer TypeScript docs
  carry ``<!-- UsageSnippet ... operationID= method= path= -->`` with the HTTP route.
* Types: Go ``*string*`` / ``**string*`` (pointer: optional), ``[]T``, ``map[string]T``; TypeScript
  ``*string*``, ``T[]``, ``Record<string, T>``; ``:heavy_check_mark:`` is required.
"""

from __future__ import annotations

import re

from .. import rules
from ..facts import FieldFact, ModelFact, OperationFact, PageFacts, ParamFact, Problem, TypeExpr
from ..page import Cell, Comment, Fence, Heading, ItemList, Page, Paragraph, Row, Table
from ..links import record_link
from ..tables import has_columns

NAME = "speakeasy"
_FIELDS = ("Field", "Type", "Required")
_PARAMS = ("Parameter", "Type", "Required")
_SDK_ONLY_PARAMS = frozenset({"ctx", "options", "opts", "serverURL", "retries", "fetchOptions"})
_WRAPPER_FIELDS = frozenset({"statuscode", "rawresponse", "contenttype"})
_LINK = re.compile(r"\[((?:[^\[\]]|\[\])*)\]\(([^)\s]*)\)")
_SNIPPET = re.compile(r'UsageSnippet[^>]*?operationID="([^"]*)"[^>]*?method="([^"]*)"[^>]*?path="([^"]*)"')


def detect(page: Page) -> str | None:
    tables = [b for b in page.blocks if isinstance(b, Table)]
    headings = {b.text for b in page.blocks if isinstance(b, Heading)}
    ours = any(t.header[:2] == _FIELDS[:2] or t.header[:2] == _PARAMS[:2] for t in tables) \
        or ("Values" in headings and any(t.header[:1] == ("Name",) for t in tables)) \
        or "Available Operations" in headings
    if not ours:
        return None
    return "speakeasy-" + _flavour(page, tables)


def _flavour(page: Page, tables: list[Table]) -> str:
    """``go`` or ``ts``: by the code examples' language, else by how the types are written."""
    for block in page.blocks:
        if isinstance(block, Fence) and block.info in ("go", "golang"):
            return "go"
        if isinstance(block, Fence) and block.info in ("typescript", "ts", "javascript"):
            return "ts"
    cells = [row.cells[1].source for t in tables if len(t.header) > 1 and t.header[1] == "Type" for row in t.rows
             if len(row.cells) > 1]
    if any(c.startswith(("**", "[]", "map[", "[*")) or "interface{}" in c for c in cells):
        return "go"
    if any(c.endswith("[]") or "Record<" in c for c in cells):
        return "ts"
    names = [row.cells[0].text for t in tables if t.header[:1] in (("Field",), ("Parameter",)) for row in t.rows if row.cells]
    return "go" if names and all(n[:1].isupper() for n in names) else "ts"


def read(page: Page, flavour: str, wire_case: str | None) -> PageFacts:
    facts = PageFacts(flavour)
    case = wire_case or rules.WIRE_CASE[flavour]
    title = page.title()
    if title is None:
        facts.problems.append(Problem(page.loc(1), "page has no `# Title` naming its model or SDK group",
                                      "Speakeasy pages start with `# Name`"))
        return facts
    sections = _sections(page)
    if "Fields" in sections or "Values" in sections:
        _model(page, facts, title, sections, case)
    else:
        _operations(page, facts, title, case)
    return facts


def _sections(page: Page) -> dict[str, list[object]]:
    """Blocks under each ``##`` heading (and ``""`` for those before the first)."""
    out: dict[str, list[object]] = {"": []}
    current = ""
    for block in page.blocks:
        if isinstance(block, Heading) and block.level == 2:
            current = block.text
            out.setdefault(current, [])
        elif not (isinstance(block, Heading) and block.level == 1):
            out[current].append(block)
    return out


def _description(blocks: list[object]) -> str | None:
    texts = [b.cell.markdown for b in blocks if isinstance(b, Paragraph)]
    return rules.description("\n\n".join(texts)) if texts else None


def _model(page: Page, facts: PageFacts, title: Heading, sections: dict[str, list[object]], case: str) -> None:
    description = _description(sections.get("", []))
    if "Values" in sections:
        table = next((b for b in sections["Values"] if isinstance(b, Table)), None)
        if table is None or "Value" not in table.header:
            line = table.line if table else title.line
            facts.problems.append(Problem(page.loc(line), "enum page has no `Name | Value` table", "add the Value column"))
            return
        column = table.header.index("Value")
        values = [row.cells[column].text for row in table.rows if len(row.cells) > column]
        value_type = "integer" if values and all(re.fullmatch(r"-?\d+", v) for v in values) else "string"
        typed: tuple[object, ...] = tuple(int(v) for v in values) if value_type == "integer" else tuple(values)
        facts.models.append(ModelFact(title.text, "enum", page.loc(title.line), description, values=typed,
                                      value_type=value_type, page=str(page.path)))
        return
    table = next((b for b in sections["Fields"] if isinstance(b, Table)), None)
    if table is None:
        facts.problems.append(Problem(page.loc(title.line), "`## Fields` has no table",
                                      "a model page lists its fields in a `Field | Type | Required | Description` table"))
        return
    if not has_columns(page, facts, table, _FIELDS, dialect="Speakeasy"):
        return
    names = {row.cells[0].text.lower() for row in table.rows if row.cells}
    in_operations = "/operations/" in str(page.path).replace("\\", "/")
    role = "response-wrapper" if _WRAPPER_FIELDS <= names or {"statuscode", "rawresponse"} <= names else \
        "request-wrapper" if in_operations and title.text.endswith("Request") else \
        "security" if title.text == "Security" and "/shared/" in str(page.path).replace("\\", "/") else "model"
    fields = []
    for row in table.rows:
        field = _field(page, facts, table, row, case, strict=(role == "model"))
        if field is not None:
            fields.append(field)
    facts.models.append(ModelFact(title.text, "object", page.loc(title.line), description, tuple(fields), role=role,
                                  page=str(page.path)))


def _cell(table: Table, row: Row, column: str) -> Cell | None:
    if column not in table.header:
        return None
    index = table.header.index(column)
    return row.cells[index] if index < len(row.cells) else None


def _field(page: Page, facts: PageFacts, table: Table, row: Row, case: str, strict: bool) -> FieldFact | None:
    name_cell, type_cell, required_cell = (_cell(table, row, c) for c in _FIELDS)
    assert name_cell is not None and type_cell is not None and required_cell is not None
    shown = name_cell.text
    type_ = parse_type(page, facts, type_cell, row.line)
    if type_ is None:
        if strict:
            facts.problems.append(Problem(page.loc(row.line), f"unknown type {type_cell.text!r} of field {shown!r}",
                                          "Speakeasy types are *string*, *number*, *boolean*, *int64*, []T, map[string]T, "
                                          "Record<string, T> or a link to a model page"))
        type_ = TypeExpr("any")
    wire, note = rules.wire_name(shown, case, sdk_name=True)
    desc_cell, example_cell = _cell(table, row, "Description"), _cell(table, row, "Example")
    return FieldFact(shown, wire, type_, _required(required_cell), page.loc(row.line),
                     rules.description(desc_cell.markdown) if desc_cell else None,
                     example_cell.text if example_cell and example_cell.text else None,
                     inferred=(note,) if note else ())


def _required(cell: Cell) -> bool:
    return "heavy_check_mark" in cell.source or cell.text.lower() in ("true", "yes", "✔️", "✔")


def parse_type(page: Page, facts: PageFacts, cell: Cell, line: int) -> TypeExpr | None:
    """A type cell; None when it is not a type this dialect knows."""
    links: list[tuple[str, str]] = []

    def keep(match: re.Match[str]) -> str:
        links.append((match[1], match[2]))
        return f"\x00{len(links) - 1}\x00"

    text = _LINK.sub(keep, cell.source.replace("\\", ""))
    text = text.replace("*", "").replace("&lt;", "<").replace("&gt;", ">").strip()
    return _parse(page, facts, text, links, line)


def _parse(page: Page, facts: PageFacts, text: str, links: list[tuple[str, str]], line: int) -> TypeExpr | None:
    text = text.strip()
    if text.startswith("[]"):
        item = _parse(page, facts, text[2:], links, line)
        return TypeExpr("array", item=item) if item else None
    if text.endswith("[]"):
        item = _parse(page, facts, text[:-2], links, line)
        return TypeExpr("array", item=item) if item else None
    if m := re.fullmatch(r"Array<(.+)>", text):
        item = _parse(page, facts, m[1], links, line)
        return TypeExpr("array", item=item) if item else None
    if m := re.fullmatch(r"map\[\w+\](.+)", text) or re.fullmatch(r"Record<\s*\w+\s*,\s*(.+)>", text):
        item = _parse(page, facts, m[1], links, line)
        return TypeExpr("map", item=item) if item else None
    if m := re.fullmatch(r"\x00(\d+)\x00", text):
        label, href = links[int(m[1])]
        label = label.replace("*", "").replace("\\", "").strip()
        arrays = 0
        while label.endswith("[]"):
            label, arrays = label[:-2], arrays + 1
        while label.startswith("[]"):
            label, arrays = label[2:], arrays + 1
        target = record_link(facts, page, href, line)
        if not target:  # an SDK or platform type documented elsewhere (context.Context, http.Response)
            return None
        name = label.rsplit(".", 1)[-1]
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            return None
        result = TypeExpr("ref", name=name, link=target)
        for _ in range(arrays):
            result = TypeExpr("array", item=result)
        return result
    if text in rules.ANY_TYPES:
        return TypeExpr("any")
    found = rules.scalar(text)
    if found is not None:
        kind, fmt = found
        notes: tuple[str, ...] = (rules.format_note(text, fmt),) if fmt else ()
        if text == "number":
            notes += (rules.TS_NUMBER,)
        return TypeExpr(kind, format=fmt, inferred=notes)
    return None


def _operations(page: Page, facts: PageFacts, title: Heading, case: str) -> None:
    summaries: dict[str, str] = {}
    current: str | None = None
    blocks: dict[str, list[object]] = {}
    headings: dict[str, Heading] = {}
    for block in page.blocks:
        if isinstance(block, Heading) and block.level == 2:
            current = block.text if block.text not in ("Overview",) else None
            if current is not None:
                blocks[current], headings[current] = [], block
        elif isinstance(block, ItemList) and current is None:
            for item in block.items:
                for label, href in item.cell.links:
                    if href.startswith("#") and " - " in item.cell.text:
                        summaries[label] = item.cell.text.split(" - ", 1)[1].strip()
        elif current is not None:
            blocks[current].append(block)
    for name, section in blocks.items():
        facts.operations.append(_operation(page, facts, title.text, name, headings[name], section,
                                           summaries.get(name), case))


def _operation(page: Page, facts: PageFacts, group: str, name: str, heading: Heading, section: list[object],
               summary: str | None, case: str) -> OperationFact:
    description_blocks: list[object] = []
    subsection = ""
    params: list[ParamFact] = []
    body: TypeExpr | None = None
    body_loc = None
    response: TypeExpr | None = None
    response_loc = None
    method = path = operation_id = None
    for block in section:
        if isinstance(block, Heading):
            subsection = block.text
            continue
        if isinstance(block, Comment) and len(block.content) < 4096 and (m := _SNIPPET.search(block.content)):
            operation_id, method, path = m[1], m[2].lower(), m[3]
        if subsection == "" and isinstance(block, Paragraph):
            description_blocks.append(block)
        elif subsection == "Parameters" and isinstance(block, Table):
            if not has_columns(page, facts, block, _PARAMS, dialect="Speakeasy"):
                continue
            for row in block.rows:
                shown = row.cells[0].text
                if shown in _SDK_ONLY_PARAMS or "." in shown:
                    continue
                type_cell = _cell(block, row, "Type")
                assert type_cell is not None
                type_ = parse_type(page, facts, type_cell, row.line)
                if type_ is None:
                    facts.problems.append(Problem(page.loc(row.line), f"unknown type {type_cell.text!r} of parameter {shown!r}",
                                                  "a parameter's type is a Speakeasy type or a link to a model page"))
                    continue
                if type_.kind == "ref" and shown == "request" or _is_body_link(type_):
                    # the body, or a request page whose fields are the parameters (told apart in build)
                    body, body_loc = type_, page.loc(row.line)
                    continue
                wire, note = rules.wire_name(shown, "as-is" if case == "camel" else case, sdk_name=True)
                desc = _cell(block, row, "Description")
                req = _cell(block, row, "Required")
                params.append(ParamFact(shown, wire, type_, bool(req and _required(req)), page.loc(row.line),
                                        description=rules.description(desc.markdown) if desc else None,
                                        inferred=(note,) if note else ()))
        elif subsection == "Response" and isinstance(block, Paragraph) and response is None:
            for label, href in block.cell.links:
                found = parse_type(page, facts, Cell(f"[{label}]({href})", label, ((label, href),)), block.line)
                if found is not None:
                    response, response_loc = found, page.loc(block.line)
                    break
    return OperationFact(group, name, page.loc(heading.line), method, path, operation_id, summary,
                         _description(description_blocks), tuple(params), body, True, body_loc, response, None,
                         response_loc)


def _is_body_link(type_: TypeExpr) -> bool:
    """A parameter typed by a link to a request model (``shared.ExecuteTaskRequest``) is the body."""
    target = type_.item if type_.kind == "array" and type_.item else type_
    return target.kind == "ref" and target.name.endswith(("Request", "RequestBody", "Input"))
