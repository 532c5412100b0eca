"""A user's project as specgen sees it: the spec files in its specs folder.

Kept free of the generator's heavy modules, so ``specgen check`` answered from the manifest can
list the specs without importing them.
"""

from __future__ import annotations

from pathlib import Path

#: Spec files ``generate`` and ``check`` read: YAML, or JSON (which the YAML reader reads too).
SPEC_SUFFIXES = (".yaml", ".yml", ".json")


def spec_files(specs_dir: Path) -> list[Path]:
    return sorted(p for p in specs_dir.glob("*") if p.suffix in SPEC_SUFFIXES and p.is_file())
