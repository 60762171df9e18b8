"""The SHACL gate: each broken record is caught with a specific finding on the right line."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from newsld.findings.report import Severity
from newsld.gate.shacl import to_findings, validate, validate_graph
from newsld.rdf.namespaces import NLD
from newsld.release.build import BuildOptions, build, check
from newsld.release.run import prepare

from .conftest import CORPUS, add_record


@pytest.mark.parametrize(
    ("record", "code", "line", "field"),
    [
        # a missing field is reported on the line of its claim or event
        ("claim-without-speaker", "claim/missing-speaker", 9, "claims[0].speaker"),
        ("claim-without-date", "claim/missing-date", 9, "claims[0].date"),
        ("claim-date-after-publication", "date/after-publication", 12, "claims[0].date"),
        ("claim-source-not-article", "claim/source-not-article", 13, "claims[0].also_in"),
        ("claim-speaker-is-a-place", "claim/speaker-not-agent", 11, "claims[0].speaker"),
        ("event-without-participants", "event/missing-participant", 9, "events[0].participants"),
    ],
)
def test_broken_record_fails_the_build_with_a_located_finding(
    corpus: Path, tmp_path: Path, record: str, code: str, line: int, field: str
) -> None:
    add_record(corpus, record)
    result = build(corpus, tmp_path / "dist")
    assert not result.written
    assert not (tmp_path / "dist").exists()
    errors = result.report.errors
    assert [(f.code, f.file, f.line, f.field) for f in errors] == [
        (code, f"corpus/articles/{record}.yaml", line, field)
    ]
    assert errors[0].subject and errors[0].message


def test_claim_without_source_is_caught(corpus: Path) -> None:
    """A claim whose source triple is lost (a mapping bug, or hand-made RDF) is a violation."""
    add_record(corpus, "valid-short-record")
    run = prepare(corpus, BuildOptions())
    gated = run.gate(corpus / "articles" / "valid-short-record.yaml")
    assert gated.mapped is not None and gated.findings == [
        f for f in gated.findings if f.severity is not Severity.ERROR
    ]
    triples = [t for t in gated.mapped.triples if t[1] != NLD.source]
    findings = to_findings(validate([*triples, *gated.context]), gated.mapped.origins)
    codes = sorted({(f.code, f.file) for f in findings if f.severity is Severity.ERROR})
    assert codes == [
        ("claim/missing-source", "corpus/articles/valid-short-record.yaml"),
        ("event/missing-source", "corpus/articles/valid-short-record.yaml"),
    ]


def test_valid_record_with_aliases_and_unnamed_source_passes(corpus: Path, tmp_path: Path) -> None:
    add_record(corpus, "valid-short-record")
    result = build(corpus, tmp_path / "dist")
    assert result.written, [f.message for f in result.report.errors]
    graph = Graph().parse(tmp_path / "dist" / "newsld.ttl")
    base = "https://example.org/newsld/"
    claims = {str(o) for o in graph.objects(None, NLD.speaker)}
    # "Danon" resolves to the registry's Danny Danon; the unnamed source keeps its description
    assert base + "entity/danny-danon" in claims
    assert base + "source/valid-short-record/a-statement" in claims


def _article_graphs_and_results(corpus: Path) -> tuple[Graph, set[tuple[str, str, str, str, str]]]:
    run = prepare(corpus, BuildOptions())
    whole = Graph()
    per_article = set()
    for path in run.corpus.record_paths:
        gated = run.gate(path)
        assert gated.mapped is not None
        for triple in gated.mapped.triples:
            whole.add(triple)
        for triples in gated.mapped.minted.values():  # as the build's entity graph has them
            for triple in triples:
                whole.add(triple)
        owned = gated.mapped.origins
        per_article |= {
            (r.focus, r.path, r.shape, r.severity, r.value)
            for r in gated.results
            if URIRef(r.focus) in owned
        }
    for triple in run.entity_graph():
        whole.add(triple)
    return whole, per_article


@pytest.mark.parametrize(
    "broken",
    [
        [],
        ["claim-without-speaker", "claim-without-date", "claim-date-after-publication"],
        ["claim-source-not-article", "claim-speaker-is-a-place", "event-without-participants"],
    ],
)
def test_per_article_gate_finds_exactly_what_whole_graph_pyshacl_finds(
    corpus: Path, broken: list[str]
) -> None:
    for name in broken:
        add_record(corpus, name)
    whole, per_article = _article_graphs_and_results(corpus)
    reference = {(r.focus, r.path, r.shape, r.severity, r.value) for r in validate_graph(whole)}
    assert per_article == reference
    assert bool(broken) == any(r[3].endswith("Violation") for r in reference)


def test_validate_checks_only_named_records_but_resolves_against_the_corpus(corpus: Path) -> None:
    add_record(corpus, "claim-without-speaker")
    target = add_record(corpus, "valid-short-record")
    assert check(corpus, [target]).conforms
    report = check(corpus)
    assert [f.code for f in report.errors] == ["claim/missing-speaker"]
    assert report.stats["articles"] == len(list((CORPUS / "articles").glob("*.yaml"))) + 1
