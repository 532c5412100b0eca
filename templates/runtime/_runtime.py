"""The HTTP machinery every resource shares: auth, retries, timeouts, errors, pagination, raw responses.

Generated resource methods only describe a request (method, path, parameters, body, the types of
the answer); everything that decides how it is sent lives here, once, for the sync and async client.

httpx, pydantic and asyncio are imported where they are first needed (creating a client, parsing a
body, an async retry), so ``import <package>`` stays cheap for programs that only sometimes call the API.
"""

from __future__ import annotations

import base64
import contextvars
import functools
import logging
import math
import os
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass
from typing import (
    TYPE_CHECKING,
    Any,
    Generic,
    Optional,
    ParamSpec,
    TypeAlias,
    TypeVar,
    Union,
    cast,
    overload,
)
from urllib.parse import quote

from . import errors

if TYPE_CHECKING:
    import httpx
    import pydantic

T = TypeVar("T")
P = ParamSpec("P")

DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5
MAX_RETRY_DELAY = 8.0
MAX_RETRY_AFTER = 60.0
MAX_REDIRECTS = 20
_RETRY_STATUSES = frozenset({408, 429})
_IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE"})
_PATH_PARAMETER = re.compile(r"{([^}]+)}")

log = logging.getLogger(__name__.rsplit(".", 1)[0])


class NotGiven:
    """Marks a per-call option that was not passed, so ``None`` can mean "no timeout"."""

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()
#: Seconds for each request, or (connect, read, write, pool) seconds, or None for no limit.
TimeoutTypes: TypeAlias = Union[
    float, tuple[Optional[float], Optional[float], Optional[float], Optional[float]], None
]
#: (connect, read, write, pool) seconds: fail fast on an unreachable host, wait for slow answers.
DEFAULT_TIMEOUT: TimeoutTypes = (10.0, 60.0, 60.0, 60.0)


# -- credentials ---------------------------------------------------------------------------------


class Secret:
    """A credential that never shows itself in a repr, a log line or a traceback."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    __str__ = __repr__


@dataclass(frozen=True, repr=False)
class HeaderAuth:
    """A credential sent in one header, optionally after a prefix such as ``Bearer ``."""

    header: str
    prefix: str
    secret: Secret

    def apply(self, headers: dict[str, str]) -> None:
        headers[self.header] = self.prefix + self.secret.reveal()

    def __repr__(self) -> str:
        return f"HeaderAuth(header={self.header!r})"


@dataclass(frozen=True)
class AuthOption:
    """One way to authenticate: the credential if one was found, else how to provide it."""

    scheme: str
    auth: HeaderAuth | None
    how: str


def header_auth(
    scheme: str, header: str, value: str | None, *, env: str, arg: str, prefix: str = ""
) -> AuthOption:
    """A header credential from the argument, else from the environment variable ``env``."""
    value = _clean_credential(
        value if value is not None else os.environ.get(env), f"{arg}= (or {env})"
    )
    auth = HeaderAuth(header, prefix, Secret(value)) if value else None
    return AuthOption(scheme, auth, f"pass {arg}= or set {env}")


def basic_auth(scheme: str, username: str | None, password: str | None, *, env: str) -> AuthOption:
    """HTTP basic auth from the arguments, else from ``env`` holding ``username:password``."""
    pair = (
        f"{username}:{password}"
        if username is not None and password is not None
        else os.environ.get(env)
    )
    pair = _clean_credential(pair, f"username=/password= (or {env})")
    auth = None
    if pair and ":" in pair:
        token = base64.b64encode(pair.encode()).decode("ascii")
        auth = HeaderAuth("Authorization", "Basic ", Secret(token))
    return AuthOption(
        scheme, auth, f"pass username= and password= or set {env} to 'username:password'"
    )


def _clean_credential(value: str | None, source: str) -> str | None:
    """The credential without surrounding whitespace (a key read from a file ends in a newline).

    One that still holds a control character is refused here, by name and never by value: sent as
    a header it would fail deep in the HTTP stack, with the secret quoted in the error.
    """
    if value is None:
        return None
    value = value.strip()
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise errors.InvalidCredentialsError(
            f"The credential from {source} contains a control character"
        )
    return value


def require_auth(*options: AuthOption) -> dict[str, HeaderAuth]:
    """The configured credentials by scheme; at least one is required."""
    found = {option.scheme: option.auth for option in options if option.auth is not None}
    if options and not found:
        raise errors.MissingCredentialsError(
            "No credentials: " + "; or ".join(o.how for o in options)
        )
    return found


# -- requests and responses -----------------------------------------------------------------------


@dataclass(frozen=True)
class APIResponse(Generic[T]):
    """A parsed body together with the HTTP response it came from."""

    parsed: T
    http_response: httpx.Response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers


_raw_responses: contextvars.ContextVar[list[httpx.Response] | None] = contextvars.ContextVar(
    "raw_responses", default=None
)


@overload
def with_raw_response(  # type: ignore[overload-overlap]
    method: Callable[P, Coroutine[Any, Any, T]],
) -> Callable[P, Coroutine[Any, Any, APIResponse[T]]]: ...
@overload
def with_raw_response(method: Callable[P, T]) -> Callable[P, APIResponse[T]]: ...
def with_raw_response(method: Callable[P, Any]) -> Callable[P, Any]:
    """Wrap a client method so it returns an :class:`APIResponse` (status, headers and parsed body).

    ``with_raw_response(client.runs.get)(id="...")`` works for sync and async methods alike.
    """
    import inspect

    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def call_async(*args: P.args, **kwargs: P.kwargs) -> APIResponse[Any]:
            token = _raw_responses.set([])
            try:
                parsed = await method(*args, **kwargs)
                return APIResponse(parsed, _last_response())
            finally:
                _raw_responses.reset(token)

        return call_async

    @functools.wraps(method)
    def call(*args: P.args, **kwargs: P.kwargs) -> APIResponse[Any]:
        token = _raw_responses.set([])
        try:
            return APIResponse(method(*args, **kwargs), _last_response())
        finally:
            _raw_responses.reset(token)

    return call


def _last_response() -> httpx.Response:
    responses = _raw_responses.get()
    if not responses:
        raise RuntimeError("with_raw_response() wraps client methods that send a request")
    return responses[-1]


_adapters: dict[Any, pydantic.TypeAdapter[Any]] = {}


def _adapter(cast_to: Any) -> pydantic.TypeAdapter[Any]:
    """One validator per response type, built on first use (building one costs far more than a call)."""
    import pydantic

    adapter = _adapters.get(cast_to)
    if adapter is None:
        adapter = _adapters[cast_to] = pydantic.TypeAdapter(cast_to)
    return adapter


def parse_body(response: httpx.Response, cast_to: type[T]) -> T:
    """The body of a success response as ``cast_to``, or a validation error that shows the body."""
    if cast_to is type(None):
        return None
    if cast_to is str:
        return cast(T, response.text)
    import pydantic

    try:
        if isinstance(cast_to, type) and issubclass(cast_to, pydantic.BaseModel):
            return cast_to.model_validate_json(response.content)
        return cast(T, _adapter(cast_to).validate_json(response.content))
    except pydantic.ValidationError as exc:
        raise errors.APIResponseValidationError(response, _summarize(exc)) from None


def _summarize(exc: pydantic.ValidationError) -> str:
    problems = exc.errors(include_url=False, include_input=False)
    shown = [f"{'.'.join(str(p) for p in e['loc']) or '<body>'}: {e['msg']}" for e in problems[:5]]
    more = f" (+{len(problems) - 5} more)" if len(problems) > 5 else ""
    return "; ".join(shown) + more


def status_error(
    response: httpx.Response, error_models: Mapping[str, type[pydantic.BaseModel]]
) -> errors.APIStatusError:
    """The typed error for an error response, with the body parsed into the documented model."""
    import pydantic

    code = str(response.status_code)
    model = (
        error_models.get(code) or error_models.get(code[0] + "XX") or error_models.get("default")
    )
    parsed = None
    if model is not None:
        try:
            parsed = model.model_validate_json(response.content)
        except pydantic.ValidationError:
            parsed = None
    return errors.status_error_class(response.status_code)(response, parsed)


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [_query_value(v) for v in value]
    return getattr(value, "value", value)


def _path_segment(value: Any) -> str:
    """A path parameter encoded so it stays one segment: ``../x?y#z`` cannot change the path."""
    text = quote(str(getattr(value, "value", value)), safe="")
    return text.replace(".", "%2E") if text in (".", "..") else text


def _json_body(body: Any) -> Any:
    import pydantic

    if isinstance(body, pydantic.BaseModel):
        return body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return pydantic.TypeAdapter(Any).dump_python(body, mode="json", by_alias=True)


def retry_delay(attempt: int, response: httpx.Response | None) -> float:
    """Seconds to wait before retry ``attempt`` (1-based): the server's ``Retry-After`` up to a cap,
    else exponential backoff with jitter."""
    if response is not None:
        after = _retry_after(response.headers)
        if after is not None:
            return min(max(after, 0.0), MAX_RETRY_AFTER)
    import random

    delay: float = min(INITIAL_RETRY_DELAY * 2.0 ** (attempt - 1), MAX_RETRY_DELAY)
    return delay * (1 - 0.25 * random.random())


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds the server asked us to wait (``retry-after-ms``, or ``Retry-After`` in seconds or as
    an HTTP date); None when it did not say, or said something that is not a finite time."""
    if (millis := _finite(headers.get("retry-after-ms"))) is not None:
        return millis / 1000
    value = headers.get("retry-after")
    if value is None:
        return None
    if (seconds := _finite(value)) is not None:
        return seconds
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.timestamp() - time.time()


def _finite(text: str | None) -> float | None:
    try:
        number = float(text) if text is not None else None
    except ValueError:
        return None
    return number if number is not None and math.isfinite(number) else None


def _should_retry(response: httpx.Response) -> bool:
    return response.status_code in _RETRY_STATUSES or response.status_code >= 500


# -- clients --------------------------------------------------------------------------------------


class BaseClient:
    """What the sync and async clients share: configuration and how a request is built."""

    def __init__(
        self,
        *,
        base_url: str,
        auth: Mapping[str, HeaderAuth],
        default_security: tuple[str, ...],
        user_agent: str,
        timeout: TimeoutTypes,
        max_retries: int,
        headers: Mapping[str, str] | None,
    ) -> None:
        if max_retries < 0:
            raise ValueError("max_retries must be 0 or more")
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max_retries
        self._auth = dict(auth)
        self._credential_headers = frozenset(a.header.lower() for a in self._auth.values())
        self._default_security = default_security
        self._headers = {"Accept": "application/json", "User-Agent": user_agent, **(headers or {})}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    def _build_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        method: str,
        path: str,
        *,
        path_params: Mapping[str, Any] | None,
        query: Mapping[str, Any] | None,
        headers: Mapping[str, Any] | None,
        body: Any,
        has_body: bool,
        security: tuple[str, ...] | None,
        timeout: TimeoutTypes | NotGiven,
        extra_headers: Mapping[str, str] | None,
    ) -> httpx.Request:
        if path_params:
            path = _PATH_PARAMETER.sub(lambda m: _path_segment(path_params[m.group(1)]), path)
        url = self.base_url + path
        all_headers = dict(self._headers)
        all_headers.update(
            {k: str(_query_value(v)) for k, v in (headers or {}).items() if v is not None}
        )
        self._authenticate(all_headers, security)
        all_headers.update(extra_headers or {})
        return http.build_request(
            method,
            url,
            params={k: _query_value(v) for k, v in (query or {}).items() if v is not None},
            headers=all_headers,
            json=_json_body(body) if has_body else None,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
        )

    def _authenticate(self, headers: dict[str, str], security: tuple[str, ...] | None) -> None:
        schemes = self._default_security if security is None else security
        for scheme in schemes:
            if scheme in self._auth:
                self._auth[scheme].apply(headers)
                return
        if schemes:
            raise errors.MissingCredentialsError(
                f"This operation needs credentials for one of: {', '.join(schemes)}; "
                "pass them when creating the client"
            )

    def _attempts(self, method: str, retry_safe: bool, max_retries: int | NotGiven) -> _Attempts:
        limit = self.max_retries if isinstance(max_retries, NotGiven) else max_retries
        may_retry = retry_safe or method in _IDEMPOTENT_METHODS
        return _Attempts(limit if may_retry else 0, self._credential_headers)

    def _finish(
        self,
        response: httpx.Response,
        cast_to: type[T],
        error_models: Mapping[str, type[pydantic.BaseModel]] | None,
    ) -> T:
        """The parsed body of the final response, or the typed error it stands for."""
        responses = _raw_responses.get()
        if responses is not None:
            responses.append(response)
        if response.is_success:
            return parse_body(response, cast_to)
        raise status_error(response, error_models or {})


class SyncClient(BaseClient):
    """Sends requests with an ``httpx.Client``; closes it on ``close()`` if it created it."""

    def __init__(self, *, http_client: httpx.Client | None, **config: Any) -> None:
        import httpx

        super().__init__(**config)
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client()

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self: _SyncSelf) -> _SyncSelf:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[T],
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        has_body: bool = False,
        error_models: Mapping[str, type[pydantic.BaseModel]] | None = None,
        retry_safe: bool = False,
        security: tuple[str, ...] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> T:
        """Send one operation's request, retrying and following redirects as configured; parse the answer."""
        import httpx

        request = self._build_request(
            self._http,
            method,
            path,
            path_params=path_params,
            query=query,
            headers=headers,
            body=body,
            has_body=has_body,
            security=security,
            timeout=timeout,
            extra_headers=extra_headers,
        )
        attempts = self._attempts(method, retry_safe, max_retries)
        while True:
            try:
                response = self._http.send(request, follow_redirects=False)
            except httpx.TransportError as exc:
                time.sleep(attempts.after_error(request, exc))
                continue
            step = attempts.after_response(request, response)
            if step is None:
                return self._finish(response, cast_to, error_models)
            response.close()
            if isinstance(step, float):
                time.sleep(step)
            else:
                request = step


class AsyncClient(BaseClient):
    """Sends requests with an ``httpx.AsyncClient``; closes it on ``aclose()`` if it created it."""

    def __init__(self, *, http_client: httpx.AsyncClient | None, **config: Any) -> None:
        import httpx

        super().__init__(**config)
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: _AsyncSelf) -> _AsyncSelf:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[T],
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        headers: Mapping[str, Any] | None = None,
        body: Any = None,
        has_body: bool = False,
        error_models: Mapping[str, type[pydantic.BaseModel]] | None = None,
        retry_safe: bool = False,
        security: tuple[str, ...] | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> T:
        """Send one operation's request, retrying and following redirects as configured; parse the answer."""
        import httpx

        request = self._build_request(
            self._http,
            method,
            path,
            path_params=path_params,
            query=query,
            headers=headers,
            body=body,
            has_body=has_body,
            security=security,
            timeout=timeout,
            extra_headers=extra_headers,
        )
        attempts = self._attempts(method, retry_safe, max_retries)
        while True:
            try:
                response = await self._http.send(request, follow_redirects=False)
            except httpx.TransportError as exc:
                await _async_sleep(attempts.after_error(request, exc))
                continue
            step = attempts.after_response(request, response)
            if step is None:
                return self._finish(response, cast_to, error_models)
            await response.aclose()
            if isinstance(step, float):
                await _async_sleep(step)
            else:
                request = step


async def _async_sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


class _Attempts:
    """What to do after each try of one request: retry, follow a redirect, or stop.

    Shared by the sync and async clients, so both retry, back off and redirect identically.
    """

    def __init__(self, retries: int, credential_headers: frozenset[str]) -> None:
        self.retries = retries
        self.made = 1
        self.redirects = 0
        self.credential_headers = credential_headers

    def after_error(self, request: httpx.Request, exc: httpx.TransportError) -> float:
        """Seconds to wait before retrying after a transport error; raises once retries are used up."""
        import httpx

        if self.made > self.retries:
            error_class = (
                errors.APITimeoutError
                if isinstance(exc, httpx.TimeoutException)
                else errors.APIConnectionError
            )
            raise error_class(request) from exc
        return self._retry(request, None, type(exc).__name__)

    def after_response(
        self, request: httpx.Request, response: httpx.Response
    ) -> float | httpx.Request | None:
        """Seconds to wait before a retry, the request that follows a redirect, or None to finish."""
        log.debug("%s %s -> %s", request.method, request.url, response.status_code)
        if _should_retry(response) and self.made <= self.retries:
            return self._retry(request, response, str(response.status_code))
        if response.has_redirect_location and self.redirects < MAX_REDIRECTS:
            self.redirects += 1
            return self._redirected(request, response)
        return None

    def _retry(self, request: httpx.Request, response: httpx.Response | None, reason: str) -> float:
        delay = retry_delay(self.made, response)
        log.info("Retrying %s %s in %.2fs after %s", request.method, request.url, delay, reason)
        self.made += 1
        return delay

    def _redirected(self, request: httpx.Request, response: httpx.Response) -> httpx.Request:
        """The request a redirect asks for, as httpx would build it, except that credentials go only
        to the origin they were given for (httpx drops ``Authorization`` elsewhere, not API-key headers).
        """
        import httpx

        url = request.url.join(response.headers["Location"])
        method, content = request.method, request.content
        headers = httpx.Headers(request.headers)
        del headers["Host"]
        if (response.status_code == 303 and method != "HEAD") or (
            response.status_code in (301, 302) and method == "POST"
        ):
            method, content = "GET", b""
            for name in ("Content-Length", "Content-Type", "Transfer-Encoding"):
                headers.pop(name, None)
        if (url.scheme, url.host, url.port) != (
            request.url.scheme,
            request.url.host,
            request.url.port,
        ):
            for name in self.credential_headers:
                headers.pop(name, None)
        return httpx.Request(
            method, url, headers=headers, content=content, extensions=request.extensions
        )


_SyncSelf = TypeVar("_SyncSelf", bound=SyncClient)
_AsyncSelf = TypeVar("_AsyncSelf", bound=AsyncClient)


# -- pagination -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pages:
    """How a list operation pages, as declared by ``x-specgen-pagination`` in the spec.

    ``style="page"``: the page number goes up by one until a page comes back empty.
    ``style="cursor"``: the cursor from each page is sent back until it is empty (or ``has_more`` is false).
    Paths are wire names inside the response body.
    """

    style: str
    items: tuple[str, ...]
    next_cursor: tuple[str, ...] = ()
    has_more: tuple[str, ...] = ()
    start: int = 0

    def first(self, given: Any) -> Any:
        """The position of the first page: the one given, else the start page (cursors start with none)."""
        return given if given is not None or self.style != "page" else self.start

    def next(self, page: Any, position: Any, count: int) -> Any:
        """The position of the page after ``page``, or None when it was the last."""
        if self.style == "page":
            return position + 1 if count else None
        if self.has_more and not field_at(page, self.has_more):
            return None
        cursor = field_at(page, self.next_cursor)
        return cursor if cursor and cursor != position else None


def iterate(
    fetch: Callable[[Any], Any], pages: Pages, start: Any, item_type: type[T]
) -> Iterator[T]:
    """Every item of every page, fetching each page only when the previous one is used up."""
    position = pages.first(start)
    while True:
        page = fetch(position)
        items: list[T] = field_at(page, pages.items) or []
        yield from items
        position = pages.next(page, position, len(items))
        if position is None:
            return


async def aiterate(
    fetch: Callable[[Any], Awaitable[Any]], pages: Pages, start: Any, item_type: type[T]
) -> AsyncIterator[T]:
    """The async twin of :func:`iterate`."""
    position = pages.first(start)
    while True:
        page = await fetch(position)
        items: list[T] = field_at(page, pages.items) or []
        for item in items:
            yield item
        position = pages.next(page, position, len(items))
        if position is None:
            return


def field_at(value: Any, path: tuple[str, ...]) -> Any:
    """Follow wire names through parsed models (or dicts); None when a step is missing."""
    for wire_name in path:
        if value is None:
            return None
        if isinstance(value, Mapping):
            value = value.get(wire_name)
        else:
            value = getattr(value, _attribute(type(value), wire_name), None)
    return value


_attributes: dict[tuple[type[Any], str], str] = {}


def _attribute(model: type[Any], wire_name: str) -> str:
    """The Python attribute of ``model`` that holds the field called ``wire_name`` on the wire."""
    key = (model, wire_name)
    if key not in _attributes:
        fields = getattr(model, "model_fields", {})
        _attributes[key] = next(
            (n for n, f in fields.items() if wire_name in (f.alias, n)), wire_name
        )
    return _attributes[key]
