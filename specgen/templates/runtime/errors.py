"""Every error the client raises, in one hierarchy.

Catch ``APIError`` for everything, ``APIStatusError`` (or a subclass such as ``NotFoundError``) for
an error answer from the server, ``APIConnectionError`` when no answer came. Messages and reprs show
the method, URL, status and body, never the request headers, so a credential cannot leak into logs;
a credential sent in the query shows as ``***`` in the URL (:func:`shown_url`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import unquote_plus

if TYPE_CHECKING:
    import httpx

_BODY_EXCERPT = 500
#: The request extension in which the client lists the query parameters that carry credentials.
CREDENTIAL_PARAMS = "credential_params"
#: What the value of such a parameter shows as.
REDACTED = "***"


class APIError(Exception):
    """Base class of every error raised by this client."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MissingCredentialsError(APIError):
    """No credential was passed to the client and none was found in the environment."""


class InvalidCredentialsError(APIError):
    """A credential that cannot be sent: refused when the client is created, never shown.

    A credential sent as it is in a header must be printable ASCII (a control character, a non-ASCII
    letter, a no-break space or a typographic quote pasted with it would fail deep in the HTTP stack,
    quoting the whole credential). A basic-auth username or password is sent base64-encoded, so only
    a control character is refused there.
    """


class APIConnectionError(APIError):
    """The request never got an HTTP answer (DNS, refused or reset connection, TLS, ...)."""

    def __init__(self, request: httpx.Request, message: str = "") -> None:
        super().__init__(
            message or f"Connection error during {request.method} {shown_url(request)}"
        )
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool)."""

    def __init__(self, request: httpx.Request) -> None:
        super().__init__(request, f"Request timed out: {request.method} {shown_url(request)}")


class APIResponseValidationError(APIError):
    """A success response whose body does not match the spec's schema."""

    def __init__(self, response: httpx.Response, detail: str) -> None:
        self.response = response
        self.status_code = response.status_code
        self.body = lenient_text(response)
        super().__init__(
            f"{response.status_code} response from {response.request.method} "
            f"{shown_url(response.request)} does not match the schema: {detail}\nBody: {_excerpt(self.body)}"
        )


class APIResponseDecodingError(APIError):
    """A response whose body cannot be decoded as its headers describe it.

    Its ``Content-Encoding`` (gzip, deflate, ...) is corrupt, or a success body is not valid in its
    charset (UTF-8 unless ``Content-Type`` names another), or names a charset Python does not know
    as a text encoding. Raised for an error status too when its body cannot be read at all (a
    corrupt ``Content-Encoding``); an error body that is only mis-encoded still raises the status's
    class, its undecodable bytes replaced by U+FFFD.

    Attributes:
        response: The ``httpx.Response``; its headers are intact, its body may be unreadable.
        request: The ``httpx.Request`` it answers.
        status_code: Its HTTP status.
        headers: Its headers (``Content-Encoding`` and ``Content-Type`` tell what went wrong).
    """

    def __init__(self, response: httpx.Response, detail: str) -> None:
        self.response = response
        self.request = response.request
        self.status_code = response.status_code
        self.headers = response.headers
        super().__init__(
            f"{response.status_code} response from {self.request.method} {shown_url(self.request)} "
            f"could not be decoded: {detail}"
        )


class PaginationError(APIError):
    """A paginated listing that cannot go on: the server's cursors lead back to a page already read.

    Iterating again would yield the same items forever, so iteration stops with this error instead.

    Attributes:
        cursor: The cursor the server sent again.
        pages: How many pages had been fetched when the cycle showed.
    """

    def __init__(self, cursor: object, pages: int) -> None:
        self.cursor = cursor
        self.pages = pages
        super().__init__(
            f"The server's cursors form a cycle: page {pages} points back to the cursor "
            f"{_excerpt(repr(cursor), 100)}, already requested; stopped instead of looping forever"
        )


class APIStatusError(APIError):
    """The server answered with an error status (4xx or 5xx).

    ``error`` is the body parsed into the provider's error model when the spec documents one for
    this status (None when it does not, or when the body does not match it); ``body`` is the raw text.
    """

    def __init__(self, response: httpx.Response, error: Any = None) -> None:
        self.response = response
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = lenient_text(response)
        self.error = error
        request = response.request
        super().__init__(
            f"{response.status_code} {response.reason_phrase} from {request.method} {shown_url(request)}: "
            f"{_excerpt(self.body)}"
        )


class BadRequestError(APIStatusError):
    """400: the request was malformed."""


class AuthenticationError(APIStatusError):
    """401: the credential is missing, wrong or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the credential is valid but not allowed to do this."""


class NotFoundError(APIStatusError):
    """404: the resource does not exist."""


class ConflictError(APIStatusError):
    """409: the request conflicts with the resource's current state."""


class UnprocessableEntityError(APIStatusError):
    """422: the request was well-formed but its content was rejected."""


class RateLimitError(APIStatusError):
    """429: too many requests; retried automatically before this is raised."""


class InternalServerError(APIStatusError):
    """5xx: the server failed; retried automatically before this is raised."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    422: UnprocessableEntityError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The most specific error class for an HTTP status."""
    if status_code >= 500:
        return InternalServerError
    return _BY_STATUS.get(status_code, APIStatusError)


def shown_url(request: httpx.Request) -> str:
    """The request's URL as a message, a repr or a log line shows it: every URL the client prints
    goes through here, so a credential sent in the query never shows.

    The value of each query parameter the client listed in the request's ``credential_params``
    extension is replaced by ``***``; the rest of the URL is shown as it was sent.
    """
    url = str(request.url)
    names = request.extensions.get(CREDENTIAL_PARAMS)
    if not names or "?" not in url:
        return url
    start, _, rest = url.partition("?")
    query, hash_sign, fragment = rest.partition("#")
    fields = [_redacted(field, names) for field in query.split("&")]
    return f"{start}?{'&'.join(fields)}{hash_sign}{fragment}"


def _redacted(field: str, names: frozenset[str]) -> str:
    """One ``name=value`` field of a query, its value hidden when ``name`` (decoded) is in ``names``."""
    name = field.partition("=")[0]
    return f"{name}={REDACTED}" if unquote_plus(name) in names else field


def lenient_text(response: httpx.Response) -> str:
    """The body as text for an error: it must not fail while reporting another failure.

    Its charset if Python knows it as a text encoding (else UTF-8), undecodable bytes replaced by
    U+FFFD. ``response.text`` is not enough: a charset such as ``base64`` or ``rot13`` makes it raise.
    """
    content = response.content
    try:
        return content.decode(response.charset_encoding or "utf-8", "replace")
    except (LookupError, ValueError, TypeError):
        return content.decode("utf-8", "replace")


def _excerpt(text: str, limit: int = _BODY_EXCERPT) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "..."
