"""Spec file → formatted package files, for one provider or all of them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import ir, models, output, render, spec
from .diagnostics import Diagnostic, SpecError


@dataclass(frozen=True)
class Package:
    name: str
    spec_path: Path
    files: dict[str, str]


def spec_files(specs_dir: Path) -> list[Path]:
    return sorted(p for p in specs_dir.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def build_ir(path: Path) -> tuple[spec.Spec, ir.Api]:
    loaded = spec.load(path)
    return loaded, ir.build(loaded, f"specs/{path.name}")


def build_package(path: Path) -> Package:
    loaded, api = build_ir(path)
    files = render.render_package(api, models.render_models(loaded, api))
    return Package(api.package, path, output.format_package(files))


def build_all(paths: list[Path]) -> list[Package]:
    """Every package, or a :class:`SpecError` listing the problems of every bad spec."""
    packages, problems = [], []
    for path in paths:
        try:
            packages.append(build_package(path))
        except SpecError as exc:
            problems.extend(exc.diagnostics)
    seen: dict[str, Path] = {}
    for package in packages:
        if package.name in seen:
            problems.append(Diagnostic(package.spec_path, 1,
                                       f"package {package.name!r} is also generated from {seen[package.name]}",
                                       "give each spec its own info.x-specgen-package"))
        seen[package.name] = package.spec_path
    if problems:
        raise SpecError(problems)
    return packages
