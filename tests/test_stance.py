"""A claim's stance: the speaker asserts, denies or questions its words (records, RDF, shapes)."""

from __future__ import annotations

import typing
from pathlib import Path

from newsld.corpus.records import StanceName
from newsld.extraction import Stance
from newsld.gate import shapes
from newsld.gate.shacl import validate
from newsld.rdf.namespaces import NLD
from newsld.rdf.terms import STANCES
from newsld.release.build import BuildOptions, check
from newsld.release.run import prepare

from .conftest import add_record


def test_the_record_values_the_extractor_values_and_the_vocabulary_agree() -> None:
    assert set(typing.get_args(StanceName)) == {s.value for s in Stance} == set(STANCES)
    assert set(STANCES.values()) == {NLD.Asserts, NLD.Denies, NLD.Questions}


def _with_stance(corpus: Path, stance: str | None) -> Path:
    record = add_record(corpus, "valid-short-record")
    text = record.read_text()
    if stance is not None:
        text = text.replace(
            "    kind: indirect\n", f"    kind: indirect\n    stance: {stance}\n", 1
        )
    record.write_text(text)
    return record


def _mapped(corpus: Path, name: str) -> list:
    run = prepare(corpus, BuildOptions())
    path = next(p for p in run.corpus.record_paths if p.name == f"{name}.yaml")
    gated = run.gate(path)
    assert gated.mapped is not None
    return [*gated.mapped.triples, *gated.context]


def test_a_bad_stance_is_a_located_invalid_value(corpus: Path) -> None:
    _with_stance(corpus, "deny")
    report = check(corpus)
    found = [(f.code, f.line, f.field) for f in report.errors]
    assert found == [("record/invalid-value", 15, "claims[1].stance")]
    assert "'asserts', 'denies' or 'questions'" in report.errors[0].message


def test_a_curated_denial_is_released_as_one(corpus: Path) -> None:
    _with_stance(corpus, "denies")
    assert not check(corpus).errors
    triples = _mapped(corpus, "valid-short-record")
    stances = {o for _, p, o in triples if p == NLD.stance}
    # the direct quote has no stance written: asserts, the default
    assert stances == {NLD.Asserts, NLD.Denies}
    claims = {s for s, p, o in triples if p == NLD.claimKind}
    assert claims == {s for s, p, _ in triples if p == NLD.stance}


def test_every_claim_needs_exactly_one_stance_of_the_three(corpus: Path) -> None:
    _with_stance(corpus, None)
    triples = _mapped(corpus, "valid-short-record")
    without = [t for t in triples if t[1] != NLD.stance]
    twice = [*triples, *[(s, p, NLD.Questions) for s, p, o in triples if p == NLD.stance]]
    other = [(s, p, NLD.DirectQuote if p == NLD.stance else o) for s, p, o in triples]
    for damaged in (without, twice, other):
        native = shapes.evaluate(damaged)
        assert {r.shape for r in native} == {r.shape for r in validate(damaged)}
        errors = {r.shape.rsplit("#", 1)[-1] for r in native if r.severity.endswith("Violation")}
        assert errors == {"Claim-stance"}
