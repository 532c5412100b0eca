"""The dataclasses templates read: the API already in Python names, types and imports."""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from ..diagnostics import Diagnostic
from ..text import Code

Location = Literal["path", "query", "header", "cookie"]
QueryStyle = Literal["form", "spaceDelimited", "pipeDelimited", "deepObject"]
BodyEncoding = Literal["json", "form", "multipart", "text", "binary"]
#: Security requirements: alternatives, each the scheme keys whose credentials are all sent together
#: (``(("api_key", "app_id"), ("token",))``); an empty requirement (anonymous access) comes last.
Security = tuple[tuple[str, ...], ...]


def needs_credentials(security: Security) -> bool:
    """Whether a call under these requirements cannot be made without credentials."""
    return bool(security) and all(security)


@dataclass(frozen=True)
class PyType:
    """A Python type expression and what it needs imported."""

    expr: Code
    models: frozenset[str] = frozenset()
    typing: frozenset[str] = frozenset()

    def optional(self) -> PyType:
        if self.expr.endswith("| None") or self.expr in ("Any", "None"):
            return self
        return PyType(Code(f"{self.expr} | None"), self.models, self.typing)

    def qualified(self, shadowed: frozenset[str]) -> PyType:
        """The same type with the builtins in ``shadowed`` written ``builtins.<name>``.

        A method called ``list`` hides the builtin ``list`` from the annotations after it in its
        class; names inside string literals (``Literal["list"]``) are left alone.
        """
        if not shadowed:
            return self
        tokens = list(tokenize.generate_tokens(io.StringIO(self.expr).readline))
        columns = [
            token.start[1] for before, token in zip([None, *tokens], tokens)
            if token.type == tokenize.NAME and token.string in shadowed
            and (before is None or before.string != ".")
        ]
        expr = str(self.expr)
        for column in reversed(columns):
            expr = f"{expr[:column]}builtins.{expr[column:]}"
        return replace(self, expr=Code(expr))

    @property
    def is_class(self) -> bool:
        """Whether the expression is a class (``Run``, ``list[Run]``, ``str``), which mypy accepts
        where ``type[T]`` is expected; a union, a ``Literal``, ``Any`` or ``None`` is not."""
        node = ast.parse(self.expr, mode="eval").body
        if isinstance(node, ast.Subscript):
            node = node.value
        return isinstance(node, (ast.Name, ast.Attribute)) and ast.unparse(node) not in ("Any", "None", "Literal")

    @property
    def type_form(self) -> Code:
        """The type as an argument (``cast_to=``, a paginator's item type): the expression if it is a
        class, else wrapped in the runtime's ``TypeForm[...]``, which mypy reads the type from."""
        return self.expr if self.is_class else Code(f"TypeForm[{self.expr}]")

    def names(self) -> set[str]:
        """Every bare name the expression uses (``list``, ``Run``, ``Literal``)."""
        return {
            t.string for t in tokenize.generate_tokens(io.StringIO(self.expr).readline)
            if t.type == tokenize.NAME
        }


ANY = PyType(Code("Any"), typing=frozenset({"Any"}))


@dataclass(frozen=True)
class Parameter:
    wire_name: str
    name: str
    location: Location
    type: PyType
    required: bool
    description: str
    example: Any = None
    #: How a query parameter is written (OpenAPI ``style`` and ``explode``; the runtime's default
    #: is ``form`` exploded, so a method passes its parameters' styles only when one is another).
    style: QueryStyle = "form"
    explode: bool = True


@dataclass(frozen=True)
class Body:
    name: str
    type: PyType
    required: bool
    description: str
    media_type: str
    encoding: BodyEncoding = "json"

    @property
    def wrapper(self) -> str | None:
        """The runtime class that sends a non-JSON body (``FormBody``, ...); None for JSON."""
        return {"json": None, "form": "FormBody", "multipart": "MultipartBody"}.get(self.encoding, "RawBody")


@dataclass(frozen=True)
class ErrorBody:
    """A documented error response whose body the client parses into ``model``."""

    status: str  # "400", "4XX" or "default"
    model: str


@dataclass(frozen=True)
class Pagination:
    style: Literal["page", "cursor"]
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
    retry_safe: bool  # retried on failure: an idempotent method, or marked x-specgen-retry-safe
    marked_retry_safe: bool  # the runtime must be told (its idempotent methods are retried anyway)
    deprecated: bool
    security: Security | None  # None: the client's default
    pagination: Pagination | None
    named_explicitly: bool = False  # by x-specgen-method (a clash is then refused, not renamed)

    @property
    def path_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "path")

    @property
    def query_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "query")

    @property
    def query_styles(self) -> dict[str, tuple[str, bool]]:
        """``style`` and ``explode`` of the query parameters not written the default way (form, exploded)."""
        return {p.wire_name: (p.style, p.explode) for p in self.query_parameters if (p.style, p.explode) != ("form", True)}

    @property
    def header_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "header")

    @property
    def cookie_parameters(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.location == "cookie")

    @property
    def return_type(self) -> Code:
        return self.response.expr if self.response else Code("None")

    @property
    def returns_bytes(self) -> bool:
        """A binary body, read whole by the method: its docstring says how to stream it instead."""
        return self.return_type == "bytes"

    @property
    def cast_to(self) -> Code:
        return self.response.type_form if self.response else Code("type(None)")

    @property
    def iterator_name(self) -> str:
        return iterator_name(self.name)

    @property
    def pages_constant(self) -> str:
        return f"{self.name.upper()}_PAGES"

    def types(self) -> Iterator[PyType]:
        yield from (p.type for p in self.parameters)
        if self.body:
            yield self.body.type
        if self.response:
            yield self.response
        if self.pagination:
            yield self.pagination.item_type


def iterator_name(method: str) -> str:
    """The paginator method next to a paginated ``method``."""
    return f"iter_{method}"


@dataclass(frozen=True)
class Resource:
    attribute: str
    class_name: str
    async_class_name: str
    module: str
    operations: tuple[Operation, ...]
    shadowed_builtins: frozenset[str] = frozenset()  # builtins its annotations write as builtins.<name>

    @property
    def model_imports(self) -> list[str]:
        names: set[str] = {e.model for op in self.operations for e in op.errors}
        for op in self.operations:
            for t in op.types():
                names |= t.models
        return sorted(names)

    @property
    def typing_imports(self) -> list[str]:
        return sorted({name for op in self.operations for t in op.types() for name in t.typing})

    @property
    def runtime_imports(self) -> list[str]:
        """The runtime names its methods use besides what every resource imports: body wrappers, and
        ``TypeForm`` for a response or page item type that is no class."""
        names = {op.body.wrapper for op in self.operations if op.body and op.body.wrapper}
        forms = [op.response for op in self.operations] + [op.pagination.item_type for op in self.operations
                                                            if op.pagination]
        if any(t is not None and not t.is_class for t in forms):
            names.add("TypeForm")
        return sorted(names)

    @property
    def paginates(self) -> bool:
        return any(op.pagination for op in self.operations)


@dataclass(frozen=True)
class AuthScheme:
    key: str
    kind: Literal["key", "basic"]  # key: an API key or a bearer token, sent as it is after `prefix`
    location: Literal["header", "query", "cookie"]  # where it goes: `name` is a header, parameter or cookie
    name: str
    prefix: str
    env: str
    args: tuple[str, ...]
    scheme_type: Literal["apiKey", "http", "oauth2", "openIdConnect"]  # as declared, for the docstring


@dataclass(frozen=True)
class Server:
    url: str
    description: str


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
    default_security: Security
    resources: tuple[Resource, ...]
    class_names: dict[str, str] = field(hash=False)
    warnings: tuple[Diagnostic, ...] = ()  # problems the client works around (see Context.warning)
    #: Every server of the spec, its variables at their defaults; the first is ``base_url``.
    servers: tuple[Server, ...] = ()

    @property
    def server_urls(self) -> tuple[str, ...]:
        return tuple(server.url for server in self.servers)

    @property
    def async_client_class(self) -> str:
        return f"Async{self.client_class}"

    @property
    def credentials_required(self) -> bool:
        """Whether every operation needs credentials (then a client without any fails when built)."""
        return all(
            needs_credentials(op.security if op.security is not None else self.default_security)
            for resource in self.resources for op in resource.operations
        )

    @property
    def auth_args(self) -> list[str]:
        return [arg for scheme in self.auth for arg in scheme.args]
