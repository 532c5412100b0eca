"""How text from a spec becomes text in generated code: the one place where it is cleaned and escaped.

A spec is untrusted input. Its prose (titles, descriptions, summaries) lands in docstrings, and its
values (header names, URLs, wire names, enum values) land in string literals. Both go through this
module only: templates get :func:`docstring_text` applied to every plain string by the Jinja
environment (see ``render._environment``), literals through :func:`literal`, and the model
generator's input through :func:`clean`. Generated code fragments that the generator itself built
(type expressions, literals) are :class:`Code` and pass unchanged.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from markupsafe import Markup

from . import layout

#: Unicode bidirectional controls: they make source read differently from how it runs
#: ("Trojan Source", CVE-2021-42574), so they never reach a generated file as themselves.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_REPLACEMENT = "\ufffd"
_QUOTE_RUN = re.compile(r'"(?="|\Z)|\A"')


class Code(Markup):
    """Text that is already valid Python built by the generator (a type expression, a literal).

    The template environment passes it through as it is; every other string is escaped as prose.
    It is a ``Markup`` so that Jinja's autoescaping machinery, which the environment uses to reach
    every printed value, treats it (and the output of macros) as already escaped.
    """

    __slots__ = ()


def _unsafe(char: str) -> bool:
    """Characters that must not appear raw in a generated file.

    Control characters other than newline and tab (NUL cannot be in a module at all; others make
    tools disagree about where lines end), lone surrogates (not encodable as UTF-8), and bidi controls.
    """
    if char in "\n\t":
        return False
    category = unicodedata.category(char)
    return category in ("Cc", "Cs") or char in BIDI_CONTROLS


#: :func:`_unsafe` as one character class (Cc is U+0000-001F and U+007F-009F, Cs the surrogates), so
#: that clean text, nearly all of it, is checked in one pass of the regex engine; a unit test holds
#: the two definitions equal over every code point.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff" + "".join(sorted(BIDI_CONTROLS)) + "]")


def clean(text: str) -> str:
    """Prose as a reader should see it: newlines normalized, unsafe characters made visible.

    ``\\r\\n``, ``\\r`` and the Unicode line and paragraph separators become ``\\n`` (every tool agrees
    where such a line ends); other unsafe characters become U+FFFD. The text is otherwise unchanged.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    return _UNSAFE.sub(_REPLACEMENT, text.replace("\x85", "\n"))


def escape_docstring(text: str) -> str:
    """``text`` made safe to place anywhere inside a triple-double-quoted docstring.

    Backslashes are doubled, and a double quote is escaped when it touches another one or either end
    of the text, so no run of quotes can close the docstring whatever surrounds the text.
    """
    text = clean(text).replace("\\", "\\\\")
    return _QUOTE_RUN.sub(r'\\"', text)


def docstring_text(value: Any) -> Code:
    """The environment's ``finalize``: every ``{{ value }}`` a template prints goes through here.

    :class:`Code` passes as it is; strings are escaped as docstring prose (a checked identifier is
    unchanged by that); numbers print as literals. Anything else is a template bug.
    """
    if isinstance(value, Markup):  # Code, or the output of a macro (built from escaped parts)
        return Code(value)
    if isinstance(value, str):
        return Code(escape_docstring(value))
    if isinstance(value, (bool, int)):
        return Code(repr(value))
    raise TypeError(f"a template printed a {type(value).__name__}; print text, a number or Code")


def literal(value: Any) -> Code:
    """``value`` (str, int, bool, None, finite float, or tuples/lists/dicts of them) as a Python literal.

    ``repr`` of a str escapes quotes, backslashes and every non-printable character, so the literal
    evaluates back to exactly ``value``; its quotes are then the ones black would write (black's own
    rule: double quotes unless they need more escapes), so that black has nothing to change in it.
    """
    if isinstance(value, str):
        return Code(layout.quoted(repr(str(value))))
    if value is None or isinstance(value, (bool, int)):
        return Code(repr(value))
    if isinstance(value, float) and math.isfinite(value):
        return Code(layout.number(repr(value)))
    if isinstance(value, tuple):
        items = ", ".join(literal(v) for v in value)
        return Code(f"({items},)" if len(value) == 1 else f"({items})")
    if isinstance(value, list):
        return Code("[" + ", ".join(literal(v) for v in value) + "]")
    if isinstance(value, dict):
        return Code("{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}")
    raise TypeError(f"{type(value).__name__} values cannot be written as a Python literal here")


def one_line(text: str) -> Code:
    """Prose for a one-line position (a title in a summary line): whitespace runs become one space."""
    return Code(escape_docstring(" ".join(clean(text).split())))


def printable(text: str) -> str:
    """``text`` on one line with every non-printable character as its escape (``\\n``, ``\\x1b``): for
    a ``#`` comment, and for spec text that a report prints to a terminal."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)
