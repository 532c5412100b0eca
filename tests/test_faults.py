"""The HTTP runtime of the generated clients under faults, against real servers on 127.0.0.1.

Timeouts, resets, refused connections, truncated answers, retryable statuses, Retry-After, backoff,
retry safety of POST, the typed error hierarchy with each provider's documented error model,
validation of success bodies, forward compatibility of models, raw responses, headers, ownership of
the httpx client, TLS verification and credentials.

Most tests run the sync and the async client (``mode``): the two ``request`` loops are separate code.
A sync call inside an ``async def`` test simply blocks; the servers run in their own threads.
Servers: pytest-httpserver (``httpserver_ipv4``, bound to 127.0.0.1) for well-formed answers, the
raw-socket servers of ``servers.py`` for what a WSGI server cannot do.
"""

from __future__ import annotations

import base64
import email.utils
import importlib
import json
import logging
import math
import shutil
import ssl
import subprocess
import time
from collections.abc import Callable
from typing import Any

import httpx
import pydantic
import pytest
from pytest_httpserver import HTTPServer

import airplane
import comfydeploy
import kubeflow
import northflank
import spec_calls
from airplane import _runtime as airplane_runtime
from servers import (  # noqa: F401 - fast_retries, make, raw_servers and server are fixtures used by name
    CLIENTS,
    MODES,
    base,
    bounded,
    answer_after,
    closed_port,
    http_response,
    never_answer,
    reset,
    send_raw,
    serve,
    fast_retries,
    invoke,
    make,
    raw_servers,
    recording_client,
    server,
)

PROVIDERS = tuple(spec_calls.providers())
#: the runtime's own settings, captured before any test patches them
DEFAULT_INITIAL_RETRY_DELAY = airplane_runtime.INITIAL_RETRY_DELAY
DEFAULT_MAX_RETRY_DELAY = airplane_runtime.MAX_RETRY_DELAY
DEFAULT_MAX_RETRY_AFTER = airplane_runtime.MAX_RETRY_AFTER


RUN = {"id": "run1", "status": "Succeeded", "timeout": 3600}


def _get_op(call: spec_calls.Call) -> tuple[str, Callable[[Any], Any], Any]:
    def method(client: Any) -> Any:
        kwargs = dict(call.kwargs)
        if call.body_arg is not None:
            kwargs[call.body_arg] = spec_calls.typed_argument(call, call.body_json)
        return getattr(getattr(client, call.resource), call.method)(**kwargs)

    body = None if call.response_json is spec_calls.NO_BODY else call.response_json
    return call.path.removeprefix(call.provider.base_path), method, body


#: one simple call per provider, derived from its spec: (path on the server, call, a valid 200 body);
#: the first operation without a body and with a JSON answer (a GET when there is one).
GET_OPS: dict[str, tuple[str, Callable[[Any], Any], Any]] = {
    provider: _get_op(min(
        (c for c in spec_calls.calls() if c.provider.package == provider),
        key=lambda c: (c.body_arg is not None, c.response_json is spec_calls.NO_BODY, c.http_method != "GET")))
    for provider in PROVIDERS
}


# -- fixtures and helpers ---------------------------------------------------------------------------






# -- timeouts -------------------------------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("mode", MODES)
async def test_default_timeout_exists_and_is_finite(make, provider: str, mode: str) -> None:
    client = make(provider, mode, "http://127.0.0.1:1")
    assert client.timeout is not None
    timeout = httpx.Timeout(client.timeout)
    for part in (timeout.connect, timeout.read, timeout.write, timeout.pool):
        assert part is not None and math.isfinite(part) and part > 0


@pytest.mark.parametrize("mode", MODES)
async def test_client_timeout_applies(make, raw_servers, mode: str) -> None:
    slow = raw_servers(answer_after(1.0, http_response(200, json.dumps(RUN))))
    client = make("airplane", mode, slow.url, timeout=0.2, max_retries=0)
    started = time.monotonic()
    with pytest.raises(airplane.APITimeoutError) as caught:
        await bounded(mode, lambda: client.runs.get(id="run1"))
    elapsed = time.monotonic() - started
    assert elapsed < 0.9, f"timed out after {elapsed:.2f}s; the server answered at 1s"
    assert isinstance(caught.value, airplane.APIConnectionError)
    assert len(slow.hits) == 1


@pytest.mark.parametrize("mode", MODES)
async def test_per_call_timeout_shortens_the_clients(make, raw_servers, mode: str) -> None:
    slow = raw_servers(answer_after(1.0, http_response(200, json.dumps(RUN))))
    client = make("airplane", mode, slow.url, timeout=30.0, max_retries=0)
    started = time.monotonic()
    with pytest.raises(airplane.APITimeoutError):
        await bounded(mode, lambda: client.runs.get(id="run1", timeout=0.2))
    assert time.monotonic() - started < 0.9


@pytest.mark.parametrize("mode", MODES)
async def test_per_call_timeout_lengthens_the_clients(make, raw_servers, mode: str) -> None:
    slow = raw_servers(answer_after(0.3, http_response(200, json.dumps(RUN))))
    client = make("airplane", mode, slow.url, timeout=0.1, max_retries=0)
    run = await invoke(client.runs.get(id="run1", timeout=5.0))
    assert run.id == "run1"
    # and without the override the client's 0.1 s applies
    with pytest.raises(airplane.APITimeoutError):
        await bounded(mode, lambda: client.runs.get(id="run1"))


@pytest.mark.parametrize("mode", MODES)
async def test_read_timeout_is_retried_for_get_then_raises(make, raw_servers, mode: str) -> None:
    silent = raw_servers(never_answer)
    client = make("airplane", mode, silent.url, timeout=0.15)  # default max_retries=2
    started = time.monotonic()
    with pytest.raises(airplane.APITimeoutError) as caught:
        await bounded(mode, lambda: client.runs.get(id="run1"))
    assert len(silent.hits) == 3
    assert isinstance(caught.value, airplane.APIConnectionError)
    assert isinstance(caught.value.__cause__, httpx.TimeoutException)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("mode", MODES)
async def test_read_timeout_of_unsafe_post_is_not_retried(make, raw_servers, mode: str) -> None:
    silent = raw_servers(never_answer)
    client = make("kubeflow", mode, silent.url, timeout=0.2)
    with pytest.raises(kubeflow.APITimeoutError):
        await bounded(
            mode,
            lambda: client.runs.create(experiment_id="e1", body=kubeflow.models.ApiRun(display_name="x")),
        )
    assert len(silent.hits) == 1


# -- connection faults ----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_connection_reset_is_retried_then_raises(make, raw_servers, mode: str) -> None:
    resetting = raw_servers(reset)
    client = make("airplane", mode, resetting.url)
    with pytest.raises(airplane.APIConnectionError) as caught:
        await invoke(client.runs.get(id="run1"))
    assert not isinstance(caught.value, airplane.APITimeoutError)
    assert isinstance(caught.value.__cause__, httpx.TransportError)
    assert len(resetting.hits) == 3


@pytest.mark.parametrize("mode", MODES)
async def test_connection_refused(make, caplog, mode: str) -> None:
    caplog.set_level(logging.INFO, logger="airplane")
    client = make("airplane", mode, f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(airplane.APIConnectionError) as caught:
        await invoke(client.runs.get(id="run1"))
    assert not isinstance(caught.value, airplane.APITimeoutError)
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    retries = [r for r in caplog.records if r.name == "airplane" and "Retrying" in r.getMessage()]
    assert len(retries) == 2, [r.getMessage() for r in caplog.records]


@pytest.mark.parametrize("mode", MODES)
async def test_truncated_body_is_a_connection_error(make, raw_servers, mode: str) -> None:
    truncated = raw_servers(send_raw(http_response(200, '{"id": "ru', content_length=200)))
    client = make("airplane", mode, truncated.url)
    with pytest.raises(airplane.APIConnectionError):
        await invoke(client.runs.get(id="run1"))
    assert len(truncated.hits) == 3


@pytest.mark.parametrize("mode", MODES)
async def test_garbage_instead_of_http_is_a_connection_error(make, raw_servers, mode: str) -> None:
    garbage = raw_servers(send_raw(b"SSH-2.0-OpenSSH_9.6\r\nnot http at all\r\n\r\n"))
    client = make("airplane", mode, garbage.url, max_retries=0)
    with pytest.raises(airplane.APIConnectionError):
        await invoke(client.runs.get(id="run1"))
    assert len(garbage.hits) == 1


# -- retried statuses ------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_500_then_200_succeeds(make, server, mode: str) -> None:
    turns = serve(server, "/runs/get", (500, {"error": "boom"}), (200, RUN))
    client = make("airplane", mode, base(server))
    run = await invoke(client.runs.get(id="run1"))
    assert run.id == "run1"
    assert turns.count == 2


@pytest.mark.parametrize("status", [408, 429, 502, 503, 504])
@pytest.mark.parametrize("mode", MODES)
async def test_retryable_statuses_are_retried(make, server, mode: str, status: int) -> None:
    turns = serve(server, "/runs/get", (status, {"error": "later"}), (200, RUN))
    client = make("airplane", mode, base(server))
    assert (await invoke(client.runs.get(id="run1"))).id == "run1"
    assert turns.count == 2


@pytest.mark.parametrize("mode", MODES)
async def test_retry_after_seconds_is_waited(make, server, mode: str) -> None:
    turns = serve(server, "/runs/get", (429, {"error": "slow down"}, {"Retry-After": "1"}), (200, RUN))
    client = make("airplane", mode, base(server))
    assert (await invoke(client.runs.get(id="run1"))).id == "run1"
    assert turns.count == 2
    (gap,) = turns.gaps()
    assert 0.9 <= gap < 5, f"waited {gap:.2f}s for Retry-After: 1"


async def test_retry_after_http_date_is_waited(make, server) -> None:
    def in_two_seconds() -> tuple:
        when = email.utils.formatdate(time.time() + 2, usegmt=True)  # whole seconds: 1 to 2 s away
        return (503, {"error": "maintenance"}, {"Retry-After": when})

    turns = serve(server, "/runs/get", in_two_seconds, (200, RUN))
    client = make("airplane", "sync", base(server))
    assert client.runs.get(id="run1").id == "run1"
    (gap,) = turns.gaps()
    assert 0.8 <= gap < 5, f"waited {gap:.2f}s for a Retry-After date 1-2 s away"


@pytest.mark.parametrize("mode", MODES)
async def test_unparseable_retry_after_falls_back_to_backoff(make, server, mode: str) -> None:
    """A malformed Retry-After (here ``NaN``, which float() accepts) must not break the retry."""
    turns = serve(server, "/runs/get", (503, {"error": "x"}, {"Retry-After": "NaN"}), (200, RUN))
    client = make("airplane", mode, base(server))
    run = await bounded(mode, lambda: client.runs.get(id="run1"), 3)
    assert run.id == "run1"
    assert turns.count == 2


async def test_backoff_grows_exponentially(make, server, monkeypatch) -> None:
    monkeypatch.setattr(airplane_runtime, "INITIAL_RETRY_DELAY", 0.2)
    turns = serve(server, "/runs/get", (500, {"error": "down"}))
    client = make("airplane", "sync", base(server), max_retries=3)
    with pytest.raises(airplane.InternalServerError):
        client.runs.get(id="run1")
    assert turns.count == 4
    first, second, third = turns.gaps()
    # the delays are in [0.15, 0.2], [0.3, 0.4], [0.6, 0.8], plus request overhead (noisy machine)
    assert 0.14 <= first < 0.5, turns.gaps()
    assert second >= 0.28, turns.gaps()
    assert third >= 0.55 and third > first, turns.gaps()


# -- retry_delay() itself -------------------------------------------------------------------------


@pytest.fixture
def default_delays(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(airplane_runtime, "INITIAL_RETRY_DELAY", DEFAULT_INITIAL_RETRY_DELAY)
    monkeypatch.setattr(airplane_runtime, "MAX_RETRY_DELAY", DEFAULT_MAX_RETRY_DELAY)
    monkeypatch.setattr(airplane_runtime, "MAX_RETRY_AFTER", DEFAULT_MAX_RETRY_AFTER)


def test_retry_delay_is_jittered_exponential_backoff(default_delays) -> None:
    for attempt in range(1, 8):
        ceiling = min(DEFAULT_INITIAL_RETRY_DELAY * 2 ** (attempt - 1), DEFAULT_MAX_RETRY_DELAY)
        samples = [airplane_runtime.retry_delay(attempt, None) for _ in range(200)]
        assert all(0.75 * ceiling <= s <= ceiling for s in samples), (attempt, min(samples), max(samples))
        assert len(set(samples)) > 100, "no jitter: repeated delays are equal"
        assert max(samples) - min(samples) > 0.1 * ceiling


def test_retry_delay_is_bounded_by_max_retry_delay(default_delays) -> None:
    for attempt in (6, 10, 30, 100):
        delay = airplane_runtime.retry_delay(attempt, None)
        assert 0.75 * DEFAULT_MAX_RETRY_DELAY <= delay <= DEFAULT_MAX_RETRY_DELAY


def test_retry_delay_reads_retry_after_headers(default_delays, monkeypatch) -> None:
    def delay(**headers: str) -> float:
        return airplane_runtime.retry_delay(1, httpx.Response(429, headers=headers))

    assert delay(**{"Retry-After": "3"}) == 3.0
    assert delay(**{"Retry-After": "1.5"}) == 1.5
    assert delay(**{"Retry-After-Ms": "250"}) == 0.25
    future = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 28 <= delay(**{"Retry-After": future}) <= 30
    assert delay(**{"Retry-After": "0"}) == 0.0
    assert delay(**{"Retry-After": str(DEFAULT_MAX_RETRY_AFTER)}) == DEFAULT_MAX_RETRY_AFTER
    # out of range (in the past, or beyond the cap): ignored for plain backoff, never clipped
    past = email.utils.formatdate(time.time() - 30, usegmt=True)
    assert 0.375 <= delay(**{"Retry-After": past}) <= 0.5
    assert 0.375 <= delay(**{"Retry-After": "100"}) <= 0.5
    monkeypatch.setattr(airplane_runtime, "MAX_RETRY_AFTER", 0.3)
    assert delay(**{"Retry-After": "0.3"}) == 0.3
    assert 0.375 <= delay(**{"Retry-After": "1"}) <= 0.5
    # not a number nor a date: plain backoff
    assert 0.375 <= delay(**{"Retry-After": "soon"}) <= 0.5


def test_retry_delay_of_nan_retry_after_is_a_finite_delay(default_delays) -> None:
    got = airplane_runtime.retry_delay(1, httpx.Response(503, headers={"Retry-After": "NaN"}))
    assert math.isfinite(got) and 0 <= got <= DEFAULT_MAX_RETRY_AFTER, got


# -- retries exhausted ------------------------------------------------------------------------------


async def test_retries_exhausted_with_the_default_settings(server, default_delays) -> None:
    turns = serve(server, "/runs/get", (500, {"error": "down"}))
    client = airplane.AirplaneClient(api_key="k", base_url=base(server))
    assert client.max_retries == 2
    started = time.monotonic()
    with pytest.raises(airplane.InternalServerError) as caught:
        client.runs.get(id="run1")
    elapsed = time.monotonic() - started
    client.close()
    assert turns.count == 3
    assert caught.value.status_code == 500
    # default backoff 0.5 s then 1 s, each minus up to 25 % jitter
    assert 1.0 <= elapsed < 6, elapsed


@pytest.mark.parametrize("mode", MODES)
async def test_retries_exhausted(make, server, mode: str) -> None:
    turns = serve(server, "/runs/get", (503, {"error": "down"}))
    client = make("airplane", mode, base(server))
    started = time.monotonic()
    with pytest.raises(airplane.InternalServerError) as caught:
        await invoke(client.runs.get(id="run1"))
    assert turns.count == 3
    assert caught.value.status_code == 503
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("mode", MODES)
async def test_max_retries_zero_makes_one_attempt(make, server, mode: str) -> None:
    turns = serve(server, "/runs/get", (500, {"error": "down"}))
    client = make("airplane", mode, base(server), max_retries=0)
    with pytest.raises(airplane.InternalServerError):
        await invoke(client.runs.get(id="run1"))
    assert turns.count == 1


@pytest.mark.parametrize("mode", MODES)
async def test_per_call_max_retries_overrides_the_client(make, server, mode: str) -> None:
    turns = serve(server, "/runs/get", (500, {"error": "down"}))
    client = make("airplane", mode, base(server), max_retries=0)
    with pytest.raises(airplane.InternalServerError):
        await invoke(client.runs.get(id="run1", max_retries=3))
    assert turns.count == 4

    server.clear()
    turns = serve(server, "/runs/get", (500, {"error": "down"}))
    client = make("airplane", mode, base(server), max_retries=5)
    with pytest.raises(airplane.InternalServerError):
        await invoke(client.runs.get(id="run1", max_retries=0))
    assert turns.count == 1


def test_negative_max_retries_is_rejected() -> None:
    with pytest.raises(ValueError):
        airplane.AirplaneClient(api_key="k", max_retries=-1)


# -- which methods are retried ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("provider", "path", "call"),
    [
        (
            "northflank",
            "/v1/projects/p/jobs/j/runs",
            lambda c: c.jobs.run(project_id="p", job_id="j"),
        ),
        (
            "kubeflow",
            "/apis/v2beta1/experiments/e1/runs",
            lambda c: c.runs.create(experiment_id="e1", body=kubeflow.models.ApiRun(display_name="x")),
        ),
    ],
    ids=["northflank-jobs.run", "kubeflow-runs.create"],
)
@pytest.mark.parametrize("mode", MODES)
async def test_post_not_marked_retry_safe_is_not_retried(
    make, server, mode: str, provider: str, path: str, call: Callable[[Any], Any]
) -> None:
    turns = serve(server, path, (503, {"error": "unavailable"}))
    client = make(provider, mode, base(server))
    with pytest.raises(importlib.import_module(provider).InternalServerError):
        await invoke(call(client))
    assert turns.count == 1
    assert turns.seen[0].method == "POST"


@pytest.mark.parametrize(
    ("provider", "method", "path", "call", "body"),
    [
        ("airplane", "POST", "/runs/cancel",
         lambda c: c.runs.cancel(body=airplane.models.CancelRunRequest(run_id="run1")), ""),
        ("kubeflow", "POST", "/apis/v2beta1/runs/r1:archive",
         lambda c: c.runs.archive(run_id="r1"), {}),
        ("airplane", "GET", "/runs/get", lambda c: c.runs.get(id="run1"), RUN),
        ("kubeflow", "DELETE", "/apis/v2beta1/runs/r1", lambda c: c.runs.delete(run_id="r1"), {}),
        ("northflank", "DELETE", "/v1/projects/p/jobs/j/runs/r",
         lambda c: c.jobs.abort_run(project_id="p", job_id="j", run_id="r"), {"data": {}}),
    ],
    ids=["airplane-cancel-POST", "kubeflow-archive-POST", "airplane-get-GET",
         "kubeflow-delete-DELETE", "northflank-abort-DELETE"],
)
@pytest.mark.parametrize("mode", MODES)
async def test_retry_safe_post_get_and_delete_are_retried(
    make, server, mode: str, provider: str, method: str, path: str, call: Any, body: Any
) -> None:
    turns = serve(server, path, (503, {"error": "x"}), (502, "bad gateway"), (200, body))
    client = make(provider, mode, base(server))
    await invoke(call(client))
    assert turns.count == 3
    assert {seen.method for seen in turns.seen} == {method}
    if method == "POST" and provider == "airplane":
        # the body is sent again with every attempt
        assert all(json.loads(seen.body) == {"runID": "run1"} for seen in turns.seen)


# -- typed errors -----------------------------------------------------------------------------------

STATUS_ERRORS = [
    (400, "BadRequestError", 1),
    (401, "AuthenticationError", 1),
    (403, "PermissionDeniedError", 1),
    (404, "NotFoundError", 1),
    (409, "ConflictError", 1),
    (422, "UnprocessableEntityError", 1),
    (429, "RateLimitError", 3),
    (500, "InternalServerError", 3),
]


@pytest.mark.parametrize(("status", "error_name", "attempts"), STATUS_ERRORS)
@pytest.mark.parametrize("mode", MODES)
async def test_status_errors_are_typed_and_carry_the_response(
    make, server, mode: str, status: int, error_name: str, attempts: int
) -> None:
    body = {"error": f"failure {status}", "code": f"E{status}"}
    turns = serve(server, "/runs/get", (status, body, {"X-Request-Id": f"req-{status}"}))
    client = make("airplane", mode, base(server))
    with pytest.raises(airplane.APIStatusError) as caught:
        await invoke(client.runs.get(id="run1"))
    error = caught.value
    assert type(error) is getattr(airplane, error_name)
    assert isinstance(error, airplane.APIError)
    assert turns.count == attempts
    assert error.status_code == status
    assert error.headers["x-request-id"] == f"req-{status}"
    assert json.loads(error.body) == body
    assert isinstance(error.error, airplane.models.Error)
    assert (error.error.error, error.error.code) == (f"failure {status}", f"E{status}")
    assert str(status) in str(error) and f"failure {status}" in str(error)


@pytest.mark.parametrize("mode", MODES)
async def test_kubeflow_error_is_parsed_into_api_status(make, server, mode: str) -> None:
    body = {
        "error": "run r1 not found",
        "code": 5,
        "details": [{"type_url": "type.googleapis.com/google.rpc.ErrorInfo", "value": "YWJj"}],
    }
    serve(server, "/apis/v2beta1/runs/r1", (404, body))
    client = make("kubeflow", mode, base(server))
    with pytest.raises(kubeflow.NotFoundError) as caught:
        await invoke(client.runs.get(run_id="r1"))
    parsed = caught.value.error
    assert isinstance(parsed, kubeflow.models.ApiStatus)
    assert (parsed.code, parsed.error) == (5, "run r1 not found")
    assert parsed.details[0].type_url == "type.googleapis.com/google.rpc.ErrorInfo"


@pytest.mark.parametrize("mode", MODES)
async def test_comfydeploy_errors_are_parsed_per_status(make, server, mode: str) -> None:
    serve(server, "/run", (400, {"code": 400, "message": "Workflow not found"}))
    client = make("comfydeploy", mode, base(server))
    with pytest.raises(comfydeploy.BadRequestError) as bad:
        await invoke(client.run.get(run_id="r1"))
    assert isinstance(bad.value.error, comfydeploy.models.GetRunBadRequestBody)
    assert (bad.value.error.code, bad.value.error.message) == (400, "Workflow not found")

    server.clear()
    turns = serve(server, "/run", (500, {"error": "worker crashed"}))
    with pytest.raises(comfydeploy.InternalServerError) as failed:
        await invoke(client.run.get(run_id="r1"))
    assert turns.count == 3
    assert isinstance(failed.value.error, comfydeploy.models.GetRunServerErrorBody)
    assert failed.value.error.error == "worker crashed"

    # 404 is not documented (and ComfyDeploy has no `default`): no model, the body is still there
    server.clear()
    serve(server, "/run", (404, {"message": "no such run"}))
    with pytest.raises(comfydeploy.NotFoundError) as missing:
        await invoke(client.run.get(run_id="r1"))
    assert missing.value.error is None
    assert "no such run" in missing.value.body


@pytest.mark.parametrize("mode", MODES)
async def test_northflank_nested_error_is_parsed(make, server, mode: str) -> None:
    body = {"error": {"status": 409, "message": "Run already exists", "id": "err-7",
                      "details": {"field": "name"}}}
    serve(server, "/v1/projects/p/jobs/j/runs", (409, body))
    client = make("northflank", mode, base(server))
    with pytest.raises(northflank.ConflictError) as caught:
        await invoke(client.jobs.list_runs(project_id="p", job_id="j"))
    parsed = caught.value.error
    assert isinstance(parsed, northflank.models.NorthflankError)
    assert isinstance(parsed.error, northflank.models.NorthflankErrorDetail)
    assert (parsed.error.status, parsed.error.message, parsed.error.id) == (409, "Run already exists", "err-7")
    assert parsed.error.details == {"field": "name"}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [('{"message": "the model needs `error`"}', "application/json"),
     ("plain words, not JSON", "text/plain"),
     ('["a", "list"]', "application/json")],
)
@pytest.mark.parametrize("mode", MODES)
async def test_error_body_not_matching_the_model(make, server, mode: str, body: str, content_type: str) -> None:
    serve(server, "/runs/get", (400, body, {"Content-Type": content_type}))
    client = make("airplane", mode, base(server))
    with pytest.raises(airplane.BadRequestError) as caught:
        await invoke(client.runs.get(id="run1"))
    assert caught.value.error is None
    assert caught.value.body == body
    assert body in str(caught.value)


@pytest.mark.parametrize("mode", MODES)
async def test_html_error_page_after_retries(make, server, mode: str) -> None:
    page = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"
    turns = serve(server, "/runs/get", (502, page, {"Content-Type": "text/html"}))
    client = make("airplane", mode, base(server))
    with pytest.raises(airplane.InternalServerError) as caught:
        await invoke(client.runs.get(id="run1"))
    assert turns.count == 3
    assert caught.value.status_code == 502
    assert caught.value.error is None
    assert caught.value.body == page
    assert "<h1>502 Bad Gateway</h1>" in str(caught.value)


@pytest.mark.parametrize("mode", MODES)
async def test_unlisted_status_is_a_plain_api_status_error(make, server, mode: str) -> None:
    turns = serve(server, "/runs/get", (418, {"error": "teapot"}))
    client = make("airplane", mode, base(server))
    with pytest.raises(airplane.APIStatusError) as caught:
        await invoke(client.runs.get(id="run1"))
    assert type(caught.value) is airplane.APIStatusError
    assert caught.value.status_code == 418
    assert turns.count == 1
    assert caught.value.error.error == "teapot"


def test_long_error_bodies_are_excerpted_in_the_message() -> None:
    request = httpx.Request("GET", "http://127.0.0.1/runs/get")
    response = httpx.Response(500, text="x" * 5000, request=request)
    error = airplane_runtime.status_error(response, {})
    assert len(error.body) == 5000
    assert len(str(error)) < 1000


# -- success bodies that do not parse ----------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_malformed_json_in_a_200(make, server, mode: str) -> None:
    body = '{"id": "run1", "status": "Succ'
    serve(server, "/runs/get", (200, body))
    client = make("airplane", mode, base(server))
    with pytest.raises(airplane.APIResponseValidationError) as caught:
        await invoke(client.runs.get(id="run1"))
    error = caught.value
    assert not isinstance(error, pydantic.ValidationError)
    assert error.status_code == 200
    assert error.body == body
    assert body in str(error)
    assert "/runs/get" in str(error)


@pytest.mark.parametrize("mode", MODES)
async def test_200_not_matching_the_schema(make, server, mode: str) -> None:
    body = {"id": "run1", "timeout": "soon"}
    serve(server, "/runs/get", (200, body))
    client = make("airplane", mode, base(server))
    with pytest.raises(airplane.APIResponseValidationError) as caught:
        await invoke(client.runs.get(id="run1"))
    error = caught.value
    assert not isinstance(error, pydantic.ValidationError)
    assert "timeout" in str(error)
    assert json.dumps(body) in str(error)
    assert error.body == json.dumps(body)


@pytest.mark.parametrize("mode", MODES)
async def test_200_not_matching_a_non_model_type(make, server, mode: str) -> None:
    """``cast_to=dict[str, Any]`` goes through a TypeAdapter, not model_validate_json."""
    serve(server, "/apis/v2beta1/runs/r1", (200, '["not", "an", "object"]'))
    client = make("kubeflow", mode, base(server))
    with pytest.raises(kubeflow.APIResponseValidationError) as caught:
        await invoke(client.runs.delete(run_id="r1"))
    assert '["not", "an", "object"]' in str(caught.value)


# -- forward compatibility -----------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_unknown_enum_value_is_kept(make, server, mode: str) -> None:
    serve(server, "/runs/get", (200, {"id": "run1", "status": "Paused", "runtime": "standard"}))
    client = make("airplane", mode, base(server))
    run = await invoke(client.runs.get(id="run1"))
    Status = airplane.models.Status
    assert isinstance(run.status, Status)
    assert run.status.value == "Paused"
    assert run.status not in (Status.ACTIVE, Status.SUCCEEDED, Status.FAILED)
    assert run.runtime is airplane.models.Runtime.STANDARD
    assert run.model_dump(mode="json")["status"] == "Paused"


@pytest.mark.parametrize("mode", MODES)
async def test_known_enum_values_map_to_members(make, server, mode: str) -> None:
    serve(server, "/runs/get", (200, {"id": "run1", "status": "Succeeded"}))
    client = make("airplane", mode, base(server))
    run = await invoke(client.runs.get(id="run1"))
    assert run.status is airplane.models.Status.SUCCEEDED


@pytest.mark.parametrize("mode", MODES)
async def test_unknown_fields_are_kept_and_round_trip(make, server, mode: str) -> None:
    body = {"id": "run1", "brandNewField": {"nested": [1, 2, {"deep": True}]}, "anotherOne": "x"}
    serve(server, "/runs/get", (200, body))
    client = make("airplane", mode, base(server))
    run = await invoke(client.runs.get(id="run1"))
    assert run.model_extra == {"brandNewField": body["brandNewField"], "anotherOne": "x"}
    dumped = run.model_dump(mode="json")
    assert dumped["brandNewField"] == body["brandNewField"] and dumped["anotherOne"] == "x"
    assert dumped["id"] == "run1"
    assert airplane.models.GetRunResponse.model_validate(dumped) == run


@pytest.mark.parametrize("mode", MODES)
async def test_nested_unknown_enum_in_kubeflow_state_history(make, server, mode: str) -> None:
    body = {
        "run_id": "r1",
        "state": "HIBERNATING",
        "state_history": [
            {"update_time": "2024-01-01T00:00:00Z", "state": "HIBERNATING"},
            {"update_time": "2024-01-01T00:01:00Z", "state": "RUNNING"},
        ],
    }
    serve(server, "/apis/v2beta1/runs/r1", (200, body))
    client = make("kubeflow", mode, base(server))
    run = await invoke(client.runs.get(run_id="r1"))
    State = kubeflow.models.ApiRuntimeState
    assert run.state.value == "HIBERNATING" and isinstance(run.state, State)
    assert run.state_history[0].state.value == "HIBERNATING"
    assert run.state_history[1].state is State.RUNNING


# -- raw responses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_with_raw_response(make, server, mode: str) -> None:
    serve(server, "/runs/get", (200, RUN, {"X-Request-Id": "req-42", "X-RateLimit-Remaining": "7"}))
    client = make("airplane", mode, base(server))
    raw = await invoke(airplane.with_raw_response(client.runs.get)(id="run1"))
    assert isinstance(raw, airplane.APIResponse)
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "req-42"
    assert raw.headers["X-RateLimit-Remaining"] == "7"
    assert isinstance(raw.parsed, airplane.models.GetRunResponse)
    assert raw.parsed.id == "run1"


@pytest.mark.parametrize("mode", MODES)
async def test_with_raw_response_after_a_retry_is_the_final_response(make, server, mode: str) -> None:
    serve(server, "/runs/get", (503, {"error": "x"}, {"X-Attempt": "1"}), (200, RUN, {"X-Attempt": "2"}))
    client = make("airplane", mode, base(server))
    raw = await invoke(airplane.with_raw_response(client.runs.get)(id="run1"))
    assert raw.headers["x-attempt"] == "2"
    assert raw.parsed.id == "run1"


# -- headers, the httpx client, TLS ----------------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("mode", MODES)
async def test_user_agent_names_package_and_version(make, server, mode: str, provider: str) -> None:
    path, call, body = GET_OPS[provider]
    turns = serve(server, path, (200, body))
    client = make(provider, mode, base(server))
    await invoke(call(client))
    package = importlib.import_module(provider)
    agent = turns.seen[0].headers.get("User-Agent")
    assert agent.startswith(f"{provider}-python/{package.__version__}"), agent


@pytest.mark.parametrize("mode", MODES)
async def test_client_headers_and_per_call_extra_headers(make, server, mode: str) -> None:
    turns = serve(server, "/runs/get", (200, RUN))
    client = make("airplane", mode, base(server), headers={"X-Team": "blue", "X-Env": "client"})
    await invoke(client.runs.get(id="run1", extra_headers={"X-Env": "call", "X-Trace": "t-1"}))
    await invoke(client.runs.get(id="run1"))
    first, second = (seen.headers for seen in turns.seen)
    assert (first.get("X-Team"), first.get("X-Env"), first.get("X-Trace")) == ("blue", "call", "t-1")
    assert (second.get("X-Team"), second.get("X-Env"), second.get("X-Trace")) == ("blue", "client", None)
    assert first.get("X-Airplane-API-Key") == second.get("X-Airplane-API-Key") == CLIENTS["airplane"][2]["api_key"]


@pytest.mark.parametrize("mode", MODES)
async def test_injected_http_client_is_used_and_not_closed(make, server, mode: str) -> None:
    turns = serve(server, "/runs/get", (200, RUN))
    sent: list[str] = []
    if mode == "sync":
        http = httpx.Client(headers={"X-Injected": "yes"},
                            event_hooks={"request": [lambda r: sent.append(str(r.url))]})
    else:
        async def hook(request: httpx.Request) -> None:
            sent.append(str(request.url))

        http = httpx.AsyncClient(headers={"X-Injected": "yes"}, event_hooks={"request": [hook]})
    client = make("airplane", mode, base(server), http_client=http)
    assert client._http is http
    await invoke(client.runs.get(id="run1"))
    assert sent == [f"{base(server)}/runs/get?id=run1"]
    assert turns.seen[0].headers.get("X-Injected") == "yes"
    if mode == "sync":
        client.close()
        with client:
            pass
    else:
        await client.aclose()
        async with client:
            pass
    assert not http.is_closed
    # still usable by its owner
    response = await invoke(http.get(f"{base(server)}/runs/get", params={"id": "run1"}))
    assert response.status_code == 200
    await invoke(http.aclose() if mode == "async" else http.close())


async def test_owned_http_client_is_closed_on_exit(server) -> None:
    serve(server, "/runs/get", (200, RUN))
    with airplane.AirplaneClient(api_key="k", base_url=base(server)) as client:
        client.runs.get(id="run1")
        assert not client._http.is_closed
    assert client._http.is_closed

    plain = airplane.AirplaneClient(api_key="k", base_url=base(server))
    plain.close()
    assert plain._http.is_closed

    async with airplane.AsyncAirplaneClient(api_key="k", base_url=base(server)) as aclient:
        await aclient.runs.get(id="run1")
        assert not aclient._http.is_closed
    assert aclient._http.is_closed


def _self_signed_certificate(directory: Any) -> tuple[str, str]:
    """(cert, key) files for CN=127.0.0.1, made with `cryptography` or else the openssl CLI."""
    cert, key = str(directory / "cert.pem"), str(directory / "key.pem")
    try:
        import datetime

        from cryptography import x509
        from cryptography.hazmat.primitives import hashes, serialization
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.x509.oid import NameOID
    except ImportError:
        openssl = shutil.which("openssl")
        if openssl is None:
            pytest.skip("neither the cryptography package nor the openssl CLI is available")
        subprocess.run(
            [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
             "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
             "-addext", "subjectAltName=IP:127.0.0.1"],
            check=True, capture_output=True, timeout=30,
        )
        return cert, key
    import ipaddress

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(private.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                       critical=False)
        .sign(private, hashes.SHA256())
    )
    with open(cert, "wb") as f:
        f.write(certificate.public_bytes(serialization.Encoding.PEM))
    with open(key, "wb") as f:
        f.write(private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    return cert, key


@pytest.fixture
def https_server(tmp_path):
    cert, key = _self_signed_certificate(tmp_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    tls = HTTPServer(host="127.0.0.1", port=0, ssl_context=context)
    tls.start()
    yield tls
    tls.clear()
    tls.stop()


@pytest.mark.parametrize("mode", MODES)
async def test_tls_is_verified_by_default(make, https_server, mode: str) -> None:
    serve(https_server, "/runs/get", (200, RUN))
    url = f"https://127.0.0.1:{https_server.port}"
    client = make("airplane", mode, url, max_retries=0)
    with pytest.raises(airplane.APIConnectionError) as caught:
        await invoke(client.runs.get(id="run1"))
    assert "CERTIFICATE_VERIFY_FAILED" in str(caught.value.__cause__)

    http = httpx.Client(verify=False) if mode == "sync" else httpx.AsyncClient(verify=False)
    insecure = make("airplane", mode, url, max_retries=0, http_client=http)
    assert (await invoke(insecure.runs.get(id="run1"))).id == "run1"
    await invoke(http.aclose() if mode == "async" else http.close())


# -- credentials -------------------------------------------------------------------------------------

#: provider, constructor argument, environment variable, header, header value for credential "c":
#: every scheme that sends one credential in a header, of every spec.
CREDENTIALS = [
    (name, scheme.args[0], scheme.env, scheme.name, scheme.prefix + "{}")
    for name, provider in spec_calls.providers().items() for scheme in provider.api.auth
    if scheme.kind == "key" and scheme.location == "header"
]


def _call_of_scheme() -> dict[tuple[str, str], tuple[str, Callable[[Any], Any], Any]]:
    """For each (provider, scheme), the first operation whose first requirement is that scheme alone."""
    found: dict[tuple[str, str], tuple[str, Callable[[Any], Any], Any]] = {}
    for call in spec_calls.calls():
        security = spec_calls.security_of(call)
        if security and len(security[0]) == 1:
            found.setdefault((call.provider.package, security[0][0]), _get_op(call))
    return found


CALL_OF_SCHEME = _call_of_scheme()


def _bare(provider: str, mode: str, **options: Any) -> Any:
    sync_cls, async_cls, _ = CLIENTS[provider]
    return (sync_cls if mode == "sync" else async_cls)(**options)


async def _sent_header(server: HTTPServer, provider: str, mode: str, header: str, scheme: str | None = None,
                       **options: Any) -> str | None:
    """The value of ``header`` in the request a call made, as httpx wrote it on the wire (the test
    server drops header names with an underscore, which an API key's header may have)."""
    path, call, body = GET_OPS[provider] if scheme is None else CALL_OF_SCHEME[provider, scheme]
    server.clear()
    turns = serve(server, path, (200, body))
    http, sent = recording_client(mode)
    client = _bare(provider, mode, base_url=base(server), http_client=http, **options)
    try:
        await invoke(call(client))
    finally:
        await invoke(http.aclose() if mode == "async" else http.close())
    assert len(turns.seen) == len(sent) == 1
    return sent[0].headers.get(header)


@pytest.mark.parametrize(("provider", "arg", "env", "header", "value"), CREDENTIALS)
@pytest.mark.parametrize("mode", MODES)
async def test_credential_from_argument_and_environment(
    server, monkeypatch, mode: str, provider: str, arg: str, env: str, header: str, value: str
) -> None:
    scheme = next(s.key for s in spec_calls.providers()[provider].api.auth if s.env == env)
    assert await _sent_header(server, provider, mode, header, scheme, **{arg: "from-arg"}) == value.format("from-arg")
    monkeypatch.setenv(env, "from-env")
    assert await _sent_header(server, provider, mode, header, scheme) == value.format("from-env")
    # the argument wins over the environment
    assert await _sent_header(server, provider, mode, header, scheme, **{arg: "from-arg"}) == value.format("from-arg")


@pytest.mark.parametrize("mode", MODES)
async def test_northflank_basic_auth(server, monkeypatch, mode: str) -> None:
    expected = "Basic " + base64.b64encode(b"alice:s3cr:et").decode()
    got = await _sent_header(server, "northflank", mode, "Authorization", username="alice", password="s3cr:et")
    assert got == expected
    monkeypatch.setenv("NORTHFLANK_BASIC_AUTH", "alice:s3cr:et")
    assert await _sent_header(server, "northflank", mode, "Authorization") == expected


@pytest.mark.parametrize(("provider", "arg", "env", "header", "value"),
                         [c for c in CREDENTIALS if spec_calls.providers()[c[0]].api.credentials_required])
@pytest.mark.parametrize("mode", MODES)
def test_missing_credentials_fail_at_construction(
    mode: str, provider: str, arg: str, env: str, header: str, value: str
) -> None:
    package = importlib.import_module(provider)
    with pytest.raises(package.MissingCredentialsError) as caught:
        _bare(provider, mode, base_url="http://127.0.0.1:1")
    message = str(caught.value)
    assert f"{arg}=" in message and env in message, message
    if provider == "northflank":
        assert "username=" in message and "password=" in message and "NORTHFLANK_BASIC_AUTH" in message
