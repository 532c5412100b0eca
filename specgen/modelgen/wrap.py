"""Long lines of ``models.py`` wrapped the way black wraps them.

black is the formatter of record (:mod:`specgen.layout`); it runs only on statements that are not
already as it writes them. The statements of the models are few shapes, and for a long one of those
shapes black's choice follows from the lengths of its parts alone, so it is computed here:

- a field ``name: T = Field(args)``: split inside ``Field(...)`` when ``name: T = Field(`` fits (the
  arguments on one line, else one per line with a trailing comma); else the value in parentheses
  when ``name: T = (`` fits; else the annotation in parentheses;
- a field ``name: T = value`` (a name, a literal): the value in parentheses when ``name: T = (``
  fits, else the annotation in parentheses; a field without a value: the annotation in parentheses;
- the annotation in parentheses: on one line, else a union one member a line (``| B``);
- an enum member ``NAME = value``: the value in parentheses;
- a class statement ``class Name(bases):``: the bases on a line of their own.

Anything else (a part that still does not fit, a subscript that black splits inside its brackets)
is returned as it is: :func:`layout.formatted` then hands the statement to black. The rules were read
off black's output and are held to it over every statement of the corpus (``bench/wrap_check.py``).
"""

from __future__ import annotations

from typing import Any

from .. import layout
from .values import literal

WIDTH = layout.LINE_LENGTH
INDENT = "    "


def fits(line: str) -> bool:
    return layout.width(line) <= WIDTH


#: An argument of a call: its text, and the Python data of its value (a list or dict black may split
#: inside its brackets) or None.
Argument = tuple[str, str, Any]


def field(name: str, annotation: str, value: str | None, arguments: list[Argument] | None, suffix: str = "") -> str:
    """The lines of ``name: annotation[ = value]`` at class level (``arguments``: those of a
    ``Field(...)`` value, as ``(keyword= or "", text, data)``), without a final newline. ``suffix``:
    a comment that ends the statement, which leaves any long statement to black."""
    line = f"{INDENT}{name}: {annotation}" + (f" = {value}" if value is not None else "") + suffix
    if fits(line) or suffix:
        return line
    if value is None:
        return _annotation_wrapped(name, annotation, None) or line
    if arguments is not None:
        head = f"{INDENT}{name}: {annotation} = Field("
        if fits(head):
            body = _arguments(arguments)
            return f"{head}\n{body}\n{INDENT})" if body is not None else line
    if fits(f"{INDENT}{name}: {annotation} = ("):
        inner = f"{INDENT * 2}{value}"
        return f"{INDENT}{name}: {annotation} = (\n{inner}\n{INDENT})" if fits(inner) else line
    return _annotation_wrapped(name, annotation, value) or line


def _arguments(arguments: list[Argument]) -> str | None:
    """The arguments of a call split from its brackets: on one line, else one a line (a list or dict
    that does not fit split inside its brackets, as black does)."""
    joined = INDENT * 2 + ", ".join(prefix + text for prefix, text, _ in arguments)
    if fits(joined):
        return joined
    lines: list[str] = []
    for prefix, text, data in arguments:
        lines += value_lines(INDENT * 2, prefix, text, data, ",")
    return "\n".join(lines)


def value_lines(indent: str, prefix: str, text: str, data: Any, suffix: str) -> list[str]:
    """``prefix + text + suffix`` at ``indent``, a list or dict split inside its brackets when it does
    not fit: its items on one line, else one a line with a trailing comma (an item split likewise);
    a value that cannot be split stays on its line, however long."""
    line = f"{indent}{prefix}{text}{suffix}"
    if fits(line) or not isinstance(data, (list, dict)) or not data:
        return [line]
    inner = indent + INDENT
    if isinstance(data, list):
        items = [("", literal(item), item) for item in data]
        opening, closing = "[", "]"
    else:
        items = [(f"{literal(key)}: ", literal(item), item) for key, item in data.items()]
        opening, closing = "{", "}"
    body = inner + ", ".join(p + t for p, t, _ in items)
    lines = [f"{indent}{prefix}{opening}"]
    if fits(body):
        lines.append(body)
    elif len(items) == 1:
        lines += value_lines(inner, *items[0], "")
    else:
        for item_prefix, item_text, item_data in items:
            lines += value_lines(inner, item_prefix, item_text, item_data, ",")
    lines.append(f"{indent}{closing}{suffix}")
    return lines


def _annotation_wrapped(name: str, annotation: str, value: str | None) -> str | None:
    members = _union_members(annotation)
    if len(members) == 1 and "[" in annotation:
        return None  # black splits inside the subscript
    tail = f"{INDENT})" + (f" = {value}" if value is not None else "")
    if not fits(tail):
        return None
    inner = f"{INDENT * 2}{annotation}"
    if fits(inner):
        return f"{INDENT}{name}: (\n{inner}\n{tail}"
    if len(members) == 1:
        return None
    lines = [f"{INDENT * 2}{'| ' if index else ''}{member}" for index, member in enumerate(members)]
    if not all(fits(line) for line in lines):
        return None
    return f"{INDENT}{name}: (\n" + "\n".join(lines) + f"\n{tail}"


def _union_members(annotation: str) -> list[str]:
    """The members of a union written ``A | B`` (split where no bracket is open)."""
    members, depth, start = [], 0, 0
    index = 0
    while index < len(annotation):
        char = annotation[index]
        if char in "[(":
            depth += 1
        elif char in "])":
            depth -= 1
        elif char == '"' or char == "'":
            index = _string_end(annotation, index)
        elif depth == 0 and annotation.startswith(" | ", index):
            members.append(annotation[start:index])
            start = index + 3
            index += 3
            continue
        index += 1
    members.append(annotation[start:])
    return members


def _string_end(text: str, start: int) -> int:
    quote = text[start]
    index = start + 1
    while text[index] != quote:
        index += 2 if text[index] == "\\" else 1
    return index


def member(name: str, value: str) -> str:
    """``NAME = value`` in an enum class."""
    line = f"{INDENT}{name} = {value}"
    if fits(line):
        return line
    inner = f"{INDENT * 2}{value}"
    return f"{INDENT}{name} = (\n{inner}\n{INDENT})" if fits(inner) else line


def class_statement(name: str, bases: str) -> str:
    """``class Name(bases):``."""
    line = f"class {name}({bases}):"
    if fits(line):
        return line
    inner = f"{INDENT}{bases}"
    return f"class {name}(\n{inner}\n):" if fits(inner) else line
