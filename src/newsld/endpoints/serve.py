"""Local SPARQL endpoints: :class:`Endpoint` (what ``newsld serve`` runs) and :class:`Server`.

:class:`Endpoint` answers the SPARQL 1.1 Protocol and Graph Store GETs itself, on loopback only,
and runs every query in a worker process it kills at the query timeout or when the client has
gone; it refuses SERVICE unless allowed, writes, and requests whose Host is not this machine.


:class:`Server` starts ``oxigraph serve-read-only`` (or ``serve``, for a writable scratch
store) bound to a loopback address, waits until it answers a query, and stops it by PID:
SIGTERM, then SIGKILL if it has not exited after a grace period. It never outlives its owner:
use it as a context manager, or call :meth:`Server.stop` in a ``finally``; on Linux the server
is also told to stop if its owner dies without stopping it (even by SIGKILL).
"""

from __future__ import annotations

import contextlib
import errno
import http.server
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

from newsld.endpoints import sparqlworker
from newsld.endpoints.errors import ServerError
from newsld.endpoints.query import uses_service
from newsld.endpoints.sparqlworker import die_with_parent
from newsld.rdf.namespaces import NLD, SDO
from newsld.site.paths import anchor, page_path

LOOPBACK = ("127.0.0.1", "::1", "localhost")


class PortTaken(Exception):
    """Another process bound the port first."""


PORT_ATTEMPTS = 5


def listens(pid: int, port: int) -> bool:
    """Whether process ``pid`` holds a TCP socket listening on ``port``.

    Read from /proc on Linux; elsewhere (no /proc) assumed true.
    """
    proc = Path("/proc")
    if not (proc / "net" / "tcp").exists():  # pragma: no cover - not Linux
        return True
    inodes = set()
    for table in ("tcp", "tcp6"):
        with contextlib.suppress(OSError):
            for line in (proc / "net" / table).read_text().splitlines()[1:]:
                fields = line.split()
                local, state, inode = fields[1], fields[3], fields[9]
                if state == "0A" and int(local.rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{inode}]")
    if not inodes:
        return False
    for member in _family(pid):  # the process, or a child it started (a wrapper script)
        try:
            fds = list((proc / str(member) / "fd").iterdir())
        except OSError:
            if member == pid:
                return True  # pragma: no cover - /proc/PID/fd unreadable: cannot tell
            continue
        for fd in fds:
            with contextlib.suppress(OSError):
                if os.readlink(fd) in inodes:
                    return True
    return False


def _family(pid: int) -> list[int]:
    """``pid`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(parent, []).append(int(entry.name))
    family, queue = [], [pid]
    while queue:
        member = queue.pop()
        family.append(member)
        queue.extend(children.get(member, []))
    return family


def oxigraph_binary(explicit: str | None = None) -> str:
    """The ``oxigraph`` executable: ``explicit``, beside this Python, or on PATH."""
    if explicit:
        found = shutil.which(explicit)
        if found is None:
            raise ServerError(f"{explicit}: no such executable")
        return found
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("oxigraph")
    if found is None:
        raise ServerError(
            "the oxigraph server is not installed: `pip install oxigraph` (or pass --oxigraph PATH)"
        )
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nothing listens on right now (the OS picks it)."""
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


@dataclass(frozen=True)
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 7878  # 0: any free port
    read_only: bool = True
    union_default_graph: bool = True  # queries see all named graphs without GRAPH
    oxigraph: str | None = None  # the executable (default: found as oxigraph_binary says)
    ready_timeout: float = 30.0
    stop_grace: float = 5.0


class _Urls:
    """The addresses of an endpoint on ``options.host`` and ``port``."""

    options: ServeOptions | EndpointOptions
    port: int

    @property
    def base_url(self) -> str:
        host = f"[{self.options.host}]" if ":" in self.options.host else self.options.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def store_url(self) -> str:
        return f"{self.base_url}/store"


class Server(_Urls):
    def __init__(self, location: Path, options: ServeOptions | None = None) -> None:
        self.location = location
        self.options = options or ServeOptions()
        if self.options.host not in LOOPBACK:
            raise ServerError(
                f"refusing to serve on {self.options.host}: newsld serves on loopback only "
                "(127.0.0.1); put a reverse proxy in front to publish it"
            )
        self.port = self.options.port
        self.process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def command(self) -> list[str]:
        mode = "serve-read-only" if self.options.read_only else "serve"
        bind = f"{self.options.host}:{self.port}"
        if ":" in self.options.host:
            bind = f"[{self.options.host}]:{self.port}"
        command = [oxigraph_binary(self.options.oxigraph), mode, "--location", str(self.location)]
        command += ["--bind", bind]
        if self.options.union_default_graph:
            command.append("--union-default-graph")
        return command

    def start(self) -> Server:
        """Start the server and wait until it answers.

        With port 0 a free port is picked; if another process takes it between the pick and
        the server's bind (a race no free-port probe can close), another port is tried.
        """
        if self.process is not None:
            return self
        pick = self.options.port == 0
        if not pick and port_in_use(self.options.host, self.port):
            raise ServerError(
                f"port {self.port} on {self.options.host} is in use: "
                "choose another with --port (0 picks a free one)"
            )
        for attempt in range(PORT_ATTEMPTS if pick else 1):
            if pick:
                self.port = free_port(self.options.host)
            try:
                self._launch()
                return self
            except PortTaken:
                if attempt == PORT_ATTEMPTS - 1 or not pick:
                    raise ServerError(
                        f"port {self.port} on {self.options.host} was taken by another "
                        "process while oxigraph started: choose another with --port"
                    ) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _launch(self) -> None:
        command = self.command()
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop())
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=self._log,
            start_new_session=True,  # Ctrl-C reaches us; we stop the server ourselves
            preexec_fn=die_with_parent,
        )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            self.process = None
            raise

    def _output(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        text = self._log.read().decode("utf-8", "replace").strip()
        return " ".join(text.split())[-600:]

    def _wait_until_ready(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + self.options.ready_timeout
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            while True:
                code = self.process.poll()
                if code is not None:
                    said = self._output() or "no output"
                    if "address already in use" in said.lower():
                        raise PortTaken(said)
                    raise ServerError(f"oxigraph exited with code {code} at start: {said}")
                try:
                    answer = client.get(self.query_url, params={"query": "ASK {}"})
                    # the answer must come from our process, not one that took the port
                    if answer.status_code == 200 and listens(self.process.pid, self.port):
                        return
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise ServerError(
                        f"oxigraph did not answer on {self.base_url} within "
                        f"{self.options.ready_timeout:g} s: {self._output() or 'no output'}"
                    )
                time.sleep(0.05)

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def wait(self, timeout: float | None = None) -> int | None:
        """Block until the server exits (its code), or ``timeout`` passes (None)."""
        if self.process is None:
            return None
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self) -> int | None:
        """Stop the server by PID: SIGTERM, then SIGKILL after the grace period. Idempotent.

        The signals go to the server's process group (its PID: it was started in a session of
        its own), so a wrapper script's oxigraph child stops with it.
        """
        process = self.process
        code = None
        if process is not None:
            if process.poll() is None:
                _signal(process.pid, signal.SIGTERM)
                try:
                    process.wait(self.options.stop_grace)
                except subprocess.TimeoutExpired:
                    _signal(process.pid, signal.SIGKILL)
                    process.wait()
            if _group_alive(process.pid):  # the leader is gone, a child of it is not
                deadline = time.monotonic() + self.options.stop_grace
                while _group_alive(process.pid) and time.monotonic() < deadline:
                    time.sleep(0.05)
                _signal(process.pid, signal.SIGKILL)
            code = process.returncode
        if self._log is not None:
            self._log.close()
            self._log = None
        return code

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _signal(pid: int, sig: signal.Signals) -> None:
    """Signal the process group ``pid`` leads (or the process alone, if it leads none)."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    return True


# --------------------------------------------------------------------------- newsld serve
# `newsld serve` answers HTTP itself and runs each query in a worker process
# (.sparqlworker) it can kill: at the query timeout, or when the client has gone. The
# oxigraph server (Server above) cannot do either — its --timeout-s does not stop a COUNT over
# a cross product — and it runs SERVICE clauses, which any web page open in a browser on this
# machine could send it. Server stays for writable scratch stores (the load tests).

MAX_QUERY_BYTES = 1_000_000
SITE_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
}
RESOURCE_TYPES = ("text/html", "text/turtle", "application/ld+json", "application/n-triples")
_IRI_UNSAFE = frozenset('<>"{}|^`\\ ')


def negotiate(accept: str) -> str | None:
    """The format to answer a release IRI in: HTML, Turtle, JSON-LD or N-Triples by the Accept
    header (its q values and order); HTML when it accepts anything; None: none of them."""
    for media in sparqlworker.ranked(accept or "*/*"):
        if media in RESOURCE_TYPES:
            return media
        if media in ("*/*", "text/*"):
            return "text/html"
        if media == "application/*":
            return "application/ld+json"
    return None


def _release_iri(base: str | None, path: str) -> str | None:
    """The release IRI a request path names (``{base}'s host`` + path), if under ``base``."""
    if not base:
        return None
    parts = urllib.parse.urlsplit(base)
    iri = f"{parts.scheme}://{parts.netloc}{urllib.parse.unquote(path)}"
    if not iri.startswith(base) or iri == base or iri.endswith(".html"):
        return None
    if any(ch in _IRI_UNSAFE or ord(ch) < 0x21 for ch in iri):
        return None
    return iri


def _site_file(site: Path | None, path: str) -> Path | None:
    """The file of the site a request path names ("/" is the home page); never outside it."""
    if site is None:
        return None
    relative_path = urllib.parse.unquote(path).lstrip("/") or "index.html"
    root = site.resolve()
    target = (root / relative_path).resolve()
    if target.is_dir():
        target = target / "index.html"
    if root not in target.parents or not target.is_file() or target.name.startswith("."):
        return None
    return target


LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "[::1]", "::1"})


@dataclass(frozen=True)
class EndpointOptions:
    host: str = "127.0.0.1"
    port: int = 7878  # 0: any free port
    union_default_graph: bool = True  # queries see all named graphs without GRAPH
    query_timeout: float = 30.0  # seconds; 0: no limit
    allow_service: bool = False  # run queries with SERVICE (requests to other servers)
    workers: int = max(2, os.cpu_count() or 2)  # queries running at once
    site: Path | None = None  # the static site (newsld site), served at /
    base_iri: str | None = None  # the release's base IRI: its IRIs are answered by path


class _Http(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False  # a port in use is an error, not shared


class _Http6(_Http):
    address_family = socket.AF_INET6


class Endpoint(_Urls):
    """A read-only SPARQL 1.1 endpoint (Protocol and Graph Store GET) over a store folder,
    on loopback only, every query in a worker process with a deadline."""

    def __init__(self, location: Path, options: EndpointOptions | None = None) -> None:
        self.location = location
        self.options = options or EndpointOptions()
        if self.options.host not in LOOPBACK:
            raise ServerError(
                f"refusing to serve on {self.options.host}: newsld serves on loopback only "
                "(127.0.0.1); put a reverse proxy in front to publish it"
            )
        self._slots = threading.BoundedSemaphore(self.options.workers)
        self._workers: set[subprocess.Popen[bytes]] = set()
        self._lock = threading.Lock()
        self._httpd: _Http | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._httpd.server_address[1] if self._httpd else self.options.port

    def start(self) -> Endpoint:
        server_class = _Http6 if ":" in self.options.host else _Http
        try:
            self._httpd = server_class((self.options.host, self.options.port), _handler(self))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise ServerError(
                    f"port {self.options.port} on {self.options.host} is in use: "
                    "choose another with --port (0 picks a free one)"
                ) from None
            raise ServerError(f"cannot listen on {self.options.host}: {error}") from None
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop answering and kill the queries still running. Idempotent."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        with self._lock:
            workers = list(self._workers)
        for process in workers:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
        if self._thread is not None:
            self._thread.join(5)

    def workers(self) -> list[int]:
        """PIDs of the query workers running now."""
        with self._lock:
            return [p.pid for p in self._workers if p.poll() is None]

    def _track(self, process: subprocess.Popen[bytes]) -> None:
        with self._lock:
            self._workers.add(process)

    def _untrack(self, process: subprocess.Popen[bytes] | None) -> None:
        if process is not None:
            with self._lock:
                self._workers.discard(process)

    def run(self, request: sparqlworker.Request, gone: Callable[[], bool]) -> sparqlworker.Answer:
        """Run one query or dump in a worker, at most ``workers`` at once."""
        timeout = self.options.query_timeout or None
        if not self._slots.acquire(timeout=timeout):
            raise sparqlworker.QueryTimeout(self.options.query_timeout)
        started: list[subprocess.Popen[bytes]] = []

        def track(process: subprocess.Popen[bytes]) -> None:
            started.append(process)
            self._track(process)

        try:
            return sparqlworker.run(request, timeout, cancelled=gone, started=track)
        finally:
            self._untrack(started[0] if started else None)
            self._slots.release()

    def __enter__(self) -> Endpoint:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _client_gone(connection: socket.socket) -> bool:
    """Whether the client closed its side of the connection (reads would give EOF)."""
    try:
        readable, _, _ = select.select([connection], [], [], 0)
        return bool(readable) and connection.recv(1, socket.MSG_PEEK) == b""
    except (OSError, ValueError):
        return True


def _handler(endpoint: Endpoint) -> type[http.server.BaseHTTPRequestHandler]:
    options = endpoint.options

    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "newsld-serve"
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def _send(self, status: int, body: bytes, media_type: str = "text/plain") -> None:
            self.send_response(status)
            self.send_header("content-type", media_type)
            self.send_header("content-length", str(len(body)))
            self.send_header("x-content-type-options", "nosniff")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def _error(self, status: int, message: str) -> None:
            self._send(status, (message + "\n").encode("utf-8"), "text/plain; charset=utf-8")

        def _host_ok(self) -> bool:
            """Only names of this machine: a web page that rebinds its own domain name to
            127.0.0.1 (DNS rebinding) sends its own name, and is refused."""
            host = (self.headers.get("host") or "").strip().lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            return name in LOOPBACK_HOSTS

        def _body(self) -> bytes | None:
            length = int(self.headers.get("content-length") or 0)
            if length > MAX_QUERY_BYTES:
                self._error(413, f"request body over {MAX_QUERY_BYTES} bytes")
                self.close_connection = True
                return None
            return self.rfile.read(length) if length else b""

        def do_GET(self) -> None:
            self._dispatch(None)

        do_HEAD = do_GET

        def do_POST(self) -> None:
            body = self._body()
            if body is not None:
                self._dispatch(body)

        def do_PUT(self) -> None:
            self._body()
            self._error(405, "read-only endpoint: the release cannot be changed here")

        do_DELETE = do_PATCH = do_PUT

        def _dispatch(self, body: bytes | None) -> None:
            if not self._host_ok():
                self._error(403, "unknown Host: this endpoint answers requests to 127.0.0.1 only")
                return
            parts = urllib.parse.urlsplit(self.path)
            params = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
            if parts.path == "/query":
                self._query(params, body)
            elif parts.path == "/store" and body is None:
                self._store(params)
            elif parts.path in ("/update", "/store"):
                self._error(405, "read-only endpoint: the release cannot be changed here")
            elif body is None and (file := _site_file(options.site, parts.path)):
                self._file(file)
            elif body is None and (iri := _release_iri(options.base_iri, parts.path)):
                self._resource(iri)
            else:
                self._error(
                    404, "not found: SPARQL queries go to /query, Graph Store GET to /store"
                )

        def _file(self, path: Path) -> None:
            media = SITE_TYPES.get(path.suffix, "application/octet-stream")
            self._send(200, path.read_bytes(), media)

        def _resource(self, iri: str) -> None:
            """A release IRI: its page (303), or its triples in Turtle or JSON-LD."""
            chosen = negotiate(self.headers.get("accept") or "")
            if chosen is None:
                self._error(406, "not acceptable: ask for text/html, text/turtle or JSON-LD")
                return
            where = f"<{iri}>"
            try:
                known = endpoint.run(
                    sparqlworker.Request(
                        str(endpoint.location),
                        f"ASK {{ {where} ?p ?o }}",
                        accept="application/sparql-results+json",
                    ),
                    lambda: _client_gone(self.connection),
                )
                if b"true" not in known.body:
                    self._error(404, f"not in the release: {iri}")
                    return
                if chosen == "text/html":
                    page = self._page(iri)
                    if page is None:
                        self._error(404, f"no page in the site for {iri}")
                        return
                    self.send_response(303)
                    self.send_header("location", "/" + page)
                    self.send_header("vary", "accept")
                    self.send_header("content-length", "0")
                    self.end_headers()
                    return
                answer = endpoint.run(
                    sparqlworker.Request(
                        str(endpoint.location),
                        f"CONSTRUCT {{ {where} ?p ?o }} WHERE {{ {where} ?p ?o }}",
                        accept=chosen,
                    ),
                    lambda: _client_gone(self.connection),
                )
            except (sparqlworker.QueryTimeout, sparqlworker.WorkerError) as error:
                self._error(503, f"cannot describe {iri} now: {error}")
                return
            except sparqlworker.Cancelled:
                self.close_connection = True
                return
            self._send(200, answer.body, answer.media_type)

        def _page(self, iri: str) -> str | None:
            """Where the site shows ``iri``: its own page, or its article's page."""
            site, base = options.site, options.base_iri
            if site is None or base is None:
                return None
            own = page_path(iri, base)
            if own is not None:
                return own if (site / own).is_file() else None
            # a claim, review or appearance: an anchor on the page of the article reporting it
            query = (
                f"SELECT ?a WHERE {{ {{ <{iri}> <{NLD.source}> ?a }} UNION "
                f"{{ <{iri}> <{SDO.firstAppearance}>/<{NLD.source}> ?a }} UNION "
                f"{{ <{iri}> <{SDO.itemReviewed}>/<{NLD.source}> ?a }} }} ORDER BY ?a LIMIT 1"
            )
            answer = endpoint.run(
                sparqlworker.Request(
                    str(endpoint.location), query, accept="application/sparql-results+json"
                ),
                lambda: _client_gone(self.connection),
            )
            rows = json.loads(answer.body)["results"]["bindings"]
            article = page_path(rows[0]["a"]["value"], base) if rows else None
            if article is None or not (site / article).is_file():
                return None
            return f"{article}#{anchor(iri)}"

        def _query(self, params: dict[str, list[str]], body: bytes | None) -> None:
            kind = (self.headers.get("content-type") or "").split(";", 1)[0].strip().lower()
            if body is not None and kind == "application/sparql-query":
                text = body.decode("utf-8", "replace")
            elif body is not None and kind == "application/x-www-form-urlencoded":
                form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
                text = form.get("query", [""])[0]
            elif body is None:
                text = params.get("query", [""])[0]
            else:
                self._error(415, f"unsupported content type {kind or '(none)'}")
                return
            if not text.strip():
                self._error(400, "no query: give it as the query parameter")
                return
            if not options.allow_service and uses_service(text):
                self._error(
                    400,
                    "refused: the query uses SERVICE, which would make this endpoint send "
                    "requests to other servers; start newsld serve with --allow-service to "
                    "allow it",
                )
                return
            request = sparqlworker.Request(
                str(endpoint.location),
                text,
                union_default_graph=options.union_default_graph,
                accept=self.headers.get("accept") or "",
            )
            self._answer(request)

        def _store(self, params: dict[str, list[str]]) -> None:
            graph: str | None = None
            if "graph" in params:
                graph = params["graph"][0]
                if not graph:
                    self._error(400, "empty graph parameter")
                    return
            elif "default" in params:
                graph = ""
            request = sparqlworker.Request(
                str(endpoint.location),
                None,
                union_default_graph=options.union_default_graph,
                accept=self.headers.get("accept") or "",
                graph=graph,
            )
            self._answer(request)

        def _answer(self, request: sparqlworker.Request) -> None:
            try:
                answer = endpoint.run(request, lambda: _client_gone(self.connection))
            except sparqlworker.QueryTimeout as error:
                self._error(
                    503, f"{error} (newsld serve --query-timeout {error.seconds:g}); narrow it"
                )
            except sparqlworker.Cancelled:
                self.close_connection = True
            except sparqlworker.WorkerSyntaxError as error:
                self._error(400, f"syntax error: {error}")
            except sparqlworker.WorkerError as error:
                self._error(500, f"the query failed: {error}")
            else:
                self._send(200, answer.body, answer.media_type)

    return Handler
