"""Every kind of body, sent and received through a generated client against a real local server.

The package is generated from ``tests/fixtures/bodies.yaml`` for this test: form fields, multipart
with a file, raw bytes, text, a ``*/*`` download (read whole, and streamed in chunks with
``with_streaming_response``) and an inline response schema that became a model.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from conftest import ROOT
from servers import http_response, running, send_raw

FIXTURE = ROOT / "tests" / "fixtures" / "bodies.yaml"
MODES = ("sync", "async")


@pytest.fixture(scope="module")
def bodies_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    work = tmp_path_factory.mktemp("bodies")
    (work / "specs").mkdir()
    (work / "specs" / FIXTURE.name).write_text(FIXTURE.read_text())
    subprocess.run([sys.executable, "-m", "specgen", "generate"], cwd=work, check=True, capture_output=True)
    sys.path.insert(0, str(work / "generated"))
    try:
        package = importlib.import_module("bodies_api")
        importlib.import_module("bodies_api.models")  # loaded on first use; the tests build models first
        yield package
    finally:
        sys.path.remove(str(work / "generated"))


async def call(bodies_api: Any, mode: str, server: HTTPServer, method: str, **arguments: Any) -> Any:
    base_url = server.url_for("/v1").rstrip("/")
    if mode == "sync":
        with bodies_api.BodiesClient(base_url=base_url) as client:
            return getattr(client.things, method)(**arguments)
    async with bodies_api.AsyncBodiesClient(base_url=base_url) as client:
        return await getattr(client.things, method)(**arguments)


def only_request(server: HTTPServer) -> Any:
    assert len(server.log) == 1, server.log
    return server.log[0][0]


@pytest.mark.parametrize("mode", MODES)
async def test_form_fields(bodies_api: Any, httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/v1/form", method="POST").respond_with_data("", status=204)
    body = bodies_api.models.SendFormBody(name="a b&c", tags=["x", "y"])
    assert await call(bodies_api, mode, httpserver, "send_form", body=body) is None
    request = only_request(httpserver)
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert request.get_data(as_text=True) == "name=a+b%26c&tags=x&tags=y"


@pytest.mark.parametrize("mode", MODES)
async def test_multipart_with_a_file(bodies_api: Any, httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/v1/upload", method="POST").respond_with_json({"size": 3})
    body = bodies_api.models.UploadBody(file=b"\x00\x01\x02", note="three bytes")
    stored = await call(bodies_api, mode, httpserver, "upload", body=body)
    assert isinstance(stored, bodies_api.models.Stored) and stored.size == 3
    request = only_request(httpserver)
    assert request.headers["Content-Type"].startswith("multipart/form-data; boundary=")
    assert request.files["file"].read() == b"\x00\x01\x02"
    assert request.form["note"] == "three bytes"


@pytest.mark.parametrize("mode", MODES)
async def test_raw_bytes_both_ways(bodies_api: Any, httpserver: HTTPServer, mode: str) -> None:
    payload = bytes(range(256))
    httpserver.expect_request("/v1/raw", method="PUT", data=payload).respond_with_data(
        payload[::-1], content_type="application/octet-stream")
    assert await call(bodies_api, mode, httpserver, "put_raw", body=payload) == payload[::-1]
    assert only_request(httpserver).headers["Content-Type"] == "application/octet-stream"


@pytest.mark.parametrize("mode", MODES)
async def test_text_both_ways(bodies_api: Any, httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/v1/text", method="POST", data="héllo".encode()).respond_with_data(
        "wörld", content_type="text/plain; charset=utf-8")
    assert await call(bodies_api, mode, httpserver, "post_text", body="héllo") == "wörld"
    assert only_request(httpserver).headers["Content-Type"] == "text/plain"


@pytest.mark.parametrize("mode", MODES)
async def test_a_download_of_any_type_is_bytes(bodies_api: Any, httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/v1/download").respond_with_data(b"%PDF-1.7", content_type="application/pdf")
    assert await call(bodies_api, mode, httpserver, "download") == b"%PDF-1.7"


@pytest.mark.parametrize("mode", MODES)
async def test_an_inline_response_schema_is_a_model(bodies_api: Any, httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/v1/inline").respond_with_json({"id": "i1", "parts": [{"n": 1}, {"n": 2}]})
    result = await call(bodies_api, mode, httpserver, "get_inline")
    assert type(result).__name__ == "GetInlineResponse" and type(result).__module__ == "bodies_api.models"
    assert [part.n for part in result.parts] == [1, 2]


def test_an_optional_body_not_given_is_not_sent(bodies_api: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/text", method="POST").respond_with_data("", content_type="text/plain")
    with bodies_api.BodiesClient(base_url=httpserver.url_for("/v1").rstrip("/")) as client:
        assert client.things.post_text() == ""
    request = only_request(httpserver)
    assert request.get_data() == b"" and "Content-Type" not in request.headers


# -- streamed downloads ------------------------------------------------------------------------------

PIECE = 64 * 1024
#: A download large enough that reading it whole is what streaming avoids: 4 MiB, sent in pieces.
LARGE = bytes(range(256)) * (4 * 1024 * 1024 // 256)


def large_download(first_piece_seen: threading.Event | None = None, seen: list[bool] | None = None) -> Callable[[Request], Response]:
    """A handler streaming ``LARGE`` in pieces; given ``first_piece_seen``, it sends the first piece,
    then waits (up to 10 s) for the client to have it before sending the rest, noting in ``seen``
    whether it did: a client that read the whole body before handing it out never could."""
    def handler(request: Request) -> Response:
        def pieces() -> Iterator[bytes]:
            yield LARGE[:PIECE]
            if first_piece_seen is not None and seen is not None:
                seen.append(first_piece_seen.wait(10))
            for offset in range(PIECE, len(LARGE), PIECE):
                yield LARGE[offset:offset + PIECE]
        return Response(pieces(), content_type="application/octet-stream")
    return handler


@contextlib.asynccontextmanager
async def streaming(bodies_api: Any, mode: str, base_url: str, **options: Any) -> AsyncIterator[tuple[Any, Callable[[], Any]]]:
    """A client of ``mode`` and a function opening ``download`` as a stream: entering the stream
    gives (response, an async iterator of its chunks), whatever the mode."""
    if mode == "sync":
        with bodies_api.BodiesClient(base_url=base_url, **options) as client:
            @contextlib.asynccontextmanager
            async def open_sync(chunk_size: int | None = None) -> AsyncIterator[tuple[Any, AsyncIterator[bytes]]]:
                with bodies_api.with_streaming_response(client.things.download)() as response:
                    async def chunks() -> AsyncIterator[bytes]:
                        for chunk in response.iter_bytes(chunk_size):
                            yield chunk
                    yield response, chunks()
            yield client, open_sync
        return
    async with bodies_api.AsyncBodiesClient(base_url=base_url, **options) as client:
        @contextlib.asynccontextmanager
        async def open_async(chunk_size: int | None = None) -> AsyncIterator[tuple[Any, AsyncIterator[bytes]]]:
            async with bodies_api.with_streaming_response(client.things.download)() as response:
                yield response, response.aiter_bytes(chunk_size)
        yield client, open_async


@pytest.mark.parametrize("mode", MODES)
async def test_a_large_download_streams_in_chunks_as_they_arrive(
    bodies_api: Any, httpserver: HTTPServer, mode: str
) -> None:
    first_piece_seen, seen = threading.Event(), []
    httpserver.expect_request("/v1/download").respond_with_handler(large_download(first_piece_seen, seen))
    digest, sizes = hashlib.sha256(), []
    async with streaming(bodies_api, mode, httpserver.url_for("/v1").rstrip("/")) as (_, stream):
        async with stream() as (response, chunks):
            assert response.status_code == 200
            assert response.headers["Content-Type"] == "application/octet-stream"
            async for chunk in chunks:
                first_piece_seen.set()
                digest.update(chunk)
                sizes.append(len(chunk))
    assert seen == [True], "the body was read whole before the first chunk was handed out"
    assert digest.digest() == hashlib.sha256(LARGE).digest() and sum(sizes) == len(LARGE)
    assert len(sizes) >= len(LARGE) // PIECE and max(sizes) <= len(LARGE) // 16


@pytest.mark.parametrize("mode", MODES)
async def test_a_stream_comes_in_chunks_of_the_size_asked(bodies_api: Any, httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/v1/download").respond_with_handler(large_download())
    async with streaming(bodies_api, mode, httpserver.url_for("/v1").rstrip("/")) as (_, stream):
        async with stream(chunk_size=1_000_000) as (_, chunks):
            sizes = [len(chunk) async for chunk in chunks]
    assert sizes == [1_000_000] * 4 + [len(LARGE) - 4_000_000]


@pytest.mark.parametrize("mode", MODES)
async def test_an_error_status_raises_before_anything_streams(
    bodies_api: Any, httpserver: HTTPServer, mode: str
) -> None:
    httpserver.expect_request("/v1/download").respond_with_json({"message": "no such file"}, status=404)
    entered = False
    async with streaming(bodies_api, mode, httpserver.url_for("/v1").rstrip("/")) as (_, stream):
        with pytest.raises(bodies_api.NotFoundError) as raised:
            async with stream():
                entered = True
    assert not entered
    assert raised.value.status_code == 404 and "no such file" in raised.value.body


@pytest.mark.parametrize("mode", MODES)
async def test_a_stream_is_retried_before_its_body_is_handed_out(
    bodies_api: Any, httpserver: HTTPServer, mode: str
) -> None:
    httpserver.expect_ordered_request("/v1/download").respond_with_data(
        "busy", status=503, headers={"Retry-After": "0"})
    httpserver.expect_ordered_request("/v1/download").respond_with_data(b"%PDF-1.7", content_type="application/pdf")
    async with streaming(bodies_api, mode, httpserver.url_for("/v1").rstrip("/")) as (_, stream):
        async with stream() as (response, chunks):
            assert b"".join([chunk async for chunk in chunks]) == b"%PDF-1.7"
    assert response.status_code == 200 and len(httpserver.log) == 2


@pytest.mark.parametrize("mode", MODES)
async def test_leaving_a_stream_early_closes_its_connection(
    bodies_api: Any, httpserver: HTTPServer, mode: str
) -> None:
    """With one connection in the pool, the call after a stream left half read gets through only
    if leaving the ``with`` block gave the connection back (else it waits for the pool, and fails)."""
    httpserver.expect_request("/v1/download").respond_with_handler(large_download())
    one = httpx.Limits(max_connections=1)
    http_client = httpx.Client(limits=one) if mode == "sync" else httpx.AsyncClient(limits=one)
    options = {"http_client": http_client, "timeout": (5.0, 5.0, 5.0, 1.0), "max_retries": 0}
    try:
        async with streaming(bodies_api, mode, httpserver.url_for("/v1").rstrip("/"), **options) as (client, stream):
            async with stream() as (response, chunks):
                async for _ in chunks:
                    break
            assert response.http_response.is_closed
            whole = client.things.download()
            assert (await whole if mode == "async" else whole) == LARGE
    finally:
        await http_client.aclose() if isinstance(http_client, httpx.AsyncClient) else http_client.close()


@pytest.mark.parametrize("mode", MODES)
async def test_a_connection_lost_mid_stream_is_a_connection_error(bodies_api: Any, mode: str) -> None:
    truncated = http_response(200, b"0123456789", {"Content-Type": "application/octet-stream"}, content_length=1000)
    with running(send_raw(truncated)) as raw:
        async with streaming(bodies_api, mode, raw.url + "/v1") as (_, stream):
            received = []
            with pytest.raises(bodies_api.APIConnectionError) as raised:
                async with stream() as (_, chunks):
                    async for chunk in chunks:
                        received.append(chunk)
    assert b"".join(received) == b"0123456789"
    assert isinstance(raised.value.__cause__, httpx.RemoteProtocolError)
    assert len(raw.hits) == 1  # not retried: part of the body was already handed out


def test_a_binary_download_says_how_to_stream_it(bodies_api: Any) -> None:
    from bodies_api.resources.things import AsyncThings, Things

    for method in (Things.download, AsyncThings.download, Things.put_raw):
        assert "call this method\n        through ``with_streaming_response``" in (method.__doc__ or "")
    assert "with_streaming_response" not in (Things.post_text.__doc__ or "")


def test_models_inside_a_json_list_or_dict_send_only_the_fields_set() -> None:
    """A body of ``list[Model]`` (petstore's createUsersWithArrayInput) sent every unset field as
    null; a model sends only what the caller set, wherever it sits in the body."""
    from airplane import _runtime
    from airplane.models import GetRunResponse

    run = GetRunResponse.model_validate({"id": "run1", "taskID": "tsk1"})
    assert _runtime._json_body(run) == {"id": "run1", "taskID": "tsk1"}
    assert _runtime._json_body([run, {"run": run}]) == [{"id": "run1", "taskID": "tsk1"},
                                                        {"run": {"id": "run1", "taskID": "tsk1"}}]
