"""The intermediate representation: the API as the templates need it, with Python names, types and imports.

``build(spec)`` is the only place that reads OpenAPI structure for the client; templates see only
these dataclasses. Problems become diagnostics with the line they come from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from . import naming
from .diagnostics import Diagnostic, SpecError
from .spec import Pointer, Spec, ref_pointer

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_PATH_PARAM = re.compile(r"{([^}]+)}")


@dataclass(frozen=True)
class PyType:
    """A Python type expression and what it needs imported."""

    expr: str
    models: frozenset[str] = frozenset()
    typing: frozenset[str] = frozenset()

    def optional(self) -> PyType:
        if self.expr.endswith("| None") or self.expr == "Any":
            return self
        return PyType(f"{self.expr} | None", self.models, self.typing)


@dataclass(frozen=True)
class Parameter:
    wire_name: str
    name: str
    location: str  # "path", "query" or "header"
    type: PyType
    required: bool
    description: str
    example: Any = None


@dataclass(frozen=True)
class Body:
    name: str
    type: PyType
    required: bool
    description: str
    media_type: str


@dataclass(frozen=True)
class ErrorBody:
    """A documented error response whose body the client parses into ``model``."""

    status: str  # "400", "4XX" or "default"
    model: str


@dataclass(frozen=True)
class Pagination:
    style: str  # "page" or "cursor"
    param: str  # wire name of the query parameter the paginator sets
    items: tuple[str, ...]
    item_type: PyType
    next_cursor: tuple[str, ...] = ()
    has_more: tuple[str, ...] = ()
    start: int = 0


@dataclass(frozen=True)
class Operation:
    operation_id: str
    name: str
    http_method: str
    path: str
    summary: str
    description: str
    parameters: tuple[Parameter, ...]
    body: Body | None
    response: PyType | None
    response_description: str
    errors: tuple[ErrorBody, ...]
    retry_safe: bool
    deprecated: bool
    security: tuple[str, ...] | None  # None: the client's default; (): no auth
    pagination: Pagination | None

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")

    @property
    def query_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "query")

    @property
    def header_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "header")

    @property
    def return_type(self) -> str:
        return self.response.expr if self.response else "None"

    @property
    def cast_to(self) -> str:
        return self.response.expr if self.response else "type(None)"

    @property
    def iterator_name(self) -> str:
        return f"iter_{self.name}"


@dataclass(frozen=True)
class Resource:
    attribute: str
    class_name: str
    module: str
    operations: tuple[Operation, ...]

    @property
    def async_class_name(self) -> str:
        return f"Async{self.class_name}"

    def _types(self) -> Iterator[PyType]:
        for op in self.operations:
            yield from (p.type for p in op.parameters)
            if op.body:
                yield op.body.type
            if op.response:
                yield op.response
            if op.pagination:
                yield op.pagination.item_type

    @property
    def model_imports(self) -> list[str]:
        names: set[str] = {e.model for op in self.operations for e in op.errors}
        for t in self._types():
            names |= t.models
        return sorted(names)

    @property
    def typing_imports(self) -> list[str]:
        return sorted({name for t in self._types() for name in t.typing})

    @property
    def paginates(self) -> bool:
        return any(op.pagination for op in self.operations)


@dataclass(frozen=True)
class AuthScheme:
    key: str
    kind: str  # "header" (API key or bearer) or "basic"
    header: str
    prefix: str
    env: str
    args: tuple[str, ...]


@dataclass(frozen=True)
class Api:
    package: str
    client_class: str
    title: str
    description: str
    version: str
    spec_file: str
    base_url: str | None
    auth: tuple[AuthScheme, ...]
    default_security: tuple[str, ...]
    resources: tuple[Resource, ...]
    class_names: dict[str, str] = field(hash=False)

    @property
    def async_client_class(self) -> str:
        return f"Async{self.client_class}"

    @property
    def auth_args(self) -> list[str]:
        return [arg for scheme in self.auth for arg in scheme.args]


def build(spec: Spec, spec_file: str) -> Api:
    """The IR of ``spec``; raises :class:`SpecError` with every problem found."""
    builder = _Builder(spec)
    api = builder.api(spec_file)
    if builder.problems:
        raise SpecError(builder.problems)
    return api


class _Builder:
    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.problems: list[Diagnostic] = []
        self.class_names = self._class_names()

    def error(self, pointer: Pointer, message: str, hint: str = "") -> None:
        self.problems.append(self.spec.at(pointer, message, hint))

    # -- names -----------------------------------------------------------------------------------

    def _class_names(self) -> dict[str, str]:
        schemas = self.spec.data.get("components", {}).get("schemas", {}) or {}
        names: dict[str, str] = {}
        owners: dict[str, str] = {}
        for key in schemas:
            pointer = ("components", "schemas", key)
            name = naming.class_name(key)
            if name is None:
                self.error(pointer, f"schema name {key!r} cannot become a Python class name",
                           "rename the schema so it starts with a letter")
                continue
            if name in owners:
                self.error(pointer, f"schemas {owners[name]!r} and {key!r} both become class {name!r}",
                           "rename one of them")
                continue
            owners[name] = key
            names[key] = name
        return names

    def _explicit_name(self, pointer: Pointer, value: Any, what: str) -> str | None:
        if isinstance(value, str) and naming.is_identifier(value):
            return value
        self.error(pointer, f"{what} {value!r} is not a valid Python identifier",
                   "use letters, digits and underscores, not starting with a digit, and not a keyword")
        return None

    def _derived_name(self, pointer: Pointer, wire: str, what: str, override_key: str) -> str | None:
        name = naming.python_name(wire)
        if name is None:
            self.error(pointer, f"{what} {wire!r} cannot become a Python identifier",
                       f"set `{override_key}` to the Python name to use")
        return name

    # -- API -------------------------------------------------------------------------------------

    def api(self, spec_file: str) -> Api:
        data = self.spec.data
        info = data.get("info", {})
        package = self._explicit_name(("info", "x-specgen-package"), info.get("x-specgen-package"),
                                      "x-specgen-package")
        client = self._explicit_name(("info", "x-specgen-client"), info.get("x-specgen-client"),
                                     "x-specgen-client")
        auth, default_security = self._auth()
        return Api(
            package=package or "",
            client_class=client or "",
            title=str(info.get("title", "")),
            description=str(info.get("description", "")).strip(),
            version=str(info.get("version", "")),
            spec_file=spec_file,
            base_url=self._base_url(),
            auth=auth,
            default_security=default_security,
            resources=self._resources(),
            class_names=self.class_names,
        )

    def _base_url(self) -> str | None:
        servers = self.spec.data.get("servers") or []
        if not servers:
            return None
        server = servers[0]
        url = str(server.get("url", ""))
        for name, variable in (server.get("variables") or {}).items():
            url = url.replace("{" + name + "}", str(variable.get("default", "")))
        if "{" in url:
            self.error(("servers", "0", "url"), f"server URL {url!r} has a variable with no default",
                       "give every server variable a `default`")
        return url.rstrip("/")

    def _auth(self) -> tuple[tuple[AuthScheme, ...], tuple[str, ...]]:
        declared = self.spec.data.get("components", {}).get("securitySchemes", {}) or {}
        default = self._security(("security",), self.spec.data.get("security")) or ()
        used = list(default)
        for op_pointer, op in self._operations():
            for key in self._security((*op_pointer, "security"), op.get("security")) or ():
                if key not in used:
                    used.append(key)
        schemes = [s for s in (self._scheme(key, declared.get(key, {})) for key in used) if s is not None]
        taken = [arg for scheme in schemes for arg in scheme.args]
        # Two schemes that would take the same argument (two API keys) are told apart by scheme name.
        schemes = [
            replace(s, args=(naming.python_name(s.key) or "credential",))
            if s.kind == "header" and taken.count(s.args[0]) > 1 else s
            for s in schemes
        ]
        return tuple(schemes), default

    def _security(self, pointer: Pointer, requirements: Any) -> tuple[str, ...] | None:
        if requirements is None:
            return None
        names: list[str] = []
        declared = self.spec.data.get("components", {}).get("securitySchemes", {}) or {}
        for index, requirement in enumerate(requirements):
            if len(requirement) > 1:
                self.error((*pointer, str(index)), "a security requirement that combines several schemes is not supported",
                           "list the schemes as alternatives (one per requirement)")
            for key in requirement:
                if key not in declared:
                    self.error((*pointer, str(index), key), f"unknown security scheme {key!r}",
                               "declare it under components/securitySchemes")
                elif key not in names:
                    names.append(key)
        return tuple(names)

    def _scheme(self, key: str, scheme: dict[str, Any]) -> AuthScheme | None:
        pointer = ("components", "securitySchemes", key)
        env = scheme.get("x-specgen-env")
        if not isinstance(env, str) or not env:
            self.error(pointer, f"security scheme {key!r} has no `x-specgen-env`",
                       "name the environment variable the client reads the secret from")
            return None
        kind, scheme_type = "header", scheme.get("type")
        if scheme_type == "apiKey":
            if scheme.get("in") != "header":
                self.error((*pointer, "in"), f"API keys in {scheme.get('in')!r} are not supported",
                           "specgen sends API keys in a header (`in: header`)")
                return None
            return AuthScheme(key, kind, str(scheme.get("name")), "", env, ("api_key",))
        if scheme_type == "http" and str(scheme.get("scheme", "")).lower() == "basic":
            return AuthScheme(key, "basic", "Authorization", "Basic ", env, ("username", "password"))
        if scheme_type in ("http", "oauth2", "openIdConnect"):
            if scheme_type == "http" and str(scheme.get("scheme", "")).lower() != "bearer":
                self.error((*pointer, "scheme"), f"HTTP auth scheme {scheme.get('scheme')!r} is not supported",
                           "use `bearer` or `basic`")
                return None
            return AuthScheme(key, kind, "Authorization", "Bearer ", env, ("token",))
        self.error((*pointer, "type"), f"security scheme type {scheme_type!r} is not supported",
                   "use apiKey (in: header), http bearer or http basic")
        return None

    # -- operations ------------------------------------------------------------------------------

    def _operations(self) -> Iterator[tuple[Pointer, dict[str, Any]]]:
        for path, item in (self.spec.data.get("paths") or {}).items():
            for method in HTTP_METHODS:
                if isinstance(item, dict) and isinstance(item.get(method), dict):
                    yield ("paths", path, method), item[method]

    def _resources(self) -> tuple[Resource, ...]:
        grouped: dict[str, list[Operation]] = {}
        seen_methods: dict[tuple[str, str], Pointer] = {}
        for pointer, op in self._operations():
            resource = self._resource_name(pointer, op)
            operation = self._operation(pointer, op)
            if resource is None or operation is None:
                continue
            if (resource, operation.name) in seen_methods:
                first = self.spec.line(seen_methods[resource, operation.name])
                self.error(pointer, f"{resource}.{operation.name} is already defined by the operation at line {first}",
                           "set a different `x-specgen-method` on one of them")
                continue
            seen_methods[resource, operation.name] = pointer
            grouped.setdefault(resource, []).append(operation)
        resources = tuple(
            Resource(attribute=name, class_name=naming.pascal(name), module=name, operations=tuple(ops))
            for name, ops in sorted(grouped.items())
        )
        models = set(self.class_names.values())
        for built in resources:
            where = next(p for (r, _), p in seen_methods.items() if r == built.attribute)
            if built.attribute in naming.RESERVED_RESOURCES or built.attribute.startswith("_"):
                self.error(where, f"resource name {built.attribute!r} is taken by the client itself",
                           "set `x-specgen-resource` to another name")
            for class_name in (built.class_name, built.async_class_name):
                if class_name in models:
                    self.error(where, f"resource class {class_name!r} has the name of a schema",
                               "set `x-specgen-resource` to another name, or rename the schema")
        return resources

    def _resource_name(self, pointer: Pointer, op: dict[str, Any]) -> str | None:
        if "x-specgen-resource" in op:
            return self._explicit_name((*pointer, "x-specgen-resource"), op["x-specgen-resource"], "x-specgen-resource")
        tags = op.get("tags") or []
        if not tags:
            self.error(pointer, "operation has no tag and no `x-specgen-resource`",
                       "add `x-specgen-resource: <name>` or a tag to group it under")
            return None
        return self._derived_name((*pointer, "tags", "0"), str(tags[0]), "tag", "x-specgen-resource")

    def _operation(self, pointer: Pointer, op: dict[str, Any]) -> Operation | None:
        before = len(self.problems)
        if "x-specgen-method" in op:
            name = self._explicit_name((*pointer, "x-specgen-method"), op["x-specgen-method"], "x-specgen-method")
        elif isinstance(op.get("operationId"), str):
            name = self._derived_name((*pointer, "operationId"), op["operationId"], "operationId", "x-specgen-method")
        else:
            self.error(pointer, "operation has no operationId and no `x-specgen-method`",
                       "add an operationId (or x-specgen-method) so the method has a name")
            name = None
        path, http_method = pointer[1], pointer[2].upper()
        parameters = self._parameters(pointer, op)
        body = self._body(pointer, op)
        response, response_description = self._response(pointer, op)
        self._check_names(pointer, parameters, body)
        missing = set(_PATH_PARAM.findall(path)) - {p.wire_name for p in parameters if p.location == "path"}
        for wire in sorted(missing):
            self.error(pointer, f"path parameter {wire!r} of {path!r} is not declared",
                       "add it to `parameters` with `in: path`")
        pagination = self._pagination(pointer, op, parameters, response)
        if name is None or len(self.problems) > before:
            return None
        return Operation(
            operation_id=str(op.get("operationId", name)),
            name=name,
            http_method=http_method,
            path=path,
            summary=str(op.get("summary", "")).strip(),
            description=str(op.get("description", "")).strip(),
            parameters=parameters,
            body=body,
            response=response,
            response_description=response_description,
            errors=self._errors(op),
            retry_safe=http_method in IDEMPOTENT_METHODS or op.get("x-specgen-retry-safe") is True,
            deprecated=bool(op.get("deprecated")),
            security=self._security((*pointer, "security"), op.get("security")),
            pagination=pagination,
        )

    def _parameters(self, pointer: Pointer, op: dict[str, Any]) -> tuple[Parameter, ...]:
        path_item = self.spec.data["paths"][pointer[1]]
        merged: dict[tuple[str, str], tuple[Pointer, dict[str, Any]]] = {}
        for owner, raw in (((pointer[0], pointer[1]), path_item.get("parameters")), (pointer, op.get("parameters"))):
            for index, param in enumerate(raw or []):
                param_pointer = (*owner, "parameters", str(index))
                if "$ref" in param:
                    param_pointer, param = self.spec.resolve(param["$ref"])
                merged[param.get("name"), param.get("in")] = (param_pointer, param)
        result = []
        for param_pointer, param in merged.values():
            location = param.get("in")
            if location not in ("path", "query", "header"):
                self.error((*param_pointer, "in"), f"{location} parameters are not supported",
                           "use a path, query or header parameter")
                continue
            wire = str(param.get("name"))
            if "x-specgen-name" in param:
                name = self._explicit_name((*param_pointer, "x-specgen-name"), param["x-specgen-name"], "x-specgen-name")
            else:
                name = self._derived_name((*param_pointer, "name"), wire, "parameter name", "x-specgen-name")
            if name is None:
                continue
            required = bool(param.get("required")) or location == "path"
            schema_pointer = (*param_pointer, "schema")
            result.append(Parameter(
                wire_name=wire,
                name=name,
                location=location,
                type=self.type_of(schema_pointer, param.get("schema", {})),
                required=required,
                description=str(param.get("description", "")).strip(),
                example=param.get("example"),
            ))
        path_order = _PATH_PARAM.findall(pointer[1])
        return tuple(sorted(result, key=lambda p: (
            p.location != "path",
            path_order.index(p.wire_name) if p.wire_name in path_order else 0,
            not p.required,
        )))

    def _check_names(self, pointer: Pointer, parameters: tuple[Parameter, ...], body: Body | None) -> None:
        names = [p.name for p in parameters] + ([body.name] if body else [])
        for name in sorted(set(names)):
            if names.count(name) > 1:
                self.error(pointer, f"two parameters of this operation are both named {name!r} in Python",
                           "set `x-specgen-name` on one of them")
            if name in naming.RESERVED_PARAMETERS:
                self.error(pointer, f"parameter name {name!r} is reserved for per-call options",
                           "set `x-specgen-name` to another name")

    def _body(self, pointer: Pointer, op: dict[str, Any]) -> Body | None:
        body = op.get("requestBody")
        if body is None:
            return None
        body_pointer = (*pointer, "requestBody")
        if "$ref" in body:
            body_pointer, body = self.spec.resolve(body["$ref"])
        media_type, media = _json_media(body.get("content") or {})
        if media is None:
            self.error((*body_pointer, "content"), "request bodies must be JSON (application/json)",
                       "declare an application/json request body")
            return None
        name = "body"
        if "x-specgen-name" in body:
            name = self._explicit_name((*body_pointer, "x-specgen-name"), body["x-specgen-name"], "x-specgen-name") or name
        return Body(
            name=name,
            type=self.type_of((*body_pointer, "content", media_type, "schema"), media.get("schema", {})),
            required=bool(body.get("required")),
            description=str(body.get("description", "")).strip(),
            media_type=media_type,
        )

    def _response(self, pointer: Pointer, op: dict[str, Any]) -> tuple[PyType | None, str]:
        responses = op.get("responses") or {}
        success = sorted(code for code in responses if str(code).startswith("2"))
        if not success:
            return None, ""
        code = success[0]
        response_pointer = (*pointer, "responses", code)
        response = responses[code]
        if "$ref" in response:
            response_pointer, response = self.spec.resolve(response["$ref"])
        description = str(response.get("description", "")).strip()
        content = response.get("content") or {}
        if not content:
            return None, description
        media_type, media = _json_media(content)
        if media is None:
            return PyType("str"), description
        return self.type_of((*response_pointer, "content", media_type, "schema"), media.get("schema", {})), description

    def _errors(self, op: dict[str, Any]) -> tuple[ErrorBody, ...]:
        errors = []
        for code, response in (op.get("responses") or {}).items():
            code = str(code)
            if code[0] not in "45" and code != "default":
                continue
            if "$ref" in response:
                _, response = self.spec.resolve(response["$ref"])
            _, media = _json_media(response.get("content") or {})
            ref = (media or {}).get("schema", {}).get("$ref")
            if isinstance(ref, str) and ref_pointer(ref)[-1] in self.class_names:
                errors.append(ErrorBody(code, self.class_names[ref_pointer(ref)[-1]]))
        return tuple(sorted(errors, key=lambda e: (e.status == "default", e.status)))

    def _pagination(self, pointer: Pointer, op: dict[str, Any], parameters: tuple[Parameter, ...],
                    response: PyType | None) -> Pagination | None:
        config = op.get("x-specgen-pagination")
        if config is None:
            return None
        where = (*pointer, "x-specgen-pagination")
        style = config.get("style") if isinstance(config, dict) else None
        required = {"page": ("page_param", "items"), "cursor": ("cursor_param", "next_cursor", "items")}
        if style not in required:
            self.error(where, f"unknown pagination style {style!r}", "use `style: page` or `style: cursor`")
            return None
        for key in required[style]:
            if not isinstance(config.get(key), str):
                self.error(where, f"pagination style {style!r} needs `{key}`", "see the README's x-specgen-pagination section")
                return None
        param = config[required[style][0]]
        if param not in {p.wire_name for p in parameters if p.location == "query"}:
            self.error(where, f"pagination parameter {param!r} is not a query parameter of this operation",
                       "name one of the operation's query parameters")
            return None
        root = self._response_schema(op)
        item_schema = self._schema_at(where, root, config["items"], expect="array")
        for key in ("next_cursor", "has_more"):
            if isinstance(config.get(key), str):
                self._schema_at(where, root, config[key], expect=None)
        if item_schema is None or response is None:
            return None
        item_pointer, items = item_schema
        return Pagination(
            style=style,
            param=param,
            items=tuple(config["items"].split(".")),
            item_type=self.type_of((*item_pointer, "items"), items.get("items", {})),
            next_cursor=tuple(config.get("next_cursor", "").split(".")) if config.get("next_cursor") else (),
            has_more=tuple(config.get("has_more", "").split(".")) if config.get("has_more") else (),
            start=int(config.get("start", 0)),
        )

    def _response_schema(self, op: dict[str, Any]) -> tuple[Pointer, dict[str, Any]]:
        responses = op.get("responses") or {}
        success = sorted(code for code in responses if str(code).startswith("2"))
        response = responses[success[0]] if success else {}
        _, media = _json_media(response.get("content") or {})
        return (), (media or {}).get("schema", {})

    def _schema_at(self, where: Pointer, root: tuple[Pointer, dict[str, Any]], dotted: str,
                   expect: str | None) -> tuple[Pointer, dict[str, Any]] | None:
        pointer, schema = root
        for part in dotted.split("."):
            pointer, schema = self._deref(pointer, schema)
            properties = schema.get("properties") or {}
            if part not in properties:
                self.error(where, f"the response has no field {dotted!r} (no {part!r})",
                           "give the dotted path of wire names inside the response body")
                return None
            pointer, schema = (*pointer, "properties", part), properties[part]
        pointer, schema = self._deref(pointer, schema)
        if expect and schema.get("type") != expect:
            self.error(where, f"{dotted!r} in the response is not an {expect}", "point `items` at the list of items")
            return None
        return pointer, schema

    def _deref(self, pointer: Pointer, schema: dict[str, Any]) -> tuple[Pointer, dict[str, Any]]:
        while isinstance(schema.get("$ref"), str):
            pointer, schema = self.spec.resolve(schema["$ref"])
        return pointer, schema

    # -- types -----------------------------------------------------------------------------------

    def type_of(self, pointer: Pointer, schema: Any) -> PyType:
        """The Python type for a schema used by a parameter, body or response."""
        if not isinstance(schema, dict) or not schema:
            return PyType("Any", typing=frozenset({"Any"}))
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = ref_pointer(ref)
            if target[:2] == ("components", "schemas") and target[-1] in self.class_names:
                name = self.class_names[target[-1]]
                return PyType(name, models=frozenset({name}))
            return self.type_of(*self.spec.resolve(ref))
        for key in ("anyOf", "oneOf"):
            if key in schema:
                variants = [self.type_of((*pointer, key, str(i)), s) for i, s in enumerate(schema[key])]
                return _union(variants)
        declared = schema.get("type")
        types = declared if isinstance(declared, list) else [declared]
        variants = [self._single_type(pointer, schema, t) for t in types if t != "null"]
        result = _union(variants) if variants else PyType("None")
        return result.optional() if "null" in types else result

    def _single_type(self, pointer: Pointer, schema: dict[str, Any], type_name: str | None) -> PyType:
        if type_name in _PRIMITIVES:
            if "enum" in schema and type_name == "string":
                values = ", ".join(repr(v) for v in schema["enum"] if v is not None)
                return PyType(f"Literal[{values}]", typing=frozenset({"Literal"}))
            return PyType(_PRIMITIVES[type_name])
        if type_name == "array":
            item = self.type_of((*pointer, "items"), schema.get("items", {}))
            return PyType(f"list[{item.expr}]", item.models, item.typing)
        if type_name == "object" or (type_name is None and "properties" in schema):
            if schema.get("properties"):
                self.error(pointer, "inline object schemas with properties are not supported here",
                           "move the schema under components/schemas and reference it with $ref")
                return PyType("Any", typing=frozenset({"Any"}))
            extra = schema.get("additionalProperties")
            value = self.type_of((*pointer, "additionalProperties"), extra) if isinstance(extra, dict) else None
            value = value or PyType("Any", typing=frozenset({"Any"}))
            return PyType(f"dict[str, {value.expr}]", value.models, value.typing)
        return PyType("Any", typing=frozenset({"Any"}))


def _union(variants: list[PyType]) -> PyType:
    exprs = list(dict.fromkeys(v.expr for v in variants))
    if "Any" in exprs:
        return PyType("Any", typing=frozenset({"Any"}))
    return PyType(
        " | ".join(exprs),
        frozenset().union(*(v.models for v in variants)),
        frozenset().union(*(v.typing for v in variants)),
    )


def _json_media(content: dict[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """The JSON media type entry of a content map, if there is one."""
    for media_type in sorted(content):
        if media_type == "application/json" or media_type.endswith("+json"):
            return media_type, content[media_type] or {}
    return "", None
