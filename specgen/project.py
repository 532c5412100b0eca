"""A user's project as specgen sees it: the ``[tool.specgen]`` table of its ``pyproject.toml``, and
the spec files in its specs folder.

The settings come from the nearest ``pyproject.toml`` (from the working folder upward) that has a
``[tool.specgen]`` table, so specgen runs the same from any subfolder; paths in it are relative to
its folder. A project without the table gets exactly specgen's defaults. Every key is checked here,
once: an unknown key or a value of the wrong type is one located problem (``pyproject.toml:LINE``)
before anything runs. Names are checked where every package name is (:mod:`specgen.ir`).

Kept free of the generator's heavy modules: ``specgen check`` answered from the manifest reads it.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, Location, SpecError

#: Spec files ``generate`` and ``check`` read: YAML, or JSON (which the YAML reader reads too).
SPEC_SUFFIXES = (".yaml", ".yml", ".json")
PYPROJECT = "pyproject.toml"
TABLE = ("tool", "specgen")
#: The keys of ``[tool.specgen]`` and what each must hold.
PATH_KEYS = ("specs", "out", "templates")
KEYS = (*PATH_KEYS, "providers", "strict", "package-prefix", "provider")
#: The keys of ``[tool.specgen.provider.<name>]``.
PROVIDER_KEYS = ("package", "package-prefix")


def spec_files(specs_dir: Path) -> list[Path]:
    return sorted(p for p in specs_dir.glob("*") if p.suffix in SPEC_SUFFIXES and p.is_file())


@dataclass(frozen=True)
class PackageOptions:
    """How the project names one provider's package: ``package`` as written, else ``prefix`` before
    the spec's ``info.x-specgen-package``. ``*_at``: where each was written, for located problems."""

    package: str | None = None
    package_at: Location | None = None
    prefix: str = ""
    prefix_at: Location | None = None

    def record(self) -> dict[str, str]:
        """The options as the manifest records them (only those set), so ``check`` sees a change."""
        return {**({"package": self.package} if self.package is not None else {}),
                **({"package-prefix": self.prefix} if self.prefix else {})}


@dataclass(frozen=True)
class Settings:
    """``[tool.specgen]`` as read; every field None (or empty) when the project has no such table.
    Paths are relative to the working folder when they can be, so messages read as they do without it."""

    source: Path | None = None  # the pyproject.toml, as messages name it
    specs: Path | None = None
    out: Path | None = None
    templates: Path | None = None
    providers: tuple[str, ...] | None = None
    strict: bool | None = None
    prefix: str = ""
    provider: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    lines: Mapping[tuple[str, ...], int] = field(default_factory=dict)

    def at(self, *key: str) -> Location:
        """Where ``[tool.specgen]``'s ``key`` (a path: "provider", "airplane", "package") is written."""
        assert self.source is not None
        return Location(self.source, _line(self.lines, (*TABLE, *key)))

    def package_options(self, provider: str) -> PackageOptions:
        """The naming options for the spec whose file stem is ``provider``."""
        own = self.provider.get(provider, {})
        if "package" in own:
            return PackageOptions(package=own["package"], package_at=self.at("provider", provider, "package"))
        if "package-prefix" in own:
            return PackageOptions(prefix=own["package-prefix"], prefix_at=self.at("provider", provider, "package-prefix"))
        return PackageOptions(prefix=self.prefix, prefix_at=self.at("package-prefix") if self.prefix else None)

    def check_providers(self, known: list[str]) -> None:
        """Refuse a provider named in the settings that has no spec (a typo would otherwise be ignored)."""
        hint = f"specs: {', '.join(known) or '(none)'}"
        problems = [self.at("providers").at(f"provider {name!r} has no spec in the specs folder", hint)
                    for name in self.providers or () if name not in known]
        problems += [self.at("provider", name).at(f"[tool.specgen.provider.{name}] names no spec in the specs folder",
                                                  f"name the table after a spec's file stem; {hint}")
                     for name in self.provider if name not in known]
        if problems:
            raise SpecError(problems)


def load(start: Path | None = None) -> Settings:
    """The settings of the nearest pyproject.toml from ``start`` (the working folder) upward that
    has a ``[tool.specgen]`` table; empty settings when there is none. :class:`SpecError` on a
    problem in the table (or a pyproject.toml that mentions it and is not valid TOML)."""
    start = Path.cwd() if start is None else start
    for folder in (start, *start.parents):
        path = folder / PYPROJECT
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        if "specgen" not in text:
            continue
        shown = Path(os.path.relpath(path))
        table = specgen_table(parse(text, shown))
        if table is None:
            continue
        return _settings(table, shown, _key_lines(text))
    return Settings()


def parse(text: str, shown: Path) -> dict[str, Any]:
    """The TOML document ``text`` (of the file ``shown``), or a located :class:`SpecError`."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"at line (\d+)", str(exc))  # else "at end of document"
        line = int(found.group(1)) if found else max(1, len(text.splitlines()))
        raise SpecError([Diagnostic(shown, line, f"not valid TOML: {exc}",
                                    "fix the syntax (https://toml.io); specgen reads [tool.specgen] from it")]) from None


def specgen_table(data: dict[str, Any]) -> Any:
    """``tool.specgen`` of a parsed pyproject.toml, or None."""
    tool = data.get("tool")
    return tool.get("specgen") if isinstance(tool, dict) else None


def _settings(table: Any, source: Path, lines: dict[tuple[str, ...], int]) -> Settings:
    problems: list[Diagnostic] = []
    settings = Settings(source=source, lines=lines)

    def problem(key: tuple[str, ...], message: str, hint: str) -> None:
        problems.append(settings.at(*key).at(message, hint))

    if not isinstance(table, dict):
        problem((), "tool.specgen must be a table", "write it as a [tool.specgen] table of keys")
        raise SpecError(problems)
    values: dict[str, Any] = {}
    for key, value in table.items():
        where = f"[tool.specgen] {key}"
        if key not in KEYS:
            problem((key,), f"unknown key {key!r} in [tool.specgen]", _known(key, KEYS))
        elif key in PATH_KEYS:
            if not isinstance(value, str) or not value:
                problem((key,), f"{where} must be a folder name, not {_shown(value)}",
                        f'write e.g. {key} = "{_EXAMPLES[key]}"')
            else:
                values[key] = value
        elif key == "package-prefix":
            if _prefix(value, where, (key,), problem):
                values[key] = value
        elif key == "providers":
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                problem((key,), f"{where} must be a list of provider names, not {_shown(value)}",
                        'write e.g. providers = ["airplane", "kubeflow"] (spec file stems)')
            else:
                values[key] = tuple(value)
        elif key == "strict":
            if not isinstance(value, bool):
                problem((key,), f"{where} must be true or false, not {_shown(value)}", "write strict = true")
            else:
                values[key] = value
        else:
            values[key] = _providers(value, problem)
    if problems:
        raise SpecError(problems)
    def path(key: str) -> Path | None:
        """A folder of the settings, from the working folder (relative to the pyproject.toml's own;
        specs and out default to specgen's folder names there, so a subfolder finds them too)."""
        if key not in values and key not in _DEFAULT_FOLDERS:
            return None
        written = Path(values.get(key, _DEFAULT_FOLDERS.get(key, "")))
        return written if written.is_absolute() else Path(os.path.relpath(source.parent / written))

    return dataclasses.replace(settings, specs=path("specs"), out=path("out"), templates=path("templates"),
                               providers=values.get("providers"), strict=values.get("strict"),
                               prefix=values.get("package-prefix", ""), provider=values.get("provider", {}))


def _providers(value: Any, problem: Any) -> dict[str, dict[str, str]]:
    """``[tool.specgen.provider.<name>]`` tables, checked."""
    if not isinstance(value, dict):
        problem(("provider",), f"[tool.specgen] provider must be a table, not {_shown(value)}",
                "write a [tool.specgen.provider.<name>] table per provider")
        return {}
    found: dict[str, dict[str, str]] = {}
    for name, options in value.items():
        table = f"[tool.specgen.provider.{name}]"
        if not isinstance(options, dict):
            problem(("provider", name), f"{table} must be a table, not {_shown(options)}",
                    f'write {table} with package = "..." or package-prefix = "..."')
            continue
        found[name] = {}
        for key, option in options.items():
            if key not in PROVIDER_KEYS:
                problem(("provider", name, key), f"unknown key {key!r} in {table}", _known(key, PROVIDER_KEYS))
            elif key == "package-prefix" and not _prefix(option, f"{table} {key}", ("provider", name, key), problem):
                continue
            elif not isinstance(option, str):
                problem(("provider", name, key), f"{table} {key} must be a string, not {_shown(option)}",
                        f'write e.g. {key} = "{_EXAMPLES[key]}"')
            else:
                found[name][key] = option
        if len(found[name]) == 2:
            problem(("provider", name, "package-prefix"), f"{table} sets both package and package-prefix",
                    "package is used as written, with no prefix: keep one of them")
    return found


def _prefix(value: Any, where: str, key: tuple[str, ...], problem: Any) -> bool:
    """Whether ``value`` can start a package name (the whole name is checked with the spec's part)."""
    if isinstance(value, str) and (value == "" or _PREFIX.fullmatch(value)):
        return True
    shown = repr(value) if isinstance(value, str) else _shown(value)
    problem(key, f"{where} must be a string that starts with a letter and holds only ASCII letters, digits and "
            f"underscores, not {shown}", f'write e.g. package-prefix = "{_EXAMPLES["package-prefix"]}"')
    return False


_DEFAULT_FOLDERS = {"specs": "specs", "out": "generated"}
_PREFIX = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_EXAMPLES = {"specs": "specs", "out": "generated", "templates": "specgen-templates",
             "package-prefix": "acme_", "package": "acme_airplane"}


def _known(key: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(key, known, n=1)
    return (f"did you mean {close[0]!r}? " if close else "") + f"the keys are: {', '.join(known)}"


def _shown(value: Any) -> str:
    kind = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list",
            dict: "a table"}.get(type(value), "a date or time")
    return f"{kind} ({value!r})" if not isinstance(value, (dict, list)) else kind


# -- where each key is written ---------------------------------------------------------------------
# tomllib gives values, not lines; a key's line is found in the text. A header ``[a.b]`` or a key
# ``x.y = ...`` under it records its full dotted path; a key inside an inline table is found at the
# line of the outermost key that holds it.

_PART = r'(?:"(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+)'
_DOTTED = rf"{_PART}(?:\s*\.\s*{_PART})*"
_HEADER = re.compile(rf"^\s*\[\[?\s*({_DOTTED})\s*\]\]?")
_ASSIGNMENT = re.compile(rf"^\s*({_DOTTED})\s*=")


def _parts(dotted: str) -> tuple[str, ...]:
    return tuple(part.strip('"\'') for part in re.findall(_PART, dotted))


def _key_lines(text: str) -> dict[tuple[str, ...], int]:
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        assignment = None if header else _ASSIGNMENT.match(line)
        if header:
            table = _parts(header.group(1))
            key = table
        elif assignment:
            key = (*table, *_parts(assignment.group(1)))
        else:
            continue
        for end in range(1, len(key) + 1):
            lines.setdefault(key[:end], number)
    return lines


def _line(lines: Mapping[tuple[str, ...], int], key: tuple[str, ...]) -> int:
    """The line of ``key``, or of the closest enclosing key written (1 when there is none)."""
    for end in range(len(key), 0, -1):
        if key[:end] in lines:
            return lines[key[:end]]
    return 1
