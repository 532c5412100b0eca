"""The model IR: the classes of ``models.py`` as :mod:`.schema` reads them from the spec.

Plain data, built once and then only read (by :mod:`.order` and :mod:`.classes`). Values that become
Python literals (defaults, examples, enum values) stay Python data here; :class:`Member` stands for
an enum member and :class:`Code` for an expression written as it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .types import Type


@dataclass(frozen=True, slots=True)
class Member:
    """``<enum class>.<member>`` as a value (a field's default)."""

    enum: str
    name: str


@dataclass(frozen=True, slots=True)
class Code:
    """An expression written as it is (built here, never from spec text)."""

    text: str


#: A field without a default (the positional ``...`` when it needs a ``Field(...)`` call).
REQUIRED = Code("...")


@dataclass(slots=True)
class Field:
    """One attribute of a model (or the ``root`` of a root model)."""

    name: str
    type: Type
    #: The default written (``REQUIRED`` for none); a field without ``Field(...)`` keywords is written
    #: ``name: type = default`` (``name: type`` when required).
    default: Any = REQUIRED
    #: The keyword arguments of ``Field(...)`` besides the default, as Python data.
    keywords: dict[str, Any] = field(default_factory=dict)
    #: The text of the attribute docstring (cleaned, not escaped), or "".
    doc: str = ""
    #: Whether ``Field(...)`` is written even without keywords (a required nullable field).
    call: bool = False


@dataclass(slots=True)
class ModelClass:
    """``class Name(Bases):`` with fields; ``root`` set makes it ``RootModel[type]``."""

    name: str
    bases: list[str]
    doc: str = ""
    fields: list[Field] = field(default_factory=list)
    #: ``model_config = ConfigDict(...)`` items, as (key, Python data).
    config: list[tuple[str, Any]] = field(default_factory=list)
    #: The type of the extra values (``additionalProperties`` next to properties), written as
    #: ``__annotations__ = {"__pydantic_extra__": Dict[str, T]}``.
    extra: Type | None = None
    root: bool = False


@dataclass(slots=True)
class EnumMember:
    name: str
    value: Any
    doc: str = ""


@dataclass(slots=True)
class EnumClass:
    """``class Name(str, OpenEnum):`` (``int``, or neither) with members."""

    name: str
    kind: str  # "str", "int" or ""
    doc: str = ""
    members: list[EnumMember] = field(default_factory=list)


ClassDef = ModelClass | EnumClass
