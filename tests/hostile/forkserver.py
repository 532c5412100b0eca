"""A warm interpreter that runs each job in a freshly forked child process.

Starting ``python -m specgen`` costs about 1.5 s of imports (datamodel-code-generator, black,
openapi-spec-validator); hundreds of hostile specs would take many minutes. This server imports
once, then forks one child per job. Each child is a separate process, exactly as a subprocess would
be: its own address space limited by ``RLIMIT_AS``, its own exit code, stdout and stderr going to
files, killed when it runs past its timeout. Nothing a job does reaches the server or the next job.

Modes (``argv[1]``):

* ``generate``: a job is a specgen command line; the child runs ``python -m specgen`` with it,
  with the interpreter's own handling of uncaught exceptions (traceback on stderr, exit code 1).
* ``import``: a job runs ``CHECK`` (from :mod:`hostile.importcheck`) on one generated package. When
  the package's name is already imported here (``json``, ``httpx``, ...), the child exits with
  :data:`NEEDS_FRESH_INTERPRETER` so the caller can use a real fresh interpreter instead.

Protocol: one JSON job per line on stdin, one JSON result per line on stdout.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
import traceback

MEMORY_LIMIT = 3 * 1024**3
NEEDS_FRESH_INTERPRETER = 75


def _exit_code(exc: SystemExit) -> int:
    """What the interpreter would exit with for an uncaught ``SystemExit``."""
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)
    return 1


def _run_generate(job: dict[str, object]) -> int:
    sys.argv = ["specgen", *job["args"]]  # type: ignore[misc]
    from specgen.cli import main

    main()
    return 0


def _run_import(job: dict[str, object]) -> int:
    from hostile import importcheck

    package = str(job["package"])
    if package in sys.modules:
        return NEEDS_FRESH_INTERPRETER
    importcheck.check(job)
    return 0


def _child(job: dict[str, object], mode: str) -> None:
    code = 1
    try:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        os.chdir(str(job["cwd"]))
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        for fd, key in ((1, "stdout"), (2, "stderr")):
            target = os.open(str(job[key]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(target, fd)
            os.close(target)
        sys.dont_write_bytecode = True
        try:
            code = (_run_generate if mode == "generate" else _run_import)(job)
        except SystemExit as exc:
            code = _exit_code(exc)
        except BaseException:  # the interpreter's behaviour for an uncaught exception
            traceback.print_exc()
            code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _wait(pid: int, timeout: float) -> tuple[int, bool]:
    deadline = time.monotonic() + timeout
    delay = 0.001
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), False
        if time.monotonic() > deadline:
            os.kill(pid, 9)
            _, status = os.waitpid(pid, 0)
            return os.waitstatus_to_exitcode(status), True
        time.sleep(delay)
        delay = min(delay * 2, 0.02)


def _cache_tls_context() -> None:
    """Loading the CA bundle takes 30 ms per client; every child would load the same one."""
    import functools

    import httpx._transports.default as transport

    transport.create_ssl_context = functools.lru_cache(maxsize=None)(transport.create_ssl_context)


def main() -> None:
    mode = sys.argv[1]
    if mode == "generate":
        from pathlib import Path

        from specgen import cli, pipeline  # noqa: F401  (imported once, for every child)

        # Load everything generation imports lazily (DCG, the OpenAPI validator) once.
        pipeline.build_all([Path(sys.argv[2])])
    else:
        from hostile import importcheck

        _cache_tls_context()
        # Import and run everything a check uses once (pydantic, httpx, asyncio internals), on a copy
        # of the base package under another name, so that each child only loads the package itself.
        import contextlib
        import io

        with contextlib.redirect_stdout(io.StringIO()):
            importcheck.check({"out": sys.argv[2], "package": sys.argv[3]})
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    for line in sys.stdin:
        job = json.loads(line)
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            _child(job, mode)
        code, timed_out = _wait(pid, float(job.get("timeout", 60)))
        out.write(json.dumps({"rc": code, "timed_out": timed_out, "seconds": time.monotonic() - started}) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
