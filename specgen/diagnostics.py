"""Problems in a spec, reported as values with their location instead of raised one by one.

A problem is an ``error`` (the spec cannot be generated: :class:`SpecError`, exit 2) or a
``warning`` (something odd that does not change the client, such as a ``default`` that does not
match its own schema): warnings are printed and generation goes on, unless ``--strict``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem: where it is, what is wrong, and how to fix it."""

    file: Path
    line: int
    message: str
    hint: str = ""
    severity: str = ERROR

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.severity}: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    @property
    def is_warning(self) -> bool:
        return self.severity == WARNING


@dataclass(frozen=True)
class Location:
    """A place outside the spec that a problem can be about: a key of the project's pyproject.toml."""

    file: Path
    line: int

    def at(self, message: str, hint: str = "", severity: str = ERROR) -> Diagnostic:
        return Diagnostic(self.file, self.line, message, hint, severity)


class SpecError(Exception):
    """Raised once a stage has collected problems; carries all of them (errors, and the warnings
    found so far, which are printed with them)."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        self.diagnostics = sorted(set(diagnostics))
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[SpecError], tuple[list[Diagnostic]]]:
        # Raised in a worker (:mod:`.parallel`), it crosses to the parent pickled: rebuilt from its
        # diagnostics, not from its message.
        return (SpecError, (self.diagnostics,))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if not d.is_warning]
