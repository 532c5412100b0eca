"""Contract tests: every operation of every spec, called through the generated clients, against Prism.

Prism (the OpenAPI mock server, pinned in package.json) serves each ``specs/*.yaml`` with request
validation on: a request that does not match the spec (path, query, body, auth) is rejected with a
4xx, which the client raises as a typed error and the test fails with Prism's violations. With
``--errors`` Prism also refuses to send a response that breaks the spec, and the client must parse
what it does send into the generated model.

The calls come from the operation table of ``test_requests.py`` (one row per operation), so an
operation added to a spec without a row fails here and there.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped, unused-ignore]

from conftest import SPECS
from prism import run_prism
from test_requests import OPERATIONS, PROVIDERS, Op, call_kwargs, op_id, spec_operations

MODES = ("sync", "async")
_DOTTED_PATH_PARAMETER = re.compile(r"{([^}]*\.[^}]*)}")


def prism_spec(provider: str, directory: Path) -> Path:
    """The spec Prism serves: unchanged, except for a Prism bug workaround.

    Prism 5 never matches a path whose parameter name contains a dot (``{run.experiment_id}``:
    every request 404s). The name of a path parameter never goes on the wire, so renaming it in
    Prism's copy changes nothing the client is tested for.
    """
    spec = yaml.safe_load((SPECS / f"{provider}.yaml").read_text())
    paths = {}
    for template, item in spec["paths"].items():
        for dotted in _DOTTED_PATH_PARAMETER.findall(template):
            for operation in item.values():
                for parameter in operation.get("parameters", []):
                    if parameter.get("in") == "path" and parameter.get("name") == dotted:
                        parameter["name"] = dotted.replace(".", "_")
            template = template.replace("{" + dotted + "}", "{" + dotted.replace(".", "_") + "}")
        paths[template] = item
    spec["paths"] = paths
    target = directory / f"{provider}.yaml"
    target.write_text(yaml.safe_dump(spec, sort_keys=False))
    return target


@pytest.fixture(scope="module")
def prism(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """Base URL of a Prism server per provider, started on first use and shared by the module."""
    directory = tmp_path_factory.mktemp("prism-specs")
    servers: dict[str, str] = {}
    stack: list[Any] = []

    def base_url(provider: str) -> str:
        if provider not in servers:
            server = run_prism(prism_spec(provider, directory))
            servers[provider] = server.__enter__()
            stack.append(server)
        return servers[provider]

    yield base_url
    for server in reversed(stack):
        server.__exit__(None, None, None)


def returned_type(op: Op) -> Any:
    models = importlib.import_module(f"{PROVIDERS[op.provider].package}.models")
    return {"None": type(None), "dict": dict}.get(op.returns) or getattr(models, op.returns)


async def call(base_url: str, op: Op, mode: str, method: str | None = None, **overrides: Any) -> Any:
    """Call ``op`` (or its ``method``) through the sync or async client against ``base_url``."""
    provider = PROVIDERS[op.provider]
    kwargs = {**call_kwargs(op.provider, op.call, op.body), **overrides}
    options = {**op.client_kwargs, "base_url": base_url, "max_retries": 0}
    name = method or op.method
    if mode == "sync":
        with provider.client_class("sync")(**options) as client:
            result = getattr(getattr(client, op.resource), name)(**kwargs)
            return list(islice(result, 3)) if isinstance(result, Iterator) else result
    async with provider.client_class("async")(**options) as client:
        result = getattr(getattr(client, op.resource), name)(**kwargs)
        if hasattr(result, "__aiter__"):
            items = []
            async for item in result:
                items.append(item)
                if len(items) == 3:
                    break
            return items
        return await result


def violations(error: Exception) -> str:
    """What Prism said was wrong with a request, for the failure message."""
    headers = getattr(error, "headers", {})
    return f"{error}\nsl-violations: {headers.get('sl-violations', '')}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", OPERATIONS, ids=op_id)
async def test_operation_satisfies_the_contract(prism: Callable[[str], str], op: Op, mode: str) -> None:
    package = importlib.import_module(PROVIDERS[op.provider].package)
    try:
        result = await call(prism(op.provider), op, mode)
    except package.APIStatusError as error:
        pytest.fail(f"Prism rejected the request of {op_id(op)}: {violations(error)}")
    assert isinstance(result, returned_type(op))


PAGINATED = [op for op in OPERATIONS if "x-specgen-pagination" in spec_operations()[op.provider, op.http_method, op.template]]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("op", PAGINATED, ids=op_id)
async def test_paginator_requests_satisfy_the_contract(prism: Callable[[str], str], op: Op, mode: str) -> None:
    """Following pages sends paging parameters the spec accepts (Prism never ends a list, so stop at 3)."""
    package = importlib.import_module(PROVIDERS[op.provider].package)
    start = {"page_token": None, "cursor": None, "page": None}
    overrides = {k: v for k, v in start.items() if k in op.call}
    try:
        items = await call(prism(op.provider), op, mode, method=f"iter_{op.method}", **overrides)
    except package.APIStatusError as error:
        pytest.fail(f"Prism rejected a page request of {op_id(op)}: {violations(error)}")
    assert items, "the first page had no items"
    item_type = type(items[0])
    assert all(isinstance(item, item_type) for item in items)
    assert item_type.__module__ == f"{PROVIDERS[op.provider].package}.models"


def test_every_operation_of_the_specs_has_a_contract_test() -> None:
    covered = {(op.provider, op.http_method, op.template) for op in OPERATIONS}
    missing = sorted(set(spec_operations()) - covered)
    assert not missing, f"operations without a contract test: {missing}"
    assert len(spec_operations()) == len(OPERATIONS)


@pytest.mark.parametrize("mode", MODES)
async def test_prism_rejects_a_request_that_breaks_the_spec(prism: Callable[[str], str], mode: str) -> None:
    """The contract tests can fail: a missing required parameter and a missing credential are refused."""
    import airplane

    get = next(op for op in OPERATIONS if op_id(op) == "airplane.runs.get")
    with pytest.raises(airplane.UnprocessableEntityError):
        await call(prism("airplane"), get, mode, id=None)
    with pytest.raises(airplane.AuthenticationError):
        await call(prism("airplane"), get, mode, extra_headers={"X-Airplane-API-Key": ""})
