"""Request bodies: which media type of a ``requestBody`` the client sends, and how it encodes it.

The one place that chooses: JSON when the operation accepts it, else form fields, multipart,
text or raw bytes, in that order. :mod:`specgen.inline` asks the same question to know which body
schema gets a model.
"""

from __future__ import annotations

from typing import Any

from .. import naming
from ..spec import Pointer
from ..text import Code
from .context import Context, prose
from .model import Body, BodyEncoding, PyType
from .responses import is_json
from .types import type_of

#: Media types a request body can be sent as, in order of preference, with how each is encoded.
_ENCODINGS: tuple[tuple[str, BodyEncoding], ...] = (
    ("application/x-www-form-urlencoded", "form"),
    ("multipart/form-data", "multipart"),
)


def request_media(content: Any) -> tuple[str, dict[str, Any], BodyEncoding] | None:
    """The media type the client sends, its media object and its encoding; None without content."""
    if not isinstance(content, dict) or not content:
        return None
    media_types = sorted(map(str, content))

    def chosen(media_type: str, encoding: BodyEncoding) -> tuple[str, dict[str, Any], BodyEncoding]:
        media = content[media_type]
        return media_type, media if isinstance(media, dict) else {}, encoding

    for media_type in media_types:
        if is_json(media_type):
            return chosen(media_type, "json")
    for wanted, encoding in _ENCODINGS:
        if wanted in media_types:
            return chosen(wanted, encoding)
    for media_type in media_types:
        if media_type.startswith("text/"):
            return chosen(media_type, "text")
    return chosen(media_types[0], "binary")


def body(ctx: Context, pointer: Pointer, op: dict[str, Any], parameter_names: set[str]) -> Body | None:
    if op.get("requestBody") is None:
        return None
    body_pointer, raw = ctx.deref((*pointer, "requestBody"), op["requestBody"])
    raw = ctx.mapping(raw)
    found = request_media(raw.get("content"))
    if found is None:
        ctx.error((*body_pointer, "content"), "the request body declares no media type",
                  "add a `content` entry such as application/json with its schema")
        return None
    media_type, media, encoding = found
    name: str | None = "body"
    if "x-specgen-name" in raw:
        name = ctx.explicit_name((*body_pointer, "x-specgen-name"), raw["x-specgen-name"], "x-specgen-name",
                                 naming.METHOD_BODY_NAMES | set(ctx.class_names.values()),
                                 taken_by="the generated method (an option, a helper or a model it uses)")
    if name is None:
        return None
    if name in parameter_names:
        ctx.error(body_pointer, f"the request body and a parameter are both named {name!r} in Python",
                  "set `x-specgen-name` on one of them")
        return None
    schema_pointer = (*body_pointer, "content", media_type, "schema")
    if encoding == "text":
        body_type = PyType(Code("str"))
    elif encoding == "binary":
        body_type = PyType(Code("bytes"))
    else:
        body_type = type_of(ctx, schema_pointer, media.get("schema", {}))
    return Body(
        name=name,
        type=body_type,
        required=raw.get("required") is True,
        description=prose(raw.get("description")),
        media_type="application/octet-stream" if "*" in media_type else media_type,
        encoding=encoding,
    )
