"""Text → files: format in process, write without ever leaving a half-written package, compare for ``check``."""

from __future__ import annotations

import difflib
import functools
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import black
import isort

_BLACK = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=100)
_ISORT = isort.Config(profile="black", line_length=100, quiet=True)
IGNORED = ("__pycache__", ".mypy_cache", ".pytest_cache")


@functools.lru_cache(maxsize=256)
def format_source(text: str) -> str:
    """isort then black, in process, with pinned versions and settings: the same bytes everywhere.

    Cached: every package carries the same runtime modules, so most files are formatted once per run.
    """
    return black.format_str(isort.code(text, config=_ISORT), mode=_BLACK)


def format_package(files: Mapping[str, str], header: str) -> dict[str, str]:
    """Python files formatted and opened with ``header``; other files as they are."""
    return {
        path: header + "\n" + format_source(text) if path.endswith(".py") else text
        for path, text in sorted(files.items())
    }


def write_packages(out_dir: Path, packages: Mapping[str, Mapping[str, str]]) -> None:
    """Replace ``out_dir/<package>/`` for each package; each swap is a rename, so readers never see half."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[Path, Path]] = []
    try:
        for package, files in sorted(packages.items()):
            stage = Path(tempfile.mkdtemp(prefix=f".{package}.tmp", dir=out_dir))
            staged.append((stage, out_dir / package))
            for relative, text in files.items():
                target = stage / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8", newline="\n")
        for stage, final in staged:
            old = final.with_name(f".{final.name}.old")
            if old.exists():
                shutil.rmtree(old)
            if final.exists():
                os.replace(final, old)
            os.replace(stage, final)
            shutil.rmtree(old, ignore_errors=True)
    finally:
        for stage, _ in staged:
            shutil.rmtree(stage, ignore_errors=True)


def read_package(directory: Path) -> dict[str, str]:
    """The files on disk under ``directory`` (caches ignored), keyed like generated files."""
    if not directory.is_dir():
        return {}
    files = {}
    for path in sorted(directory.rglob("*")):
        relative = path.relative_to(directory)
        if path.is_file() and not any(part in IGNORED for part in relative.parts):
            files[relative.as_posix()] = path.read_text(encoding="utf-8", errors="replace")
    return files


@dataclass(frozen=True)
class Difference:
    path: str  # relative to the output directory, e.g. "airplane/client.py"
    kind: str  # "changed", "missing" (should exist) or "extra" (should not exist)
    diff: str


def compare(out_dir: Path, packages: Mapping[str, Mapping[str, str]]) -> list[Difference]:
    """What differs between ``out_dir`` and freshly generated packages, as unified diffs."""
    differences = []
    for package, expected in sorted(packages.items()):
        actual = read_package(out_dir / package)
        for relative in sorted(set(expected) | set(actual)):
            shown = f"{out_dir.name}/{package}/{relative}"
            want, have = expected.get(relative), actual.get(relative)
            if want == have:
                continue
            kind = "missing" if have is None else "extra" if want is None else "changed"
            diff = "".join(difflib.unified_diff(
                (have or "").splitlines(keepends=True),
                (want or "").splitlines(keepends=True),
                fromfile=f"{shown} (on disk)",
                tofile=f"{shown} (from spec)",
            ))
            differences.append(Difference(shown, kind, diff))
    return differences
