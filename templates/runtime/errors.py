"""Every error the client raises, in one hierarchy.

Catch ``APIError`` for everything, ``APIStatusError`` (or a subclass such as ``NotFoundError``) for
an error answer from the server, ``APIConnectionError`` when no answer came. Messages and reprs show
the method, URL, status and body, never the request headers, so a credential cannot leak into logs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import httpx

_BODY_EXCERPT = 500


class APIError(Exception):
    """Base class of every error raised by this client."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MissingCredentialsError(APIError):
    """No credential was passed to the client and none was found in the environment."""


class InvalidCredentialsError(APIError):
    """A credential that cannot be sent in a header (it holds a control character)."""


class APIConnectionError(APIError):
    """The request never got an HTTP answer (DNS, refused or reset connection, TLS, ...)."""

    def __init__(self, request: httpx.Request, message: str = "") -> None:
        super().__init__(message or f"Connection error during {request.method} {request.url}")
        self.request = request


class APITimeoutError(APIConnectionError):
    """The request timed out (connect, read, write or pool)."""

    def __init__(self, request: httpx.Request) -> None:
        super().__init__(request, f"Request timed out: {request.method} {request.url}")


class APIResponseValidationError(APIError):
    """A success response whose body does not match the spec's schema."""

    def __init__(self, response: httpx.Response, detail: str) -> None:
        self.response = response
        self.status_code = response.status_code
        self.body = response.text
        super().__init__(
            f"{response.status_code} response from {response.request.method} {response.request.url} "
            f"does not match the schema: {detail}\nBody: {_excerpt(self.body)}"
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
        self.body = response.text
        self.error = error
        request = response.request
        super().__init__(
            f"{response.status_code} {response.reason_phrase} from {request.method} {request.url}: "
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


def _excerpt(text: str) -> str:
    text = text.strip()
    return text if len(text) <= _BODY_EXCERPT else text[:_BODY_EXCERPT] + "..."
