"""Issue 6, property-based: no text in a spec can change the structure of the generated code.

Every string of the base spec (``tests/hostile/base.py``) that can reach a generated file is a
*field*, found by walking the spec (so a field added to the base spec is covered without listing it
here). For each field, Hypothesis draws text biased toward what breaks code generators (quotes,
triple quotes, backslashes, newlines, NUL and other C0/C1 controls, U+2028/2029, bidi controls,
Jinja delimiters, comment starters), puts it in that field, and generates in process:

* a :class:`~specgen.diagnostics.SpecError` is a clean rejection (the CLI's exit 2);
* any other exception fails;
* otherwise every ``.py`` file must compile, no file may land outside the package, and:

  - **text** fields (descriptions, titles, summaries, examples, defaults, server URL, version,
    format, pattern, the API key's header name, ``x-specgen-env``): the code structure must be the
    baseline's. Structure is the AST of each file with every string constant replaced by a
    placeholder and every bare string statement (docstrings, attribute docstrings) dropped; the
    baseline is the same field set to ``"x"``. Text can then only ever be data, never code.
    For the header name and ``x-specgen-env``, which the client uses verbatim, the exact text must
    also be a string constant of the package.
  - **wire** fields (enum values, property names, parameter names): the Python identifiers
    derived from them legitimately differ from the baseline's, so the structure is not compared;
    instead the exact wire text must be a string constant of the package (or, for a property whose
    wire name is its Python name, that identifier). A value that broke out of its string literal
    could not appear whole as one constant.
  - **name** fields (operationId, the tag): they only become identifiers (through
    ``naming.python_name``), so compiling, and staying inside the package, is the check.

Bounded: a fixed seed (``derandomize``), a few explicit payloads plus ``MAX_EXAMPLES`` drawn ones
per field, no shrinking (a failure shows the drawn text, which is short by construction).
"""

from __future__ import annotations

import ast
import functools
import posixpath
import tempfile
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st

from specgen import pipeline
from specgen.diagnostics import SpecError
from hostile.base import base, dump

MAX_EXAMPLES = 8
BENIGN = "x"

# -- the fields -------------------------------------------------------------------------------------

Apply = Callable[[dict[str, Any], str], None]


@dataclass(frozen=True)
class Field:
    id: str
    kind: str  # "text", "wire" or "name"
    apply: Apply
    exact: bool = False  # the text must appear verbatim as a string constant

    def __repr__(self) -> str:
        return self.id


def _setter(pointer: tuple[Any, ...]) -> Apply:
    def apply(spec: dict[str, Any], text: str) -> None:
        node: Any = spec
        for part in pointer[:-1]:
            node = node[part]
        node[pointer[-1]] = text

    return apply


class Collision(Exception):
    """Two fields of a group drew texts that cannot both be used (the same property name)."""


def _key_renamer(pointer: tuple[Any, ...], old: str) -> Apply:
    def apply(spec: dict[str, Any], text: str) -> None:
        node: Any = spec
        for part in pointer[:-1]:
            node = node[part]
        if text in node[pointer[-1]]:  # renaming onto another key would merge two
            raise Collision(text)
        node[pointer[-1]] = {(text if key == old else key): value for key, value in node[pointer[-1]].items()}

    return apply


def _tag_setter(spec: dict[str, Any], text: str) -> None:
    spec["tags"][0]["name"] = text
    for item in spec["paths"].values():
        for operation in item.values():
            operation["tags"] = [text]


# Keys whose string values are structure, not text: types, locations, references, identifiers
# checked as such (package, client, method names), pagination paths and security requirements.
_STRUCTURAL = {"$ref", "openapi", "type", "in", "x-specgen-package", "x-specgen-client", "x-specgen-method",
               "x-specgen-resource", "x-specgen-name", "x-specgen-pagination", "required", "security", "tags"}


def _label(pointer: tuple[Any, ...]) -> str:
    return "/".join(str(p) for p in pointer)


def discover(spec: dict[str, Any]) -> list[Field]:
    fields: list[Field] = []

    def walk(node: Any, pointer: tuple[Any, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                child = (*pointer, key)
                if key in _STRUCTURAL:
                    continue
                if key == "operationId":
                    fields.append(Field(f"name:{_label(child)}", "name", _setter(child)))
                elif key == "name" and len(pointer) >= 2 and pointer[-2] == "parameters":
                    fields.append(Field(f"wire:{_label(child)}", "wire", _setter(child), exact=True))
                elif key == "name" and len(pointer) >= 2 and pointer[-2] == "securitySchemes":
                    fields.append(Field(f"text:{_label(child)}", "text", _setter(child), exact=True))
                elif key == "x-specgen-env":
                    fields.append(Field(f"text:{_label(child)}", "text", _setter(child), exact=True))
                elif key == "enum" and isinstance(value, list):
                    for index, item in enumerate(value):
                        if isinstance(item, str):
                            where = (*child, index)
                            fields.append(Field(f"wire:{_label(where)}", "wire", _setter(where), exact=True))
                elif key == "properties" and isinstance(value, dict):
                    for name in value:
                        fields.append(Field(f"wire:{_label(child)}/<key {name}>", "wire",
                                            _key_renamer(child, name), exact=True))
                    walk(value, child)
                else:
                    walk(value, child)
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, (*pointer, index))
        elif isinstance(node, str):
            fields.append(Field(f"text:{_label(pointer)}", "text", _setter(pointer)))

    walk(spec, ())
    fields.append(Field("name:tags (declared and used)", "name", _tag_setter))
    # The base spec has no `pattern` (see the `pattern/benign` case: constr() is not mypy-clean).
    fields.append(Field("text:components/schemas/Run/properties/id/pattern (added)", "text",
                        _setter(("components", "schemas", "Run", "properties", "id", "pattern"))))
    return fields


FIELDS = discover(base())

# -- groups ----------------------------------------------------------------------------------------

# Fields that take the same code path (every parameter description, every schema description, ...) are
# varied together, each with its own text, in one generation: that keeps the test fast. When a
# generation fails, each field of the group is retried alone with its text to name the culprit.
_KEYWORDS = {"info", "servers", "paths", "parameters", "responses", "requestBody", "components",
             "securitySchemes", "schemas", "properties", "enum", "examples", "schema"}


def _group_key(field: Field) -> str:
    label = field.id.split(":", 1)[1].split(" (")[0]
    parts = label.split("/")
    if field.kind == "name":
        return f"name:{parts[-1]}"
    if parts[-1].isdigit():
        parts = parts[:-1]
    last = "<property names>" if parts[-1].startswith("<key") else parts[-1]
    context = [part for part in parts[:-1] if part in _KEYWORDS]
    return f"{field.kind}:{'/'.join(context)}/{last}"


@dataclass(frozen=True)
class Group:
    id: str
    fields: tuple[Field, ...]

    def __repr__(self) -> str:
        return self.id


def _groups(fields: list[Field]) -> list[Group]:
    grouped: dict[str, list[Field]] = {}
    for field in fields:
        grouped.setdefault(_group_key(field), []).append(field)
    return [Group(key, tuple(members)) for key, members in grouped.items()]


GROUPS = _groups(FIELDS)

# -- generating and comparing ---------------------------------------------------------------------

_WORK = Path(tempfile.mkdtemp(prefix="specgen-injection-"))


def make_spec(assignments: tuple[tuple[Field, str], ...]) -> dict[str, Any]:
    spec = base()
    for field, text in assignments:
        field.apply(spec, text)
    return spec


def generate(assignments: tuple[tuple[Field, str], ...]) -> dict[str, str] | None:
    """The generated files, or None when the spec is rejected cleanly."""
    return generate_spec(make_spec(assignments))


def generate_spec(spec: dict[str, Any]) -> dict[str, str] | None:
    path = _WORK / "hostile.yaml"
    path.write_text(dump(spec), encoding="utf-8")
    try:
        [package] = pipeline.build_all([path])
    except SpecError:
        return None
    return package.files


class _Placeholders(ast.NodeTransformer):
    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        return ast.Constant("S") if isinstance(node.value, str) else node

    def visit_Assign(self, node: ast.Assign) -> ast.AST | None:
        # datamodel-code-generator switches a model to Python's regex engine when a pattern needs it
        # (`model_config = ConfigDict(regex_engine="python-re")`): chosen from the data, harmless.
        value = node.value
        if (len(node.targets) == 1 and isinstance(node.targets[0], ast.Name) and node.targets[0].id == "model_config"
                and isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and value.func.id == "ConfigDict"
                and not value.args and [k.arg for k in value.keywords] == ["regex_engine"]):
            return None
        return self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> ast.AST | None:
        node.names = [alias for alias in node.names if alias.name != "ConfigDict"]
        return node if node.names else None

    def visit_Expr(self, node: ast.Expr) -> ast.AST | None:
        if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return None  # docstrings and attribute docstrings: text, not code
        return self.generic_visit(node)


def structure(source: str) -> str:
    tree = _Placeholders().visit(ast.parse(source))
    for node in ast.walk(tree):  # a body left empty by dropping its docstring
        if isinstance(getattr(node, "body", None), list) and not node.body:
            node.body = [ast.Pass()]
    return ast.dump(tree)


def constants(source: str) -> set[str]:
    return {n.value for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Constant) and isinstance(n.value, str)}


def assigned_names(source: str) -> set[str]:
    return {n.target.id for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}


@functools.lru_cache(maxsize=None)
def baseline(fields: tuple[Field, ...]) -> dict[str, str]:
    files = generate(tuple((field, BENIGN) for field in fields))
    assert files is not None, f"the baseline ({', '.join(f.id for f in fields)} = {BENIGN!r}) is rejected"
    return {path: structure(text) for path, text in files.items() if path.endswith(".py")}


def problems(assignments: tuple[tuple[Field, str], ...]) -> list[str]:
    """What is wrong with the package generated with these texts (nothing when rejected cleanly)."""
    spec = make_spec(assignments)
    try:
        files = generate_spec(spec)
    except Exception as exc:  # not a SpecError: the generator crashed
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(frame.filename).parent.name}/{Path(frame.filename).name}:{frame.lineno}"
        return [f"generation crashed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''} [at {where}]"]
    if files is None:
        return []
    found: list[str] = []
    for path in files:
        if path.startswith("/") or ".." in path.split("/") or posixpath.normpath(path) != path:
            found.append(f"generated file {path!r} is not inside the package")
    sources = {path: text for path, text in files.items() if path.endswith(".py")}
    for path, source in sources.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # an invalid escape sequence is a SyntaxError to come
                compile(source, path, "exec", dont_inherit=True)
        except (SyntaxError, ValueError, SyntaxWarning, DeprecationWarning) as exc:
            found.append(f"{path} does not compile: {exc!r}")
    if found:
        return found
    text_fields = tuple(field for field, _ in assignments if field.kind == "text")
    if text_fields:
        expected = baseline(text_fields) if len(text_fields) == len(assignments) else None
        if expected is not None:
            if sorted(sources) != sorted(expected):
                found.append(f"other files than the baseline's: {sorted(set(sources) ^ set(expected))}")
            for path, source in sources.items():
                if path in expected and structure(source) != expected[path]:
                    found.append(f"the code structure of {path} changed (text became code)")
    everything = set().union(*(constants(s) for s in sources.values()))
    names = set().union(*(assigned_names(s) for s in sources.values()))
    for field, text in assignments:
        if not field.exact:
            continue
        ok = text in everything or (field.kind == "wire" and text in names) or (
            field.kind == "text" and text.strip() in everything)
        if not ok:
            found.append(f"{field.id}: the exact text {text!r} is not a string constant of the package")
    return found


def check(assignments: tuple[tuple[Field, str], ...]) -> None:
    found = problems(assignments)
    if not found:
        return
    if len(assignments) > 1:  # name the culprits
        culprits = [f"{field.id} = {text!r}: {'; '.join(alone)}" for field, text in assignments
                    if (alone := problems(((field, text),)))]
        if culprits:
            raise AssertionError("\n".join(culprits))
    raise AssertionError(", ".join(f"{f.id} = {t!r}" for f, t in assignments) + ": " + "; ".join(found))


# -- the strategy -----------------------------------------------------------------------------------

DANGEROUS = [
    '"', "'", '"""', "'''", "\\", "\\\\", "\n", "\r", "\r\n", "\0", "\x01", "\x07", "\x08", "\x0b", "\x0c",
    "\x1b", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\u202a", "\u202e", "\u2066", "\u2069", "\ufeff",
    "{{", "}}", "{%", "%}", "{#", "#}", "#", "*/", "/*", "\t", " ", "`", "``", "${", "\\N{", "\\x", "\\u",
    "<br/>", "}", "{", "%", ":", "-", "...", "\ud800",
]


@st.composite
def hostile_text(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(st.sampled_from(DANGEROUS), st.text(min_size=1, max_size=3)),
                          min_size=1, max_size=10))
    where = draw(st.integers(0, len(parts)))
    # One letter somewhere, so the text is never only whitespace (which a generator may drop,
    # legitimately changing the structure) while it may still start or end with anything.
    return "".join(parts[:where]) + "a" + "".join(parts[where:])


KNOWN_PAYLOADS = ('x"""; raise SystemExit(99); """', 'a"', "a\\", "a\nb\r\"\"\"\x85c\u2028d")


@pytest.mark.parametrize("group", GROUPS, ids=lambda group: group.id)
@settings(derandomize=True, database=None, max_examples=MAX_EXAMPLES, deadline=None,
          phases=[Phase.generate], suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_spec_text_never_becomes_code(group: Group, data: st.DataObject) -> None:
    try:
        check(tuple((field, data.draw(hostile_text(), label=field.id)) for field in group.fields))
    except Collision:
        assume(False)


@pytest.mark.parametrize("group", GROUPS, ids=lambda group: group.id)
def test_known_payloads_never_become_code(group: Group) -> None:
    """The classic breakouts, in every field of the group at once; every failing payload is reported."""
    failures = []
    for payload in KNOWN_PAYLOADS:
        try:
            # A distinct prefix per field keeps renamed keys distinct; each text still ends as the payload.
            check(tuple((field, f"f{index}{payload}" if index else payload)
                        for index, field in enumerate(group.fields)))
        except AssertionError as exc:
            failures.append(f"{payload!r}:\n{exc}")
    assert not failures, "\n\n".join(failures)


def test_structure_ignores_text_and_sees_code() -> None:
    """The comparison itself: string data and docstrings do not count, anything else does."""
    same = ('"""Doc x."""\nf("x", k="y")\nclass A:\n    """x"""\n    a: int = 1\n    """x"""\n',
            '"""Doc \'a\' b."""\nf(\'a"\', k="zz")\nclass A:\n    """other"""\n    a: int = 1\n')
    assert structure(same[0]) == structure(same[1])
    for changed in ('"""Doc x."""\nf("x", k="y")\nraise SystemExit(99)\n', 'f("x", "y")\n', 'f("x", k=1)\n'):
        assert structure(changed) != structure('"""Doc x."""\nf("x", k="y")\n'), changed


def test_every_kind_of_field_is_found() -> None:
    """The walk finds the fields issue 6 names (a guard against it silently finding nothing)."""
    ids = " ".join(field.id for field in FIELDS)
    for expected in ("info/title", "info/description", "x-specgen-env", "securitySchemes/ApiKeyAuth/name",
                     "servers/0/url", "get/summary", "get/description", "parameters/1/description",
                     "parameters/2/example", "responses/200/description", "Run/description", "Run/title",
                     "properties/id/title", "Status/enum/1", "<key createdAt>", "note/default",
                     "id/examples/0", "createdAt/format", "id/pattern", "name:paths", "name:tags", "wire:paths"):
        assert expected in ids, expected
