"""Claim and event identity (issue 15): one claim per statement, one event per happening,
each report an appearance; variants linked, not merged; IRIs keyed on what was said."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

from newsld.rdf.identity import (
    IdentityIndex,
    fingerprint,
    statement_key,
    variant_of,
)
from newsld.rdf.namespaces import NLD, RDF, SDO
from newsld.release.build import build
from tests.conftest import add_record


def _dataset(release: Path) -> Dataset:
    data = Dataset(default_union=True)
    with gzip.open(release / "newsld.nq.gz", "rt", encoding="utf-8") as stream:
        data.parse(data=stream.read(), format="nquads")
    return data


def _texts(data: Dataset, node: URIRef) -> set[str]:
    return {str(o) for _, _, o, _ in data.quads((node, NLD.claimText, None, None))}


# -- the canonical form ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "other",
    [
        "The cooperation between Hamas and Hezbollah crosses borders.",
        "the cooperation between Hamas and Hezbollah crosses borders",
        "“The cooperation between Hamas and Hezbollah crosses borders”",
        "The cooperation — between Hamas and Hezbollah — crosses borders!",
        "The cooperation between Hamas [and] and Hezbollah crosses borders",
        "THE COOPERATION BETWEEN HAMAS AND HEZBOLLAH … CROSSES BORDERS",
    ],
)
def test_punctuation_quote_marks_case_and_editorial_marks_make_one_statement(other: str) -> None:
    text = "The cooperation between Hamas and Hezbollah crosses borders"
    assert fingerprint(other) == fingerprint(text)
    assert statement_key("s", "asserts", other) == statement_key("s", "asserts", text)


def test_speaker_and_stance_are_part_of_the_statement() -> None:
    text = "a deal had been done"
    keys = {statement_key(s, stance, text) for s in ("a", "b") for stance in ("asserts", "denies")}
    assert len(keys) == 4
    assert statement_key("a", "asserts", "“…”") is None  # no words: keyed on its record


def test_apostrophes_of_every_kind_are_one() -> None:
    assert fingerprint("Israel’s agenda") == fingerprint("Israel's agenda") == "israels agenda"


# -- variants -------------------------------------------------------------------------------

WHOLE = (
    "We will not allow Hamas to talk about the humanitarian crisis in Gaza and at the same "
    "time carry out terror attacks from the West Bank"
)


@pytest.mark.parametrize(
    "variant",
    [
        # reordered
        "The cooperation between Hezbollah and Hamas crosses borders",
        # a shared sentence, reordered, and different continuations
        "The cooperation between Hezbollah and Hamas crosses borders. Israel will act.",
    ],
)
def test_reordered_words_and_shared_sentences_are_variants(variant: str) -> None:
    text = "The cooperation between Hamas and Hezbollah crosses borders. We see it."
    assert variant_of(text, variant)
    assert variant_of(variant, text)


@pytest.mark.parametrize(
    "part",
    [
        "We will not allow Hamas to talk about the humanitarian crisis",  # truncated
        "the humanitarian crisis in Gaza",  # a partial quote inside the longer one
        "We will not allow Hamas … to carry out terror attacks from the West Bank",  # elided
    ],
)
def test_truncated_elided_and_partial_quotes_are_variants(part: str) -> None:
    assert variant_of(part, WHOLE)


@pytest.mark.parametrize(
    "near_miss",
    [
        "We will allow Hamas to talk about the humanitarian crisis in Gaza",  # negation elided
        "We will not allow Hezbollah to talk about the humanitarian crisis in Lebanon",
        "We will not allow Hamas to carry out terror attacks from Lebanon",
        "Gaza",  # too short to say it is the same statement
    ],
)
def test_near_misses_stay_apart(near_miss: str) -> None:
    assert not variant_of(near_miss, WHOLE)


def test_an_elision_marked_where_a_negation_was_left_out_is_still_a_variant() -> None:
    # the reporter's "…" says words are missing (a misleading excerpt, but of this statement);
    # the same words missing unmarked are another statement (see the near misses)
    assert variant_of("We will … allow Hamas to talk about the humanitarian crisis", WHOLE)
    assert not variant_of("We will allow Hamas to talk about the humanitarian crisis", WHOLE)
    assert not variant_of("We … will allow Hamas to talk about the humanitarian crisis", WHOLE)


def test_a_part_goes_with_its_statement_when_the_rest_of_it_is_reported_in_parts() -> None:
    # a statement reported whole and truncated, another (negated) reported once, both
    # containing the same part: the first has two reports, whole or in part, the other one
    negated = WHOLE.replace("We will not allow", "We will allow")
    part = "carry out terror attacks from the West Bank"
    truncated = "We will not allow Hamas to talk about the humanitarian crisis in Gaza"
    index = _index(WHOLE, negated, part, truncated)
    assert index.variant_pairs() == [("c0", "c2"), ("c0", "c3")]


def _index(*texts: str) -> IdentityIndex:
    index = IdentityIndex()
    for i, text in enumerate(texts):
        row = (
            "claim",
            f"c{i}",
            f"a{i}",
            "s",
            fingerprint(text),
            "2018-01-01\x1f2018-01-01",
            text,
            "",
        )
        index.add([row])
    return index


def test_a_part_two_different_statements_contain_is_linked_to_neither() -> None:
    negated = WHOLE.replace("We will not allow", "We will allow")
    part = "carry out terror attacks from the West Bank"
    assert _index(WHOLE, part).variant_pairs() == [("c0", "c1")]
    assert _index(WHOLE, negated, part).variant_pairs() == []


def test_the_first_appearance_is_the_earliest_report_then_the_earliest_article() -> None:
    index = IdentityIndex()
    index.add([("claim", "c", "a3", "s", "x", "2018-06-10\x1f2018-06-11", "B", "")])
    index.add([("claim", "c", "a2", "s", "x", "2018-05-01\x1f2018-06-12", "A", "")])
    index.add([("claim", "c", "a1", "s", "x", "2018-05-01\x1f2018-06-12", "C", "")])
    triples = index.triples()
    assert (URIRef("c"), SDO.firstAppearance, URIRef("a1")) in triples
    assert index.counts() == {"claims": 1, "events": 0}


def test_a_claim_counts_its_outlets_and_a_speaker_its_claims_and_articles() -> None:
    """What claims-in-several-outlets and claims-per-speaker read instead of counting over
    every claim of the release."""
    day = "2018-06-10\x1f2018-06-10"
    index = IdentityIndex()
    # one article of outlet o1 reports two statements of speaker s (one denied), another
    # article of o1 and one of o2 the first again; t speaks once
    index.add(
        [
            ("claim", "c1", "a1", "s\x1fasserts", "x", day, "X", "o1"),
            ("claim", "c2", "a2", "s\x1fdenies", "y", day, "Y", "o1"),
        ],
        "r1",
    )
    index.add([("claim", "c1", "a3", "s\x1fasserts", "x", day, "X", "o1")], "r2")
    index.add([("claim", "c1", "a4", "s\x1fasserts", "x", day, "X", "o2")], "r3")
    index.add([("claim", "c3", "a5", "t\x1fasserts", "z", day, "Z", "")], "r3")
    triples = set(index.triples())
    assert (URIRef("c1"), NLD.outletCount, Literal(2)) in triples
    assert (URIRef("c2"), NLD.outletCount, Literal(1)) in triples
    assert (URIRef("c3"), NLD.outletCount, Literal(0)) in triples  # no publisher named
    assert (URIRef("s"), NLD.claimCount, Literal(2)) in triples
    assert (URIRef("s"), NLD.articleCount, Literal(3)) in triples
    assert (URIRef("t"), NLD.claimCount, Literal(1)) in triples
    assert (URIRef("t"), NLD.articleCount, Literal(1)) in triples


def test_the_first_outlet_is_the_publisher_of_the_first_report() -> None:
    """What claim-variants and meetings-timeline read instead of following each first
    appearance to its article and publisher; a first report naming no publisher gives none."""
    index = IdentityIndex()
    later, earlier = "2018-06-10\x1f2018-06-10", "2018-06-09\x1f2018-06-11"
    index.add([("claim", "c", "a1", "s\x1fasserts", "x", later, "X", "o1")], "r1")
    index.add([("claim", "c", "a2", "s\x1fasserts", "x", earlier, "X", "o2")], "r2")
    index.add([("event", "e", "a3", "Meeting", "", earlier, "met", "")], "r2")
    index.add([("event", "e", "a4", "Meeting", "", later, "met", "o1")], "r1")
    triples = index.triples()
    assert (URIRef("c"), NLD.firstOutlet, URIRef("o2")) in triples
    assert (URIRef("c"), NLD.firstOutlet, URIRef("o1")) not in triples
    assert (URIRef("e"), SDO.firstAppearance, URIRef("a3")) in triples
    assert not [t for t in triples if t[0] == URIRef("e") and t[1] == NLD.firstOutlet]


# -- the seed release -----------------------------------------------------------------------


def test_each_statement_of_the_seed_is_one_claim_with_its_appearances(seed_release: Path) -> None:
    data = _dataset(seed_release)
    claims = set(data.subjects(RDF.type, NLD.Claim))
    texts = [t for c in claims for t in _texts(data, c)]
    assert len(texts) == len(set(texts)) == len(claims)  # one text per claim, none twice
    (violation,) = [c for c in claims if _texts(data, c) == {"blatant violation"}]
    appearances = set(data.objects(violation, SDO.appearance))
    assert len(appearances) == 3
    outlets = {a.rsplit("/", 3)[-3].split("-")[0] for a in map(str, appearances)}
    assert outlets == {"jpost", "toi", "win"}
    (first,) = set(data.objects(violation, SDO.firstAppearance))
    assert first in appearances
    for appearance in appearances:
        assert (appearance, RDF.type, NLD.ClaimAppearance) in data
        assert set(data.objects(appearance, NLD.claimKind)) == {NLD.PartialQuote}


def test_danons_two_wordings_are_linked_variants(seed_release: Path) -> None:
    data = _dataset(seed_release)
    crosses = [
        c
        for c in set(data.subjects(RDF.type, NLD.Claim))
        if any("crosses borders" in t for t in _texts(data, c))
    ]
    assert len(crosses) == 2
    a, b = crosses
    assert (a, NLD.variantOf, b) in data and (b, NLD.variantOf, a) in data
    # ToI and WIN carry the same words: one claim, two appearances
    assert sorted(len(set(data.objects(c, SDO.appearance))) for c in crosses) == [1, 2]


def test_the_nasrallah_arouri_meeting_of_2017_is_one_event(seed_release: Path) -> None:
    data = _dataset(seed_release)
    meetings = [
        e
        for e in set(data.subjects(RDF.type, NLD.Meeting))
        if {str(p).rsplit("/", 1)[-1] for p in data.objects(e, NLD.participant)}
        == {"hassan-nasrallah", "saleh-al-arouri"}
    ]
    assert len(meetings) == 1
    assert len(set(data.objects(meetings[0], SDO.appearance))) == 2
    assert len(set(data.objects(meetings[0], SDO.description))) == 1  # the first report's


def test_manifest_counts_statements_and_their_reports_apart(seed_release: Path) -> None:
    import json

    counts = json.loads((seed_release / "manifest.json").read_text())["counts"]
    assert counts["claims"] == 50 and counts["claim_appearances"] == 57
    assert counts["events"] < counts["event_appearances"]


# -- stability ------------------------------------------------------------------------------


def _ids(release: Path) -> set[str]:
    data = _dataset(release)
    nodes = set(data.subjects(RDF.type, NLD.Claim)) | set(data.subjects(RDF.type, NLD.NewsEvent))
    nodes |= set(data.subjects(RDF.type, NLD.Appearance))
    return {str(n) for n in nodes}


def test_iris_do_not_change_when_an_unrelated_article_is_added(
    corpus: Path, tmp_path: Path
) -> None:
    before = build(corpus, tmp_path / "before")
    assert before.written
    add_record(corpus, "article-with-every-recommended-property")
    after = build(corpus, tmp_path / "after")
    assert after.written
    old, new = _ids(tmp_path / "before"), _ids(tmp_path / "after")
    assert old <= new
    added = new - old
    assert added and all("officials-meet" in i or "/claim/" in i or "/event/" in i for i in added)
    # and removing it again gives the first release back, byte for byte
    (corpus / "articles" / "article-with-every-recommended-property.yaml").unlink()
    again = build(corpus, tmp_path / "again")
    assert again.written
    for name in ("newsld.ttl", "newsld.nq.gz"):
        assert (tmp_path / "again" / name).read_bytes() == (tmp_path / "before" / name).read_bytes()


def test_a_part_goes_with_the_statement_reported_clearly_more_often() -> None:
    negated = WHOLE.replace("We will not allow", "We will allow")
    part = "carry out terror attacks from the West Bank"
    index = _index(WHOLE, negated, part)
    day = "2018-01-02\x1f2018-01-02"
    index.add([("claim", "c0", "a9", "s", fingerprint(WHOLE), day, WHOLE, "")])
    assert index.variant_pairs() == [("c0", "c2")]  # c0 has two reports, c1 one


def test_the_identity_graph_in_one_bucket_is_the_same_graph(
    seed_release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from newsld.rdf import identity
    from tests.conftest import CORPUS

    monkeypatch.setattr(identity, "BUCKETS", 1)  # every speaker's claims in one bucket
    assert build(CORPUS, tmp_path / "dist").written
    for name in ("newsld.nq.gz", "newsld.nt.gz"):
        assert (tmp_path / "dist" / name).read_bytes() != b""
    for name, fmt in [("newsld.ttl", "turtle"), ("newsld.jsonld", "json-ld")]:
        ours = Graph().parse(tmp_path / "dist" / name, format=fmt)
        assert isomorphic(ours, Graph().parse(seed_release / name, format=fmt)), name
    one = {str(g.identifier) for g in _dataset(tmp_path / "dist").graphs() if len(g)}
    many = {str(g.identifier) for g in _dataset(seed_release).graphs() if len(g)}
    bucket = "https://example.org/newsld/graph/identity/"
    assert {g for g in one if g.startswith(bucket)} == {f"{bucket}000"}
    assert len({g for g in many if g.startswith(bucket)}) > 1  # a graph per bucket
    assert {g for g in one if not g.startswith(bucket)} == {
        g for g in many if not g.startswith(bucket)
    }
