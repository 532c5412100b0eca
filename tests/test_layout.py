"""The fast layout (:mod:`specgen.layout`) gives black's bytes: on every spec, on hostile text, piece by piece."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import black
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from specgen import layout, output, pipeline, render, text

ROOT = Path(__file__).resolve().parent.parent
SPEC_FILES = sorted((ROOT / "specs").glob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").glob("*.yaml"))
#: Quotes, backslashes, escapes-that-are-not, tabs, wide and odd whitespace, a very long word.
HOSTILE = st.lists(st.sampled_from(['"', "'", "\\", "\\xAB", "\\N{dash}", "\t", " ", "\u3000", "\xa0", "字",
                                    "a", "word", "x" * 120, "\n", "\n\n", "- item", "e+5", "1.", "#"]),
                   max_size=12).map("".join)


def _black(source: str) -> str:
    return black.format_str(source, mode=black.Mode(line_length=layout.LINE_LENGTH))


def _counting(calls: list[str]) -> Callable[[str], str]:
    def format_source(source: str) -> str:
        calls.append(source)
        return output.format_source(source)

    return format_source


def _modules(spec_file: Path) -> dict[str, str]:
    """The unformatted modules of a spec's package that go through the fast layout."""
    (package,) = pipeline.build_all([spec_file], formatted=False)
    return {path: source for path, source in package.files.items()
            if path.endswith(".py") and path not in render.RUNTIME_FILES}


@pytest.mark.parametrize("spec_file", SPEC_FILES, ids=lambda p: p.stem)
def test_fast_layout_is_blacks_output_for_every_module(spec_file: Path) -> None:
    for path, source in _modules(spec_file).items():
        assert layout.formatted(source, output.format_source) == output.format_source(source), path


@pytest.mark.parametrize("spec_file", sorted((ROOT / "specs").glob("*.yaml")), ids=lambda p: p.stem)
def test_resource_modules_need_black_for_little_more_than_their_imports(spec_file: Path) -> None:
    """The point of the fast layout: the templates write what black would, so black sees only the
    head of a resource module (and the odd method with a line too long to predict)."""
    for path, source in _modules(spec_file).items():
        if path.startswith("resources/") and path != "resources/__init__.py":
            calls: list[str] = []
            layout.formatted(source, _counting(calls))
            assert sum(len(c) for c in calls) < len(source) / 2, path


def _hostile_spec(tmp_path: Path, words: list[str]) -> Path:
    """A small spec whose prose, wire names, enum values, defaults and examples are ``words``."""
    def word(i: int) -> str:
        return words[i % len(words)] if words else ""

    properties = {
        f"field{i}": {"type": "string", "description": word(i), "default": word(i + 1), "example": word(i + 2)}
        for i in range(4)
    }
    properties["number"] = {"type": "number", "default": 2.5e20, "example": 1.5e-7}
    properties["choice"] = {"type": "string", "enum": sorted({word(i) or "empty" for i in range(5)})}
    parameters = [{"name": f"q{i}" + "".join(c for c in word(i)[:20] if c.isprintable() and not c.isspace()), "in": "query", "description": word(i + 3),
                   "schema": {"type": "string"}} for i in range(8)]
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Hostile", "version": "1", "description": word(0), "x-specgen-package": "hostile",
                 "x-specgen-client": "HostileClient"},
        "servers": [{"url": "https://example.com"}],
        "paths": {"/things/{id}": {"get": {
            "operationId": "getThing", "summary": word(1), "description": word(2),
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}},
                           *parameters],
            "responses": {"200": {"description": word(3), "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Thing"}}}}},
        }}},
        "components": {"schemas": {"Thing": {"type": "object", "description": word(4), "properties": properties}}},
    }
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


@settings(derandomize=True, max_examples=40, deadline=None)
@given(st.lists(HOSTILE, min_size=1, max_size=6))
def test_fast_layout_is_blacks_output_on_hostile_text(tmp_path_factory: pytest.TempPathFactory,
                                                      words: list[str]) -> None:
    tmp_path = tmp_path_factory.mktemp("hostile")
    modules = _modules(_hostile_spec(tmp_path, words))
    for path, source in modules.items():
        assert layout.formatted(source, output.format_source) == output.format_source(source), path


@settings(derandomize=True, max_examples=300, deadline=None)
@given(HOSTILE, st.sampled_from([4, 8]), st.booleans())
def test_docstring_rule_is_blacks(value: str, depth: int, multiline: bool) -> None:
    indent = " " * depth
    body = text.escape_docstring(value) + (f"\n\n{indent}More.\n{indent}" if multiline else "")
    source = "class A:\n" + ("    def f(self):\n" if depth == 8 else "") + f'{indent}"""{body}"""\n'
    formatted = _black(source)
    expected = formatted[formatted.index('"""'):].rstrip("\n")
    assert layout.docstring(body, indent) == expected


@pytest.mark.parametrize("literal", ["'a'", "'it\\'s'", "'say \"hi\"'", "'both \\' and \"'", "'\\\\'", "''"])
def test_quoted_is_blacks_string_rule(literal: str) -> None:
    assert layout.quoted(literal) == _black(f"x = {literal}\n")[4:-1]


@pytest.mark.parametrize("literal", ["1e+20", "1E5", "0XABcd", "1.", ".5", "10J", "1.5e-07", "0o17", "12", "1_000.5"])
def test_number_is_blacks_number_rule(literal: str) -> None:
    assert layout.number(literal) == _black(f"x = {literal}\n")[4:-1]


@pytest.mark.parametrize("line", [
    "    x: float = Field(1e+20, examples=['a', 1.5e-07, 0XAB], alias='it\\'s')\n",
    "    IoK8SApiV1Beta1 = 'V1Beta1'\n",
    '    y: str = Field("it\'s", examples=["a", 2.])\n',
])
def test_requoted_line_is_blacks(line: str) -> None:
    source = "class A:\n" + line
    assert "class A:\n" + (layout._requoted(line) or "") == _black(source)


@pytest.mark.parametrize("line", ["    x = 'a'  # it's\n", "    x = r'\\d'\n", "    x = b'a'\n"])
def test_comments_and_prefixed_strings_are_left_to_black(line: str) -> None:
    assert layout._requoted(line) is None
    source = "class A:\n" + line
    assert layout.formatted(source, output.format_source) == output.format_source(source)


@pytest.mark.parametrize("source", [
    "x = '''a'''\n",  # a quote style specgen never writes
    'x = """a""" + "b"\n',  # a triple-quoted string that is not a statement of its own
    "x = 1 + \\\n    2\n",  # a backslash continuation
    "class A:\n    x = 1\nimport os\n",  # an import below the head
])
def test_shapes_it_cannot_cut_go_to_black_whole(source: str) -> None:
    calls: list[str] = []
    assert layout.formatted(source, _counting(calls)) == output.format_source(source)
    assert calls == [source]


def test_a_method_with_a_long_line_goes_to_black_alone() -> None:
    long_call = "        return self.request(" + ", ".join(f"argument_{i}" for i in range(12)) + ")\n"
    source = ("class A:\n    def short(self) -> int:\n        return 1\n\n"
              f"    def long(self) -> int:\n{long_call}")
    calls: list[str] = []
    assert layout.formatted(source, _counting(calls)) == output.format_source(source)
    assert len(calls) == 1 and calls[0].startswith("class _:\n    def long")  # the method alone


def test_only_newlines_end_lines() -> None:
    """A literal may hold U+2028, NEL or a form feed as they are: they end no line for Python or black."""
    source = "class A:\n    K = '\x85\u2028\x0c\u2029x'\n    L = 'it''s'\n"
    assert layout.formatted(source, output.format_source) == output.format_source(source)


def test_a_decorator_stays_with_what_it_decorates() -> None:
    long_call = "        return self.request(" + ", ".join(f"argument_{i}" for i in range(12)) + ")\n"
    source = f"class A:\n    @property\n    def long(self) -> int:\n{long_call}\n\n@final\nclass B:\n    x = {'1' * 120}\n"
    calls: list[str] = []
    assert layout.formatted(source, _counting(calls)) == output.format_source(source)
    assert [c.split("\n")[1] for c in calls] == ["    @property", "class B:"]


def test_an_attribute_docstring_goes_to_black_with_its_attribute() -> None:
    """Alone under ``class _:`` it would be read as a class docstring (and padded, stripped...)."""
    source = f'class A:\n    """Doc."""\n\n    x: int = 1\n    """  The x\\xAB ."""\n    y: int = {"2" * 120}\n'
    calls: list[str] = []
    assert layout.formatted(source, _counting(calls)) == output.format_source(source)
    assert [c.split("\n")[1] for c in calls] == ["    x: int = 1", "    y: int = " + "2" * 120]
