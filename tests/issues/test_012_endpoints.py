"""Regressions from issue 12, rows 10-13: query, serve and load cannot be held, steered or
made to leak.

10. a runaway query (a cross product) is stopped at --query-timeout, its process killed;
11. SERVICE (requests to other servers) is refused unless --allow-service;
12. --timeout bounds a whole answer, so a trickling endpoint cannot hold load or query;
13. the password need not be on the command line (NEWSLD_PASSWORD, netrc, prompt), and
    --password says why it is deprecated.

Every server here is on 127.0.0.1 and every subprocess has a timeout.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from newsld.cli import app
from newsld.endpoints import sparqlworker
from newsld.endpoints.query import uses_service
from newsld.endpoints.serve import _family
from newsld.endpoints.store import ensure_store
from newsld.release.reader import open_release

from ..servers import (
    QuietHandler,
    basic_auth_proxy,
    http_server,
    newsld_serve,
    oxigraph_server,
    pid_alive,
    silent_server,
)

runner = CliRunner()
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CROSS_ROWS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
WORD_IN_STRING = 'SELECT ?s WHERE { ?s ?p ?o FILTER(?o = "SERVICE <http://127.0.0.1:9/> {}") }'
JSON = "application/sparql-results+json"
QT1 = ("--query-timeout", "1")
TIMEOUT1 = ("--timeout", "1", "--retries", "0")


def newsld(*args: str, env: dict[str, str] | None = None, timeout: float = 60):  # type: ignore[no-untyped-def]
    return subprocess.run(
        [sys.executable, "-m", "newsld", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
    )


def workers_of(pid: int) -> list[int]:
    return [member for member in _family(pid) if member != pid and pid_alive(member)]


# --------------------------------------------------------------------------- 10: query timeout


def test_a_cross_product_is_stopped_and_its_process_killed(seed_release: Path) -> None:
    """Before: nothing stopped it (pyoxigraph has no cancellation; the oxigraph server's
    --timeout-s let a COUNT over a cross product run on after the client left)."""
    location = ensure_store(open_release(seed_release)).path
    started: list[subprocess.Popen[bytes]] = []
    begun = time.monotonic()
    with pytest.raises(sparqlworker.QueryTimeout):
        sparqlworker.run(sparqlworker.Request(str(location), CROSS), 1.0, started=started.append)
    assert time.monotonic() - begun < 5
    assert started and started[0].poll() is not None  # killed and reaped: the core is free
    assert not pid_alive(started[0].pid)


def test_query_stops_at_its_timeout_with_a_clear_message(seed_release: Path) -> None:
    ensure_store(open_release(seed_release))  # built beforehand: time only the query
    begun = time.monotonic()
    done = newsld("query", CROSS, "-r", str(seed_release), "--query-timeout", "1")
    assert time.monotonic() - begun < 15  # ~1 s plus a Python start; a hang guard
    assert done.returncode == 2, done.stderr
    assert "ran for more than 1 s and was stopped" in done.stderr
    assert "--query-timeout" in done.stderr and "Traceback" not in done.stderr


def test_query_timeout_zero_and_a_normal_query_still_answer(seed_release: Path) -> None:
    for extra in ([], ["--query-timeout", "0"]):
        count = "SELECT (COUNT(*) AS ?n) WHERE { ?c a nld:Claim }"
        done = newsld("query", count, "-r", str(seed_release), "-f", "csv", *extra)
        assert done.returncode == 0, done.stderr
        assert int(done.stdout.split()[1]) > 30


@pytest.fixture
def serve(seed_release: Path) -> Iterator[tuple[str, int]]:
    """`newsld serve --query-timeout 1 --port 0`: its query URL and PID; stopped by PID."""
    with newsld_serve("-r", str(seed_release), *QT1) as (urls, pid):
        yield urls["SPARQL endpoint"], pid


def ask(url: str, query: str, timeout: float = 20) -> httpx.Response:
    return httpx.post(url, data={"query": query}, headers={"accept": JSON}, timeout=timeout)


def test_serve_stops_a_cross_product_with_503_and_frees_the_core(serve) -> None:  # type: ignore[no-untyped-def]
    url, pid = serve
    begun = time.monotonic()
    answer = ask(url, CROSS)
    assert time.monotonic() - begun < 5
    assert answer.status_code == 503
    assert "was stopped" in answer.text and "--query-timeout 1" in answer.text
    assert workers_of(pid) == []  # the worker was killed: nothing computes any more
    assert ask(url, "ASK { ?s ?p ?o }").json()["boolean"] is True


def test_serve_stops_a_query_whose_client_left(serve) -> None:  # type: ignore[no-untyped-def]
    """Streaming rows or not, a query whose client hung up is killed, not left running."""
    url, pid = serve
    with pytest.raises(httpx.ReadTimeout):
        ask(url, CROSS_ROWS, timeout=0.3)
    deadline = time.monotonic() + 3
    while workers_of(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert workers_of(pid) == []


# --------------------------------------------------------------------------- 11: SERVICE


@pytest.mark.parametrize(
    ("query", "refused"),
    [
        ("SELECT * WHERE { SERVICE <http://x/> { ?s ?p ?o } }", True),
        ("select * where { service silent ?endpoint { ?s ?p ?o } }", True),
        ("SELECT * WHERE { ?s ?p ?o.SERVICE<http://x/>{} }", True),
        ("PREFIX ex: <http://x/> SELECT * WHERE { SERVICEex:y {} }", True),  # oxigraph runs it
        ("SELECT * WHERE { \\u0053ERVICE <http://x/> {} }", True),
        (WORD_IN_STRING, False),
        ('SELECT * WHERE { ?s ?p """a " SERVICE <http://x/> {} """ }', False),
        ("SELECT * WHERE { ?s ?p 'it\\'s SERVICE <http://x/> {}' }", False),
        ("SELECT * WHERE { ?s <http://x/SERVICE> ?o } # SERVICE <http://x/> {}", False),
        ("SELECT ?service WHERE { ?s schema:serviceType ?service ; ?p _:SERVICE }", False),
    ],
)
def test_service_is_found_where_the_parser_would_find_it(query: str, refused: bool) -> None:
    assert uses_service(query) is refused


def test_query_refuses_service_fast(seed_release: Path) -> None:
    """Before: the embedded store connected to the SERVICE IRI and waited (no timeout)."""
    release = str(seed_release)
    with silent_server() as far:
        begun = time.monotonic()
        result = runner.invoke(
            app,
            ["query", f"SELECT * WHERE {{ SERVICE <{far}/sparql> {{ ?s ?p ?o }} }}", "-r", release],
        )
        assert time.monotonic() - begun < 10
    assert result.exit_code == 2, result.output
    assert "uses SERVICE" in result.stderr and "--allow-service" in result.stderr
    allowed = runner.invoke(app, ["query", WORD_IN_STRING, "-r", str(seed_release)])
    assert allowed.exit_code == 0, allowed.output


def test_allow_service_runs_it_under_the_timeout(seed_release: Path) -> None:
    with silent_server() as far:
        query = f"SELECT * WHERE {{ SERVICE <{far}/sparql> {{ ?s ?p ?o }} }}"
        begun = time.monotonic()
        done = newsld(
            "query", query, "-r", str(seed_release), "--allow-service", "--query-timeout", "1"
        )
        assert time.monotonic() - begun < 15
    assert done.returncode == 2 and "was stopped" in done.stderr, done.stderr


def test_serve_refuses_service_fast(serve) -> None:  # type: ignore[no-untyped-def]
    url, _ = serve
    with silent_server() as far:
        begun = time.monotonic()
        answer = ask(url, f"SELECT * WHERE {{ SERVICE <{far}/sparql> {{ ?s ?p ?o }} }}")
        assert time.monotonic() - begun < 2
    assert answer.status_code == 400 and "SERVICE" in answer.text
    assert ask(url, WORD_IN_STRING).status_code == 200


def test_serve_refuses_other_hosts_and_writes(serve) -> None:  # type: ignore[no-untyped-def]
    """A page that rebinds its own name to 127.0.0.1 sends that name as Host: refused."""
    url, _ = serve
    rebound = httpx.get(
        url, params={"query": "ASK {}"}, headers={"host": "attacker.example"}, timeout=10
    )
    assert rebound.status_code == 403
    update = httpx.post(url.replace("/query", "/update"), data={"update": "CLEAR ALL"})
    assert update.status_code == 405


# --------------------------------------------------------------------------- 12: deadlines


class Trickle(QuietHandler):
    """Headers at once, then one byte of body every 0.2 s (for a minute at most)."""

    def _trickle(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(200)
        self.send_header("content-type", JSON)
        self.send_header("content-length", "300")
        self.end_headers()
        try:
            for _ in range(300):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    do_GET = do_POST = do_PUT = _trickle


def test_query_endpoint_trickling_is_cut_at_the_timeout() -> None:
    """Before: each byte reset httpx's read timeout, so this ran for a minute."""
    with http_server(Trickle) as url:
        begun = time.monotonic()
        result = runner.invoke(
            app, ["query", "ASK {}", "-e", f"{url}/query", "--timeout", "1", "--retries", "0"]
        )
        elapsed = time.monotonic() - begun
    assert result.exit_code == 2, result.output
    assert "did not answer within 1 s" in result.stderr
    assert "whole answer" in result.stderr
    assert elapsed < 2.5


def test_load_trickling_is_cut_at_the_timeout(seed_release: Path) -> None:
    with http_server(Trickle) as url:
        begun = time.monotonic()
        result = runner.invoke(
            app,
            ["load", "-e", f"{url}/query", "-r", str(seed_release), *TIMEOUT1],
        )
        elapsed = time.monotonic() - begun
    assert result.exit_code == 2, result.output
    assert "did not answer within 1 s" in result.stderr
    assert elapsed < 2.5


# --------------------------------------------------------------------------- 13: passwords


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[str]:
    """An Oxigraph behind a basic-auth proxy (user reader, password s3cret): its query URL."""
    with (
        oxigraph_server(tmp_path / "ox") as server,
        basic_auth_proxy(server.base_url, "reader", "s3cret") as (url, _),
    ):
        yield f"{url}/query"


def query(endpoint: str, *extra: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app, ["query", "ASK {}", "-e", endpoint, "--retries", "0", *extra], env=env
    )


def test_password_from_the_environment(guarded: str) -> None:
    result = query(guarded, "-u", "reader", env={"NEWSLD_PASSWORD": "s3cret", "NETRC": ""})
    assert result.exit_code == 0, result.output
    assert "deprecated" not in result.stderr


def test_password_from_a_netrc_file(guarded: str, tmp_path: Path) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1\n  login reader\n  password s3cret\n")
    netrc.chmod(0o600)
    env = {"NEWSLD_PASSWORD": ""}
    assert query(guarded, "--netrc", str(netrc), env=env).exit_code == 0  # user from the file
    assert query(guarded, env={**env, "NETRC": str(netrc)}).exit_code == 0  # the default file
    netrc.chmod(0o644)
    exposed = query(guarded, "--netrc", str(netrc), env=env)
    assert exposed.exit_code == 2
    assert "can be read by other users" in exposed.stderr and "chmod 600" in exposed.stderr


def test_password_on_the_command_line_works_but_warns(guarded: str) -> None:
    result = query(guarded, "-u", "reader", "--password", "s3cret", env={"NEWSLD_PASSWORD": ""})
    assert result.exit_code == 0, result.output
    assert "--password is deprecated" in result.stderr
    assert "NEWSLD_PASSWORD" in result.stderr and "ps" in result.stderr
    assert "s3cret" not in result.stderr


def test_password_on_the_command_line_of_load_warns_too(seed_release: Path, tmp_path: Path) -> None:
    with (
        oxigraph_server(tmp_path / "ox") as server,
        basic_auth_proxy(server.base_url, "loader", "s3cret") as (url, _),
    ):
        result = runner.invoke(
            app,
            [
                *("load", "-e", f"{url}/query", "--graph-store-url", f"{url}/store"),
                *("-r", str(seed_release), "-u", "loader", "--password", "s3cret"),
            ],
            env={"NEWSLD_PASSWORD": ""},
        )
    assert result.exit_code == 0, result.output
    assert "--password is deprecated" in result.stderr
