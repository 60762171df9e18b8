"""What went wrong with an endpoint, in terms a user can act on: :class:`EndpointError` (of an
:class:`ErrorKind`), :class:`CredentialsError`, :class:`ServerError`. No HTTP client is imported
here, so code that only reports these (a query on the embedded store, the CLI) starts without
one; :mod:`newsld.endpoints.remote` and :mod:`newsld.endpoints.serve` raise them."""

from __future__ import annotations

from enum import StrEnum


class ErrorKind(StrEnum):
    UNREACHABLE = "unreachable"  # connection refused, DNS, reset
    TIMEOUT = "timeout"  # connected but no answer in time
    AUTH = "auth"  # 401 or 403
    NOT_FOUND = "not-found"  # 404: wrong URL
    REDIRECT = "redirect"  # 3xx: the URL moved
    REJECTED = "rejected"  # 4xx/5xx for this request (bad data, server error)
    NOT_SPARQL = "not-sparql"  # answered, but not with what a SPARQL endpoint answers


class EndpointError(Exception):
    """A request to an endpoint failed; ``str()`` is a message for the user."""

    def __init__(
        self,
        kind: ErrorKind,
        message: str,
        *,
        url: str,
        status: int | None = None,
        text: str | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.url = url
        self.status = status
        self.text = text

    @property
    def fatal(self) -> bool:
        """Whether the endpoint is unusable (as opposed to refusing one request's data)."""
        return self.kind is not ErrorKind.REJECTED or self.status in (405, 501)


class CredentialsError(Exception):
    """A credentials source that cannot be used (e.g. a netrc file others can read)."""


class ServerError(Exception):
    """The server cannot be started (not installed, port busy, crashed at start)."""
