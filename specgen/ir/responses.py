"""Which response of an operation is the success response, and which are documented errors.

The one place that picks the 2xx response, follows its ``$ref`` and chooses the JSON media type;
the return type, the docstring's Returns section and pagination all read the answer from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..spec import Pointer, ref_pointer
from ..text import Code
from .context import Context
from .model import ErrorBody, PyType
from .types import type_of


@dataclass(frozen=True)
class SuccessResponse:
    pointer: Pointer  # of the response object (after its $ref)
    description: str
    media_type: str  # "" when the response has no body
    schema_pointer: Pointer
    schema: Any  # the JSON body's schema, or None when the body is not JSON or absent


def is_json(media_type: str) -> bool:
    """``application/json`` or a ``+json`` type (RFC 6839), parameters aside."""
    base = media_type.partition(";")[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def json_media(content: Any) -> tuple[str, dict[str, Any] | None]:
    """The JSON media type entry of a content map, if there is one (``application/json``, ``*+json``)."""
    if not isinstance(content, dict):
        return "", None
    for media_type in sorted(content):
        if is_json(media_type):
            media = content[media_type]
            return media_type, media if isinstance(media, dict) else {}
    return "", None


def success_response(ctx: Context, pointer: Pointer, op: dict[str, Any]) -> SuccessResponse | None:
    """The lowest 2xx response of the operation, or None when it documents none."""
    responses = ctx.mapping(op.get("responses"))
    success = sorted(str(code) for code in responses if str(code).startswith("2"))
    if not success:
        return None
    code = success[0]
    response_pointer, response = ctx.deref((*pointer, "responses", code), responses[code])
    response = ctx.mapping(response)
    description = str(response.get("description", "")).strip()
    content = ctx.mapping(response.get("content"))
    media_type, media = json_media(content)
    if media is None:
        other = sorted(content)[0] if content else ""
        return SuccessResponse(response_pointer, description, other, (), None)
    schema_pointer = (*response_pointer, "content", media_type, "schema")
    return SuccessResponse(response_pointer, description, media_type, schema_pointer, media.get("schema", {}))


def response_type(ctx: Context, response: SuccessResponse | None) -> PyType | None:
    """What the method returns: the JSON body's type; ``str`` for text, ``bytes`` for any other body."""
    if response is None or not response.media_type:
        return None
    if response.schema is None:
        textual = response.media_type.startswith("text/") or response.media_type.endswith("xml")
        return PyType(Code("str" if textual else "bytes"))
    return type_of(ctx, response.schema_pointer, response.schema)


def error_bodies(ctx: Context, pointer: Pointer, op: dict[str, Any]) -> tuple[ErrorBody, ...]:
    """Documented 4xx/5xx/default responses whose JSON body is a named schema the client parses."""
    errors = []
    for code, response in ctx.mapping(op.get("responses")).items():
        code = str(code)
        if code[:1] not in ("4", "5") and code != "default":
            continue
        _, response = ctx.deref((*pointer, "responses", code), response)
        _, media = json_media(ctx.mapping(response).get("content"))
        schema = ctx.mapping((media or {}).get("schema"))
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref_pointer(ref)[:2] == ("components", "schemas"):
            key = ref_pointer(ref)[-1]
            if key in ctx.class_names:
                errors.append(ErrorBody(code, ctx.class_names[key]))
    return tuple(sorted(errors, key=lambda e: (e.status == "default", e.status)))
