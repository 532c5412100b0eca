"""Keep the operations asked for, and exactly the components they reach."""

from __future__ import annotations

from typing import Any

from ..spec import ref_pointer
from .errors import ImportProblem
from .refs import is_component

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(path, method, operation) in the document's order."""
    found: list[tuple[str, str, dict[str, Any]]] = []
    for path, item in (doc.get("paths") or {}).items():
        if isinstance(item, dict):
            found.extend((path, m, op) for m, op in item.items() if m in METHODS and isinstance(op, dict))
    return found


#: Where a document describes the requests the API sends (OpenAPI 3.1, and 3.0's extension): each
#: entry is a path item. The client does not call them, but their schemas are the API's too.
WEBHOOKS = ("webhooks", "x-webhooks")


def select(doc: dict[str, Any], where: str, tags: tuple[str, ...], operation_ids: tuple[str, ...]) -> dict[str, Any]:
    """``doc`` with the operations that carry one of ``tags`` or one of ``operation_ids``, and only
    the components, tags and security schemes they reach; webhooks are selected the same way.

    With neither, nothing is left out: every operation, webhook and component (one that nothing
    reaches too: it is part of the API as published)."""
    every = operations(doc)
    known_ids = {op.get("operationId") for _, _, op in every}
    unknown = [i for i in operation_ids if i not in known_ids and not _is_method_path(i, every)]
    if unknown:
        sample = ", ".join(sorted(str(i) for i in known_ids if isinstance(i, str))[:8])
        raise ImportProblem(where, f"unknown --operation {', '.join(unknown)}",
                            f"use an operationId of the source (or 'METHOD /path'); some are: {sample or 'none'}")
    known_tags = {t for _, _, op in every for t in op.get("tags") or []}
    missing_tags = [t for t in tags if t not in known_tags]
    if missing_tags:
        raise ImportProblem(where, f"unknown --tag {', '.join(missing_tags)}",
                            f"tags of the source: {', '.join(sorted(map(str, known_tags))) or 'none'}")

    def wanted(path: str, method: str, op: dict[str, Any]) -> bool:
        if not tags and not operation_ids:
            return True
        return (op.get("operationId") in operation_ids or f"{method.upper()} {path}" in operation_ids
                or any(t in tags for t in op.get("tags") or []))

    keep = {(path, method) for path, method, op in every if wanted(path, method, op)}
    if not keep:
        raise ImportProblem(where, "no operation to import", "the source has no operations under `paths`")
    out = {k: v for k, v in doc.items() if k not in ("paths", "components", "tags", *WEBHOOKS)}
    paths = _kept_items(doc.get("paths"), lambda path, method, op: (path, method) in keep)
    webhooks = {key: _kept_items(doc[key], wanted) for key in WEBHOOKS if isinstance(doc.get(key), dict)}
    # Key order: the source's, with paths where they were.
    result: dict[str, Any] = {}
    for key in doc:
        if key == "paths":
            result["paths"] = paths
        elif key in webhooks:
            if webhooks[key]:
                result[key] = webhooks[key]
        elif key == "tags":
            items = [*paths.values(), *(item for found in webhooks.values() for item in found.values())]
            used = {t for item in items for m, op in item.items() if m in METHODS for t in op.get("tags") or []}
            declared = [t for t in doc["tags"] if isinstance(t, dict) and t.get("name") in used]
            if declared:
                result["tags"] = declared
        elif key == "components":
            components = _reachable(doc, {"paths": paths, **webhooks, "security": doc.get("security")},
                                    everything=not tags and not operation_ids)
            if components:
                result["components"] = components
        elif key in out:
            result[key] = out[key]
    return result


def _kept_items(items: Any, wanted: Any) -> dict[str, Any]:
    """The path items of ``items`` (``paths`` or ``webhooks``) with only the operations ``wanted``
    (``(key, method, operation) -> bool``) keeps; an item left with none is left out."""
    kept: dict[str, Any] = {}
    for key, item in (items.items() if isinstance(items, dict) else ()):
        if not isinstance(item, dict):
            continue
        methods = [m for m in item if m in METHODS and isinstance(item[m], dict) and wanted(key, m, item[m])]
        if methods:
            kept[key] = {k: v for k, v in item.items() if k not in METHODS or k in methods}
    return kept


def _is_method_path(text: str, every: list[tuple[str, str, dict[str, Any]]]) -> bool:
    return any(f"{m.upper()} {p}" == text for p, m, _ in every)


def _refs(node: Any) -> list[str]:
    found: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            if isinstance(current.get("$ref"), str):
                found.append(current["$ref"])
            stack.extend(reversed(list(current.values())))
        elif isinstance(current, list):
            stack.extend(reversed(current))
    return found


def _security_names(node: Any) -> set[str]:
    names: set[str] = set()
    requirements = [node.get("security")] if isinstance(node, dict) else []
    items = [item for key in ("paths", *WEBHOOKS) for item in (node.get(key) or {}).values()] if isinstance(node, dict) else []
    for item in items:
        for method, op in item.items():
            if method in METHODS and isinstance(op, dict):
                requirements.append(op.get("security"))
    for requirement in requirements:
        for alternative in requirement or []:
            if isinstance(alternative, dict):
                names.update(alternative)
    return names


def _reachable(doc: dict[str, Any], roots: dict[str, Any], *, everything: bool = False) -> dict[str, Any]:
    """The components reached from ``roots`` through ``$ref``s (transitively), in the source's order;
    with ``everything``, all of them but the security schemes no operation uses."""
    components = doc.get("components") or {}
    reached: set[tuple[str, str]] = set()
    pending = _refs(roots)
    while pending:
        ref = pending.pop()
        pointer = ref_pointer(ref)
        if not is_component(pointer):
            continue
        section, name = pointer[1], pointer[2]
        if (section, name) in reached:
            continue
        reached.add((section, name))
        target = (components.get(section) or {}).get(name)
        if target is not None:
            pending.extend(_refs(target))
    schemes = _security_names(roots)
    out: dict[str, Any] = {}
    for section, entries in components.items():
        if not isinstance(entries, dict):
            continue
        if section == "securitySchemes":
            kept = {n: v for n, v in entries.items() if n in schemes}
        else:
            kept = {n: v for n, v in entries.items() if everything or (section, n) in reached}
        if kept:
            out[section] = kept
    return out
