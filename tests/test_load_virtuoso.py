"""`newsld load` into a real, private Virtuoso (Debian package `virtuoso-opensource`).

The instance runs from its own ini in a temporary folder, both ports on 127.0.0.1, with a test
password set through isql's USER_SET_PASSWORD. Its quirks are exercised, not papered over:
writes need digest auth on /sparql-graph-crud-auth (anonymous writes are refused), its Graph
Store takes no N-Quads (newsld sends N-Triples or Turtle), and /sparql silently caps results
at 10,000 rows, saying so only in the X-SPARQL-MaxRows header.

CI installs the package (see .ci/run); elsewhere these tests skip, saying why.
"""

from __future__ import annotations

import gzip
import shutil
from decimal import Decimal
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from typer.testing import CliRunner

from newsld.cli import app
from newsld.release.build import build
from newsld.release.reader import Graph, all_graphs, open_release

from .conftest import graph_count
from .servers import (
    VIRTUOSO,
    VIRTUOSO_ISQL,
    VIRTUOSO_PASSWORD,
    Virtuoso,
    run_ld_dir_recipe,
    running_virtuoso,
)

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(
        VIRTUOSO is None or VIRTUOSO_ISQL is None,
        reason="Virtuoso is not installed (apt-get install virtuoso-opensource; .ci/run does)",
    ),
]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "queries").glob("*.rq"))
runner = CliRunner()
AUTH = ("dba", VIRTUOSO_PASSWORD)
XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"


def load(virtuoso: Virtuoso, release: Path, *extra: str):  # type: ignore[no-untyped-def]
    return runner.invoke(
        app,
        [
            "load",
            "--endpoint",
            virtuoso.sparql_url,
            "--release",
            str(release),
            "--user",
            AUTH[0],
            "--password",
            AUTH[1],
            *extra,
        ],
    )


def by_value(triple: ox.Triple) -> str:
    """The triple in N-Triples, xsd:decimal objects in canonical form: Virtuoso stores decimals
    as numbers and gives "0.60" back as "0.6" (the same value, so the same RDF literal value)."""
    obj = triple.object
    if isinstance(obj, ox.Literal) and obj.datatype.value == XSD_DECIMAL:
        value = Decimal(obj.value).normalize()
        text = format(value, "f")
        obj = ox.Literal(text if "." in text else f"{text}.0", datatype=obj.datatype)
    return str(ox.Triple(triple.subject, triple.predicate, obj))


def graph_content(virtuoso: Virtuoso, graph: str) -> set[str]:
    """The graph as Virtuoso returns it over its Graph Store (N-Triples, canonical terms)."""
    answer = httpx.get(
        virtuoso.graph_store_url,
        params={"graph": graph},
        headers={"accept": "application/n-triples"},
        auth=httpx.DigestAuth(*AUTH),
        timeout=30,
    )
    if answer.status_code == 404:
        return set()
    answer.raise_for_status()
    return {by_value(t) for t in ox.parse(answer.content, format=ox.RdfFormat.N_TRIPLES)}


def release_content(graph: Graph) -> set[str]:
    text = "".join(graph.lines).encode("utf-8")
    return {by_value(t) for t in ox.parse(text, format=ox.RdfFormat.N_TRIPLES)}


def counts(virtuoso: Virtuoso) -> dict[str, int]:
    query = (
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        'FILTER (STRSTARTS(STR(?g), "https://example.org/newsld/")) } GROUP BY ?g'
    )
    answer = httpx.post(
        virtuoso.sparql_url,
        data={"query": query},
        headers={"accept": "application/sparql-results+json"},
        timeout=30,
    )
    answer.raise_for_status()
    rows = answer.json()["results"]["bindings"]
    return {r["g"]["value"]: int(r["n"]["value"]) for r in rows}


def test_load_with_digest_auth_and_check_every_graph(virtuoso: Virtuoso, corpus: Path) -> None:
    release = corpus.parent / "dist"
    assert build(corpus, release).written
    result = load(virtuoso, release)
    assert result.exit_code == 0, result.output
    count = graph_count(release)
    assert f"loaded {count} of {count} graphs" in result.stdout and "verified" in result.stdout
    # its default graph is the union of all graphs: the example queries see the release
    assert "default graph: queries without GRAPH see all" in result.stdout
    stored = counts(virtuoso)
    with gzip.open(release / "newsld.nq.gz", "rt", encoding="utf-8") as stream:
        total = sum(1 for line in stream if line.strip())
    graphs = list(all_graphs(open_release(release)))
    assert sum(g.triples for g in graphs[:-1]) == total  # articles + entities = the dump
    for graph in graphs:
        assert stored[graph.name] == graph.triples, graph.name
        # not only as many triples: the same triples, terms and datatypes intact
        assert graph_content(virtuoso, graph.name) == release_content(graph)

    # loading again changes nothing
    before = {g: graph_content(virtuoso, g) for g in stored}
    again = load(virtuoso, release)
    assert again.exit_code == 0, again.output
    assert counts(virtuoso) == stored
    assert {g: graph_content(virtuoso, g) for g in stored} == before

    # an article removed from the corpus: its graph goes at the next load
    victim = next((corpus / "articles").glob("tower-*.yaml"))
    victim.with_suffix(".txt").unlink()
    victim.unlink()
    assert build(corpus, release).written
    removed = load(virtuoso, release)
    assert removed.exit_code == 0, removed.output
    gone = f"{open_release(release).base_iri}graph/article/{victim.stem}"
    assert f"<{gone}>" in removed.stdout
    assert gone not in counts(virtuoso)
    assert graph_content(virtuoso, gone) == set()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_on_virtuoso_equal_the_embedded_store(
    virtuoso: Virtuoso, seed_release: Path, path: Path
) -> None:
    assert load(virtuoso, seed_release, "--changed-only").exit_code == 0
    local = runner.invoke(app, ["query", str(path), "-r", str(seed_release), "-f", "tsv"])
    remote = runner.invoke(app, ["query", str(path), "-e", virtuoso.sparql_url, "-f", "tsv"])
    assert local.exit_code == remote.exit_code == 0, remote.output
    assert remote.stdout == local.stdout


def test_anonymous_writes_are_refused_with_a_hint(virtuoso: Virtuoso, seed_release: Path) -> None:
    result = runner.invoke(
        app, ["load", "-e", virtuoso.sparql_url, "-r", str(seed_release), "--retries", "0"]
    )
    assert result.exit_code == 2
    assert "/sparql-graph-crud refused to store graph" in result.stderr
    assert "Virtuoso refuses anonymous writes" in result.stderr
    assert "Traceback" not in result.output


def test_wrong_password_is_refused(virtuoso: Virtuoso, seed_release: Path) -> None:
    result = runner.invoke(
        app,
        [
            *("load", "-e", virtuoso.sparql_url, "-r", str(seed_release)),
            *("-u", "dba", "--password", "wrong", "--retries", "0"),
        ],
    )
    assert result.exit_code == 2
    assert "401 Unauthorized" in result.stderr and "check the user name" in result.stderr


def test_explicit_digest_and_turtle(virtuoso: Virtuoso, seed_release: Path) -> None:
    result = load(virtuoso, seed_release, "--auth", "digest", "--content-type", "turtle")
    assert result.exit_code == 0, result.output
    assert "verified" in result.stdout


def test_nquads_are_what_virtuoso_refuses(virtuoso: Virtuoso, seed_release: Path) -> None:
    """Why newsld never sends N-Quads: the Graph Store answers 500 'unsupported type'."""
    with gzip.open(seed_release / "newsld.nq.gz", "rb") as stream:
        quads = stream.read(4000).rsplit(b"\n", 1)[0] + b"\n"
    answer = httpx.put(
        virtuoso.graph_store_url,
        params={"graph": "urn:newsld:test:nquads"},
        content=quads,
        headers={"content-type": "application/n-quads"},
        auth=httpx.DigestAuth(*AUTH),
        timeout=30,
    )
    assert answer.status_code >= 400
    assert "unsupported type" in answer.text


def test_result_cap_is_detected_and_reported(virtuoso: Virtuoso) -> None:
    graph = "urn:newsld:test:big"
    triples = "".join(f"<urn:s:{i}> <urn:p> {i} .\n" for i in range(10_050)).encode()
    put = httpx.put(
        virtuoso.graph_store_url,
        params={"graph": graph},
        content=triples,
        headers={"content-type": "application/n-triples"},
        auth=httpx.DigestAuth(*AUTH),
        timeout=60,
    )
    assert put.is_success, put.text
    try:
        result = runner.invoke(
            app,
            [
                *("query", f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"),
                *("-e", virtuoso.sparql_url, "-f", "csv"),
            ],
        )
        assert result.exit_code == 0, result.output
        assert result.stdout.count("\n") == 10_001  # header + the capped 10,000 rows
        assert "capped the results at 10000 rows (X-SPARQL-MaxRows)" in result.stderr
        small = runner.invoke(
            app,
            [
                *("query", f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }} LIMIT 10"),
                *("-e", virtuoso.sparql_url),
            ],
        )
        assert small.exit_code == 0 and "capped" not in small.stderr
        # CONSTRUCT answers are cut too, and no header says so: newsld warns all the same
        construct = runner.invoke(
            app,
            [
                *("query", f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"),
                *("-e", virtuoso.sparql_url, "-f", "ntriples"),
            ],
        )
        assert construct.exit_code == 0, construct.output
        assert 10_000 <= construct.stdout.count("\n") < 10_050
        assert "cuts CONSTRUCT and DESCRIBE answers at ResultSetMaxRows" in construct.stderr
    finally:
        httpx.delete(
            virtuoso.graph_store_url,
            params={"graph": graph},
            auth=httpx.DigestAuth(*AUTH),
            timeout=30,
        )


def test_virtuoso_binary_is_the_debian_one() -> None:
    assert VIRTUOSO is not None and shutil.which("virtuoso-t") == VIRTUOSO


def test_syntax_error_on_virtuoso_shows_line_and_column(virtuoso: Virtuoso) -> None:
    """Virtuoso's message names the line only; newsld adds the column and shows the place."""
    result = runner.invoke(
        app, ["query", "SELECT ?x WHERE {\n  ?x ?y }", "-e", virtuoso.sparql_url]
    )
    assert result.exit_code == 2
    assert "<query>:2:9: syntax error" in result.stderr
    assert "the endpoint said: Virtuoso 37000 Error SP030" in result.stderr
    assert "Traceback" not in result.output


def test_the_documented_ld_dir_recipe_loads_the_release_and_newsld_load_takes_over(
    seed_release: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The first-load recipe of docs/howto/load.md, as printed there, on a Virtuoso of its own
    (the recipe adds triples: it must not meet the session's loads): every graph of the release
    with its triples, then `newsld load --changed-only` keeps the store (its first run rewrites
    every graph, as the guide says: ld_dir writes no load manifest)."""
    with running_virtuoso(lambda: tmp_path_factory.mktemp("virtuoso-ld-dir")) as server:
        assert run_ld_dir_recipe(server, seed_release)
        graphs = list(all_graphs(open_release(seed_release)))
        expected = {g.name: g.triples for g in graphs}
        assert counts(server) == expected
        article = next(g for g in graphs if "/graph/article/" in g.name)
        assert graph_content(server, article.name) == release_content(article)

        result = load(server, seed_release, "--changed-only")
        assert result.exit_code == 0, result.output
        assert "verified" in result.stdout
        stored = counts(server)
        assert stored.pop(f"{open_release(seed_release).base_iri}graph/load-manifest") > 0
        assert stored == expected
