"""Talking to SPARQL endpoints over HTTP: authentication, retries, and errors a user can act on.

Every request goes through :meth:`Remote.request`, which retries connection failures, timeouts,
"busy" answers (429, 502, 503, 504) and transactions the store aborted on a deadlock (a 500
saying so) with exponential backoff, and turns every other failure
into an :class:`EndpointError` carrying the endpoint's own error text (HTML error pages are
reduced to their text). Authentication is basic, digest, or ``auto``: nothing is sent until the
server asks, then the scheme its ``WWW-Authenticate`` header names is used.

The timeout is a deadline for the whole exchange, not for each read: every socket operation
of a request gets at most the time left until ``Settings.timeout`` seconds after the request
began, so an endpoint that trickles its answer a byte at a time cannot hold newsld longer.
"""

from __future__ import annotations

import html
import netrc
import os
import re
import ssl
import stat
import threading
import time
import typing
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpcore
import httpx

from newsld import __version__
from newsld.endpoints.errors import CredentialsError, EndpointError, ErrorKind

RETRY_STATUSES = frozenset({429, 502, 503, 504})
MAX_ERROR_TEXT = 600


class AuthScheme(StrEnum):
    auto = "auto"
    basic = "basic"
    digest = "digest"


@dataclass(frozen=True)
class Settings:
    user: str | None = None
    password: str | None = None
    auth: AuthScheme = AuthScheme.auto
    timeout: float = 60.0  # seconds for each request attempt, whole answer included
    retries: int = 3  # further attempts after a connection failure, timeout, 503 or deadlock
    backoff: float = 0.5  # seconds before the first retry; doubles each time (at most 30)


class AutoAuth(httpx.Auth):
    """Answer the server's challenge with the scheme it asks for (basic or digest)."""

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._chosen: httpx.Auth | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._chosen is not None:
            yield from self._chosen.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        scheme = response.headers.get("www-authenticate", "").split(" ", 1)[0].lower()
        self._chosen = self._digest if scheme == "digest" else self._basic
        yield from self._chosen.auth_flow(request)


def _auth(settings: Settings) -> httpx.Auth | None:
    if settings.user is None:
        return None
    password = settings.password or ""
    if settings.auth is AuthScheme.basic:
        return httpx.BasicAuth(settings.user, password)
    if settings.auth is AuthScheme.digest:
        return httpx.DigestAuth(settings.user, password)
    return AutoAuth(settings.user, password)


_TAG = re.compile(r"<[^>]*>")
_HIDDEN = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def error_text(response: httpx.Response) -> str:
    """The endpoint's own explanation, as one line of plain text (HTML pages stripped)."""
    try:
        body = response.text
    except (UnicodeDecodeError, httpx.ResponseNotRead):
        return ""
    kind = response.headers.get("content-type", "")
    if "html" in kind or body.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        body = _TAG.sub(" ", _HIDDEN.sub(" ", body))
        body = html.unescape(body)
    text = " ".join(body.split())
    if len(text) > MAX_ERROR_TEXT:
        text = text[: MAX_ERROR_TEXT - 1] + "…"
    return text


def _describe(response: httpx.Response) -> str:
    reason = response.reason_phrase or ""
    return f"{response.status_code} {reason}".strip()


def status_error(response: httpx.Response, what: str, settings: Settings) -> EndpointError:
    """The error for a non-2xx answer, with a hint where we can guess the fix."""
    url = str(response.request.url.copy_with(query=None))
    status = response.status_code
    text = error_text(response)
    said = f": {text}" if text else ""
    server = response.headers.get("server", "")
    if status in (401, 403):
        if settings.user is None:
            hint = "give --user, and the password in NEWSLD_PASSWORD or a netrc file (--netrc)"
            if "virtuoso" in server.lower():
                hint = (
                    "Virtuoso refuses anonymous writes: give --user, and the password in "
                    "NEWSLD_PASSWORD or a netrc file "
                    "(newsld then uses /sparql-graph-crud-auth with digest auth)"
                )
        else:
            hint = f"check the user name, password and --auth (now {settings.auth.value})"
            if status == 403:
                hint = f"the user {settings.user!r} may not do this; grant it write access"
        message = f"{url} refused to {what} ({_describe(response)}){said}; {hint}"
        return EndpointError(ErrorKind.AUTH, message, url=url, status=status, text=text)
    if status == 404:
        message = f"{url} does not exist ({_describe(response)}){said}; check the URL"
        return EndpointError(ErrorKind.NOT_FOUND, message, url=url, status=status, text=text)
    if 300 <= status < 400:
        location = response.headers.get("location", "?")
        message = f"{url} redirects to {location} ({_describe(response)}); use that URL instead"
        return EndpointError(ErrorKind.REDIRECT, message, url=url, status=status, text=text)
    message = f"{url} could not {what}: the endpoint answered {_describe(response)}{said}"
    return EndpointError(ErrorKind.REJECTED, message, url=url, status=status, text=text)


class _Deadline(threading.local):
    """The monotonic time by which the current thread's request must be done (None: none)."""

    at: float | None = None

    def bound(self, timeout: float | None, exception: type[Exception]) -> float | None:
        """``timeout`` cut to the time left; the exception when none is left."""
        if self.at is None:
            return timeout
        left = self.at - time.monotonic()
        if left <= 0:
            raise exception("the request's deadline passed")
        return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, inner: httpcore.NetworkStream, deadline: _Deadline) -> None:
        self._inner, self._deadline = inner, deadline

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._deadline.bound(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._deadline.bound(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self,
        ssl_context: ssl.SSLContext,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        bounded = self._deadline.bound(timeout, httpcore.ConnectTimeout)
        return _DeadlineStream(
            self._inner.start_tls(ssl_context, server_hostname, bounded), self._deadline
        )

    def get_extra_info(self, info: str) -> typing.Any:
        return self._inner.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, with every operation bounded by the request's deadline."""

    def __init__(self, deadline: _Deadline) -> None:
        self._inner = httpcore.SyncBackend()
        self._deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:
        bounded = self._deadline.bound(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_tcp(host, port, bounded, local_address, socket_options)
        return _DeadlineStream(stream, self._deadline)

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: typing.Iterable[typing.Any] | None = None,
    ) -> httpcore.NetworkStream:  # pragma: no cover - no unix sockets here
        bounded = self._deadline.bound(timeout, httpcore.ConnectTimeout)
        stream = self._inner.connect_unix_socket(path, bounded, socket_options)
        return _DeadlineStream(stream, self._deadline)

    def sleep(self, seconds: float) -> None:  # pragma: no cover
        self._inner.sleep(seconds)


class DeadlineTransport(httpx.HTTPTransport):
    """httpx's transport over :class:`_DeadlineBackend` (no proxies: ``trust_env`` is off)."""

    def __init__(self, deadline: _Deadline) -> None:
        super().__init__(trust_env=False)
        # httpx has no public way to pass a network backend: replace the pool it made with the
        # same one over ours (requirements.lock pins httpx; tests/issues/test_012_endpoints.py
        # fails if this stops bounding the request)
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=_DeadlineBackend(deadline),
        )


class Remote:
    """An HTTP client for one or more endpoint URLs with the same credentials."""

    def __init__(
        self,
        settings: Settings | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self._sleep = sleep
        self._deadline = _Deadline()
        self.client = httpx.Client(
            auth=_auth(self.settings),
            timeout=httpx.Timeout(self.settings.timeout),
            follow_redirects=False,
            headers={"user-agent": f"newsld/{__version__}"},
            transport=transport or DeadlineTransport(self._deadline),
            trust_env=False,
        )
        self.requests = 0
        self.retried = 0
        self._count = threading.Lock()  # requests may come from several threads

    def __enter__(self) -> Remote:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.client.close()

    def request(
        self,
        method: str,
        url: str,
        what: str,
        *,
        params: dict[str, str] | None = None,
        content: bytes | None = None,
        data: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        accept_statuses: Iterable[int] = (),
    ) -> httpx.Response:
        """Send one request, retrying transient failures; raise :class:`EndpointError` else.

        ``what`` completes "could not …" in messages (e.g. "store graph <…>").
        ``accept_statuses`` are non-2xx statuses the caller handles itself (e.g. 404 on DELETE).
        """
        accepted = set(accept_statuses)
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            response: httpx.Response | None = None
            with self._count:
                self.requests += 1
            self._deadline.at = time.monotonic() + self.settings.timeout
            try:
                response = self.client.request(
                    method, url, params=params, content=content, data=data, headers=headers
                )
            except httpx.TimeoutException as error:
                if last:
                    raise EndpointError(
                        ErrorKind.TIMEOUT,
                        f"{url} did not answer within {self.settings.timeout:g} s "
                        f"({attempts} attempt(s), {type(error).__name__}; --timeout bounds the "
                        "whole answer, not each read); is the endpoint busy, hung or "
                        "trickling its answer? raise --timeout for slow stores",
                        url=url,
                    ) from None
            except httpx.TransportError as error:
                if last:
                    reason = str(error) or type(error).__name__
                    raise EndpointError(
                        ErrorKind.UNREACHABLE,
                        f"cannot reach {url}: {reason} ({attempts} attempt(s)); "
                        "is the endpoint running and the URL right?",
                        url=url,
                    ) from None
            finally:
                self._deadline.at = None
            if response is not None:
                if (response.status_code in RETRY_STATUSES or _deadlock(response)) and not last:
                    response.close()
                elif response.is_success or response.status_code in accepted:
                    return response
                else:
                    raise status_error(response, what, self.settings)
            with self._count:
                self.retried += 1
            self._sleep(min(30.0, self.settings.backoff * 2**attempt))
        raise AssertionError("unreachable")  # pragma: no cover


_DEADLOCK = re.compile(r"deadlock|\bSR172\b|\b40001\b", re.IGNORECASE)


def _deadlock(response: httpx.Response) -> bool:
    """A 500 that says the store aborted the transaction to break a deadlock (Virtuoso: "Error
    40001 SR172: Transaction deadlocked" when graphs are written in parallel): nothing was
    written, so the same request can be sent again."""
    return response.status_code == 500 and bool(_DEADLOCK.search(error_text(response)))


def content_type(response: httpx.Response) -> str:
    return response.headers.get("content-type", "").split(";", 1)[0].strip().lower()


def not_sparql(response: httpx.Response, expected: str) -> EndpointError:
    url = str(response.request.url.copy_with(query=None))
    kind = content_type(response) or "no content type"
    text = error_text(response)
    said = f": {text[:200]}" if text else ""
    return EndpointError(
        ErrorKind.NOT_SPARQL,
        f"{url} answered {kind}, not {expected}: is it a SPARQL endpoint?{said}",
        url=url,
        status=response.status_code,
        text=text,
    )


# --------------------------------------------------------------------------- endpoint URL shapes

SHAPES = """\
  Oxigraph  query http://HOST:7878/query
            graph store http://HOST:7878/store
  Fuseki    query http://HOST:3030/DATASET/sparql
            graph store http://HOST:3030/DATASET/data
  GraphDB   query http://HOST:7200/repositories/REPO
            graph store http://HOST:7200/repositories/REPO/rdf-graphs/service
  Virtuoso  query http://HOST:8890/sparql
            graph store http://HOST:8890/sparql-graph-crud-auth (digest auth)"""


def _segments(endpoint: str) -> list[str]:
    return [s for s in urlsplit(endpoint).path.split("/") if s]


def store_for(endpoint: str) -> str | None:
    """Which store a SPARQL query endpoint URL looks like (the shapes in SHAPES), if any."""
    segments = _segments(endpoint)
    if segments == ["query"]:
        return "Oxigraph"
    if segments == ["sparql"]:
        return "Virtuoso"
    if len(segments) == 2 and segments[0] == "repositories":  # GraphDB, RDF4J
        return "GraphDB"
    if len(segments) == 2 and segments[1] in ("sparql", "query"):
        return "Fuseki"
    return None


def graph_store_url_for(endpoint: str, authenticated: bool) -> str | None:
    """The Graph Store endpoint that goes with a known SPARQL query endpoint URL shape."""
    parts = urlsplit(endpoint)
    segments = _segments(endpoint)

    def with_path(*path: str) -> str:
        return urlunsplit((parts.scheme, parts.netloc, "/" + "/".join(path), "", ""))

    store = store_for(endpoint)
    if store == "Oxigraph":
        return with_path("store")
    if store == "Virtuoso":  # only the -auth variant takes credentials
        return with_path("sparql-graph-crud-auth" if authenticated else "sparql-graph-crud")
    if store == "GraphDB":
        return with_path(*segments, "rdf-graphs", "service")
    if store == "Fuseki":
        return with_path(segments[0], "data")
    return None


def check_url(url: str, option: str) -> str:
    """An http(s) URL, or ValueError naming the option."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{option}: {url!r} is not an http:// or https:// URL")
    return url


# --------------------------------------------------------------------------- credentials

PASSWORD_ENV = "NEWSLD_PASSWORD"


def default_netrc() -> Path | None:
    """``$NETRC``, else ``~/.netrc``, when it exists."""
    named = os.environ.get("NETRC")
    path = Path(named).expanduser() if named else Path("~/.netrc").expanduser()
    return path if path.is_file() else None


def netrc_login(url: str, path: Path) -> tuple[str | None, str] | None:
    """``(login, password)`` for ``url``'s host in the netrc file ``path`` (its ``default``
    entry otherwise), or None. A file that users other than its owner can read is refused
    when it has an entry to use."""
    host = urlsplit(url).hostname or ""
    try:
        mode = path.stat().st_mode
        entry = netrc.netrc(str(path)).authenticators(host)
    except (netrc.NetrcParseError, OSError) as error:
        raise CredentialsError(f"cannot read the netrc file {path}: {error}") from None
    if entry is None:
        return None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise CredentialsError(
            f"the netrc file {path} can be read by other users (mode {stat.filemode(mode)}): "
            f"refusing to use the passwords in it; chmod 600 {path}"
        )
    login, _, password = entry
    return (login or None), password or ""
