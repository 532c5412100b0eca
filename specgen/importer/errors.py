"""The one error the importer raises: what went wrong, where, and how to fix it."""

from __future__ import annotations


class ImportProblem(Exception):
    def __init__(self, where: str, message: str, hint: str = "") -> None:
        super().__init__(f"{where}: {message}")
        self.where, self.message, self.hint = where, message, hint

    def __str__(self) -> str:
        text = f"{self.where}: error: {self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text
