"""A local SPARQL endpoint: an ``oxigraph`` server process over a store folder.

:class:`Server` starts ``oxigraph serve-read-only`` (or ``serve``, for a writable scratch
store) bound to a loopback address, waits until it answers a query, and stops it by PID:
SIGTERM, then SIGKILL if it has not exited after a grace period. It never outlives its owner:
use it as a context manager, or call :meth:`Server.stop` in a ``finally``; on Linux the server
is also told to stop if its owner dies without stopping it (even by SIGKILL).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import httpx

LOOPBACK = ("127.0.0.1", "::1", "localhost")


def die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the server gets SIGTERM if newsld dies, even by SIGKILL (PR_SET_PDEATHSIG)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


class ServerError(Exception):
    """The server cannot be started (not installed, port busy, crashed at start)."""


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


class Server:
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
    def base_url(self) -> str:
        host = f"[{self.options.host}]" if ":" in self.options.host else self.options.host
        return f"http://{host}:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.base_url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.base_url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.base_url}/store"

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
