"""Names of the schemas below a component: where a class is made of one, it is named by where it stands.

The rule is :mod:`specgen.inline`'s: ``<Class><Field>``, then ``Item``, ``Value``, ``Option<n>``... below
it, clear of the component classes and of what the models module imports (a number when taken). The
emitter makes a class of a nested schema only where a component needs one per member of a union
(:mod:`.schema`), and takes its name from here, never one of its own.
"""

from __future__ import annotations

from typing import Any

from .. import naming
from ..spec import SCHEMA_CHILDREN, SCHEMA_LISTS, SCHEMA_MAPS

#: The part of a nested schema's name that says where it stands (as :mod:`specgen.inline` names the
#: schemas it moves): ``Item`` of an array, ``Value`` of a map, ...
_NESTED_ROLES = {"items": "Item", "additionalProperties": "Value", "not": "Not", "contains": "Contains",
                 "if": "If", "then": "Then", "else": "Else", "propertyNames": "Name", "unevaluatedItems": "Item",
                 "unevaluatedProperties": "Value", "contentSchema": "Content", "anyOf": "Option", "oneOf": "Option",
                 "allOf": "Part", "prefixItems": "Item"}


def nested_names(schemas: dict[str, Any], class_names: dict[str, str]) -> dict[str, str]:
    """A class name for every schema below a component, keyed by its location
    (``#/components/schemas/<key>/properties/<name>/...``): depth first, in document order, so a name
    depends on the document alone."""
    taken = set(naming.RESERVED_CLASSES) | set(class_names.values())
    names: dict[str, str] = {}
    for key, schema in schemas.items():
        if key not in class_names:
            continue
        stack = [(f"#/components/schemas/{_escape(key)}", schema, class_names[key])]
        while stack:  # depth first, in document order
            location, node, name = stack.pop()
            named = []
            for child_location, child, child_name in _nested(location, node, name):
                if isinstance(child, dict) and not (len(child) == 1 and "$ref" in child):
                    chosen = naming.free_name(child_name, taken, "")
                    taken.add(chosen)
                    names[child_location] = chosen
                    named.append((child_location, child, chosen))
            stack.extend(reversed(named))
    return names


def _nested(location: str, schema: Any, name: str) -> Any:
    """The schemas directly inside ``schema``, each with its location and the name it would get."""
    if not isinstance(schema, dict):
        return
    for key in SCHEMA_MAPS:
        if isinstance(subs := schema.get(key), dict):
            for index, (sub_key, sub) in enumerate(subs.items()):
                part = naming.pascal(str(sub_key)) or f"Field{index + 1}"
                yield f"{location}/{key}/{_escape(str(sub_key))}", sub, name + part
    for key in SCHEMA_LISTS:
        if isinstance(subs := schema.get(key), list):
            for index, sub in enumerate(subs):
                yield f"{location}/{key}/{index}", sub, f"{name}{_NESTED_ROLES[key]}{index + 1}"
    for key in SCHEMA_CHILDREN:
        if key in schema:
            yield f"{location}/{key}", schema[key], name + _NESTED_ROLES[key]


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")
