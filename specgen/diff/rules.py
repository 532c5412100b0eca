"""What breaks a caller: the direction rules, each written once.

A change is *breaking* when code that uses the old client fails against the new one, at type-check
time (``mypy --strict``) or at run time. Which way a value travels decides it, as in oasdiff's
checks: the caller *sends* arguments and request bodies, so a change that accepts less breaks them
(a new required argument, a narrower type, an enum value removed); the caller *reads* responses, so
a change that may give them more breaks them (a field that may now be missing, a wider type), while
one that gives less does not. Enums are open in the generated models (an unknown value is kept, not
refused), so a response enum gaining or losing a value breaks no reader. A class both sent and read
must satisfy both rules.
"""

from __future__ import annotations

from collections.abc import Iterable

from .surface import Direction, members

ANY = "Any"


def type_change_breaks(old: str, new: str, directions: Iterable[Direction]) -> bool:
    """Whether a value's type changing from ``old`` to ``new`` breaks callers.

    A sent value may widen (``int`` → ``int | str``: every old argument is still accepted); a read
    value may narrow (``str | None`` → ``str``: every old use of it still type-checks). ``Any`` on
    the accepting side accepts everything.
    """
    old_members, new_members = set(members(old)), set(members(new))
    for direction in set(directions):
        if direction == "request" and not (ANY in new_members or old_members <= new_members):
            return True
        if direction == "response" and not (ANY in old_members or ANY in new_members or new_members <= old_members):
            return True
    return False


def required_change_breaks(now_required: bool, directions: Iterable[Direction]) -> bool:
    """Whether an argument or field becoming required (or optional) breaks callers: a sender must
    now pass it (breaking); a reader may now find it missing (breaking when it becomes optional)."""
    return any(now_required if d == "request" else not now_required for d in set(directions))


def added_breaks(required: bool, directions: Iterable[Direction]) -> bool:
    """A new field or argument breaks only senders, and only when it is required."""
    return required and "request" in set(directions)


def enum_value_removed_breaks(directions: Iterable[Direction]) -> bool:
    """A value removed from an enum breaks callers that send it; readers of an open enum get
    whatever the server sends either way."""
    return "request" in set(directions)
