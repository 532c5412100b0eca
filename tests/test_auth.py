"""Credentials where real specs put them, sent by a generated client to real local servers.

The package is generated from ``tests/fixtures/auth.yaml`` for this test: an API key in the query
(``api_key``), one in a cookie (``session``), one in a header (``X-App-Id``), an OAuth 2 token, and
operations that need one of them, two together (``query_key`` and ``app_id``), either of two such
requirements, none, or a cookie if the client has one. A key in the query is part of the URL, so
every URL the client prints (errors, reprs, its log lines) must hide it, and a redirect must not
take it to another origin.
"""

from __future__ import annotations

import importlib
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from pytest_httpserver import HTTPServer

from conftest import ROOT
from servers import (  # noqa: F401 - fast_retries and server are fixtures used by name
    RawServer,
    base,
    closed_port,
    fast_retries,
    http_response,
    send_raw,
    serve,
    server,
)
from test_secrets import exception_texts, record_texts

FIXTURE = ROOT / "tests" / "fixtures" / "auth.yaml"
MODES = ("sync", "async")
QUERY_KEY = "qk_SUPERSECRET_1"
COOKIE_KEY = "ck_SUPERSECRET_2"
APP_ID = "app-7"
TOKEN = "tok_SUPERSECRET_3"
THING = {"id": "t1"}


@pytest.fixture(scope="module")
def auth_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    work = tmp_path_factory.mktemp("auth")
    (work / "specs").mkdir()
    (work / "specs" / FIXTURE.name).write_text(FIXTURE.read_text())
    subprocess.run([sys.executable, "-m", "specgen", "generate"], cwd=work, check=True, capture_output=True)
    sys.path.insert(0, str(work / "generated"))
    try:
        yield importlib.import_module("auth_api")
    finally:
        sys.path.remove(str(work / "generated"))


@pytest.fixture(autouse=True)
def _no_credentials_in_the_environment_and_fast_retries(auth_api: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth_api._runtime, "INITIAL_RETRY_DELAY", 0.01)
    for name in ("AUTH_API_QUERY_KEY", "AUTH_API_COOKIE_KEY", "AUTH_API_APP_ID", "AUTH_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)


async def call(auth_api: Any, mode: str, base_url: str, method: str, credentials: dict[str, str],
               options: dict[str, Any] | None = None, **arguments: Any) -> Any:
    """One call of ``client.things.<method>`` with a client made for it (and closed after it)."""
    if mode == "sync":
        with auth_api.AuthClient(base_url=base_url, **credentials, **(options or {})) as client:
            return getattr(client.things, method)(**arguments)
    async with auth_api.AsyncAuthClient(base_url=base_url, **credentials, **(options or {})) as client:
        return await getattr(client.things, method)(**arguments)


def query_of(seen: Any) -> dict[str, list[str]]:
    return parse_qs(seen.query.decode())


# -- where each credential goes ---------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_an_api_key_in_the_query_goes_with_the_other_parameters(auth_api: Any, server: HTTPServer,
                                                                       mode: str) -> None:
    turns = serve(server, "/things/t1", (200, THING))
    thing = await call(auth_api, mode, base(server), "get_thing", {"query_key": QUERY_KEY}, id="t1", view="full")
    assert thing.id == "t1"
    assert query_of(turns.seen[0]) == {"view": ["full"], "api_key": [QUERY_KEY]}
    assert "Authorization" not in turns.seen[0].headers and "Cookie" not in turns.seen[0].headers


@pytest.mark.parametrize("mode", MODES)
async def test_an_api_key_in_a_cookie_joins_the_callers_cookies(auth_api: Any, server: HTTPServer,
                                                                mode: str) -> None:
    turns = serve(server, "/cookie", (200, THING))
    await call(auth_api, mode, base(server), "get_with_cookie", {"cookie_key": COOKIE_KEY})
    await call(auth_api, mode, base(server), "get_with_cookie", {"cookie_key": COOKIE_KEY},
               {"headers": {"cookie": "theme=dark"}})
    assert [seen.headers.get("Cookie") for seen in turns.seen] == [f"session={COOKIE_KEY}",
                                                                  f"theme=dark; session={COOKIE_KEY}"]
    assert all(seen.query == b"" for seen in turns.seen)


@pytest.mark.parametrize("value, what", [("ck;admin=1", "a semicolon"), ("two words", "a space"),
                                         ('"quoted"', "a double quote")])
def test_a_cookie_key_that_would_change_the_cookie_header_is_refused_unseen(auth_api: Any, value: str,
                                                                            what: str) -> None:
    with pytest.raises(auth_api.InvalidCredentialsError) as caught:
        auth_api.AuthClient(cookie_key=value)
    assert "cookie_key= (or AUTH_API_COOKIE_KEY)" in str(caught.value)
    assert value not in "".join(exception_texts(caught.value)), what


def test_a_query_key_may_hold_any_text_but_a_control_character(auth_api: Any) -> None:
    auth_api.AuthClient(query_key="clé &=/ ok").close()  # percent-encoded when sent
    key = "qk\x00" + QUERY_KEY
    with pytest.raises(auth_api.InvalidCredentialsError) as caught:
        auth_api.AuthClient(query_key=key)
    assert "SUPERSECRET" not in "".join(exception_texts(caught.value))


# -- requirements that combine schemes ---------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_a_requirement_of_two_schemes_sends_both(auth_api: Any, server: HTTPServer, mode: str) -> None:
    turns = serve(server, "/both", (200, THING))
    await call(auth_api, mode, base(server), "get_both", {"query_key": QUERY_KEY, "app_id": APP_ID})
    assert query_of(turns.seen[0]) == {"api_key": [QUERY_KEY]}
    assert turns.seen[0].headers.get("X-App-Id") == APP_ID


@pytest.mark.parametrize("mode", MODES)
async def test_half_a_requirement_is_a_missing_credential(auth_api: Any, server: HTTPServer, mode: str) -> None:
    turns = serve(server, "/both", (200, THING))
    with pytest.raises(auth_api.MissingCredentialsError) as caught:
        await call(auth_api, mode, base(server), "get_both", {"query_key": QUERY_KEY})
    assert str(caught.value) == ("This operation needs credentials for query_key and app_id; "
                                 "pass them when creating the client")
    with pytest.raises(auth_api.MissingCredentialsError) as caught:
        await call(auth_api, mode, base(server), "get_either", {"app_id": APP_ID})
    assert "for query_key and app_id; or oauth;" in str(caught.value)
    assert turns.count == 0


@pytest.mark.parametrize("mode", MODES)
async def test_the_first_requirement_the_client_can_meet_is_sent(auth_api: Any, server: HTTPServer,
                                                                  mode: str) -> None:
    turns = serve(server, "/either", (200, THING))
    await call(auth_api, mode, base(server), "get_either", {"app_id": APP_ID, "token": TOKEN})
    await call(auth_api, mode, base(server), "get_either", {"query_key": QUERY_KEY, "app_id": APP_ID,
                                                            "token": TOKEN})
    first, second = turns.seen
    assert first.headers.get("Authorization") == f"Bearer {TOKEN}" and first.query == b""
    assert "X-App-Id" not in first.headers  # half of the first requirement is not sent
    assert query_of(second) == {"api_key": [QUERY_KEY]} and second.headers.get("X-App-Id") == APP_ID
    assert "Authorization" not in second.headers


@pytest.mark.parametrize("mode", MODES)
async def test_no_requirement_and_an_optional_one(auth_api: Any, server: HTTPServer, mode: str) -> None:
    open_turns = serve(server, "/open", (200, THING))
    maybe_turns = serve(server, "/maybe", (200, THING))
    everything = {"query_key": QUERY_KEY, "cookie_key": COOKIE_KEY, "app_id": APP_ID, "token": TOKEN}
    await call(auth_api, mode, base(server), "get_open", everything)
    await call(auth_api, mode, base(server), "get_maybe", {})  # a client without credentials can be built
    await call(auth_api, mode, base(server), "get_maybe", {"cookie_key": COOKIE_KEY})
    seen = open_turns.seen[0]
    assert seen.query == b"" and not {"Authorization", "Cookie", "X-App-Id"} & set(seen.headers.keys())
    assert [s.headers.get("Cookie") for s in maybe_turns.seen] == [None, f"session={COOKIE_KEY}"]


# -- a key in the query never shows ------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_a_query_key_is_hidden_in_errors_reprs_and_log_lines(auth_api: Any, server: HTTPServer,
                                                                   caplog: pytest.LogCaptureFixture,
                                                                   mode: str) -> None:
    caplog.set_level(logging.DEBUG)
    turns = serve(server, "/things/t1", (500, {"message": "down"}), (404, {"message": "no such thing"}))
    with pytest.raises(auth_api.NotFoundError) as not_found:
        await call(auth_api, mode, base(server), "get_thing", {"query_key": QUERY_KEY}, id="t1", view="full")
    assert query_of(turns.seen[1])["api_key"] == [QUERY_KEY]  # it was sent, after a retry
    assert str(not_found.value).startswith(
        f"404 NOT FOUND from GET http://127.0.0.1:{server.port}/things/t1?view=full&api_key=***: ")
    assert repr(not_found.value.response.request) == (
        f"<Request('GET', 'http://127.0.0.1:{server.port}/things/t1?view=full&api_key=***')>")

    with pytest.raises(auth_api.APIConnectionError) as unanswered:
        await call(auth_api, mode, f"http://127.0.0.1:{closed_port()}", "get_thing", {"query_key": QUERY_KEY},
                   {"max_retries": 1}, id="t1")
    serve(server, "/things/t2", (200, {"id": 5}))
    with pytest.raises(auth_api.APIResponseValidationError) as mismatched:
        await call(auth_api, mode, base(server), "get_thing", {"query_key": QUERY_KEY}, id="t2")
    for caught in (not_found, unanswered, mismatched):
        texts = exception_texts(caught.value)
        assert "api_key=***" in texts[0]
        assert not [text for text in texts if QUERY_KEY in text], texts

    ours = [record for record in caplog.records if record.name == "auth_api"]
    assert any(record.getMessage().startswith("Retrying GET") for record in ours)
    assert sum("api_key=***" in record.getMessage() for record in ours) >= 4  # retries and responses
    assert not [text for text in record_texts(ours, "") if QUERY_KEY in text]
    # httpx logs the URL it sends as it is, at INFO (documented in the runtime and the client)
    assert any(record.name == "httpx" and QUERY_KEY in record.getMessage() for record in caplog.records)


def test_every_printed_url_is_hidden_through_one_helper(auth_api: Any) -> None:
    import httpx

    errors = auth_api.errors
    request = httpx.Request("GET", "https://x.test/a?api%20key=s1&api_key=s2&keep=v&api_key#frag",
                            extensions={errors.CREDENTIAL_PARAMS: frozenset({"api key", "api_key"})})
    assert errors.shown_url(request) == "https://x.test/a?api%20key=***&api_key=***&keep=v&api_key=***#frag"
    plain = httpx.Request("GET", "https://x.test/a?api_key=s")  # a request the client did not mark
    assert errors.shown_url(plain) == "https://x.test/a?api_key=s"


# -- redirects -----------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
async def test_a_query_key_follows_a_redirect_to_the_same_origin(auth_api: Any, server: HTTPServer,
                                                                  mode: str) -> None:
    serve(server, "/things/old", (301, "", {"Location": "/things/new?from=old"}))
    turns = serve(server, "/things/new", (200, THING))
    await call(auth_api, mode, base(server), "get_thing", {"query_key": QUERY_KEY}, id="old")
    assert query_of(turns.seen[0]) == {"from": ["old"], "api_key": [QUERY_KEY]}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("location_query", ["", f"?api_key={QUERY_KEY}&keep=1"], ids=["plain", "echoed-key"])
async def test_no_query_or_cookie_key_is_sent_to_another_origin(auth_api: Any, server: HTTPServer, mode: str,
                                                                location_query: str) -> None:
    """The key is dropped from the new URL even when the server copied it into its ``Location``."""
    elsewhere = RawServer(send_raw(http_response(200, json.dumps(THING))))
    try:
        first = serve(server, "/things/t1", (302, "", {"Location": f"{elsewhere.url}/things/t1{location_query}"}))
        cookie = serve(server, "/cookie", (307, "", {"Location": f"{elsewhere.url}/cookie"}))
        await call(auth_api, mode, base(server), "get_thing", {"query_key": QUERY_KEY}, id="t1")
        await call(auth_api, mode, base(server), "get_with_cookie", {"cookie_key": COOKIE_KEY})
        assert query_of(first.seen[0]) == {"api_key": [QUERY_KEY]}  # sent to its own origin
        assert cookie.seen[0].headers.get("Cookie") == f"session={COOKIE_KEY}"
        assert len(elsewhere.requests) == 2  # both redirects were followed
        request_lines = [request.decode("latin-1").split("\r\n", 1)[0] for request in elsewhere.requests]
        assert request_lines[0] == ("GET /things/t1?keep=1 HTTP/1.1" if location_query
                                    else "GET /things/t1 HTTP/1.1")
        for request in elsewhere.requests:
            received = request.decode("latin-1")
            assert "SUPERSECRET" not in received, f"a key was sent to {elsewhere.url}:\n{received}"
    finally:
        elsewhere.stop()
