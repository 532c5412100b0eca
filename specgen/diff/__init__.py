"""``specgen diff``: what a spec change does to the generated client, in the names its callers use.

The flow is one way: each side's spec is read (:mod:`.sources`), built into the IR and models the
generator would write and reduced to its client surface (:mod:`.surface`); two surfaces give the
changes (:mod:`.compare`, whose rules of what breaks live in :mod:`.rules`); the changes are
written as text, markdown or JSON (:mod:`.report`).
"""

from __future__ import annotations

import dataclasses
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import SpecError
from .compare import Change, compare
from .sources import Source, SourceError, at_revision, changed_since, commit_of, from_file, from_git, resolve
from .surface import Surface

__all__ = ["Change", "PackageDiff", "Source", "SourceError", "at_revision", "changed_since", "commit_of", "diff", "from_file", "from_git",
           "load", "resolve"]


@dataclass(frozen=True)
class PackageDiff:
    """The changes to one generated package; ``old`` or ``new`` is None for a spec added or removed."""

    package: str
    old: str | None
    new: str | None
    changes: tuple[Change, ...]
    versions: tuple[str, str] = ("", "")  # info.version of the old and the new spec

    @property
    def breaking(self) -> int:
        return sum(1 for c in self.changes if c.breaking)

    @property
    def compatible(self) -> int:
        return len(self.changes) - self.breaking


def load(source: Source) -> Surface:
    """The client surface of ``source``; a :class:`SpecError` located in ``source.display`` when the
    spec cannot be generated."""
    from .. import models, pipeline  # the generator's own steps, imported when a diff is made
    from .surface import surface

    with tempfile.TemporaryDirectory(prefix="specgen-diff-") as folder:
        path = Path(folder) / source.name
        path.write_bytes(source.data)
        try:
            checked, api = pipeline.build_ir(path)
            models_source = models.render_models(checked, api).text()
        except SpecError as exc:
            shown = Path(source.display)
            raise SpecError([dataclasses.replace(d, file=shown) if d.file == path else d
                             for d in exc.diagnostics]) from None
    return surface(dataclasses.replace(checked, path=Path(source.display)), api, models_source, source.display)


def diff(old: Source | None, new: Source | None) -> PackageDiff:
    """The changes from ``old`` to ``new`` (either may be None: a spec added, or removed)."""
    before = load(old) if old is not None else None
    after = load(new) if new is not None else None
    if before is not None and after is not None:
        return PackageDiff(after.package, before.display, after.display, tuple(compare(before, after)),
                           (before.version, after.version))
    if after is not None:
        count = len(after.methods)
        change = Change(False, "package-added", after.package,
                        f"package {after.package} added ({count} method{'s' * (count != 1)})", 1, 1)
        return PackageDiff(after.package, None, after.display, (change,), ("", after.version))
    if before is not None:
        change = Change(True, "package-removed", before.package, f"package {before.package} removed", 1, 1,
                        note=f"its spec {before.display} is gone")
        return PackageDiff(before.package, before.display, None, (change,), (before.version, ""))
    raise ValueError("diff needs at least one side")
