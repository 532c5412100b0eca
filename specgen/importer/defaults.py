"""The ``x-specgen-*`` keys an imported spec needs, with sensible defaults.

Only what the generator cannot derive well is set: the package and client names, one environment
variable per security scheme, ``x-specgen-resource`` on operations without a tag and
``x-specgen-method`` on operations without an operationId (distinct within each resource).
"""

from __future__ import annotations

import keyword
from typing import Any

from .. import naming
from .errors import ImportProblem
from .select import operations

def check_name(name: str) -> None:
    if not (name.isidentifier() and name.isascii()) or keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise ImportProblem("--provider", f"{name!r} is not a valid provider name",
                            "it names the spec file and the Python package: use a lowercase identifier such as acme or acme_api")
    if name in naming.RESERVED_PACKAGES:
        raise ImportProblem("--provider", f"{name!r} is the name of a standard-library module or a dependency",
                            "the generated package would shadow it: choose a distinctive name such as acme_client")


def client_name(name: str) -> str:
    return naming.pascal(name) + "Client"


def env_name(provider: str, scheme: dict[str, Any]) -> str:
    kind, http = scheme.get("type"), str(scheme.get("scheme", "")).lower()
    suffix = "API_KEY" if kind == "apiKey" else "BASIC_AUTH" if kind == "http" and http == "basic" else "TOKEN"
    return f"{naming.upper_snake(provider)}_{suffix}"


def apply(doc: dict[str, Any], provider: str) -> dict[str, Any]:
    """``doc`` with the default ``x-specgen-*`` keys set (in place) where they are missing."""
    info = doc.setdefault("info", {})
    info.setdefault("x-specgen-package", provider)
    info.setdefault("x-specgen-client", client_name(provider))
    schemes = (doc.get("components") or {}).get("securitySchemes") or {}
    envs = {name: env_name(provider, s) for name, s in schemes.items() if isinstance(s, dict)}
    for name, scheme in schemes.items():
        if isinstance(scheme, dict) and "x-specgen-env" not in scheme:
            env = envs[name]
            if list(envs.values()).count(env) > 1:  # two schemes of one kind: tell them apart
                prefix = naming.upper_snake(provider)
                env = f"{prefix}_{naming.upper_snake(name)}_{env[len(prefix) + 1:]}"
            scheme["x-specgen-env"] = env
    for path, method, op in operations(doc):
        if not op.get("tags") and "x-specgen-resource" not in op:  # `/request` → `request_`: the client has a request()
            op["x-specgen-resource"] = naming.free_name(naming.resource_from_path(path), naming.reserved_resources())
    _method_names(doc)
    return doc


def _method_names(doc: dict[str, Any]) -> None:
    """``x-specgen-method`` for the operations without an operationId, distinct within each
    resource (the names of its operationIds included), so that they are written down for the user
    to see and edit rather than numbered silently by the generator."""
    taken: dict[str, set[str]] = {}
    pending: dict[str, list[tuple[str, str, dict[str, Any]]]] = {}
    for path, method, op in operations(doc):
        resource = _resource(op)
        names = taken.setdefault(resource, set())
        if isinstance(op.get("operationId"), str):
            names.add(naming.python_name(op["operationId"]) or "")
        elif isinstance(op.get("x-specgen-method"), str):
            names.add(op["x-specgen-method"])
        else:
            pending.setdefault(resource, []).append((path, method, op))
    for resource, ops in pending.items():
        chosen = naming.methods_from_paths([(method, path) for path, method, _ in ops], taken[resource])
        for (_, _, op), name in zip(ops, chosen):
            op["x-specgen-method"] = name


def _resource(op: dict[str, Any]) -> str:
    """The resource an operation's method will be in (as the generator names it, near enough)."""
    if isinstance(op.get("x-specgen-resource"), str):
        return str(op["x-specgen-resource"])
    tags = op.get("tags")
    return (naming.resource_from_tag(tags[0]) or "") if isinstance(tags, list) and tags and isinstance(tags[0], str) else ""
