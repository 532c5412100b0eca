"""Credentials never show up in a repr, a log record or an exception, whatever goes wrong.

Three credentials, three transports of them: Airplane's API key (``X-Airplane-API-Key``),
Kubeflow's bearer token (``Authorization: Bearer``) and Northflank's basic auth (neither the
password nor the base64 of ``username:password`` may appear). For each, with the sync and the async
client, a series of faults runs against real servers on 127.0.0.1 (timeout, reset, refused
connection, 500s with retries, 401, 404 with an error body, malformed JSON, a body that does not
match the schema, missing credentials of another client) while every log record at DEBUG is
captured (the root logger, so httpx and httpcore too). Then every exception's str, repr, args and
formatted traceback (with its chained causes), every log record's message and args, and the
client's repr and state are searched for the secret. The servers also check the secret WAS sent,
so the search is not vacuous.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import inspect
import json
import logging
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

import airplane
import comfydeploy
import kubeflow
import northflank
from servers import (  # noqa: F401 - fast_retries and server are fixtures used by name
    RawServer,
    closed_port,
    fast_retries,
    http_response,
    never_answer,
    reset,
    send_raw,
    serve,
    server,
)

PACKAGES = {"airplane": airplane, "kubeflow": kubeflow, "northflank": northflank}

API_KEY = "tkn_SUPERSECRET_123"
BEARER = "kf_SUPERSECRET_bearer_456"
USERNAME = "alice"
PASSWORD = "pw_SUPERSECRET_789"
BASIC = base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()


@dataclass(frozen=True)
class Case:
    provider: str
    options: dict[str, str]
    header: str
    header_value: str
    forbidden: tuple[str, ...]
    path: str
    call: Callable[[Any], Any]
    ok_body: Any
    mismatched_body: Any
    env: dict[str, str] = field(default_factory=dict)


CASES = {
    "api-key": Case(
        provider="airplane",
        options={"api_key": API_KEY},
        header="X-Airplane-API-Key",
        header_value=API_KEY,
        forbidden=(API_KEY, "SUPERSECRET"),
        path="/runs/get",
        call=lambda c: c.runs.get(id="run1"),
        ok_body={"id": "run1"},
        mismatched_body={"id": "run1", "timeout": "soon"},
    ),
    "bearer": Case(
        provider="kubeflow",
        options={"token": BEARER},
        header="Authorization",
        header_value=f"Bearer {BEARER}",
        forbidden=(BEARER, "SUPERSECRET"),
        path="/apis/v2beta1/runs/r1",
        call=lambda c: c.runs.get(run_id="r1"),
        ok_body={"run_id": "r1"},
        mismatched_body={"run_id": "r1", "created_at": "yesterday"},
    ),
    "basic": Case(
        provider="northflank",
        options={"username": USERNAME, "password": PASSWORD},
        header="Authorization",
        header_value=f"Basic {BASIC}",
        forbidden=(PASSWORD, BASIC, BASIC.rstrip("="), "SUPERSECRET"),
        path="/v1/projects/p/jobs/j/runs",
        call=lambda c: c.jobs.list_runs(project_id="p", job_id="j"),
        ok_body={"data": {"runs": []}},
        mismatched_body={"data": {"runs": "none"}},
    ),
}
MODES = ("sync", "async")


# -- helpers ----------------------------------------------------------------------------------------






def new_client(case: Case, mode: str, base_url: str, **options: Any) -> Any:
    package = PACKAGES[case.provider]
    names = {
        "airplane": ("AirplaneClient", "AsyncAirplaneClient"),
        "kubeflow": ("KubeflowClient", "AsyncKubeflowClient"),
        "northflank": ("NorthflankClient", "AsyncNorthflankClient"),
    }[case.provider]
    cls = getattr(package, names[0] if mode == "sync" else names[1])
    return cls(base_url=base_url, **{**case.options, **options})


async def close(client: Any) -> None:
    if hasattr(client, "aclose"):
        await client.aclose()
    else:
        client.close()


async def invoke(result: Any) -> Any:
    if inspect.isawaitable(result):
        return await result
    return result


def exception_texts(exc: BaseException) -> list[str]:
    """Everything a program might print or log about an exception, down its chain of causes."""
    texts = ["".join(traceback.format_exception(exc))]
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts += [str(current), repr(current), repr(current.args)]
        for attribute in ("message", "body", "request", "response", "error"):
            if hasattr(current, attribute):
                texts.append(repr(getattr(current, attribute)))
        current = current.__cause__ or current.__context__
    return texts


def record_texts(records: list[logging.LogRecord], text: str) -> list[str]:
    texts = [text]
    for record in records:
        texts += [record.getMessage(), str(record.msg), repr(record.args)]
        if record.exc_text:
            texts.append(record.exc_text)
    return texts


def client_texts(client: Any) -> list[str]:
    texts = [repr(client), str(client), repr(vars(client)), format(client)]
    for auth in client._auth.values():
        texts += [repr(auth), str(auth), repr(auth.secret), str(auth.secret), f"{auth.secret}",
                  repr(dataclasses.asdict(auth))]
    return texts


def assert_clean(texts: list[str], forbidden: tuple[str, ...], where: str) -> None:
    for text in texts:
        for secret in forbidden:
            assert secret not in text, f"{secret!r} leaked in {where}:\n{text}"


# -- the faults ----------------------------------------------------------------------------------


async def run_faults(case: Case, mode: str, server: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> tuple[list[BaseException], list[Any]]:
    """Run every fault once; return the exceptions raised and the clients used."""
    errors: list[BaseException] = []
    clients: list[Any] = []
    app_log = logging.getLogger("app.using.the.client")
    package = PACKAGES[case.provider]

    async def expect(error_type: type[BaseException], base_url: str, **options: Any) -> None:
        client = new_client(case, mode, base_url, **options)
        clients.append(client)
        try:
            if mode == "sync":
                await asyncio.wait_for(asyncio.to_thread(case.call, client), 5)
            else:
                await asyncio.wait_for(case.call(client), 5)
        except error_type as exc:
            app_log.exception("the API call failed")  # what an application would log
            app_log.warning("the API call failed: %s", exc)
            errors.append(exc)
        else:
            pytest.fail(f"expected {error_type.__name__}")
        finally:
            # the repr of a client is checked after use, with its resources cached
            await close(client)

    raw_sent: list[bytes] = []
    for behaviour in (never_answer, reset):
        raw = RawServer(behaviour)
        try:
            error_type = package.APITimeoutError if behaviour is never_answer else package.APIConnectionError
            await expect(error_type, raw.url, timeout=0.1, max_retries=1)
            assert len(raw.hits) == 2
            raw_sent += raw.requests
        finally:
            raw.stop()

    await expect(package.APIConnectionError, f"http://127.0.0.1:{closed_port()}", max_retries=1)

    url = f"http://127.0.0.1:{server.port}"
    scripted = [
        ((500, {"error": "internal failure", "code": 13}), package.InternalServerError, 3),
        ((401, {"error": "invalid credentials", "code": 16}), package.AuthenticationError, 1),
        ((404, {"error": "run not found", "code": 5, "message": "run not found"}), package.NotFoundError, 1),
        ((200, '{"id": "run1", "sta'), package.APIResponseValidationError, 1),
        ((200, case.mismatched_body), package.APIResponseValidationError, 1),
    ]
    for reply, error_type, attempts in scripted:
        server.clear()
        turns = serve(server, case.path, reply)
        await expect(error_type, url)
        assert turns.count == attempts
        # positive control: the credential really was on the wire
        assert all(seen.headers.get(case.header) == case.header_value for seen in turns.seen)

    # the raw servers got it too
    header_line = f"{case.header}: {case.header_value}".lower().encode()
    assert len(raw_sent) == 4
    assert all(header_line in request.lower() for request in raw_sent)

    # missing credentials of other clients, with this credential in the environment
    env = {"airplane": "AIRPLANE_API_KEY", "kubeflow": "KUBEFLOW_TOKEN",
           "northflank": "NORTHFLANK_BASIC_AUTH"}[case.provider]
    monkeypatch.setenv(env, f"{USERNAME}:{PASSWORD}" if case.provider == "northflank" else case.forbidden[0])
    others: list[Callable[[], Any]] = [comfydeploy.ComfyDeployClient]
    if case.provider == "airplane":
        others.append(lambda: kubeflow.AsyncKubeflowClient(base_url=url))
    else:
        others.append(airplane.AsyncAirplaneClient)
    if case.provider != "northflank":
        # half of a basic-auth pair: the password must not be echoed back
        others.append(lambda: northflank.NorthflankClient(password=PASSWORD))
    for make_other in others:
        try:
            make_other()
        except (airplane.MissingCredentialsError, comfydeploy.MissingCredentialsError,
                kubeflow.MissingCredentialsError, northflank.MissingCredentialsError) as exc:
            app_log.exception("could not create a client")
            errors.append(exc)
        else:
            pytest.fail("expected MissingCredentialsError")
    return errors, clients


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case_name", list(CASES))
async def test_no_secret_in_exceptions_logs_or_reprs(
    server, caplog, monkeypatch, case_name: str, mode: str
) -> None:
    case = CASES[case_name]
    caplog.set_level(logging.DEBUG)
    errors, clients = await run_faults(case, mode, server, monkeypatch)
    assert len(errors) == (10 if case.provider == "northflank" else 11)

    for exc in errors:
        assert_clean(exception_texts(exc), case.forbidden, f"{type(exc).__name__}")
    for client in clients:
        assert_clean(client_texts(client), case.forbidden, f"repr/state of {type(client).__name__}")

    # the logs were really captured: ours (retries, responses), httpx's and httpcore's
    names = {record.name for record in caplog.records}
    assert case.provider in names, names
    assert "httpx" in names and any(name.startswith("httpcore") for name in names), names
    assert any("Retrying" in record.getMessage() for record in caplog.records)
    assert_clean(record_texts(caplog.records, caplog.text), case.forbidden, "the log records")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case_name", list(CASES))
async def test_client_repr_and_state_before_use(case_name: str, mode: str) -> None:
    case = CASES[case_name]
    client = new_client(case, mode, "http://127.0.0.1:1")
    try:
        texts = client_texts(client)
        assert_clean(texts, case.forbidden, "repr/state of a new client")
        assert "**********" in repr(next(iter(client._auth.values())).secret)
    finally:
        await close(client)


@pytest.mark.parametrize("mode", MODES)
async def test_credential_from_the_environment_does_not_leak(server, caplog, monkeypatch, mode: str) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("AIRPLANE_API_KEY", API_KEY)
    case = CASES["api-key"]
    turns = serve(server, case.path, (404, {"error": "run not found"}))
    cls = airplane.AirplaneClient if mode == "sync" else airplane.AsyncAirplaneClient
    client = cls(base_url=f"http://127.0.0.1:{server.port}")
    with pytest.raises(airplane.NotFoundError) as caught:
        await invoke(client.runs.get(id="run1"))
    await close(client)
    assert turns.seen[0].headers.get("X-Airplane-API-Key") == API_KEY
    assert_clean(exception_texts(caught.value), case.forbidden, "NotFoundError")
    assert_clean(client_texts(client), case.forbidden, "the client")
    assert_clean(record_texts(caplog.records, caplog.text), case.forbidden, "the log records")


# -- beyond the brief: two ways a credential can still escape ---------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case_name", ["api-key", "bearer"])
async def test_credential_with_a_stray_newline_does_not_leak(
    server, caplog, case_name: str, mode: str
) -> None:
    """A key read from a file often ends in a newline. Whatever the client does with it (reject it
    at construction, strip it, fail the request), the key must not appear in what it raises."""
    caplog.set_level(logging.DEBUG)
    case = CASES[case_name]
    serve(server, case.path, (200, case.ok_body))
    arg = next(iter(case.options))
    raised: list[BaseException] = []
    try:
        client = new_client(case, mode, f"http://127.0.0.1:{server.port}",
                            **{arg: case.options[arg] + "\n"}, max_retries=0)
        try:
            await invoke(case.call(client))
        finally:
            await close(client)
    except Exception as exc:  # noqa: BLE001 - any error is fine, a leaking one is not
        raised.append(exc)
    for exc in raised:
        assert_clean(exception_texts(exc), case.forbidden, f"{type(exc).__name__} (chained causes included)")
    # httpcore's own DEBUG trace logs the repr of h11's "Illegal header value b'<the key>'" error:
    # that is httpcore's behaviour, so only our package's records and httpx's INFO are checked here
    ours = [r for r in caplog.records
            if r.name.split(".")[0] == case.provider or (r.name.startswith("httpx") and r.levelno >= logging.INFO)]
    assert_clean(record_texts(ours, ""), case.forbidden, "the log records of the client and httpx")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case_name", list(CASES))
async def test_credential_is_not_sent_to_another_origin_on_redirect(
    server, case_name: str, mode: str
) -> None:
    """The owned httpx client follows redirects; a redirect to another origin must not carry the
    credential there (httpx drops ``Authorization`` itself, but not a custom header)."""
    case = CASES[case_name]
    elsewhere = RawServer(send_raw(http_response(200, json.dumps(case.ok_body))))
    try:
        turns = serve(server, case.path, (302, "", {"Location": f"{elsewhere.url}{case.path}"}))
        client = new_client(case, mode, f"http://127.0.0.1:{server.port}", max_retries=0)
        try:
            await invoke(case.call(client))
        finally:
            await close(client)
        assert turns.seen[0].headers.get(case.header) == case.header_value  # sent to its origin
        assert len(elsewhere.requests) == 1  # the redirect was followed
        received = elsewhere.requests[0].decode("latin-1")
        for secret in case.forbidden:
            assert secret not in received, f"{secret!r} was sent to {elsewhere.url}:\n{received}"
    finally:
        elsewhere.stop()
