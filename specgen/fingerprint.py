"""What specgen's output depends on besides the spec: its generator code, its templates, and the
versions of the pinned tools. Hashes of each, for the result cache and the manifest."""

from __future__ import annotations

import functools
import hashlib
from importlib import metadata
from pathlib import Path

#: The pinned distributions that shape the output (pyproject.toml pins each to one version).
#: jsonschema-rs decides nothing alone (specgen/validator.py), but a version that called an invalid spec
#: valid would let it through: pinned and recorded like the others.
OUTPUT_TOOLS = ("black", "isort", "jsonschema-rs", "openapi-spec-validator", "pydantic")
#: Every distribution whose version can change a cached result (the validator's own dependencies too).
TOOLS = (*OUTPUT_TOOLS, "jsonschema", "pyyaml")
_PACKAGE = Path(__file__).resolve().parent
_TEMPLATES = _PACKAGE / "templates"


def _hash_files(paths: list[Path], base: Path = _PACKAGE) -> str:
    """One hash of the files' paths (relative to ``base``) and contents."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(base).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _shipped(path: Path) -> bool:
    return path.is_file() and "__pycache__" not in path.parts


def folder(path: Path) -> str:
    """A hash of every file under ``path`` (a user's template overrides), by relative path."""
    return _hash_files([p for p in path.rglob("*") if _shipped(p)], path)


@functools.cache
def generator() -> str:
    """A hash of specgen's Python modules (the templates excluded)."""
    return _hash_files([p for p in _PACKAGE.rglob("*.py") if _shipped(p) and _TEMPLATES not in p.parents])


@functools.cache
def templates() -> str:
    """A hash of every template and runtime file specgen renders or copies."""
    return _hash_files([p for p in _TEMPLATES.rglob("*") if _shipped(p)])


@functools.cache
def tools(names: tuple[str, ...] = OUTPUT_TOOLS) -> dict[str, str]:
    """The installed version of each of ``names`` (by default, the pinned tools that shape the output)."""
    found = {}
    for tool in names:
        try:
            found[tool] = metadata.version(tool)
        except metadata.PackageNotFoundError:
            found[tool] = "-"
    return found


def everything() -> str:
    """One hash of the code, the templates and every tool of :data:`TOOLS`: the result cache's key."""
    return hashlib.sha256(f"{generator()}\0{templates()}\0{sorted(tools(TOOLS).items())}".encode()).hexdigest()
