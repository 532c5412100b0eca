"""Operations grouped into resources (``client.<resource>.<method>``), with every name checked.

A resource module binds its classes, the models it imports and the runtime's helpers; a client
binds resource attributes next to its own. The rules in :mod:`specgen.naming` keep them apart:
derived names get a suffix, explicit ones are refused where they would clash.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from .. import naming
from ..spec import Pointer
from .context import Context
from .model import Operation, Resource, iterator_name
from .operations import operation, operations


def resources(ctx: Context) -> tuple[Resource, ...]:
    grouped: dict[str, list[tuple[Pointer, Operation]]] = {}
    from_path: set[Pointer] = set()
    for pointer, op in operations(ctx):
        resource = _resource_name(ctx, pointer, op)
        built = operation(ctx, pointer, op)
        if resource is not None and built is not None:
            grouped.setdefault(resource, []).append((pointer, built))
            if "x-specgen-method" not in op and not isinstance(op.get("operationId"), str):
                from_path.add(pointer)
    models = set(ctx.class_names.values())
    taken_classes = set(naming.RESERVED_RESOURCE_CLASSES) | models
    result = []
    for attribute, ops in sorted(grouped.items()):
        kept = _unique_methods(ctx, _path_method_names(ops, from_path))
        if not kept:
            continue
        class_name = naming.free_name(naming.pascal(attribute), taken_classes | {f"Async{naming.pascal(attribute)}"},
                                      "Resource")
        async_class_name = f"Async{class_name}"
        if async_class_name in taken_classes:
            class_name = naming.free_name(class_name + "Resource", taken_classes)
            async_class_name = f"Async{class_name}"
        taken_classes |= {class_name, async_class_name}
        annotated = {name for op in kept for t in op.types() for name in t.names()}
        shadowed = frozenset(op.name for op in kept) & naming.ANNOTATION_BUILTINS & annotated
        result.append(Resource(
            attribute=attribute,
            class_name=class_name,
            async_class_name=async_class_name,
            module=attribute,
            operations=tuple(_qualified(op, shadowed) for op in kept),
            shadowed_builtins=shadowed,
        ))
    return tuple(result)


def _qualified(op: Operation, shadowed: frozenset[str]) -> Operation:
    """The operation with its annotations written so that its class's method names cannot hide them."""
    if not shadowed:
        return op
    return replace(
        op,
        parameters=tuple(replace(p, type=p.type.qualified(shadowed)) for p in op.parameters),
        body=replace(op.body, type=op.body.type.qualified(shadowed)) if op.body else None,
        response=op.response.qualified(shadowed) if op.response else None,
        pagination=replace(op.pagination, item_type=op.pagination.item_type.qualified(shadowed))
        if op.pagination else None,
    )


def _path_method_names(ops: list[tuple[Pointer, Operation]], from_path: set[Pointer]) -> list[tuple[Pointer, Operation]]:
    """The operations named after their method and path renamed as ``specgen import`` names them
    (:func:`naming.methods_from_paths`): apart from each other and from the resource's other methods."""
    derived = [pointer for pointer, _ in ops if pointer in from_path]
    if not derived:
        return ops
    taken = {op.name for pointer, op in ops if pointer not in from_path}
    names = dict(zip(derived, naming.methods_from_paths([(p[2], p[1]) for p in derived], taken)))
    # They have no operationId: the name stands in for it (in a docstring with no summary).
    return [(pointer, replace(op, name=names[pointer], operation_id=names[pointer]) if pointer in names else op)
            for pointer, op in ops]


def _unique_methods(ctx: Context, ops: list[tuple[Pointer, Operation]]) -> list[Operation]:
    """The resource's methods, refusing two that share a name (a paginator's ``iter_<name>`` counts)."""
    owners: dict[str, Pointer] = {}
    for pointer, op in ops:
        if op.pagination:
            owners.setdefault(iterator_name(op.name), pointer)
    kept = []
    for pointer, op in ops:
        clash = op.name if op.name in owners and owners[op.name] != pointer else None
        if clash is not None and not op.named_explicitly:
            # Two operationIds that give the same name (``getItems``, ``get_items``): the later
            # one, in spec order, gets a number; its paginator follows.
            op = replace(op, name=naming.free_name(op.name, set(owners), "_"))
            if op.pagination and op.iterator_name in owners:
                ctx.error(pointer, f"method {op.name!r} needs {op.iterator_name!r}, which another operation has",
                          "set a different `x-specgen-method` on one of them")
                continue
            clash = None
        if clash is not None:
            ctx.error(pointer, f"method {op.name!r} clashes with {clash!r} of the operation at line "
                      f"{ctx.spec.line(owners[clash])}",
                      "set a different `x-specgen-method` on one of them")
            continue
        owners[op.name] = pointer
        if op.pagination:
            owners.setdefault(op.iterator_name, pointer)
        constant_owner = owners.setdefault(op.pages_constant, pointer)
        if op.pagination and constant_owner != pointer:
            ctx.error(pointer, f"method {op.name!r} and the operation at line {ctx.spec.line(constant_owner)} "
                      f"both need the constant {op.pages_constant}", "set a different `x-specgen-method`")
            continue
        kept.append(op)
    return kept


def _resource_name(ctx: Context, pointer: Pointer, op: dict[str, Any]) -> str | None:
    reserved = naming.reserved_resources()
    if "x-specgen-resource" in op:
        return ctx.explicit_name((*pointer, "x-specgen-resource"), op["x-specgen-resource"], "x-specgen-resource",
                                 reserved, taken_by="the client itself", module=True)
    tags = op.get("tags")
    if not isinstance(tags, list) or not tags or not isinstance(tags[0], str):
        # No tag: the first meaningful path segment, as specgen import would write it.
        return ctx.derived_name(pointer, naming.resource_from_path(pointer[1]), "the path", "x-specgen-resource",
                                reserved, module=True)
    # A tag that snake_case cannot make a name of (``2FA``, ``16 day / daily Forecast``): ``tag_2fa``,
    # or for one with no letter or digit, the path's resource (each with a warning that says so).
    fallback = naming.resource_from_tag(tags[0]) or naming.resource_from_path(pointer[1])
    return ctx.derived_name((*pointer, "tags", "0"), tags[0], "tag", "x-specgen-resource", reserved, module=True,
                            fallback=fallback)
