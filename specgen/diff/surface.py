"""The client surface of one spec: what a caller of the generated package names and relies on.

``diff`` compares two of these rather than two OpenAPI documents, so every change is reported in
the terms a user of the client reads in their own code: ``runs.cancel``, ``GetRunResponse.timeout``,
``Status.CANCELLED``. Operations, parameters, bodies, auth and servers come from the IR, the same
one the templates read; classes, fields and enum values come from the models specgen writes for
the package (before formatting), read back with :mod:`ast`, so a field's Python name,
alias and annotation are exactly what the package will contain. Each fact keeps the JSON pointer of
where the spec declares it, for the ``file:line`` of a report.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from .. import ir
from ..ir.model import needs_credentials
from ..spec import Pointer, Spec

Direction = Literal["request", "response"]


@dataclass(frozen=True)
class Argument:
    """A keyword argument of a method: a parameter, or the body."""

    name: str
    wire_name: str
    location: str  # path, query, header, cookie or body
    type: str
    required: bool
    pointer: Pointer


@dataclass(frozen=True)
class Method:
    """``client.<resource>.<name>(...)``, and its ``iter_<name>`` when it pages."""

    resource: str
    name: str
    http_method: str
    path: str
    arguments: dict[str, Argument]
    response: str
    page_item: str | None  # the item type of ``iter_<name>``, None when it does not page
    errors: dict[str, str]  # status -> the class an error body is parsed into
    needs_credentials: bool
    deprecated: bool
    retry_safe: bool
    pointer: Pointer

    @property
    def key(self) -> str:
        return f"{self.resource}.{self.name}"

    @property
    def endpoint(self) -> str:
        return f"{self.http_method} {self.path}"


@dataclass(frozen=True)
class Field:
    name: str
    wire_name: str
    type: str  # the annotation (an optional field's includes ``None``, its default)
    required: bool
    pointer: Pointer


@dataclass(frozen=True)
class ModelClass:
    """A class of ``models.py``: a model (fields), an enum (values) or a root model (one type)."""

    name: str
    kind: Literal["model", "enum", "root"]
    schema: str  # the key under components/schemas (after inline schemas were named)
    origin: Pointer  # where its schema is written: the same through a rename (see Spec.origins)
    bases: tuple[str, ...]
    own_fields: dict[str, Field]
    values: dict[str, str]  # enum value (repr) -> member name
    value_pointers: dict[str, Pointer]
    pointer: Pointer


@dataclass(frozen=True)
class Credential:
    """One argument of the client's constructor that carries a secret, and how it is sent."""

    argument: str
    scheme: str
    env: str
    sent_as: str  # "header X-API-Key", "query api_key", "basic auth", ...
    pointer: Pointer


@dataclass(frozen=True)
class Surface:
    spec: Spec
    display: str  # how the spec is named in reports (a path, or REV:path)
    package: str
    client_class: str
    version: str  # info.version
    base_url: str | None
    servers: tuple[str, ...]
    credentials_required: bool
    credentials: dict[str, Credential]
    methods: dict[str, Method]
    classes: dict[str, ModelClass]
    directions: dict[str, frozenset[Direction]] = field(default_factory=dict)

    def fields(self, name: str) -> dict[str, tuple[Field, str]]:
        """Every field of class ``name``, inherited ones too, each with the class that declares it."""
        found: dict[str, tuple[Field, str]] = {}
        seen: set[str] = set()

        def visit(current: str) -> None:
            if current in seen or current not in self.classes:
                return
            seen.add(current)
            cls = self.classes[current]
            for base in reversed(cls.bases):
                visit(base)
            found.update({f.name: (f, current) for f in cls.own_fields.values()})

        visit(name)
        return found


def surface(spec: Spec, api: ir.Api, models_source: str, display: str) -> Surface:
    """The surface of the package generated from ``spec`` (its IR and unformatted ``models.py``)."""
    classes = dict(_classes(spec, api, models_source))
    methods = {m.key: m for m in _methods(spec, api)}
    built = Surface(
        spec=spec,
        display=display,
        package=api.package,
        client_class=api.client_class,
        version=api.version,
        base_url=api.base_url,
        servers=api.server_urls,
        credentials_required=api.credentials_required,
        credentials=_credentials(api),
        methods=methods,
        classes=classes,
    )
    built.directions.update(_directions(built, api))
    return built


def _methods(spec: Spec, api: ir.Api) -> Iterator[Method]:
    for resource in api.resources:
        for op in resource.operations:
            pointer = ("paths", op.path, op.http_method.lower())
            arguments = {
                p.name: Argument(p.name, p.wire_name, p.location, str(p.type.expr), p.required,
                                 _parameter_pointer(spec, pointer, p))
                for p in op.parameters
            }
            if op.body is not None:
                arguments[op.body.name] = Argument(op.body.name, op.body.name, "body", str(op.body.type.expr),
                                                   op.body.required, (*pointer, "requestBody"))
            security = op.security if op.security is not None else api.default_security
            yield Method(
                resource=resource.attribute,
                name=op.name,
                http_method=op.http_method.upper(),
                path=op.path,
                arguments=arguments,
                response=str(op.return_type),
                page_item=str(op.pagination.item_type.expr) if op.pagination else None,
                errors={e.status: e.model for e in op.errors},
                needs_credentials=needs_credentials(security),
                deprecated=op.deprecated,
                retry_safe=op.retry_safe,
                pointer=pointer,
            )


def _parameter_pointer(spec: Spec, operation: Pointer, parameter: ir.Parameter) -> Pointer:
    """Where ``parameter`` is declared: in the operation's list, else in its path item's."""
    for owner in (operation, operation[:-1]):
        node: Any = spec.data
        for part in owner:
            node = node.get(part) if isinstance(node, dict) else None
        declared = node.get("parameters") if isinstance(node, dict) else None
        for index, item in enumerate(declared if isinstance(declared, list) else []):
            resolved = item
            if isinstance(item, dict) and isinstance(item.get("$ref"), str):
                try:
                    resolved = spec.resolve(item["$ref"])[1]
                except (KeyError, IndexError, ValueError, TypeError):
                    continue
            if (isinstance(resolved, dict) and resolved.get("name") == parameter.wire_name
                    and resolved.get("in") == parameter.location):
                return (*owner, "parameters", str(index))
    return operation


def _credentials(api: ir.Api) -> dict[str, Credential]:
    found = {}
    for scheme in api.auth:
        if scheme.kind == "basic":
            sent_as = "basic auth"
        else:
            sent_as = f"{scheme.location} {scheme.name}" + (f" ({scheme.prefix.strip()})" if scheme.prefix else "")
        for argument in scheme.args:
            found[argument] = Credential(argument, scheme.key, scheme.env, sent_as,
                                         ("components", "securitySchemes", scheme.key))
    return found


def _classes(spec: Spec, api: ir.Api, source: str) -> Iterator[tuple[str, ModelClass]]:
    schema_of = {name: key for key, name in api.class_names.items()}
    for node in ast.parse(source).body:
        if isinstance(node, ast.ClassDef):
            key = schema_of.get(node.name, node.name)
            yield node.name, _class(spec, node, key)


def _class(spec: Spec, node: ast.ClassDef, key: str) -> ModelClass:
    pointer: Pointer = ("components", "schemas", key)
    schema = _node(spec.data, pointer)
    bases = tuple(ast.unparse(b) for b in node.bases)
    if "OpenEnum" in bases or any(b.endswith("Enum") for b in bases):
        values, pointers = {}, {}
        declared = schema.get("enum") if isinstance(schema, dict) else None
        declared = declared if isinstance(declared, list) else []
        for statement in node.body:
            if isinstance(statement, ast.Assign) and isinstance(statement.targets[0], ast.Name):
                try:
                    value = ast.literal_eval(statement.value)
                except ValueError:
                    continue
                values[repr(value)] = statement.targets[0].id
                index = next((i for i, v in enumerate(declared) if v == value and type(v) is type(value)), None)
                pointers[repr(value)] = (*pointer, "enum", str(index)) if index is not None else (*pointer, "enum")
        return ModelClass(node.name, "enum", key, _origin(spec, key), (), {}, values, pointers, pointer)
    fields = {}
    for statement in node.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            name = statement.target.id
            if name == "model_config":
                continue
            required, alias = _field_options(statement.value)
            wire = alias or name
            fields[name] = Field(name, wire, ast.unparse(statement.annotation), required,
                                 _property_pointer(schema, pointer, wire))
    root = any(b.startswith("RootModel") for b in bases)
    own_bases = tuple(b for b in bases if not b.startswith("RootModel") and b != "Model")
    return ModelClass(node.name, "root" if root else "model", key, _origin(spec, key), own_bases, fields, {}, {},
                      pointer)


def _origin(spec: Spec, key: str) -> Pointer:
    return spec.origins.get(key, ("components", "schemas", key))


def _node(data: Any, pointer: Pointer) -> Any:
    for part in pointer:
        data = data.get(part) if isinstance(data, dict) else None
    return data


def _property_pointer(schema: Any, pointer: Pointer, wire: str) -> Pointer:
    """Where property ``wire`` is written: in ``properties``, or an inline ``allOf`` member's."""
    if isinstance(schema, dict):
        if isinstance(schema.get("properties"), dict) and wire in schema["properties"]:
            return (*pointer, "properties", wire)
        for index, member in enumerate(schema.get("allOf") or []):
            found = _property_pointer(member, (*pointer, "allOf", str(index)), wire)
            if found[-1] == wire:
                return found
    return pointer


def _field_options(value: ast.expr | None) -> tuple[bool, str | None]:
    """Whether a field is required (no default), and its alias."""
    if value is None:
        return True, None
    if isinstance(value, ast.Call) and ast.unparse(value.func) == "Field":
        keywords = {k.arg: k.value for k in value.keywords if k.arg}
        alias = keywords.get("alias")
        alias_text = alias.value if isinstance(alias, ast.Constant) and isinstance(alias.value, str) else None
        if "default_factory" in keywords:
            return False, alias_text
        default = value.args[0] if value.args else keywords.get("default")
        required = default is None or (isinstance(default, ast.Constant) and default.value is Ellipsis)
        return required, alias_text
    return False, None


def _members(annotation: ast.expr) -> list[str]:
    """The members of a top-level union (``int | str | None`` → ``["int", "str", "None"]``)."""
    if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
        return _members(annotation.left) + _members(annotation.right)
    return [ast.unparse(annotation)]


def members(annotation: str) -> list[str]:
    """:func:`_members` of an annotation written as text."""
    try:
        return _members(ast.parse(annotation, mode="eval").body)
    except SyntaxError:
        return [annotation]


def names_in(annotation: str) -> set[str]:
    """The bare names an annotation uses (the classes it refers to among them)."""
    try:
        tree = ast.parse(annotation, mode="eval")
    except SyntaxError:
        return set()
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def _directions(built: Surface, api: ir.Api) -> dict[str, frozenset[Direction]]:
    """Which way each class travels: sent by the caller (request), read by the caller (response), or
    both; a class no operation reaches (a schema kept for its own sake) counts as both."""
    roots: dict[Direction, set[str]] = {"request": set(), "response": set()}
    for resource in api.resources:
        for op in resource.operations:
            for p in op.parameters:
                roots["request"] |= p.type.models
            if op.body:
                roots["request"] |= op.body.type.models
            if op.response:
                roots["response"] |= op.response.models
            if op.pagination:
                roots["response"] |= op.pagination.item_type.models
            roots["response"] |= {e.model for e in op.errors}
    reached = {direction: _closure(built, names) for direction, names in roots.items()}
    both: frozenset[Direction] = frozenset(reached)
    return {name: frozenset(d for d in both if name in reached[d]) or both for name in built.classes}


def _closure(built: Surface, names: Iterable[str]) -> set[str]:
    seen: set[str] = set()
    stack = [n for n in names if n in built.classes]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.add(name)
        cls = built.classes[name]
        referenced = set(cls.bases)
        for f in cls.own_fields.values():
            referenced |= names_in(f.type)
        stack.extend(n for n in referenced if n in built.classes and n not in seen)
    return seen
