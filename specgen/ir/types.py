"""Schema → Python type expression for parameters, bodies and responses (the models: specgen/modelgen)."""

from __future__ import annotations

from typing import Any

from ..spec import Pointer, ref_pointer
from ..text import Code, literal
from .context import Context
from .model import ANY, PyType

_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


def type_of(ctx: Context, pointer: Pointer, schema: Any, _resolving: frozenset[Pointer] = frozenset()) -> PyType:
    """The Python type for a schema used by a parameter, body or response.

    A ``$ref`` to a component schema is its class; any other ``$ref`` is followed, and one that
    leads back into itself (only a named schema can be recursive) is an error.
    """
    if not isinstance(schema, dict) or not schema:
        return ANY
    ref = schema.get("$ref")
    if isinstance(ref, str):
        target = ref_pointer(ref)
        if target[:2] == ("components", "schemas") and len(target) == 3 and target[-1] in ctx.class_names:
            name = ctx.class_names[target[-1]]
            return PyType(Code(name), models=frozenset({name}))
        if target in _resolving:
            ctx.error(pointer, f"the schema at {ref!r} refers to itself",
                      "a recursive schema must be a named component under components/schemas")
            return ANY
        return type_of(ctx, *ctx.spec.resolve(ref), _resolving | {target})
    all_of = schema.get("allOf")
    if isinstance(all_of, list) and len(all_of) == 1 and not schema.get("properties"):
        return type_of(ctx, (*pointer, "allOf", "0"), all_of[0], _resolving)  # a reference with a description
    for key in ("anyOf", "oneOf"):
        if isinstance(schema.get(key), list):
            variants = [type_of(ctx, (*pointer, key, str(i)), s, _resolving) for i, s in enumerate(schema[key])]
            return union(variants)
    declared = schema.get("type")
    types = declared if isinstance(declared, list) else [declared]
    variants = [_single_type(ctx, pointer, schema, t, _resolving) for t in types if t != "null"]
    result = union(variants) if variants else PyType(Code("None"))
    return result.optional() if "null" in types else result


def _single_type(ctx: Context, pointer: Pointer, schema: dict[str, Any], type_name: Any,
                 resolving: frozenset[Pointer]) -> PyType:
    if type_name in _PRIMITIVES:
        if type_name == "string" and isinstance(schema.get("enum"), list):
            return _string_enum(ctx, pointer, schema["enum"])
        return PyType(Code(_PRIMITIVES[type_name]))
    if type_name == "array":
        item = type_of(ctx, (*pointer, "items"), schema.get("items", {}), resolving)
        return PyType(Code(f"list[{item.expr}]"), item.models, item.typing)
    if type_name == "object" or (type_name is None and "properties" in schema):
        if schema.get("properties"):
            # Inline objects in bodies, responses and parameters became components (specgen.inline);
            # one reached only through a $ref into the middle of another document part did not.
            ctx.warning(pointer, "this inline object schema has no class, so the client types it as Any",
                        "move the schema under components/schemas and reference it with $ref")
            return ANY
        extra = schema.get("additionalProperties")
        value = type_of(ctx, (*pointer, "additionalProperties"), extra, resolving) if isinstance(extra, dict) else ANY
        return PyType(Code(f"dict[str, {value.expr}]"), value.models, value.typing)
    return ANY


def _string_enum(ctx: Context, pointer: Pointer, values: list[Any]) -> PyType:
    """``Literal[...]`` of the string values; the plain type when the enum lists other values too."""
    strings = [v for v in values if v is not None]
    if not values:
        ctx.error((*pointer, "enum"), "this enum lists no values, so no value is valid",
                  "list the allowed values, or remove `enum`")
        return PyType(Code("str"))
    if not strings:
        return PyType(Code("None"))
    if not all(isinstance(v, str) for v in strings):
        return PyType(Code("str"))
    members = ", ".join(literal(v) for v in dict.fromkeys(strings))
    result = PyType(Code(f"Literal[{members}]"), typing=frozenset({"Literal"}))
    return result.optional() if None in values else result


def union(variants: list[PyType]) -> PyType:
    exprs = list(dict.fromkeys(v.expr for v in variants))
    if "Any" in exprs:
        return ANY
    return PyType(
        Code(" | ".join(exprs)),
        frozenset().union(*(v.models for v in variants)),
        frozenset().union(*(v.typing for v in variants)),
    )
