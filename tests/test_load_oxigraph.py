"""`newsld load` into a real Oxigraph server, and the example queries over HTTP.

Each test gets a fresh ``oxigraph serve`` on a free 127.0.0.1 port, stopped by PID afterwards.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from newsld.cli import app
from newsld.endpoints.load import LoadOptions, Target, load_release, shard_of
from newsld.endpoints.remote import Remote
from newsld.endpoints.serve import Server
from newsld.rdf.namespaces import NLD, RDF
from newsld.release.build import build
from newsld.release.reader import all_graphs, open_release

from .conftest import add_record, graph_count, graph_sizes
from .servers import basic_auth_proxy, dump_store, oxigraph_server, pid_alive

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "queries").glob("*.rq"))
runner = CliRunner()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    with oxigraph_server(tmp_path / "oxigraph") as running:
        yield running
    assert running.pid is not None and not pid_alive(running.pid)


@pytest.fixture
def plain_server(tmp_path: Path) -> Iterator[Server]:
    """A default `oxigraph serve` (no --union-default-graph): its default graph is its own."""
    with oxigraph_server(tmp_path / "plain", union_default_graph=False) as running:
        yield running
    assert running.pid is not None and not pid_alive(running.pid)


def target(server: Server) -> Target:
    return Target(endpoint=server.query_url, graph_store=server.store_url)


def cli_load(server: Server, release: Path, *extra: str) -> str:
    result = runner.invoke(
        app, ["load", "--endpoint", server.query_url, "--release", str(release), *extra]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def graphs_in(server: Server) -> Counter[str]:
    answer = httpx.post(
        server.query_url,
        data={"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"},
        headers={"accept": "application/sparql-results+json"},
    )
    answer.raise_for_status()
    rows = answer.json()["results"]["bindings"]
    return Counter({r["g"]["value"]: int(r["n"]["value"]) for r in rows})


def test_load_puts_every_graph_with_its_triples(server: Server, seed_release: Path) -> None:
    output = cli_load(server, seed_release)
    count = graph_count(seed_release)
    assert f"loaded {count} of {count} graphs" in output
    assert "verified" in output
    stored = graphs_in(server)
    expected = graph_sizes(seed_release)
    identity = [g for g in expected if "/graph/identity/" in g]
    assert len(expected) == 5 + 1 + len(identity) > 7  # articles, entities, identity buckets
    for graph, size in expected.items():
        assert stored[graph] == size, graph
    base = open_release(seed_release).base_iri
    assert stored[f"{base}graph/description"] > 0
    # each graph named, digested and put in its shard; each shard's digest
    shards = {shard_of(g) for g in [*expected, f"{base}graph/description"]}
    assert stored[f"{base}graph/load-manifest"] == 3 * count + len(shards)
    assert set(stored) == {*expected, f"{base}graph/description", f"{base}graph/load-manifest"}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_over_http_equal_the_embedded_store(
    path: Path, server: Server, seed_release: Path
) -> None:
    cli_load(server, seed_release)
    for output in ("tsv", "table"):
        local = runner.invoke(app, ["query", str(path), "-r", str(seed_release), "-f", output])
        remote = runner.invoke(app, ["query", str(path), "-e", server.query_url, "-f", output])
        assert local.exit_code == remote.exit_code == 0, remote.output
        assert remote.stdout == local.stdout
        assert local.stdout.count("\n") > 2


def test_loading_twice_leaves_the_store_identical(server: Server, seed_release: Path) -> None:
    cli_load(server, seed_release)
    first = dump_store(server)
    second_output = cli_load(server, seed_release)
    assert "deleted" not in second_output
    assert dump_store(server) == first
    skipped = cli_load(server, seed_release, "--changed-only")
    count = graph_count(seed_release)
    assert f"loaded 0 of {count} graphs" in skipped
    assert f"skipped {count} unchanged graphs" in skipped
    assert dump_store(server) == first


def test_removed_article_graph_disappears(server: Server, corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert build(corpus, out).written
    cli_load(server, out)
    victim = next((corpus / "articles").glob("tower-*.yaml"))
    graph = f"{open_release(out).base_iri}graph/article/{victim.stem}"
    assert graph in graphs_in(server)
    victim.with_suffix(".txt").unlink()
    victim.unlink()
    assert build(corpus, out).written
    before = set(graphs_in(server))
    output = cli_load(server, out)
    after = set(graphs_in(server))
    # its graph, and the identity buckets that held only its claims and events
    gone = sorted(before - after)
    assert graph in gone and all(g == graph or "/graph/identity/" in g for g in gone)
    assert f"deleted {len(gone)} graphs the release no longer has:\n" in output
    assert all(f"  <{g}>\n" in output for g in gone)
    # and the store is exactly what loading the new release into an empty store gives
    with oxigraph_server(tmp_path / "fresh") as fresh:
        cli_load(fresh, out)
        assert dump_store(server) == dump_store(fresh)


def test_interrupted_load_converges_when_run_again(
    server: Server, corpus: Path, tmp_path: Path
) -> None:
    first = tmp_path / "first"
    assert build(corpus, first).written
    add_record(corpus, "valid-short-record")
    second = tmp_path / "second"
    assert build(corpus, second).written
    with Remote() as remote:
        assert load_release(open_release(first), target(server), remote).ok

    def interrupt(done: int, total: int) -> None:
        if done == total:  # every graph sent, the final manifest not written
            raise KeyboardInterrupt

    with Remote() as remote, pytest.raises(KeyboardInterrupt):
        load_release(open_release(second), target(server), remote, progress=interrupt)
    new_graph = f"{open_release(second).base_iri}graph/article/valid-short-record"
    assert new_graph in graphs_in(server)  # half-way: the new article's graph is there
    # going back to the first release removes it, though no final manifest ever named it
    cli_load(server, first)
    assert new_graph not in graphs_in(server)
    with oxigraph_server(tmp_path / "fresh") as fresh:
        cli_load(fresh, first)
        assert dump_store(server) == dump_store(fresh)


def test_chunked_load_gives_the_same_store(server: Server, seed_release: Path) -> None:
    with Remote() as remote:
        whole = load_release(open_release(seed_release), target(server), remote)
    dumped = dump_store(server)
    with Remote() as remote:
        chunked = load_release(
            open_release(seed_release), target(server), remote, LoadOptions(chunk_size=25)
        )
    assert chunked.ok and chunked.requests > whole.requests + 40
    assert dump_store(server) == dumped


def test_turtle_content_type_gives_the_same_store(server: Server, seed_release: Path) -> None:
    cli_load(server, seed_release)
    dumped = dump_store(server)
    cli_load(server, seed_release, "--content-type", "turtle")
    assert dump_store(server) == dumped


def test_json_summary(server: Server, seed_release: Path) -> None:
    data = json.loads(cli_load(server, seed_release, "--json"))
    assert data["ok"] is True and data["verified"] is True
    assert len(data["loaded"]) == data["graphs"] == graph_count(seed_release)
    assert data["triples"] == sum(graph_sizes(seed_release).values()) + _description(seed_release)
    assert data["failed"] == {} and data["not_loaded"] == []


def _description(release: Path) -> int:
    return len(list(ox.parse(path=str(release / "void.ttl"))))


def _loaded_then_edited(server: Server, corpus: Path, tmp_path: Path) -> tuple[Path, Path]:
    """The corpus built and loaded, then one claim of JPost's record reworded and the release
    rebuilt (not loaded): the release folder and the record."""
    out = tmp_path / "dist"
    assert build(corpus, out).written
    cli_load(server, out)
    record = next((corpus / "articles").glob("jpost-*.yaml"))
    record.write_text(record.read_text().replace("blatant violation", "flagrant violation", 1))
    assert build(corpus, out).written
    return out, record


def test_changed_graph_is_rewritten_with_changed_only(
    server: Server, corpus: Path, tmp_path: Path
) -> None:
    out, record = _loaded_then_edited(server, corpus, tmp_path)
    summary = json.loads(cli_load(server, out, "--changed-only", "--json"))
    base = open_release(out).base_iri
    # JPost's graph changed, the identity graph of the claim's bucket (its first wording) and
    # the description (the dumps' sizes and hashes); nothing else
    identity = [g for g in summary["loaded"] if g.startswith(f"{base}graph/identity/")]
    assert sorted(set(summary["loaded"]) - set(identity)) == [
        f"{base}graph/article/{record.stem}",
        f"{base}graph/description",
    ]
    assert len(identity) == 1
    assert len(summary["skipped"]) == graph_count(out) - 3
    with oxigraph_server(tmp_path / "fresh") as fresh:
        cli_load(fresh, out)
        assert dump_store(server) == dump_store(fresh)


def test_read_only_server_refuses_the_load(seed_release: Path, tmp_path: Path) -> None:
    location = tmp_path / "ro"
    with oxigraph_server(location):
        pass  # create the database
    with oxigraph_server(location, read_only=True) as server:
        result = runner.invoke(
            app, ["load", "-e", server.query_url, "-r", str(seed_release), "--retries", "0"]
        )
    assert result.exit_code == 2
    assert "could not store graph" in result.stderr or "refused" in result.stderr
    assert "Traceback" not in result.output


def test_copied_release_loads_from_anywhere(
    server: Server, seed_release: Path, tmp_path: Path
) -> None:
    copy = tmp_path / "elsewhere" / "release"
    shutil.copytree(seed_release, copy)
    count = graph_count(seed_release)
    assert f"loaded {count} of {count} graphs" in cli_load(server, copy)


def test_parallel_and_serial_loads_give_the_same_store(
    server: Server, seed_release: Path, tmp_path: Path
) -> None:
    cli_load(server, seed_release, "--parallel", "1")
    with oxigraph_server(tmp_path / "parallel") as other:
        cli_load(other, seed_release, "--parallel", "8", "--chunk-size", "40")
        assert dump_store(other) == dump_store(server)


@pytest.mark.parametrize("scheme", ["basic", "auto"])
def test_basic_auth_behind_a_proxy(server: Server, seed_release: Path, scheme: str) -> None:
    with basic_auth_proxy(server.base_url, "loader", "s3cret") as (url, schemes):
        result = runner.invoke(
            app,
            [
                *("load", "-e", f"{url}/query", "-r", str(seed_release)),
                *("-u", "loader", "--auth", scheme),
            ],
            env={"NEWSLD_PASSWORD": "s3cret"},
        )
        assert result.exit_code == 0, result.output
        assert "verified" in result.stdout
        # basic sends the credentials at once; auto only after the first challenge
        assert schemes[0] == ("Basic" if scheme == "basic" else "")
        assert set(schemes[1:]) == {"Basic"}
        loaded = dump_store(server)
        wrong = runner.invoke(
            app,
            [
                *("load", "-e", f"{url}/query", "-r", str(seed_release)),
                *("-u", "loader", "--password", "nope", "--auth", scheme, "--retries", "0"),
            ],
        )
    assert wrong.exit_code == 2
    assert "401 Unauthorized" in wrong.stderr and "check the user name, password" in wrong.stderr
    assert dump_store(server) == loaded  # refused before anything was written


def test_progress_bar_on_a_terminal_only(server: Server, seed_release: Path) -> None:
    """A bar on stderr when it is a terminal (here a pty); nothing when it is not."""
    import contextlib
    import os
    import pty
    import subprocess
    import sys
    import threading

    command = [str(Path(sys.executable).parent / "newsld"), "load", "-e", server.query_url]
    command += ["-r", str(seed_release), "--chunk-size", "5"]  # slow enough to draw
    leader, follower = pty.openpty()
    chunks: list[bytes] = []

    def drain() -> None:  # read as it is written: a full pty would block the load
        with contextlib.suppress(OSError):
            while chunk := os.read(leader, 65536):
                chunks.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=follower,
            timeout=120,
            check=False,
            env={**os.environ, "COLUMNS": "100", "TERM": "xterm"},
        )
    finally:
        os.close(follower)
        reader.join(10)
        os.close(leader)
    drawn = b"".join(chunks)
    assert done.returncode == 0, drawn
    graphs = len(list(all_graphs(open_release(seed_release))))
    assert b"loading" in drawn and f"{graphs}/{graphs}".encode() in drawn
    piped = runner.invoke(app, ["load", "-e", server.query_url, "-r", str(seed_release)])
    assert piped.exit_code == 0 and "loading" not in piped.stderr and "/" not in piped.stderr


def test_load_killed_mid_way_converges_when_run_again(
    server: Server, corpus: Path, tmp_path: Path
) -> None:
    """The real interruption: SIGKILL to a running `newsld load` (no cleanup of any kind)."""
    import signal
    import subprocess
    import sys
    import time

    first, second = tmp_path / "first", tmp_path / "second"
    assert build(corpus, first).written
    cli_load(server, first)
    victim = next((corpus / "articles").glob("tower-*.yaml"))
    victim.with_suffix(".txt").unlink()
    victim.unlink()
    assert build(corpus, second).written
    manifest = f"{open_release(second).base_iri}graph/load-manifest"
    final_size = graphs_in(server)[manifest]
    command = [str(Path(sys.executable).parent / "newsld"), "load", "-e", server.query_url]
    command += ["-r", str(second), "--chunk-size", "1", "--parallel", "1"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while graphs_in(server)[manifest] == final_size:  # until the pending manifest is in
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.02)
        time.sleep(0.3)  # some graphs are being written, one at a time, a triple a request
        assert process.poll() is None, "the load ended before it could be interrupted"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    assert dump_store(server) != []
    output = cli_load(server, second)
    victim_graph = f"{open_release(first).base_iri}graph/article/{victim.stem}"
    assert f"graphs the release no longer has:\n  <{victim_graph}>" in output
    with oxigraph_server(tmp_path / "fresh") as fresh:
        cli_load(fresh, second)
        assert dump_store(server) == dump_store(fresh)


# ------------------------------------------------------- the default graph the example queries read


def release_claims_counted(release: Path) -> int:
    """The claims in the release, as the build counted them (manifest.json), independently of
    the VoID description the load reads."""
    return int(json.loads((release / "manifest.json").read_text())["counts"]["claims"])


def select_count(server: Server, query: str) -> int:
    answer = httpx.post(
        server.query_url,
        data={"query": query},
        headers={"accept": "application/sparql-results+json"},
    )
    answer.raise_for_status()
    return int(answer.json()["results"]["bindings"][0]["n"]["value"])


# (DISTINCT: a claim is in the graph of each article reporting it)
CLAIMS_IN_DEFAULT_GRAPH = f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{NLD.Claim}> }}"
CLAIMS_IN_NAMED_GRAPHS = (
    f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH ?g {{ ?c a <{NLD.Claim}> }} }}"
)


def test_union_default_graph_passes_the_default_graph_check(
    server: Server, seed_release: Path
) -> None:
    claims = release_claims_counted(seed_release)
    assert claims > 0
    output = cli_load(server, seed_release)
    assert f"default graph: queries without GRAPH see all {claims} claims" in output
    data = json.loads(cli_load(server, seed_release, "--json"))
    assert data["ok"] is True and data["complete"] is True
    assert data["default_graph"] == {
        "ok": True,
        "claims": claims,
        "seen": claims,
        "scope": "release",
        "named_graphs_only": False,
        "problem": None,
    }


def test_default_oxigraph_serve_fails_loudly(plain_server: Server, seed_release: Path) -> None:
    """Every graph goes in and verifies, but queries without GRAPH would see nothing."""
    claims = release_claims_counted(seed_release)
    result = runner.invoke(app, ["load", "-e", plain_server.query_url, "-r", str(seed_release)])
    assert result.exit_code == 1, result.output
    count = graph_count(seed_release)
    assert f"loaded {count} of {count} graphs" in result.stdout
    assert "verified: every graph holds the release's triple count" in result.stdout
    assert f"queries without GRAPH see 0 of the release's {claims} claims" in result.stderr
    assert "default graph does not include the named graphs" in result.stderr
    assert "fix (Oxigraph): restart `oxigraph serve` with --union-default-graph" in result.stderr
    assert "--named-graphs-only" in result.stderr
    assert "load incomplete" not in result.stderr  # loading again would not help
    assert "Traceback" not in result.output
    assert select_count(plain_server, CLAIMS_IN_NAMED_GRAPHS) == claims  # the data is there
    example = runner.invoke(app, ["query", str(EXAMPLES[0]), "-e", plain_server.query_url])
    assert example.exit_code == 0 and "(0 rows)" in example.stdout  # what users would get

    as_json = runner.invoke(
        app, ["load", "-e", plain_server.query_url, "-r", str(seed_release), "--json"]
    )
    assert as_json.exit_code == 1
    data = json.loads(as_json.stdout)
    assert data["ok"] is False and data["complete"] is True and data["verified"] is True
    assert data["default_graph"]["ok"] is False
    assert (data["default_graph"]["claims"], data["default_graph"]["seen"]) == (claims, 0)
    assert "--union-default-graph" in data["default_graph"]["problem"]
    assert "--union-default-graph" in as_json.stderr  # said on stderr with --json too


def test_named_graphs_only_accepts_it_with_a_warning(
    plain_server: Server, seed_release: Path
) -> None:
    claims = release_claims_counted(seed_release)
    result = runner.invoke(
        app,
        ["load", "-e", plain_server.query_url, "-r", str(seed_release), "--named-graphs-only"],
    )
    assert result.exit_code == 0, result.output
    assert f"warning: queries without GRAPH see 0 of the release's {claims} claims" in (
        result.stderr
    )
    assert "--named-graphs-only" in result.stderr
    assert "newsld:" not in result.stderr  # a warning, not an error
    assert select_count(plain_server, CLAIMS_IN_NAMED_GRAPHS) == claims
    data = json.loads(
        runner.invoke(
            app,
            [
                *("load", "-e", plain_server.query_url, "-r", str(seed_release)),
                *("--named-graphs-only", "--json"),
            ],
        ).stdout
    )
    assert data["ok"] is True and data["default_graph"]["ok"] is False
    assert data["default_graph"]["named_graphs_only"] is True


def test_named_graphs_only_on_a_union_store_warns_of_nothing(
    server: Server, seed_release: Path
) -> None:
    output = cli_load(server, seed_release, "--named-graphs-only")
    assert "default graph: queries without GRAPH see all" in output


def test_a_default_graph_with_some_of_the_claims_is_not_enough(
    plain_server: Server, seed_release: Path
) -> None:
    """One article's triples in the default graph, and another dataset's claims: the default
    graph sees some claims, but only those of this release count, and some is not all."""
    claims = release_claims_counted(seed_release)
    article = next(g for g in all_graphs(open_release(seed_release)) if "/article/" in g.name)
    own = sum(1 for line in article.lines if f"<{NLD.Claim}>" in line)
    assert 0 < own < claims
    other = "".join(
        f"<https://example.net/other/claim/{i}> <{RDF.type}> <{NLD.Claim}> .\n" for i in range(99)
    )
    put = httpx.put(
        plain_server.store_url,
        params={"default": ""},
        content=("".join(article.lines) + other).encode(),
        headers={"content-type": "application/n-triples"},
    )
    put.raise_for_status()
    assert select_count(plain_server, CLAIMS_IN_DEFAULT_GRAPH) == own + 99 > claims
    result = runner.invoke(app, ["load", "-e", plain_server.query_url, "-r", str(seed_release)])
    assert result.exit_code == 1, result.output
    assert f"queries without GRAPH see {own} of the release's {claims} claims" in result.stderr


def test_a_reload_checks_the_default_graph_on_the_claims_it_wrote(
    plain_server: Server, corpus: Path, tmp_path: Path
) -> None:
    """Counting every claim of a big release takes seconds: a reload that skipped graphs counts
    the claims of the graphs it wrote, which a default graph without them still fails."""
    out = tmp_path / "dist"
    assert build(corpus, out).written
    first = json.loads(
        runner.invoke(app, ["load", "-e", plain_server.query_url, "-r", str(out), "--json"]).stdout
    )
    assert first["default_graph"]["scope"] == "release" and first["default_graph"]["ok"] is False
    record = next((corpus / "articles").glob("jpost-*.yaml"))
    record.write_text(record.read_text().replace("blatant violation", "flagrant violation", 1))
    assert build(corpus, out).written
    result = runner.invoke(
        app, ["load", "-e", plain_server.query_url, "-r", str(out), "--changed-only"]
    )
    assert result.exit_code == 1, result.output
    assert "queries without GRAPH see 0 of the " in result.stderr
    assert " claims of the graphs written: the store's default graph does not" in result.stderr
    # the same release again writes nothing: nothing to check
    again = runner.invoke(
        app, ["load", "-e", plain_server.query_url, "-r", str(out), "--changed-only", "--json"]
    )
    data = json.loads(again.stdout)
    assert data["loaded"] == [] and data["default_graph"]["ok"] is None and data["ok"]


def test_no_verify_checks_nothing(plain_server: Server, seed_release: Path) -> None:
    result = runner.invoke(
        app,
        ["load", "-e", plain_server.query_url, "-r", str(seed_release), "--no-verify", "--json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["verified"] is None and data["default_graph"]["ok"] is None


def test_library_summary_keeps_complete_apart_from_ok(
    plain_server: Server, seed_release: Path
) -> None:
    with Remote() as remote:
        summary = load_release(open_release(seed_release), target(plain_server), remote)
    assert summary.complete and summary.verified and not summary.ok
    assert summary.claims == release_claims_counted(seed_release)
    assert summary.default_graph_claims == 0 and summary.default_graph_ok is False
    assert summary.default_graph_problem is not None
    with Remote() as remote:
        accepted = load_release(
            open_release(seed_release),
            target(plain_server),
            remote,
            LoadOptions(named_graphs_only=True),
        )
    assert accepted.ok and accepted.default_graph_ok is False


# ------------------------------------------------------------------- the bulk path (issue 17)


def test_first_load_goes_in_bulk_and_equals_one_put_per_graph(
    server: Server, seed_release: Path, tmp_path: Path
) -> None:
    summary = json.loads(cli_load(server, seed_release, "--json", "--bulk-size", "300"))
    count = graph_count(seed_release)
    assert summary["ok"] and len(summary["loaded"]) == count
    assert summary["bulk"]["graphs"] == count  # a fresh store holds none of them
    assert summary["bulk"]["requests"] >= 2  # batches of about 300 triples
    with oxigraph_server(tmp_path / "per-graph") as other:
        per_graph = json.loads(cli_load(other, seed_release, "--json", "--bulk", "off"))
        assert per_graph["bulk"] == {"graphs": 0, "requests": 0}
        assert dump_store(other) == dump_store(server)


def test_graphs_the_store_holds_are_put_not_added_to(
    server: Server, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    assert build(corpus, out).written
    cli_load(server, out)
    again = json.loads(cli_load(server, out, "--json"))
    assert again["bulk"]["graphs"] == 0  # every graph was there
    assert len(again["loaded"]) == graph_count(out)
    # a new article: only its graph is absent, so only it goes in bulk; a changed one is PUT
    add_record(corpus, "valid-short-record")
    record = next((corpus / "articles").glob("jpost-*.yaml"))
    record.write_text(record.read_text().replace("blatant violation", "flagrant violation", 1))
    assert build(corpus, out).written
    held = set(graphs_in(server))
    summary = json.loads(cli_load(server, out, "--changed-only", "--json"))
    base = open_release(out).base_iri
    # absent: the new article's graph and the identity buckets only its claims fill
    absent = set(graph_sizes(out)) - held
    assert f"{base}graph/article/valid-short-record" in absent
    assert all(
        "/graph/identity/" in g for g in absent - {f"{base}graph/article/valid-short-record"}
    )
    assert summary["bulk"]["graphs"] == len(absent)
    assert f"{base}graph/article/{record.stem}" in summary["loaded"]
    with oxigraph_server(tmp_path / "fresh") as fresh:
        cli_load(fresh, out, "--bulk", "off")
        assert dump_store(server) == dump_store(fresh)


def test_a_graph_the_store_holds_outside_the_manifest_is_replaced(
    server: Server, seed_release: Path
) -> None:
    """Bulk only adds, so it is kept for graphs the store does not hold at all: a stray triple
    already in an article graph (put there by someone else) is replaced, not merged with."""
    graph = next(iter(graph_sizes(seed_release)))
    stray = "<https://example.org/stray> <https://example.org/p> <https://example.org/o> .\n"
    httpx.put(
        server.store_url,
        params={"graph": graph},
        content=stray,
        headers={"content-type": "application/n-triples"},
    ).raise_for_status()
    summary = json.loads(cli_load(server, seed_release, "--json"))
    assert summary["ok"] and summary["bulk"]["graphs"] == graph_count(seed_release) - 1
    assert graphs_in(server)[graph] == graph_sizes(seed_release)[graph]


# ------------------------------------------------------------------- the offline path (issue 17)


def test_offline_store_served_by_oxigraph_equals_a_load_over_http(
    server: Server, seed_release: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "offline"
    result = runner.invoke(app, ["load", "--offline", str(folder), "-r", str(seed_release)])
    assert result.exit_code == 0, result.output
    assert f"loaded {graph_count(seed_release)} graphs" in result.stdout
    assert "oxigraph serve --location" in result.stdout
    cli_load(server, seed_release)
    with oxigraph_server(folder) as offline:
        assert dump_store(offline) == dump_store(server)  # the load manifest included
        # the store knows what it holds: an incremental load into it changes nothing
        again = json.loads(cli_load(offline, seed_release, "--changed-only", "--json"))
        assert again["ok"] and again["loaded"] == []
        assert len(again["skipped"]) == graph_count(seed_release)
        assert dump_store(offline) == dump_store(server)
        for path in EXAMPLES:
            local = runner.invoke(app, ["query", str(path), "-r", str(seed_release), "-f", "tsv"])
            remote = runner.invoke(app, ["query", str(path), "-e", offline.query_url, "-f", "tsv"])
            assert remote.exit_code == 0 and remote.stdout == local.stdout, path


def test_offline_refuses_a_store_that_holds_something(seed_release: Path, tmp_path: Path) -> None:
    folder = tmp_path / "used"
    folder.mkdir()
    (folder / "CURRENT").write_text("x")
    result = runner.invoke(app, ["load", "--offline", str(folder), "-r", str(seed_release)])
    assert result.exit_code == 2
    assert "already exists and is not empty" in result.stderr
    assert "Traceback" not in result.output
    assert (folder / "CURRENT").read_text() == "x"


def test_offline_inside_the_release_is_refused(seed_release: Path) -> None:
    result = runner.invoke(
        app, ["load", "--offline", str(seed_release / "store"), "-r", str(seed_release)]
    )
    assert result.exit_code == 2 and "outside the release" in result.stderr


BOTH = ["--endpoint", "http://127.0.0.1:1/query", "--offline", "x"]


@pytest.mark.parametrize("given", [[], BOTH])
def test_load_needs_an_endpoint_or_offline_not_both(seed_release: Path, given: list[str]) -> None:
    result = runner.invoke(app, ["load", "-r", str(seed_release), *given])
    assert result.exit_code == 2
    assert "either --endpoint URL" in result.stderr


# ------------------------------------------------------------- the manifest's shards (issue 17)


class _Recording(Remote):
    """A Remote that keeps the SPARQL queries it sends."""

    queries: list[str]

    def request(self, method, url, what, **options):  # type: ignore[no-untyped-def,override]
        data = options.get("data") or {}
        self.queries.append(data.get("query", ""))
        return super().request(method, url, what, **options)


def _assert_equals_a_fresh_load(server: Server, release: Path, tmp_path: Path) -> None:
    with oxigraph_server(tmp_path / "fresh") as fresh:
        cli_load(fresh, release)
        assert dump_store(server) == dump_store(fresh)


def _reload(server: Server, release: Path) -> tuple[list[str], object]:
    with _Recording() as remote:
        remote.queries = []
        summary = load_release(
            open_release(release), target(server), remote, LoadOptions(changed_only=True)
        )
    return remote.queries, summary


def test_a_reload_reads_only_the_manifest_shards_whose_digest_changed(
    server: Server, corpus: Path, tmp_path: Path
) -> None:
    out, _ = _loaded_then_edited(server, corpus, tmp_path)
    queries, summary = _reload(server, out)
    reads = [q for q in queries if str(NLD.loadedGraph) in q and "COUNT" not in q]
    assert len(reads) == 1 and str(NLD.manifestShard) in reads[0]  # the changed shards only
    shards = {shard_of(g) for g in summary.loaded}  # type: ignore[attr-defined]
    assert reads[0].count("/graph/load-manifest/shard/") == len(shards) < 10
    assert summary.ok and len(summary.loaded) == 3  # type: ignore[attr-defined]
    # nothing changed: no entry is read at all
    queries, summary = _reload(server, out)
    assert not [q for q in queries if str(NLD.loadedGraph) in q and "COUNT" not in q]
    assert summary.ok and summary.loaded == []  # type: ignore[attr-defined]
    _assert_equals_a_fresh_load(server, out, tmp_path)


def test_a_manifest_without_shards_is_read_whole_and_given_them(
    server: Server, seed_release: Path, tmp_path: Path
) -> None:
    """A store loaded by an earlier newsld has entries and digests only."""
    cli_load(server, seed_release)
    manifest = f"{open_release(seed_release).base_iri}graph/load-manifest"
    httpx.post(
        server.base_url + "/update",
        content=(
            f"DELETE WHERE {{ GRAPH <{manifest}> {{ ?s <{NLD.shardDigest}> ?d }} }} ;\n"
            f"DELETE WHERE {{ GRAPH <{manifest}> {{ ?g <{NLD.manifestShard}> ?s }} }}"
        ),
        headers={"content-type": "application/sparql-update"},
    ).raise_for_status()
    queries, summary = _reload(server, seed_release)
    assert summary.ok and summary.loaded == []  # type: ignore[attr-defined]
    assert any(str(NLD.manifestShard) not in q and str(NLD.loadedGraph) in q for q in queries)
    queries, summary = _reload(server, seed_release)  # shards given: nothing read now
    assert not [q for q in queries if str(NLD.loadedGraph) in q and "COUNT" not in q]
    _assert_equals_a_fresh_load(server, seed_release, tmp_path)
