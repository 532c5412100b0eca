"""A content-addressed cache for the slow, pure steps: checking a spec and building its models.

``specgen import`` checks the spec it writes the way ``generate`` will, and ``generate`` then reads
the same bytes; ``check`` and a second ``generate`` read them again. Validating a large spec and
running datamodel-code-generator are most of that time and depend only on their input and on
specgen itself, so each result is stored under a key that hashes:

- the kind of result (``validate``, ``loaded``, ``models``, ``format``),
- a fingerprint of specgen (:mod:`.fingerprint`: its modules, its templates and the versions of
  the pinned tools that shape a result), so a new specgen or tool never reads an old entry,
- the input itself (the spec's text; the document given to datamodel-code-generator).

A ``loaded`` entry is a whole spec that passed its checks, as :func:`.spec.load` read it (the
document, the line of each of its values, the validator's findings): on GitHub's spec, 9 MB, read
back in a third of the time parsing and checking take.

A hit returns exactly what the step would compute; the output of ``generate`` is the same with the
cache cold, warm or off. Entries are JSON files written atomically in ``$SPECGEN_CACHE_DIR``,
else ``$XDG_CACHE_HOME/specgen``, else ``~/.cache/specgen``; ``SPECGEN_CACHE_DIR=off`` turns the
cache off. An unreadable or corrupt entry is a miss, and a cache that cannot be written is ignored:
it only ever saves time. The folder is kept under :data:`MAX_ENTRIES` files, oldest dropped first.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from . import fingerprint

MAX_ENTRIES = 4000


def directory() -> Path | None:
    """Where entries live, or None when the cache is off."""
    configured = os.environ.get("SPECGEN_CACHE_DIR")
    if configured is not None:
        return None if configured.strip().lower() in ("", "off", "0", "false", "no") else Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "specgen"


def key(kind: str, content: str | bytes) -> str:
    data = content.encode("utf-8", "surrogatepass") if isinstance(content, str) else content
    return hashlib.sha256(f"{kind}\0{fingerprint.everything()}\0".encode() + data).hexdigest()


def get(kind: str, content: str | bytes) -> Any:
    """The stored result for ``content``, or None."""
    folder = directory()
    if folder is None:
        return None
    try:
        entry = json.loads((folder / f"{key(kind, content)}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry.get("value") if isinstance(entry, dict) and entry.get("kind") == kind else None


def put(kind: str, content: str | bytes, value: Any) -> None:
    """Store ``value`` (JSON data) as the result for ``content``; any failure is ignored."""
    folder = directory()
    if folder is None:
        return
    try:
        text = json.dumps({"kind": kind, "value": value})  # in one piece: json.dump writes a large value in thousands
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(temp, folder / f"{key(kind, content)}.json")
        finally:
            Path(temp).unlink(missing_ok=True)
        _prune(folder)
    except (OSError, TypeError, ValueError):
        return


def _prune(folder: Path) -> None:
    entries = list(folder.glob("*.json"))
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime)
    for old in entries[: len(entries) - MAX_ENTRIES // 2]:
        old.unlink(missing_ok=True)
