"""The intermediate representation: the API as the templates need it, with Python names, types and imports.

``build(spec, spec_file)`` is the only place that reads OpenAPI structure for the client; templates
see only the dataclasses in :mod:`.model`. One module per concern: :mod:`.context` (the accumulator
of located problems), :mod:`.types`, :mod:`.auth`, :mod:`.operations`, :mod:`.responses`,
:mod:`.pagination` and :mod:`.resources` (grouping and the names checks).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from .. import naming
from ..diagnostics import Location, SpecError
from ..project import PackageOptions
from ..spec import Pointer, Spec
from .auth import auth
from .context import Context, prose
from .model import Api, AuthScheme, Body, ErrorBody, Operation, Pagination, Parameter, PyType, Resource, Server
from .operations import operations
from .resources import resources

__all__ = ["Api", "AuthScheme", "Body", "ErrorBody", "Operation", "Pagination", "Parameter", "PyType",
           "Resource", "Server", "build"]


def build(spec: Spec, spec_file: str, options: PackageOptions = PackageOptions()) -> Api:
    """The IR of ``spec``; raises :class:`SpecError` with every problem found. ``options``: how the
    user's project names the package (``[tool.specgen]`` in its pyproject.toml)."""
    ctx = Context(spec)
    ctx.class_names = _class_names(ctx)
    info = ctx.mapping(spec.data.get("info"))
    package = _package(ctx, info, options)
    built_resources = resources(ctx)
    client = ctx.explicit_name(("info", "x-specgen-client"), info.get("x-specgen-client"), "x-specgen-client",
                               _client_reserved(ctx, built_resources),
                               taken_by="the package's own modules (an import, an error class or a resource class)",
                               ) if _required(ctx, info, "x-specgen-client", "<ClientClassName>") else None
    scheme_list, default_security = auth(ctx, operations(ctx))
    servers = _servers(ctx)
    api = Api(
        package=package or "",
        client_class=client or "",
        title=prose(info.get("title")),
        description=prose(info.get("description")),
        version=prose(info.get("version")),
        spec_file=spec_file,
        base_url=servers[0].url if servers else None,
        auth=scheme_list,
        default_security=default_security,
        resources=built_resources,
        class_names=ctx.class_names,
        servers=servers,
    )
    if any(not p.is_warning for p in ctx.problems):
        raise SpecError(ctx.problems)
    return dataclasses.replace(api, warnings=tuple(ctx.problems))


def _package(ctx: Context, info: dict[str, Any], options: PackageOptions) -> str | None:
    """The package's name, by one rule whoever wrote it: the project's ``package`` for this provider
    as written, else the project's ``package-prefix`` + ``info.x-specgen-package``. It must be a
    Python identifier (no keyword, no leading ``_``), name a file (at most MAX_MODULE_NAME
    characters) and shadow no module; a problem is reported where the deciding part is written."""
    where: Pointer | Location
    if options.package is not None and options.package_at is not None:
        where = options.package_at
        name = ctx.explicit_name(where, options.package, "package", module=True)
    elif not _required(ctx, info, "x-specgen-package", "<python_package_name>"):
        return None
    else:
        where = ("info", "x-specgen-package")
        name = ctx.explicit_name(where, info.get("x-specgen-package"), "x-specgen-package", module=True)
        if name is not None and options.prefix and options.prefix_at is not None:
            where = options.prefix_at
            name = ctx.explicit_name(where, options.prefix + name, f"package name from package-prefix {options.prefix!r}",
                                     module=True)
    if name in naming.RESERVED_PACKAGES:
        ctx.error(where, f"package name {name!r} would shadow the module of that name "
                  "(standard library or a dependency) wherever the package is imported",
                  "choose a distinctive package name, e.g. acme_client")
    return name


def _required(ctx: Context, info: dict[str, Any], key: str, example: str) -> bool:
    """Whether ``info`` has ``key`` (one specgen needs); if not, say so with what to write."""
    if info.get(key) is not None:
        return True
    ctx.error(("info",), f"info has no {key}", f"add info.{key}: {example}")
    return False


def _client_reserved(ctx: Context, built: tuple[Resource, ...]) -> frozenset[str]:
    """Names the client class (and ``Async`` + it) may not take."""
    taken = naming.RESERVED_CLIENT_CLASSES | {r.class_name for r in built} | {r.async_class_name for r in built}
    return taken | {name[len("Async"):] for name in taken if name.startswith("Async")}


def _class_names(ctx: Context) -> dict[str, str]:
    """Class name of every component schema: PascalCase of its key, made unique deterministically.

    Keys are taken in sorted order; a name that is reserved or already taken gets a ``Schema``
    suffix (then a number), so ``Pages`` becomes ``PagesSchema`` and ``foo_bar`` next to
    ``FooBar`` becomes ``FooBarSchema``.
    """
    schemas = ctx.mapping(ctx.mapping(ctx.spec.data.get("components")).get("schemas"))
    names: dict[str, str] = {}
    candidates = {}
    for key in schemas:
        name = naming.class_name(key)
        if name is None:
            ctx.error(("components", "schemas", key), f"schema name {key!r} cannot become a Python class name",
                      "rename the schema: a class name needs a letter or digit")
        else:
            candidates[key] = name
    taken: set[str] = set(naming.RESERVED_CLASSES)
    # A key that is already its own class name keeps it; the others yield, in sorted order.
    for key in sorted(candidates, key=lambda k: (candidates[k] != k, k)):
        name = naming.free_name(candidates[key], taken, "Schema")
        taken.add(name)
        names[key] = name
    return {key: names[key] for key in schemas if key in names}


def _servers(ctx: Context) -> tuple[Server, ...]:
    """Every server with a URL, its ``{variables}`` replaced by their defaults (each checked
    against its ``enum``): the first is the client's default ``base_url``, the others are listed."""
    found = []
    for index, server in enumerate(ctx.spec.data.get("servers") or []):
        if isinstance(server, dict) and isinstance(server.get("url"), str):
            url = _server_url(ctx, ("servers", str(index)), server)
            if url is not None:
                found.append(Server(url, prose(server.get("description"))))
    return tuple(found)


def _server_url(ctx: Context, pointer: tuple[str, ...], server: dict[str, Any]) -> str | None:
    url = str(server["url"])
    for name, variable in ctx.mapping(server.get("variables")).items():
        variable = ctx.mapping(variable)
        default, allowed = variable.get("default"), variable.get("enum")
        if isinstance(default, (str, int)) and isinstance(allowed, list) and allowed and default not in allowed:
            ctx.error((*pointer, "variables", name, "default"),
                      f"server variable {name!r} has the default {default!r}, which is not one of its enum values",
                      "make the default one of the `enum` values")
            return None
        url = url.replace("{" + str(name) + "}", str(default) if isinstance(default, (str, int)) else "{}")
    if "{" in url or "}" in url:
        ctx.error((*pointer, "url"), f"server URL {url!r} has a variable with no default",
                  "give every server variable a `default`")
        return None
    if not url.isprintable() or any(c.isspace() for c in url):
        ctx.error((*pointer, "url"), f"server URL {url!r} contains whitespace or control characters",
                  "write the URL as it is sent, percent-encoding anything else")
        return None
    return url.rstrip("/")
