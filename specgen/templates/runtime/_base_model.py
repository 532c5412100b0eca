"""Bases of the generated models: lenient in what they read, exact in what they write."""

from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """A model of the API's JSON.

    Python names and wire names are both accepted on input; output uses wire names. Fields the spec
    does not know yet are kept (``model_extra``) rather than dropped, so a newer server never breaks
    an older client and nothing it sent is lost.
    """

    model_config = ConfigDict(
        extra="allow",
        validate_by_alias=True,
        validate_by_name=True,
        serialize_by_alias=True,
    )


#: Unknown values each open enum remembers; beyond this, each lookup makes a fresh member.
MAX_REMEMBERED_UNKNOWN = 1000


class OpenEnum(Enum):
    """An enum that accepts values it does not list.

    APIs add enum values before their clients learn them. An unknown value becomes a member that
    keeps the value (``member.value``), is named ``UNKNOWN`` in its repr and compares equal to
    itself, instead of failing the whole response. It is not an attribute of the class (there is no
    ``Status.UNKNOWN``, each unknown value being its own member): test ``member.is_unknown``.
    """

    @property
    def is_unknown(self) -> bool:
        """True for a value the spec does not list (a newer server's); its value is ``.value``.

        Member names come from the spec's values in UPPER_SNAKE case, so none can hide this name.
        """
        return type(self)._member_map_.get(self._name_) is not self

    @classmethod
    def _missing_(cls, value: object) -> Any:
        member_type: Any = getattr(cls, "_member_type_", object)
        if isinstance(value, bool) or (
            member_type is not object and not isinstance(value, member_type)
        ):
            return None
        member: Any = (
            object.__new__(cls) if member_type is object else member_type.__new__(cls, value)
        )
        member._name_ = "UNKNOWN"
        member._value_ = value
        # Remember a bounded number of unknown values (so the same one is the same member); a
        # server sending endless new values must not grow the class without limit.
        if len(cls._value2member_map_) - len(cls._member_map_) >= MAX_REMEMBERED_UNKNOWN:
            return member
        return cls._value2member_map_.setdefault(value, member)
