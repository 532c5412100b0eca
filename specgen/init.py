"""``specgen init``: set a project up for specgen without touching what is already there.

It creates the specs folder (with a short README), adds a ``[tool.specgen]`` table to the project's
``pyproject.toml`` (creating the file when there is none, appending to it otherwise, so the user's
text stays byte for byte), and returns the pre-commit and CI snippets to print. Running it again
changes nothing; a table that says something else is left alone and reported (the user decides).
Everything is decided before anything is written.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from . import __version__, project
from .diagnostics import Diagnostic, SpecError


@dataclass(frozen=True)
class Plan:
    """What ``init`` will write: ``pyproject`` (None: unchanged) and ``readme`` (None: already there)."""

    pyproject: tuple[Path, str] | None
    readme: tuple[Path, str] | None
    created_pyproject: bool

    def changes(self) -> list[str]:
        done = [f"created {self.readme[0]}"] if self.readme else []
        if self.pyproject:
            done.append(f"{'created' if self.created_pyproject else 'added [tool.specgen] to'} {self.pyproject[0]}")
        return done


def table(specs: Path, out: Path) -> str:
    return ("[tool.specgen]\n"
            "# specgen's settings: paths are relative to this file; the command line overrides them.\n"
            f"specs = {_toml_string(specs.as_posix())}\n"
            f"out = {_toml_string(out.as_posix())}\n")


def plan(specs: Path, out: Path) -> Plan:
    """The changes that set up the working folder with ``specs`` and ``out``; :class:`SpecError`
    when a file is in the way or pyproject.toml already has a [tool.specgen] that says otherwise."""
    pyproject = Path(project.PYPROJECT)
    if specs.exists() and not specs.is_dir():
        raise SpecError([Diagnostic(specs, 1, f"{specs} is a file, not a folder",
                                    "move it, or choose another folder with --specs")])
    # A README goes only into a new (or empty) specs folder: one that holds files is the user's.
    new_readme = None if specs.is_dir() and any(specs.iterdir()) else (specs / "README.md", _readme(specs, out))
    try:
        text = pyproject.read_bytes().decode("utf-8")  # as written: its line endings are kept
    except FileNotFoundError:
        return Plan((pyproject, table(specs, out)), new_readme, created_pyproject=True)
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([Diagnostic(pyproject, 1, f"cannot read {pyproject}: {exc}",
                                    "fix its permissions or encoding")]) from None
    if project.specgen_table(project.parse(text, pyproject)) is None:
        newline = "\r\n" if "\r\n" in text else "\n"
        separator = "" if not text.strip() else newline if text.endswith("\n") else newline * 2
        appended = text + separator + table(specs, out).replace("\n", newline)
        return Plan((pyproject, appended), new_readme, created_pyproject=False)
    settings = project.load()  # the table is here (the nearest): it must be valid, and say what init would
    has = {"specs": settings.specs or Path("specs"), "out": settings.out or Path("generated")}
    if {key: os.path.normpath(value) for key, value in has.items()} != {
            "specs": os.path.normpath(specs), "out": os.path.normpath(out)}:
        written = ", ".join(f'{key} = "{value.as_posix()}"' for key, value in has.items())
        raise SpecError([settings.at().at(
            f"pyproject.toml already has a [tool.specgen] table ({written}); init leaves it as it is",
            f"edit the table, or run `specgen init --specs {has['specs'].as_posix()} --out {has['out'].as_posix()}` "
            "to set up the folders it names")])
    return Plan(None, new_readme, created_pyproject=False)


def snippets(specs: Path, out: Path) -> str:
    """The pre-commit hooks (those of specgen's .pre-commit-hooks.yaml, run from the installed
    specgen) and a GitHub Actions job, for this project's folders."""
    folders = "|".join(re.escape(p.as_posix().rstrip("/") + "/") for p in (specs, out))
    return f"""\
# .pre-commit-config.yaml: specgen's hooks (specgen-check, specgen-validate), run by the installed specgen
repos:
  - repo: local
    hooks:
      - id: specgen-check
        name: specgen check (generated/ matches specs/)
        entry: specgen check
        language: system
        pass_filenames: false
        files: ^({folders}|pyproject\\.toml$)
      - id: specgen-validate
        name: specgen validate --strict
        entry: specgen validate --strict
        language: system
        pass_filenames: false
        files: ^{re.escape(specs.as_posix().rstrip("/") + "/")}

# .github/workflows/specgen.yml: CI fails when {out.as_posix()}/ and {specs.as_posix()}/ disagree
name: specgen
on: [push, pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.11"
      - run: pip install specgen=={__version__}  # or the wheel or path your team installs specgen from
      - run: specgen validate --strict
      - run: specgen check
"""


def _readme(specs: Path, out: Path) -> str:
    return f"""\
# API specs

One OpenAPI 3.1 spec per provider (`NAME.yaml`, `.yml` or `.json`). specgen generates a typed Python
client from each into `{out.as_posix()}/`:

```bash
specgen import https://example.com/openapi.json --provider NAME   # writes {specs.as_posix()}/NAME.yaml
specgen validate                                                  # every problem, with file:line
specgen generate                                                  # writes {out.as_posix()}/<package>/
specgen check                                                     # in CI: fails when they disagree
```

Commit the specs and the generated code together. The settings are in `[tool.specgen]` of
`pyproject.toml`.
"""


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
