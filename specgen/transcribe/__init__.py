"""``specgen transcribe``: documentation pages → located facts (one module per dialect) → one spec.

The flow is one way: :mod:`.page` reads a page within bounds and parses it with markdown-it-py;
a dialect (:mod:`.dialects`) turns it into located facts (:mod:`.facts`); :mod:`.build` checks the
facts of all pages together (links, models defined twice) and makes an OpenAPI 3.1 document,
every inference marked (:mod:`.rules`); :mod:`.merge` lays it over the existing spec, keeping the
user's edits; :mod:`.run` writes it (atomically, deterministically) or compares it (``--check``).
"""

from __future__ import annotations

from pathlib import Path

from .run import Result, TranscribeError, transcribe

__all__ = ["Result", "TranscribeError", "check", "transcribe"]


def _diff(result: Result) -> object:
    """The ``specgen diff`` of the spec and its transcription; each change's note says which page it comes from."""
    import dataclasses

    from .. import diff, yamlload

    old = diff.from_file(result.path)
    new = diff.Source(f"{result.path} (transcribed from the pages)", Path(result.path).name, result.text.encode("utf-8"))
    found = diff.diff(old, new)
    data, lines = yamlload.load_yaml(Path(new.display), result.text)
    sources = sorted((line, _source(data, pointer)) for pointer, line in lines.items())
    changes = []
    for change in found.changes:
        before = [source for line, source in sources if line <= change.line and source]
        page = before[-1] if before else ""
        note = "; ".join(part for part in (change.note, f"from {page}" if page else "") if part)
        changes.append(dataclasses.replace(change, note=note))
    return dataclasses.replace(found, changes=tuple(changes))


def _source(data: object, pointer: tuple[str, ...]) -> str:
    """The ``x-specgen-source`` of the node at ``pointer``, or of its closest ancestor that has one."""
    nodes = [data]
    for part in pointer:
        node = nodes[-1]
        if isinstance(node, dict) and part in node:
            nodes.append(node[part])
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            nodes.append(node[int(part)])
        else:
            break
    for node in reversed(nodes):
        if isinstance(node, dict) and isinstance(node.get("x-specgen-source"), str):
            return str(node["x-specgen-source"])
    return ""


def check(result: Result, form: str = "text") -> tuple[str, bool]:
    """(the ``specgen diff`` report, in ``form``, from the spec to its transcription; whether they disagree)."""
    from ..diff import PackageDiff, report

    found = _diff(result)
    assert isinstance(found, PackageDiff)
    return report.render([found], form), bool(found.changes)
