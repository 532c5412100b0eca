"""Every identifier rule in one place.

Names are derived from the spec alone (never from the order things were met in), so two equivalent
specs give the same code, and a name that cannot be made valid is an error rather than a guess.
"""

from __future__ import annotations

import keyword
import re

_WORD_BOUNDARY = re.compile(
    r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]+[A-Z]*(?![a-z])|[A-Z]+[0-9]*|[0-9]+"
)
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

#: Names a generated method signature already uses for per-call options.
RESERVED_PARAMETERS = frozenset({"self", "timeout", "max_retries", "extra_headers"})
#: Attributes of the generated clients; a resource may not shadow them.
RESERVED_RESOURCES = frozenset({
    "aclose", "base_url", "close", "max_retries", "request", "timeout",
})
#: Names the models module imports; a schema may not shadow them.
RESERVED_CLASSES = frozenset({"Model", "OpenEnum", "Field", "Any", "AwareDatetime"})


def words(name: str) -> list[str]:
    """Split ``taskID``, ``run.experiment_id``, ``get_/run`` or ``HTTPServer`` into words."""
    return _WORD_BOUNDARY.findall(name)


def snake(name: str) -> str:
    """``sessionID`` → ``session_id``; empty when the name has no letters or digits."""
    return "_".join(w.lower() for w in words(name))


def pascal(name: str) -> str:
    """``apiRun`` → ``ApiRun``; ``get_run_response`` → ``GetRunResponse``."""
    return "".join(w[:1].upper() + w[1:] for w in words(name))


def upper_snake(name: str) -> str:
    """``NotStarted`` → ``NOT_STARTED``."""
    return snake(name).upper()


def is_identifier(name: str) -> bool:
    return bool(_IDENTIFIER.match(name)) and not keyword.iskeyword(name)


def python_name(wire: str) -> str | None:
    """A snake_case identifier for a derived name, or None when none can be made.

    Keywords get a trailing underscore (``from`` → ``from_``), as PEP 8 suggests.
    """
    name = snake(wire)
    if not name or name[0].isdigit():
        return None
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        name += "_"
    return name


def class_name(schema_key: str) -> str | None:
    """The class name for a component schema, or None when none can be made."""
    name = pascal(schema_key)
    if not name or name[0].isdigit():
        return None
    if name in RESERVED_CLASSES:
        name += "Schema"
    return name


def enum_member(value: object) -> str:
    """The member name for an enum value: ``NotStarted`` → ``NOT_STARTED``, ``""`` → ``EMPTY``, ``0`` → ``VALUE_0``."""
    if not isinstance(value, str):
        return "VALUE_" + str(value).replace("-", "MINUS_").replace(".", "_").upper()
    name = upper_snake(value)
    if not name:
        return "EMPTY"
    if name[0].isdigit():
        name = "VALUE_" + name
    return name


def enum_members(values: list[object]) -> list[str]:
    """Member names for all values of one enum; clashes (``a-b`` vs ``a_b``) get the value's index."""
    names = [enum_member(v) for v in values]
    seen: dict[str, int] = {}
    for name in names:
        seen[name] = seen.get(name, 0) + 1
    return [f"{n}_{i}" if seen[n] > 1 else n for i, n in enumerate(names)]
