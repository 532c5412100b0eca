"""black's output for the large modules specgen renders, with black run only where it would change them.

black (with isort) is the formatter of record: a generated file is byte-identical to what
``output.format_source`` makes of it. But black re-parses and re-lays out every line, and the
resource modules of a large API are megabytes of methods (Kubernetes: 9 MB in 56 modules, 25 s of
black), nearly all of which the templates already write the way black would. So a module is
formatted in pieces:

- the **head** (module docstring and imports) goes through isort and black, unless it is already
  in their form (:func:`imports.settled`; specgen writes most imports in that form itself), and so
  does an ``if TYPE_CHECKING:`` block of imports below it;
- the rest is cut into **units** (top-level statements; the members of a class whose body needs
  work), and a unit goes through black only when it is not already settled: a code line longer than
  :data:`LINE_LENGTH` (black would wrap it), trailing whitespace, or a docstring that black's own
  docstring rule (:func:`docstring`) would change;
- a module this reader cannot cut with certainty (a triple-quoted string it does not recognise,
  ``'''``, a backslash continuation, an import below the head other than in a settled ``if
  TYPE_CHECKING:`` block) goes through black whole.

The templates write literals through black's own string normalization (``text.literal``) and
wrap what they can; what they cannot predict (a signature made long by a long type) is found here
and handed to black. ``tests/test_layout.py`` holds this module to black's output on every spec of
``specs/`` and on hostile text, and the corpus run holds it to black on 60 real specs.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from . import imports

#: black's line length for generated code (``output.LINE_LENGTH`` is the same number).
LINE_LENGTH = 100
_TRIPLE = '"""'
#: A line that starts a new statement at the indentation being cut (not a closing bracket).
_CLOSERS = (")", "]", "}")
_IMPORT = re.compile(r"\s*(import|from)\s")

Formatter = Callable[[str], str]


def formatted(source: str, format_source: Formatter) -> str:
    """``format_source(source)`` (isort then black), running it only on the parts that need it."""
    if not source.endswith("\n") or "'''" in source or "\r" in source:
        return format_source(source)
    # Lines as Python reads them: ``str.splitlines`` would also cut at U+2028, NEL, form feeds...,
    # which a string literal may hold as they are.
    lines = [line + "\n" for line in source[:-1].split("\n")]
    kinds = _line_kinds(lines)
    if kinds is None:
        return format_source(source)
    for index, line in enumerate(lines):
        if kinds[index] == CODE and _SUSPECT.search(line):
            requoted = _requoted(line)
            if requoted is None:
                return format_source(source)
            lines[index] = requoted
    head_end = _head_end(lines, kinds)
    if head_end is None:
        return format_source(source)
    units = _units(lines, kinds, head_end, len(lines), indent=0)
    for start, end in units:
        if any(kinds[i] == CODE and _IMPORT.match(lines[i]) for i in range(start, end)) \
                and not imports.settled("".join(lines[start:end]), indent=4):
            return format_source(source)  # imports below the head, other than settled TYPE_CHECKING ones
    head = "".join(lines[:head_end]).strip("\n")
    out = [head + "\n" if imports.settled(head + "\n") else format_source(head + "\n")] if head else []
    for start, end in units:
        out.append("\n" * min(_blank_lines(lines, start), 2))  # black keeps at most two at the top level
        out.append(_unit(lines, kinds, start, end, format_source))
    return "".join(out)


# The kinds of line: code, a line of a triple-quoted string (its first, a middle one, its last, or
# all of it on one line), blank.
CODE, OPEN, INNER, CLOSE, SINGLE, BLANK = range(6)


def _line_kinds(lines: list[str]) -> list[int] | None:
    """What each line is, or None when a line is not one of the shapes specgen writes.

    The only triple-quoted strings specgen writes are docstrings (of modules, classes, functions
    and attributes), each opening at the start of its line and closing at the end of one; escaping
    (:func:`text.escape_docstring`) keeps ``\"\"\"`` out of their text. A ``\"\"\"`` anywhere else (inside
    an ordinary literal, say) makes the cut uncertain, and so does a backslash continuation.
    """
    kinds = []
    inside = False
    for line in lines:
        stripped = line.strip()
        count = line.count(_TRIPLE)
        if inside:
            if count == 0:
                kinds.append(INNER)
            elif count == 1 and stripped.endswith(_TRIPLE):
                kinds.append(CLOSE)
                inside = False
            else:
                return None
        elif not stripped:
            kinds.append(BLANK)
        elif count == 0:
            if stripped.endswith("\\"):
                return None
            kinds.append(CODE)
        elif stripped.startswith(_TRIPLE) and count == 1:
            kinds.append(OPEN)
            inside = True
        elif stripped.startswith(_TRIPLE) and count == 2 and stripped.endswith(_TRIPLE) and len(stripped) >= 6:
            kinds.append(SINGLE)
        else:
            return None
    return None if inside else kinds


def _head_end(lines: list[str], kinds: list[int]) -> int | None:
    """The index of the first line after the module docstring and the imports at the top."""
    index = 0
    while index < len(lines) and kinds[index] == BLANK:
        index += 1
    if index < len(lines) and kinds[index] in (OPEN, SINGLE):  # the module docstring
        while kinds[index] not in (CLOSE, SINGLE):
            index += 1
        index += 1
    end = index
    in_import = False
    while index < len(lines):
        line, kind = lines[index], kinds[index]
        if kind == BLANK:
            index += 1
            continue
        if kind != CODE:
            break
        if in_import:
            in_import = not line.startswith(")")
        elif _IMPORT.match(line) and not line[0].isspace():
            in_import = line.rstrip().endswith("(")
        else:
            break
        index += 1
        end = index
    return None if in_import else end


def _units(lines: list[str], kinds: list[int], start: int, stop: int, indent: int) -> list[tuple[int, int]]:
    """``(first, end)`` line ranges of the statements at ``indent`` in ``lines[start:stop]``, without
    the blank lines around them."""
    units: list[tuple[int, int]] = []
    first = None
    last = start
    decorator = False  # the statement started so far is a decorator: the def or class it decorates joins it
    for index in range(start, stop):
        kind = kinds[index]
        if kind == BLANK:
            continue
        line = lines[index]
        starts = (kind in (CODE, OPEN, SINGLE) and len(line) - len(line.lstrip(" ")) == indent
                  and not line.lstrip(" ").startswith(_CLOSERS))
        if kind in (OPEN, SINGLE) and first is not None and not _opens_docstring(lines, kinds, index):
            starts = False  # an attribute's docstring belongs with the attribute (black reads it so)
        if starts and not decorator:
            if first is not None:
                units.append((first, last))
            first = index
        if starts:
            decorator = line.lstrip(" ").startswith("@")
        last = index + 1
    if first is not None:
        units.append((first, last))
    return units


def _opens_docstring(lines: list[str], kinds: list[int], index: int) -> bool:
    """Whether the string starting at ``index`` is the docstring of the ``def``/``class`` above it
    (black's docstring rule applies only to a block's first statement)."""
    previous = index - 1
    return previous >= 0 and kinds[previous] == CODE and lines[previous].rstrip().endswith(":")


def _blank_lines(lines: list[str], start: int) -> int:
    count = 0
    while start - count - 1 >= 0 and not lines[start - count - 1].strip():
        count += 1
    return count


def _unit(lines: list[str], kinds: list[int], start: int, end: int, format_source: Formatter) -> str:
    """The statement ``lines[start:end]`` as black writes it; black runs only if it must."""
    text = "".join(lines[start:end])
    if _settled(lines, kinds, start, end):
        return text
    indent = len(lines[start]) - len(lines[start].lstrip(" "))
    if indent == 0 and lines[start].startswith("class ") and kinds[start] == CODE and lines[start].rstrip().endswith(":"):
        return _class(lines, kinds, start, end, format_source)
    if indent == 0:
        return format_source(text)
    if indent == 4:
        return format_source("class _:\n" + text).split("\n", 1)[1]
    return format_source(text)  # not reached: units are cut at indentation 0 and 4 only


def _class(lines: list[str], kinds: list[int], start: int, end: int, format_source: Formatter) -> str:
    """A class whose body needs black somewhere: its header (with its docstring) and each member on
    their own; black puts one blank line after a class docstring."""
    members = _units(lines, kinds, start + 1, end, indent=4)
    if not members:
        return format_source("".join(lines[start:end]))
    has_docstring = kinds[members[0][0]] in (OPEN, SINGLE)
    header_end = members.pop(0)[1] if has_docstring else start + 1
    if not _settled(lines, kinds, start, header_end):
        return format_source("".join(lines[start:end]))
    out = ["".join(lines[start:header_end])]
    for position, (first, last) in enumerate(members):
        out.append("\n" if position == 0 and has_docstring else "\n" * min(_blank_lines(lines, first), 1))
        out.append(_unit(lines, kinds, first, last, format_source))
    return "".join(out)


def _settled(lines: list[str], kinds: list[int], start: int, end: int) -> bool:
    """Whether black would leave ``lines[start:end]`` as they are (see the module docstring)."""
    index = start
    while index < end:
        line, kind = lines[index], kinds[index]
        if kind == CODE:
            # a line black would wrap, trailing space, a tab (black indents with spaces)
            if width(line) > LINE_LENGTH or line[-2:-1].isspace() or "\t" in line:
                return False
        elif kind in (OPEN, SINGLE):
            close = index
            while kinds[close] not in (CLOSE, SINGLE):
                close += 1
            written = "".join(lines[index:close + 1])
            if "\\" in written and not _escapes_settled(written):
                return False
            if _opens_docstring(lines, kinds, index):
                indent = written[: len(written) - len(written.lstrip(" "))]
                if docstring(written.strip()[3:-3], indent) + "\n" != written[len(indent):]:
                    return False
                if (lines[index - 1].lstrip().startswith("class ") and close + 1 < end
                        and (lines[close + 1] != "\n" or close + 2 < end and lines[close + 2] == "\n")):
                    return False  # black puts one blank line after a class docstring
            index = close
        index += 1
    return True


#: A string literal on one line, or the start of a comment.
_STRING_OR_COMMENT = re.compile(r""""(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#""")
#: What a line holds when black may write one of its literals otherwise (a quick first look).
_SUSPECT = re.compile(r"'|e\+|\d[EXOBJjxob]|\d\.(?!\d)|(?<![\w.])\.\d")
#: A number literal (not part of a name).
_NUMBER = re.compile(r"(?<![\w.])(?:0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?[\d_]+)?[jJ]?)(?![\w.])")


@functools.lru_cache(maxsize=65536)  # wire names and statuses repeat across operations
def quoted(literal: str) -> str:
    """A one-line string literal (``repr`` of a str) in the quotes black writes (black's own rule:
    double quotes unless they need more escapes)."""
    from black.strings import normalize_string_quotes

    return normalize_string_quotes(literal)


def number(literal: str) -> str:
    """A number literal as black writes it (black's own rule: ``1e+20`` → ``1e20``, ``0XAB`` → ``0xAB``)."""
    from black.numerics import format_complex_number, format_float_or_int_string, format_hex, format_scientific_notation

    text = literal.lower()
    if text.startswith(("0o", "0b")):
        return text
    if text.startswith("0x"):
        return format_hex(text)
    if "e" in text:
        return format_scientific_notation(text)
    if text.endswith("j"):
        return format_complex_number(text)
    return format_float_or_int_string(text)


def _requoted(line: str) -> str | None:
    """``line`` with its literals as black writes them (:func:`quoted`, :func:`number`); None when
    the line has a comment, a prefixed string or two strings side by side, left to black itself.

    datamodel-code-generator writes ``repr`` of values (``examples=['a']``, ``1e+20``) and leaves
    them to the formatter.
    """
    parts, position = [], 0
    for match in _STRING_OR_COMMENT.finditer(line):
        token, start = match.group(), match.start()
        if token == "#" or start and (line[start - 1].isalnum() or line[start - 1] in "_'\""):
            return None  # a comment, a prefixed string, or strings side by side (black spaces them)
        parts += [_renumbered(line[position:start]), quoted(token) if token[0] == "'" else token]
        position = match.end()
    return "".join(parts) + _renumbered(line[position:])


def _renumbered(code: str) -> str:
    """Code without strings, with each number literal as black writes it."""
    return _NUMBER.sub(lambda match: number(match.group()), code) if any(c.isdigit() for c in code) else code


def width(line: str) -> int:
    """The width black measures a line by (East Asian wide characters count two), without its newline."""
    line = line.rstrip("\n")
    if line.isascii():
        return len(line)
    from black.strings import str_width

    return str_width(line)


def _escapes_settled(written: str) -> bool:
    """Whether black's lower-casing of hex escapes (``\\xAB`` → ``\\xab``) leaves ``written`` alone."""
    from black.strings import UNICODE_ESCAPE_RE

    for match in UNICODE_ESCAPE_RE.finditer(written):
        if match["body"] is None or len(match["backslashes"]) % 2 == 0:
            continue
        hexadecimal = match["u"] or match["U"] or match["x"]
        if hexadecimal is not None and hexadecimal != hexadecimal.lower():
            return False
        if match["N"] is not None and match["N"] != match["N"].upper():
            return False
    return True


def docstring(value: str, indent: str) -> str:
    """A ``\"\"\"`` docstring with text ``value`` at ``indent``, as black writes it (its ``visit_STRING``).

    Uses black's own helpers, so the rule is black's: the first line stripped, the others re-indented
    and stripped of trailing space, padding where the text would touch a quote or end in a
    backslash, and the closing quotes on a line of their own when they would pass the line length.
    """
    from black.strings import fix_multiline_docstring

    if re.search(r"\\\s*\n", value):  # black leaves such a docstring as it is written
        return _TRIPLE + value + _TRIPLE
    text = fix_multiline_docstring(value, indent) if "\n" in value else value.strip()
    trailing_backslash = False
    if text:
        if text[0] == '"':
            text = " " + text
        if text[-1] == '"':
            text += " "
        if text[-1] == "\\" and (len(text) - len(text.rstrip("\\"))) % 2:
            text += " "
            trailing_backslash = True
    elif value:
        text = " "
    last = text.splitlines()[-1] if text and not text.endswith("\n") else ""
    if ("\n" in value and len(text.splitlines()) > 1 and len(last) + 3 > LINE_LENGTH
            and len(indent) + 3 <= LINE_LENGTH and not trailing_backslash):
        return _TRIPLE + text + ("" if value.endswith("\n") else "\n" + indent) + _TRIPLE
    return _TRIPLE + text + _TRIPLE
