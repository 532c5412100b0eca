"""Spec file → formatted package files, for one provider or all of them."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import cache, inline, ir, models, output, parallel, progress, render, spec, split
from .diagnostics import Diagnostic, SpecError
from .project import SPEC_SUFFIXES, PackageOptions, spec_files

__all__ = ["SPEC_SUFFIXES", "Package", "build_all", "build_ir", "check_all", "spec_files"]


@dataclass(frozen=True)
class Package:
    name: str
    spec_path: Path
    files: dict[str, str]
    api: ir.Api
    warnings: tuple[Diagnostic, ...] = ()  # problems of the spec that did not stop generation

    def summary(self) -> str:
        operations = sum(len(r.operations) for r in self.api.resources)
        resources = len(self.api.resources)
        return (f"{operations} operation{'s' * (operations != 1)} in {resources} "
                f"resource{'s' * (resources != 1)}, {len(self.api.class_names)} schemas")


def build_ir(path: Path, options: PackageOptions = PackageOptions()) -> tuple[spec.Spec, ir.Api]:
    """The checked spec (its operations' inline schemas named, see :mod:`.inline`) and its IR;
    ``options``: how the project names its package (see :func:`ir.build`)."""
    loaded = inline.hoist(spec.load(path))
    try:
        api = ir.build(loaded, f"specs/{path.name}", options)
    except SpecError as exc:
        raise SpecError([*exc.diagnostics, *loaded.warnings]) from None
    return dataclasses.replace(loaded, warnings=sorted({*loaded.warnings, *api.warnings})), api


def build_all(paths: list[Path], *, strict: bool = False, formatted: bool = True,
              templates: Path | None = None, report: progress.Report = progress.silent,
              options: Mapping[str, PackageOptions] | None = None) -> list[Package]:
    """Every package, or a :class:`SpecError` listing the problems of every bad spec (and the
    warnings of every spec, which are printed with them). With ``strict``, a warning is a problem.

    All specs are checked before any is rendered, so bad input fails fast and nothing is half done.
    Without ``formatted`` the files are left as rendered, not run through isort and black: for a
    check of the specs (``validate``, ``import``), where formatting is most of the time and finds
    nothing about the spec. ``templates``: the user's template overrides (see :func:`render.render_package`).
    ``report`` hears each spec's stages as they start (see :mod:`.progress`). ``options``: the
    project's naming options by provider (spec file stem; see :class:`.project.PackageOptions`).
    """
    loaded = _checked(paths, strict, report, options or {})
    return [_render(checked, api, formatted, templates, functools.partial(report, position, len(loaded)))
            for position, (checked, api) in enumerate(loaded, 1)]


def check_all(paths: list[Path], *, strict: bool = False, report: progress.Report = progress.silent,
              options: Mapping[str, PackageOptions] | None = None) -> list[tuple[spec.Spec, ir.Api]]:
    """Every spec checked as :func:`build_all` checks it, models built, nothing rendered: the same
    problems (a :class:`SpecError`), and the same result cache entries filled, at a fraction of
    the time on a large spec. For ``specgen import``, whose check of the spec it wrote must agree
    with the ``generate`` that follows: rendering the templates cannot refuse a spec that got
    this far, and they are most of the time after the models."""
    loaded = _checked(paths, strict, report, options or {})
    for position, (checked, api) in enumerate(loaded, 1):
        report(position, len(loaded), checked.path.stem, "building models")
        models.render_models(checked, api)
    return loaded


def _checked(paths: list[Path], strict: bool, report: progress.Report,
             options: Mapping[str, PackageOptions]) -> list[tuple[spec.Spec, ir.Api]]:
    """Each spec loaded and its IR built, or a :class:`SpecError` with the problems of them all."""
    loaded, problems = [], []
    for position, path in enumerate(paths, 1):
        report(position, len(paths), path.stem, "checking")
        try:
            loaded.append(build_ir(path, options.get(path.stem, PackageOptions())))
        except SpecError as exc:
            problems.extend(exc.diagnostics)
    warnings = [w for checked, _ in loaded for w in checked.warnings]
    first_spec: dict[str, Path] = {}
    for checked, api in loaded:
        if api.package in first_spec:
            chosen_at = (options.get(checked.path.stem, PackageOptions()).package_at
                         or options.get(first_spec[api.package].stem, PackageOptions()).package_at)
            message = f"package {api.package!r} of {checked.path} is also generated from {first_spec[api.package]}"
            problems.append(chosen_at.at(message, "give each provider its own package in [tool.specgen.provider.<name>]")
                            if chosen_at else
                            checked.at(("info", "x-specgen-package"), message,
                                       "give each spec its own info.x-specgen-package"))
        first_spec.setdefault(api.package, checked.path)
    if any(not p.is_warning for p in problems) or (strict and (problems or warnings)):
        raise SpecError([*problems, *warnings])
    return loaded


#: The size (characters of code, estimated) from which a package's modules are made on every core
#: (:mod:`.parallel`): about 200 operations; below it, forking costs more than it saves.
PARALLEL_MINIMUM = 1_000_000
#: The estimate of one operation's code in a resource module (its sync and async methods).
OPERATION_SIZE = 5_000
#: The characters of model modules formatted together as one piece (a large API's models are
#: thousands of small modules, see :mod:`.split`).
MODELS_PIECE = 250_000


def _render(checked: spec.Spec, api: ir.Api, formatted: bool, templates: Path | None,
            report: Callable[[str, str], None]) -> Package:
    report(checked.path.stem, "building models")
    model_files = _models(checked, api)
    report(checked.path.stem, "rendering")
    if not formatted:
        files = render.render_package(api, model_files, templates)
        return Package(api.package, checked.path, files, api, tuple(checked.warnings))
    files = render.render_package(api, {}, templates, resources=False)
    report(checked.path.stem, "formatting")  # each resource module is rendered and formatted in one piece
    resources = api.resources
    # The models are formatted in pieces of a few hundred modules, and kept in the result cache as
    # one entry (their thousands of modules would crowd out every other entry).
    models_key = json.dumps([render.header(api), model_files], ensure_ascii=False)
    found = cache.get("models-formatted", models_key)
    done_models: dict[str, str] | None = found if isinstance(found, dict) and found.keys() == model_files.keys() \
        and all(isinstance(text, str) for text in found.values()) else None
    model_pieces = [] if done_models is not None else _pieces(model_files, MODELS_PIECE)

    def piece(index: int) -> dict[str, str]:
        """The formatted resource module ``index``, then the pieces of the models; the last piece is
        every other file."""
        if index < len(resources):
            resource = resources[index]
            source = {render.resource_path(resource): render.resource_module(api, resource, templates)}
            return _formatted(checked, api, source, templates)
        if index < len(resources) + len(model_pieces):
            paths = model_pieces[index - len(resources)]
            return _formatted(checked, api, {path: model_files[path] for path in paths}, None, models=True)
        return _formatted(checked, api, files, templates)

    sizes = ([len(r.operations) * OPERATION_SIZE for r in resources]
             + [sum(len(model_files[path]) for path in paths) for paths in model_pieces] + [10_000])
    pieces = parallel.ordered_map(piece, sizes, minimum=PARALLEL_MINIMUM)
    if done_models is None:
        done_models = {path: text for made in pieces[len(resources):-1] for path, text in made.items()}
        cache.put("models-formatted", models_key, done_models)
    merged = {path: text for made in pieces[:len(resources)] + pieces[-1:] for path, text in made.items()}
    return Package(api.package, checked.path, dict(sorted({**merged, **done_models}.items())), api,
                   tuple(checked.warnings))


def _models(checked: spec.Spec, api: ir.Api) -> dict[str, str]:
    """The models' files (:mod:`.split`)."""
    return split.split(models.render_models(checked, api), checked, api)


def _pieces(files: Mapping[str, str], size: int) -> list[list[str]]:
    """The paths of ``files`` in consecutive pieces of about ``size`` characters each."""
    pieces: list[list[str]] = [[]]
    total = 0
    for path in sorted(files):
        if total >= size:
            pieces.append([])
            total = 0
        pieces[-1].append(path)
        total += len(files[path])
    return pieces if pieces[0] else []


def _formatted(checked: spec.Spec, api: ir.Api, files: dict[str, str], templates: Path | None, *,
               models: bool = False) -> dict[str, str]:
    """``files`` formatted (``models``: modules of the models, written by specgen whatever the
    templates, and cached together by the caller)."""
    try:
        if models:
            return output.format_package(files, render.header(api), verbatim=(split.PACKAGE_INIT,), cached=False)
        return output.format_package(files, render.header(api), own_templates=templates is None,
                                     verbatim=render.RUNTIME_FILES if templates is None else ())
    except output.FormatError as exc:
        # The escaping and naming rules exist so that this cannot happen; if it does, say so
        # plainly (with the spec to report) instead of a traceback, and write nothing.
        raise SpecError([Diagnostic(checked.path, 1, f"specgen generated code that does not parse ({exc})",
                                    "this is a bug in specgen: please report it with this spec")]) from None
