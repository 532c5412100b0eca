"""Independent pieces of one generation run on every core, their results in order.

A large API's package is mostly its resource modules, each rendered and formatted on its own, so
they can be made side by side. Workers are forked: they start with the parent's templates, IR and
imports already in memory (nothing is pickled on the way in, only the texts on the way back), and
each piece is a pure function of that state, so the result is the same, byte for byte, with one
worker or many. Where fork is not what the platform starts processes with (Windows, and macOS where
forking a process that has loaded system frameworks is unsafe), pieces run one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

T = TypeVar("T")

#: The function the forked workers run (set just before the pool forks; see :func:`ordered_map`).
_work: Callable[[int], object] | None = None


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def ordered_map(function: Callable[[int], T], sizes: Sequence[int], *, minimum: int) -> list[T]:
    """``[function(i) for i in range(len(sizes))]``, on every core when the pieces together are at
    least ``minimum`` in size (``sizes``: a cost estimate of each piece, so the largest start first
    and no worker is left with the longest piece at the end). Below that, forking costs more than
    it saves.
    """
    global _work
    workers = min(cores(), len(sizes))
    if workers < 2 or sum(sizes) < minimum or not _can_fork():
        return [function(i) for i in range(len(sizes))]
    order = sorted(range(len(sizes)), key=lambda i: -sizes[i])
    _work = function
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            done = list(pool.map(_call, order))
    except (BrokenProcessPool, OSError):  # a worker killed (out of memory, say), or no process to be had
        return [function(i) for i in range(len(sizes))]
    finally:
        _work = None
    results: list[T] = [None] * len(sizes)  # type: ignore[list-item]
    for index, result in zip(order, done):
        results[index] = result  # type: ignore[assignment]
    return results


def _call(index: int) -> object:
    assert _work is not None
    return _work(index)


def _can_fork() -> bool:
    """Whether workers may be forked here: on Linux, and not inside a pool's worker (a daemon, which
    may not have children)."""
    return sys.platform == "linux" and not multiprocessing.current_process().daemon


class Started(Generic[T]):
    """A call running in a forked process (see :func:`started`); :meth:`result` waits for it."""

    def __init__(self, function: Callable[[], T]) -> None:
        global _work
        self._function = function
        self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        _work = lambda _: function()  # noqa: E731 - what the forked worker calls
        try:
            self._pending = self._pool.submit(_call, 0)  # the worker is forked here
        finally:
            _work = None

    def result(self) -> T:
        """The function's value, or the exception it raised, raised here; if the process was killed
        (out of memory, say), the function is called here instead."""
        try:
            return self._pending.result()  # type: ignore[return-value]
        except BrokenProcessPool:
            return self._function()
        finally:
            self._pool.shutdown()


class _Done(Generic[T]):
    def __init__(self, value: T) -> None:
        self.value = value

    def result(self) -> T:
        return self.value


def started(function: Callable[[], T], *, size: int, minimum: int) -> Started[T] | _Done[T]:
    """``function()`` started in a forked process, to run while this one does other work, when
    ``size`` (an estimate of its cost) is at least ``minimum`` and workers may be forked; else it
    is called here and now (an exception it raises is raised here, before any other work)."""
    if size < minimum or cores() < 2 or not _can_fork():
        return _Done(function())
    try:
        return Started(function)
    except OSError:  # no process to be had
        return _Done(function())
