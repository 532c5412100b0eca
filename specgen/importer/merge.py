"""Keep the user's ``x-specgen-*`` choices from an earlier import of the same provider.

Operations are matched by method + path, or else by operationId; schemas, security schemes and
parameters (by name + location, inside a matched operation) by name. The info-level keys are kept
too. Edits of operations and schemas gone from the source are dropped, and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .select import operations

PREFIX = "x-specgen-"
_MISSING = object()


@dataclass
class MergeReport:
    kept: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def _keys(node: Any) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k.startswith(PREFIX)} if isinstance(node, dict) else {}


def _take(target: dict[str, Any], old: dict[str, Any], what: str, report: MergeReport) -> None:
    mine = _keys(old)
    changed = [key for key, value in mine.items() if target.get(key, _MISSING) != value]  # not just the default
    for key, value in mine.items():
        target[key] = value
    if changed:
        report.kept.append(f"{what}: {', '.join(changed)}")


def merge(new: dict[str, Any], old: dict[str, Any]) -> MergeReport:
    """Copy ``old``'s ``x-specgen-*`` keys into ``new`` (in place) where their owner still exists."""
    report = MergeReport()
    if isinstance(new.get("info"), dict):
        _take(new["info"], old.get("info") or {}, "info", report)
    for section in ("securitySchemes", "schemas"):
        new_items = (new.get("components") or {}).get(section) or {}
        old_items = (old.get("components") or {}).get(section) or {}
        for name, old_item in old_items.items() if isinstance(old_items, dict) else ():
            if name in new_items and isinstance(new_items[name], dict):
                _take(new_items[name], old_item, f"{section} {name}", report)
            elif _keys(old_item):
                report.dropped.append(f"{section} {name} (gone from the source)")
    new_ops = operations(new)
    by_route = {(m, p): op for p, m, op in new_ops}
    by_id = {op["operationId"]: op for _, _, op in new_ops if isinstance(op.get("operationId"), str)}
    for path, method, old_op in operations(old):
        target = by_route.get((method, path))
        if target is None and isinstance(old_op.get("operationId"), str):
            target = by_id.get(old_op["operationId"])
        label = f"{method.upper()} {path}"
        if target is None:
            if _keys(old_op) or any(_keys(p) for p in old_op.get("parameters") or []):
                report.dropped.append(f"{label} (gone from the source)")
            continue
        _take(target, old_op, label, report)
        new_params = {(p.get("name"), p.get("in")): p for p in target.get("parameters") or [] if isinstance(p, dict)}
        for old_param in old_op.get("parameters") or []:
            if isinstance(old_param, dict) and _keys(old_param):
                key = (old_param.get("name"), old_param.get("in"))
                if key in new_params:
                    _take(new_params[key], old_param, f"{label} parameter {key[0]}", report)
                else:
                    report.dropped.append(f"{label} parameter {key[0]} (gone from the source)")
        old_body, new_body = old_op.get("requestBody"), target.get("requestBody")
        if isinstance(old_body, dict) and isinstance(new_body, dict):
            _take(new_body, old_body, f"{label} requestBody", report)
    return report
