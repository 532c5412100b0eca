"""Contract tests: every operation of every spec, called through the generated clients, against Prism.

Prism (the OpenAPI mock server, pinned in package.json) serves each ``specs/*.yaml`` with request
validation on: a request that does not match the spec (path, query, body, auth) is rejected with a
4xx, which the client raises as a typed error and the test fails with Prism's violations. With
``--errors`` Prism also refuses to send a response that breaks the spec, and the client must parse
what it does send into the generated model.

The calls are derived from the specs (``spec_calls.py``: a value for every parameter and a body
built from the operation's schemas), so every operation of every spec in ``specs/`` is covered,
including one added later, with no edits here.
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

import spec_calls
from conftest import SPECS
from prism import run_prism
from spec_calls import Call

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


async def call(base_url: str, case: Call, mode: str, method: str | None = None, **overrides: Any) -> Any:
    """Make the derived call (or ``method`` with its arguments) through the sync or async client."""
    kwargs = dict(case.kwargs)
    if case.body_arg is not None:
        kwargs[case.body_arg] = spec_calls.typed_argument(case, case.body_json)
    kwargs.update(overrides)
    options = {**case.provider.credentials, "base_url": base_url, "max_retries": 0}
    name = method or case.method
    if mode == "sync":
        with spec_calls.client_class(case.provider.package, "sync")(**options) as client:
            result = getattr(getattr(client, case.resource), name)(**kwargs)
            return list(islice(result, 3)) if isinstance(result, Iterator) else result
    async with spec_calls.client_class(case.provider.package, "async")(**options) as client:
        result = getattr(getattr(client, case.resource), name)(**kwargs)
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


CALLS = spec_calls.calls()


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", CALLS, ids=lambda c: c.id)
async def test_operation_satisfies_the_contract(prism: Callable[[str], str], case: Call, mode: str) -> None:
    package = importlib.import_module(case.provider.package)
    try:
        result = await call(prism(case.provider.package), case, mode)
    except package.APIStatusError as error:
        if not case.documents_success and not error.headers.get("sl-violations"):
            # No 2xx is documented, so Prism answers with a documented error once the request passed
            # its checks (a request it refuses carries sl-violations); the client raised it, typed.
            assert documents(case, error.status_code), (error.status_code, case.documented)
            return
        pytest.fail(f"Prism rejected the request of {case.id}: {violations(error)}")
    assert spec_calls.returns_documented_type(case, result)


def documents(case: Call, status: int) -> bool:
    """Whether the operation documents ``status`` (exactly, as ``4XX``, or by a ``default``)."""
    return any(code in (str(status), f"{str(status)[0]}XX", "default") for code in case.documented)


PAGINATED = [case for case in CALLS if case.operation and case.operation.pagination]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", PAGINATED, ids=lambda c: c.id)
async def test_paginator_requests_satisfy_the_contract(prism: Callable[[str], str], case: Call, mode: str) -> None:
    """Following pages sends paging parameters the spec accepts (Prism never ends a list, so stop at 3)."""
    package = importlib.import_module(case.provider.package)
    operation = case.operation
    assert operation is not None and operation.pagination is not None
    pagination = operation.pagination
    paging = next(p.name for p in operation.parameters if p.wire_name == pagination.param and p.location == "query")
    try:
        items = await call(prism(case.provider.package), case, mode, method=operation.iterator_name, **{paging: None})
    except package.APIStatusError as error:
        pytest.fail(f"Prism rejected a page request of {case.id}: {violations(error)}")
    assert items, "the first page had no items"
    item_type = type(items[0])
    assert all(isinstance(item, item_type) for item in items)
    assert item_type.__module__ == f"{case.provider.package}.models"


@pytest.mark.parametrize("mode", MODES)
async def test_prism_rejects_a_request_that_breaks_the_spec(prism: Callable[[str], str], mode: str) -> None:
    """The contract tests can fail: a missing required parameter and a missing credential are refused."""
    import airplane

    get = next(case for case in CALLS if case.id == "airplane.runs.get")
    with pytest.raises(airplane.UnprocessableEntityError):
        await call(prism("airplane"), get, mode, id=None)
    with pytest.raises(airplane.AuthenticationError):
        await call(prism("airplane"), get, mode, extra_headers={"X-Airplane-API-Key": ""})
