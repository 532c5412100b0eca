"""Security schemes → the credentials a client takes, and which operations need which."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .. import naming
from ..spec import Pointer
from .context import Context
from .model import AuthScheme

#: Header names HTTP itself gives meaning to; an API key sent in one of them would break the request.
_FORBIDDEN_HEADERS = frozenset({"host", "content-length", "content-type", "transfer-encoding", "connection"})


def auth(ctx: Context, operations: list[tuple[Pointer, dict[str, Any]]]) -> tuple[tuple[AuthScheme, ...], tuple[str, ...]]:
    """The schemes the API uses (in first-use order) and its default security."""
    declared = _declared(ctx)
    default = security(ctx, ("security",), ctx.spec.data.get("security")) or ()
    used = list(default)
    for op_pointer, op in operations:
        for key in security(ctx, (*op_pointer, "security"), op.get("security")) or ():
            if key not in used:
                used.append(key)
    schemes = [s for s in (_scheme(ctx, key, ctx.mapping(declared.get(key))) for key in used) if s is not None]
    return tuple(_argument_names(schemes)), default


def _argument_names(schemes: list[AuthScheme]) -> list[AuthScheme]:
    """Constructor arguments: ``api_key``/``token``/``username`` and ``password``; when two schemes
    would take the same one, each is named after its scheme instead. None shadows the constructor's own."""
    args = [arg for scheme in schemes for arg in scheme.args]
    renamed = []
    for scheme in schemes:
        if any(args.count(arg) > 1 for arg in scheme.args):
            prefix = naming.python_name(scheme.key) or "credential"
            scheme = replace(scheme, args=(prefix,) if scheme.kind == "header" else
                             (f"{prefix}_username", f"{prefix}_password"))
        renamed.append(scheme)
    taken: set[str] = set(naming.CLIENT_INIT_NAMES)
    result = []
    for scheme in renamed:
        names = []
        for arg in scheme.args:
            name = naming.free_name(arg, taken)
            taken.add(name)
            names.append(name)
        result.append(replace(scheme, args=tuple(names)))
    return result


def _declared(ctx: Context) -> dict[str, Any]:
    return ctx.mapping(ctx.mapping(ctx.spec.data.get("components")).get("securitySchemes"))


def security(ctx: Context, pointer: Pointer, requirements: Any) -> tuple[str, ...] | None:
    """The scheme names a security requirement list allows (alternatives), or None when absent."""
    if requirements is None:
        return None
    if not isinstance(requirements, list):
        ctx.error(pointer, "`security` must be a list of requirements", "write `security: [{scheme: []}]`")
        return ()
    names: list[str] = []
    declared = _declared(ctx)
    for index, requirement in enumerate(requirements):
        if not isinstance(requirement, dict):
            ctx.error((*pointer, str(index)), "a security requirement must be a mapping", "write `{scheme: []}`")
            continue
        if len(requirement) > 1:
            ctx.error((*pointer, str(index)), "a security requirement that combines several schemes is not supported",
                      "list the schemes as alternatives (one per requirement)")
        for key in requirement:
            if key not in declared:
                ctx.error((*pointer, str(index), key), f"unknown security scheme {key!r}",
                          "declare it under components/securitySchemes")
            elif key not in names:
                names.append(key)
    return tuple(names)


def _scheme(ctx: Context, key: str, scheme: dict[str, Any]) -> AuthScheme | None:
    pointer = ("components", "securitySchemes", key)
    env = scheme.get("x-specgen-env")
    if not isinstance(env, str) or not env:
        ctx.error(pointer, f"security scheme {key!r} has no `x-specgen-env`",
                  "name the environment variable the client reads the secret from")
        return None
    if not _is_token(env, extra="") or env[0].isdigit():
        ctx.error((*pointer, "x-specgen-env"), f"environment variable name {env!r} is not valid",
                  "use letters, digits and underscores, not starting with a digit (e.g. ACME_API_KEY)")
        return None
    scheme_type = scheme.get("type")
    if scheme_type == "apiKey":
        header = scheme.get("name")
        if scheme.get("in") != "header":
            ctx.error((*pointer, "in"), f"API keys in {scheme.get('in')!r} are not supported",
                      "specgen sends API keys in a header (`in: header`)")
            return None
        if not isinstance(header, str) or not _is_token(header) or header.lower() in _FORBIDDEN_HEADERS:
            ctx.error((*pointer, "name"), f"{header!r} is not a header name an API key can be sent in",
                      "use an HTTP header name: letters, digits and !#$%&'*+-.^_`|~ (e.g. X-API-Key)")
            return None
        return AuthScheme(key, "header", header, "", env, ("api_key",))
    http_scheme = str(scheme.get("scheme", "")).lower()
    if scheme_type == "http" and http_scheme == "basic":
        return AuthScheme(key, "basic", "Authorization", "Basic ", env, ("username", "password"))
    if scheme_type in ("http", "oauth2", "openIdConnect"):
        if scheme_type == "http" and http_scheme != "bearer":
            ctx.error((*pointer, "scheme"), f"HTTP auth scheme {scheme.get('scheme')!r} is not supported",
                      "use `bearer` or `basic`")
            return None
        return AuthScheme(key, "header", "Authorization", "Bearer ", env, ("token",))
    ctx.error((*pointer, "type"), f"security scheme type {scheme_type!r} is not supported",
              "use apiKey (in: header), http bearer or http basic")
    return None


def _is_token(text: str, extra: str = "!#$%&'*+-.^`|~") -> bool:
    """An RFC 9110 token (a header name) when ``extra`` is its punctuation; with ``extra=""``, an
    environment variable name: ASCII letters, digits and ``_``."""
    return bool(text) and all(c.isascii() and (c.isalnum() or c == "_" or c in extra) for c in text)
