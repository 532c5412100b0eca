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

__all__ = ["Result", "TranscribeError", "check", "check_report", "transcribe"]


def _diff(result: Result) -> object:
    from .. import diff

    old = diff.from_file(result.path)
    new = diff.Source(f"{result.path} (transcribed from the pages)", Path(result.path).name, result.text.encode("utf-8"))
    return diff.diff(old, new)


def check_report(result: Result, form: str) -> str:
    """The ``specgen diff`` report from the spec to its transcription, in ``form``."""
    from ..diff import PackageDiff, report

    found = _diff(result)
    assert isinstance(found, PackageDiff)
    return report.render([found], form)


def check(result: Result) -> tuple[str, bool]:
    """(the text report, whether the pages and the spec disagree in client terms)."""
    from ..diff import PackageDiff, report

    found = _diff(result)
    assert isinstance(found, PackageDiff)
    return report.render([found], "text"), bool(found.changes)
