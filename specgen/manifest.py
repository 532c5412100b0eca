"""``generated/specgen-manifest.json``: what each package was generated from, so ``check`` can answer
without generating.

For every package, ``generate`` records the spec file and the hash of the text it read, specgen's
version, a hash of its generator code and one of its templates, the versions of the pinned tools
that shape the output, and the hash of every file it wrote. ``check`` then needs only to hash the
specs, specgen's own files and the files on disk: on an unchanged tree it answers at once, and
otherwise it names why each package is stale (spec changed, templates changed, generator or a
pinned tool changed, a file edited by hand, missing or extra) before comparing in full.

The manifest is plain sorted JSON with no timestamps: the same specs give the same bytes, and a
change to it reads well in a review. It is part of the output ``check --full`` compares.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from . import __version__, fingerprint

NAME = "specgen-manifest.json"


def sha256(data: str | bytes) -> str:
    return hashlib.sha256(data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data).hexdigest()


def entry(out_dir: Path, spec_path: Path, files: Mapping[str, str], templates: Path | None = None,
          options: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The record of one package generated into ``out_dir`` from ``spec_path`` (with the user's
    template overrides in ``templates``, and the options of pyproject.toml that shaped it, see
    :meth:`.project.PackageOptions.record`). Paths are relative to ``out_dir``, so the manifest reads
    the same from any working folder. Absent options are not recorded: a project without them gets
    the manifest it always had."""
    overrides = {"template_overrides": _relative(templates, out_dir),
                 "template_overrides_sha256": fingerprint.folder(templates)} if templates else {}
    return {
        **overrides,
        **({"options": dict(sorted(options.items()))} if options else {}),
        "spec": _relative(spec_path, out_dir),
        "spec_sha256": sha256(spec_path.read_bytes()),
        "specgen": __version__,
        "generator_sha256": fingerprint.generator(),
        "templates_sha256": fingerprint.templates(),
        "tools": fingerprint.tools(),
        "files": {relative: sha256(text) for relative, text in sorted(files.items())},
    }


def _relative(path: Path, out_dir: Path) -> str:
    return Path(os.path.relpath(path.resolve(), out_dir.resolve())).as_posix()


def render(packages: Mapping[str, dict[str, Any]]) -> str:
    return json.dumps({"packages": dict(sorted(packages.items()))}, indent=1, sort_keys=True) + "\n"


def read(out_dir: Path) -> dict[str, dict[str, Any]] | None:
    """The recorded packages, or None when there is no readable manifest."""
    try:
        data = json.loads((out_dir / NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    packages = data.get("packages") if isinstance(data, dict) else None
    if not isinstance(packages, dict) or not all(isinstance(v, dict) for v in packages.values()):
        return None
    return packages


def updated(out_dir: Path, written: Mapping[str, dict[str, Any]], removed: Iterable[str], *, full: bool) -> str:
    """The manifest after a run that wrote ``written`` and removed ``removed``. A run over some
    providers keeps the records of the others that are still on disk; a full run keeps none."""
    kept = {} if full else {name: record for name, record in (read(out_dir) or {}).items()
                            if name not in set(removed) and (out_dir / name).is_dir()}
    return render({**kept, **written})


def stale_reasons(out_dir: Path, spec_paths: list[Path], on_disk: Mapping[str, Mapping[str, str]],
                  templates: Path | None = None,
                  options: Callable[[Path], Mapping[str, str]] = lambda spec: {}) -> list[str] | None:
    """Why ``out_dir`` does not match the specs, one line per cause ([] when it matches), from the
    manifest alone; None when there is no manifest to go by. ``on_disk``: every package folder of
    ``out_dir`` that specgen generated, with its files; ``templates``: the overrides given now;
    ``options``: the options pyproject.toml gives now for a spec."""
    recorded = read(out_dir)
    if recorded is None:
        return None
    reasons = []
    by_spec = {(out_dir / str(record.get("spec"))).resolve(): name for name, record in recorded.items()}
    for path in spec_paths:
        if path.resolve() not in by_spec:
            reasons.append(f"{path}: not generated yet (no package in {out_dir} records it)")
    for name, record in sorted(recorded.items()):
        reasons += [f"{out_dir.name}/{name}: {why}"
                    for why in _package_reasons(out_dir, record, on_disk.get(name), templates, options)]
    for name in sorted(set(on_disk) - set(recorded)):
        reasons.append(f"{out_dir.name}/{name}: extra package (its spec is gone, or it was not generated here)")
    return reasons


def _package_reasons(out_dir: Path, record: dict[str, Any], files: Mapping[str, str] | None,
                     templates: Path | None, options: Callable[[Path], Mapping[str, str]]) -> list[str]:
    if files is None:
        return ["package missing"]
    reasons = []
    spec = Path(os.path.normpath(out_dir / str(record.get("spec"))))
    recorded, now = _mapping(record.get("options")), dict(options(spec))
    if recorded != now:
        changes = [f"{key}: {_option(recorded.get(key))} -> {_option(now.get(key))}"
                   for key in sorted(set(recorded) | set(now)) if recorded.get(key) != now.get(key)]
        reasons.append(f"options in pyproject.toml changed ({', '.join(changes)})")
    given = fingerprint.folder(templates) if templates else None
    if record.get("template_overrides_sha256") != given:
        reasons.append("template overrides changed" if given and "template_overrides_sha256" in record else
                       "template overrides given now, not when it was generated" if given else
                       f"generated with template overrides ({record.get('template_overrides')}), none given now")
    try:
        spec_bytes = spec.read_bytes()
    except OSError:
        reasons.append(f"spec {spec} is gone")
    else:
        if sha256(spec_bytes) != record.get("spec_sha256"):
            reasons.append(f"spec {spec} changed")
    if record.get("templates_sha256") != fingerprint.templates():
        reasons.append("specgen's templates changed")
    if record.get("generator_sha256") != fingerprint.generator() or record.get("specgen") != __version__:
        reasons.append("specgen's generator changed")
    tools = _mapping(record.get("tools"))
    for tool, version in sorted(fingerprint.tools().items()):
        if tools.get(tool) != version:
            reasons.append(f"{tool} changed ({tools.get(tool)} -> {version})")
    hashes = _mapping(record.get("files"))
    for relative in sorted(set(hashes) | set(files)):
        if relative not in files:
            reasons.append(f"{relative} is missing")
        elif relative not in hashes:
            reasons.append(f"{relative} is extra")
        elif sha256(files[relative]) != hashes[relative]:
            reasons.append(f"{relative} was edited by hand")
    return reasons


def _option(value: Any) -> str:
    return "none" if value is None else repr(value)


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
