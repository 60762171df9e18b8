"""`newsld serve`: a real SPARQL endpoint over the release that stops cleanly on Ctrl-C/SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from newsld.endpoints.serve import ServeOptions, Server, ServerError, free_port

from .servers import pid_alive, stop

pytestmark = pytest.mark.integration

COUNT = "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a <https://w3id.org/newsld/vocab#Claim> }"


def newsld(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsld", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def read_until(process: subprocess.Popen[str], pattern: str, timeout: float = 60) -> re.Match[str]:
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        match = re.search(pattern, line)
        if match:
            return match
    process.kill()
    raise AssertionError(f"no {pattern!r} in {seen!r}; stderr: {process.communicate()[1]}")


@pytest.fixture
def serving(seed_release: Path) -> Iterator[tuple[subprocess.Popen[str], str, int]]:
    process = newsld("serve", "--release", str(seed_release), "--port", "0")
    oxigraph = None
    try:
        url = read_until(process, r"SPARQL endpoint: (\S+)").group(1)
        oxigraph = int(read_until(process, r"newsld pid (\d+)").group(1))
        yield process, url, oxigraph
    finally:
        stop(process)
        if oxigraph is not None and pid_alive(oxigraph):
            os.kill(oxigraph, signal.SIGKILL)


def claims(url: str) -> int:
    answer = httpx.post(
        url, data={"query": COUNT}, headers={"accept": "application/sparql-results+json"}
    )
    answer.raise_for_status()
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_serve_answers_then_stops_cleanly(serving, sig: signal.Signals) -> None:  # type: ignore[no-untyped-def]
    process, url, oxigraph = serving
    assert url.startswith("http://127.0.0.1:") and url.endswith("/query")
    assert claims(url) > 30
    # read-only: the release's store cannot be changed through the endpoint
    refused = httpx.post(url.replace("/query", "/update"), data={"update": "CLEAR ALL"})
    assert refused.status_code >= 400
    assert claims(url) > 30
    os.kill(process.pid, sig)
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 0, stderr
    assert "stopped the SPARQL endpoint" in stderr
    assert "Traceback" not in stderr
    assert not pid_alive(oxigraph)
    with pytest.raises(httpx.TransportError):
        httpx.get(url, params={"query": "ASK {}"}, timeout=2)


def test_serve_and_query_share_the_store(serving, seed_release: Path) -> None:  # type: ignore[no-untyped-def]
    _, url, _ = serving
    done = subprocess.run(
        [sys.executable, "-m", "newsld", "query", COUNT, "-r", str(seed_release), "-f", "csv"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[1]) == claims(url)


def test_busy_port_is_a_clear_error(seed_release: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        process = newsld("serve", "--release", str(seed_release), "--port", str(port))
        _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert f"port {port} on 127.0.0.1 is in use" in stderr
    assert "Traceback" not in stderr


def test_only_loopback(seed_release: Path) -> None:
    process = newsld("serve", "--release", str(seed_release), "--host", "0.0.0.0")
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert "loopback only" in stderr


def test_missing_oxigraph_binary(tmp_path: Path) -> None:
    with pytest.raises(ServerError, match="no such executable"):
        Server(tmp_path / "db", ServeOptions(port=0, oxigraph=str(tmp_path / "none"))).start()


def test_server_that_dies_at_start_is_reported(tmp_path: Path) -> None:
    fake = tmp_path / "oxigraph"
    fake.write_text("#!/bin/sh\necho 'cannot open the database' >&2\nexit 3\n")
    fake.chmod(0o755)
    with pytest.raises(ServerError, match="exited with code 3 at start: cannot open the database"):
        Server(tmp_path / "db", ServeOptions(port=free_port(), oxigraph=str(fake))).start()


def test_stop_kills_a_server_that_ignores_sigterm(tmp_path: Path) -> None:
    """The grace period ends in SIGKILL, by PID."""
    fake = tmp_path / "oxigraph"
    port = free_port()
    fake.write_text(
        "#!/usr/bin/env python3\n"
        "import signal, http.server, sys\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "class H(http.server.BaseHTTPRequestHandler):\n"
        "    def do_GET(self):\n"
        "        self.send_response(200); self.end_headers()\n"
        "    def log_message(self, *a): pass\n"
        f"http.server.HTTPServer(('127.0.0.1', {port}), H).serve_forever()\n"
    )
    fake.chmod(0o755)
    server = Server(tmp_path / "db", ServeOptions(port=port, oxigraph=str(fake), stop_grace=0.5))
    server.start()
    pid = server.pid
    assert pid is not None and pid_alive(pid)
    server.stop()
    assert not pid_alive(pid)


def test_server_does_not_outlive_a_killed_newsld(serving) -> None:  # type: ignore[no-untyped-def]
    """Even SIGKILL, which newsld cannot catch, does not leave the oxigraph server behind."""
    process, url, oxigraph = serving
    assert claims(url) > 30
    os.kill(process.pid, signal.SIGKILL)
    process.wait(10)
    deadline = time.monotonic() + 10
    while pid_alive(oxigraph) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not pid_alive(oxigraph)
