"""The accumulator every IR builder writes to: the spec, the problems found so far, and the names
already decided (schema classes), so each builder reports located problems instead of raising."""

from __future__ import annotations

import functools
from typing import Any

from .. import naming
from ..diagnostics import WARNING, Diagnostic, Location
from ..spec import Pointer, Spec


def prose(value: Any) -> str:
    """Spec text (a title, a description) stripped; "" where the spec has something else."""
    return str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""


class Context:
    """What the IR builders share while one spec is turned into an :class:`~specgen.ir.model.Api`."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.problems: list[Diagnostic] = []
        self.class_names: dict[str, str] = {}  # component schema key -> class name

    def error(self, pointer: Pointer | Location, message: str, hint: str = "") -> None:
        """A problem at ``pointer`` in the spec, or at a :class:`Location` outside it (pyproject.toml)."""
        at = pointer.at if isinstance(pointer, Location) else functools.partial(self.spec.at, pointer)
        self.problems.append(at(message, hint))

    @property
    def error_count(self) -> int:
        """Errors so far (not warnings): a builder compares it before and after to know whether
        what it built is sound, since a warning leaves it usable."""
        return sum(1 for problem in self.problems if not problem.is_warning)

    def warning(self, pointer: Pointer, message: str, hint: str = "") -> None:
        """A problem the client works around (printed; fatal only with ``--strict``)."""
        self.problems.append(self.spec.at(pointer, message, hint, WARNING))

    def explicit_name(self, pointer: Pointer | Location, value: Any, what: str, reserved: frozenset[str] = frozenset(),
                      *, taken_by: str = "the generated code", module: bool = False) -> str | None:
        """A name the spec author chose (an ``x-specgen-*`` key): used as it is, or refused here."""
        if not naming.is_identifier(value):
            self.error(pointer, f"{what} {value!r} is not a valid Python identifier",
                       "use ASCII letters, digits and underscores, not starting with a digit, and not a keyword")
            return None
        assert isinstance(value, str)
        if value.startswith("_"):
            self.error(pointer, f"{what} {value!r} starts with an underscore",
                       "names starting with `_` are private to the generated code: choose another name")
            return None
        if value in reserved:
            self.error(pointer, f"{what} {value!r} is taken by {taken_by}", "choose another name")
            return None
        if module and len(value) > naming.MAX_MODULE_NAME:
            self.error(pointer, f"{what} is {len(value)} characters long; it names a file, so at most "
                       f"{naming.MAX_MODULE_NAME} are allowed", "choose a shorter name")
            return None
        return value

    def derived_name(self, pointer: Pointer, wire: str, what: str, override_key: str,
                     reserved: frozenset[str] = frozenset(), *, module: bool = False,
                     fallback: str | None = None) -> str | None:
        """A name made from spec text (a tag, an operationId, a wire name); a clash gets a ``_`` suffix.

        Text with no letters or digits (a parameter called ``...``) gives ``fallback`` and a
        warning when there is one, else an error.
        """
        name = naming.python_name(wire)
        if name is None and fallback is not None:
            fallback = naming.free_name(fallback, reserved)
            self.warning(pointer, f"{what} {wire!r} cannot become a Python identifier; it is called {fallback!r}",
                         f"set `{override_key}` to the Python name to use")
            return fallback
        if name is None:
            self.error(pointer, f"{what} {wire!r} cannot become a Python identifier",
                       f"set `{override_key}` to the Python name to use")
            return None
        if module and len(name) > naming.MAX_MODULE_NAME:
            self.error(pointer, f"{what} gives a name {len(name)} characters long; it names a file, so at "
                       f"most {naming.MAX_MODULE_NAME} are allowed", f"set `{override_key}` to a shorter name")
            return None
        return naming.free_name(name, reserved)

    def mapping(self, value: Any) -> dict[str, Any]:
        """``value`` if it is a mapping, else an empty one (the validator reports misplaced types)."""
        return value if isinstance(value, dict) else {}

    def deref(self, pointer: Pointer, node: Any) -> tuple[Pointer, Any]:
        """Follow ``$ref`` until a node that is not one (cycles were refused when the spec was loaded)."""
        seen: set[str] = set()
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"] not in seen:
            seen.add(node["$ref"])
            pointer, node = self.spec.resolve(node["$ref"])
        return pointer, node
