"""Start Prism mock servers for tests of generated clients.

Prism (``@stoplight/prism-cli``, pinned in ``package.json`` and ``package-lock.json``)
serves responses built from an OpenAPI document and validates every incoming request
against it. Pointing a generated client at Prism therefore checks the client's side of
the contract: a wrong path, a missing or mistyped parameter, a bad body or missing
credentials gets a 4xx (422/400/401) instead of a silent 200.

This is a helper module for pytest fixtures, not a test file. It uses only the standard
library so that importing it needs nothing installed. POSIX only: Prism runs in its own
process group so that it and any children can be stopped together.

Typical fixture::

    @pytest.fixture(scope="session")
    def runs_api() -> Iterator[str]:
        with run_prism(SPECS / "runs.yaml") as base_url:
            yield base_url
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

REPO_ROOT = Path(__file__).resolve().parent.parent
PRISM_BIN = REPO_ROOT / "node_modules" / ".bin" / "prism"

HOST = "127.0.0.1"
"""Loopback IPv4 only. Not ``localhost``: it may resolve to ``::1``, where Prism is not
listening."""

STARTUP_TIMEOUT = 30.0
"""Seconds to wait for Prism to accept requests (it usually needs about 2 s)."""

NPM_CI_TIMEOUT = 600.0
"""Seconds allowed for ``npm ci`` (a cold install takes about 15-30 s)."""

DYNAMIC_SEED = "specgen"
"""Seed for ``--dynamic``: the same request always gets the same data, so no flaky
tests."""

_PORT_ATTEMPTS = 3
"""Picking a free port and then letting Prism bind it is racy: retry on EADDRINUSE."""


def ensure_prism() -> Path:
    """Return the Prism executable, running ``npm ci`` first if it is missing.

    ``npm ci`` installs exactly what ``package-lock.json`` says, so every machine mocks
    with the same Prism. A file lock stops parallel test processes (pytest-xdist) from
    installing at the same time. An existing ``node_modules`` is trusted as is: run
    ``npm ci`` yourself after the lock file changes.
    """
    if PRISM_BIN.exists():
        return PRISM_BIN
    repo_hash = hashlib.sha256(str(REPO_ROOT).encode()).hexdigest()[:16]
    lock_path = Path(tempfile.gettempdir()) / f"specgen-npm-ci-{repo_hash}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if PRISM_BIN.exists():  # another process installed it while we waited
            return PRISM_BIN
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError(
                f"Prism is not installed ({PRISM_BIN} is missing) and `npm` is not "
                "on PATH: install Node.js and npm, then run `npm ci` in the repo root."
            )
        command = [npm, "ci", "--no-audit", "--no-fund"]
        where = f"`{' '.join(command)}` in {REPO_ROOT}"
        try:
            result = subprocess.run(
                command,
                cwd=REPO_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                timeout=NPM_CI_TIMEOUT,
            )
        except subprocess.TimeoutExpired as exc:
            raise RuntimeError(
                f"{where} timed out after {NPM_CI_TIMEOUT:.0f} s; npm said:\n"
                f"{_text(exc.output)}"
            ) from exc
        if result.returncode != 0 or not PRISM_BIN.exists():
            raise RuntimeError(
                f"{where} failed (exit code {result.returncode}) or did not create "
                f"{PRISM_BIN}; npm said:\n{result.stdout}"
            )
    return PRISM_BIN


@contextmanager
def run_prism(spec: Path, *, dynamic: bool = False) -> Iterator[str]:
    """Run ``prism mock`` for ``spec`` on a free loopback port; yield its base URL.

    The base URL (``http://127.0.0.1:PORT``) replaces the spec's ``servers`` URL
    entirely: Prism routes on the operation paths alone, ignoring any path prefix
    given in ``servers``.

    ``--errors`` turns a response that would violate the spec (say, an example that
    does not match its schema) into a 500 ``application/problem+json``, instead of
    sending it with only an ``sl-violations`` header. Invalid requests are rejected
    (422/400/401) with or without it.

    Static mode (the default) answers with the spec's examples, so responses are
    stable and the spec authors choose the data. ``dynamic=True`` generates data from
    the schemas instead (seeded, so reproducible) and adds made-up properties to
    objects that do not say ``additionalProperties: false``.

    Prism and its process group are always terminated on exit, even on errors.
    """
    prism = ensure_prism()
    spec = Path(spec).resolve()
    if not spec.is_file():
        raise FileNotFoundError(f"OpenAPI document not found: {spec}")

    for _ in range(_PORT_ATTEMPTS):
        port = _free_port()
        command = [str(prism), "mock", str(spec), "--host", HOST, "--port", str(port)]
        command.append("--errors")
        if dynamic:
            command += ["--dynamic", "--seed", DYNAMIC_SEED]
        # A file, never a pipe: Prism logs every request, and a pipe nobody reads fills
        # up and blocks it.
        with tempfile.TemporaryFile() as log:
            process = subprocess.Popen(
                command,
                cwd=REPO_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group: _stop() reaches children
            )
            try:
                base_url = f"http://{HOST}:{port}"
                if not _wait_until_ready(process, base_url, log, command):
                    continue  # someone took the port before Prism could bind it
                yield base_url
                return
            finally:
                _stop(process)
    raise RuntimeError(f"Prism found no free port on {HOST} in {_PORT_ATTEMPTS} tries")


def _free_port() -> int:
    """Ask the OS for an unused port.

    ``--port 0`` works too, but the port would then have to be scraped from the log.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _wait_until_ready(
    process: subprocess.Popen[bytes], base_url: str, log: IO[bytes], command: list[str]
) -> bool:
    """Poll until Prism answers HTTP.

    Returns False if Prism lost the race for the port; raises RuntimeError with Prism's
    output if it exits for another reason or is not up within STARTUP_TIMEOUT. Any HTTP
    answer (even Prism's 404 for the made-up path) shows the spec is loaded and served.
    """
    # No proxies: an http_proxy variable must not send loopback traffic elsewhere.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        code = process.poll()
        if code is not None:
            output = _read_log(log)
            if "EADDRINUSE" in output:
                return False
            raise RuntimeError(
                f"Prism exited with code {code} before accepting requests.\n"
                f"Command: {' '.join(command)}\nOutput:\n{output}"
            )
        try:
            with opener.open(f"{base_url}/__specgen_prism_ready__", timeout=1.0):
                return True
        except urllib.error.HTTPError:
            return True
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(
                f"Prism did not accept requests within {STARTUP_TIMEOUT:.0f} s.\n"
                f"Command: {' '.join(command)}\nOutput:\n{_read_log(log)}"
            )
        time.sleep(0.1)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group (Prism exits at once), SIGKILL leftovers, reap."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass
    # Children (say, with --multiprocess) can outlive the leader; the group is ours.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    process.wait()


def _read_log(log: IO[bytes]) -> str:
    """Everything Prism has printed so far, for error messages."""
    log.flush()
    log.seek(0)
    return log.read().decode("utf-8", errors="replace")


def _text(output: str | bytes | None) -> str:
    """``TimeoutExpired.output`` may be bytes, str or None."""
    if output is None:
        return ""
    if isinstance(output, bytes):
        return output.decode("utf-8", errors="replace")
    return output
