"""Changes → text for a terminal, markdown for a pull-request comment, or JSON for tools.

Every string that came from a spec (a path, an enum value, a URL) is printed through
:func:`text.printable`, so a report cannot carry a terminal escape or break its own lines; the
markdown also escapes what a table cell or a code span would read as syntax.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from ..text import printable
from . import PackageDiff

FORMATS = ("text", "markdown", "json")
JSON_VERSION = 1


def render(diffs: Sequence[PackageDiff], form: str) -> str:
    return {"text": text, "markdown": markdown, "json": as_json}[form](diffs)


def _where(diff: PackageDiff, line: int) -> str:
    return f"{diff.new or diff.old}:{line}"


def _counts(diff: PackageDiff) -> str:
    if not diff.changes:
        return "no changes to the client"
    return f"{diff.breaking} breaking, {diff.compatible} compatible"


def _sides(diff: PackageDiff) -> str:
    return f"{diff.old or '(none)'} -> {diff.new or '(none)'}"


def text(diffs: Sequence[PackageDiff]) -> str:
    """One header line per package, then one line per change (``file:line: severity: message``)."""
    if not diffs:
        return "no spec changed\n"
    lines = []
    for diff in diffs:
        lines.append(printable(f"{diff.package}: {_sides(diff)}: {_counts(diff)}"))
        for change in diff.changes:
            note = f" ({change.note})" if change.note else ""
            lines.append(printable(f"  {_where(diff, change.line)}: {change.severity}: {change.message}{note}"))
    return "\n".join(lines) + "\n"


#: What markdown reads as syntax inside a table cell (block syntax such as ``#`` cannot start a cell).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&])")


def md_text(value: str) -> str:
    """Plain text for a markdown table cell: every character markdown could read as syntax escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(value))


def md_code(value: str) -> str:
    """``value`` as a code span in a table cell: fenced by more backticks than it contains, pipes
    escaped (a table splits cells on them even inside code)."""
    value = printable(value).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {value} " if value.startswith("`") or value.endswith("`") else value
    return f"{fence}{padded}{fence}"


def markdown(diffs: Sequence[PackageDiff]) -> str:
    """A heading and a table per package, breaking changes first (as in every format)."""
    if not diffs:
        return "No spec changed.\n"
    breaking = sum(d.breaking for d in diffs)
    parts = [f"## Client changes: {breaking} breaking, {sum(d.compatible for d in diffs)} compatible\n"]
    for diff in diffs:
        parts.append(f"### {md_code(diff.package)}: {md_text(_counts(diff))}\n")
        parts.append(f"{md_code(diff.old or '(none)')} → {md_code(diff.new or '(none)')}\n")
        if diff.changes:
            parts.append(table(diff))
    return "\n".join(parts)


def table(diff: PackageDiff) -> str:
    """The changes of one package as a markdown table (for a report, and for a changelog entry)."""
    rows = ["| | Change | Where |", "|---|---|---|"]
    for change in diff.changes:
        mark = "**breaking**" if change.breaking else "compatible"
        note = f" ({md_text(change.note)})" if change.note else ""
        rows.append(f"| {mark} | {md_text(change.message)}{note} | {md_code(_where(diff, change.line))} |")
    return "\n".join(rows) + "\n"


def as_json(diffs: Sequence[PackageDiff]) -> str:
    """Stable JSON: ``{"version", "breaking", "compatible", "packages": [...]}``, one object per change."""
    document = {
        "version": JSON_VERSION,
        "breaking": sum(d.breaking for d in diffs),
        "compatible": sum(d.compatible for d in diffs),
        "packages": [
            {
                "package": diff.package,
                "old": diff.old,
                "new": diff.new,
                "breaking": diff.breaking,
                "compatible": diff.compatible,
                "changes": [
                    {
                        "severity": change.severity,
                        "kind": change.kind,
                        "subject": change.subject,
                        "message": change.message,
                        "note": change.note,
                        "file": diff.new or diff.old,
                        "line": change.line,
                        "old_file": diff.old,
                        "old_line": change.old_line if diff.old else None,
                    }
                    for change in diff.changes
                ],
            }
            for diff in diffs
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
