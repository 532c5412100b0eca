"""The generated clients agree with the five seed documentation pages in tests/fixtures/seeds/.

Nothing here hard-codes a field list: each document is parsed (one small parser per format) and
every field / parameter it names becomes its own test. Guard tests pin how many the parsers found,
so a parser that silently stops matching cannot make the rest pass vacuously.
"""

from __future__ import annotations

import datetime
import enum
import importlib
import inspect
import json
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import AwareDatetime, RootModel, TypeAdapter

from conftest import SEEDS

# -- the documents -----------------------------------------------------------------------------


def seed(prefix: str) -> Path:
    """The one seed file whose name starts with ``prefix`` (e.g. "000")."""
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return path


def snake(name: str) -> str:
    """camelCase / PascalCase to snake_case: taskID -> task_id, GetOutputs -> get_outputs, ID -> id."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def go_field_to_wire(name: str) -> str:
    """Speakeasy Go capitalises the wire name: ActiveAt -> activeAt, SessionID -> sessionID, ID -> id."""
    return name.lower() if name.isupper() else name[0].lower() + name[1:]


@dataclass(frozen=True)
class DocField:
    """One field as a document describes it.

    ``type`` uses a tiny neutral grammar shared by all parsers: str, int, bool, float, datetime,
    object, list[T], dict[K, V], or a model/enum class name.
    """

    provider: str
    model: str
    doc_name: str
    wire: str
    type: str
    required: bool
    example: str | None = None
    enum: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.provider}-{self.wire}"


def markdown_rows(text: str) -> list[list[str]]:
    """The body cells of every markdown table row (header and ``---`` separator rows dropped)."""
    rows = []
    for line in text.splitlines():
        if "|" not in line or re.fullmatch(r"[\s|:-]+", line):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows.append(cells)
    return [row for row in rows if row[0] not in ("Field", "Parameter", "Name")]


_SPEAKEASY_SCALARS = {"string": "str", "int64": "int", "int32": "int", "integer": "int",
                      "float64": "float", "float32": "float", "number": "float",
                      "bool": "bool", "boolean": "bool"}


def speakeasy_type(cell: str) -> str:
    """A Speakeasy Go or TypeScript type cell in the neutral grammar.

    ``**int64*`` -> int, ``map[string]*string*`` -> dict[str, str], ``[][shared.Parameter](..)`` ->
    list[Parameter], ``[operations.Outputs](..)[]`` -> list[Outputs], ``[*shared.Runtime](..)`` -> Runtime.
    """
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", cell)  # markdown links -> their text
    text = re.sub(r"\b(shared|operations)\.", "", text.replace("*", "")).strip()
    if text.startswith("[]"):
        return f"list[{speakeasy_type(text[2:])}]"
    if text.endswith("[]"):
        return f"list[{speakeasy_type(text[:-2])}]"
    if m := re.fullmatch(r"map\[(\w+)\](.+)", text):
        return f"dict[{speakeasy_type(m[1])}, {speakeasy_type(m[2])}]"
    if m := re.fullmatch(r"Record<(\w+),\s*(.+)>", text):
        return f"dict[{speakeasy_type(m[1])}, {speakeasy_type(m[2])}]"
    return _SPEAKEASY_SCALARS.get(text, text)


def speakeasy_example(cell: str) -> str | None:
    """The Example cell, ``<br/>`` turned back into newlines; None when empty."""
    return cell.replace("<br/>", "\n") or None


def parse_speakeasy_fields(
    path: Path, provider: str, model: str, to_wire: Callable[[str], str]
) -> list[DocField]:
    """Speakeasy ``## Fields`` table: Field | Type | Required | Description | Example."""
    return [
        DocField(provider, model, name.strip("`"), to_wire(name.strip("`")), speakeasy_type(type_),
                 required == ":heavy_check_mark:", speakeasy_example(example))
        for name, type_, required, _description, example in markdown_rows(path.read_text())
    ]


def parse_openapi_generator_fields(path: Path, provider: str, model: str) -> list[DocField]:
    """OpenAPI-generator python table: **name** | **type** or [**type**](x.md) | description | notes."""
    fields = []
    for name, type_, _description, notes in markdown_rows(path.read_text()):
        (type_name,) = re.findall(r"\*\*(.+?)\*\*", type_)
        wire = name.strip("*")
        fields.append(DocField(provider, model, wire, wire, type_name, "[optional]" not in notes))
    return fields


_NORTHFLANK_SCALARS = {"string": "str", "integer": "int", "boolean": "bool", "number": "float"}
_NORTHFLANK_FIELD = re.compile(
    r"^(?P<indent>\s*)- `(?P<name>\w+)`: (?:\((?P<type>\w+)\)|\{object\})(?P<required> \(required\))?"
    r"(?:.*?\(enum: (?P<enum>[^)]*)\))?"
)


def northflank_response_body(path: Path) -> tuple[str, list[DocField]]:
    """Northflank ``**Response body:**`` list: the wrapper key (``data``) and the fields nested in it."""
    body = path.read_text().split("**Response body:**", 1)[1].split("\n## ", 1)[0]
    container, fields = None, []
    for line in body.splitlines():
        if not (m := _NORTHFLANK_FIELD.match(line)):
            continue
        if not m["indent"]:
            container = m["name"]
            continue
        enum = tuple(v.strip() for v in m["enum"].split(",")) if m["enum"] else ()
        fields.append(DocField("northflank", "JobRun", m["name"], m["name"],
                               _NORTHFLANK_SCALARS[m["type"]], bool(m["required"]), enum=enum))
    assert container is not None, "no top-level key in the response body list"
    return container, fields


def northflank_examples(path: Path) -> dict[str, Any]:
    """The ```json example responses, keyed by the ``## ... reference`` section they appear in."""
    examples = {}
    for section in re.split(r"^## ", path.read_text(), flags=re.M)[1:]:
        heading = section.splitlines()[0].strip()
        for block in re.findall(r"```json\n(.*?)```", section, flags=re.S):
            examples[heading] = json.loads(block)
    return examples


@dataclass(frozen=True)
class DocParam:
    """One documented parameter of an operation of seed 001 (Go SDK method docs)."""

    operation: str
    name: str
    type: str
    required: bool

    @property
    def id(self) -> str:
        return f"{self.operation}-{self.name}"


def parse_go_operations(path: Path) -> dict[str, list[DocParam]]:
    """Each ``## Operation`` section's ``### Parameters`` table, without the Go-only ``ctx``."""
    operations = {}
    for section in re.split(r"^## ", path.read_text(), flags=re.M)[1:]:
        name = section.splitlines()[0].strip()
        if "### Parameters" not in section:
            continue
        table = section.split("### Parameters", 1)[1].split("###", 1)[0]
        operations[name] = [
            DocParam(name, param.strip("`"), speakeasy_type(type_), required == ":heavy_check_mark:")
            for param, type_, required, _description in markdown_rows(table)
            if param != "`ctx`"
        ]
    return operations


def heading(path: Path) -> str:
    """The document's ``# Title``."""
    return path.read_text().splitlines()[0].removeprefix("# ").strip()


AIRPLANE_FIELDS = parse_speakeasy_fields(seed("000"), "airplane", "GetRunResponse", go_field_to_wire)
AIRPLANE_OPERATIONS = parse_go_operations(seed("001"))
AIRPLANE_PARAMS = [p for op in ("Get", "GetOutputs", "List") for p in AIRPLANE_OPERATIONS.get(op, [])]
KUBEFLOW_FIELDS = parse_openapi_generator_fields(seed("002"), "kubeflow", "ApiRun")
COMFYDEPLOY_FIELDS = parse_speakeasy_fields(seed("003"), "comfydeploy", "GetRunResponseBody", snake)
NORTHFLANK_CONTAINER, NORTHFLANK_FIELDS = northflank_response_body(seed("004"))
NORTHFLANK_EXAMPLES = northflank_examples(seed("004"))

ALL_FIELDS = AIRPLANE_FIELDS + KUBEFLOW_FIELDS + COMFYDEPLOY_FIELDS + NORTHFLANK_FIELDS
EXAMPLE_FIELDS = [f for f in ALL_FIELDS if f.example is not None]


def by_id(items: list[Any]) -> list[Any]:
    """pytest.param per item, with the item's own id."""
    return [pytest.param(item, id=item.id) for item in items]


# -- the generated code ------------------------------------------------------------------------


def models_of(provider: str) -> types.ModuleType:
    """``<provider>.models``, imported per test so one broken package fails only its own tests."""
    return importlib.import_module(f"{provider}.models")


def model_class(provider: str, name: str) -> Any:
    """The generated model class, completed.

    Models referring to classes defined further down the module keep ``ForwardRef`` annotations in
    ``model_fields`` until pydantic completes them on first use; ``model_rebuild()`` does that now.
    """
    model = getattr(models_of(provider), name)
    model.model_rebuild()
    return model


def generated_field(field: DocField) -> tuple[str, Any]:
    """(python name, FieldInfo) of the model field whose alias (or name, if none) is the wire name."""
    model = model_class(field.provider, field.model)
    matches = [(name, info) for name, info in model.model_fields.items()
               if (info.alias or name) == field.wire]
    assert len(matches) == 1, (
        f"{field.model} has {len(matches)} fields with wire name {field.wire!r}; "
        f"wire names: {[info.alias or name for name, info in model.model_fields.items()]}"
    )
    return matches[0]


def allows_none(annotation: Any) -> bool:
    """Whether the annotation admits None."""
    return annotation is Any or type(None) in typing.get_args(annotation)


def strip_none(annotation: Any) -> Any:
    """``X | None`` -> ``X`` (other annotations unchanged)."""
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (typing.Union, types.UnionType) and type(None) in args:
        rest = tuple(a for a in args if a is not type(None))
        return rest[0] if len(rest) == 1 else typing.Union[rest]
    return annotation


_PRIMITIVES: dict[str, tuple[Any, ...]] = {
    "str": (str,), "int": (int,), "bool": (bool,), "float": (float,),
    "datetime": (datetime.datetime, AwareDatetime),
}


def conforms(annotation: Any, doc_type: str, models: types.ModuleType) -> bool:
    """Whether a (None-stripped) Python annotation is the documented type (neutral grammar)."""
    doc_type = doc_type.strip()
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if m := re.fullmatch(r"list\[(.+)\]", doc_type):
        return origin is list and conforms(args[0], m[1], models)
    if m := re.fullmatch(r"dict\[(\w+),\s*(.+)\]", doc_type):
        return origin is dict and conforms(args[0], m[1], models) and conforms(args[1], m[2], models)
    if doc_type == "object":
        return conforms(annotation, "dict[str, Any]", models)
    if doc_type == "Any":
        return annotation is Any
    if doc_type in _PRIMITIVES:
        return annotation in _PRIMITIVES[doc_type]
    # A documented model or enum: the generated class of that name, and no other.
    base = importlib.import_module(f"{models.__name__.rsplit('.', 1)[0]}._base_model")
    return (
        isinstance(annotation, type)
        and annotation.__name__ == doc_type
        and issubclass(annotation, (base.Model, base.OpenEnum, RootModel))
        and annotation is getattr(models, doc_type, None)
    )


def documented_example(field: DocField) -> Any:
    """The Example cell as a value: JSON when it is JSON, else the raw string."""
    assert field.example is not None
    try:
        return json.loads(field.example)
    except ValueError:
        return field.example


# -- guards: the parsers found what the documents hold -----------------------------------------


@pytest.mark.parametrize(
    ("fields", "count", "model"),
    [
        pytest.param(AIRPLANE_FIELDS, 21, "GetRunResponse", id="000-airplane"),
        pytest.param(KUBEFLOW_FIELDS, 17, "ApiRun", id="002-kubeflow"),
        pytest.param(COMFYDEPLOY_FIELDS, 28, "GetRunResponseBody", id="003-comfydeploy"),
        pytest.param(NORTHFLANK_FIELDS, 11, "JobRun", id="004-northflank"),
    ],
)
def test_parser_found_every_field(fields: list[DocField], count: int, model: str) -> None:
    assert len(fields) == count
    assert len({f.wire for f in fields}) == count, "wire names must be distinct"
    assert all(f.model == model and f.type and re.fullmatch(r"\w+", f.wire) for f in fields)


def test_table_documents_are_the_models_they_test() -> None:
    assert heading(seed("000")) == "GetRunResponse"
    assert heading(seed("002")) == "ApiRun"
    assert heading(seed("003")) == "GetRunResponseBody"


def test_parser_found_the_examples() -> None:
    """16 Example cells in 000 and 3 in 003; 002 and 004 have none in their field lists."""
    assert sum(f.provider == "airplane" for f in EXAMPLE_FIELDS) == 16
    assert sum(f.provider == "comfydeploy" for f in EXAMPLE_FIELDS) == 3
    assert len(EXAMPLE_FIELDS) == 19


def test_parser_found_every_parameter() -> None:
    """Seed 001: Get(id), GetOutputs(id), List(6 filters); 7 distinct names, ``id`` twice."""
    assert set(AIRPLANE_OPERATIONS) == {"Cancel", "Get", "GetOutputs", "List"}
    assert len(AIRPLANE_PARAMS) == 8
    assert len({p.name for p in AIRPLANE_PARAMS}) == 7
    assert [p.name for p in AIRPLANE_PARAMS].count("id") == 2


def test_parser_found_the_northflank_examples() -> None:
    assert NORTHFLANK_CONTAINER == "data"
    assert set(NORTHFLANK_EXAMPLES) == {"API reference", "CLI reference", "JavaScript client reference"}
    assert sum(bool(f.enum) for f in NORTHFLANK_FIELDS) == 4  # active, failed, status, succeeded


# -- 1-3: every documented field exists with the documented type and required-ness --------------


@pytest.mark.parametrize("field", by_id(ALL_FIELDS))
def test_field(field: DocField) -> None:
    """The field exists under its wire name, with the snake_case Python name."""
    name, _info = generated_field(field)
    assert name == snake(field.wire)


@pytest.mark.parametrize("field", by_id(ALL_FIELDS))
def test_field_type(field: DocField) -> None:
    """The annotation, ``| None`` aside, is the documented type; optional fields admit None."""
    _name, info = generated_field(field)
    annotation, models = strip_none(info.annotation), models_of(field.provider)
    if field.enum:
        # An enum documented only by its values: the primitive, or an OpenEnum of exactly those values.
        (primitive,) = _PRIMITIVES[field.type]
        base = importlib.import_module(f"{field.provider}._base_model")
        if annotation is not primitive:
            assert isinstance(annotation, type), annotation
            assert issubclass(annotation, primitive) and issubclass(annotation, base.OpenEnum), annotation
            values = [member.value for member in typing.cast(type[enum.Enum], annotation)]
            assert sorted(values) == sorted(primitive(v) for v in field.enum)
    else:
        assert conforms(annotation, field.type, models), (
            f"{field.model}.{field.wire}: documented {field.type}, generated {info.annotation}"
        )
    if not field.required:
        assert allows_none(info.annotation), f"optional {field.wire} is {info.annotation}"


@pytest.mark.parametrize("field", by_id(ALL_FIELDS))
def test_field_required(field: DocField) -> None:
    _name, info = generated_field(field)
    assert info.is_required() is field.required


# -- 4: every Example cell validates and round-trips -------------------------------------------


@pytest.mark.parametrize("field", by_id(EXAMPLE_FIELDS))
def test_field_example(field: DocField) -> None:
    _name, info = generated_field(field)
    example = documented_example(field)
    adapter = TypeAdapter(info.annotation)
    value = adapter.validate_python(example)
    assert value is not None
    if isinstance(value, enum.Enum):  # an OpenEnum takes anything; a documented value must be listed
        assert value.name != "UNKNOWN", f"{example!r} is not a member of {type(value).__name__}"
    assert adapter.dump_python(value, mode="json", exclude_unset=True) == example


# -- 5: Northflank's example responses ---------------------------------------------------------


NORTHFLANK_RESPONSE_MODELS = {
    "API reference": "GetJobRunResponse",
    "CLI reference": "JobRun",
    "JavaScript client reference": "GetJobRunResponse",
}


def test_northflank_response_wraps_job_run() -> None:
    models = models_of("northflank")
    info = model_class("northflank", "GetJobRunResponse").model_fields[NORTHFLANK_CONTAINER]
    assert strip_none(info.annotation) is models.JobRun


@pytest.mark.parametrize(("section", "model_name"), list(NORTHFLANK_RESPONSE_MODELS.items()))
def test_northflank_example_covers_documented_fields(section: str, model_name: str) -> None:
    example = NORTHFLANK_EXAMPLES[section]
    job_run = example[NORTHFLANK_CONTAINER] if model_name == "GetJobRunResponse" else example
    assert set(job_run) == {f.wire for f in NORTHFLANK_FIELDS}


@pytest.mark.parametrize(("section", "model_name"), list(NORTHFLANK_RESPONSE_MODELS.items()))
def test_northflank_example_round_trips(section: str, model_name: str) -> None:
    models = models_of("northflank")
    example = NORTHFLANK_EXAMPLES[section]
    parsed = getattr(models, model_name).model_validate(example)
    job_run = parsed.data if model_name == "GetJobRunResponse" else parsed
    assert isinstance(job_run, models.JobRun)
    assert job_run.model_extra == {}
    extra = {k: v for k, v in example.items() if k != NORTHFLANK_CONTAINER}
    if model_name == "GetJobRunResponse":
        assert parsed.model_extra == extra
    assert parsed.model_dump(mode="json", exclude_unset=True) == example


def test_northflank_js_example_keeps_client_extras() -> None:
    """The JS client adds rawResponse/request/error; they survive in ``model_extra``."""
    models = models_of("northflank")
    example = NORTHFLANK_EXAMPLES["JavaScript client reference"]
    parsed = models.GetJobRunResponse.model_validate(example)
    assert set(parsed.model_extra) == {"rawResponse", "request", "error"}


# -- 6: seed 001's operation parameters on the sync and async resource ---------------------------


def runs_method(cls_name: str, operation: str) -> tuple[Any, dict[str, Any]]:
    """The ``Runs``/``AsyncRuns`` method for a documented operation, and its resolved type hints."""
    module = importlib.import_module("airplane.resources.runs")
    method = getattr(getattr(module, cls_name), snake(operation))
    return method, typing.get_type_hints(method, globalns=vars(module))


@pytest.mark.parametrize("cls_name", ["Runs", "AsyncRuns"])
@pytest.mark.parametrize("param", by_id(AIRPLANE_PARAMS))
def test_operation_parameter(param: DocParam, cls_name: str) -> None:
    method, hints = runs_method(cls_name, param.operation)
    python_name = snake(param.name)
    parameter = inspect.signature(method).parameters.get(python_name)
    assert parameter is not None, f"{cls_name}.{method.__name__} has no {python_name}"
    hint = hints[python_name]
    assert conforms(strip_none(hint), param.type, models_of("airplane")), hint
    if param.required:
        assert parameter.default is inspect.Parameter.empty
        assert not allows_none(hint), hint
    else:
        assert parameter.default is None
        assert allows_none(hint), hint
    assert inspect.iscoroutinefunction(method) is (cls_name == "AsyncRuns")


@pytest.mark.parametrize("cls_name", ["Runs", "AsyncRuns"])
def test_cancel_takes_the_documented_request_as_body(cls_name: str) -> None:
    """Cancel documents one ``request`` of type CancelRunRequest; the client calls it ``body``."""
    (request,) = AIRPLANE_OPERATIONS["Cancel"]
    assert (request.name, request.type, request.required) == ("request", "CancelRunRequest", True)
    method, hints = runs_method(cls_name, "Cancel")
    parameter = inspect.signature(method).parameters["body"]
    assert parameter.default is inspect.Parameter.empty
    assert conforms(hints["body"], request.type, models_of("airplane"))

