"""Python data → literal text, as black writes it (strings through :func:`text.literal`)."""

from __future__ import annotations

from typing import Any

from .. import text
from .ir import Code, Member


def literal(value: Any) -> str:
    """``value`` as a Python literal; an enum member as ``Enum.MEMBER``, :class:`Code` as it is."""
    if isinstance(value, Member):
        return f"{value.enum}.{value.name}"
    if isinstance(value, Code):
        return value.text
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    return str(text.literal(value))
