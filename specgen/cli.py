"""The ``specgen`` command: wires spec loading, generation and output together, nothing more.

The generator (pipeline, black, the importer) is imported inside the commands that run it, so
``specgen check`` answered from the manifest starts fast (``python -X importtime -m specgen check``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from . import __version__, manifest, output, project

if TYPE_CHECKING:
    from . import pipeline

EXIT_STALE = 1
EXIT_BAD_INPUT = 2

_specs_option = click.option(
    "--specs", "specs_dir", type=click.Path(path_type=Path), default=Path("specs"), show_default=True,
    help="Folder of provider specs (*.yaml, *.yml or *.json).",
)
_strict_option = click.option(
    "--strict", is_flag=True, help="Treat warnings as errors: exit 2 and write nothing if there are any.",
)
_templates_option = click.option(
    "--templates", "templates_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of your own templates: a file there replaces the built-in one of the same path "
         "(e.g. package/client.py.jinja, runtime/_runtime.py).",
)
_out_option = click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("generated"), show_default=True,
    help="Folder the packages are generated into.",
)


@click.group()
@click.version_option(__version__, prog_name="specgen")
def main() -> None:
    """Generate typed Python clients from the OpenAPI specs in specs/."""


@main.command()
@click.argument("providers", nargs=-1)
@_specs_option
@_out_option
@_strict_option
@_templates_option
@click.option("--spec", "spec_files", multiple=True, type=click.Path(path_type=Path),
              help="Generate from this spec file (repeatable), wherever it is, instead of the specs folder.")
def generate(providers: tuple[str, ...], specs_dir: Path, out_dir: Path, strict: bool,
             templates_dir: Path | None, spec_files: tuple[Path, ...]) -> None:
    """Write generated/<package>/ for every spec (or only the PROVIDERS named, or the --spec files).

    Nothing is written unless every selected spec is valid. A full run also removes packages
    generated earlier from specs that no longer exist. Warnings are printed and do not stop
    generation, unless --strict.
    """
    if spec_files and providers:
        _fail("name PROVIDERS or give --spec files, not both")
    missing = [p for p in spec_files if not p.is_file()]
    if missing:
        _fail(f"no such spec: {', '.join(map(str, missing))}")
    partial = bool(providers or spec_files)
    packages = _build(list(spec_files) or _select(specs_dir, providers), strict=strict, templates=templates_dir)
    try:
        removed = output.write_packages(out_dir, {p.name: p.files for p in packages}, prune=not partial)
        output.write_file(out_dir / manifest.NAME, manifest.updated(
            out_dir, _records(out_dir, packages, templates_dir), [d.name for d in removed], full=not partial))
    except output.OutputError as exc:
        _fail(f"{exc}; choose another --out folder or fix its permissions")
    for package in packages:
        click.echo(f"generated {out_dir / package.name} from {package.spec_path}: {package.summary()}")
    for directory in removed:
        click.echo(f"removed {directory}: no spec generates it any more")


@main.command()
@_specs_option
@_out_option
@_templates_option
@click.option("--full", is_flag=True, help="Regenerate and compare byte for byte, even when the manifest says nothing changed.")
def check(specs_dir: Path, out_dir: Path, templates_dir: Path | None, full: bool) -> None:
    """Exit 1 when generated/ does not match the specs (stale or edited by hand), saying why.

    The manifest (generated/specgen-manifest.json) answers at once on an unchanged tree; when it
    finds a cause, or there is none, or with --full, the packages are regenerated in memory and
    compared, and a diff of each difference is printed.
    """
    paths = _select(specs_dir, ())
    if not full:
        on_disk = {d.name: output.read_package(d) for d in output.generated_packages(out_dir)}
        reasons = manifest.stale_reasons(out_dir, paths, on_disk, templates_dir)
        if reasons == []:
            click.echo(f"{out_dir} matches {specs_dir} ({len(on_disk)} packages, by {manifest.NAME}; "
                       "--full compares in full)")
            return
        for reason in reasons or [f"{out_dir / manifest.NAME} is missing or unreadable"]:
            click.echo(f"stale: {reason}", err=True)
    packages = _build(paths, templates=templates_dir)
    differences = output.compare(out_dir, {p.name: p.files for p in packages})
    differences += output.compare_file(out_dir, manifest.NAME,
                                       manifest.render(_records(out_dir, packages, templates_dir)))
    for difference in differences:
        click.echo(difference.diff, nl=False)
    if differences:
        for difference in differences:
            click.echo(f"{difference.path}: {difference.kind}", err=True)
        click.echo(f"{out_dir} is out of date with {specs_dir}: run `specgen generate`", err=True)
        sys.exit(EXIT_STALE)
    click.echo(f"{out_dir} matches {specs_dir} ({len(packages)} packages)")


def _records(out_dir: Path, packages: list[pipeline.Package],
             templates: Path | None = None) -> dict[str, dict[str, object]]:
    return {p.name: manifest.entry(out_dir, p.spec_path, p.files, templates) for p in packages}


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@_specs_option
@_strict_option
def validate(files: tuple[Path, ...], specs_dir: Path, strict: bool) -> None:
    """Check specs (all of specs/ by default) without writing anything; warnings fail only with --strict."""
    paths = list(files) or _select(specs_dir, ())
    missing = [p for p in paths if not p.is_file()]
    if missing:
        _fail(f"no such spec: {', '.join(map(str, missing))}")
    for package in _build(paths, strict=strict, formatted=False):
        click.echo(f"ok {package.spec_path}: package {package.name}, {package.summary()}")


@main.command("import")
@click.argument("source")
@click.option("--provider", required=True, help="Name of the spec (specs/NAME.yaml) and of the Python package.")
@click.option("--tag", "tags", multiple=True, help="Import only operations with this tag (repeatable).")
@click.option("--operation", "operation_ids", multiple=True,
              help="Import only this operationId, or 'METHOD /path' (repeatable).")
@_specs_option
def import_(source: str, provider: str, tags: tuple[str, ...], operation_ids: tuple[str, ...], specs_dir: Path) -> None:
    """Write specs/PROVIDER.yaml from SOURCE (OpenAPI 3.0/3.1 or Swagger 2.0; a file or an http(s) URL).

    Importing again keeps the x-specgen-* keys you set in specs/PROVIDER.yaml.
    """
    from . import importer

    try:
        result = importer.import_spec(source, provider, specs_dir, tags, operation_ids)
    except importer.ImportProblem as exc:
        click.echo(str(exc), err=True)
        click.echo("specgen: nothing was written", err=True)
        sys.exit(EXIT_BAD_INPUT)
    state = "wrote" if result.changed else "unchanged"
    click.echo(f"{state} {result.path} from {source}: {result.operations} operations, {result.schemas} schemas")
    for item in result.kept:
        click.echo(f"kept {item}")
    for item in result.dropped:
        click.echo(f"dropped {item}")
    if result.refused:
        click.echo(f"note: `specgen validate {result.path}` reports {len(result.refused)} problem(s) "
                   "the generator does not support yet; edit the spec to fix them:")
        for line in result.refused:
            click.echo(line)
        if result.refused_operations:
            click.echo(f"operations the generator may refuse ({len(result.refused_operations)} of {result.operations}): "
                       + ", ".join(result.refused_operations))
    else:
        click.echo(f"ok: `specgen generate {provider}` accepts it")


def _select(specs_dir: Path, providers: tuple[str, ...]) -> list[Path]:
    paths = project.spec_files(specs_dir)
    if not paths:
        _fail(f"no specs found in {specs_dir}/ (expected *.yaml, *.yml or *.json files)")
    if not providers:
        return paths
    by_name = {p.stem: p for p in paths}
    unknown = [name for name in providers if name not in by_name]
    if unknown:
        _fail(f"unknown provider {', '.join(unknown)}; specs in {specs_dir}/: {', '.join(sorted(by_name))}")
    return [by_name[name] for name in providers]


def _build(paths: list[Path], *, strict: bool = False, formatted: bool = True,
           templates: Path | None = None) -> list[pipeline.Package]:
    """Every package, with its warnings printed to stderr; or every problem printed and exit 2."""
    from . import pipeline, progress
    from .diagnostics import SpecError

    try:
        with progress.shown() as report:
            packages = pipeline.build_all(paths, strict=strict, formatted=formatted, templates=templates,
                                          report=report)
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(str(diagnostic), err=True)
        errors, warnings = len(exc.errors), len(exc.diagnostics) - len(exc.errors)
        if strict:
            count = errors + warnings
            summary = _plural(count, "problem") + (f" ({_plural(warnings, 'warning')}, --strict)" if warnings else "")
        else:
            summary = _plural(errors, "problem") + (f" and {_plural(warnings, 'warning')}" if warnings else "")
        click.echo(f"specgen: {summary}; nothing was written", err=True)
        sys.exit(EXIT_BAD_INPUT)
    for package in packages:
        for warning in package.warnings:
            click.echo(str(warning), err=True)
    return packages


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'s' if count != 1 else ''}"


def _fail(message: str) -> NoReturn:
    click.echo(f"specgen: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)
