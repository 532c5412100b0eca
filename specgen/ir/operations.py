"""Paths → operations: method names, parameters, bodies, responses, in Python terms."""

from __future__ import annotations

from typing import Any

from .. import naming, runtime_facts
from ..spec import Pointer
from .auth import security
from .context import Context, prose
from .model import Operation, Parameter, QueryStyle
from .pagination import pagination
from .bodies import body
from .responses import error_bodies, response_type, success_response
from .types import type_of

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
#: A path template's parameters, as the runtime fills them in.
PATH_PARAMETER = runtime_facts.path_parameter()


def operations(ctx: Context) -> list[tuple[Pointer, dict[str, Any]]]:
    """Every operation object with its pointer, in spec order."""
    found: list[tuple[Pointer, dict[str, Any]]] = []
    for path, item in ctx.mapping(ctx.spec.data.get("paths")).items():
        for method in HTTP_METHODS:
            if isinstance(item, dict) and isinstance(item.get(method), dict):
                found.append((("paths", path, method), item[method]))
    return found


def operation(ctx: Context, pointer: Pointer, op: dict[str, Any]) -> Operation | None:
    """The operation as a method, or None (with the problems recorded) when it cannot be one."""
    before = ctx.error_count
    name = _method_name(ctx, pointer, op)
    path, http_method = pointer[1], pointer[2].upper()
    _check_path_template(ctx, pointer, path)
    parameters = _parameters(ctx, pointer, op)
    request_body = body(ctx, pointer, op, {p.name for p in parameters})
    response = success_response(ctx, pointer, op)
    _check_path_parameters(ctx, pointer, path, parameters)
    paging = pagination(ctx, pointer, op, parameters, response)
    retry_marked = op.get("x-specgen-retry-safe", False)
    if not isinstance(retry_marked, bool):
        ctx.error((*pointer, "x-specgen-retry-safe"), "`x-specgen-retry-safe` must be true or false",
                  "write `x-specgen-retry-safe: true` to retry this operation on failure")
    if name is None or ctx.error_count > before:
        return None
    idempotent = http_method in runtime_facts.idempotent_methods()
    operation_id = op.get("operationId")
    return Operation(
        operation_id=operation_id if isinstance(operation_id, str) else name,
        name=name,
        http_method=http_method,
        path=path,
        summary=prose(op.get("summary")),
        description=prose(op.get("description")),
        parameters=parameters,
        body=request_body,
        response=response_type(ctx, response),
        response_description=response.description if response else "",
        errors=error_bodies(ctx, pointer, op),
        retry_safe=idempotent or retry_marked is True,
        marked_retry_safe=retry_marked is True and not idempotent,
        deprecated=op.get("deprecated") is True,
        security=security(ctx, (*pointer, "security"), op.get("security")),
        pagination=paging,
        named_explicitly="x-specgen-method" in op,
    )


def _method_name(ctx: Context, pointer: Pointer, op: dict[str, Any]) -> str | None:
    if "x-specgen-method" in op:
        return ctx.explicit_name((*pointer, "x-specgen-method"), op["x-specgen-method"], "x-specgen-method",
                                 naming.RESOURCE_MODULE_NAMES | naming.SIGNATURE_BUILTINS | set(ctx.class_names.values()),
                                 taken_by="an import or a model of the resource module, or a builtin its signatures use")
    if isinstance(op.get("operationId"), str):  # one that cannot be a name (``58d8bcb7a9e6``): from the path
        return ctx.derived_name((*pointer, "operationId"), op["operationId"], "operationId", "x-specgen-method",
                                naming.SIGNATURE_BUILTINS, fallback=naming.method_from_path(pointer[2], pointer[1]))
    # No name given: one from the method and path, as specgen import would write it.
    return ctx.derived_name(pointer, naming.method_from_path(pointer[2], pointer[1]), "the method and path",
                            "x-specgen-method", naming.SIGNATURE_BUILTINS)


def _check_path_template(ctx: Context, pointer: Pointer, path: str) -> None:
    """A path is text and ``{name}`` parameters; a stray or nested brace is refused."""
    if not path.startswith("/"):
        ctx.error(pointer[:2], f"path {path!r} does not start with '/'", "write paths as /resource/{id}")
    if "{" in PATH_PARAMETER.sub("", path) or "}" in PATH_PARAMETER.sub("", path):
        ctx.error(pointer[:2], f"path {path!r} has an unbalanced or nested brace",
                  "write each path parameter as {name}, with no braces or '/' inside the name")
    if any(c.isspace() or not c.isprintable() for c in path):
        ctx.error(pointer[:2], f"path {path!r} contains whitespace or control characters",
                  "percent-encode them in the path")


def _check_path_parameters(ctx: Context, pointer: Pointer, path: str, parameters: tuple[Parameter, ...]) -> None:
    in_template = PATH_PARAMETER.findall(path)
    declared = [p.wire_name for p in parameters if p.location == "path"]
    for wire in sorted(set(in_template) - set(declared)):
        ctx.error(pointer, f"path parameter {wire!r} of {path!r} is not declared",
                  "add it to `parameters` with `in: path`")
    for wire in sorted(set(declared) - set(in_template)):
        ctx.error(pointer, f"path parameter {wire!r} does not appear in {path!r}",
                  "write it into the path as {" + wire + "}, or make it a query parameter")
    for wire in sorted({w for w in in_template if in_template.count(w) > 1}):
        ctx.error(pointer, f"path parameter {wire!r} appears twice in {path!r}", "use each name once")


def _parameters(ctx: Context, pointer: Pointer, op: dict[str, Any]) -> tuple[Parameter, ...]:
    path_item = ctx.mapping(ctx.mapping(ctx.spec.data.get("paths")).get(pointer[1]))
    merged: dict[tuple[str, str], tuple[Pointer, dict[str, Any]]] = {}
    for owner, raw in (((pointer[0], pointer[1]), path_item.get("parameters")), (pointer, op.get("parameters"))):
        for index, param in enumerate(raw if isinstance(raw, list) else []):
            param_pointer, param = ctx.deref((*owner, "parameters", str(index)), param)
            if isinstance(param, dict):
                merged[str(param.get("name")), str(param.get("in"))] = (param_pointer, param)
    result: list[Parameter] = []
    credentials = _credential_parameters(ctx, op)
    # A wire name that gives no identifier is called after its location, clear of the others.
    derivable = {name for name in (naming.python_name(wire) for wire, _ in merged) if name}
    claimed = _claimed_names(merged)
    for param_pointer, param in merged.values():
        location = param.get("in")
        if location not in ("path", "query", "header", "cookie"):
            ctx.error((*param_pointer, "in"), f"{location} parameters are not supported",
                      "use a path, query, header or cookie parameter")
            continue
        wire = param.get("name")
        if not isinstance(wire, str) or not wire or not wire.isprintable():
            ctx.error((*param_pointer, "name"), f"parameter name {wire!r} is empty or has control characters",
                      "give the parameter its wire name")
            continue
        if _place(location, wire) in credentials:
            ctx.warning(param_pointer, f"{location} parameter {wire!r} is the credential of security scheme "
                        f"{credentials[_place(location, wire)]!r}: the client sends it, so the method does not take it",
                        "pass the credential when building the client; remove the parameter from the operation "
                        "to silence this")
            continue
        if location in ("header", "cookie") and not naming.is_token(wire):
            ctx.error((*param_pointer, "name"), f"{wire!r} is not {'an HTTP header' if location == 'header' else 'a cookie'} name",
                      "use letters, digits and !#$%&'*+-.^_`|~")
            continue
        if location == "cookie" and not _single_value(ctx, param_pointer, param):
            continue
        if "x-specgen-name" in param:
            name = ctx.explicit_name((*param_pointer, "x-specgen-name"), param["x-specgen-name"], "x-specgen-name",
                                     naming.METHOD_BODY_NAMES | set(ctx.class_names.values()),
                                     taken_by="the generated method (an option, a helper or a model it uses)")
        else:
            taken = naming.METHOD_BODY_NAMES | {p.name for p in result} | derivable
            name = ctx.derived_name((*param_pointer, "name"), wire, "parameter name", "x-specgen-name",
                                    naming.METHOD_BODY_NAMES,
                                    fallback=naming.fallback_name(f"{location}_param", taken))
            name = claimed.get((wire, location), name)
        if name is None:
            continue
        style, explode = _query_style(ctx, param_pointer, param) if location == "query" else ("form", True)
        result.append(Parameter(
            wire_name=wire,
            name=name,
            location=location,
            type=type_of(ctx, (*param_pointer, "schema"), param.get("schema", {})),
            required=param.get("required") is True or location == "path",
            description=prose(param.get("description")),
            example=param.get("example"),
            style=style,
            explode=explode,
        ))
    _check_unique(ctx, pointer, [p.name for p in result])
    path_order = PATH_PARAMETER.findall(pointer[1])
    return tuple(sorted(result, key=lambda p: (
        p.location != "path",
        path_order.index(p.wire_name) if p.wire_name in path_order else 0,
        not p.required,
    )))


#: Which of two parameters whose wire names give one Python name keeps it: path, then query, header, cookie.
_LOCATION_RANK = {"path": 0, "query": 1, "header": 2, "cookie": 3}


def _claimed_names(merged: dict[tuple[str, str], tuple[Pointer, dict[str, Any]]]) -> dict[tuple[str, str], str]:
    """The derived names of the parameters that share one with another (``path`` in the path and in
    the query, Kubernetes' proxy operations): the parameter of the first location (path, query,
    header, cookie; then in spec order) keeps it, the others get their location as a suffix
    (``path_query``), then a number; so does one that a parameter's ``x-specgen-name`` took."""
    explicit = {p["x-specgen-name"] for _, p in merged.values() if isinstance(p.get("x-specgen-name"), str)}
    derived = [(key, _derived(key[0])) for key, (_, p) in merged.items() if "x-specgen-name" not in p]
    derived.sort(key=lambda item: _LOCATION_RANK.get(item[0][1], len(_LOCATION_RANK)))
    counts: dict[str | None, int] = {}
    for _, name in derived:
        counts[name] = counts.get(name, 0) + 1
    taken = set(explicit) | naming.METHOD_BODY_NAMES | {name for name, count in counts.items() if name and count == 1}
    claimed: dict[tuple[str, str], str] = {}
    for key, name in derived:
        if name is None or (counts[name] == 1 and name not in explicit):
            continue
        chosen = name if name not in taken else naming.free_name(f"{name.rstrip('_')}_{key[1]}", taken)
        taken.add(chosen)
        claimed[key] = chosen
    return claimed


def _derived(wire: str) -> str | None:
    """The name :meth:`Context.derived_name` gives a parameter's wire name (None: a fallback name)."""
    name = naming.python_name(wire)
    return naming.free_name(name, naming.METHOD_BODY_NAMES) if name else None


def _single_value(ctx: Context, pointer: Pointer, param: dict[str, Any]) -> bool:
    """Whether a cookie parameter holds one value; an array or object is refused, as a located error.

    Its ``style: form`` would join the items with commas, which a cookie value cannot carry
    (RFC 6265 section 4.1.1); each API that takes one encodes it its own way.
    """
    schema = ctx.deref((*pointer, "schema"), param.get("schema"))[1]
    types = schema.get("type") if isinstance(schema, dict) else None
    kind = next((t for t in ("array", "object") if t == types or isinstance(types, list) and t in types), None)
    if kind:
        ctx.error((*pointer, "schema"), f"cookie parameter {param['name']!r} is an {kind}; specgen sends a "
                  "cookie parameter as one value", "make it a string and encode the value as the API documents")
        return False
    return True


def _credential_parameters(ctx: Context, op: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(location, name) → scheme, for the API keys the operation's security may send: a parameter
    declared in the same place under the same name duplicates the credential the client sends.
    (The requirements themselves are checked, with their problems located, in :mod:`.auth`.)"""
    requirements = op["security"] if "security" in op else ctx.spec.data.get("security")
    declared = ctx.mapping(ctx.mapping(ctx.spec.data.get("components")).get("securitySchemes"))
    found: dict[tuple[str, str], str] = {}
    for requirement in requirements if isinstance(requirements, list) else []:
        for key in requirement if isinstance(requirement, dict) else []:
            scheme = declared.get(key)
            if isinstance(scheme, dict) and scheme.get("type") == "apiKey":
                found.setdefault(_place(scheme.get("in"), scheme.get("name")), key)
    return found


def _place(location: Any, name: Any) -> tuple[str, str]:
    """Where a parameter or API key goes; header names are case-insensitive (RFC 9110)."""
    return str(location), str(name).lower() if location == "header" else str(name)


QUERY_STYLES: tuple[QueryStyle, ...] = ("form", "spaceDelimited", "pipeDelimited", "deepObject")


def _query_style(ctx: Context, pointer: Pointer, param: dict[str, Any]) -> tuple[QueryStyle, bool]:
    """The ``style`` and ``explode`` of a query parameter (OpenAPI 3.1 §4.8.12.4). A style the
    runtime cannot write for the parameter's type is a warning, and the parameter is sent the
    default way, ``form`` exploded (``a=1&a=2``, ``k=v&k2=v2``)."""
    style: Any = param.get("style", "form")
    explode = param.get("explode")
    if explode is None:
        explode = style == "form"
    fallback: tuple[QueryStyle, bool] = ("form", True)
    if style not in QUERY_STYLES or not isinstance(explode, bool):
        ctx.warning((*pointer, "style" if "style" in param else "explode"),
                    f"query parameter style {style!r} with explode {explode!r} is not one specgen can send; "
                    "it is sent as style form, exploded", "use style form, spaceDelimited, pipeDelimited or deepObject")
        return fallback
    kind = ctx.deref((*pointer, "schema"), param.get("schema"))[1]
    kind = kind.get("type") if isinstance(kind, dict) else None
    if style == "deepObject" and kind not in ("object", "array", None):
        ctx.warning((*pointer, "style"), "style deepObject is defined for objects (and arrays, as a[]=x) only; "
                    "this parameter is sent as style form, exploded", "use deepObject with an object")
        return fallback
    if style == "deepObject":
        # `a[k]=v` either way: the table leaves unexploded deepObject undefined. OpenAPI defines it
        # for objects; for an array it is `a[]=1&a[]=2`, the bracket convention of the servers that
        # declare it (Stripe's `expand`; Rails, PHP and qs read it).
        return style, True
    if style in ("spaceDelimited", "pipeDelimited") and kind not in ("array", "object", None):
        ctx.warning((*pointer, "style"), f"style {style} is defined for arrays and objects only; "
                    "this parameter is sent as style form, exploded", "remove the style")
        return fallback
    return style, explode


def _check_unique(ctx: Context, pointer: Pointer, names: list[str]) -> None:
    for name in sorted(set(names)):
        if names.count(name) > 1:
            ctx.error(pointer, f"two parameters of this operation are both named {name!r} in Python",
                      "set `x-specgen-name` on one of them")
