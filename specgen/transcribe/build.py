"""The facts of every page → one OpenAPI 3.1 document, each node marked with where it came from.

Checks across pages happen here: a model two pages define differently, a link to a page that was
not read (resolved by name against the existing spec, else a broken link), an SDK wrapper page
standing for an operation's parameters or response. Every schema, property, operation and
parameter gets ``x-specgen-source: page:line``; every inference its ``x-specgen-inferred`` note.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import naming
from . import rules
from .facts import FieldFact, ModelFact, OperationFact, PageFacts, ParamFact, Problem, TypeExpr
from .page import Loc

SOURCE = "x-specgen-source"
INFERRED = "x-specgen-inferred"
SCHEMAS = "#/components/schemas/"
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,99}")


@dataclass
class Built:
    """The document made from the pages, and what was found wrong or noted on the way."""

    schemas: dict[str, dict[str, Any]] = field(default_factory=dict)
    operations: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)  # (path, method, operation)
    problems: list[Problem] = field(default_factory=list)


class _Models:
    """Models by the page they are on and by name; the existing spec's schema names as fallback."""

    def __init__(self, pages: list[PageFacts], existing: Iterable[str], built: Built, folders: Iterable[str]) -> None:
        self.folders = [os.path.abspath(f) for f in folders]
        self.placeholders: dict[str, dict[str, Any]] = {}
        self.by_page: dict[str, ModelFact] = {}
        self.by_name: dict[str, ModelFact] = {}
        self.existing = {name.lower(): name for name in existing}
        for facts in pages:
            for model in facts.models:
                if not _NAME.fullmatch(model.name):
                    built.problems.append(Problem(model.loc, f"model name {model.name!r} cannot name a schema",
                                                  "a model page's title is its name: letters, digits, `_`, `.` or `-`"))
                    continue
                self.by_page.setdefault(model.page, model)
                if model.role != "model":  # an SDK wrapper page: found by its link, never by its name
                    continue
                other = self.by_name.get(model.name)
                if other is None:
                    self.by_name[model.name] = model
                elif _signature(other) != _signature(model):
                    built.problems.append(Problem(model.loc, f"model {model.name} is defined differently at {other.loc}",
                                                  "two pages may define one model only alike: remove or rename one"))

    def resolve(self, ref: TypeExpr, loc: Loc, problems: list[Problem]) -> tuple[str, ModelFact | None] | None:
        """(schema name, the model's page facts or None for a schema of the existing spec)."""
        model = self.by_page.get(ref.link) if ref.link else None
        if model is None and not ref.link:
            model = self.by_name.get(ref.name)
        if model is not None:
            return model.name, model
        inside = bool(ref.link) and any(os.path.abspath(ref.link).startswith(folder + os.sep) for folder in self.folders)
        # broken: the page is missing where it should be (inside a folder given, or from a folder that
        # exists); a page that exists out of the pages given, or whose folder is not here at all (a page
        # copied out of its docs, like the seeds), is a placeholder
        missing = bool(ref.link) and not Path(ref.link).exists() and (inside or Path(ref.link).parent.is_dir())
        if ref.link and ref.name in self.by_name and (not inside or not Path(ref.link).exists()):
            model = self.by_name[ref.name]
            if missing:
                problems.append(Problem(loc, f"broken link: {ref.link} does not exist; {ref.name} is taken from "
                                             f"{model.loc.page}, the one page that defines it", "fix the link in the docs",
                                        "warning"))
            return model.name, model
        if ref.name.lower() in self.existing:
            return self.existing[ref.name.lower()], None
        if ref.link and not missing and _NAME.fullmatch(ref.name):
            # a page links to a page out of those given: a placeholder, said so
            if ref.name not in self.placeholders:
                note = (f"placeholder: {ref.name} is defined on {ref.link}, which was not read: any value "
                        "(transcribe that page too, or define the schema in the spec)")
                self.placeholders[ref.name] = {SOURCE: str(loc), INFERRED: [note]}
                problems.append(Problem(loc, f"{ref.name} links to {ref.link}, outside the pages given: "
                                             "written as a placeholder schema (any value)",
                                        "pass the folder of the docs to transcribe it", "warning"))
            return ref.name, None
        if ref.link:
            problems.append(Problem(loc, f"broken link: {ref.name} links to {ref.link}, which does not exist",
                                    "fix the link, or pass the folder that holds the page (the existing spec has no "
                                    f"schema {ref.name} either)"))
        else:
            problems.append(Problem(loc, f"unknown type {ref.name}: no page defines it and the existing spec has no such schema",
                                    "pass the page that defines it"))
        return None


def _signature(model: ModelFact) -> tuple[Any, ...]:
    return (model.kind, model.values, tuple((f.wire, _type_sig(f.type), f.required) for f in model.fields))


def _type_sig(t: TypeExpr | None) -> Any:
    if t is None:
        return None
    return (t.kind, t.name, t.format, _type_sig(t.item), tuple((f.wire, _type_sig(f.type), f.required) for f in t.fields))


def build(pages: list[PageFacts], existing_schemas: Iterable[str], folders: Iterable[str] = ()) -> Built:
    """The document the pages make. ``folders`` are the folders given: a link inside one that leads
    nowhere is broken; a link from a page given on its own to a page not given is a placeholder."""
    built = Built()
    models = _Models(pages, existing_schemas, built, folders)
    maker = _Maker(models, built)
    for name in sorted(models.by_name):
        built.schemas[name] = maker.model(models.by_name[name])
    for model in sorted(models.by_page.values(), key=lambda m: m.page):
        if model.role == "security":
            names = ", ".join(f.shown for f in model.fields)
            built.problems.append(Problem(model.loc, f"the SDK's Security page lists the credentials {names}, not how they "
                                                     "are sent: no security scheme is transcribed",
                                          "add components/securitySchemes (with x-specgen-env) and security to the spec; "
                                          "transcribing again keeps them", "warning"))
    for facts in pages:
        for op in facts.operations:
            built.operations.append(maker.operation(op))
    for name, schema in models.placeholders.items():
        built.schemas.setdefault(name, schema)
    built.schemas = dict(sorted(built.schemas.items()))
    return built


class _Maker:
    def __init__(self, models: _Models, built: Built) -> None:
        self.models, self.built = models, built

    def model(self, model: ModelFact) -> dict[str, Any]:
        schema: dict[str, Any] = {}
        if model.kind == "enum":
            schema["type"] = model.value_type
            if model.description:
                schema["description"] = model.description
            schema["enum"] = list(model.values)
        else:
            schema["type"] = "object"
            if model.description:
                schema["description"] = model.description
            schema.update(self.properties(model.fields))
        schema[SOURCE] = str(model.loc)
        return schema

    def properties(self, fields: tuple[FieldFact, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        required = [f.wire for f in fields if f.required]
        if required:
            out["required"] = required
        props: dict[str, Any] = {}
        for f in fields:
            props[f.wire] = self.property(f)
        if props:
            out["properties"] = props
        return out

    def property(self, f: FieldFact) -> dict[str, Any]:
        notes = list(f.inferred)
        schema = self.schema(f.type, f.loc, notes)
        if f.enum:
            schema["enum"] = list(f.enum)
        if f.description:
            schema["description"] = f.description
        present, value = rules.example(f.example, self._resolved(schema))
        if present:
            schema["examples"] = [value]
        schema[SOURCE] = str(f.loc)
        if notes:
            schema[INFERRED] = sorted(set(notes))
        return schema

    def _resolved(self, schema: dict[str, Any]) -> dict[str, Any]:
        """The schema a ``$ref`` names, as far as the pages know it (for reading an example)."""
        ref = schema.get("$ref")
        if isinstance(ref, str):
            model = self.models.by_name.get(ref.removeprefix(SCHEMAS))
            if model is not None and model.kind == "enum":
                return {"type": model.value_type}
            return {"type": "object"} if model is not None else {}
        return schema

    def schema(self, t: TypeExpr, loc: Loc, notes: list[str]) -> dict[str, Any]:
        notes.extend(t.inferred)
        if t.kind in ("string", "integer", "number", "boolean"):
            out: dict[str, Any] = {"type": t.kind}
            if t.format:
                out["format"] = t.format
            return out
        if t.kind == "any":
            return {}
        if t.kind == "object":
            return {"type": "object"}
        if t.kind == "array" and t.item is not None:
            return {"type": "array", "items": self.schema(t.item, loc, notes)}
        if t.kind == "map" and t.item is not None:
            values = self.schema(t.item, loc, notes)
            return {"type": "object", "additionalProperties": values or True}
        if t.kind == "inline":
            return {"type": "object", **self.properties(t.fields)}
        if t.kind == "ref":
            found = self.models.resolve(t, loc, self.built.problems)
            if found is None:
                return {}
            name, model = found
            if model is not None and model.role == "response-wrapper":
                payload = _payload(model)
                return self.schema(payload, loc, notes) if payload else {}
            return {"$ref": SCHEMAS + name}
        return {}

    def operation(self, op: OperationFact) -> tuple[str, str, dict[str, Any]]:
        notes = list(op.inferred)
        params = list(op.params)
        body, body_loc = op.body, op.body_loc
        wrapper = self.request_wrapper(body)
        if wrapper is not None:  # a Speakeasy request page: its fields are the parameters and the body
            wrapper_params, wrapper_body = _unwrap_request(wrapper, self.models)
            params.extend(wrapper_params)
            body, body_loc = (wrapper_body.type, wrapper_body.loc) if wrapper_body is not None else (None, None)
        method, path = op.method, op.path
        if method is None or path is None:
            method, path = rules.placeholder_route(op.resource, op.name, body is not None)
            notes.append(f"path: {method.upper()} {path}: the page shows no HTTP method and path "
                         "(an operation of the existing spec with the same x-specgen-resource and x-specgen-method keeps its own)")
        out: dict[str, Any] = {}
        if op.operation_id:
            out["operationId"] = op.operation_id
        elif op.resource and "_" in op.name:  # a python method name: archive_run → ArchiveRun
            out["operationId"] = naming.pascal(op.name)
            notes.append(f"operationId: {out['operationId']} from the SDK method {op.resource}.{op.name}")
        if op.summary:
            out["summary"] = op.summary
        if op.description:
            out["description"] = op.description
        if op.resource:
            tag = re.sub(r"Api$", "", op.resource) or op.resource
            out["tags"] = [tag]
            out["x-specgen-resource"] = naming.snake(tag)
            out["x-specgen-method"] = naming.snake(op.name)
        variables = set(re.findall(r"\{([^}]+)\}", path))
        if params:
            out["parameters"] = [self.parameter(p, variables) for p in params]
        if body is not None:
            body_notes: list[str] = ["content: application/json (the page does not show the media type)"]
            schema = self.schema(body, body_loc or op.loc, body_notes)
            out["requestBody"] = {"required": op.body_required, "content": {"application/json": {"schema": schema}},
                                  SOURCE: str(body_loc or op.loc), INFERRED: sorted(set(body_notes))}
        response: dict[str, Any] = {"description": op.response_description or "OK"}
        if op.response is not None and self._shown(op.response, op.response_loc or op.loc):
            response_notes: list[str] = []
            schema = self.schema(op.response, op.response_loc or op.loc, response_notes)
            if schema:
                if "properties" in schema:
                    schema[SOURCE] = str(op.response_loc or op.loc)
                response["content"] = {"application/json": {"schema": schema}}
        response_notes = [] if op.response_description else ["status: 200 OK (the page does not show the success status)"]
        if "content" in response:
            response_notes.append("content: application/json (the page does not show the media type)")
        if response_notes:
            response[INFERRED] = response_notes
        out["responses"] = {"200": response}
        out[SOURCE] = str(op.loc)
        if notes:
            out[INFERRED] = sorted(set(notes))
        return path, method, out

    def request_wrapper(self, body: TypeExpr | None) -> ModelFact | None:
        if body is None or body.kind != "ref":
            return None
        model = self.models.by_page.get(body.link)
        return model if model is not None and model.role == "request-wrapper" else None

    def _shown(self, response: TypeExpr, loc: Loc) -> bool:
        """Whether a response the page links to can be read: a Speakeasy SDK wrapper page
        (``operations.GetRunResponse``) that was not read leaves the response unshown (a warning,
        and an existing spec's response stays), rather than a broken link."""
        if response.kind == "ref" and "/operations/" in response.link.replace("\\", "/") \
                and response.link not in self.models.by_page:
            self.built.problems.append(Problem(loc, f"response not shown: it links to the SDK page {response.link}, "
                                                    "which was not read", "pass the folder of the SDK docs to transcribe "
                                                    "the response too", "warning"))
            return False
        return True

    def parameter(self, p: ParamFact, variables: set[str]) -> dict[str, Any]:
        notes = list(p.inferred)
        location = p.location
        if location is None:
            location = "path" if p.wire in variables else "query"
            notes.append(f"in: {location} (the page does not show where the parameter is sent)")
        out: dict[str, Any] = {"name": p.wire, "in": location}
        if p.required or location == "path":
            out["required"] = True
        if p.description:
            out["description"] = p.description
        out["schema"] = self.schema(p.type, p.loc, notes)
        present, value = rules.example(p.example, out["schema"])
        if present:
            out["example"] = value
        out[SOURCE] = str(p.loc)
        if notes:
            out[INFERRED] = sorted(set(notes))
        return out


_SDK_FIELDS = frozenset({"contenttype", "statuscode", "rawresponse", "headers", "error", "next"})


def _payload(wrapper: ModelFact) -> TypeExpr | None:
    """What a Speakeasy response wrapper carries: its first field that is not the SDK's own."""
    for f in wrapper.fields:
        if f.shown.lower() not in _SDK_FIELDS and f.type.kind != "any":
            return f.type
    return None


def _unwrap_request(wrapper: ModelFact, models: _Models) -> tuple[list[ParamFact], FieldFact | None]:
    """A Speakeasy request page: the field holding a request model is the body, the others parameters."""
    params: list[ParamFact] = []
    body: FieldFact | None = None
    for f in wrapper.fields:
        target = f.type.item if f.type.kind == "array" and f.type.item else f.type
        is_model = target.kind == "ref" and (
            (m := models.by_page.get(target.link) or models.by_name.get(target.name)) is not None and m.kind == "object"
            or target.name.lower() in models.existing and target.name.lower() not in {n.lower() for n in models.by_name})
        if body is None and (f.shown in ("requestBody", "RequestBody") or is_model):
            body = f
            continue
        params.append(ParamFact(f.shown, f.wire, f.type, f.required, f.loc, None, f.description, f.example, f.inferred))
    return params, body
