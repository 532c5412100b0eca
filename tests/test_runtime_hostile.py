"""The runtime against hostile servers and careless callers (issue 6, section 4).

Each behaviour holds for the sync and the async client (``mode``) and is shown against real servers
on 127.0.0.1: pytest-httpserver for well-formed answers, the raw-socket servers of ``servers.py`` for
bytes a WSGI server will not send (a corrupt gzip body, a charset it would not label).

1. A credential that cannot go into a header is refused when the client is created, unseen.
2. A redirect to another origin carries none of the caller's credentials (``Authorization``,
   ``Cookie``, ``Proxy-Authorization`` added with ``headers=``/``extra_headers=``).
3. A ``Retry-After`` out of range (negative, beyond ``MAX_RETRY_AFTER``) is ignored for backoff.
4. An empty path parameter is refused before anything is sent.
5. A body that cannot be decoded is a typed ``APIResponseDecodingError``, never a bare
   ``httpx.DecodingError``, ``AssertionError`` or ``TypeError``; an error status keeps its class.
6. A server whose cursors cycle stops the paginator with ``PaginationError``.
7. A JSON string answered for ``cast_to=str`` loses its quotes; other text is returned as it is.
8. ``member.is_unknown`` tells an enum value the spec does not list.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import importlib
import json
import logging
import traceback
from collections.abc import Callable
from typing import Any

import pytest
import yaml
from pytest_httpserver import HTTPServer

import airplane
import kubeflow
import northflank
from conftest import SPECS
from servers import (  # noqa: F401 - fast_retries, make, raw_servers and server are fixtures used by name
    CLIENTS,
    MODES,
    base,
    bounded,
    RawServer,
    fast_retries,
    http_response,
    send_raw,
    invoke,
    make,
    raw_servers,
    serve,
    server,
)

RUN = {"id": "run1", "status": "Succeeded"}


# -- helpers ------------------------------------------------------------------------------------------


def client_class(provider: str, mode: str) -> type:
    sync_cls, async_cls, _ = CLIENTS[provider]
    return sync_cls if mode == "sync" else async_cls


async def collect(iterator: Any) -> list[Any]:
    """Every item of a sync or async paginator."""
    if hasattr(iterator, "__aiter__"):
        return [item async for item in iterator]
    return list(iterator)


def exception_texts(exc: BaseException) -> list[str]:
    """Everything a program might print or log about an exception, down its chain of causes."""
    texts = ["".join(traceback.format_exception(exc))]
    current: BaseException | None = exc
    seen: set[int] = set()
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts += [str(current), repr(current), repr(current.args), repr(vars(current))]
        current = current.__cause__ or current.__context__
    return texts


# -- 1. credentials that cannot go into a header ------------------------------------------------------

SECRET = "SUPERSECRET"
UNSENDABLE = {
    "C1 control U+0085": "\u0085",
    "non-ASCII letter": "é",
    "no-break space U+00A0": "\u00a0",
    "smart quote U+2019": "\u2019",
    "DEL": "\x7f",
    "emoji": "\U0001f511",
}
PLACES = [(name, char, where) for name, char in UNSENDABLE.items()
          for where in ("start", "middle", "end")]
PLACES += [("tab", "\t", "middle"), ("newline", "\n", "middle")]  # at either end: stripped
HEADER_CREDENTIALS = {
    "airplane": ("api_key", "AIRPLANE_API_KEY"),
    "kubeflow": ("token", "KUBEFLOW_TOKEN"),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("provider", list(HEADER_CREDENTIALS))
@pytest.mark.parametrize(("name", "char", "where"), PLACES, ids=[f"{n}-{w}" for n, _, w in PLACES])
def test_header_credential_outside_printable_ascii_is_refused_unseen(
    provider: str, mode: str, name: str, char: str, where: str
) -> None:
    key = {"start": f"{char}tkn_{SECRET}_1", "middle": f"tkn_{SECRET}{char}_1",
           "end": f"tkn_{SECRET}_1{char}"}[where]
    arg, _ = HEADER_CREDENTIALS[provider]
    package = importlib.import_module(provider)
    with pytest.raises(package.InvalidCredentialsError) as caught:
        client_class(provider, mode)(base_url="http://127.0.0.1:1", **{arg: key})
    assert arg in str(caught.value)  # it says which credential
    assert caught.value.__cause__ is None and caught.value.__context__ is None
    for text in exception_texts(caught.value):
        assert SECRET not in text and key not in text, text


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("provider", list(HEADER_CREDENTIALS))
def test_header_credential_from_the_environment_is_refused_unseen(
    monkeypatch: pytest.MonkeyPatch, provider: str, mode: str
) -> None:
    _, env = HEADER_CREDENTIALS[provider]
    monkeypatch.setenv(env, f"tkn_{SECRET}\u2019")
    package = importlib.import_module(provider)
    with pytest.raises(package.InvalidCredentialsError) as caught:
        client_class(provider, mode)(base_url="http://127.0.0.1:1")
    assert env in str(caught.value)
    for text in exception_texts(caught.value):
        assert SECRET not in text, text


@pytest.mark.parametrize("mode", MODES)
async def test_surrounding_ascii_whitespace_is_still_stripped(make, server, mode: str) -> None:
    turns = serve(server, "/runs/get", (200, RUN))
    client = make("airplane", mode, base(server), api_key=f" \ttkn_{SECRET}\r\n")
    await invoke(client.runs.get(id="run1"))
    assert turns.seen[0].headers.get("X-Airplane-API-Key") == f"tkn_{SECRET}"


@pytest.mark.parametrize("mode", MODES)
async def test_basic_auth_sends_non_ascii_as_utf8(make, server, mode: str) -> None:
    """Basic auth is base64 of UTF-8 (RFC 7617), so a non-ASCII username or password is fine."""
    turns = serve(server, "/v1/projects/p/jobs/j/runs", (200, {"data": {"runs": []}}))
    username, password = "zoë", f"pä{SECRET}\u00a0’"
    client = make("northflank", mode, base(server), token=None, username=username,
                  password=password)
    await invoke(client.jobs.list_runs(project_id="p", job_id="j"))
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    assert turns.seen[0].headers.get("Authorization") == f"Basic {token}"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("char", ["\u0085", "\x00", "\x1b", "\x7f", "\ud800"],
                         ids=["C1 NEL", "NUL", "ESC", "DEL", "lone surrogate"])
def test_basic_auth_with_a_control_character_is_refused_unseen(mode: str, char: str) -> None:
    password = f"pw_{SECRET}{char}x"
    with pytest.raises(northflank.InvalidCredentialsError) as caught:
        client_class("northflank", mode)(base_url="http://127.0.0.1:1", username="alice",
                                         password=password)
    for text in exception_texts(caught.value):
        assert SECRET not in text, text


# -- 2. credentials of the caller on a redirect -------------------------------------------------------

CALLER_CREDENTIALS = {
    "Authorization": f"Bearer caller-{SECRET}-a",
    "Cookie": f"session=caller-{SECRET}-c",
    "Proxy-Authorization": f"Basic caller-{SECRET}-p",
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("given", ["client headers=", "per-call extra_headers="])
async def test_caller_credentials_are_not_sent_to_another_origin(
    make, server, raw_servers, mode: str, given: str
) -> None:
    elsewhere = raw_servers(send_raw(http_response(200, json.dumps(RUN))))
    turns = serve(server, "/runs/get", (302, "", {"Location": f"{elsewhere.url}/runs/get?id=run1"}))
    headers = {**CALLER_CREDENTIALS, "X-Team": "blue"}
    if given == "client headers=":
        client = make("airplane", mode, base(server), headers=headers, max_retries=0)
        await invoke(client.runs.get(id="run1"))
    else:
        client = make("airplane", mode, base(server), max_retries=0)
        await invoke(client.runs.get(id="run1", extra_headers=headers))
    for name, value in CALLER_CREDENTIALS.items():  # positive control: the origin got them
        assert turns.seen[0].headers.get(name) == value
    (received,) = elsewhere.requests
    text = received.decode("latin-1")
    assert SECRET not in text, text
    assert "x-team: blue" in text.lower()  # other headers go on
    assert "x-airplane-api-key" not in text.lower()  # as before: the client's own credential


@pytest.mark.parametrize("mode", MODES)
async def test_caller_credentials_stay_on_a_same_origin_redirect(make, server, mode: str) -> None:
    serve(server, "/runs/get", (302, "", {"Location": "/runs/moved?id=run1"}))
    moved = serve(server, "/runs/moved", (200, RUN))
    client = make("airplane", mode, base(server), headers=CALLER_CREDENTIALS, max_retries=0)
    await invoke(client.runs.get(id="run1"))
    for name, value in CALLER_CREDENTIALS.items():
        assert moved.seen[0].headers.get(name) == value
    assert moved.seen[0].headers.get("X-Airplane-API-Key") == CLIENTS["airplane"][2]["api_key"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("status", "method", "expected"), [
    (302, "DELETE", "DELETE"),  # httpx would send a GET: a deletion that never happens
    (301, "DELETE", "DELETE"),
    (303, "DELETE", "GET"),
    (307, "DELETE", "DELETE"),
])
async def test_redirect_method_rules(make, server, mode: str, status: int, method: str,
                                     expected: str) -> None:
    serve(server, "/apis/v2beta1/runs/r1", (status, "", {"Location": "/moved/r1"}))
    moved = serve(server, "/moved/r1", (200, {}))
    client = make("kubeflow", mode, base(server), max_retries=0)
    await invoke(client.runs.delete(run_id="r1"))
    assert moved.seen[0].method == expected


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("status", "expected"), [(302, "GET"), (303, "GET"), (307, "POST")])
async def test_redirected_post_drops_its_body_only_when_it_becomes_a_get(
    make, server, mode: str, status: int, expected: str
) -> None:
    path = "/apis/v2beta1/runs/r1:terminate"
    serve(server, path, (status, "", {"Location": "/moved"}))
    moved = serve(server, "/moved", (200, {}))
    client = make("kubeflow", mode, base(server), max_retries=0)
    await invoke(client.request("POST", path, cast_to=dict, body={"a": 1}, has_body=True))
    seen = moved.seen[0]
    assert seen.method == expected
    if expected == "GET":
        assert seen.body == b"" and seen.headers.get("Content-Type") is None
    else:
        assert json.loads(seen.body) == {"a": 1}


# -- 3. Retry-After out of range ----------------------------------------------------------------------

OUT_OF_RANGE = {
    "Retry-After beyond the cap": {"Retry-After": "100"},
    "retry-after-ms beyond the cap": {"retry-after-ms": "100000"},
    "negative Retry-After": {"Retry-After": "-5"},
    "negative retry-after-ms": {"retry-after-ms": "-250"},
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("headers", list(OUT_OF_RANGE.values()), ids=list(OUT_OF_RANGE))
async def test_retry_after_out_of_range_is_ignored_for_backoff(
    make, server, monkeypatch, caplog, mode: str, headers: dict[str, str]
) -> None:
    """Backoff here is 0.11 to 0.15 s and the cap 0.6 s: clipping to the cap would wait 0.6 s,
    obeying a negative wait none at all."""
    runtime = importlib.import_module("airplane._runtime")
    monkeypatch.setattr(runtime, "INITIAL_RETRY_DELAY", 0.15)
    monkeypatch.setattr(runtime, "MAX_RETRY_AFTER", 0.6)
    caplog.set_level(logging.INFO, logger="airplane")
    turns = serve(server, "/runs/get", (429, {"error": "slow down"}, headers), (200, RUN))
    client = make("airplane", mode, base(server))
    run = await bounded(mode, lambda: client.runs.get(id="run1"))
    assert run.id == "run1"
    (gap,) = turns.gaps()
    assert 0.1 <= gap < 0.45, f"waited {gap:.2f}s; backoff is 0.11-0.15s"
    assert any("Ignoring the server's retry delay" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("mode", MODES)
async def test_retry_after_within_range_is_still_obeyed(make, server, monkeypatch, mode: str) -> None:
    monkeypatch.setattr(importlib.import_module("airplane._runtime"), "MAX_RETRY_AFTER", 0.6)
    turns = serve(server, "/runs/get", (503, {"error": "x"}, {"Retry-After": "0.3"}), (200, RUN))
    client = make("airplane", mode, base(server))
    await bounded(mode, lambda: client.runs.get(id="run1"))
    (gap,) = turns.gaps()
    assert 0.28 <= gap < 0.55, gap


# -- 4. empty path parameters -------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("provider", "call", "name"), [
    ("kubeflow", lambda c, v: c.runs.get(run_id=v), "run_id"),
    ("kubeflow", lambda c, v: c.runs.delete(run_id=v), "run_id"),
    # the path template's name (the wire name): the runtime does not know the Python one
    ("northflank", lambda c, v: c.jobs.list_runs(project_id="p", job_id=v), "jobId"),
], ids=["kubeflow.get", "kubeflow.delete", "northflank.list_runs"])
@pytest.mark.parametrize("value", ["", None], ids=["empty", "None"])
async def test_empty_path_parameter_is_refused_before_sending(
    make, server: HTTPServer, mode: str, provider: str, call: Any, name: str, value: Any
) -> None:
    server.expect_request("/", method="__ALL").respond_with_json({})  # anything sent would land
    client = make(provider, mode, base(server), max_retries=0)
    with pytest.raises(ValueError, match=f"^Expected a non-empty value for `{name}` but received "
                                         f"{value!r}$"):
        await invoke(call(client, value))
    assert server.log == [], "a request was sent"


# -- 5. bodies that cannot be decoded -----------------------------------------------------------------

CORRUPT = {
    "gzip": {"Content-Encoding": "gzip"},
    "deflate": {"Content-Encoding": "deflate"},
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [200, 404])
@pytest.mark.parametrize("encoding", list(CORRUPT))
async def test_corrupt_content_encoding_is_a_decoding_error(
    make, raw_servers, mode: str, status: int, encoding: str
) -> None:
    raw = raw_servers(send_raw(http_response(status, b"\x00\x01 not compressed", CORRUPT[encoding])))
    client = make("airplane", mode, raw.url, max_retries=0)
    with pytest.raises(airplane.APIResponseDecodingError) as caught:
        await invoke(client.runs.get(id="run1"))
    error = caught.value
    assert isinstance(error, airplane.APIError)
    assert error.status_code == status
    assert error.request.method == "GET" and "/runs/get" in str(error.request.url)
    assert error.headers["Content-Encoding"] == encoding
    assert encoding in str(error) and str(status) in str(error)


@pytest.mark.parametrize("mode", MODES)
async def test_a_corrupt_body_that_is_retried_does_not_fail_the_call(
    make, raw_servers, mode: str
) -> None:
    answers = iter([http_response(503, b"\x00\x01 corrupt", {"Content-Encoding": "gzip"}),
                    http_response(200, gzip.compress(json.dumps(RUN).encode()),
                                  {"Content-Encoding": "gzip"})])

    def behaviour(server: RawServer, conn: Any) -> None:
        server.read_request(conn)
        conn.sendall(next(answers))

    raw = raw_servers(behaviour)
    client = make("airplane", mode, raw.url, max_retries=1)
    run = await bounded(mode, lambda: client.runs.get(id="run1"))
    assert run.id == "run1" and len(raw.hits) == 2


UNDECODABLE_TEXT = {
    "invalid UTF-8": (b"caf\xe9 \xff", "text/plain"),
    "invalid in its charset": ("naïve".encode("utf-8")[:-1] + b"\xff", "text/plain; charset=utf-8"),
    "unknown charset": (b"hello", "text/plain; charset=no-such-charset"),
    "non-text codec base64": (b"aGVsbG8=", "text/plain; charset=base64"),
    "non-text codec rot13": (b"uryyb", "text/plain; charset=rot13"),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("case", list(UNDECODABLE_TEXT))
async def test_undecodable_text_success_is_a_decoding_error(make, raw_servers, mode: str,
                                                            case: str) -> None:
    body, content_type = UNDECODABLE_TEXT[case]
    raw = raw_servers(send_raw(http_response(200, body, {"Content-Type": content_type})))
    client = make("airplane", mode, raw.url, max_retries=0)
    with pytest.raises(airplane.APIResponseDecodingError) as caught:
        await invoke(client.request("GET", "/text", cast_to=str))
    assert caught.value.status_code == 200


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("charset", ["no-such-charset", "base64", "rot13"])
async def test_json_success_with_an_undecodable_charset_is_a_decoding_error(
    make, raw_servers, mode: str, charset: str
) -> None:
    raw = raw_servers(send_raw(http_response(
        200, json.dumps(RUN), {"Content-Type": f"application/json; charset={charset}"})))
    client = make("airplane", mode, raw.url, max_retries=0)
    with pytest.raises(airplane.APIResponseDecodingError):
        await invoke(client.runs.get(id="run1"))


@pytest.mark.parametrize("mode", MODES)
async def test_text_in_a_declared_charset_is_decoded(make, raw_servers, mode: str) -> None:
    raw = raw_servers(send_raw(http_response(
        200, "café ✓".encode("utf-16"), {"Content-Type": "text/plain; charset=utf-16"})))
    client = make("airplane", mode, raw.url, max_retries=0)
    assert await invoke(client.request("GET", "/text", cast_to=str)) == "café ✓"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("body", "content_type", "expected_body"), [
    (b'{"error": "gone", "code": 5}', "application/json; charset=base64", '{"error": "gone", "code": 5}'),
    (b'{"error": "gone", "code": 5}', "application/json; charset=rot13", '{"error": "gone", "code": 5}'),
    (b'{"error": "gone", "code": 5}', "application/json; charset=nope", '{"error": "gone", "code": 5}'),
    (b'{"error": "gone \xff", "code": 5}', "application/json", '{"error": "gone \ufffd", "code": 5}'),
], ids=["base64", "rot13", "unknown", "invalid UTF-8"])
async def test_mis_encoded_error_body_keeps_its_status_class(
    make, raw_servers, mode: str, body: bytes, content_type: str, expected_body: str
) -> None:
    """The status is what callers branch on: a 404 stays a NotFoundError, its body shown as best it
    can be (the message excerpt and ``body``) and still parsed into the error model."""
    raw = raw_servers(send_raw(http_response(404, body, {"Content-Type": content_type},
                                             reason="Not Found")))
    client = make("kubeflow", mode, raw.url, max_retries=0)
    with pytest.raises(kubeflow.NotFoundError) as caught:
        await invoke(client.runs.get(run_id="r1"))
    assert caught.value.body == expected_body
    assert expected_body in str(caught.value)
    assert caught.value.error is not None and caught.value.error.code == 5


@pytest.mark.parametrize("mode", MODES)
async def test_mis_encoded_body_not_matching_the_schema_is_a_validation_error(
    make, raw_servers, mode: str
) -> None:
    """Decoded fine but wrong: the validation error shows the body without failing on it."""
    raw = raw_servers(send_raw(http_response(
        200, b'{"id": 5, "note": "\xe9"}', {"Content-Type": "application/json; charset=latin-1"})))
    client = make("airplane", mode, raw.url, max_retries=0)
    with pytest.raises(airplane.APIResponseValidationError) as caught:
        await invoke(client.runs.get(id="run1"))
    assert '"note": "é"' in caught.value.body


# -- 6. cursors that cycle ----------------------------------------------------------------------------

KF_RUNS = "/apis/v2beta1/runs"


def cursor_server(server: HTTPServer, path: str, page: Callable[[str | None, int], Any],
                  param: str) -> list[str | None]:
    """Answer each request with ``page(cursor, n)``; after 30 requests, an empty last page, so a
    paginator that does not notice a cycle ends with duplicates instead of hanging the test."""
    from werkzeug.wrappers import Response

    asked: list[str | None] = []

    def handler(request: Any) -> Any:
        asked.append(request.args.get(param))
        body = page(asked[-1], len(asked)) if len(asked) <= 30 else {}
        return Response(json.dumps(body), content_type="application/json")

    server.expect_request(path).respond_with_handler(handler)
    return asked


NORTHFLANK_RUN = yaml.safe_load((SPECS / "northflank.yaml").read_text())["paths"][
    "/v1/projects/{projectId}/jobs/{jobId}/runs/{runId}"]["get"]["responses"]["200"]["content"][
    "application/json"]["examples"]["seed"]["value"]["data"]


def kubeflow_run(run_id: str) -> dict[str, Any]:
    return {"run_id": run_id}


@pytest.mark.parametrize("mode", MODES)
async def test_cursor_cycle_raises_pagination_error(make, server, mode: str) -> None:
    following = {None: "A", "A": "B", "B": "A"}
    asked = cursor_server(server, KF_RUNS, lambda cursor, n: {
        "runs": [kubeflow_run(f"{cursor}-{n}")], "next_page_token": following[cursor]}, "page_token")
    client = make("kubeflow", mode, base(server))
    seen: list[str] = []

    async def walk() -> None:
        iterator = client.runs.iter_list()
        if mode == "async":
            async for run in iterator:
                seen.append(run.run_id)
        else:
            for run in iterator:
                seen.append(run.run_id)

    with pytest.raises(kubeflow.PaginationError) as caught:
        await asyncio.wait_for(walk(), 5)
    assert asked == [None, "A", "B"]
    assert seen == ["None-1", "A-2", "B-3"]
    assert caught.value.cursor == "A" and caught.value.pages == 3
    assert isinstance(caught.value, kubeflow.APIError)
    assert "'A'" in str(caught.value) and "cycle" in str(caught.value)


@pytest.mark.parametrize("mode", MODES)
async def test_cursor_cycle_with_has_more_raises_pagination_error(make, server, mode: str) -> None:
    path = "/v1/projects/p/jobs/j/runs"
    following = {None: "c1", "c1": "c2", "c2": "c3", "c3": "c1"}
    asked = cursor_server(server, path, lambda cursor, n: {
        "data": {"runs": [{**NORTHFLANK_RUN, "id": f"n{n}"}]},
        "pagination": {"hasNextPage": True, "cursor": following[cursor], "count": 1}}, "cursor")
    client = make("northflank", mode, base(server))
    with pytest.raises(northflank.PaginationError):
        await asyncio.wait_for(collect(client.jobs.iter_list_runs(project_id="p", job_id="j")), 5)
    assert asked == [None, "c1", "c2", "c3"]


@pytest.mark.parametrize("mode", MODES)
async def test_cursor_cycle_back_to_the_starting_cursor(make, server, mode: str) -> None:
    following = {"S": "A", "A": "S"}
    cursor_server(server, KF_RUNS, lambda cursor, n: {
        "runs": [kubeflow_run(f"r{n}")], "next_page_token": following[cursor]}, "page_token")
    client = make("kubeflow", mode, base(server))
    with pytest.raises(kubeflow.PaginationError):
        await asyncio.wait_for(collect(client.runs.iter_list(page_token="S")), 5)


@pytest.mark.parametrize("mode", MODES)
async def test_cursor_echoed_on_the_last_page_ends_iteration(make, server, mode: str) -> None:
    """Kept: a server that answers cursor B with B again has nothing more to give."""
    following = {None: "A", "A": "B", "B": "B"}
    asked = cursor_server(server, KF_RUNS, lambda cursor, n: {
        "runs": [kubeflow_run(f"r{n}")], "next_page_token": following[cursor]}, "page_token")
    client = make("kubeflow", mode, base(server))
    runs = await asyncio.wait_for(collect(client.runs.iter_list()), 5)
    assert [r.run_id for r in runs] == ["r1", "r2", "r3"]
    assert asked == [None, "A", "B"]


def test_remembered_cursors_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    runtime = importlib.import_module("kubeflow._runtime")
    monkeypatch.setattr(runtime, "MAX_REMEMBERED_CURSORS", 10)
    pages = runtime.Pages(style="cursor", items=("runs",), next_cursor=("next",))
    walk = runtime._Walk(pages, None)
    for n in range(50):
        assert walk.advance({"runs": [1], "next": f"c{n}"}, 1)
    assert len(walk._seen) == len(walk._recent) == 10


# -- 7. str responses by Content-Type -----------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("body", "content_type", "expected"), [
    ('"a string"', "application/json", "a string"),
    ('"caf\\u00e9"', "application/json; charset=utf-8", "café"),
    ('"problem"', "application/problem+json", "problem"),
    ('"quoted"', "text/plain", '"quoted"'),
    ("plain words", "text/plain; charset=utf-8", "plain words"),
    ("<p>hi</p>", "text/html", "<p>hi</p>"),
], ids=["json", "json-charset", "+json", "text-with-quotes", "text", "html"])
async def test_str_response_is_decided_by_content_type(
    make, server, mode: str, body: str, content_type: str, expected: str
) -> None:
    serve(server, "/value", (200, body, {"Content-Type": content_type}))
    client = make("airplane", mode, base(server))
    assert await invoke(client.request("GET", "/value", cast_to=str)) == expected


@pytest.mark.parametrize("mode", MODES)
async def test_json_that_is_not_a_string_for_str_is_a_validation_error(make, server, mode: str) -> None:
    serve(server, "/value", (200, '{"not": "a string"}'))
    client = make("airplane", mode, base(server))
    with pytest.raises(airplane.APIResponseValidationError):
        await invoke(client.request("GET", "/value", cast_to=str))


# -- 8. unknown enum values ---------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_is_unknown_tells_an_unlisted_enum_value(make, server, mode: str) -> None:
    serve(server, "/runs/get", (200, {"id": "run1", "status": "Paused", "runtime": "standard"}))
    client = make("airplane", mode, base(server))
    run = await invoke(client.runs.get(id="run1"))
    Status = airplane.models.Status
    assert run.status.is_unknown is True
    assert run.status.value == "Paused"
    assert run.runtime.is_unknown is False
    assert not any(member.is_unknown for member in Status)
    assert not hasattr(Status, "UNKNOWN")  # as documented: test is_unknown instead
    assert Status("Paused").is_unknown and Status("Succeeded") is Status.SUCCEEDED


def test_unknown_enum_values_are_remembered_only_up_to_a_bound() -> None:
    """A server sending endless new enum values must not grow the enum class without limit."""
    from airplane import _base_model

    Status = airplane.models.Status
    known = len(Status._member_map_)
    members = [Status(f"NewValue{i}") for i in range(_base_model.MAX_REMEMBERED_UNKNOWN + 500)]
    assert all(m.is_unknown for m in members)
    assert len(Status._value2member_map_) - known <= _base_model.MAX_REMEMBERED_UNKNOWN
    assert Status("NewValue1") is members[1]  # a remembered value is still the same member
    assert Status(f"NewValue{_base_model.MAX_REMEMBERED_UNKNOWN + 10}").value.endswith("10")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("where", ["client", "call"])
async def test_a_header_value_http_cannot_carry_is_refused_unseen(make, server, mode: str, where: str) -> None:
    """A caller's non-ASCII Cookie or Authorization must not be quoted by an encoding error."""
    secret = "s3cr\u00e9t-cookie-value"
    serve(server, "/runs/get", (200, {"id": "run1"}))
    client_headers = {"Cookie": secret} if where == "client" else None
    call_headers = {"Cookie": secret} if where == "call" else None
    client = client_class("airplane", mode)(api_key="k", base_url=base(server), headers=client_headers)
    with pytest.raises(ValueError) as caught:
        await invoke(client.runs.get(id="run1", extra_headers=call_headers))
    shown = "".join(traceback.format_exception(caught.value)) + repr(caught.value.args)
    assert "'Cookie'" in str(caught.value) and "s3cr" not in shown
    assert not server.log  # nothing was sent
