"""Every schema typed, every name resolved: inline schemas at any depth, colliding names, string
formats and responses whose type is no class, through a client generated for this test.

The package is generated from ``tests/fixtures/types.yaml``, type-checked with ``mypy --strict``,
and called against a real local server.
"""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from conftest import GENERATED, PROVIDERS, ROOT
from specgen import inline, naming, spec
from specgen.ir.context import Context
from specgen.ir.model import PyType
from specgen.ir.types import type_of
from specgen.text import Code

FIXTURE = ROOT / "tests" / "fixtures" / "types.yaml"
MODES = ("sync", "async")


def generate(work: Path, name: str, text: str) -> Path:
    """Generate one spec in a fresh workspace; the folder the package is in."""
    (work / "specs").mkdir(parents=True)
    (work / "specs" / name).write_text(text)
    done = subprocess.run([sys.executable, "-m", "specgen", "generate"], cwd=work, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return work / "generated"


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate(tmp_path_factory.mktemp("types"), FIXTURE.name, FIXTURE.read_text())


@pytest.fixture(scope="module")
def typed_api(generated: Path) -> Iterator[Any]:
    sys.path.insert(0, str(generated))
    try:
        package = importlib.import_module("typed_api")
        importlib.import_module("typed_api.models")
        yield package
    finally:
        sys.path.remove(str(generated))


async def call(typed_api: Any, mode: str, server: HTTPServer, method: str, **arguments: Any) -> Any:
    base_url = server.url_for("/v1").rstrip("/")
    if mode == "sync":
        with typed_api.TypedClient(base_url=base_url) as client:
            return getattr(client.things, method)(**arguments)
    async with typed_api.AsyncTypedClient(base_url=base_url) as client:
        return await getattr(client.things, method)(**arguments)


def test_mypy_strict_passes(generated: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "typed_api"],
                            cwd=generated, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_inline_schemas_are_classes_named_from_where_they_stand(typed_api: Any) -> None:
    things = importlib.import_module("typed_api.resources.things").Things
    hints = {name: inspect.signature(getattr(things, name)) for name in ("get_envelope", "get_shared", "search")}
    assert hints["get_envelope"].return_annotation == "GetEnvelopeResponse"
    assert hints["get_envelope"].parameters["window"].annotation == "WindowParameter | None"
    assert hints["get_shared"].return_annotation == "SharedResponse"
    assert hints["search"].parameters["body"].annotation == "QueryBody"
    fields = {name: field.annotation for name, field in typed_api.models.GetEnvelopeResponse.model_fields.items()}
    m = typed_api.models
    assert fields["meta"] == m.GetEnvelopeResponseMeta | None
    assert fields["grid"] == list[list[m.GetEnvelopeResponseGridItemItem]] | None
    assert fields["choice"] == m.GetEnvelopeResponseChoiceOption1 | m.GetEnvelopeResponseChoiceOption2 | None
    assert fields["note"] == m.GetEnvelopeResponseNote | None  # nullable where it stood
    assert m.GetEnvelopeResponseMeta.model_fields["status"].annotation == m.GetEnvelopeResponseMetaStatus | None
    assert m.QueryBody.model_fields["filters"].annotation == dict[str, m.QueryBodyFiltersValue] | None
    assert m.SharedResponse.model_fields["owner"].annotation == m.SharedResponseOwner | None


def test_colliding_names_each_get_a_class(typed_api: Any) -> None:
    """``Dataset`` and ``dataset``; a component ``Status`` next to an inline enum in a field called
    ``status``; a map of inline objects (DCG named all of these alike before)."""
    m = typed_api.models
    assert m.Dataset.model_fields["status"].annotation == m.DatasetStatus | None
    assert m.Dataset.model_fields["meta"].annotation == m.DatasetMeta | None
    assert set(m.DatasetSchema.model_fields) == {"id"}
    assert set(m.Status.model_fields) == {"code"}
    assert set(m.MetaSchema.model_fields) == {"version"}
    assert m.DateRange.model_validate({"a": {"lt": "2024-01-02"}}).root["a"].lt.isoformat() == "2024-01-02"


@pytest.mark.parametrize("mode", MODES)
async def test_nested_inline_objects_parse(typed_api: Any, httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/v1/envelopes/e1", query_string="").respond_with_json({
        "id": "e1", "meta": {"page": 2, "status": "stale"}, "grid": [[{"x": 1}, {"x": 2}], []],
        "choice": {"kind": "square", "side": 2.5}, "note": None,
    })
    envelope = await call(typed_api, mode, httpserver, "get_envelope", id="e1")
    m = typed_api.models
    assert envelope.meta == m.GetEnvelopeResponseMeta(page=2, status=m.GetEnvelopeResponseMetaStatus.STALE)
    assert [[cell.x for cell in row] for row in envelope.grid] == [[1, 2], []]
    assert isinstance(envelope.choice, m.GetEnvelopeResponseChoiceOption2) and envelope.choice.side == 2.5
    assert envelope.note is None


@pytest.mark.parametrize("mode", MODES)
async def test_a_union_response_is_the_member_that_matches(typed_api: Any, httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/v1/search", method="POST").respond_with_json({"version": 3})
    m = typed_api.models
    body = m.QueryBody(text="q", filters={"made": m.QueryBodyFiltersValue(gt="2020")})
    found = await call(typed_api, mode, httpserver, "search", body=body)
    assert found == m.MetaSchema(version=3)
    assert json.loads(httpserver.log[0][0].get_data()) == {"text": "q", "filters": {"made": {"gt": "2020"}}}


@pytest.mark.parametrize("mode", MODES)
async def test_optional_literal_and_list_of_union_responses(typed_api: Any, httpserver: HTTPServer, mode: str) -> None:
    m = typed_api.models
    httpserver.expect_oneshot_request("/v1/maybe").respond_with_json(None)
    httpserver.expect_oneshot_request("/v1/maybe").respond_with_json({"name": "d"})
    httpserver.expect_request("/v1/state").respond_with_json("down")
    httpserver.expect_request("/v1/mixed").respond_with_json([{"name": "d"}, {"version": 1}])
    assert await call(typed_api, mode, httpserver, "get_maybe") is None
    assert await call(typed_api, mode, httpserver, "get_maybe") == m.Dataset(name="d")
    assert await call(typed_api, mode, httpserver, "get_state") == "down"
    assert await call(typed_api, mode, httpserver, "list_mixed") == [m.Dataset(name="d"), m.MetaSchema(version=1)]


@pytest.mark.parametrize("mode", MODES)
async def test_formats_that_need_other_packages_are_strings(typed_api: Any, httpserver: HTTPServer, mode: str) -> None:
    contact = {"email": "not quite an address", "other": "ü@example.com", "host": "a_b", "secret": "s3cret",
               "id": "01ARZ3NDEKTSV4RRFFQ69G5FAV"}
    httpserver.expect_request("/v1/contacts/c1").respond_with_json(contact)
    found = await call(typed_api, mode, httpserver, "get_contact", id="c1")
    assert found.model_dump(exclude_unset=True) == contact  # a password is sent and read as it is


def _formats_spec() -> str:
    """A spec with a field of every format the models know, for every JSON type they know formats of,
    and of every format they keep as a string."""
    from specgen.modelgen.schema import FORMATS, PLAIN_STRING_FORMATS

    known = {kind: [*formats, *(PLAIN_STRING_FORMATS if kind == "string" else ())] for kind, formats in FORMATS.items()}
    properties = {
        f"{kind}_{naming.snake(name) or 'x'}_{index}": {"type": kind, "format": name}
        for kind, formats in known.items() if kind in ("string", "integer", "number")
        for index, name in enumerate(formats) if name != "default"
    }
    return json.dumps({
        "openapi": "3.1.0",
        "info": {"title": "Formats", "version": "1", "x-specgen-package": "formats_api",
                 "x-specgen-client": "FormatsClient"},
        "paths": {"/f": {"get": {"operationId": "getF", "tags": ["f"], "responses": {"200": {
            "description": "All formats.",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Formats"}}}}}}}},
        "components": {"schemas": {"Formats": {"type": "object", "properties": properties}}},
    })


IMPORT_WITHOUT_EXTRAS = textwrap.dedent("""
    import importlib, sys
    sys.modules["email_validator"] = None  # importing it now raises ImportError, as if not installed
    sys.modules["ulid"] = None
    before = set(sys.modules)
    for package in sys.argv[1:]:
        module = importlib.import_module(package + ".models")
        for value in vars(module).values():
            if isinstance(value, type) and hasattr(value, "model_json_schema"):
                value.model_json_schema()  # every validator built
    allowed = set(sys.stdlib_module_names) | {%s} | set(sys.argv[1:])
    loaded = {name.split(".")[0] for name in set(sys.modules) - before}
    print(sorted(name for name in loaded - allowed if not name.startswith("_sysconfigdata")))
""")


def test_every_package_imports_with_only_httpx_and_pydantic(tmp_path: Path) -> None:
    """No generated package needs email-validator, python-ulid or any package besides httpx and
    pydantic (and theirs), whatever formats its spec uses: every format the models know, the providers,
    and the fixtures."""
    formats = generate(tmp_path / "formats", "formats.json", _formats_spec())
    fixtures = generate(tmp_path / "fixtures", FIXTURE.name, FIXTURE.read_text())
    script = IMPORT_WITHOUT_EXTRAS % ", ".join(repr(m) for m in sorted(naming.DEPENDENCY_MODULES))
    path = [str(formats), str(fixtures), str(GENERATED)]
    result = subprocess.run([sys.executable, "-c", script, "formats_api", "typed_api", *PROVIDERS],
                            env={"PYTHONPATH": ":".join(path)}, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", result.stdout


@pytest.mark.parametrize(("expr", "is_class"), [
    ("Run", True), ("list[Run | None]", True), ("dict[str, Any]", True), ("str", True),
    ("builtins.list[Run]", True), ("Run | None", False), ("A | B", False), ('Literal["a"]', False),
    ("Any", False), ("None", False),
])
def test_a_type_is_passed_as_itself_only_when_it_is_a_class(expr: str, is_class: bool) -> None:
    """The one rule for ``cast_to`` and a paginator's item type: mypy takes a class as ``type[T]``;
    anything else is wrapped in the runtime's ``TypeForm``."""
    assert PyType(Code(expr)).is_class is is_class
    assert PyType(Code(expr)).type_form == (expr if is_class else f"TypeForm[{expr}]")


def _loaded(tmp_path: Path, document: dict[str, Any]) -> spec.Spec:
    path = tmp_path / "spec.json"
    path.write_text(json.dumps(document))
    return spec.read(path)


def test_a_reference_to_a_moved_schema_follows_it(tmp_path: Path) -> None:
    loaded = _loaded(tmp_path, {"components": {"schemas": {
        "A": {"type": "object", "properties": {"b": {"type": "object", "properties": {
            "c": {"type": "object", "properties": {"d": {"type": "integer"}}}}}}},
        "E": {"$ref": "#/components/schemas/A/properties/b/properties/c"},
        "F": {"$ref": "#/components/schemas/A/properties/b"},
    }}})
    schemas = inline.hoist(loaded).data["components"]["schemas"]
    assert schemas["A"]["properties"]["b"] == {"$ref": "#/components/schemas/AB"}
    assert schemas["AB"]["properties"]["c"] == {"$ref": "#/components/schemas/ABC"}
    assert schemas["ABC"] == {"type": "object", "properties": {"d": {"type": "integer"}}}
    # A reference to a moved schema goes to the reference that took its place (which keeps a null).
    assert schemas["E"] == {"$ref": "#/components/schemas/AB/properties/c"}
    assert schemas["F"] == {"$ref": "#/components/schemas/A/properties/b"}


def test_a_moved_schema_keeps_the_lines_it_was_written_at(tmp_path: Path) -> None:
    """A problem found in a schema :mod:`specgen.inline` moved is reported where it was written."""
    text = (
        "openapi: 3.1.0\n"
        "info: {title: T, version: '1'}\n"
        "paths:\n"
        "  /x:\n"
        "    get:\n"
        "      operationId: getX\n"
        "      responses:\n"
        "        '200':\n"
        "          description: ok\n"
        "          content:\n"
        "            application/json:\n"
        "              schema:\n"  # line 12
        "                type: object\n"
        "                properties:\n"
        "                  inner:\n"  # line 15
        "                    type: object\n"
        "                    properties:\n"
        "                      n: {type: integer}\n"  # line 18
        "components:\n"
        "  schemas:\n"
        "    A:\n"  # line 21
        "      type: object\n"
        "      properties:\n"
        "        b:\n"  # line 24
        "          type: object\n"
        "          properties:\n"
        "            c: {type: string}\n"  # line 27
    )
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    loaded = spec.read(path)
    hoisted = inline.hoist(loaded)
    moved = {key: origin for key, origin in hoisted.origins.items()}
    assert len(moved) == 3, moved
    for key, origin in moved.items():
        assert hoisted.line(("components", "schemas", key)) == loaded.line(origin) > 1
        assert hoisted.line(("components", "schemas", key, "properties", "nothing")) == loaded.line((*origin, "properties"))
    [inner] = [key for key, origin in moved.items() if origin[-1] == "inner"]
    [b] = [key for key, origin in moved.items() if origin[-1] == "b"]
    assert hoisted.line(("components", "schemas", inner, "properties", "n")) == 18
    assert hoisted.line(("components", "schemas", b)) == 24
    assert hoisted.line(("components", "schemas", b, "properties", "c", "type")) == 27
    assert hoisted.line(("components", "schemas", "A")) == 21  # not moved: as written


def test_a_moved_name_never_takes_a_components_name(tmp_path: Path) -> None:
    loaded = _loaded(tmp_path, {"components": {"schemas": {
        "A": {"type": "object", "properties": {"b": {"type": "string", "enum": ["x"]}}},
        "a_b": {"type": "string"},
    }}})
    schemas = inline.hoist(loaded).data["components"]["schemas"]
    assert schemas["A"]["properties"]["b"] == {"$ref": "#/components/schemas/AB2"}
    assert schemas["AB2"] == {"type": "string", "enum": ["x"]}


def test_an_inline_object_with_no_class_is_any_with_a_warning(tmp_path: Path) -> None:
    """What cannot be typed is said (a warning: ``--strict`` makes it fatal), and the method
    still works with ``Any``."""
    loaded = _loaded(tmp_path, {"x": {"type": "object", "properties": {"a": {"type": "string"}}}})
    ctx = Context(loaded)
    assert type_of(ctx, ("x",), loaded.data["x"]).expr == "Any"
    [problem] = ctx.problems
    assert problem.is_warning and problem.line == 1 and "types it as Any" in problem.message


def test_only_overrides_mypy_rejects_are_marked() -> None:
    """An allOf subclass that redeclares a field: a subtype (``str`` over ``str | None``, a subclass
    over its base) is a valid override and gets no marker (mypy --strict would call it unused);
    any other type gets ``# type: ignore[assignment]``."""
    from specgen.modelgen import order, types
    from specgen.modelgen.ir import Field, ModelClass

    optional = types.optional
    base = ModelClass("Base", ["Model"], fields=[
        Field("name", optional(types.STR), None), Field("links", types.dict_of(types.ANY)),
        Field("item", optional(types.model("Base")), None), Field("count", types.INT)])
    sub = ModelClass("Sub", ["Base"], fields=[
        Field("name", types.STR), Field("links", types.model("Links")), Field("item", types.model("Sub")),
        Field("count", optional(types.INT), None)])
    assert order.narrowed([base, sub]) == {"Sub": frozenset({"links", "count"})}


#: Shapes that need classes below a component or none (issue 9, Stripe and GitHub): a constrained
#: string in a union next to the component it names, constrained items and map values, an object
#: whose ``anyOf`` lists which fields are required; and a path and a query parameter both ``path``.
_GIANT_SHAPES = """
openapi: 3.1.0
info: {title: Shapes, version: "1", x-specgen-package: shapes, x-specgen-client: ShapesClient}
paths:
  /charges/{path}:
    get:
      operationId: getCharge
      tags: [charges]
      parameters:
        - {name: path, in: path, required: true, schema: {type: string}}
        - {name: path, in: query, schema: {type: string}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/charge"}}}}
    patch:
      operationId: updateCharge
      tags: [charges]
      parameters:
        - {name: path, in: path, required: true, schema: {type: string}}
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties: {state: {type: string}, assignee: {type: string}}
              anyOf: [{required: [state]}, {required: [assignee]}]
      responses:
        "204": {description: done}
components:
  schemas:
    balance_transaction:
      type: object
      properties: {id: {type: string}}
    charge:
      type: object
      properties:
        balance_transaction:
          anyOf: [{type: string, maxLength: 5000}, {$ref: "#/components/schemas/balance_transaction"}, {type: "null"}]
        tags: {type: array, items: {type: string, maxLength: 10}}
        metadata: {type: object, additionalProperties: {type: string, maxLength: 500}}
        amount: {type: integer, minimum: 0}
        site: {type: string, format: uri, default: ""}
"""


def test_every_model_class_is_named_by_specgen(tmp_path: Path) -> None:
    """Constraints a wrapper class would be needed for are left out inside unions, arrays and maps
    (the types stay ``str``); the class of each member of an object's ``anyOf`` gets the name of
    where its schema stands (``nested_names``)."""
    generated = generate(tmp_path, "shapes.yaml", _GIANT_SHAPES)
    source = (generated / "shapes" / "models.py").read_text()
    classes = {line.split("(")[0][len("class "):] for line in source.splitlines() if line.startswith("class ")}
    assert "Unnamed_" not in source
    # No wrapper classes (an Account1), and the variants of the body named by specgen's rule.
    assert classes == {"BalanceTransaction", "Charge", "UpdateChargeBody", "UpdateChargeBodyOption1",
                       "UpdateChargeBodyOption2"}
    assert "balance_transaction: str | BalanceTransaction | None" in source
    assert "tags: list[str] | None" in source and "metadata: dict[str, str] | None" in source
    assert "amount: int | None = Field(None, ge=0)" in source  # a field's own constraint stays
    assert "site: AnyUrl | None = None" in source  # not `AnyUrl = Field("")`, which mypy rejects
    charges = (generated / "shapes" / "resources" / "charges.py").read_text()
    assert "path_query: str | None" in charges and 'query={"path": path_query}' in charges
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-incremental", "shapes"],
                            cwd=generated, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
