"""A call of every operation of every spec in ``specs/``, and the request its spec documents, derived.

Nothing here is written per provider: for each operation of each spec, :func:`calls` builds the
keyword arguments of the generated method (a value for every parameter, and a body) from the
operation's schemas, and the request the spec says the client must send for them: method, raw
path (server base path and percent-encoded path parameters), query pairs, headers, credential and
JSON body. It also builds a response body valid for the operation's success schema. A spec added
to ``specs/`` is covered by the tests that use this module with no test edits.

Values are synthesised from each schema: ``const``, then the first ``enum`` member, then a value of
the schema's type that meets its ``minimum``/``minLength``/``minItems``/``format``; objects get
their required properties only. The Python names of methods and arguments come from specgen's IR
(the golden record and ``test_requests``' table pin those); the wire side comes from the spec.
"""

from __future__ import annotations

import base64
import functools
import importlib
import re
import sys
import typing
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlsplit

import pydantic

from specgen import pipeline
from specgen.spec import ref_pointer
from specgen.ir import model as ir

from conftest import SPECS

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
NO_BODY: Any = object()  # the request carries no body
#: A credential value per constructor argument: printable, distinct, and easy to spot in a request.
CREDENTIAL = "test-{}-secret"


class Unsynthesisable(Exception):
    """A schema no finite value satisfies (a required property that refers back to itself)."""


@dataclass(frozen=True)
class Provider:
    """A generated package and how to build its clients with test credentials."""

    package: str
    client: str
    base_path: str  # the path of the first server URL ("" without a server)
    credentials: dict[str, str]
    api: ir.Api = field(repr=False, compare=False)
    spec: dict[str, Any] = field(repr=False, compare=False)


@dataclass
class Call:
    """One operation: the method to call with what, and what the spec says goes on the wire."""

    provider: Provider
    resource: str
    method: str
    kwargs: dict[str, Any]  # plain values; a JSON body is ``body_json``, built into its model by the test
    body_arg: str | None
    body_json: Any
    body_schema: dict[str, Any] | None
    http_method: str
    template: str
    path: str  # raw, as on the wire
    query: list[tuple[str, str]]  # credentials sent in the query included
    headers: dict[str, str]
    auth: dict[str, str]  # the credential headers of the first security requirement, and the Cookie header
    response_status: int
    response_json: Any  # NO_BODY when the success response has no JSON body
    returns: str  # the IR's return type expression
    documented: tuple[str, ...] = ()  # the response codes the operation documents ("200", "4XX", "default")
    operation: ir.Operation | None = field(default=None, repr=False)  # the IR's, for the names it decided

    @property
    def documents_success(self) -> bool:
        return any(code.startswith("2") for code in self.documented)

    @property
    def id(self) -> str:
        return f"{self.provider.package}.{self.resource}.{self.method}"


@functools.cache
def providers() -> dict[str, Provider]:
    """Every spec's package, keyed by package name."""
    found = {}
    for path in pipeline.spec_files(SPECS):
        checked, api = pipeline.build_ir(path)
        base_path = urlsplit(api.base_url).path.rstrip("/") if api.base_url else ""
        credentials = {arg: CREDENTIAL.format(arg) for arg in api.auth_args}
        found[api.package] = Provider(api.package, api.client_class, base_path, credentials, api, checked.data)
    return found


@functools.cache
def calls() -> tuple[Call, ...]:
    """A call of every operation of every spec whose schemas allow one (see :func:`unsynthesisable`)."""
    found = []
    for provider in providers().values():
        for resource in provider.api.resources:
            for op in resource.operations:
                try:
                    found.append(_call(provider, resource, op))
                except Unsynthesisable as exc:
                    _UNSYNTHESISABLE[f"{provider.package}.{resource.attribute}.{op.name}"] = str(exc)
    return tuple(found)


_UNSYNTHESISABLE: dict[str, str] = {}


def unsynthesisable() -> dict[str, str]:
    """The operations no call could be built for, and why (a test fails while there are any)."""
    calls()
    return dict(_UNSYNTHESISABLE)


def spec_operations() -> set[tuple[str, str, str]]:
    """(package, HTTP method, path template) of every operation in specs/, read from the spec files."""
    return {(p.package, method.upper(), template) for p in providers().values()
            for template, item in p.spec.get("paths", {}).items() for method in item if method in HTTP_METHODS}


def _call(provider: Provider, resource: ir.Resource, op: ir.Operation) -> Call:
    spec = provider.spec
    operation = spec["paths"][op.path][op.http_method.lower()]
    declared = {(p["name"], p["in"]): p for p in _parameters(spec, op.path, op.http_method.lower())}
    kwargs: dict[str, Any] = {}
    path = op.path
    query: list[tuple[str, str]] = []
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for parameter in op.parameters:
        schema = declared[parameter.wire_name, parameter.location].get("schema", {})
        value = synthesise(spec, schema, text=_TEXT_SAFE)
        kwargs[parameter.name] = value
        if parameter.location == "path":
            path = path.replace("{" + parameter.wire_name + "}", quote(_wire(value), safe=""))
        elif parameter.location == "query":
            values = value if isinstance(value, list) else [value]
            query.extend((parameter.wire_name, _wire(v)) for v in values)
        elif parameter.location == "cookie":
            cookies.append(f"{parameter.wire_name}={_wire(value)}")
        else:
            headers[parameter.wire_name] = _wire(value)
    body_json, body_schema = NO_BODY, None
    if op.body is not None:
        request_body = resolve(spec, operation["requestBody"])
        body_schema = resolve(spec, request_body["content"][op.body.media_type]).get("schema", {})
        body_json = synthesise(spec, body_schema)
    status, response_json = _response(spec, operation)
    auth_headers, auth_query, auth_cookies = _auth(provider, op)
    if cookies or auth_cookies:  # the call's cookies, then the credential's, in one header
        auth_headers["Cookie"] = "; ".join(cookies + auth_cookies)
    return Call(provider, resource.attribute, op.name, kwargs, op.body.name if op.body else None, body_json,
                body_schema, op.http_method, op.path, provider.base_path + path, sorted(query + auth_query),
                headers, auth_headers, status, response_json, str(op.return_type),
                tuple(sorted(str(code) for code in operation.get("responses", {}))), op)


def _parameters(spec: dict[str, Any], template: str, method: str) -> list[dict[str, Any]]:
    """The operation's parameters, path-level ones included, references resolved."""
    item = spec["paths"][template]
    merged = {}
    for parameter in (*item.get("parameters", []), *item[method].get("parameters", [])):
        parameter = resolve(spec, parameter)
        merged[parameter["name"], parameter["in"]] = parameter
    return list(merged.values())


def _response(spec: dict[str, Any], operation: dict[str, Any]) -> tuple[int, Any]:
    """The lowest documented 2xx status, and a JSON body valid for its schema (or NO_BODY)."""
    codes = sorted(str(code) for code in operation.get("responses", {}) if str(code).startswith("2"))
    if not codes:
        return 200, NO_BODY
    response = resolve(spec, operation["responses"][codes[0]])
    status = int(codes[0].replace("X", "0"))
    for media_type, media in (response.get("content") or {}).items():
        if media_type == "application/json" or media_type.endswith("+json"):
            return status, synthesise(spec, media.get("schema", {}))
    return status, NO_BODY


def security_of(call: Call) -> ir.Security:
    """The security requirements of the call's operation (the spec's default when it sets none)."""
    assert call.operation is not None
    security = call.operation.security
    return security if security is not None else call.provider.api.default_security


def _auth(provider: Provider, op: ir.Operation) -> tuple[dict[str, str], list[tuple[str, str]], list[str]]:
    """The credential headers, query pairs and cookies the client must send for the operation:
    those of its first security requirement (every scheme of it, when it combines several)."""
    security = op.security if op.security is not None else provider.api.default_security
    headers: dict[str, str] = {}
    query: list[tuple[str, str]] = []
    cookies: list[str] = []
    for key in (security[0] if security else ()):
        for location, name, value in credentials_sent(provider, key):
            if location == "query":
                query.append((name, value))
            elif location == "cookie":
                cookies.append(f"{name}={value}")
            else:
                headers[name] = value
    return headers, query, cookies


def credentials_sent(provider: Provider, key: str) -> list[tuple[str, str, str]]:
    """(location, name, value) of the test credential of the spec's security scheme ``key``."""
    scheme = next(s for s in provider.api.auth if s.key == key)
    declared = provider.spec["components"]["securitySchemes"][key]
    secrets = [provider.credentials[arg] for arg in scheme.args]
    if declared["type"] == "apiKey":
        return [(declared["in"], declared["name"], secrets[0])]
    if declared.get("scheme", "").lower() == "basic":
        return [("header", "Authorization", "Basic " + base64.b64encode(":".join(secrets).encode()).decode())]
    return [("header", "Authorization", f"Bearer {secrets[0]}")]


def _wire(value: Any) -> str:
    """A scalar as it goes into a URL or header: JSON's spelling of booleans, decimal numbers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- calling the generated package ---------------------------------------------------------------


def client_class(package: str, mode: str) -> type[Any]:
    """The sync or async client class of a generated package."""
    info = providers()[package]
    return getattr(importlib.import_module(info.package), info.client if mode == "sync" else "Async" + info.client)


def method_hints(call: Call) -> dict[str, Any]:
    """The resolved annotations of the generated method the call makes."""
    resource = getattr(client_class(call.provider.package, "sync")(base_url="http://x", **call.provider.credentials),
                       call.resource)
    method = getattr(type(resource), call.method)
    return typing.get_type_hints(method, vars(sys.modules[type(resource).__module__]))


def typed_argument(call: Call, value: Any) -> Any:
    """``value`` as the generated method's body argument expects it (a model, a list of models...)."""
    assert call.body_arg is not None
    return pydantic.TypeAdapter(method_hints(call)[call.body_arg]).validate_python(value)


def returns_documented_type(call: Call, result: Any) -> bool:
    """The result strictly has the method's declared return type (a model class: an instance of it)."""
    declared = method_hints(call)["return"]
    if isinstance(declared, type) and issubclass(declared, pydantic.BaseModel):
        return isinstance(result, declared)
    pydantic.TypeAdapter(declared).validate_python(result, strict=True)
    return True


# -- values from schemas --------------------------------------------------------------------------

#: Strings in paths, queries and headers: letters and digits only, so the wire form is exact.
_TEXT_SAFE = "abc123"
_FORMATS = {"date-time": "2024-01-02T03:04:05Z", "date": "2024-01-02", "time": "03:04:05",
            "uuid": "0b7e8f5c-2d4a-4e7b-9c1d-3f6a5b8c9d0e", "email": "someone@example.com",
            "uri": "https://example.com/x", "url": "https://example.com/x", "hostname": "example.com",
            "ipv4": "192.0.2.1", "ipv6": "2001:db8::1", "byte": "aGVsbG8="}


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """``node`` with a local ``$ref`` followed (JSON pointer into the spec), repeatedly."""
    for _ in range(32):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        target: Any = spec
        for part in ref_pointer(node["$ref"]):
            target = target[int(part)] if isinstance(target, list) else target[part]
        node = target
    raise Unsynthesisable("a $ref chain that does not end")


def synthesise(spec: dict[str, Any], schema: Any, *, text: str = "text", depth: int = 0) -> Any:
    """A JSON value valid for ``schema``: deterministic, minimal (required properties only)."""
    if depth > 24:
        raise Unsynthesisable("schema recursion through required properties")
    schema = resolve(spec, schema)
    if not isinstance(schema, dict):
        return text
    if "const" in schema:
        return schema["const"]
    enum = [v for v in schema.get("enum", []) if v is not None]
    if enum:
        return enum[0]
    for key in ("oneOf", "anyOf"):
        members = [m for m in schema.get(key, []) if resolve(spec, m).get("type") != "null"]
        if members:
            return synthesise(spec, members[0], text=text, depth=depth + 1)
    if schema.get("allOf"):
        merged: dict[str, Any] = {}
        for member in schema["allOf"]:
            value = synthesise(spec, member, text=text, depth=depth + 1)
            if not isinstance(value, dict):
                return value
            merged.update(value)
        own = {k: v for k, v in schema.items() if k != "allOf"}
        return {**merged, **(synthesise(spec, own, text=text, depth=depth + 1) if own.get("properties") else {})}
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind is None:
        kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
    if kind == "null":
        return None
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        return _number(schema, integer=kind == "integer")
    if kind == "array":
        count = max(int(schema.get("minItems", 1)), 1)
        item = synthesise(spec, schema.get("items", {}), text=text, depth=depth + 1)
        return [item] * count if not schema.get("uniqueItems") or count == 1 else [item]
    if kind == "object":
        properties = schema.get("properties") or {}
        return {name: synthesise(spec, properties.get(name, {}), text=text, depth=depth + 1)
                for name in schema.get("required", []) if name in properties or not properties}
    return _string(schema, text)


def _number(schema: dict[str, Any], *, integer: bool) -> int | float:
    value: float = 1
    if isinstance(schema.get("minimum"), (int, float)):
        value = schema["minimum"]
    if isinstance(schema.get("exclusiveMinimum"), (int, float)):
        value = schema["exclusiveMinimum"] + 1
    if isinstance(schema.get("maximum"), (int, float)):
        value = min(value, schema["maximum"])
    if isinstance(schema.get("multipleOf"), (int, float)) and schema["multipleOf"] > 0:
        value = schema["multipleOf"] * max(1, round(value / schema["multipleOf"]))
    return int(value) if integer else float(value)


def _string(schema: dict[str, Any], text: str) -> str:
    if "pattern" in schema and isinstance(schema.get("example"), str):
        return schema["example"]  # a value the spec's author says matches its pattern
    formatted = _FORMATS.get(str(schema.get("format")))
    if formatted is not None:
        return formatted
    minimum, maximum = int(schema.get("minLength", 1)), schema.get("maxLength")
    value = (text * (minimum // len(text) + 1))[:max(minimum, len(text))]
    return value[:maximum] if isinstance(maximum, int) else value


def json_schema(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` as a JSON Schema 2020-12 document whose ``#/components/...`` references resolve."""
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "allOf": [schema],
            "components": spec.get("components", {})}
