"""Inline the local ``$ref``s that point anywhere but at a whole component.

Vendor documents point into the middle of things: at one property of a schema
(``#/components/schemas/User/properties/id``) or at a response written inline in another operation
(``#/paths/~1jobs~1%7Bid%7D/get/responses/401``). The generator and the model builder only follow
references to components, and selecting operations keeps only the components those reach, so the
importer replaces such a reference by a copy of what it points at. Keys written next to the
``$ref`` (a description, say) win over the target's. A fragment is percent-decoded before its
``~1``/``~0`` escapes are undone (RFC 6901 §6), as :func:`specgen.spec.ref_pointer` does.
"""

from __future__ import annotations

import copy
from typing import Any

from ..spec import Pointer, ref_pointer
from .errors import ImportProblem

_LITERALS = ("example", "examples", "default", "enum", "const")


def is_component(pointer: Pointer) -> bool:
    """Whether ``pointer`` names a whole component (``components/<section>/<name>``)."""
    return len(pointer) == 3 and pointer[0] == "components"


def inline(doc: dict[str, Any], where: str) -> None:
    """Replace (in place) every local ``$ref`` in ``doc`` that does not name a whole component."""
    _walk(doc, doc, where, ())


def _walk(doc: dict[str, Any], node: Any, where: str, active: tuple[Pointer, ...]) -> None:
    if isinstance(node, list):
        for index, item in enumerate(node):
            node[index] = _resolved(doc, item, where, active)
            _walk(doc, node[index], where, active)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in _LITERALS:
            continue  # values, not schemas: a `$ref` key in one is data
        node[key] = _resolved(doc, value, where, active)
        _walk(doc, node[key], where, active)


def _resolved(doc: dict[str, Any], node: Any, where: str, active: tuple[Pointer, ...]) -> Any:
    """``node``, or a copy of its target merged with its other keys when it is a deep ``$ref``."""
    ref = node.get("$ref") if isinstance(node, dict) else None
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return node
    pointer = ref_pointer(ref)
    if is_component(pointer):
        return node
    target = _target(doc, pointer)
    if target is _MISSING:
        return node  # the generator reports it, at its line
    if pointer in active:
        raise ImportProblem(where, f"$ref {ref!r} leads back to itself through references into the middle of objects",
                            "point the reference at a component (move the part it names under components)")
    content = copy.deepcopy(target)
    if isinstance(content, dict):
        content = _resolved(doc, content, where, (*active, pointer))
        _walk(doc, content, where, (*active, pointer))
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        return {**content, **siblings}
    return content


_MISSING = object()


def _target(doc: dict[str, Any], pointer: Pointer) -> Any:
    node: Any = doc
    for part in pointer:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return _MISSING
    return node
