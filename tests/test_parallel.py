"""Modules made on every core (:mod:`specgen.parallel`) are the same bytes as made one after the other."""

from __future__ import annotations

import functools
import json
import multiprocessing
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from specgen import models, output, parallel, pipeline, render, split
from specgen.diagnostics import Diagnostic, SpecError
from test_validation import STRUCTURAL, WARNED_EMAIL_NEW, WARNED_EMAIL_OLD, WARNED_NEW, WARNED_OLD

ROOT = Path(__file__).resolve().parent.parent
SPEC_FILES = sorted((ROOT / "specs").glob("*.yaml"))
needs_fork = pytest.mark.skipif(sys.platform != "linux" or parallel.cores() < 2, reason="forks workers on Linux only")


def _files(monkeypatch: pytest.MonkeyPatch, minimum: int) -> list[dict[str, str]]:
    monkeypatch.setattr(pipeline, "PARALLEL_MINIMUM", minimum)
    output.format_source.cache_clear()
    return [package.files for package in pipeline.build_all(SPEC_FILES)]


@needs_fork
def test_every_core_gives_the_same_files_as_one(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(tmp_path / "cache"))
    pids = tmp_path / "pids"
    original = render.resource_module

    def recorded(*args: Any, **kwargs: Any) -> str:
        with pids.open("a") as record:  # a forked worker's list would not come back; a file does
            record.write(f"{os.getpid()}\n")
        return original(*args, **kwargs)

    monkeypatch.setattr(render, "resource_module", recorded)
    alone = _files(monkeypatch, sys.maxsize)
    assert set(pids.read_text().split()) == {str(os.getpid())}  # below the minimum: no worker
    pids.unlink()
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(tmp_path / "other-cache"))  # nothing formatted is reused
    together = _files(monkeypatch, 0)
    assert str(os.getpid()) not in pids.read_text().split()  # every resource made in a worker
    assert together == alone
    assert list(together[0]) == sorted(together[0])


@needs_fork
def test_a_problem_in_a_worker_reaches_the_caller_located(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SPECGEN_CACHE_DIR", "off")

    def unparsable(*args: object, **kwargs: object) -> dict[str, str]:
        raise output.FormatError("resources/runs.py: cannot parse")

    monkeypatch.setattr(output, "format_package", unparsable)
    monkeypatch.setattr(pipeline, "PARALLEL_MINIMUM", 0)
    with pytest.raises(SpecError) as raised:
        pipeline.build_all(SPEC_FILES[:1])
    (problem,) = raised.value.diagnostics
    assert problem.file == SPEC_FILES[0] and "does not parse (resources/runs.py: cannot parse)" in problem.message


def test_results_come_back_in_order_whatever_the_sizes() -> None:
    assert parallel.ordered_map(lambda i: i * i, [1, 50, 3, 50, 2], minimum=0) == [0, 1, 4, 9, 16]
    assert parallel.ordered_map(lambda i: i, [], minimum=0) == []


def _in_a_pool_worker(_: int) -> list[int]:
    return parallel.ordered_map(lambda i: i + 1, [10**7, 10**7], minimum=0)


@needs_fork
def test_inside_a_pool_worker_pieces_run_one_after_the_other() -> None:
    """A pool's workers are daemons, which may not start processes (the corpus runs specs in a pool)."""
    import multiprocessing

    with multiprocessing.get_context("fork").Pool(1) as pool:
        assert pool.map(_in_a_pool_worker, [0]) == [[1, 2]]


@needs_fork
def test_split_models_made_on_every_core_are_the_same_as_made_by_one(monkeypatch: pytest.MonkeyPatch,
                                                                      tmp_path: Path) -> None:
    """The modules of a models package (specgen/split.py), built and formatted in a worker while the
    other renders the operations."""
    monkeypatch.setattr(split, "SPLIT_FROM", 1)
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(tmp_path / "cache"))
    alone = _files(monkeypatch, sys.maxsize)
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(tmp_path / "other-cache"))
    together = _files(monkeypatch, 0)
    assert together == alone
    assert all(any(path.startswith("models/_") for path in files) for files in together)


# -- a call started in a forked process (parallel.started), and the check it runs alongside the IR ---


def _square(value: int) -> int:
    return value * value


def _refuse() -> int:
    raise SpecError([Diagnostic(Path("specs/x.yaml"), 3, "refused here", "fix it")])


@needs_fork
def test_a_started_call_runs_in_another_process_and_its_problems_come_back() -> None:
    started = parallel.started(os.getpid, size=1, minimum=0)
    assert isinstance(started, parallel.Started) and started.result() != os.getpid()
    assert parallel.started(functools.partial(_square, 7), size=1, minimum=0).result() == 49
    failing = parallel.started(_refuse, size=1, minimum=0)
    with pytest.raises(SpecError) as raised:
        failing.result()
    assert [str(d) for d in raised.value.diagnostics] == ["specs/x.yaml:3: error: refused here\n    hint: fix it"]


def test_below_the_minimum_a_started_call_runs_here_and_now() -> None:
    assert parallel.started(os.getpid, size=1, minimum=2).result() == os.getpid()
    with pytest.raises(SpecError):  # at once: nothing after it runs on input it refused
        parallel.started(_refuse, size=1, minimum=2)


def _build_both_ways(monkeypatch: pytest.MonkeyPatch, path: Path) -> tuple[Any, Any]:
    """``pipeline.build_ir(path)`` with the OpenAPI check alongside the IR, then one after the other
    (the result cache off, so both really check)."""
    monkeypatch.setenv("SPECGEN_CACHE_DIR", "off")
    results = []
    for minimum in (0, sys.maxsize):
        monkeypatch.setattr(pipeline, "CHECK_ALONGSIDE", minimum)
        try:
            checked, api = pipeline.build_ir(path)
            results.append((checked.data, checked.warnings, checked.origins, api, models.build(checked, api).text()))
        except SpecError as exc:
            results.append([str(d) for d in exc.diagnostics])
    return results[0], results[1]


@needs_fork
@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.stem)
def test_the_check_alongside_the_ir_gives_what_one_after_the_other_gives(monkeypatch: pytest.MonkeyPatch,
                                                                        path: Path) -> None:
    alongside, alone = _build_both_ways(monkeypatch, path)
    assert alongside == alone and not isinstance(alone, list)


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = (ROOT / "specs" / "airplane.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "airplane.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@needs_fork
@pytest.mark.parametrize("breakage", STRUCTURAL, ids=lambda b: b.id)
def test_a_spec_the_check_refuses_gets_the_same_problems_alongside(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                                   breakage: Any) -> None:
    """The IR built from a document the check then refuses (or failing on it) is dropped."""
    alongside, alone = _build_both_ways(monkeypatch, _edited(tmp_path, breakage.old, breakage.new))
    assert isinstance(alone, list) and any(breakage.message in line for line in alone)
    assert alongside == alone


@needs_fork
@pytest.mark.parametrize(("old", "new"), [(WARNED_OLD, WARNED_NEW), (WARNED_EMAIL_OLD, WARNED_EMAIL_NEW)],
                         ids=["enum", "format"])
def test_a_value_the_check_leaves_out_is_not_in_the_ir_built_alongside(monkeypatch: pytest.MonkeyPatch,
                                                                       tmp_path: Path, old: str, new: str) -> None:
    """The IR was built from the document with the value; it is built again without it."""
    alongside, alone = _build_both_ways(monkeypatch, _edited(tmp_path, old, new))
    assert not isinstance(alone, list) and alone[1]  # built, with the check's warning
    assert alongside == alone


@needs_fork
def test_a_value_left_out_of_a_schema_written_in_an_operation_is_not_in_its_class(monkeypatch: pytest.MonkeyPatch,
                                                                                 tmp_path: Path) -> None:
    """The schema an operation writes in place is copied to a class of its own (specgen/inline.py)
    before the check leaves its bad ``default`` out: the class is built again without it."""
    schema = {"type": "object", "properties": {"status": {"type": "string", "enum": ["a", "b"], "default": "c"}}}
    document = {"openapi": "3.1.0", "info": {"title": "T", "version": "1", "x-specgen-package": "things",
                                             "x-specgen-client": "ThingsClient"},
                "servers": [{"url": "https://example.com"}],
                "paths": {"/thing": {"get": {"operationId": "getThing", "responses": {"200": {
                    "description": "A thing.", "content": {"application/json": {"schema": schema}}}}}}}}
    path = tmp_path / "things.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    alongside, alone = _build_both_ways(monkeypatch, path)
    assert not isinstance(alone, list) and alone[1] and '"c"' not in alone[4]
    assert alongside == alone


def test_the_heap_is_frozen_while_a_package_is_rendered_and_thawed_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loaded document and IR are left out of garbage collection while the package is rendered
    (``gc.freeze``: every full collection would walk them), and given back to it afterwards, so a
    long-lived caller (a test session, an editor) collects them when they become garbage."""
    import gc

    monkeypatch.setenv("SPECGEN_CACHE_DIR", "off")
    frozen = []
    original = pipeline._render

    def recorded(*args: Any, **kwargs: Any) -> Any:
        frozen.append(gc.get_freeze_count())
        return original(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_render", recorded)
    before = gc.get_freeze_count()
    pipeline.build_all(SPEC_FILES[:1])
    assert frozen and frozen[0] > before + 1000
    assert gc.get_freeze_count() == before


def _dies_in_a_worker(parent: int, index: int) -> int:
    if os.getpid() != parent:
        os.kill(os.getpid(), 9)  # as the kernel's out-of-memory killer would
    return index * index


@needs_fork
def test_a_killed_worker_does_not_hang_the_run_its_pieces_are_made_here() -> None:
    """A worker killed (out of memory, say) loses its piece; the run does not wait for it forever
    (multiprocessing.Pool would): the pieces are made in this process instead."""
    pieces = functools.partial(_dies_in_a_worker, os.getpid())
    assert parallel.ordered_map(pieces, [1, 1, 1], minimum=0) == [0, 1, 4]
    assert parallel.started(functools.partial(pieces, 5), size=1, minimum=0).result() == 25
