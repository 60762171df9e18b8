"""Faults while loading and querying: each a clear message and a non-zero exit, no traceback.

The endpoints here are real sockets on 127.0.0.1: a port nobody listens on, a server that
accepts and never answers, servers that answer with fixed errors, a real Oxigraph server at
wrong URLs, and a scripted Graph Store that rejects one graph.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from typer.testing import CliRunner

from newsld.cli import app
from newsld.endpoints.load import union_default_graph_fix
from newsld.endpoints.remote import (
    AuthScheme,
    EndpointError,
    ErrorKind,
    Remote,
    Settings,
    error_text,
    graph_store_url_for,
    store_for,
)
from newsld.endpoints.serve import free_port

from .conftest import graph_count
from .servers import (
    QuietHandler,
    canned_server,
    dump_store,
    http_server,
    oxigraph_server,
    silent_server,
)

runner = CliRunner()
XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#integer"

HTML_ERROR = """<!DOCTYPE html>
<html><head><title>Oops</title><style>body { color: red }</style></head>
<body><h1>500 Internal Server Error</h1>
<p>The triple store&#39;s disk is full &amp; cannot accept data.</p>
<script>track()</script></body></html>"""


def load(release: Path, endpoint: str, *extra: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app,
        ["load", "--endpoint", endpoint, "--release", str(release), "--retries", "0", *extra],
    )


def assert_clean_failure(result, code: int, *phrases: str) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == code, result.output
    for phrase in phrases:
        assert phrase in result.stderr, (phrase, result.stderr)
    assert "Traceback" not in result.output


def test_endpoint_down(seed_release: Path) -> None:
    port = free_port()
    result = load(seed_release, f"http://127.0.0.1:{port}/query", "--retries", "1")
    assert_clean_failure(result, 2, f"cannot reach http://127.0.0.1:{port}/query", "2 attempt(s)")
    assert f"nothing was loaded ({graph_count(seed_release)} graphs)" in result.stderr
    assert "run the same command again" in result.stderr


def test_retries_back_off_then_give_up() -> None:
    port = free_port()
    pauses: list[float] = []
    with (
        Remote(Settings(retries=3, backoff=0.5), sleep=pauses.append) as remote,
        pytest.raises(EndpointError) as caught,
    ):
        remote.request("GET", f"http://127.0.0.1:{port}/query", "run the query")
    assert caught.value.kind is ErrorKind.UNREACHABLE
    assert pauses == [0.5, 1.0, 2.0]
    assert remote.requests == 4


def test_busy_endpoint_is_retried(seed_release: Path) -> None:
    with canned_server(503, "busy", {"content-type": "text/plain"}) as (url, log):
        result = load(seed_release, f"{url}/query", "--retries", "2")
    assert_clean_failure(result, 2, "503 Service Unavailable: busy")
    assert len(log) == 3


def test_wrong_url_404_on_a_real_server(seed_release: Path, tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "ox") as server:
        result = load(
            seed_release,
            f"{server.base_url}/nope/sparql",
            "--graph-store-url",
            f"{server.base_url}/nope",
        )
    assert_clean_failure(result, 2, f"{server.base_url}/nope", "does not exist (404 Not Found)")


def test_wrong_graph_store_url_stops_before_writing(seed_release: Path, tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "ox") as server:
        assert load(seed_release, server.query_url).exit_code == 0
        before = dump_store(server)
        result = load(
            seed_release, server.query_url, "--graph-store-url", f"{server.base_url}/nope"
        )
        assert dump_store(server) == before
    assert_clean_failure(
        result, 2, f"{server.base_url}/nope does not exist (404 Not Found)", "check the URL"
    )
    assert f"nothing was loaded ({graph_count(seed_release)} graphs)" in result.stderr


def test_401_without_credentials(seed_release: Path) -> None:
    with canned_server(401, "", {"www-authenticate": 'Basic realm="store"'}) as (url, _):
        result = load(seed_release, f"{url}/query")
    assert_clean_failure(result, 2, "refused to read the load manifest (401", "give --user")


def test_401_with_wrong_credentials(seed_release: Path) -> None:
    with canned_server(401, "bad password", {"www-authenticate": 'Basic realm="s"'}) as (url, _):
        result = load(seed_release, f"{url}/query", "--user", "me", "--password", "nope")
    assert_clean_failure(result, 2, "check the user name, password and --auth")


def test_403_names_the_user(seed_release: Path) -> None:
    with canned_server(403, "read-only dataset", {"content-type": "text/plain"}) as (url, _):
        result = load(seed_release, f"{url}/query", "-u", "reader", "--password", "x")
    assert_clean_failure(result, 2, "(403 Forbidden): read-only dataset", "'reader' may not")


def test_virtuoso_anonymous_write_hint(seed_release: Path) -> None:
    headers = {"content-type": "text/html", "server": "Virtuoso/07.20.3229 (Linux)"}
    page = "<html><body><h3>Error 42000</h3><xmp>SQ110:SECURITY: Permission denied</xmp>"
    with canned_server(403, page, headers) as (url, _):
        result = load(seed_release, f"{url}/sparql")
    assert_clean_failure(
        result, 2, "SQ110:SECURITY: Permission denied", "Virtuoso refuses anonymous writes"
    )


def test_html_error_page_is_reduced_to_its_text(seed_release: Path) -> None:
    with canned_server(500, HTML_ERROR) as (url, _):
        result = load(seed_release, f"{url}/query")
    assert_clean_failure(
        result, 2, "The triple store's disk is full & cannot accept data.", "500 Internal"
    )
    assert "<h1>" not in result.stderr and "track()" not in result.stderr
    assert "color: red" not in result.stderr


def test_html_page_instead_of_query_results() -> None:
    with canned_server(200, "<html><body>Welcome to our web site</body></html>") as (url, _):
        result = runner.invoke(app, ["query", "ASK {}", "--endpoint", f"{url}/sparql"])
    assert_clean_failure(result, 2, "answered text/html, not SPARQL results", "Welcome")


def test_timeout_when_the_server_never_answers(seed_release: Path) -> None:
    with silent_server() as url:
        started = time.monotonic()
        result = load(seed_release, f"{url}/query", "--timeout", "0.5")
        elapsed = time.monotonic() - started
    assert_clean_failure(result, 2, "did not answer within 0.5 s")
    assert elapsed < 10


def test_query_timeout_too() -> None:
    with silent_server() as url:
        result = runner.invoke(
            app, ["query", "ASK {}", "-e", f"{url}/query", "--timeout", "0.3", "--retries", "0"]
        )
    assert_clean_failure(result, 2, "did not answer within 0.3 s")


def test_remote_syntax_error_shows_the_endpoint_message(tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "ox") as server:
        result = runner.invoke(
            app, ["query", "SELECT ?x WHERE { ?x ?y }", "--endpoint", server.query_url]
        )
    assert_clean_failure(
        result, 2, "<query>:1:25: syntax error", "the endpoint said: error at 1:26"
    )


def test_remote_rejection_that_parses_here_shows_the_endpoint_message() -> None:
    with canned_server(400, "SERVICE is not supported", {"content-type": "text/plain"}) as (
        url,
        _,
    ):
        result = runner.invoke(
            app, ["query", "SELECT * WHERE { SERVICE <urn:x> { ?s ?p ?o } }", "-e", url]
        )
    assert_clean_failure(
        result, 2, "<query>: the endpoint rejected the query: SERVICE is not supported"
    )


def test_results_that_break_off_are_not_called_a_non_sparql_answer(tmp_path: Path) -> None:
    """Oxigraph streams results, and on a failure mid-way appends its error to the body."""
    with oxigraph_server(tmp_path / "ox") as server:
        result = runner.invoke(
            app,
            ["query", "SELECT * WHERE { SERVICE <urn:x> { ?s ?p ?o } }", "-e", server.query_url],
        )
    assert_clean_failure(
        result, 2, "application/sparql-results+json that breaks off", "found urn:x"
    )
    assert "is it a SPARQL endpoint" not in result.stderr


def test_unknown_endpoint_shape_needs_graph_store_url(seed_release: Path) -> None:
    result = load(seed_release, "http://127.0.0.1:9/blazegraph/namespace/kb/sparql")
    assert_clean_failure(result, 2, "give --graph-store-url", "Fuseki", "Virtuoso")


def test_not_an_http_url_is_bad_usage(seed_release: Path) -> None:
    result = load(seed_release, "ftp://example.org/sparql")
    assert_clean_failure(result, 2, "--endpoint: 'ftp://example.org/sparql' is not an http://")


def test_missing_and_half_written_release(tmp_path: Path, seed_release: Path) -> None:
    missing = load(tmp_path / "dist", "http://127.0.0.1:9/query")
    assert_clean_failure(missing, 2, "no release at")
    broken = tmp_path / "broken"
    broken.mkdir()
    for name in ("manifest.json", "void.ttl"):
        (broken / name).write_bytes((seed_release / name).read_bytes())
    (broken / "newsld.nq.gz").write_bytes((seed_release / "newsld.nq.gz").read_bytes()[:500])
    assert_clean_failure(load(broken, "http://127.0.0.1:9/query"), 2, "half-written")


@pytest.mark.parametrize(
    ("endpoint", "authenticated", "expected"),
    [
        ("http://h:7878/query", False, "http://h:7878/store"),
        ("http://h:3030/news/sparql", False, "http://h:3030/news/data"),
        ("http://h:3030/news/query", False, "http://h:3030/news/data"),
        (
            "http://h:7200/repositories/news",
            True,
            "http://h:7200/repositories/news/rdf-graphs/service",
        ),
        ("http://h:8890/sparql", True, "http://h:8890/sparql-graph-crud-auth"),
        ("http://h:8890/sparql", False, "http://h:8890/sparql-graph-crud"),
        ("http://h/some/where/else", False, None),
    ],
)
def test_graph_store_url_shapes(endpoint: str, authenticated: bool, expected: str | None) -> None:
    assert graph_store_url_for(endpoint, authenticated) == expected


@pytest.mark.parametrize(
    ("endpoint", "store", "fix"),
    [
        ("http://h:7878/query", "Oxigraph", "with --union-default-graph"),
        ("http://h:3030/news/sparql", "Fuseki", "tdb2:unionDefaultGraph true"),
        ("http://h:8890/sparql", "Virtuoso", "already the union of all graphs"),
        ("http://h:7200/repositories/news", "GraphDB", "already the union of all graphs"),
    ],
)
def test_default_graph_fix_is_the_stores_own(endpoint: str, store: str, fix: str) -> None:
    assert store_for(endpoint) == store
    advice = union_default_graph_fix(endpoint)
    assert advice.startswith(f"fix ({store}): ") and fix in advice.splitlines()[0]
    assert "--named-graphs-only" in advice


def test_default_graph_fix_for_an_unknown_store() -> None:
    assert store_for("http://h/blazegraph/namespace/kb/sparql") is None
    advice = union_default_graph_fix("http://h/blazegraph/namespace/kb/sparql")
    assert "union-default-graph setting" in advice
    assert "--union-default-graph" in advice and "unionDefaultGraph true" in advice
    assert "GRAPH ?g" in advice and "--named-graphs-only" in advice


def test_error_text_strips_html() -> None:
    request = httpx.Request("GET", "http://x/")
    response = httpx.Response(500, text=HTML_ERROR, headers={"content-type": "text/html"})
    response.request = request
    text = error_text(response)
    assert text.startswith("500 Internal Server Error The triple store's disk is full")
    assert "<" not in text and "Oops" not in text


# ------------------------------------------------------------------- a store rejecting a graph


class _Picky(QuietHandler):
    """A scripted store's handler: accepts every graph PUT except for graphs containing
    ``rejected`` (400 with an explanation), logging each in ``asked``."""

    rejected: str
    asked: list[str]

    def _send(self, status: int, body: str, kind: str = "text/plain") -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("content-type", kind)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self) -> None:
        self.rfile.read(int(self.headers["content-length"]))
        graph = parse_qs(urlsplit(self.path).query).get("graph", [""])[0]
        self.asked.append(f"PUT {graph}")
        if self.rejected in graph:
            self._send(400, "literal not accepted: '2017-11'^^xsd:gYearMonth")
        else:
            self._send(204, "")


@contextlib.contextmanager
def picky_graph_store(reject: str) -> Iterator[tuple[str, list[str]]]:
    """A scripted Graph Store: no manifest yet, accepts every PUT except for graphs containing
    ``reject`` (400 with an explanation), and logs what it was asked."""
    log: list[str] = []

    class Handler(_Picky):
        rejected, asked = reject, log

        def do_POST(self) -> None:  # the queries reading the (empty) manifest
            body = self.rfile.read(int(self.headers["content-length"])).decode()
            query = parse_qs(body)["query"][0]
            if "COUNT" in query:
                log.append("COUNT")
                count = {"n": {"type": "literal", "value": "0", "datatype": XSD_INTEGER}}
                answer = {"head": {"vars": ["n"]}, "results": {"bindings": [count]}}
            else:
                log.append("SELECT")
                answer = {"head": {"vars": ["key", "low", "high"]}, "results": {"bindings": []}}
            self._send(200, json.dumps(answer), "application/sparql-results+json")

    with http_server(Handler) as url:
        yield url, log


def test_a_rejected_graph_is_reported_and_the_rest_still_loads(seed_release: Path) -> None:
    with picky_graph_store("win-2018") as (url, log):
        result = load(seed_release, f"{url}/query", "--no-verify")
    assert_clean_failure(result, 1, "not loaded <", "literal not accepted", "load incomplete")
    count = graph_count(seed_release)
    assert f"loaded {count - 1} of {count} graphs" in result.stdout
    manifest_puts = [e for e in log if e.startswith("PUT") and e.endswith("graph/load-manifest")]
    assert len(manifest_puts) == 1, "only the pending manifest: never claim a complete load"
    assert log[:4] == ["SELECT", "SELECT", "COUNT", manifest_puts[0]]  # shards, entries, count


def test_auto_auth_answers_the_scheme_the_server_asks_for() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        header = request.headers.get("authorization", "")
        seen.append(header.split(" ", 1)[0])
        if not header:
            return httpx.Response(401, headers={"www-authenticate": 'Basic realm="r"'})
        return httpx.Response(200, text="ok")

    settings = Settings(user="u", password="p", auth=AuthScheme.auto)
    with Remote(settings, transport=httpx.MockTransport(handler)) as remote:
        remote.request("GET", "http://x/", "read")
        remote.request("GET", "http://x/", "read")
    assert seen == ["", "Basic", "Basic"]  # challenged once, then basic straight away


@contextlib.contextmanager
def picky_oxigraph(reject: str) -> Iterator[tuple[str, list[str]]]:
    """A scripted store that says it is Oxigraph (so `load` tries its bulk path), holds no graph,
    rejects every bulk N-Quads batch and, graph by graph, only the graphs containing ``reject``."""
    log: list[str] = []

    class Handler(_Picky):
        rejected, asked = reject, log

        def version_string(self) -> str:  # the Server header
            return "Oxigraph/0.5.13"

        def do_GET(self) -> None:  # ASK {}
            self._send(200, '{"head":{},"boolean":true}', "application/sparql-results+json")

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"])).decode()
            if urlsplit(self.path).path == "/store":
                log.append("BULK")
                self._send(400, "Parser error at line 3: bad literal in the batch")
                return
            if urlsplit(self.path).path == "/update":  # the load manifest, changed in place
                log.append("UPDATE")
                self._send(204, "")
                return
            query = parse_qs(body)["query"][0]
            if "COUNT(DISTINCT" in query:  # the manifest's size
                count = {"n": {"type": "literal", "value": "0", "datatype": XSD_INTEGER}}
                answer = {"head": {"vars": ["n"]}, "results": {"bindings": [count]}}
            else:  # manifest pages and per-graph counts: nothing there
                answer = {"head": {"vars": ["g", "n"]}, "results": {"bindings": []}}
            self._send(200, json.dumps(answer), "application/sparql-results+json")

    with http_server(Handler) as url:
        yield url, log


def test_a_rejected_bulk_batch_is_sent_again_graph_by_graph(seed_release: Path) -> None:
    with picky_oxigraph("win-2018") as (url, log):
        result = load(seed_release, f"{url}/query", "--no-verify")
    assert_clean_failure(result, 1, "not loaded <", "win-2018", "literal not accepted")
    count = graph_count(seed_release)
    assert f"loaded {count - 1} of {count} graphs" in result.stdout
    assert "BULK" in log  # tried, refused, then one PUT per graph named the culprit
    puts = [e for e in log if e.startswith("PUT") and "load-manifest" not in e]
    assert len(puts) == count


def test_load_reads_each_graph_from_its_member_as_the_parser_reads_the_dump(
    seed_release: Path,
) -> None:
    """Read through the graph index, graph by graph: the graphs, lines and digests a parser
    finds in the whole dump; and a graph left out is not read at all."""
    from newsld.endpoints.load import plan, sending
    from newsld.release.reader import all_graphs, open_release

    release = open_release(seed_release)
    planned = plan(release)
    assert all(p.member is not None for p in planned[:-1]) and planned[-1].member is None
    parsed = list(all_graphs(release))
    assert list(sending(release, planned, set())) == parsed
    assert [(p.name, p.triples, p.digest) for p in planned] == [
        (g.name, g.triples, g.digest()) for g in parsed
    ]
    left_out = {p.name for p in planned[1:]}
    assert [g.name for g in sending(release, planned, left_out)] == [planned[0].name]


def test_load_reads_the_dump_as_text_with_the_parser_s_lines(seed_release: Path) -> None:
    """`load` splits the dump's lines instead of parsing them: same graphs, lines and digests."""
    from newsld.endpoints.load import graphs_of
    from newsld.release.reader import all_graphs, open_release

    release = open_release(seed_release)
    assert list(graphs_of(release)) == list(all_graphs(release))


def _with_dump(release: Path, copy: Path, data: bytes, *, index: bool) -> Path:
    """A copy of ``release`` whose dump is ``data``, its manifest updated to match (as if
    someone had also edited that); ``index=False``: without its graph index, as a release
    built before there was one."""
    import hashlib
    import shutil

    shutil.copytree(release, copy)
    (copy / "newsld.nq.gz").write_bytes(data)
    manifest = json.loads((copy / "manifest.json").read_text())
    manifest["files"]["newsld.nq.gz"].update(
        bytes=len(data), sha256=hashlib.sha256(data).hexdigest()
    )
    if not index:
        del manifest["files"]["graphs.tsv"]
        (copy / "graphs.tsv").unlink()
    (copy / "manifest.json").write_text(json.dumps(manifest))
    return copy


def test_a_dump_line_of_another_shape_is_a_clear_error(seed_release: Path, tmp_path: Path) -> None:
    import gzip

    data = gzip.compress(b"<https://e.org/s> <https://e.org/p> <https://e.org/o> .\n")
    copy = _with_dump(seed_release, tmp_path / "dist", data, index=False)
    result = load(copy, "http://127.0.0.1:1/query")
    assert_clean_failure(result, 2, "newsld.nq.gz:1: not one quad in a named graph")


def test_a_dump_its_graph_index_does_not_describe_is_a_clear_error(
    seed_release: Path, tmp_path: Path
) -> None:
    import gzip

    from newsld.release.reader import graph_index, open_release

    data = gzip.compress(b"<https://e.org/s> <https://e.org/p> <https://e.org/o> .\n")
    copy = _with_dump(seed_release, tmp_path / "other-size", data, index=True)
    result = load(copy, "http://127.0.0.1:1/query")
    assert_clean_failure(result, 2, "graphs.tsv does not describe", "rebuild with `newsld build`")
    # the same size, but two graphs' members swapped: found when one of them is read
    from newsld.endpoints.load import plan, sending
    from newsld.release.reader import ReleaseError

    index = graph_index(open_release(seed_release))
    assert index is not None
    dump = (seed_release / "newsld.nq.gz").read_bytes()
    members = [dump[g.offset : g.offset + g.length] for g in index]
    members[0], members[1] = members[1], members[0]
    copy = _with_dump(seed_release, tmp_path / "swapped", b"".join(members), index=True)
    release = open_release(copy)
    with pytest.raises(ReleaseError, match=f"the graph <{index[0].name}> at byte 0 is not the"):
        list(sending(release, plan(release), set()))
