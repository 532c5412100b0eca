"""Every kind of body, sent and received through a generated client against a real local server.

The package is generated from ``tests/fixtures/bodies.yaml`` for this test: form fields, multipart
with a file, raw bytes, text, a ``*/*`` download and an inline response schema that became a model.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from conftest import ROOT

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
