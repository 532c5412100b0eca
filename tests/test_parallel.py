"""Modules made on every core (:mod:`specgen.parallel`) are the same bytes as made one after the other."""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from specgen import output, parallel, pipeline, render, split
from specgen.diagnostics import SpecError

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
    """The modules of a models package (specgen/split.py), formatted in pieces of a few modules each."""
    monkeypatch.setattr(split, "SPLIT_FROM", 1)
    monkeypatch.setattr(pipeline, "MODELS_PIECE", 2_000)
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(tmp_path / "cache"))
    alone = _files(monkeypatch, sys.maxsize)
    monkeypatch.setenv("SPECGEN_CACHE_DIR", str(tmp_path / "other-cache"))
    together = _files(monkeypatch, 0)
    assert together == alone
    assert all(any(path.startswith("models/_") for path in files) for files in together)
