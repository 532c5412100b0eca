"""Spec file → formatted package files, for one provider or all of them."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from . import cache, inline, ir, models, output, parallel, progress, render, spec, split, yamlload
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
    ``options``: how the project names its package (see :func:`ir.build`).

    The slowest step of a large spec's first load is the OpenAPI schema check (stage 3 of
    :mod:`.spec`). It only ever refuses the spec or leaves values out of it, so it runs alongside
    the IR's construction (:func:`parallel.started`), which reads the document as it was before that
    check: if the check refuses the spec, the IR is dropped; if it leaves a value out, the IR is
    built again from the document without it. Everything before the check (the YAML, the
    structure checks that bound nesting and refuse ``$ref`` cycles) has passed, so nothing here
    sees input that could hang it.
    """
    begun = spec.begin(path)
    if isinstance(begun, spec.Spec):
        return _ir(begun, path, options)
    check = parallel.started(functools.partial(spec.validated, begun), size=len(begun.spec.text),
                             minimum=CHECK_ALONGSIDE)
    early: tuple[spec.Spec, ir.Api] | None
    try:
        early = _ir(begun.spec, path, options)
    except Exception:  # noqa: BLE001 - the document may not be valid OpenAPI yet: the check decides below
        early = None
    found, ignored = check.result()
    checked = spec.finish(begun, found, ignored)
    if early is None or ignored:  # it failed, or it read values the check has since left out
        return _ir(checked, path, options)
    hoisted, api = early
    return dataclasses.replace(hoisted, warnings=sorted({*checked.warnings, *hoisted.warnings})), api


#: The size of a spec's text from which its OpenAPI schema check runs in a forked process while
#: the IR is built (see :func:`build_ir`): Kubernetes' 3 MB are checked in 0.7 s, GitHub's 9 MB in
#: 1.3 s, and the fork takes milliseconds.
CHECK_ALONGSIDE = 1_000_000


def _ir(loaded: spec.Spec, path: Path, options: PackageOptions) -> tuple[spec.Spec, ir.Api]:
    hoisted = inline.hoist(loaded)
    try:
        with yamlload.paused_gc():  # objects made by the thousand, next to the document's millions
            api = ir.build(hoisted, f"specs/{path.name}", options)
    except SpecError as exc:
        raise SpecError([*exc.diagnostics, *hoisted.warnings]) from None
    return dataclasses.replace(hoisted, warnings=sorted({*hoisted.warnings, *api.warnings})), api


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
    with yamlload.frozen_gc():
        return [_render(checked, api, formatted, templates, functools.partial(report, position, len(loaded)))
                for position, (checked, api) in enumerate(loaded, 1)]


def check_all(paths: list[Path], *, strict: bool = False, report: progress.Report = progress.silent,
              options: Mapping[str, PackageOptions] | None = None) -> list[tuple[spec.Spec, ir.Api]]:
    """Every spec checked as :func:`build_all` checks it, nothing rendered: the same problems (a
    :class:`SpecError`), and the checked spec left in the result cache, at a fraction of the time on
    a large spec. For ``specgen import``, whose check of the spec it wrote must agree with the
    ``generate`` that follows: the models and the templates cannot refuse a spec that got this far
    (the models are built by ``generate``, on one core while the other renders the operations)."""
    return _checked(paths, strict, report, options or {})


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
#: The estimate of one model class's share of the models' piece (building, splitting, formatting).
CLASS_SIZE = 2_000


def _render(checked: spec.Spec, api: ir.Api, formatted: bool, templates: Path | None,
            report: Callable[[str, str], None]) -> Package:
    if not formatted:
        report(checked.path.stem, "building models")
        model_files = _models(checked, api)
        report(checked.path.stem, "rendering")
        files = render.render_package(api, model_files, templates)
        return Package(api.package, checked.path, files, api, tuple(checked.warnings))
    report(checked.path.stem, "rendering")
    files = render.render_package(api, {}, templates, resources=False)
    report(checked.path.stem, "formatting")  # the pieces below are built, rendered and formatted each in one go
    resources = api.resources

    def piece(index: int) -> dict[str, str]:
        """The formatted resource module ``index``, then the models' files, then every other file."""
        if index < len(resources):
            resource = resources[index]
            source = {render.resource_path(resource): render.resource_module(api, resource, templates)}
            return _formatted(checked, api, source, templates)
        if index == len(resources):
            return _formatted_models(checked, api)
        return _formatted(checked, api, files, templates)

    # Each piece is made and formatted on its own, the models (the largest) first, on every core.
    sizes = [len(r.operations) * OPERATION_SIZE for r in resources] + [len(api.class_names) * CLASS_SIZE, 10_000]
    pieces = parallel.ordered_map(piece, sizes, minimum=PARALLEL_MINIMUM)
    merged = {path: text for made in pieces for path, text in made.items()}
    return Package(api.package, checked.path, dict(sorted(merged.items())), api, tuple(checked.warnings))


def _models(checked: spec.Spec, api: ir.Api) -> dict[str, str]:
    """The models' files (:mod:`.split`)."""
    return split.split(models.render_models(checked, api), checked, api)


def _formatted_models(checked: spec.Spec, api: ir.Api) -> dict[str, str]:
    """The models' files, formatted; kept in the result cache as one entry (a large API's thousands
    of modules would crowd out every other entry)."""
    files = _models(checked, api)
    key = json.dumps([render.header(api), files], ensure_ascii=False)
    found = cache.get("models-formatted", key)
    if isinstance(found, dict) and found.keys() == files.keys() and all(isinstance(t, str) for t in found.values()):
        return found
    done = _formatted(checked, api, files, None, models=True)
    cache.put("models-formatted", key, done)
    return done


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
