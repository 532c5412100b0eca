"""Cookie parameters (``in: cookie``) sent by a generated client to a real local server.

The package is generated from ``tests/fixtures/cookies.yaml`` for this test: a required string
cookie, optional enum, boolean and integer cookies, and a header parameter beside them.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from conftest import ROOT
from servers import answer_after, http_response, running

FIXTURE = ROOT / "tests" / "fixtures" / "cookies.yaml"
MODES = ("sync", "async")


@pytest.fixture(scope="module")
def cookies_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    work = tmp_path_factory.mktemp("cookies")
    (work / "specs").mkdir()
    (work / "specs" / FIXTURE.name).write_text(FIXTURE.read_text())
    subprocess.run([sys.executable, "-m", "specgen", "generate"], cwd=work, check=True, capture_output=True)
    sys.path.insert(0, str(work / "generated"))
    try:
        package = importlib.import_module("cookies_api")
        importlib.import_module("cookies_api.models")
        yield package
    finally:
        sys.path.remove(str(work / "generated"))


async def get_session(cookies_api: Any, mode: str, base_url: str, options: dict[str, Any] | None = None,
                      **arguments: Any) -> Any:
    if mode == "sync":
        with cookies_api.CookiesClient(base_url=base_url, **(options or {})) as client:
            return client.sessions.get_session(**arguments)
    async with cookies_api.AsyncCookiesClient(base_url=base_url, **(options or {})) as client:
        return await client.sessions.get_session(**arguments)


def cookie_header(server: HTTPServer) -> str | None:
    assert len(server.log) == 1, server.log
    return server.log[0][0].headers.get("Cookie")


@pytest.mark.parametrize("mode", MODES)
async def test_cookie_parameters_are_sent_in_one_cookie_header(
    cookies_api: Any, httpserver: HTTPServer, mode: str
) -> None:
    httpserver.expect_request("/v1/session").respond_with_json({"user": "ada"})
    session = await get_session(cookies_api, mode, httpserver.url_for("/v1").rstrip("/"), session_id="s-1:x/y",
                                theme="dark", beta=True, page_size=20, x_trace="t-1")
    assert session.user == "ada"
    assert cookie_header(httpserver) == "session_id=s-1:x/y; theme=dark; beta=true; page-size=20"
    assert httpserver.log[0][0].cookies.to_dict() == {"session_id": "s-1:x/y", "theme": "dark", "beta": "true", "page-size": "20"}
    assert httpserver.log[0][0].headers["X-Trace"] == "t-1"


@pytest.mark.parametrize("mode", MODES)
async def test_optional_cookies_not_given_are_not_sent(cookies_api: Any, httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/v1/session").respond_with_json({})
    await get_session(cookies_api, mode, httpserver.url_for("/v1").rstrip("/"), session_id="s1", beta=False)
    assert cookie_header(httpserver) == "session_id=s1; beta=false"


@pytest.mark.parametrize("mode", MODES)
async def test_cookies_merge_with_the_callers_cookie_headers_by_name(
    cookies_api: Any, httpserver: HTTPServer, mode: str
) -> None:
    """The client's ``headers=`` < the parameters < the call's ``extra_headers=``, cookie by cookie."""
    httpserver.expect_request("/v1/session").respond_with_json({})
    await get_session(cookies_api, mode, httpserver.url_for("/v1").rstrip("/"),
                      {"headers": {"Cookie": "session_id=old; tracking=1"}},
                      session_id="new", page_size=20, extra_headers={"cookie": "page-size=5; lang=en"})
    assert cookie_header(httpserver) == "session_id=new; tracking=1; page-size=5; lang=en"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("value", ["a;b", "a b", "a,b", '"ab"', "a\\b", "a\nb", "a\tb", "caf\u00e9", "a\x7fb"])
async def test_a_value_a_cookie_cannot_carry_is_refused_unseen_before_sending(
    cookies_api: Any, httpserver: HTTPServer, mode: str, value: str
) -> None:
    with pytest.raises(ValueError) as raised:
        await get_session(cookies_api, mode, httpserver.url_for("/v1").rstrip("/"), session_id=value)
    assert "cookie 'session_id' cannot be sent" in str(raised.value)
    assert value not in str(raised.value)
    assert httpserver.log == []


@pytest.mark.parametrize("mode", MODES)
async def test_cookies_are_not_sent_on_to_another_origin(cookies_api: Any, httpserver: HTTPServer, mode: str) -> None:
    with running(answer_after(0, http_response(200, b"{}"))) as other:
        httpserver.expect_request("/v1/session").respond_with_data(
            "", status=307, headers={"Location": other.url + "/v1/session"})
        await get_session(cookies_api, mode, httpserver.url_for("/v1").rstrip("/"), session_id="secret")
        assert len(other.requests) == 1
    assert cookie_header(httpserver) == "session_id=secret"
    assert b"\r\ncookie:" not in other.requests[0].lower() and b"secret" not in other.requests[0]
