"""Regressions found while auditing query/serve/load (issue 4)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from newsld.endpoints.load import LoadOptions, Target, manifest_triples, put_graph, read_manifest
from newsld.endpoints.remote import AuthScheme, EndpointError, Remote, Settings
from newsld.release.reader import Release

from ..servers import VIRTUOSO_PASSWORD, canned_server, oxigraph_server, pid_alive

BASE = "https://example.org/issue-004/"


def fake_release(tmp_path: Path) -> Release:
    """Only the base IRI matters to the manifest: its own, so no other test's load sees it."""
    return Release(tmp_path, {"dataset": {"base_iri": BASE}, "files": {}})


def fake_manifest(size: int) -> dict[str, str | None]:
    graphs: dict[str, str | None] = {
        f"{BASE}graph/article/a{i:05d}": f"{i:064x}" for i in range(size)
    }
    graphs[f"{BASE}graph/article/pending"] = None  # being rewritten: no digest
    return graphs


@pytest.mark.integration
def test_manifest_larger_than_virtuosos_row_cap_is_read_whole(
    virtuoso,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    """Virtuoso's Graph Store GET returned only 10,000 of the manifest's triples, silently:
    the load then forgot graphs it had loaded and never deleted them. The manifest is now read
    with SPARQL in keyset pages (ORDER BY … OFFSET past 10,000 rows is refused: SR353)."""
    release = fake_release(tmp_path)
    graphs = fake_manifest(6_000)  # 12,001 triples
    name = str(release.minter.load_manifest_graph())
    target = Target(virtuoso.sparql_url, virtuoso.graph_store_url)
    settings = Settings(user="dba", password=VIRTUOSO_PASSWORD, auth=AuthScheme.digest)
    with Remote(settings) as remote:
        put_graph(
            remote, target, name, manifest_triples(release, graphs), LoadOptions(), whole=True
        )
        try:
            # the quirk itself: the Graph Store's answer is cut short and says nothing
            answer = httpx.get(
                virtuoso.graph_store_url,
                params={"graph": name},
                headers={"accept": "application/n-triples"},
                auth=httpx.DigestAuth("dba", VIRTUOSO_PASSWORD),
                timeout=60,
            )
            got = len(list(ox.parse(answer.content, format=ox.RdfFormat.N_TRIPLES)))
            assert got < 12_001 and "x-sparql-maxrows" not in answer.headers
            assert read_manifest(remote, target, release) == graphs
        finally:
            remote.request("DELETE", target.graph_store, "clean up", params={"graph": name})


def test_manifest_pages_join_up(tmp_path: Path) -> None:
    release = fake_release(tmp_path)
    graphs = fake_manifest(23)
    with oxigraph_server(tmp_path / "ox") as server, Remote() as remote:
        target = Target(server.query_url, server.store_url)
        assert read_manifest(remote, target, release) == {}
        lines = manifest_triples(release, graphs)
        put_graph(remote, target, str(release.minter.load_manifest_graph()), lines, LoadOptions())
        for page in (1, 5, 24, 5000):
            assert read_manifest(remote, target, release, page=page, whole=False) == graphs
        assert read_manifest(remote, target, release, whole=True) == graphs  # Oxigraph's way
        # a graph with two digests (a manifest changed half-way) is as good as one without
        twice = f"{BASE}graph/article/a00001"
        extra = f'<{twice}> <https://w3id.org/newsld/vocab#graphDigest> "{"f" * 64}" .\n'
        remote.request(
            "POST",
            target.graph_store,
            "add a digest",
            params={"graph": str(release.minter.load_manifest_graph())},
            content=extra.encode(),
            headers={"content-type": "application/n-triples"},
        )
        graphs[twice] = None
        for whole in (True, False):
            assert read_manifest(remote, target, release, page=7, whole=whole) == graphs


def test_port_taken_between_pick_and_bind_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Port 0 picked a free port, then started oxigraph on it: if another server took the port
    in between, oxigraph died with "Address already in use" — and before dying, the readiness
    probe could get its 200 from the *other* server. Now the answer must come from our PID,
    and a taken port is replaced by another."""
    from newsld.endpoints import serve

    with canned_server(200, "yes", {"content-type": "text/plain"}) as (url, _):
        taken = int(url.rsplit(":", 1)[1])
        picks = iter([taken])
        real = serve.free_port
        monkeypatch.setattr(serve, "free_port", lambda host: next(picks, None) or real(host))
        server = serve.Server(tmp_path / "db", serve.ServeOptions(port=0, read_only=False))
        try:
            server.start()
            assert server.port != taken
            assert server.pid is not None and serve.listens(server.pid, server.port)
            assert httpx.get(server.query_url, params={"query": "ASK {}"}).status_code == 200
        finally:
            server.stop()


def test_remote_query_with_service_is_not_run_here() -> None:
    """To find a rejected query's column (and the Accept header), newsld runs the query on an
    empty local store — pyoxigraph has no parse-only call. A SERVICE clause made that local
    run call the service from this machine (and hang on a silent one)."""
    import socket

    from typer.testing import CliRunner

    from newsld.cli import app

    with socket.socket() as service:
        service.bind(("127.0.0.1", 0))
        service.listen(4)
        service.settimeout(0.5)
        iri = f"http://127.0.0.1:{service.getsockname()[1]}/sparql"
        query = f"SELECT * WHERE {{ SERVICE <{iri}> {{ ?s ?p ?o }} }}"
        with canned_server(400, "no SERVICE here", {"content-type": "text/plain"}) as (url, log):
            result = CliRunner().invoke(app, ["query", query, "-e", url, "--timeout", "5"])
        assert result.exit_code == 2
        assert "the endpoint rejected the query: no SERVICE here" in result.stderr
        assert len(log) == 1
        with pytest.raises(TimeoutError):
            service.accept()  # nobody called the service


def test_an_oxigraph_wrapper_script_still_counts_as_the_server(tmp_path: Path) -> None:
    """The readiness check asks whether our process holds the listening socket; a wrapper
    (``--oxigraph`` pointing at a shell script that starts oxigraph as its child) must pass."""
    import shutil
    import sys

    from newsld.endpoints import serve

    real = Path(sys.executable).parent / "oxigraph"
    if not real.exists():
        real = Path(shutil.which("oxigraph") or "oxigraph")
    wrapper = tmp_path / "oxigraph-wrapper"
    wrapper.write_text(f'#!/bin/sh\n"{real}" "$@"\n')  # no exec: oxigraph is a child
    wrapper.chmod(0o755)
    options = serve.ServeOptions(port=0, read_only=False, oxigraph=str(wrapper), ready_timeout=20)
    server = serve.Server(tmp_path / "db", options)
    try:
        server.start()
        assert httpx.get(server.query_url, params={"query": "ASK {}"}).status_code == 200
        assert server.pid is not None
        family = serve._family(server.pid)
        assert len(family) == 2  # the shell and its oxigraph child
    finally:
        server.stop()
    # and stopping it stops the child too (signals go to the process group)
    assert not any(pid_alive(pid) for pid in family)


def test_virtuoso_deadlock_is_retried() -> None:
    """Virtuoso, sent graphs in parallel, sometimes aborts one write with "500 … Error 40001
    SR172: Transaction deadlocked": nothing was written and the same PUT succeeds when sent
    again. It was reported as a rejected graph and the load ended incomplete."""
    answers = [
        httpx.Response(
            500,
            text="Error 40001 SR172: Transaction deadlocked",
            headers={"server": "Virtuoso/07.20.3229 (Linux)"},
        ),
        httpx.Response(201, text=""),
        httpx.Response(500, text="Error 22023: something else"),
    ]
    pauses: list[float] = []
    mock = httpx.MockTransport(lambda request: answers.pop(0))
    with Remote(Settings(retries=3), sleep=pauses.append, transport=mock) as remote:
        assert remote.request("PUT", "http://x/store", "store graph").status_code == 201
        assert (remote.requests, remote.retried, pauses) == (2, 1, [0.5])
        with pytest.raises(EndpointError, match="something else"):  # other 500s: not retried
            remote.request("PUT", "http://x/store", "store graph")
    assert remote.requests == 3
