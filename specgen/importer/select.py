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


def select(doc: dict[str, Any], where: str, tags: tuple[str, ...], operation_ids: tuple[str, ...]) -> dict[str, Any]:
    """``doc`` with the operations that carry one of ``tags`` or one of ``operation_ids`` (all when
    neither is given), and only the components, tags and security schemes they reach."""
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
    out = {k: v for k, v in doc.items() if k not in ("paths", "components", "tags")}
    paths: dict[str, Any] = {}
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        methods = [m for m in item if m in METHODS and (path, m) in keep]
        if methods:
            paths[path] = {k: v for k, v in item.items() if k not in METHODS or k in methods}
    # Key order: the source's, with paths where they were.
    result: dict[str, Any] = {}
    for key in doc:
        if key == "paths":
            result["paths"] = paths
        elif key == "tags":
            used = {t for item in paths.values() for m, op in item.items() if m in METHODS for t in op.get("tags") or []}
            declared = [t for t in doc["tags"] if isinstance(t, dict) and t.get("name") in used]
            if declared:
                result["tags"] = declared
        elif key == "components":
            components = _reachable(doc, {"paths": paths, "security": doc.get("security")})
            if components:
                result["components"] = components
        elif key in out:
            result[key] = out[key]
    return result


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
    for item in node.get("paths", {}).values() if isinstance(node, dict) else ():
        for method, op in item.items():
            if method in METHODS and isinstance(op, dict):
                requirements.append(op.get("security"))
    for requirement in requirements:
        for alternative in requirement or []:
            if isinstance(alternative, dict):
                names.update(alternative)
    return names


def _reachable(doc: dict[str, Any], roots: dict[str, Any]) -> dict[str, Any]:
    """The components reached from ``roots`` through ``$ref``s (transitively), in the source's order."""
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
            kept = {n: v for n, v in entries.items() if (section, n) in reached}
        if kept:
            out[section] = kept
    return out
