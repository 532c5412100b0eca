"""Security schemes → the credentials a client takes, and which operations need which."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .. import naming
from ..spec import Pointer
from .context import Context
from .model import AuthScheme, Security

#: Header names HTTP itself gives meaning to; an API key sent in one of them would break the request.
_FORBIDDEN_HEADERS = frozenset({"host", "content-length", "content-type", "transfer-encoding", "connection"})


def auth(ctx: Context, operations: list[tuple[Pointer, dict[str, Any]]]) -> tuple[tuple[AuthScheme, ...], Security]:
    """The schemes the API uses (in first-use order) and its default security."""
    declared = _declared(ctx)
    default = security(ctx, ("security",), ctx.spec.data.get("security")) or ()
    used = [key for requirement in default for key in requirement]
    for op_pointer, op in operations:
        for requirement in security(ctx, (*op_pointer, "security"), op.get("security")) or ():
            used += requirement
    keys = list(dict.fromkeys(used))
    schemes = [s for s in (_scheme(ctx, key, ctx.mapping(declared.get(key))) for key in keys) if s is not None]
    return tuple(_argument_names(schemes)), default


def _argument_names(schemes: list[AuthScheme]) -> list[AuthScheme]:
    """Constructor arguments: ``api_key``/``token``/``username`` and ``password``; when two schemes
    would take the same one, each is named after its scheme instead. None shadows the constructor's own."""
    args = [arg for scheme in schemes for arg in scheme.args]
    renamed = []
    for scheme in schemes:
        if any(args.count(arg) > 1 for arg in scheme.args):
            prefix = naming.python_name(scheme.key) or "credential"
            scheme = replace(scheme, args=(prefix,) if scheme.kind == "key" else
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


def security(ctx: Context, pointer: Pointer, requirements: Any) -> Security | None:
    """The requirements a security list allows (alternatives, each the schemes sent together), or None
    when absent. Anonymous access (``{}``) is tried last, so a client with credentials sends them."""
    if requirements is None:
        return None
    if not isinstance(requirements, list):
        ctx.error(pointer, "`security` must be a list of requirements", "write `security: [{scheme: []}]`")
        return ()
    declared = _declared(ctx)
    alternatives: list[tuple[str, ...]] = []
    for index, requirement in enumerate(requirements):
        if not isinstance(requirement, dict):
            ctx.error((*pointer, str(index)), "a security requirement must be a mapping", "write `{scheme: []}`")
            continue
        for key in requirement:
            if key not in declared:
                ctx.error((*pointer, str(index), key), f"unknown security scheme {key!r}",
                          "declare it under components/securitySchemes")
        alternative = tuple(requirement)
        if alternative not in alternatives:
            alternatives.append(alternative)
    if all(not alternative for alternative in alternatives):
        return ()
    return tuple(sorted(alternatives, key=lambda alternative: not alternative))


def _scheme(ctx: Context, key: str, scheme: dict[str, Any]) -> AuthScheme | None:
    pointer = ("components", "securitySchemes", key)
    env = scheme.get("x-specgen-env")
    if not isinstance(env, str) or not env:
        ctx.error(pointer, f"security scheme {key!r} has no `x-specgen-env`",
                  "name the environment variable the client reads the secret from")
        return None
    if not _is_env_name(env):
        ctx.error((*pointer, "x-specgen-env"), f"environment variable name {env!r} is not valid",
                  "use letters, digits and underscores, not starting with a digit (e.g. ACME_API_KEY)")
        return None
    scheme_type = scheme.get("type")
    if scheme_type == "apiKey":
        return _api_key(ctx, pointer, key, scheme, env)
    http_scheme = str(scheme.get("scheme", "")).lower()
    if scheme_type == "http" and http_scheme == "basic":
        return AuthScheme(key, "basic", "header", "Authorization", "Basic ", env, ("username", "password"), "http")
    if scheme_type in ("http", "oauth2", "openIdConnect"):
        if scheme_type == "http" and http_scheme != "bearer":
            ctx.error((*pointer, "scheme"), f"HTTP auth scheme {scheme.get('scheme')!r} is not supported",
                      "use `bearer` or `basic`")
            return None
        return AuthScheme(key, "key", "header", "Authorization", "Bearer ", env, ("token",), scheme_type)
    ctx.error((*pointer, "type"), f"security scheme type {scheme_type!r} is not supported",
              "use apiKey, http bearer or basic, oauth2 or openIdConnect")
    return None


def _api_key(ctx: Context, pointer: Pointer, key: str, scheme: dict[str, Any], env: str) -> AuthScheme | None:
    """An API key in a header, a query parameter or a cookie, under a name that can carry it there."""
    location, name = scheme.get("in"), scheme.get("name")
    if location not in ("header", "query", "cookie"):
        ctx.error((*pointer, "in"), f"API keys in {location!r} are not supported",
                  "send the key in a `header`, the `query` or a `cookie`")
        return None
    if not isinstance(name, str) or not _fits(name, location):
        hint = ("use a non-empty name of printable characters (e.g. api_key)" if location == "query" else
                f"use an HTTP {location} name: letters, digits and !#$%&'*+-.^_`|~ "
                f"(e.g. {'X-API-Key' if location == 'header' else 'session'})")
        place = "query parameter" if location == "query" else location
        ctx.error((*pointer, "name"), f"{name!r} is not a {place} name an API key can be sent in", hint)
        return None
    return AuthScheme(key, "key", location, name, "", env, ("api_key",), "apiKey")


def _fits(name: str, location: str) -> bool:
    """Whether ``name`` can name where an API key goes: a header or cookie name is a token (RFC 9110,
    RFC 6265 section 4.1.1), and not a header HTTP itself uses; a query parameter name, percent-encoded
    when sent, only has to be printable text."""
    if location == "query":
        return name != "" and name.isprintable()
    return naming.is_token(name) and (location == "cookie" or name.lower() not in _FORBIDDEN_HEADERS)


def _is_env_name(text: str) -> bool:
    """An environment variable name: ASCII letters, digits and ``_``, not starting with a digit."""
    return bool(text) and not text[0].isdigit() and all(c.isascii() and (c.isalnum() or c == "_") for c in text)
