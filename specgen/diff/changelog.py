"""``CHANGELOG.md`` inside a generated package: what each spec change did to the client, newest first.

``specgen generate --changelog`` compares each spec with its committed version and, when the client
changed, puts an entry at the top of the package's changelog, so a vendored copy carries its own
history. Each entry records the hashes of the two specs it compares; running ``generate
--changelog`` again before committing replaces the newest entry when it was made from the same
committed spec, instead of stacking a second one. The file belongs to the user: ``generate`` keeps
it and ``check`` does not compare it (see ``output.KEPT``).
"""

from __future__ import annotations

import hashlib
import re

from ..text import printable
from . import PackageDiff
from .report import md_text, md_code, table

NAME = "CHANGELOG.md"
_MARK = re.compile(r"^<!-- specgen-changelog from=([0-9a-f]{12}) to=([0-9a-f]{12}) -->$", re.MULTILINE)


def short_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def updated(existing: str | None, diff: PackageDiff, old_data: bytes, new_data: bytes) -> str | None:
    """The changelog with an entry for ``diff`` on top; None when the client did not change."""
    if not diff.changes:
        return None
    start = short_hash(old_data)
    entry = _entry(diff, start, short_hash(new_data))
    body = existing if existing is not None else _header(diff.package)
    marks = list(_MARK.finditer(body))
    heading = body.rfind("\n## ", 0, marks[0].start()) + 1 if marks else -1
    if marks and marks[0].group(1) == start and heading > 0:
        following = body.find("\n## ", marks[0].end())
        end = following + 1 if following >= 0 else len(body)
        return body[:heading] + entry + body[end:]
    if marks and heading > 0:
        return body[:heading] + entry + "\n" + body[heading:]
    return body.rstrip("\n") + "\n\n" + entry


def _header(package: str) -> str:
    return (f"# Changelog of the {md_code(package)} client\n\n"
            "What each change of its spec did to this client, newest first: written by "
            "`specgen generate --changelog`.\n")


def _entry(diff: PackageDiff, start: str, end: str) -> str:
    old_version, new_version = diff.versions
    versions = f"{old_version} → {new_version}" if old_version != new_version else f"{new_version}, spec changed"
    counts = f"{diff.breaking} breaking, {diff.compatible} compatible"
    return (f"## {md_text(printable(versions))} ({counts})\n\n"
            f"<!-- specgen-changelog from={start} to={end} -->\n\n"
            f"From {md_code(diff.old or '(none)')} to {md_code(diff.new or '(none)')}.\n\n"
            + table(diff))
