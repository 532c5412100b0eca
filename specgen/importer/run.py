"""One import: source → converted → deep references inlined → selected → defaults → user's edits kept → ``specs/NAME.yaml``."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .. import pipeline, spec
from ..diagnostics import Diagnostic, SpecError
from ..yamlload import paused_gc
from . import defaults, merge, oas30, refs, select, source, swagger2, write
from .errors import ImportProblem

#: ``yaml.safe_load``'s loader, with libyaml's parser when there is one: the same data (the
#: constructor is the same), three times faster on a large spec.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


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
    refused_operations: list[str] = field(default_factory=list)  # 'METHOD /path' of the operations they are in


def convert(src: str, tags: tuple[str, ...] = (), operation_ids: tuple[str, ...] = ()) -> tuple[dict[str, Any], str]:
    """The source as an OpenAPI 3.1 document with only the selected operations, and its version."""
    data, version = source.read_source(src)
    try:
        if version == "2.0":
            data = swagger2.convert(data)
        data = oas30.convert(data, "3.1" if version == "3.1" else "3.0")
        refs.inline(data, src)
        return select.select(data, src, tags, operation_ids), version
    except (KeyError, TypeError, AttributeError, IndexError, ValueError) as exc:
        raise ImportProblem(src, f"the document has a structure the importer cannot convert ({type(exc).__name__}: {exc})",
                            "check it with an OpenAPI/Swagger validator; it must be a valid document of its version") from None
    except RecursionError:
        raise ImportProblem(src, "the document is nested too deeply to convert", "") from None


def import_spec(src: str, provider: str, specs_dir: Path, tags: tuple[str, ...] = (),
                operation_ids: tuple[str, ...] = ()) -> ImportResult:
    """Write ``specs_dir/provider.yaml`` from ``src``; raise :class:`ImportProblem` and write nothing on error."""
    defaults.check_name(provider)
    target = specs_dir / f"{provider}.yaml"
    report = merge.MergeReport()
    previous = old = None
    with paused_gc():  # documents of JSON data, with no cycles to collect: 10% faster on a large one
        doc, version = convert(src, tags, operation_ids)
        defaults.apply(doc, provider)
        if target.exists():
            try:
                previous = target.read_text(encoding="utf-8")
                old = yaml.load(previous, Loader=_SafeLoader)  # noqa: S506 - a safe loader
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
    del doc, text, previous, old  # the check reads the file written: a large document is not held twice
    problems = _refusals(target)
    return ImportResult(target, version, ops, schemas, changed, report.kept, report.dropped,
                        [str(d) for d in problems], _operations_of(target, problems))


_VERSIONS = {"2.0": "Swagger 2.0", "3.0": "OpenAPI 3.0", "3.1": "OpenAPI 3.1"}


def _refusals(path: Path) -> list[Diagnostic]:
    """What ``specgen validate`` would report about the written spec (empty: it passes). The spec
    is checked and its models built, as ``generate`` does it (which then finds both results in the
    cache), but no template is rendered: that cannot refuse a spec."""
    try:
        pipeline.check_all([path])
    except SpecError as exc:
        return list(exc.diagnostics)
    return []


def _operations_of(path: Path, problems: list[Diagnostic]) -> list[str]:
    """The operations (``METHOD /path``) the problems are located in, in file order; problems
    outside any operation (in a shared component, say) name none."""
    if not problems:
        return []
    try:
        lines = spec.read(path).lines
    except SpecError:
        return []
    starts = sorted((line, pointer) for pointer, line in lines.items() if 1 <= len(pointer) <= 3)
    found: dict[str, None] = {}
    for problem in problems:
        enclosing = [pointer for line, pointer in starts if line <= problem.line]
        if not enclosing:
            continue
        pointer = enclosing[-1]
        if len(pointer) == 3 and pointer[0] == "paths" and pointer[2] in select.METHODS:
            found[f"{pointer[2].upper()} {pointer[1]}"] = None
    return list(found)
