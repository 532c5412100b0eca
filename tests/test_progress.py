"""Progress on a terminal: long runs show `[2/4] airplane: formatting (1.2 s)` on stderr when it is a
terminal and no CI variable is set, and nothing at all when piped or in CI."""

from __future__ import annotations

import io
import os
import pty
import subprocess
from pathlib import Path

import pytest

from conftest import SPECS
from specgen import pipeline, progress
from test_cli import SPECGEN, run, workspace  # noqa: F401 - workspace is a fixture used by name

STEMS = [path.stem for path in pipeline.spec_files(SPECS)]
#: The last stage each command reaches for every spec (validate does not format).
LAST_STAGE = {"generate": "formatting", "check --full": "formatting", "validate": "rendering"}


def without_ci() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "CI"}


def on_terminal(cwd: Path, args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
    """Run specgen with stderr on a pseudo-terminal: exit code, stdout (a pipe), what the terminal got."""
    master, slave = pty.openpty()
    process = subprocess.Popen([*SPECGEN, *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    received = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed (Linux)
            break
        if not chunk:
            break
        received += chunk
    os.close(master)
    assert process.stdout is not None
    stdout = process.stdout.read().decode()
    return process.wait(timeout=300), stdout, received.decode()


@pytest.mark.parametrize("command", list(LAST_STAGE))
def test_a_terminal_shows_each_spec_stage_and_elapsed_time(workspace: Path, command: str) -> None:
    code, stdout, terminal = on_terminal(workspace, command.split(), without_ci())
    assert code == 0, stdout + terminal
    for position, stem in enumerate(STEMS, 1):
        assert f"[{position}/{len(STEMS)}] {stem}: checking (" in terminal
        assert f"[{position}/{len(STEMS)}] {stem}: {LAST_STAGE[command]} (" in terminal
    assert " s)" in terminal
    assert terminal.endswith("\r\x1b[K")  # the line is cleared; the run's own messages go to stdout
    assert "\x1b" not in stdout and "[1/" not in stdout


def test_ci_keeps_a_terminal_quiet(workspace: Path) -> None:
    code, stdout, terminal = on_terminal(workspace, ["generate"], {**without_ci(), "CI": "true"})
    assert code == 0, stdout + terminal
    assert terminal == "" and "generated generated/" in stdout


@pytest.mark.parametrize("command", list(LAST_STAGE))
def test_piped_output_has_no_progress(workspace: Path, command: str) -> None:
    env = without_ci()
    result = subprocess.run([*SPECGEN, *command.split()], cwd=workspace, env=env, capture_output=True, text=True,
                            check=False)
    assert result.returncode == 0, result.stderr
    assert "\r" not in result.stderr + result.stdout and "\x1b" not in result.stderr
    assert "[1/" not in result.stderr and ": checking (" not in result.stderr


def test_warnings_and_errors_are_printed_after_the_line_is_cleared(workspace: Path) -> None:
    spec = workspace / "specs" / "airplane.yaml"
    spec.write_text(spec.read_text().replace("type: boolean", "type: bool", 1))
    code, _, terminal = on_terminal(workspace, ["validate"], without_ci())
    assert code == 2
    cleared, _, messages = terminal.rpartition("\r\x1b[K")
    assert "[1/" in cleared and "specs/airplane.yaml:" in messages and "[1/" not in messages


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_line_reads_position_name_stage_and_seconds() -> None:
    ticks = iter([10.0, 11.25])
    stream = FakeTerminal()
    line = progress.Line(stream, clock=lambda: next(ticks))
    line(2, 4, "airplane", "formatting")
    assert stream.getvalue() == "\r\x1b[K[2/4] airplane: formatting (1.2 s)"
    line.clear()
    assert stream.getvalue().endswith("\r\x1b[K")
    assert progress.on_terminal(FakeTerminal(), {}) is not None
    assert progress.on_terminal(FakeTerminal(), {"CI": "1"}) is None
    assert progress.on_terminal(io.StringIO(), {}) is None
