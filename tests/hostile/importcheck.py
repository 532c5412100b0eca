"""What "accepted" means for a generated package, checked inside a fresh (or freshly forked) process.

Every module compiles; ``import <pkg>``, ``<pkg>.models`` and every ``<pkg>.resources.*`` import
from the output folder (not some other module of that name); the sync and the async client construct
with a dummy credential passed explicitly (and ``base_url`` when it is required); each resource
attribute of the clients loads. A case may add its own ``checks`` (Python run with ``pkg``,
``models``, ``sync_client``/``async_client`` and ``client_arguments(cls)`` in scope), e.g. that a wire
name round-trips or that a paginator sends what it was given.

Run directly (``python -m hostile.importcheck JOB.json``) it does the same in a real fresh interpreter.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import sys
from pathlib import Path
from typing import Any

DUMMY_CREDENTIAL = "dummy-credential"
DUMMY_BASE_URL = "https://api.example.invalid"
OK_LINE = "IMPORT-CHECK-OK"


def check(job: dict[str, Any]) -> None:
    out = Path(str(job["out"])).resolve()
    name = str(job["package"])
    root = out / name
    for path in sorted(root.rglob("*.py")):
        compile(path.read_text(encoding="utf-8"), str(path), "exec", dont_inherit=True)
    sys.path.insert(0, str(out))
    pkg = importlib.import_module(name)
    if not getattr(pkg, "__file__", None):
        raise AssertionError(f"`import {name}` found {pkg!r}, not the generated package in {root}")
    where = Path(str(pkg.__file__)).resolve()
    if where.parent != root:
        raise AssertionError(f"`import {name}` found {where}, not the generated package in {root}")
    models = importlib.import_module(f"{name}.models")
    for path in sorted((root / "resources").glob("*.py")):
        if path.stem != "__init__":
            importlib.import_module(f"{name}.resources.{path.stem}")
    from_runtime = importlib.import_module(f"{name}._runtime")
    clients = []
    for kind in ("SyncClient", "AsyncClient"):
        base = getattr(from_runtime, kind)
        found = [obj for obj in vars(pkg).values() if inspect.isclass(obj) and issubclass(obj, base) and obj is not base]
        if len(found) != 1:
            raise AssertionError(f"expected one {kind} subclass exported by {name}, found {found}")
        cls = found[0]
        clients.append(cls(**_arguments(cls)))
    sync_client, async_client = clients
    for client in clients:
        for attribute, value in vars(type(client)).items():
            if type(value).__name__ == "cached_property":
                getattr(client, attribute)
    checks = str(job.get("checks") or "")
    if checks:
        exec(compile(checks, "<case checks>", "exec"), {"pkg": pkg, "models": models, "sync_client": sync_client,
                                                         "async_client": async_client, "client_arguments": _arguments})
    sync_client.close()
    asyncio.run(async_client.aclose())
    print(OK_LINE)


def _arguments(cls: type) -> dict[str, Any]:
    """A dummy credential for every credential argument, and base_url when there is no default."""
    arguments: dict[str, Any] = {}
    for parameter in inspect.signature(cls.__init__).parameters.values():  # type: ignore[misc]
        if parameter.kind is not inspect.Parameter.KEYWORD_ONLY:
            continue
        if parameter.name == "base_url":
            if parameter.default is inspect.Parameter.empty:
                arguments["base_url"] = DUMMY_BASE_URL
        elif parameter.name not in ("timeout", "max_retries", "headers", "http_client"):
            arguments[parameter.name] = DUMMY_CREDENTIAL
    return arguments


if __name__ == "__main__":
    check(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")))
