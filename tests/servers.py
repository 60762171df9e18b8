"""Real servers for integration tests, always on 127.0.0.1 and always stopped by PID.

- :func:`oxigraph_server`: the ``oxigraph`` server from PyPI on a free port.
- :class:`Virtuoso`: a private Virtuoso instance (Debian ``virtuoso-opensource``) with its own
  ini in a temporary folder: both ports on 127.0.0.1, a test password set with
  ``USER_SET_PASSWORD``; writes need digest auth on ``/sparql-graph-crud-auth``.
- :func:`silent_server`: accepts connections and never answers (timeouts).
- :func:`canned_server`: answers every request with one fixed status, headers and body.
- :func:`newsld_serve`: ``newsld serve`` itself, in a process of its own.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx

from newsld.endpoints.serve import ServeOptions, Server, die_with_parent, free_port

VIRTUOSO = shutil.which("virtuoso-t")
VIRTUOSO_ISQL = shutil.which("isql-vt") or shutil.which("isql")
VIRTUOSO_PASSWORD = "newsld-test-pw"


def _kill(pid: int | None) -> None:
    if pid is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def stop(process: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    """Stop a server process still running: SIGTERM, then SIGKILL if it lingers."""
    if process.poll() is None:
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            _kill(process.pid)
            process.wait(10)


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped) counts as gone
    with contextlib.suppress(OSError):
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    return True


@contextlib.contextmanager
def oxigraph_server(
    location: Path, *, read_only: bool = False, union_default_graph: bool = True
) -> Iterator[Server]:
    """A read-write (or read-only) Oxigraph server whose queries see the union of graphs
    (``union_default_graph=False``: a plain ``oxigraph serve``, whose default graph is empty
    unless something was put into it)."""
    options = ServeOptions(port=0, read_only=read_only, union_default_graph=union_default_graph)
    server = Server(location, options)
    try:
        server.start()
        yield server
    finally:
        pid = server.pid
        server.stop()
        _kill(pid if pid is not None and pid_alive(pid) else None)


def dump_store(server: Server) -> list[str]:
    """Every quad the server holds, as sorted N-Quads lines."""
    answer = httpx.get(server.store_url, headers={"accept": "application/n-quads"}, timeout=30)
    answer.raise_for_status()
    return sorted(line for line in answer.text.splitlines() if line.strip())


class Virtuoso:
    """A private Virtuoso on loopback ports in ``folder``; ``stop()`` kills it by PID."""

    def __init__(self, folder: Path, buffers: int = 10_000) -> None:
        """``buffers``: its page cache, 8 KB pages (the tests' small default; a benchmark of
        millions of quads wants hundreds of thousands)."""
        self.folder = folder
        self.buffers = buffers
        self.sql_port = free_port()
        self.http_port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def sparql_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def graph_store_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-graph-crud-auth"

    def ini(self) -> str:
        d = self.folder
        vsp = Path("/var/lib/virtuoso-opensource-7/vsp")
        root = vsp if vsp.is_dir() else d
        return textwrap.dedent(
            f"""\
            [Database]
            DatabaseFile = {d}/virtuoso.db
            ErrorLogFile = {d}/virtuoso.log
            LockFile = {d}/virtuoso.lck
            TransactionFile = {d}/virtuoso.trx
            xa_persistent_file = {d}/virtuoso.pxa
            ErrorLogLevel = 7
            FileExtend = 200
            Striping = 0
            TempStorage = TempDatabase
            [TempDatabase]
            DatabaseFile = {d}/virtuoso-temp.db
            TransactionFile = {d}/virtuoso-temp.trx
            Striping = 0
            [Parameters]
            ServerPort = 127.0.0.1:{self.sql_port}
            DisableUnixSocket = 1
            DisableTcpSocket = 0
            MaxClientConnections = 10
            CheckpointInterval = 60
            CaseMode = 2
            DirsAllowed = ., {d}
            NumberOfBuffers = {self.buffers}
            MaxDirtyBuffers = {self.buffers * 3 // 5}
            [HTTPServer]
            ServerPort = 127.0.0.1:{self.http_port}
            ServerRoot = {root}
            MaxClientConnections = 10
            ServerThreads = 10
            Charset = UTF-8
            EnabledDavVSP = 0
            [SPARQL]
            ResultSetMaxRows = 10000
            MaxQueryExecutionTime = 60
            """
        )

    def start(self, timeout: float = 90.0) -> None:
        assert VIRTUOSO is not None and VIRTUOSO_ISQL is not None
        ini = self.folder / "virtuoso.ini"
        ini.write_text(self.ini())
        self.process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=self.folder,
            stdin=subprocess.DEVNULL,
            stdout=(self.folder / "stdout.log").open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=die_with_parent,  # gone with the test run, however it ends
        )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"virtuoso exited at start: {self.log_tail()}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(self.sparql_url, params={"query": "ASK {}"}, timeout=2).is_success:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"virtuoso not ready after {timeout} s: {self.log_tail()}")
            time.sleep(0.25)
        self.isql("dba", "dba", f"USER_SET_PASSWORD('dba', '{VIRTUOSO_PASSWORD}');")

    def isql(self, user: str, password: str, sql: str) -> str:
        assert VIRTUOSO_ISQL is not None
        done = subprocess.run(
            [VIRTUOSO_ISQL, f"127.0.0.1:{self.sql_port}", user, password, f"exec={sql}"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if done.returncode != 0 or "*** Error" in done.stdout + done.stderr:
            raise RuntimeError(f"isql failed: {done.stdout} {done.stderr}")
        return done.stdout

    def log_tail(self) -> str:
        with contextlib.suppress(OSError):
            return (self.folder / "virtuoso.log").read_text(errors="replace")[-2000:]
        return ""

    def stop(self) -> None:
        process = self.process
        if process is None:
            return
        try:
            stop(process)
        finally:
            _kill(process.pid if pid_alive(process.pid) else None)


def run_ld_dir_recipe(server: Virtuoso, release: Path) -> bool:
    """The first-load recipe of docs/howto/load.md (``ld_dir``, ``rdf_loader_run``,
    ``checkpoint``), as printed there, on ``release``'s dumps (linked into a folder the
    server's ``DirsAllowed`` lists); whether no file failed (the recipe's last statement lists
    those that did)."""
    guide = (Path(__file__).parent.parent / "docs" / "howto" / "load.md").read_text("utf-8")
    recipe = guide.split("```sql\n", 1)[1].split("```", 1)[0]
    dist = server.folder / "dist"
    dist.mkdir()
    for name in ("newsld.nq.gz", "void.ttl"):
        (dist / name).symlink_to(release / name)
    answer = server.isql("dba", VIRTUOSO_PASSWORD, recipe.replace("/srv/newsld/dist", str(dist)))
    return "ll_error" in answer and "\n0 Rows." in answer


@contextlib.contextmanager
def running_virtuoso(folder: Callable[[], Path], buffers: int = 10_000) -> Iterator[Virtuoso]:
    """A private Virtuoso in a new ``folder()``, stopped (and checked gone) at the end; three
    tries, as its two ports are picked free but could be taken before it binds them."""
    for attempt in range(3):
        instance = Virtuoso(folder(), buffers)
        try:
            instance.start()
            break
        except RuntimeError:
            instance.stop()
            if attempt == 2:
                raise
    try:
        yield instance
    finally:
        instance.stop()
    assert instance.process is not None and not pid_alive(instance.process.pid)


@contextlib.contextmanager
def silent_server() -> Iterator[str]:
    """A TCP server that accepts connections and never answers: ``http://127.0.0.1:PORT``."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                connection, _ = listener.accept()
                held.append(connection)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        for connection in held:
            connection.close()
        listener.close()


class QuietHandler(http.server.BaseHTTPRequestHandler):
    """A request handler that keeps the test output clean."""

    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def http_server(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve ``handler`` on a free loopback port in a thread; yield its URL; always stop it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@contextlib.contextmanager
def canned_server(
    status: int, body: str, headers: dict[str, str] | None = None
) -> Iterator[tuple[str, list[str]]]:
    """An HTTP server answering every request alike; yields its URL and the request log."""
    requests: list[str] = []

    class Handler(QuietHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            if length:
                self.rfile.read(length)
            requests.append(f"{self.command} {self.path}")
            data = body.encode("utf-8")
            self.send_response(status)
            for name, value in (headers or {"content-type": "text/html"}).items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = do_DELETE = _answer

    with http_server(Handler) as url:
        yield url, requests


@contextlib.contextmanager
def basic_auth_proxy(upstream: str, user: str, password: str) -> Iterator[tuple[str, list[str]]]:
    """A reverse proxy to ``upstream`` that demands HTTP basic authentication (as a store
    behind nginx would); yields its URL and the Authorization schemes it was sent."""
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    schemes: list[str] = []
    client = httpx.Client(timeout=30, trust_env=False)

    class Handler(QuietHandler):
        protocol_version = "HTTP/1.1"

        def _forward(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            given = self.headers.get("authorization", "")
            schemes.append(given.split(" ", 1)[0])
            if given != expected:
                status, headers, content = 401, {"www-authenticate": 'Basic realm="store"'}, b""
            else:
                keep = ("content-type", "accept")
                answer = client.request(
                    self.command,
                    upstream + self.path,
                    content=body,
                    headers={k: v for k, v in self.headers.items() if k.lower() in keep},
                )
                status, content = answer.status_code, answer.content
                headers = {k: v for k, v in answer.headers.items() if k.lower() == "content-type"}
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_DELETE = _forward

    try:
        with http_server(Handler) as url:
            yield url, schemes
    finally:
        client.close()


@contextlib.contextmanager
def newsld_serve(*args: str) -> Iterator[tuple[dict[str, str], int]]:
    """``python -m newsld serve --port 0 ARGS`` until its startup lines are out: the URLs it
    printed (``"SPARQL endpoint"``, ``"site"``: each line's label → its URL) and its PID;
    stopped by PID (SIGTERM, then SIGKILL)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "newsld", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        assert process.stdout is not None
        urls: dict[str, str] = {}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if match := re.search(r"([\w ]+): (http://\S+)", line):
                urls[match.group(1).strip()] = match.group(2)
            if "newsld pid" in line or not line:
                break
        assert urls, process.stderr.read() if process.stderr else ""
        yield urls, process.pid
    finally:
        stop(process)
