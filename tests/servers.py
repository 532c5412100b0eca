"""Small raw-socket HTTP servers on 127.0.0.1 for faults a WSGI server cannot produce.

Each :class:`RawServer` accepts connections in a background thread and hands every connection to a
*behaviour*: a function ``behaviour(server, conn)`` that usually reads the request head with
:meth:`RawServer.read_request` (which records the hit) and then misbehaves: never answers, resets
the connection (SO_LINGER 0, so the peer sees a TCP RST), answers late, or sends truncated or
malformed bytes. ``stop()`` wakes every waiting behaviour, closes every socket and joins the threads,
so a test that leaves a connection hanging still tears down at once.

:func:`serve` scripts a pytest-httpserver instead: the n-th request to a path gets the n-th reply,
and :class:`Turns` records when each request arrived and what it carried (to count retries and
measure the delays between them).
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import inspect
import json
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Union

import pytest

import spec_calls
from conftest import PROVIDERS

Behaviour = Callable[["RawServer", socket.socket], None]


class RawServer:
    """A TCP server on 127.0.0.1 whose every connection is handled by ``behaviour``."""

    def __init__(self, behaviour: Behaviour) -> None:
        self.behaviour = behaviour
        #: time.monotonic() when the head of each request was fully received
        self.hits: list[float] = []
        #: the raw bytes of each request received (head and body)
        self.requests: list[bytes] = []
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._conns: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port: int = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)
        self._acceptor.start()

    # -- plumbing --------------------------------------------------------------------------------

    def _accept_loop(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, socket.timeout):
                continue
            except OSError:
                return
            conn.settimeout(None)
            with self._lock:
                self._conns.append(conn)
            thread = threading.Thread(target=self._handle, args=(conn,), daemon=True)
            with self._lock:
                self._threads.append(thread)
            thread.start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            self.behaviour(self, conn)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    def stop(self) -> None:
        self._stopped.set()
        with contextlib.suppress(OSError):
            self._listener.close()
        self._acceptor.join(timeout=2)
        with self._lock:
            conns, threads = list(self._conns), list(self._threads)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                conn.close()
        for thread in threads:
            thread.join(timeout=2)

    # -- helpers for behaviours --------------------------------------------------------------------

    def read_request(self, conn: socket.socket) -> bytes:
        """Read one request (head, then a Content-Length body) and record it as a hit."""
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = conn.recv(65536)
            if not chunk:
                return data
            data += chunk
        head, _, body = data.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        with self._lock:
            self.hits.append(time.monotonic())
            self.requests.append(data)
        return data

    def wait(self, seconds: float | None) -> bool:
        """Sleep up to ``seconds`` (None: until stopped); True when the server was stopped meanwhile."""
        return self._stopped.wait(seconds)


# -- behaviours -------------------------------------------------------------------------------------


def never_answer(server: RawServer, conn: socket.socket) -> None:
    """Accept and read the request, then hold the connection open without a byte of answer."""
    server.read_request(conn)
    server.wait(None)


def reset(server: RawServer, conn: socket.socket) -> None:
    """Read the request, then reset the connection (RST instead of FIN)."""
    server.read_request(conn)
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def answer_after(delay: float, raw: bytes) -> Behaviour:
    """Read the request, wait ``delay`` seconds, then send ``raw`` and close."""

    def behaviour(server: RawServer, conn: socket.socket) -> None:
        server.read_request(conn)
        if server.wait(delay):
            return
        conn.sendall(raw)

    return behaviour


def send_raw(raw: bytes) -> Behaviour:
    """Read the request, send ``raw`` (truncated or malformed bytes) and close."""
    return answer_after(0, raw)


def http_response(
    status: int = 200,
    body: bytes | str = b"{}",
    headers: Mapping[str, str] | None = None,
    *,
    reason: str = "OK",
    content_length: int | None = None,
) -> bytes:
    """The bytes of an HTTP/1.1 response that closes the connection; ``content_length`` can lie."""
    if isinstance(body, str):
        body = body.encode()
    lines = [f"HTTP/1.1 {status} {reason}"]
    all_headers = {"Content-Type": "application/json", "Connection": "close", **(headers or {})}
    all_headers["Content-Length"] = str(len(body) if content_length is None else content_length)
    lines += [f"{k}: {v}" for k, v in all_headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def running(behaviour: Behaviour) -> Iterator[RawServer]:
    """A RawServer for the duration of a ``with`` block."""
    server = RawServer(behaviour)
    try:
        yield server
    finally:
        server.stop()


# -- scripted answers for pytest-httpserver ---------------------------------------------------------


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: bytes
    headers: Any  # werkzeug Headers: case-insensitive .get()
    body: bytes


#: (status, body) or (status, body, headers); a dict/list body is sent as JSON; a callable makes one.
Reply = Union[tuple, Callable[[], tuple]]


class Turns:
    """A pytest-httpserver handler answering the n-th request with the n-th reply (the last repeats).

    It records when each request arrived (time.monotonic()) and what it carried.
    """

    def __init__(self, *replies: Reply) -> None:
        self.replies = replies
        self.times: list[float] = []
        self.seen: list[Seen] = []

    @property
    def count(self) -> int:
        return len(self.times)

    def gaps(self) -> list[float]:
        return [b - a for a, b in zip(self.times, self.times[1:])]

    def __call__(self, request: Any) -> Any:
        from werkzeug.datastructures import Headers
        from werkzeug.wrappers import Response

        self.times.append(time.monotonic())
        self.seen.append(
            Seen(
                request.method,
                request.path,
                request.query_string,
                Headers(request.headers),
                request.get_data(),
            )
        )
        reply = self.replies[min(len(self.times), len(self.replies)) - 1]
        if callable(reply):
            reply = reply()
        status, body, *rest = reply
        headers = {"Content-Type": "application/json", **(rest[0] if rest else {})}
        if not isinstance(body, (str, bytes)):
            body = json.dumps(body)
        return Response(body, status=status, headers=headers)


def serve(server: Any, path: str, *replies: Reply, method: str = "__ALL") -> Turns:
    """Answer requests to ``path`` on a pytest-httpserver with ``replies`` in turn."""
    turns = Turns(*replies)
    server.expect_request(path, method=method).respond_with_handler(turns)
    return turns


# -- fixtures shared by the fault, secret and hostile-runtime tests --------------------------------

MODES = ("sync", "async")
#: Each provider's sync and async client classes and test credentials (derived from specs/).
CLIENTS: dict[str, tuple[type, type, dict[str, str]]] = {
    name: (spec_calls.client_class(name, "sync"), spec_calls.client_class(name, "async"), provider.credentials)
    for name, provider in spec_calls.providers().items()
}


@pytest.fixture
async def make():
    """make(provider, mode, base_url, **options): a client with a dummy credential, closed after the test."""
    made: list[Any] = []

    def factory(provider: str, mode: str, base_url: str, **options: Any) -> Any:
        sync_cls, async_cls, credentials = CLIENTS[provider]
        cls = sync_cls if mode == "sync" else async_cls
        client = cls(base_url=base_url, **{**credentials, **options})
        made.append(client)
        return client

    yield factory
    for client in made:
        if hasattr(client, "aclose"):
            await client.aclose()
        else:
            client.close()


@pytest.fixture
def raw_servers():
    """raw_servers(behaviour): a RawServer, stopped after the test."""
    started: list[RawServer] = []

    def factory(behaviour: Any) -> RawServer:
        started.append(RawServer(behaviour))
        return started[-1]

    yield factory
    for raw in started:
        raw.stop()


async def invoke(result: Any) -> Any:
    """The result of a client call, awaited when the client is async."""
    if inspect.isawaitable(result):
        return await result
    return result


RUNTIMES = [importlib.import_module(f"{provider}._runtime") for provider in PROVIDERS]


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Backoff of 10 ms unless a test says otherwise, so retries cost nothing."""
    for runtime in RUNTIMES:
        monkeypatch.setattr(runtime, "INITIAL_RETRY_DELAY", 0.01)


@pytest.fixture
def server(httpserver_ipv4: Any) -> Any:
    """A pytest-httpserver bound to 127.0.0.1 (IPv4, so raw URLs can name the address)."""
    return httpserver_ipv4


def recording_client(mode: str) -> tuple[Any, list[Any]]:
    """An httpx client (sync or async) to pass as ``http_client=``, and the list of the requests it
    sends, as httpx wrote them: werkzeug's test server drops header names with an underscore, which
    a spec's header may have."""
    import httpx

    sent: list[httpx.Request] = []

    async def record(request: httpx.Request) -> None:
        sent.append(request)

    if mode == "sync":
        return httpx.Client(event_hooks={"request": [sent.append]}), sent
    return httpx.AsyncClient(event_hooks={"request": [record]}), sent


def base(server: Any) -> str:
    """The URL of a pytest-httpserver bound to 127.0.0.1."""
    return f"http://127.0.0.1:{server.port}"


def run_bounded(fn: Callable[[], Any], limit: float) -> Any:
    """Run a blocking call in a thread; fail (instead of hanging) if it takes longer than ``limit``."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            outcome["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        pytest.fail(f"the call was still running after {limit}s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


async def bounded(mode: str, thunk: Callable[[], Any], limit: float = 5) -> Any:
    """``thunk()`` (a client call), failing instead of hanging if it takes longer than ``limit``."""
    if mode == "sync":
        return run_bounded(thunk, limit)
    return await asyncio.wait_for(invoke(thunk()), limit)
