"""Import statements as isort (profile black, line length 100) and then black write them, without running either.

specgen writes most imports itself: a large API's models are thousands of small modules
(:mod:`.split`), and isort and black on each module's imports would take seconds. :func:`block`
writes a block of imports in their form, and :func:`settled` tells :mod:`.layout` whether a module's
head (its docstring and imports) or an ``if TYPE_CHECKING:`` block of imports already is in that
form, so that it is left as it is.

Only the shapes specgen writes are known: ``import m``, ``from m import a, b`` (absolute or
relative) and a lone ``from m import a as b``. Anything else (a comment, ``*``, an alias next to other
names, a module isort could place in another section) is not settled, and goes through isort and
black as before. ``tests/test_imports.py`` holds :func:`block` to isort and black.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Mapping

LINE_LENGTH = 100
#: Third-party modules the generated code imports (isort places any module it cannot find in its
#: source folders there; a module of another name could be first party, so it is left to isort).
THIRD_PARTY = frozenset({"httpx", "pydantic"})
#: isort's sections in their order (profile black): ``__future__``, the standard library, third
#: party, relative imports.
_FUTURE, _STDLIB, _THIRD_PARTY, _LOCAL = range(4)

#: One ``from`` module's names (``("a", "b")``; ``("a as b",)`` for an alias), or None for ``import m``.
Names = tuple[str, ...] | None


def block(imports: Mapping[str, Iterable[str] | None], indent: int = 0) -> str:
    """The import statements ``imports`` (module → names imported from it, or None for ``import
    module``) as isort and black write them, each line indented by ``indent`` spaces.

    Raises ``ValueError`` for a shape isort writes in a way this does not know (see the module
    docstring).
    """
    sections: list[list[str]] = [[], [], [], []]
    straight: list[list[str]] = [[], [], [], []]
    froms: list[list[tuple[str, list[str]]]] = [[], [], [], []]
    for module, names in imports.items():
        section = _section(module)
        if section is None:
            raise ValueError(f"isort may place {module!r} in a section of its own")
        if names is None:
            straight[section].append(module)
            continue
        listed = sorted(set(names), key=lambda name: (_name_key(name), name))  # isort keeps ties as given
        if not listed or any(" as " in name for name in listed) and len(listed) > 1:
            raise ValueError(f"isort writes the imports of {module!r} in a way this does not know")
        froms[section].append((module, listed))
    pad = " " * indent
    for section in range(4):
        lines = [f"{pad}import {module}\n" for module in sorted(straight[section], key=lambda m: (_module_key(m), m))]
        for module, names in sorted(froms[section], key=lambda item: (_module_key(item[0]), item[0])):
            lines.append(_from_line(module, names, pad))
        sections[section] = lines
    return "\n".join("".join(lines) for lines in sections if lines)


def _from_line(module: str, names: list[str], pad: str) -> str:
    """``from module import names``: on one line when it fits, else one name a line in parentheses
    with a trailing comma (isort's "vertical hanging indent", which black keeps)."""
    line = f"{pad}from {module} import {', '.join(names)}"
    if len(line) <= LINE_LENGTH:
        return line + "\n"
    if " as " in names[0]:
        raise ValueError(f"isort writes a long aliased import from {module!r} in a way this does not know")
    inner = pad + "    "
    return f"{pad}from {module} import (\n" + "".join(f"{inner}{name},\n" for name in names) + f"{pad})\n"


def _section(module: str) -> int | None:
    if module == "__future__":
        return _FUTURE
    if module.startswith("."):
        return _LOCAL
    top = module.split(".")[0]
    if top in sys.stdlib_module_names:
        return _STDLIB
    return _THIRD_PARTY if top in THIRD_PARTY else None


_DIGITS = re.compile(r"(\d+)")


def _natural(text: str) -> list[int | str]:
    """isort's "natural" sort key: runs of digits compare as numbers (``_a2`` before ``_a10``)."""
    return [int(part) if part.isdigit() else part for part in _DIGITS.split(text)]


def _module_key(module: str) -> list[int | str]:
    """isort's key for a module (``sorting.module_key``): case-insensitive, the dots of a relative
    import followed by ``_`` (so ``..x`` comes before ``.x``)."""
    match = re.match(r"^(\.+)\s*(.*)", module)
    if match:
        module = "_".join(match.groups())
    return _natural("B" + module.lower())


def _name_key(name: str) -> list[int | str]:
    """isort's key for a name imported from a module (``order_by_type``): CONSTANTS, then Classes,
    then the rest, each case-insensitive."""
    if name.isupper() and len(name) > 1:
        prefix = "A"
    elif name[:1].isupper():
        prefix = "B"
    else:
        prefix = "C"
    return _natural("B" + prefix + name.lower())


def settled(head: str, indent: int = 0) -> bool:
    """Whether isort and black leave ``head`` as it is written: a module's head (a docstring black
    would not change, one blank line, then imports) or, with ``indent``, the imports inside an ``if
    TYPE_CHECKING:`` (``head`` is then that statement whole). Anything this module does not know
    the form of is not settled."""
    try:
        tree = ast.parse(head)
    except SyntaxError:
        return False
    body = tree.body
    written = head
    expected = ""
    if indent:
        if not (len(body) == 1 and isinstance(body[0], ast.If) and not body[0].orelse
                and isinstance(body[0].test, ast.Name) and body[0].test.id == "TYPE_CHECKING"):
            return False
        prefix = "if TYPE_CHECKING:\n"
        if not written.startswith(prefix):
            return False
        body = body[0].body
        written = written[len(prefix):]
    elif body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        from .layout import docstring

        end = body[0].end_lineno or 0
        text = "".join(head.splitlines(keepends=True)[:end])
        if not text.startswith('"""') or docstring(text.strip()[3:-3], "") + "\n" != text:
            return False
        expected = text + "\n"
        body = body[1:]
    imports: dict[str, Names] = {}
    for node in body:
        if isinstance(node, ast.Import) and len(node.names) == 1 and node.names[0].asname is None:
            if node.names[0].name in imports:
                return False
            imports[node.names[0].name] = None
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            names = tuple(a.name if a.asname is None else f"{a.name} as {a.asname}" for a in node.names)
            if module in imports or "*" in names:
                return False
            imports[module] = names
        else:
            return False
    if not imports:
        return False
    try:
        expected += block(imports, indent)
    except ValueError:
        return False
    return expected == (written if written.endswith("\n") else written + "\n")
