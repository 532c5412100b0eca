"""The check `specgen import` runs on the spec it writes (``pipeline.check_all``): the problems
``specgen validate`` reports, found without rendering a template, and the result cache filled so
that the ``generate`` that follows neither parses nor validates it again (it builds the models, which
cannot refuse a spec, on one core while the other renders the operations)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import SPECS
from specgen import pipeline, render, spec, validator, yamlload
from specgen.diagnostics import SpecError
from specgen.importer import run as import_run
from test_validation import STRUCTURAL, WARNED_EMAIL_NEW, WARNED_EMAIL_OLD, WARNED_NEW, WARNED_OLD

SPEC_FILES = pipeline.spec_files(SPECS)
AIRPLANE = SPECS / "airplane.yaml"


def forbid(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError(f"{module.__name__}.{name} was called")

    monkeypatch.setattr(module, name, refuse)


def problems(paths: list[Path], check: bool, strict: bool = False) -> list[str]:
    """What the check-only path (or the full build, as `specgen validate` runs it) reports."""
    try:
        if check:
            pipeline.check_all(paths, strict=strict)
        else:
            pipeline.build_all(paths, strict=strict, formatted=False)
    except SpecError as exc:
        return [str(d) for d in exc.diagnostics]
    return []


def kinds(folder: Path) -> set[str]:
    return {json.loads(entry.read_text(encoding="utf-8"))["kind"] for entry in folder.glob("*.json")}


def edited(tmp_path: Path, old: str, new: str) -> Path:
    text = AIRPLANE.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "specs" / "airplane.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.stem)
def test_a_good_spec_is_checked_without_rendering_and_the_same_ir_is_built(
        path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECGEN_CACHE_DIR", "off")
    [(built_spec, built_api)] = [(p.spec_path, p.api) for p in pipeline.build_all([path], formatted=False)]
    forbid(monkeypatch, render, "render_package")
    [(checked, api)] = pipeline.check_all([path])
    assert checked.path == built_spec and api == built_api
    assert api.resources, path  # a spec with operations: the IR was really built


@pytest.mark.parametrize("breakage", STRUCTURAL, ids=lambda b: b.id)
def test_a_bad_spec_gets_the_problems_validate_reports(tmp_path: Path, breakage: Any) -> None:
    path = edited(tmp_path, breakage.old, breakage.new)
    expected = problems([path], check=False)
    assert any(breakage.message in line for line in expected), expected
    assert problems([path], check=True) == expected


@pytest.mark.parametrize("old, new", [(WARNED_OLD, WARNED_NEW), (WARNED_EMAIL_OLD, WARNED_EMAIL_NEW)], ids=["enum", "format"])
def test_warnings_are_the_same_and_do_not_stop_it(tmp_path: Path, old: str, new: str) -> None:
    path = edited(tmp_path, old, new)
    [package] = pipeline.build_all([path], formatted=False)
    [(checked, _)] = pipeline.check_all([path])
    assert package.warnings and list(package.warnings) == checked.warnings
    strict = problems([path], check=False, strict=True)
    assert strict == [str(d) for d in package.warnings] and problems([path], check=True, strict=True) == strict


def test_two_specs_of_one_package_are_refused_alike(tmp_path: Path) -> None:
    first, second = tmp_path / "airplane.yaml", tmp_path / "copy.yaml"
    for path in (first, second):
        path.write_text(AIRPLANE.read_text(encoding="utf-8"), encoding="utf-8")
    expected = problems([first, second], check=False)
    assert expected and "is also generated from" in expected[0]
    assert problems([first, second], check=True) == expected


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.stem)
def test_the_check_fills_the_cache_a_build_then_reads(cache_dir: Path, path: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "specs" / path.name
    copy.parent.mkdir()
    copy.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    pipeline.check_all([copy])
    assert {"loaded", "validate"} <= kinds(cache_dir) and "models" not in kinds(cache_dir)  # generate builds them
    for module, name in ((yamlload, "load_tree"), (validator, "check")):
        forbid(monkeypatch, module, name)
    [package] = pipeline.build_all([copy], formatted=False)
    assert package.files["models.py"]


def test_an_import_fills_the_cache_the_generate_that_follows_reads(cache_dir: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as during_import:
        forbid(during_import, render, "render_package")
        result = import_run.import_spec(str(AIRPLANE), "airplane", tmp_path / "specs")
    assert result.changed and result.refused == [] and {"loaded", "validate"} <= kinds(cache_dir)
    for module, name in ((yamlload, "load_tree"), (validator, "check")):
        forbid(monkeypatch, module, name)
    [package] = pipeline.build_all([result.path], formatted=False)
    assert package.name == "airplane" and package.files["models.py"]
    assert spec.load(result.path).data["info"]["x-specgen-package"] == "airplane"
