"""The ``specgen`` command: wires spec loading, generation and output together, nothing more.

The generator (pipeline, black, the importer) is imported inside the commands that run it, so
``specgen check`` answered from the manifest starts fast (``python -X importtime -m specgen check``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TypeVar

import click
from click.core import ParameterSource

from . import __version__, manifest, output, project
from .diagnostics import Diagnostic, SpecError

if TYPE_CHECKING:
    from . import pipeline

EXIT_STALE = 1
EXIT_BAD_INPUT = 2

_specs_option = click.option(
    "--specs", "specs_dir", type=click.Path(path_type=Path), default=Path("specs"), show_default=True,
    help="Folder of provider specs (*.yaml, *.yml or *.json); overrides `specs` in [tool.specgen].",
)
_strict_option = click.option(
    "--strict/--no-strict", default=False,
    help="Treat warnings as errors: exit 2 and write nothing if there are any; overrides `strict` in [tool.specgen].",
)
_templates_option = click.option(
    "--templates", "templates_dir", type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of your own templates: a file there replaces the built-in one of the same path "
         "(e.g. package/client.py.jinja, runtime/_runtime.py); overrides `templates` in [tool.specgen].",
)
_out_option = click.option(
    "--out", "out_dir", type=click.Path(path_type=Path), default=Path("generated"), show_default=True,
    help="Folder the packages are generated into; overrides `out` in [tool.specgen].",
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
@click.option("--changelog", is_flag=True,
              help="Add what each spec change did to the client (as `specgen diff` reports it, against the "
                   "spec's committed version) at the top of <package>/CHANGELOG.md.")
@click.option("--changelog-since", "changelog_since", default="HEAD", show_default=True, metavar="REV",
              help="The git revision --changelog compares with.")
def generate(providers: tuple[str, ...], specs_dir: Path, out_dir: Path, strict: bool,
             templates_dir: Path | None, spec_files: tuple[Path, ...], changelog: bool, changelog_since: str) -> None:
    """Write generated/<package>/ for every spec (or only the PROVIDERS named, or the --spec files).

    Nothing is written unless every selected spec is valid. A full run also removes packages
    generated earlier from specs that no longer exist. Warnings are printed and do not stop
    generation, unless --strict.
    """
    settings = _settings()
    specs_dir, out_dir, templates_dir = _folders(settings, specs_dir, out_dir, templates_dir)
    if spec_files and providers:
        _fail("name PROVIDERS or give --spec files, not both")
    missing = [p for p in spec_files if not p.is_file()]
    if missing:
        _fail(f"no such spec: {', '.join(map(str, missing))}")
    partial = bool(providers or spec_files)
    paths = _select(specs_dir, providers, settings, extra=spec_files)
    packages = _build(list(spec_files) or paths, strict=_given("strict", strict, settings.strict),
                      templates=templates_dir, settings=settings)
    files = {p.name: p.files for p in packages}
    if changelog:
        files.update(_changelogs(out_dir, packages, changelog_since))
    try:
        removed = output.write_packages(out_dir, files, prune=not partial)
        output.write_file(out_dir / manifest.NAME, manifest.updated(
            out_dir, _records(out_dir, packages, templates_dir, settings), [d.name for d in removed],
            full=not partial))
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
    settings = _settings()
    specs_dir, out_dir, templates_dir = _folders(settings, specs_dir, out_dir, templates_dir)
    paths = _select(specs_dir, (), settings)
    if not full:
        on_disk = {d.name: output.read_package(d) for d in output.generated_packages(out_dir)}
        reasons = manifest.stale_reasons(out_dir, paths, on_disk, templates_dir,
                                         lambda spec: settings.package_options(spec.stem).record())
        if reasons == []:
            click.echo(f"{out_dir} matches {specs_dir} ({len(on_disk)} packages, by {manifest.NAME}; "
                       "--full compares in full)")
            return
        for reason in reasons or [f"{out_dir / manifest.NAME} is missing or unreadable"]:
            click.echo(f"stale: {reason}", err=True)
    packages = _build(paths, templates=templates_dir, settings=settings)
    differences = output.compare(out_dir, {p.name: p.files for p in packages})
    differences += output.compare_file(out_dir, manifest.NAME,
                                       manifest.render(_records(out_dir, packages, templates_dir, settings)))
    for difference in differences:
        click.echo(difference.diff, nl=False)
    if differences:
        for difference in differences:
            click.echo(f"{difference.path}: {difference.kind}", err=True)
        click.echo(f"{out_dir} is out of date with {specs_dir}: run `specgen generate`", err=True)
        sys.exit(EXIT_STALE)
    click.echo(f"{out_dir} matches {specs_dir} ({len(packages)} packages)")


@main.command()
@_specs_option
@_out_option
def init(specs_dir: Path, out_dir: Path) -> None:
    """Set this folder up for specgen: a specs folder, a [tool.specgen] table in pyproject.toml
    (created, or appended to), and the pre-commit and CI snippets to add. Never overwrites a file;
    running it again changes nothing."""
    from . import init as setup

    try:
        plan = setup.plan(specs_dir, out_dir)
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(str(diagnostic), err=True)
        _fail("nothing was written")
    try:
        if plan.readme:
            specs_dir.mkdir(parents=True, exist_ok=True)
            output.write_file(*plan.readme)
        if plan.pyproject:
            output.write_file(*plan.pyproject)
    except (OSError, output.OutputError) as exc:
        _fail(f"{exc}; fix the folder's permissions")
    for change in plan.changes() or [f"nothing to do: {specs_dir}/ and [tool.specgen] in pyproject.toml are set up"]:
        click.echo(change)
    click.echo(f"\nNext: add a spec (`specgen import SOURCE --provider NAME`), then `specgen generate`.\n")
    click.echo(setup.snippets(specs_dir, out_dir), nl=False)


def _changelogs(out_dir: Path, packages: list[pipeline.Package], since: str) -> dict[str, dict[str, str]]:
    """The files of each package whose client changed since ``since``, with its changelog updated."""
    from . import diff
    from .diff import changelog

    updated = {}
    try:
        commit = diff.commit_of(since)
        for package in packages:
            old = diff.at_revision(commit, str(package.spec_path))
            new = diff.from_file(package.spec_path)
            if old is None or old.data == new.data:
                continue
            path = out_dir / package.name / changelog.NAME
            existing = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else None
            text = changelog.updated(existing, diff.diff(old, new), old.data, new.data)
            if text is not None:
                updated[package.name] = {**package.files, changelog.NAME: text}
    except diff.SourceError as exc:
        _fail(f"--changelog: {exc}")
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(str(diagnostic), err=True)
        _fail(f"--changelog: the spec at {since} cannot be compared; nothing was written")
    return updated


def _records(out_dir: Path, packages: list[pipeline.Package], templates: Path | None,
             settings: project.Settings) -> dict[str, dict[str, object]]:
    return {p.name: manifest.entry(out_dir, p.spec_path, p.files, templates,
                                   settings.package_options(p.spec_path.stem).record()) for p in packages}


@main.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@_specs_option
@_strict_option
def validate(files: tuple[Path, ...], specs_dir: Path, strict: bool) -> None:
    """Check specs (all of specs/ by default) without writing anything; warnings fail only with --strict."""
    settings = _settings()
    specs_dir = _given("specs_dir", specs_dir, settings.specs)
    missing = [p for p in files if not p.is_file()]
    if missing:
        _fail(f"no such spec: {', '.join(map(str, missing))}")
    paths = _select(specs_dir, (), settings, extra=files)
    for package in _build(list(files) or paths, strict=_given("strict", strict, settings.strict), formatted=False,
                          settings=settings):
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

    specs_dir = _given("specs_dir", specs_dir, _settings().specs)
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


@main.command("diff")
@click.argument("sides", nargs=-1, metavar="[OLD [NEW]]")
@_specs_option
@click.option("--format", "form", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="text for a terminal, markdown for a pull-request comment, json for tools.")
@click.option("--fail-on-breaking", is_flag=True, help="Exit 1 when any change breaks existing calling code.")
def diff_(sides: tuple[str, ...], specs_dir: Path, form: str, fail_on_breaking: bool) -> None:
    """Report what a spec change does to the generated client, each change breaking or compatible.

    \b
    specgen diff OLD NEW     two specs: files, or REV:PATH (HEAD~1:specs/acme.yaml)
    specgen diff REV         every spec in specs/ that changed since the git revision REV
    specgen diff SPEC        one spec file against its version at HEAD
    specgen diff             every spec in specs/ changed since HEAD
    """
    from . import diff
    from .diff import report

    specs_dir = _given("specs_dir", specs_dir, _settings().specs)
    if len(sides) > 2:
        _fail("give at most two sides: OLD NEW, a revision, or a spec file")
    try:
        if len(sides) == 2:
            pairs: list[tuple[diff.Source | None, diff.Source | None]] = [(diff.resolve(sides[0]), diff.resolve(sides[1]))]
        elif sides and Path(sides[0]).is_file():
            pairs = [(diff.from_git("HEAD", sides[0]), diff.from_file(Path(sides[0])))]
        else:
            pairs = diff.changed_since(sides[0] if sides else "HEAD", specs_dir, project.SPEC_SUFFIXES)
        results = [diff.diff(old, new) for old, new in pairs]
    except diff.SourceError as exc:
        _fail(str(exc))
    except SpecError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(str(diagnostic), err=True)
        click.echo(f"specgen: {_plural(len(exc.errors), 'problem')}; nothing to compare", err=True)
        sys.exit(EXIT_BAD_INPUT)
    click.echo(report.render(results, form), nl=False)
    if fail_on_breaking and any(result.breaking for result in results):
        sys.exit(EXIT_STALE)


@main.command("transcribe")
@click.argument("pages", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="PAGE_OR_FOLDER...")
@click.option("--provider", required=True, help="Name of the spec (specs/NAME.yaml) and of the Python package.")
@_specs_option
@click.option("--wire-case", "wire_case", type=click.Choice(["camel", "snake", "as-is"]),
              help="How SDK field names become wire names, for every page (default: each dialect's rule; see README).")
@click.option("--check", is_flag=True,
              help="Write nothing: report how the pages differ from specs/NAME.yaml in client terms (as `specgen diff`); "
                   "exit 1 when they differ.")
@click.option("--format", "form", type=click.Choice(["text", "markdown", "json"]), default="text", show_default=True,
              help="The --check report's format.")
def transcribe_(pages: tuple[Path, ...], provider: str, specs_dir: Path, wire_case: str | None, check: bool,
                form: str) -> None:
    """Write specs/PROVIDER.yaml from documentation pages (files, or folders walked; links followed inside them).

    Reads Speakeasy SDK docs (Go, TypeScript), openapi-generator docs and REST reference pages. An
    existing spec is merged into: the pages decide the fields, types and parameters they show; your
    prose, x-specgen-* keys and everything the pages do not mention are kept.
    """
    from . import transcribe
    from .transcribe import run

    specs_dir = _given("specs_dir", specs_dir, _settings().specs)
    try:
        result = run.transcribe(list(pages), provider, specs_dir, wire_case, write_file=not check)
    except run.TranscribeError as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        errors = sum(1 for p in exc.problems if p.severity == "error")
        click.echo(f"specgen: {_plural(errors, 'problem')}; nothing was written", err=True)
        sys.exit(EXIT_BAD_INPUT)
    for note in result.notes:
        click.echo(str(note), err=True)
    if check:
        if not result.existed:
            _fail(f"--check: {result.path} does not exist; transcribe without --check to write it")
        try:
            report_text, differs = transcribe.check(result, form)
        except SpecError as exc:
            for diagnostic in exc.diagnostics:
                click.echo(str(diagnostic), err=True)
            _fail("--check: the spec cannot be compared")
        click.echo(report_text, nl=False)
        if differs:
            sys.exit(EXIT_STALE)
        return
    state = "wrote" if result.changed else "unchanged"
    click.echo(f"{state} {result.path} from {_plural(result.pages, 'page')}: {_plural(result.operations, 'operation')}, "
               f"{_plural(result.schemas, 'schema')}")


_T = TypeVar("_T")


def _given(name: str, value: _T, configured: _T | None) -> _T:
    """The value of option ``name``: as given on the command line, else from [tool.specgen] when
    set there, else the option's default."""
    given = click.get_current_context().get_parameter_source(name) is not ParameterSource.DEFAULT
    return value if given or configured is None else configured


def _settings() -> project.Settings:
    """[tool.specgen] of the project (empty without one); a problem in it is printed, exit 2."""
    try:
        return project.load()
    except SpecError as exc:
        _settings_problem(*exc.diagnostics)


def _folders(settings: project.Settings, specs_dir: Path, out_dir: Path,
             templates_dir: Path | None) -> tuple[Path, Path, Path | None]:
    """The specs, output and templates folders: the command line's, else [tool.specgen]'s, else the defaults."""
    templates_dir = _given("templates_dir", templates_dir, settings.templates)
    if templates_dir is not None and not templates_dir.is_dir() and settings.templates == templates_dir:
        _settings_problem(settings.at("templates").at(
            f"templates folder {templates_dir} does not exist", "create it, or remove `templates` from [tool.specgen]"))
    return _given("specs_dir", specs_dir, settings.specs), _given("out_dir", out_dir, settings.out), templates_dir


def _select(specs_dir: Path, providers: tuple[str, ...], settings: project.Settings,
            extra: tuple[Path, ...] = ()) -> list[Path]:
    """The specs to use: the PROVIDERS named, else [tool.specgen]'s `providers`, else every spec in
    ``specs_dir`` (``extra``: spec files given by path, which need no specs folder)."""
    paths = project.spec_files(specs_dir)
    try:
        settings.check_providers(sorted({p.stem for p in [*paths, *extra]}))
    except SpecError as exc:
        _settings_problem(*exc.diagnostics)
    if extra:
        return []
    if not paths:
        _fail(f"no specs found in {specs_dir}/ (expected *.yaml, *.yml or *.json files)")
    providers = providers or settings.providers or ()
    if not providers:
        return paths
    by_name = {p.stem: p for p in paths}
    unknown = [name for name in providers if name not in by_name]
    if unknown:
        _fail(f"unknown provider {', '.join(unknown)}; specs in {specs_dir}/: {', '.join(sorted(by_name))}")
    return [by_name[name] for name in providers]


def _settings_problem(*diagnostics: Diagnostic) -> NoReturn:
    for diagnostic in diagnostics:
        click.echo(str(diagnostic), err=True)
    _fail(f"{_plural(len(diagnostics), 'problem')} in pyproject.toml; nothing was written")


def _build(paths: list[Path], *, strict: bool = False, formatted: bool = True, templates: Path | None = None,
           settings: project.Settings = project.Settings()) -> list[pipeline.Package]:
    """Every package, with its warnings printed to stderr; or every problem printed and exit 2."""
    from . import pipeline, progress

    try:
        with progress.shown() as report:
            packages = pipeline.build_all(paths, strict=strict, formatted=formatted, templates=templates,
                                          report=report,
                                          options={p.stem: settings.package_options(p.stem) for p in paths})
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
