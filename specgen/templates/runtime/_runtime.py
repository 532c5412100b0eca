"""The HTTP machinery every resource shares: auth, retries, timeouts, errors, pagination, raw and
streamed responses.

Generated resource methods only describe a request (method, path, parameters, body, the types of
the answer); everything that decides how it is sent lives here, once, for the sync and async client.

A credential sent in the query (an API key declared ``in: query``) shows as ``***`` wherever this
package prints a URL: error messages, reprs of requests, its own log lines (``errors.shown_url``);
and a redirect never takes it to another origin. httpx itself logs every request's full URL on the
``httpx`` logger at INFO (``HTTP Request: GET https://...?api_key=...``). The runtime leaves that
alone: a logging filter is process-wide, it would rewrite the records of every httpx client of the
program, not only this one's. A program that shows the INFO records of ``httpx`` and sends a key in
the query should raise that logger to WARNING (``logging.getLogger("httpx").setLevel("WARNING")``).

httpx, pydantic and asyncio are imported where they are first needed (creating a client, parsing a
body, an async retry), so ``import <package>`` stays cheap for programs that only sometimes call the API.
"""

from __future__ import annotations

import base64
import contextlib
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
    Literal,
    Optional,
    ParamSpec,
    TypeAlias,
    TypeVar,
    Union,
    cast,
    get_args,
    get_origin,
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
#: A path template's parameters: ``{name}``, no braces or slash in the name (the generator checks
#: the spec's paths with this same pattern, read from here).
_PATH_PARAMETER = re.compile(r"{([^{}/]+)}")

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


#: Where a credential is sent: in a header, as a query parameter, or as a cookie.
CredentialLocation: TypeAlias = Literal["header", "query", "cookie"]
#: An operation's security requirements: alternatives, each the schemes whose credentials are all
#: sent together; an empty one (anonymous access) comes last. ``()`` needs no credentials.
Security: TypeAlias = tuple[tuple[str, ...], ...]


@dataclass(frozen=True, repr=False)
class Credential:
    """A credential sent in a header (after a prefix such as ``Bearer ``), a query parameter or a cookie."""

    location: CredentialLocation
    name: str
    prefix: str
    secret: Secret

    def apply(self, headers: dict[str, str], params: dict[str, Any]) -> None:
        """Add the credential to a request's headers and query parameters.

        A query parameter of the same name the call passed itself is kept: the caller chose it. A
        cookie joins the other cookies of the ``Cookie`` header rather than replacing them.
        """
        value = self.prefix + self.secret.reveal()
        if self.location == "query":
            params.setdefault(self.name, value)
        elif self.location == "cookie":
            header = next((name for name in headers if name.lower() == "cookie"), "Cookie")
            cookie = f"{self.name}={value}"
            headers[header] = f"{headers[header]}; {cookie}" if header in headers else cookie
        else:
            headers[self.name] = value

    def __repr__(self) -> str:
        return f"Credential(location={self.location!r}, name={self.name!r})"


@dataclass(frozen=True)
class AuthOption:
    """One way to authenticate: the credential if one was found, else how to provide it."""

    scheme: str
    auth: Credential | None
    how: str


def key_auth(
    scheme: str,
    value: str | None,
    *,
    location: CredentialLocation,
    name: str,
    env: str,
    arg: str,
    prefix: str = "",
) -> AuthOption:
    """An API key or token from the argument, else from the environment variable ``env``, sent in
    the header, query parameter or cookie ``name``."""
    allowed, what = _SENDABLE[location]
    value = _clean_credential(
        value if value is not None else os.environ.get(env), f"{arg}= (or {env})", allowed, what
    )
    auth = Credential(location, name, prefix, Secret(value)) if value else None
    return AuthOption(scheme, auth, f"pass {arg}= or set {env}")


def basic_auth(scheme: str, username: str | None, password: str | None, *, env: str) -> AuthOption:
    """HTTP basic auth from the arguments, else from ``env`` holding ``username:password``.

    The pair is sent as base64 of its UTF-8 bytes (RFC 7617 ``charset="UTF-8"``), so any letter
    goes through; only a control character, which no password is meant to hold, is refused.
    """
    pair = (
        f"{username}:{password}"
        if username is not None and password is not None
        else os.environ.get(env)
    )
    pair = _clean_credential(
        pair,
        f"username=/password= (or {env})",
        _no_control,
        "a control character (or a lone surrogate, which UTF-8 cannot encode)",
    )
    auth = None
    if pair and ":" in pair:
        token = base64.b64encode(pair.encode("utf-8")).decode("ascii")
        auth = Credential("header", "Authorization", "Basic ", Secret(token))
    return AuthOption(
        scheme, auth, f"pass username= and password= or set {env} to 'username:password'"
    )


#: What a key read from a file or pasted from a terminal carries around it: ASCII whitespace only,
#: so a no-break space or a NEL (U+0085) is refused rather than silently cut.
_SURROUNDING_WHITESPACE = " \t\r\n\v\f"


def _clean_credential(
    value: str | None, source: str, allowed: Callable[[str], bool], what: str
) -> str | None:
    """The credential without surrounding whitespace (a key read from a file ends in a newline).

    One that still holds a character ``allowed`` refuses is refused here, by name and never by
    value: sent as a header it would fail deep in the HTTP stack (``UnicodeEncodeError``), with the
    whole secret quoted in the error.
    """
    if value is None:
        return None
    value = value.strip(_SURROUNDING_WHITESPACE)
    if not all(allowed(c) for c in value):
        raise errors.InvalidCredentialsError(f"The credential from {source} contains {what}")
    return value


def _header_safe(char: str) -> bool:
    """Printable ASCII, space included: what httpx can encode into a header value as it is."""
    return " " <= char <= "~"


def _no_control(char: str) -> bool:
    """Not a C0 control, DEL, a C1 control (U+0080 to U+009F) nor a lone surrogate."""
    return not (char < " " or "\x7f" <= char <= "\x9f" or "\ud800" <= char <= "\udfff")


def _cookie_safe(char: str) -> bool:
    """A ``cookie-octet`` of RFC 6265 (section 4.1.1): printable ASCII but space, ``"``, ``,``, ``;``
    and ``\\``. A ``;`` would end the cookie and start another of the key's choosing."""
    return "!" <= char <= "~" and char not in '",;\\'


#: What a credential may hold where it is sent, and how to say what it holds instead. A query
#: parameter is percent-encoded (UTF-8), so only a control character is refused there.
_SENDABLE: dict[str, tuple[Callable[[str], bool], str]] = {
    "header": (
        _header_safe,
        "a character that cannot be sent in an HTTP header (only printable ASCII can: not a "
        "control character, a non-ASCII letter, a no-break space or a typographic quote)",
    ),
    "query": (_no_control, "a control character (or a lone surrogate, which UTF-8 cannot encode)"),
    "cookie": (
        _cookie_safe,
        "a character that cannot be sent in a cookie (only printable ASCII can, "
        "but not a space, a double quote, a comma, a semicolon or a backslash)",
    ),
}


def require_auth(*options: AuthOption, required: bool = True) -> dict[str, Credential]:
    """The configured credentials by scheme.

    When every operation of the API needs credentials (``required``), a client built without any
    fails here, at once; otherwise only a call to an operation that needs them fails, when made.
    """
    found = {option.scheme: option.auth for option in options if option.auth is not None}
    if required and options and not found:
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


class TypeForm(Generic[T]):
    """A type that is no class, passed where a type is expected: ``cast_to=TypeForm[Run | None]``.

    mypy accepts a class (``Run``, ``list[Run]``) as ``type[T]``, but not a union, a ``Literal``
    or ``Any``. ``TypeForm[X]`` is a class to mypy, and the overloads that take one read ``X``
    from it, so the method's return type stays exact; at runtime :func:`type_form_target` gives
    ``X`` back. (PEP 747's ``typing.TypeForm`` will say this directly.)
    """


def type_form_target(form: Any) -> Any:
    """``X`` for ``TypeForm[X]``; any other type as it is."""
    return get_args(form)[0] if get_origin(form) is TypeForm else form


# -- streamed responses ----------------------------------------------------------------------------
# A method wrapped by with_streaming_response sends its request as usual (auth, retries, redirects,
# errors), but the request loop hands the final success response over with its body unread.

_streamed: contextvars.ContextVar[list[httpx.Response] | None] = contextvars.ContextVar(
    "streamed", default=None
)


class _StreamedBody:
    """What the sync and async streamed responses share: the answer before its body."""

    def __init__(self, http_response: httpx.Response) -> None:
        self.http_response = http_response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers


class StreamedResponse(_StreamedBody):
    """A success response whose body is read as it arrives, with :meth:`iter_bytes`."""

    def iter_bytes(self, chunk_size: int | None = None) -> Iterator[bytes]:
        """The body in chunks as they arrive (``Content-Encoding`` undone), of ``chunk_size``
        bytes if given (the last may be shorter)."""
        with _stream_errors(self.http_response):
            yield from self.http_response.iter_bytes(chunk_size)


class AsyncStreamedResponse(_StreamedBody):
    """A success response whose body is read as it arrives, with :meth:`aiter_bytes`."""

    async def aiter_bytes(self, chunk_size: int | None = None) -> AsyncIterator[bytes]:
        """The async twin of :meth:`StreamedResponse.iter_bytes`."""
        with _stream_errors(self.http_response):
            async for chunk in self.http_response.aiter_bytes(chunk_size):
                yield chunk


@contextlib.contextmanager
def _stream_errors(response: httpx.Response) -> Iterator[None]:
    """A failure while the body streams, as the typed error a plain call would raise.

    It is not retried: part of the body is already in the caller's hands.
    """
    import httpx

    try:
        yield
    except httpx.DecodingError as exc:
        raise _undecodable(response, exc) from exc
    except httpx.TimeoutException as exc:
        raise errors.APITimeoutError(response.request) from exc
    except httpx.TransportError as exc:
        raise errors.APIConnectionError(response.request) from exc


@overload
def with_streaming_response(
    method: Callable[P, Coroutine[Any, Any, Any]],
) -> Callable[P, contextlib.AbstractAsyncContextManager[AsyncStreamedResponse]]: ...
@overload
def with_streaming_response(
    method: Callable[P, Any],
) -> Callable[P, contextlib.AbstractContextManager[StreamedResponse]]: ...
def with_streaming_response(method: Callable[P, Any]) -> Callable[P, Any]:
    """Wrap a client method so that it hands out the response with its body unread, to stream it.

    For a large download, which a plain call would read whole into memory::

        with with_streaming_response(client.files.download)(id="...") as response:
            for chunk in response.iter_bytes():
                ...

        async with with_streaming_response(client.files.download)(id="...") as response:
            async for chunk in response.aiter_bytes():
                ...

    The request is sent when the ``with`` block is entered, exactly as a plain call sends it:
    retried, redirected and authenticated the same way, and an error status raises its
    ``APIStatusError`` there, before the block runs. Only the final success response is handed
    out, so nothing is retried once its body is in the caller's hands; a connection lost while
    reading raises ``APIConnectionError``. The connection is closed when the block exits, whether
    the body was read to its end or not.
    """
    import inspect

    if inspect.iscoroutinefunction(method):

        @contextlib.asynccontextmanager
        async def open_async(*args: P.args, **kwargs: P.kwargs) -> AsyncIterator[Any]:
            token = _streamed.set([])
            try:
                await method(*args, **kwargs)
                response = _streamed_response()
            finally:
                _streamed.reset(token)
            try:
                yield AsyncStreamedResponse(response)
            finally:
                await response.aclose()

        return functools.wraps(method)(open_async)

    @contextlib.contextmanager
    def open_sync(*args: P.args, **kwargs: P.kwargs) -> Iterator[Any]:
        token = _streamed.set([])
        try:
            method(*args, **kwargs)
            response = _streamed_response()
        finally:
            _streamed.reset(token)
        try:
            yield StreamedResponse(response)
        finally:
            response.close()

    return functools.wraps(method)(open_sync)


def _streamed_response() -> httpx.Response:
    responses = _streamed.get()
    if not responses:
        raise RuntimeError("with_streaming_response() wraps client methods that send a request")
    return responses[-1]


def _stream_for(response: httpx.Response) -> list[httpx.Response] | None:
    """Where the final ``response`` goes with its body unread, for :func:`with_streaming_response`
    to hand out: a success, when a wrapped method sent it (an error's body is read, to raise its
    typed error); None when it is read and parsed as usual."""
    streamed = _streamed.get()
    return streamed if streamed is not None and response.is_success else None


_adapters: dict[Any, pydantic.TypeAdapter[Any]] = {}


def _adapter(cast_to: Any) -> pydantic.TypeAdapter[Any]:
    """One validator per response type, built on first use (building one costs far more than a call)."""
    import pydantic

    adapter = _adapters.get(cast_to)
    if adapter is None:
        adapter = _adapters[cast_to] = pydantic.TypeAdapter(cast_to)
    return adapter


def parse_body(response: httpx.Response, cast_to: type[T]) -> T:
    """The body of a success response as ``cast_to``, or a validation error that shows the body.

    The response's ``Content-Type`` says what the body is: JSON is parsed (a JSON string answered
    for ``cast_to=str`` loses its quotes), anything else is returned as text when ``str`` was asked.
    """
    if cast_to is type(None):
        return None
    if cast_to is bytes:
        return cast(T, response.content)
    text = _decoded_text(response)
    if cast_to is str and not _is_json(response):
        return cast(T, text)
    import pydantic

    try:
        if isinstance(cast_to, type) and issubclass(cast_to, pydantic.BaseModel):
            return cast_to.model_validate_json(text)
        return cast(T, _adapter(cast_to).validate_json(text))
    except pydantic.ValidationError as exc:
        raise errors.APIResponseValidationError(response, _summarize(exc)) from None


def _is_json(response: httpx.Response) -> bool:
    """Whether the body is JSON by its media type: ``application/json`` or a ``+json`` suffix
    (RFC 6839), such as ``application/problem+json``."""
    content_type: str = response.headers.get("Content-Type", "")
    media_type = content_type.partition(";")[0].strip().lower()
    return media_type == "application/json" or media_type.endswith("+json")


def _decoded_text(response: httpx.Response) -> str:
    """The body as text, in the charset its ``Content-Type`` names (UTF-8 if none), strictly.

    ``response.text`` would quietly replace invalid bytes with U+FFFD and read an unknown charset as
    UTF-8, handing the caller corrupted data as if it were the server's; or raise a bare
    ``AssertionError`` for a non-text codec such as ``base64``. Here each is a typed error instead.
    """
    charset = response.charset_encoding or "utf-8"
    try:
        return response.content.decode(charset)
    except LookupError as exc:
        detail = f"its charset {_excerpt(charset)!r} is not a text encoding Python knows"
        raise errors.APIResponseDecodingError(response, detail) from exc
    except ValueError as exc:  # UnicodeDecodeError, or a codec that refuses these bytes
        detail = f"its body is not valid {_excerpt(charset)}: {exc}"
        raise errors.APIResponseDecodingError(response, detail) from exc


def _excerpt(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


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
            parsed = model.model_validate_json(errors.lenient_text(response))
        except pydantic.ValidationError:
            parsed = None
    return errors.status_error_class(response.status_code)(response, parsed)


def _query_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return [_query_value(v) for v in value]
    return getattr(value, "value", value)


#: How a query parameter is written when its spec says nothing: ``style: form``, ``explode: true``.
_FORM_EXPLODED = ("form", True)
#: What joins the items of an unexploded array or object, per style (OpenAPI 3.1 §4.8.12.4).
_DELIMITERS = {"form": ",", "spaceDelimited": "%20", "pipeDelimited": "|"}


def _query_string(query: Mapping[str, Any], styles: Mapping[str, tuple[str, bool]] | None) -> str:
    """The query of a request, each parameter written as its ``style`` and ``explode`` say.

    Names and values are percent-encoded (RFC 3986: all but letters, digits and ``-._~``), so a
    comma or ``|`` inside a value cannot be read as a delimiter, which is written as it is.
    A parameter without a style is ``form`` exploded: ``a=1&a=2``, ``k=v&k2=v2``.
    """
    pairs: list[str] = []
    for name, value in query.items():
        if value is not None:
            style, explode = (styles or {}).get(name, _FORM_EXPLODED)
            pairs.extend(_query_pairs(_escape(name), _query_data(value), style, explode))
    return "&".join(pairs)


def _query_pairs(key: str, value: Any, style: str, explode: bool) -> list[str]:
    """``key=value`` pairs of one parameter (JSON data); empty arrays and objects send nothing."""
    if isinstance(value, dict):
        items = [(_escape(k), _escape(_query_text(v))) for k, v in value.items() if v is not None]
        if style == "deepObject":  # a[k]=v
            return [f"{key}[{k}]={v}" for k, v in items]
        if explode:  # k=v&k2=v2
            return [f"{k}={v}" for k, v in items]
        joined = _DELIMITERS.get(style, ",").join(t for item in items for t in item)
        return [f"{key}={joined}"] if items else []
    if isinstance(value, list):
        texts = [_escape(_query_text(v)) for v in value if v is not None]
        if style == "deepObject":  # a[]=1&a[]=2
            return [f"{key}[]={t}" for t in texts]
        if explode:  # a=1&a=2
            return [f"{key}={t}" for t in texts]
        return [f"{key}={_DELIMITERS.get(style, ',').join(texts)}"] if texts else []
    return [f"{key}={_escape(_query_text(value))}"]


def _query_data(value: Any) -> Any:
    """A model, mapping or sequence as JSON data (wire names); anything else as it is."""
    if isinstance(value, (dict, list, tuple)) or hasattr(value, "model_dump"):
        return _json_body(value)
    return value


def _query_text(value: Any) -> str:
    if isinstance(value, (dict, list)):  # nested deeper than any style defines: JSON
        import json

        return json.dumps(value, separators=(",", ":"))
    return str(_query_value(value))


def _escape(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def _check_header_values(headers: Mapping[str, str]) -> None:
    """Refuse a header value HTTP cannot carry before anything is sent, without showing it.

    httpx would fail while encoding it, with the value (perhaps a caller's ``Authorization`` or
    ``Cookie``) quoted in the error; the name is enough to find the mistake.
    """
    for name, value in headers.items():
        if not (value.isascii() and value.isprintable()):
            raise ValueError(
                f"The value of header {name!r} cannot be sent in HTTP: use printable ASCII"
                " (encode other text as the API documents)"
            )


# -- cookies --------------------------------------------------------------------------------------
# Cookie parameters go in one Cookie header (RFC 6265 section 5.4: ``name=value`` pairs joined by
# ``; ``), together with the cookies of a Cookie header given with headers= or extra_headers=.


def _cookie_pairs(cookies: Mapping[str, Any]) -> dict[str, str]:
    """Cookie parameters as ``name=value`` by name; None is not sent.

    A value is refused before anything is sent, without showing it (it may be a session), when it
    holds a character a cookie cannot carry (RFC 6265 section 4.1.1: whitespace, ``"``, ``,``,
    ``;``, ``\\``, a control or non-ASCII character): the server would read another cookie, or
    another value, from it.
    """
    pairs: dict[str, str] = {}
    for name, value in cookies.items():
        if value is None:
            continue
        text = str(_query_value(value))
        if not all(_cookie_octet(c) for c in text):
            raise ValueError(
                f"The value of cookie {name!r} cannot be sent in a Cookie header: use printable"
                " ASCII without whitespace, '\"', ',', ';' or '\\' (encode it as the API"
                " documents)"
            )
        pairs[name] = f"{name}={text}"
    return pairs


def _cookie_octet(char: str) -> bool:
    """A character a cookie value can hold (RFC 6265 ``cookie-octet``)."""
    return "!" <= char <= "~" and char not in '",;\\'


def _add_cookies(headers: dict[str, str], pairs: Mapping[str, str]) -> None:
    """Send ``pairs`` (``name=value`` by name) in the Cookie header of ``headers``, each in place of
    a cookie of the same name already there, the others kept."""
    if not pairs:
        return
    cookies: dict[str, str] = {}
    for key in [key for key in headers if key.lower() == "cookie"]:
        cookies.update(_cookies_in(headers.pop(key)))
    cookies.update(pairs)
    headers["Cookie"] = "; ".join(cookies.values())


def _cookies_in(header: str) -> dict[str, str]:
    """The ``name=value`` pairs of a Cookie header, by name."""
    pieces = (piece.strip() for piece in header.split(";"))
    return {piece.partition("=")[0].strip(): piece for piece in pieces if piece}


def _add_extra_headers(headers: dict[str, str], extra: Mapping[str, str]) -> None:
    """A call's ``extra_headers``: each replaces the header of its name, except ``Cookie``, whose
    cookies join those of the request (a cookie parameter of the same name is replaced)."""
    for name, value in extra.items():
        if name.lower() == "cookie":
            _add_cookies(headers, _cookies_in(value))
        else:
            headers[name] = value


def _path_segment(name: str, value: Any) -> str:
    """A path parameter encoded so it stays one segment: ``../x?y#z`` cannot change the path.

    An empty value (or None) is refused before anything is sent: ``/runs/{run_id}`` would become
    ``/runs/``, another endpoint (often the list, or a DELETE of the collection), and the answer
    would look like a success.
    """
    raw = getattr(value, "value", value)
    if raw is None or raw == "":
        raise ValueError(f"Expected a non-empty value for `{name}` but received {raw!r}")
    text = quote(str(raw), safe="")
    return text.replace(".", "%2E") if text in (".", "..") else text


def _json_body(body: Any) -> Any:
    """A body as JSON data: models (also inside lists and dicts) with their wire names, and only
    the fields the caller set, so an unset field is left to the server rather than sent as null."""
    import pydantic

    return pydantic.TypeAdapter(Any).dump_python(
        body, mode="json", by_alias=True, exclude_unset=True
    )


# -- request bodies that are not JSON -------------------------------------------------------------
# A generated method wraps its body in one of these when the spec's media type is not JSON; a plain
# value is sent as JSON. Each says how httpx sends it (``data``, ``files`` or ``content``).


@dataclass(frozen=True)
class FormBody:
    """``application/x-www-form-urlencoded`` fields, from a model (wire names) or a mapping."""

    value: Any

    def encode(self) -> tuple[dict[str, Any], str | None]:
        return {"data": _fields(_python_body(self.value))[0]}, None


@dataclass(frozen=True)
class MultipartBody:
    """``multipart/form-data``: bytes and file objects become file parts, other fields text parts."""

    value: Any

    def encode(self) -> tuple[dict[str, Any], str | None]:
        data, files = _fields(_python_body(self.value))
        return {"data": data, "files": files or None}, None


@dataclass(frozen=True)
class RawBody:
    """A body sent as it is (``bytes``, or ``str`` as UTF-8) with its media type."""

    value: bytes | str | None  # None only when the optional body was not given (it is not sent)
    media_type: str

    def encode(self) -> tuple[dict[str, Any], str | None]:
        value = self.value if self.value is not None else b""
        content = value.encode("utf-8") if isinstance(value, str) else bytes(value)
        return {"content": content}, self.media_type


def _python_body(body: Any) -> dict[str, Any]:
    """A body model (or mapping) as a dict of wire names to values; bytes stay bytes."""
    import pydantic

    if isinstance(body, pydantic.BaseModel):
        return body.model_dump(mode="python", by_alias=True, exclude_unset=True)
    if isinstance(body, Mapping):
        return dict(body)
    raise TypeError(f"a form body is a model or a mapping, not {type(body).__name__}")


def _fields(values: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Text fields and file parts: lists repeat a field, structures are sent as JSON text."""
    data: dict[str, Any] = {}
    files: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, (bytes, bytearray)) or hasattr(value, "read"):
            files[name] = (name, value)
        elif isinstance(value, (list, tuple)):
            data[name] = [_field_text(v) for v in value]
        else:
            data[name] = _field_text(value)
    return data, files


def _field_text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        import json

        return json.dumps(_json_body(value))
    return str(_query_value(value))


_ENCODED_BODIES = (FormBody, MultipartBody, RawBody)


def retry_delay(attempt: int, response: httpx.Response | None) -> float:
    """Seconds to wait before retry ``attempt`` (1-based): the server's ``Retry-After`` when it is
    between 0 and ``MAX_RETRY_AFTER``, else exponential backoff with jitter.

    A wait beyond the cap is ignored rather than clipped to it (as the Stainless SDKs do): a server
    asking for an hour is overloaded or confused, and parking every retry a full minute on its word
    would hold the caller far longer than the backoff it would otherwise get. A negative wait (an
    HTTP date in the past, a clock off) is ignored too.
    """
    if response is not None:
        after = _retry_after(response.headers)
        if after is not None and 0 <= after <= MAX_RETRY_AFTER:
            return after
        if after is not None:
            log.info(
                "Ignoring the server's retry delay of %.3fs (outside 0 to %.3gs); backing off instead",
                after,
                MAX_RETRY_AFTER,
            )
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
        auth: Mapping[str, Credential],
        default_security: Security,
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
        self._credential_headers = frozenset(
            a.name.lower() for a in self._auth.values() if a.location == "header"
        )
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
        query_styles: Mapping[str, tuple[str, bool]] | None,
        headers: Mapping[str, Any] | None,
        cookies: Mapping[str, Any] | None,
        body: Any,
        has_body: bool,
        security: Security | None,
        timeout: TimeoutTypes | NotGiven,
        extra_headers: Mapping[str, str] | None,
    ) -> httpx.Request:
        if path_params:
            path = _PATH_PARAMETER.sub(
                lambda m: _path_segment(m.group(1), path_params[m.group(1)]), path
            )
        all_headers = dict(self._headers)
        all_headers.update(
            {k: str(_query_value(v)) for k, v in (headers or {}).items() if v is not None}
        )
        _add_cookies(all_headers, _cookie_pairs(cookies or {}))
        params = {k: v for k, v in (query or {}).items() if v is not None}
        credentials = self._credentials(security)
        for credential in credentials:
            credential.apply(all_headers, params)
        url = self.base_url + path
        encoded = _query_string(params, query_styles)
        if encoded:
            url += "?" + encoded
        content: dict[str, Any] = {}
        if has_body and isinstance(body, _ENCODED_BODIES):
            content, media_type = body.encode()
            if media_type:
                all_headers["Content-Type"] = media_type
        elif has_body:
            content = {"json": _json_body(body)}
        _add_extra_headers(all_headers, extra_headers or {})
        _check_header_values(all_headers)
        request = http.build_request(
            method,
            url,
            headers=all_headers,
            timeout=self.timeout if isinstance(timeout, NotGiven) else timeout,
            **content,
        )
        return _hiding_credentials(
            request, frozenset(c.name for c in credentials if c.location == "query")
        )

    def _credentials(self, security: Security | None) -> tuple[Credential, ...]:
        """The credentials of the first requirement the client has all of (an empty requirement,
        anonymous access, always qualifies); none qualifying, an error naming what each needs."""
        requirements = self._default_security if security is None else security
        for requirement in requirements:
            if all(scheme in self._auth for scheme in requirement):
                return tuple(self._auth[scheme] for scheme in requirement)
        if requirements:
            needed = "; or ".join(" and ".join(requirement) for requirement in requirements)
            raise errors.MissingCredentialsError(
                f"This operation needs credentials for {needed}; pass them when creating the client"
            )
        return ()

    def _attempts(self, method: str, retry_safe: bool, max_retries: int | NotGiven) -> _Attempts:
        limit = self.max_retries if isinstance(max_retries, NotGiven) else max_retries
        may_retry = retry_safe or method in _IDEMPOTENT_METHODS
        return _Attempts(limit if may_retry else 0, self._credential_headers)

    def _finish(
        self,
        response: httpx.Response,
        cast_to: Any,
        error_models: Mapping[str, type[pydantic.BaseModel]] | None,
    ) -> Any:
        """The parsed body of the final response, or the typed error it stands for."""
        responses = _raw_responses.get()
        if responses is not None:
            responses.append(response)
        streamed = _stream_for(response)
        if streamed is not None:
            streamed.append(response)
            return None  # no body read: the wrapper hands out the response itself
        if response.is_success:
            return parse_body(response, type_form_target(cast_to))
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

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[TypeForm[T]],
        path_params: Mapping[str, Any] | None = ...,
        query: Mapping[str, Any] | None = ...,
        query_styles: Mapping[str, tuple[str, bool]] | None = ...,
        headers: Mapping[str, Any] | None = ...,
        cookies: Mapping[str, Any] | None = ...,
        body: Any = ...,
        has_body: bool = ...,
        error_models: Mapping[str, type[pydantic.BaseModel]] | None = ...,
        retry_safe: bool = ...,
        security: Security | None = ...,
        timeout: TimeoutTypes | NotGiven = ...,
        max_retries: int | NotGiven = ...,
        extra_headers: Mapping[str, str] | None = ...,
    ) -> T: ...

    @overload
    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[T],
        path_params: Mapping[str, Any] | None = ...,
        query: Mapping[str, Any] | None = ...,
        query_styles: Mapping[str, tuple[str, bool]] | None = ...,
        headers: Mapping[str, Any] | None = ...,
        cookies: Mapping[str, Any] | None = ...,
        body: Any = ...,
        has_body: bool = ...,
        error_models: Mapping[str, type[pydantic.BaseModel]] | None = ...,
        retry_safe: bool = ...,
        security: Security | None = ...,
        timeout: TimeoutTypes | NotGiven = ...,
        max_retries: int | NotGiven = ...,
        extra_headers: Mapping[str, str] | None = ...,
    ) -> T: ...

    def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: Any,
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        query_styles: Mapping[str, tuple[str, bool]] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        body: Any = None,
        has_body: bool = False,
        error_models: Mapping[str, type[pydantic.BaseModel]] | None = None,
        retry_safe: bool = False,
        security: Security | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Send one operation's request, retrying and following redirects as configured; parse the answer."""
        import httpx

        request = self._build_request(
            self._http,
            method,
            path,
            path_params=path_params,
            query=query,
            query_styles=query_styles,
            headers=headers,
            cookies=cookies,
            body=body,
            has_body=has_body,
            security=security,
            timeout=timeout,
            extra_headers=extra_headers,
        )
        attempts = self._attempts(method, retry_safe, max_retries)
        while True:
            try:
                response = self._http.send(request, follow_redirects=False, stream=True)
                step = attempts.after_response(request, response)
                if step is None and _stream_for(response) is None:
                    _read_body(response)
            except httpx.TransportError as exc:
                time.sleep(attempts.after_error(request, exc))
                continue
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

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[TypeForm[T]],
        path_params: Mapping[str, Any] | None = ...,
        query: Mapping[str, Any] | None = ...,
        query_styles: Mapping[str, tuple[str, bool]] | None = ...,
        headers: Mapping[str, Any] | None = ...,
        cookies: Mapping[str, Any] | None = ...,
        body: Any = ...,
        has_body: bool = ...,
        error_models: Mapping[str, type[pydantic.BaseModel]] | None = ...,
        retry_safe: bool = ...,
        security: Security | None = ...,
        timeout: TimeoutTypes | NotGiven = ...,
        max_retries: int | NotGiven = ...,
        extra_headers: Mapping[str, str] | None = ...,
    ) -> T: ...

    @overload
    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: type[T],
        path_params: Mapping[str, Any] | None = ...,
        query: Mapping[str, Any] | None = ...,
        query_styles: Mapping[str, tuple[str, bool]] | None = ...,
        headers: Mapping[str, Any] | None = ...,
        cookies: Mapping[str, Any] | None = ...,
        body: Any = ...,
        has_body: bool = ...,
        error_models: Mapping[str, type[pydantic.BaseModel]] | None = ...,
        retry_safe: bool = ...,
        security: Security | None = ...,
        timeout: TimeoutTypes | NotGiven = ...,
        max_retries: int | NotGiven = ...,
        extra_headers: Mapping[str, str] | None = ...,
    ) -> T: ...

    async def request(
        self,
        method: str,
        path: str,
        *,
        cast_to: Any,
        path_params: Mapping[str, Any] | None = None,
        query: Mapping[str, Any] | None = None,
        query_styles: Mapping[str, tuple[str, bool]] | None = None,
        headers: Mapping[str, Any] | None = None,
        cookies: Mapping[str, Any] | None = None,
        body: Any = None,
        has_body: bool = False,
        error_models: Mapping[str, type[pydantic.BaseModel]] | None = None,
        retry_safe: bool = False,
        security: Security | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Send one operation's request, retrying and following redirects as configured; parse the answer."""
        import httpx

        request = self._build_request(
            self._http,
            method,
            path,
            path_params=path_params,
            query=query,
            query_styles=query_styles,
            headers=headers,
            cookies=cookies,
            body=body,
            has_body=has_body,
            security=security,
            timeout=timeout,
            extra_headers=extra_headers,
        )
        attempts = self._attempts(method, retry_safe, max_retries)
        while True:
            try:
                response = await self._http.send(request, follow_redirects=False, stream=True)
                step = attempts.after_response(request, response)
                if step is None and _stream_for(response) is None:
                    await _aread_body(response)
            except httpx.TransportError as exc:
                await _async_sleep(attempts.after_error(request, exc))
                continue
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


# The body is read only for the response that ends the call: one that is retried or redirected is
# closed unread, so a corrupt body there cannot fail a call that a later attempt answers well.


def _read_body(response: httpx.Response) -> None:
    """Read the body of the final response, undoing its ``Content-Encoding``; always close it.

    A transport error reading it (a reset, a truncated body) goes to the retry policy like any
    other; a corrupt encoding is the server's fault and becomes an ``APIResponseDecodingError``.
    """
    import httpx

    try:
        response.read()
    except httpx.DecodingError as exc:
        raise _undecodable(response, exc) from exc
    finally:
        response.close()


async def _aread_body(response: httpx.Response) -> None:
    """The async twin of :func:`_read_body`."""
    import httpx

    try:
        await response.aread()
    except httpx.DecodingError as exc:
        raise _undecodable(response, exc) from exc
    finally:
        await response.aclose()


def _undecodable(response: httpx.Response, exc: Exception) -> errors.APIResponseDecodingError:
    encoding = response.headers.get("Content-Encoding", "")
    return errors.APIResponseDecodingError(
        response, f"its Content-Encoding {_excerpt(encoding)!r} is corrupt ({exc})"
    )


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
        log.debug("%s %s -> %s", request.method, errors.shown_url(request), response.status_code)
        if _should_retry(response) and self.made <= self.retries:
            return self._retry(request, response, str(response.status_code))
        if response.has_redirect_location and self.redirects < MAX_REDIRECTS:
            self.redirects += 1
            return self._redirected(request, response)
        return None

    def _retry(self, request: httpx.Request, response: httpx.Response | None, reason: str) -> float:
        delay = retry_delay(self.made, response)
        log.info(
            "Retrying %s %s in %.2fs after %s",
            request.method,
            errors.shown_url(request),
            delay,
            reason,
        )
        self.made += 1
        return delay

    def _redirected(self, request: httpx.Request, response: httpx.Response) -> httpx.Request:
        """The request a redirect asks for, built in the steps httpx takes (``_client.py``).

        (httpx has already refused a ``Location`` that is not a URL: ``send`` raises
        ``RemoteProtocolError``, a connection error to the retry policy.)
        """
        import httpx

        url = _redirect_url(request, response)
        method = _redirect_method(request.method, response.status_code)
        return type(request)(
            method,
            url,
            headers=self._redirect_headers(request, url, method),
            content=_redirect_body(request, method),
            extensions=request.extensions,
        )

    def _redirect_headers(
        self, request: httpx.Request, url: httpx.URL, method: str
    ) -> httpx.Headers:
        """The headers to send on, per the steps of RFC 9110 section 15.4 ("Redirection 3xx").

        Another origin (RFC 6454: scheme, host and port; unlike httpx, an upgrade from http to https
        counts as another origin too) gets no credential: not the client's own auth headers, not
        ``Proxy-Authorization`` (step 2: it belongs to the proxy configuration), and not an
        ``Authorization`` or ``Cookie`` header the caller added with ``headers=`` or
        ``extra_headers=`` (step 3: the caller's headers with security implications). httpx drops
        the same ones; the destination is the server's choice, not the caller's. ``Host`` is
        recomputed from the new URL (step 2). A request turned into a GET loses the headers that
        described its body (step 6).
        """
        import httpx

        headers = httpx.Headers(request.headers)
        del headers["Host"]
        if not _same_origin(url, request.url):
            for name in _CROSS_ORIGIN_STRIPPED | self.credential_headers:
                headers.pop(name, None)
        if method != request.method and method == "GET":
            for name in ("Content-Length", "Content-Type", "Transfer-Encoding"):
                headers.pop(name, None)
        return headers


#: Headers that carry credentials of the caller: never sent to an origin a redirect leads to.
_CROSS_ORIGIN_STRIPPED = frozenset({"authorization", "proxy-authorization", "cookie"})


def _redirect_url(request: httpx.Request, response: httpx.Response) -> httpx.URL:
    """The ``Location`` resolved against the request's URL (RFC 9110 section 10.2.2: a relative
    reference is resolved like a link).

    The credentials the request carried in its query go on to the same origin, as its auth headers
    do, and never to another: a parameter of theirs in the ``Location`` is dropped, whoever put it.
    """
    url = request.url.join(response.headers["Location"])
    names = request.extensions.get(errors.CREDENTIAL_PARAMS)
    if not names:
        return url
    given = url.params.multi_items()
    params = [(k, v) for k, v in given if k not in names]
    if _same_origin(url, request.url):
        params += [(k, v) for k, v in request.url.params.multi_items() if k in names]
    if params == given:
        return url
    return url.copy_with(params=params) if params else url.copy_with(query=None)


def _redirect_method(method: str, status_code: int) -> str:
    """The method after a redirect.

    303 See Other means GET the result (RFC 9110 section 15.4.4), except for HEAD. A 301 or 302 keeps
    the method, except that a POST becomes a GET, the historical behaviour the RFC allows (sections
    15.4.2 and 15.4.3). httpx, like browsers, also turns a PUT, PATCH or DELETE answered with 302
    into a GET; an API client must not: the caller would get the answer of a GET, looking like the
    success of a deletion that never happened. 307 and 308 keep method and body (15.4.8, 15.4.9).
    """
    if status_code == 303 and method != "HEAD":
        return "GET"
    if status_code in (301, 302) and method == "POST":
        return "GET"
    return method


def _redirect_body(request: httpx.Request, method: str) -> bytes:
    """The body to send on: none once the method became GET (RFC 9110 section 15.4, step 6), else
    the same bytes (a 307 or 308 repeats the request, body included)."""
    if method != request.method and method == "GET":
        return b""
    return request.content


def _hiding_credentials(request: httpx.Request, params: frozenset[str]) -> httpx.Request:
    """``request``, which carries credentials in the query parameters ``params``, made to hide them.

    The names go in its extensions for :func:`errors.shown_url` (a redirect keeps them), and its
    class becomes one whose repr shows that URL: httpx's exceptions and ours hold the request, and
    a program that logs one would otherwise print the key.
    """
    if params:
        request.extensions[errors.CREDENTIAL_PARAMS] = params
        request.__class__ = _request_hiding_credentials()
    return request


@functools.cache
def _request_hiding_credentials() -> type[httpx.Request]:
    """The ``httpx.Request`` whose repr shows :func:`errors.shown_url` (made once httpx is imported)."""
    import httpx

    class Request(httpx.Request):
        def __repr__(self) -> str:
            return f"<Request({self.method!r}, {errors.shown_url(self)!r})>"

    return Request


def _same_origin(url: httpx.URL, other: httpx.URL) -> bool:
    """The same origin (RFC 6454): scheme, host and port (the scheme's default port when none)."""
    return (url.scheme, url.host, url.port) == (other.scheme, other.host, other.port)


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
        """The position of the page after ``page``, or None when it was the last.

        A cursor equal to the one that fetched ``page`` ends the listing: some servers echo it on
        the last page, and asking again could only return the same page.
        """
        if self.style == "page":
            return position + 1 if count else None
        if self.has_more and not field_at(page, self.has_more):
            return None
        cursor = field_at(page, self.next_cursor)
        return cursor if cursor and cursor != position else None


#: How many of the latest cursors one iteration remembers to notice a cycle: memory stays bounded
#: on a listing of millions of pages, and a longer cycle would take that many requests to show.
MAX_REMEMBERED_CURSORS = 10_000


class _Walk:
    """The positions of one iteration over a listing, refusing a cursor that leads back.

    A server that answers cursor A with B and B with A would otherwise be followed forever, yielding
    the same items again and again; a cursor already requested raises ``PaginationError``.
    """

    def __init__(self, pages: Pages, start: Any) -> None:
        import collections

        self.pages = pages
        self.position = pages.first(start)
        self.fetched = 0
        self._recent: collections.deque[Any] = collections.deque()
        self._seen: set[Any] = set()
        self._remember(self.position)

    def advance(self, page: Any, count: int) -> bool:
        """Move past ``page`` (holding ``count`` items); False when it was the last."""
        self.fetched += 1
        position = self.pages.next(page, self.position, count)
        if position is None:
            return False
        if self.pages.style == "cursor":
            if _hashable(position) and position in self._seen:
                raise errors.PaginationError(position, self.fetched)
            self._remember(position)
        self.position = position
        return True

    def _remember(self, cursor: Any) -> None:
        if cursor is None or self.pages.style != "cursor" or not _hashable(cursor):
            return
        self._recent.append(cursor)
        self._seen.add(cursor)
        if len(self._recent) > MAX_REMEMBERED_CURSORS:
            self._seen.discard(self._recent.popleft())


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


@overload
def iterate(
    fetch: Callable[[Any], Any], pages: Pages, start: Any, item_type: type[TypeForm[T]]
) -> Iterator[T]: ...


@overload
def iterate(
    fetch: Callable[[Any], Any], pages: Pages, start: Any, item_type: type[T]
) -> Iterator[T]: ...


def iterate(fetch: Callable[[Any], Any], pages: Pages, start: Any, item_type: Any) -> Iterator[Any]:
    """Every item of every page, fetching each page only when the previous one is used up.

    ``item_type`` (a class or a :class:`TypeForm`) only types the items: the pages are parsed already.
    """
    walk = _Walk(pages, start)
    while True:
        page = fetch(walk.position)
        items: list[Any] = field_at(page, pages.items) or []
        yield from items
        if not walk.advance(page, len(items)):
            return


@overload
def aiterate(
    fetch: Callable[[Any], Awaitable[Any]], pages: Pages, start: Any, item_type: type[TypeForm[T]]
) -> AsyncIterator[T]: ...


@overload
def aiterate(
    fetch: Callable[[Any], Awaitable[Any]], pages: Pages, start: Any, item_type: type[T]
) -> AsyncIterator[T]: ...


async def aiterate(
    fetch: Callable[[Any], Awaitable[Any]], pages: Pages, start: Any, item_type: Any
) -> AsyncIterator[Any]:
    """The async twin of :func:`iterate`."""
    walk = _Walk(pages, start)
    while True:
        page = await fetch(walk.position)
        items: list[Any] = field_at(page, pages.items) or []
        for item in items:
            yield item
        if not walk.advance(page, len(items)):
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
