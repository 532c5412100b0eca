"""Progress of a long run on a terminal: one status line on stderr, rewritten in place.

``[2/4] airplane: formatting (1.2 s)``: the spec's position, its name, the stage it is in and the
time since the run began. A large spec takes minutes (mostly black), and a silent terminal looks
hung. The line is shown only when stderr is a terminal and no ``CI`` variable is set: piped output,
logs and CI stay exactly as they were. The pipeline calls a :data:`Report` and knows nothing of
terminals (or click); the CLI decides whether there is one.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from typing import TextIO

#: ``report(position, total, name, stage)``: spec ``position`` of ``total`` (from 1) is now in ``stage``.
Report = Callable[[int, int, str, str], None]


def silent(position: int, total: int, name: str, stage: str) -> None:
    """The report of a run nobody watches."""


class Line:
    """A :data:`Report` that rewrites one line of ``stream``; :meth:`clear` removes it before other output."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self._stream, self._clock = stream, clock
        self._start = clock()
        self._shown = False

    def __call__(self, position: int, total: int, name: str, stage: str) -> None:
        elapsed = self._clock() - self._start
        self._stream.write(f"\r\x1b[K[{position}/{total}] {name}: {stage} ({elapsed:.1f} s)")
        self._stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._shown = False


def on_terminal(stream: TextIO | None = None, environ: Mapping[str, str] = os.environ) -> Line | None:
    """A progress line on ``stream`` (stderr by default) if a person is watching it, else None."""
    stream = sys.stderr if stream is None else stream
    if "CI" in environ or not stream.isatty():
        return None
    return Line(stream)


@contextlib.contextmanager
def shown(stream: TextIO | None = None, environ: Mapping[str, str] = os.environ) -> Iterator[Report]:
    """The report for a run: a progress line when :func:`on_terminal` allows one (cleared at the
    end, before the run's own messages), else :func:`silent`."""
    line = on_terminal(stream, environ)
    try:
        yield line or silent
    finally:
        if line:
            line.clear()
