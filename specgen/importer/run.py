"""One import: source → converted → selected → defaults → user's edits kept → ``specs/NAME.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import pipeline
from ..diagnostics import SpecError
from . import defaults, merge, oas30, select, source, swagger2, write
from .errors import ImportProblem


@dataclass
class ImportResult:
    path: Path
    version: str
    operations: int
    schemas: int
    changed: bool
    kept: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # the generator's located problems with the result


def convert(src: str, tags: tuple[str, ...] = (), operation_ids: tuple[str, ...] = ()) -> tuple[dict[str, Any], str]:
    """The source as an OpenAPI 3.1 document with only the selected operations, and its version."""
    data, version = source.read_source(src)
    if version == "2.0":
        data = swagger2.convert(data)
    data = oas30.convert(data, "3.1" if version == "3.1" else "3.0")
    return select.select(data, src, tags, operation_ids), version


def import_spec(src: str, provider: str, specs_dir: Path, tags: tuple[str, ...] = (),
                operation_ids: tuple[str, ...] = ()) -> ImportResult:
    """Write ``specs_dir/provider.yaml`` from ``src``; raise :class:`ImportProblem` and write nothing on error."""
    defaults.check_name(provider)
    doc, version = convert(src, tags, operation_ids)
    defaults.apply(doc, provider)
    target = specs_dir / f"{provider}.yaml"
    report = merge.MergeReport()
    previous = None
    if target.exists():
        try:
            previous = target.read_text(encoding="utf-8")
            old = yaml.safe_load(previous)
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            raise ImportProblem(str(target), f"cannot read the existing spec to keep its edits ({exc.__class__.__name__})",
                                "fix or move the file away, then import again") from None
        if isinstance(old, dict):
            report = merge.merge(doc, old)
    header = (f"# Imported with `specgen import {src} --provider {provider}` from {_VERSIONS[version]}.\n"
              "# Edit the x-specgen-* keys freely: importing again keeps them.\n")
    text = write.dump(doc, header)
    changed = text != previous
    if changed:
        write.write_atomic(target, text)
    ops = len(select.operations(doc))
    schemas = len((doc.get("components") or {}).get("schemas") or {})
    return ImportResult(target, version, ops, schemas, changed, report.kept, report.dropped, _refusals(target))


_VERSIONS = {"2.0": "Swagger 2.0", "3.0": "OpenAPI 3.0", "3.1": "OpenAPI 3.1"}


def _refusals(path: Path) -> list[str]:
    """What ``specgen validate`` would report about the written spec (empty: it passes)."""
    try:
        pipeline.build_all([path])
    except SpecError as exc:
        return [str(d) for d in exc.diagnostics]
    return []
