"""One transcription: pages (files, or folders walked) → facts → document → merged → written or compared."""

from __future__ import annotations

import os
import tempfile
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import naming, pipeline, spec
from ..diagnostics import SpecError
from ..importer import ImportProblem, defaults, write
from . import dialects, merge
from .build import INFERRED, Built, build
from .facts import PageFacts, Problem
from .page import MAX_PAGES, MAX_TOTAL_BYTES, Loc, PageError, parse, read_text

HEADER = ("# Transcribed from documentation pages by `specgen transcribe`: x-specgen-source says where each part\n"
          "# was read, x-specgen-inferred what the pages did not show. Transcribing again keeps your edits and\n"
          "# x-specgen-* keys; x-specgen-pinned: true keeps a part exactly as it is.\n")
PAGE_SUFFIXES = (".md", ".markdown")


class TranscribeError(Exception):
    """Located problems that stop the transcription; nothing is written."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(map(str, problems)))
        self.problems = problems


@dataclass
class Result:
    path: Path
    text: str
    changed: bool
    existed: bool
    pages: int
    schemas: int
    operations: int
    notes: list[Problem] = field(default_factory=list)


def _display(path: Path) -> str:
    return os.path.normpath(str(path))


def folders_of(arguments: list[Path]) -> list[str]:
    return [os.path.abspath(a) for a in arguments if a.is_dir()]


def collect(arguments: list[Path], wire_case: str | None = None) -> tuple[list[PageFacts], list[Problem], list[Problem]]:
    """The facts of every page: the files named, the pages of the folders named (walked), and the
    pages they link to inside those folders. Returns (facts, errors, notes)."""
    errors: list[Problem] = []
    notes: list[Problem] = []
    queue: deque[tuple[Path, bool]] = deque()
    roots: list[str] = []
    for argument in arguments:
        if argument.is_dir():
            roots.append(os.path.abspath(argument))
            found = sorted(p for p in argument.rglob("*") if p.suffix in PAGE_SUFFIXES and p.is_file())
            queue.extend((p, False) for p in found)
            if not found:
                errors.append(Problem(Loc(_display(argument), 1), "no markdown pages (*.md) in this folder", "pass pages or a docs folder"))
        elif argument.is_file():
            roots.append(os.path.abspath(argument.parent))
            queue.append((argument, True))
        else:
            errors.append(Problem(Loc(_display(argument), 1), "no such file or folder", "check the path"))
    seen: set[str] = set()
    facts: list[PageFacts] = []
    total = 0
    while queue:
        path, explicit = queue.popleft()
        key = os.path.abspath(path)
        if key in seen:
            continue
        seen.add(key)
        if len(seen) > MAX_PAGES:
            errors.append(Problem(Loc(_display(path), 1), f"more than {MAX_PAGES} pages", "transcribe fewer pages at a time"))
            break
        name = _display(path)
        try:
            total += path.stat().st_size
            if total > MAX_TOTAL_BYTES:
                errors.append(Problem(Loc(name, 1), f"the pages add up to more than {MAX_TOTAL_BYTES // 2**20} MiB",
                                      "transcribe fewer pages at a time"))
                break
            text = read_text(path)
            page = parse(path, name, text)
        except PageError as exc:
            errors.append(Problem(Loc(name, exc.line), exc.message, exc.hint))
            continue
        except OSError as exc:
            errors.append(Problem(Loc(name, 1), f"cannot read the page: {exc.strerror or exc}", ""))
            continue
        try:
            read = dialects.read(page, wire_case)
        except RecursionError:
            errors.append(Problem(Loc(name, 1), "page is nested too deeply to read", ""))
            continue
        if read is None:
            if explicit:
                errors.append(Problem(Loc(name, 1), "not a documentation page of a known dialect "
                                      "(Speakeasy SDK docs, openapi-generator docs, REST reference pages)",
                                      "pass model, enum or operation pages"))
            else:
                notes.append(Problem(Loc(name, 1), "skipped: not a page of a known dialect", severity="note"))
            continue
        facts.append(read)
        errors.extend(p for p in read.problems if p.severity == "error")
        notes.extend(p for p in read.problems if p.severity != "error")
        for target, _ in read.links:
            absolute = os.path.abspath(target)
            if absolute not in seen and Path(target).is_file() and Path(target).suffix in PAGE_SUFFIXES \
                    and any(absolute.startswith(root + os.sep) for root in roots):
                queue.append((Path(target), False))
    return facts, errors, notes


def fresh(built: Built, provider: str, names: list[str]) -> tuple[dict[str, Any], list[Problem]]:
    """A new spec from the pages alone: what the pages cannot show is stated, not invented."""
    first = Loc(names[0], 1) if names else Loc("?", 1)
    info: dict[str, Any] = {
        "title": f"{naming.pascal(provider)} API",
        "version": "0.0.0",
        "x-specgen-package": provider,
        "x-specgen-client": defaults.client_name(provider),
        INFERRED: ["version: 0.0.0 (the pages show no API version)",
                   "servers: none on the pages: the client takes base_url=, or add servers to the spec",
                   "security: none on the pages: the client sends no credentials until you add securitySchemes "
                   "(with x-specgen-env) and security to the spec"],
    }
    paths: dict[str, dict[str, Any]] = {}
    problems = [Problem(first, "the pages show no server URL and no authentication: the spec has none; add `servers` and "
                        "`components/securitySchemes` to it (transcribing again keeps them)", severity="warning")]
    for path, method, op in sorted(built.operations, key=lambda item: (item[0], merge.METHODS.index(item[1])
                                                                      if item[1] in merge.METHODS else 99)):
        item = paths.setdefault(path, {})
        if method in item:
            problems.append(Problem(_loc(op), f"{method.upper()} {path} is transcribed twice (also at {item[method].get('x-specgen-source')})",
                                    "two pages describe the same operation: pass one of them"))
            continue
        item[method] = op
    doc: dict[str, Any] = {"openapi": "3.1.0", "info": info, "paths": paths,
                           "components": {"schemas": dict(sorted(built.schemas.items()))}}
    return doc, problems


def _loc(node: dict[str, Any]) -> Loc:
    where = str(node.get("x-specgen-source", "?:1"))
    page, _, line = where.rpartition(":")
    return Loc(page, int(line) if line.isdigit() else 1)


def transcribe(arguments: list[Path], provider: str, specs_dir: Path, wire_case: str | None = None,
               write_file: bool = True) -> Result:
    """Transcribe the pages into ``specs_dir/provider.yaml`` (written only when ``write_file``);
    :class:`TranscribeError` with every located problem when anything is wrong, nothing written."""
    try:
        defaults.check_name(provider)
    except ImportProblem as exc:
        raise TranscribeError([Problem(Loc("--provider", 1), exc.message, exc.hint)]) from None
    target = specs_dir / f"{provider}.yaml"
    old: spec.Spec | None = None
    if target.exists():
        try:
            old = spec.read(target)
        except SpecError as exc:
            raise TranscribeError([Problem(Loc(str(d.file), d.line), d.message, d.hint) for d in exc.errors]) from None
    pages, errors, notes = collect(arguments, wire_case)
    if errors:
        raise TranscribeError(errors + [n for n in notes if n.severity == "warning"])
    if not pages:
        raise TranscribeError([Problem(Loc(_display(arguments[0]) if arguments else "?", 1), "no documentation pages found",
                                       "pass Speakeasy, openapi-generator or REST reference pages")])
    schemas = list(((old.data.get("components") or {}).get("schemas") or {}) if old else [])
    built = build(pages, schemas if isinstance(schemas, list) else [], folders_of(arguments))
    if any(p.severity == "error" for p in built.problems):
        raise TranscribeError([p for p in built.problems if p.severity == "error"])
    notes.extend(built.problems)
    if old is not None:
        merger = merge.Merger(str(target), old.lines)
        doc = merger.merge(built, old.data)
        notes.extend(merger.notes)
    else:
        names = [p.models[0].loc.page if p.models else p.operations[0].loc.page for p in pages
                 if p.models or p.operations]
        doc, found = fresh(built, provider, names)
        notes.extend(found)
    if any(n.severity == "error" for n in notes):
        raise TranscribeError([n for n in notes if n.severity == "error"])
    text = write.dump(doc, HEADER)
    _validate(text, provider, target)
    previous = target.read_text(encoding="utf-8") if target.exists() else None
    changed = text != previous
    if write_file and changed:
        try:
            write.write_atomic(target, text)
        except ImportProblem as exc:
            raise TranscribeError([Problem(Loc(exc.where, 1), exc.message, exc.hint)]) from None
    operations = sum(1 for item in (doc.get("paths") or {}).values() if isinstance(item, dict)
                     for m in item if m in merge.METHODS)
    return Result(target, text, changed, old is not None, len(pages), len((doc.get("components") or {}).get("schemas") or {}),
                  operations, sorted(notes, key=lambda n: (n.loc.page, n.loc.line, n.message)))


def _validate(text: str, provider: str, target: Path) -> None:
    """The transcription must be a spec ``specgen generate`` accepts: checked before anything is written."""
    with tempfile.TemporaryDirectory(prefix="specgen-transcribe-") as folder:
        path = Path(folder) / f"{provider}.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            pipeline.build_all([path], formatted=False)
        except SpecError as exc:
            shown = f"{target} (as transcribed)"
            raise TranscribeError([Problem(Loc(shown, d.line), d.message, d.hint, d.severity) for d in exc.errors]) from None
