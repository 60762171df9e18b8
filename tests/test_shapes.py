"""The native shape evaluator must report exactly what pySHACL reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from newsld.gate import shapes
from newsld.gate.shacl import ShapeResult, shapes_graph, validate
from newsld.rdf.terms import Triple
from newsld.release.build import BuildOptions, build
from newsld.release.run import prepare

from .conftest import CORPUS, add_record

BROKEN = [
    "claim-without-speaker",
    "claim-without-date",
    "claim-date-after-publication",
    "claim-source-not-article",
    "claim-speaker-is-a-place",
    "event-without-participants",
    "valid-short-record",
    "headline-with-quotes-brackets-newlines",
    "article-without-author-url",
    "article-without-publisher-url-and-logo",
    "article-without-authors",
    "review-of-a-claim",
    "review-of-an-unknown-claim",
]


def _key(results: list[ShapeResult]) -> set[tuple[str, str, str, str, str]]:
    return {(r.focus, r.path, r.shape, r.severity, r.value) for r in results}


def _validation_inputs(corpus: Path) -> list[list[Triple]]:
    run = prepare(corpus, BuildOptions())
    inputs = []
    for path in run.corpus.record_paths:
        gated = run.gate(path)
        assert gated.mapped is not None
        inputs.append([*gated.mapped.triples, *gated.context])
    return inputs


def test_native_and_pyshacl_agree_on_seeds_and_broken_records(corpus: Path) -> None:
    for name in BROKEN:
        add_record(corpus, name)
    inputs = _validation_inputs(corpus)
    assert len(inputs) == 5 + len(BROKEN)
    violations = 0
    for triples in inputs:
        native = _key(shapes.evaluate(triples))
        assert native == _key(validate(triples))
        violations += sum(1 for r in native if r[3].endswith("Violation"))
    assert violations >= 6


SEED_INPUTS = _validation_inputs(CORPUS)


@st.composite
def damaged(draw: st.DrawFn) -> list[Triple]:
    """A seed article's triples with some dropped and some objects swapped for others."""
    triples = list(draw(st.sampled_from(SEED_INPUTS)))
    nodes = sorted({t[2] for t in triples}, key=str)
    for _ in range(draw(st.integers(1, 6))):
        i = draw(st.integers(0, len(triples) - 1))
        if draw(st.booleans()):
            del triples[i]
        else:
            s, p, _ = triples[i]
            replacement = draw(
                st.one_of(
                    st.sampled_from(nodes),
                    st.sampled_from(
                        [
                            Literal(""),
                            Literal("2031"),
                            Literal("x", lang="en"),
                            Literal(
                                "2018-02-30",
                                datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"),
                            ),
                        ]
                    ),
                )
            )
            triples[i] = (s, p, replacement)
    return triples


@settings(
    max_examples=40, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(triples=damaged())
def test_native_and_pyshacl_agree_on_damaged_graphs(triples: list[Triple]) -> None:
    assert _key(shapes.evaluate(triples)) == _key(validate(triples))


def test_unsupported_shapes_are_refused() -> None:
    graph = Graph()
    graph += shapes_graph()
    sh = "http://www.w3.org/ns/shacl#"
    graph.add(
        (URIRef("https://w3id.org/newsld/shapes#Claim-text"), URIRef(sh + "pattern"), Literal("^x"))
    )
    with pytest.raises(shapes.UnsupportedShape):
        shapes.compile_shapes(graph)


def test_build_falls_back_to_pyshacl_when_shapes_are_unsupported(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    original = validate

    def counting(triples: list[Triple]) -> list[ShapeResult]:
        calls.append(1)
        return original(triples)

    monkeypatch.setattr(shapes, "supported", lambda: False)
    monkeypatch.setattr("newsld.release.run.validate", counting)
    add_record(corpus, "claim-without-speaker")
    result = build(corpus, tmp_path / "dist")
    assert [f.code for f in result.report.errors] == ["claim/missing-speaker"]
    assert len(calls) == 6
