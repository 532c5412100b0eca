"""The one escaping path: spec text placed in docstrings, literals and comments cannot change the code."""

from __future__ import annotations

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from specgen import text

#: Characters that break generated code when placed raw: quotes, backslashes, line ends of every
#: kind, NUL and other controls, bidi overrides, lone surrogates, template syntax.
DANGEROUS = st.sampled_from(list('"\'\\\n\r\t\x00\x0b\x0c\x1b\x7f\x85\u2028\u2029\u202e\u2066\ud800{}%#*/ aZ'))
HOSTILE_TEXT = st.lists(st.one_of(DANGEROUS, st.characters()), max_size=40).map("".join)

#: Places the templates put docstring text: alone, between words, at either end, on its own line.
DOCSTRING_SLOTS = ['"""{}"""', '"""Summary {}."""', '"""{} end"""', '"""Start\n\n    {}\n    """', '"""``{}``"""']


@settings(derandomize=True, max_examples=300, deadline=None)
@given(HOSTILE_TEXT, st.sampled_from(DOCSTRING_SLOTS))
def test_docstring_text_stays_inside_its_docstring(value: str, slot: str) -> None:
    source = "def f():\n    " + slot.format(text.escape_docstring(value)) + "\n"
    tree = ast.parse(source)
    function = tree.body[0]
    assert len(tree.body) == 1 and isinstance(function, ast.FunctionDef)
    assert len(function.body) == 1  # the docstring and nothing else
    docstring = ast.get_docstring(function, clean=False)
    assert docstring is not None and text.clean(value) in docstring
    source.encode("utf-8")  # no lone surrogate reaches the file


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), HOSTILE_TEXT,
                              st.floats(allow_nan=False, allow_infinity=False)),
                    lambda inner: st.one_of(st.lists(inner, max_size=3), st.tuples(inner),
                                            st.dictionaries(HOSTILE_TEXT, inner, max_size=3)),
                    max_leaves=8))
def test_literal_evaluates_back_to_the_value(value: object) -> None:
    code = text.literal(value)
    assert "\n" not in code and "\r" not in code
    code.encode("utf-8")
    assert ast.literal_eval(code) == value


@settings(derandomize=True, max_examples=200, deadline=None)
@given(HOSTILE_TEXT)
def test_a_comment_stays_one_line(value: str) -> None:
    source = f"# from {text.printable(value)}\nx = 1\n"
    tree = ast.parse(source)
    assert [type(n) for n in tree.body] == [ast.Assign]
    assert source.count("\n") == 2


@settings(derandomize=True, max_examples=200, deadline=None)
@given(HOSTILE_TEXT)
def test_cleaned_prose_has_no_unsafe_character(value: str) -> None:
    cleaned = text.clean(value)
    assert not any(text._unsafe(c) for c in cleaned)
    assert "\r" not in cleaned and "\u2028" not in cleaned


def test_unsafe_class_matches_the_character_rule_on_every_code_point() -> None:
    # clean() finds unsafe characters with one regex; _unsafe() is the rule it stands for
    disagree = [hex(i) for i in range(0x110000) if bool(text._UNSAFE.match(chr(i))) != text._unsafe(chr(i))]
    assert disagree == []


def test_examples() -> None:
    assert text.escape_docstring('say "hi"') == 'say "hi\\"'
    assert text.escape_docstring('x"""; import os; """') == 'x\\"\\""; import os; \\"\\"\\"'
    assert text.escape_docstring("a\\b") == "a\\\\b"
    assert text.clean("a\x00b\r\nc\u202ed") == "a\ufffdb\nc\ufffdd"
    assert text.literal(("a", 1)) == '("a", 1)'  # in black's quotes
    assert text.literal(("a",)) == '("a",)'
    assert text.literal("it's") == '"it\'s"' and text.literal('say "hi"') == "'say \"hi\"'"
    assert text.literal(2.5e20) == "2.5e20"  # black's way of writing repr's 2.5e+20
    assert text.one_line("A\n  title\u2028") == "A title"


def test_values_that_are_not_literals_are_refused() -> None:
    for value in (float("nan"), float("inf"), object(), {1, 2}):
        try:
            text.literal(value)
        except TypeError:
            continue
        raise AssertionError(f"{value!r} was written as a literal")
