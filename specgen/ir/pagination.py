"""``x-specgen-pagination`` → how a list operation pages, checked against the response schema."""

from __future__ import annotations

from typing import Any

from ..spec import Pointer
from .context import Context
from .model import Pagination, Parameter
from .responses import SuccessResponse
from .types import type_of

#: The keys each style needs (the first names the query parameter the paginator sets), and may have.
_REQUIRED = {"page": ("page_param", "items"), "cursor": ("cursor_param", "next_cursor", "items")}
_OPTIONAL = {"page": ("start",), "cursor": ("has_more",)}
_HINT = "see the README's x-specgen-pagination section"


def pagination(ctx: Context, pointer: Pointer, op: dict[str, Any], parameters: tuple[Parameter, ...],
               response: SuccessResponse | None) -> Pagination | None:
    config = op.get("x-specgen-pagination")
    if config is None:
        return None
    where = (*pointer, "x-specgen-pagination")
    before = ctx.error_count
    if not isinstance(config, dict):
        ctx.error(where, "`x-specgen-pagination` must be a mapping", _HINT)
        return None
    style = config.get("style")
    if style not in _REQUIRED:
        ctx.error(where, f"unknown pagination style {style!r}", "use `style: page` or `style: cursor`")
        return None
    known = {"style", *_REQUIRED[style], *_OPTIONAL[style]}
    for key in sorted(set(config) - known):
        ctx.error((*where, key), f"`{key}` is not a setting of {style!r} pagination",
                  f"the settings are: {', '.join(sorted(known))}")
    for key in _REQUIRED[style]:
        if key not in config:
            ctx.error(where, f"pagination style {style!r} needs `{key}`", _HINT)
    for key in ("page_param", "cursor_param", "items", "next_cursor", "has_more"):
        if key in config and key in known and not _is_path(config[key]):
            ctx.error((*where, key), f"`{key}` must be a wire name or a dotted path of wire names, "
                      f"not {config[key]!r}", _HINT)
    start = config.get("start", 0)
    if not _is_start(start):
        ctx.error((*where, "start"), f"`start` must be a whole number of at least 0, not {start!r}", _HINT)
    if ctx.error_count > before:
        return None
    param = config[_REQUIRED[style][0]]
    if param not in {p.wire_name for p in parameters if p.location == "query"}:
        ctx.error(where, f"pagination parameter {param!r} is not a query parameter of this operation",
                  "name one of the operation's query parameters")
        return None
    if response is None or response.schema is None:
        ctx.error(where, "a paginated operation needs a JSON success response", "declare its 2xx JSON body")
        return None
    root = (response.schema_pointer, response.schema)
    found = _schema_at(ctx, where, root, config["items"], expect="array")
    for key in ("next_cursor", "has_more"):
        if key in known and isinstance(config.get(key), str):
            _schema_at(ctx, where, root, config[key], expect=None)
    if found is None:
        return None
    item_pointer, items = found
    return Pagination(
        style=style,
        param=param,
        items=tuple(config["items"].split(".")),
        item_type=type_of(ctx, (*item_pointer, "items"), items.get("items", {})),
        next_cursor=tuple(config["next_cursor"].split(".")) if config.get("next_cursor") else (),
        has_more=tuple(config["has_more"].split(".")) if style == "cursor" and config.get("has_more") else (),
        start=start,
    )


def _is_path(value: Any) -> bool:
    return isinstance(value, str) and all(value.split("."))


def _is_start(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 2**31


def _schema_at(ctx: Context, where: Pointer, root: tuple[Pointer, Any], dotted: str,
               expect: str | None) -> tuple[Pointer, dict[str, Any]] | None:
    """The schema at a dotted path of wire names inside the response body."""
    pointer, schema = root
    for part in dotted.split("."):
        pointer, schema = ctx.deref(pointer, schema)
        properties = ctx.mapping(ctx.mapping(schema).get("properties"))
        if part not in properties:
            ctx.error(where, f"the response has no field {dotted!r} (no {part!r})",
                      "give the dotted path of wire names inside the response body")
            return None
        pointer, schema = (*pointer, "properties", part), properties[part]
    pointer, schema = ctx.deref(pointer, schema)
    if not isinstance(schema, dict) or (expect and schema.get("type") != expect):
        ctx.error(where, f"{dotted!r} in the response is not {'an ' + expect if expect else 'a schema'}",
                  "point `items` at the list of items")
        return None
    return pointer, schema
