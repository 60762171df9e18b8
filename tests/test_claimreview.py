"""Fact-check reviews: record → schema:ClaimReview, the gate's findings, the ClaimReview feed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from newsld.rdf.namespaces import NLD, RDF, SDO
from newsld.rdf.resources import vocab_path
from newsld.release import state
from newsld.release.build import BuildOptions, build, check

from .conftest import DATA, add_record

SCHEMA_CONTEXT = {
    # what the feed's "@context": "https://schema.org/" gives the terms it uses (schema.org's
    # context has @vocab http://schema.org/, which schema.org declares the same as https)
    "@vocab": str(SDO),
    "url": {"@type": "@id"},
    "sameAs": {"@type": "@id"},
}


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _findings(corpus: Path, name: str) -> set[tuple[str, int | None, str | None]]:
    add_record(corpus, name)
    report = check(corpus)
    return {
        (f.code, f.line, f.field)
        for f in report.findings
        if f.file and name in f.file and f.code.startswith(("review/", "record/"))
    }


def test_a_review_of_an_unknown_claim_and_missing_values_are_located(corpus: Path) -> None:
    assert _findings(corpus, "review-of-an-unknown-claim") == {
        ("review/unknown-claim", 16, "reviews[0].claim"),
        ("review/missing-rating", 21, "reviews[1].rating"),
        ("review/missing-url", 21, "reviews[1].url"),
        ("review/missing-date", 21, "reviews[1].date"),
    }


def test_a_claim_or_review_listed_twice_is_reported_at_the_second(corpus: Path) -> None:
    text = (DATA / "review-of-a-claim.yaml").read_text(encoding="utf-8")
    claims, reviews = text.split("reviews:\n")
    claim = claims.split("claims:\n")[1]
    doubled = claims + claim + "reviews:\n" + reviews + reviews
    (corpus / "articles" / "short-article.txt").write_text(
        (DATA / "short-article.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (corpus / "articles" / "listed-twice.yaml").write_text(
        doubled.replace("id: review-of-a-claim", "id: listed-twice"), encoding="utf-8"
    )
    findings = [f for f in check(corpus).findings if f.file and "listed-twice" in f.file]
    twice = {(f.field, f.message) for f in findings if f.code == "record/invalid-value"}
    assert {field for field, _ in twice} == {"claims[1]", "reviews[1]"}
    assert all("listed twice" in message for _, message in twice)


def test_a_rating_off_its_scale_is_a_record_finding(corpus: Path) -> None:
    assert _findings(corpus, "review-with-rating-off-its-scale") == {
        ("record/invalid-value", 20, "reviews[0].rating"),
    }


def test_a_review_is_a_claim_review_of_the_claim(corpus: Path, tmp_path: Path) -> None:
    add_record(corpus, "review-of-a-claim")
    result = build(corpus, tmp_path / "dist")
    assert result.written, [f.message for f in result.report.errors]
    graph = Graph().parse(tmp_path / "dist" / "newsld.ttl")
    review = next(graph.subjects(RDF.type, SDO.ClaimReview))
    claim = graph.value(review, SDO.itemReviewed)
    assert (claim, RDF.type, NLD.Claim) in graph
    # the statement node of the record's claim `danon-cooperate`, which appears in its article
    appearance = URIRef(
        "https://example.org/newsld/appearance/review-of-a-claim/claim/danon-cooperate"
    )
    assert (claim, SDO.appearance, appearance) in graph
    rating = graph.value(review, SDO.reviewRating)
    assert (rating, RDF.type, SDO.Rating) in graph
    assert graph.value(rating, SDO.alternateName) == Literal("Mostly false")
    assert graph.value(rating, SDO.ratingValue) == Literal(2)
    assert (graph.value(rating, SDO.worstRating), graph.value(rating, SDO.bestRating)) == (
        Literal(1),
        Literal(5),
    )
    author = graph.value(review, SDO.author)
    assert (author, RDF.type, SDO.Organization) in graph
    assert str(graph.value(review, SDO.url)).startswith("https://factcheck.example.org/")
    assert str(graph.value(review, SDO.datePublished)) == "2018-06-12"


def _entailed(graph: Graph) -> Graph:
    """The release graph with what the vocabulary's rdfs:subPropertyOf adds (one step)."""
    vocab = Graph().parse(vocab_path())
    out = Graph()
    for triple in graph:
        out.add(triple)
    for sub, _, sup in vocab.triples((None, RDFS.subPropertyOf, None)):
        for s, _, o in graph.triples((None, sub, None)):
            out.add((s, sup, o))
    return out


def _lexical(triple: tuple) -> tuple:  # type: ignore[type-arg]
    s, p, o = triple
    return (s, p, str(o) if isinstance(o, Literal) else o)


def test_every_triple_of_the_feed_is_in_the_release_graph(corpus: Path, tmp_path: Path) -> None:
    add_record(corpus, "review-of-a-claim")
    out = tmp_path / "dist"
    assert build(corpus, out).written
    feed = json.loads((out / "claimreview.jsonld").read_text(encoding="utf-8"))
    assert feed["@context"] == "https://schema.org/" and feed["@type"] == "DataFeed"
    (item,) = feed["dataFeedElement"]
    assert item["@type"] == "ClaimReview"
    assert item["itemReviewed"]["author"]["name"] == "Danny Danon"  # claimAuthor
    assert item["itemReviewed"]["datePublished"] == "2018-06-09"  # claimDate
    (appearance,) = item["itemReviewed"]["appearance"]
    assert appearance["@id"].endswith("/article/review-of-a-claim")
    # the claim's first report in the release (the identity pass's), here its only one
    first = item["itemReviewed"]["firstAppearance"]["@id"]
    assert first.endswith("/appearance/review-of-a-claim/claim/danon-cooperate")
    assert item["reviewRating"]["alternateName"] == "Mostly false"
    fed = Graph().parse(
        data=json.dumps({"@context": SCHEMA_CONTEXT, "@graph": feed["dataFeedElement"]}),
        format="json-ld",
    )
    graph = Graph().parse(out / "newsld.ttl")
    known = {_lexical(t) for t in _entailed(graph)}
    claim = URIRef(item["itemReviewed"]["@id"])
    missing = set()
    for triple in fed:
        if _lexical(triple) in known:
            continue
        s, p, o = triple
        # documented correspondences: a claim's date is its nld:date (schema has no property
        # for when a claim was made but datePublished, which aggregators read as claimDate);
        # in the article the review is in
        if s == claim and p == SDO.datePublished:
            reports = list(graph.objects(claim, SDO.appearance))
            assert str(o) in {str(graph.value(r, NLD.date)) for r in reports}
            continue
        missing.add(triple)
    assert not missing
    assert len(fed) >= 20


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "RACY_NS", 0)


def test_feed_and_exports_are_the_same_bytes_however_built(
    corpus: Path, tmp_path: Path, trusting: None
) -> None:
    add_record(corpus, "review-of-a-claim")
    second = corpus / "articles" / "review-of-a-claim-again.yaml"  # two records with reviews
    second.write_text(
        (DATA / "review-of-a-claim.yaml")
        .read_text()
        .replace("id: review-of-a-claim", "id: review-of-a-claim-again"),
        encoding="utf-8",
    )
    plain = build(corpus, tmp_path / "plain", BuildOptions(jobs=1))
    assert plain.written
    expected = _files(tmp_path / "plain")
    assert json.loads(expected["claimreview.jsonld"])["dataFeedElement"][1]
    cache = tmp_path / "cache"
    for jobs in (2, 1):
        assert build(corpus, tmp_path / "dist", BuildOptions(jobs=jobs, cache_dir=cache)).written
        assert _files(tmp_path / "dist") == expected
    # an edit to a record between the two with reviews: the rest is copied, commas and all
    middle = sorted((corpus / "articles").glob("*.yaml"))
    edited = next(p for p in middle if p.name.startswith("jpost-"))
    edited.write_text(edited.read_text().replace("language: en", "language: en-GB"))
    removed = corpus / "articles" / "ain-2023-04-10-hezbollah-hamas-meet-lebanon.yaml"
    shutil.move(removed, tmp_path / "aside.yaml")
    result = build(corpus, tmp_path / "dist", BuildOptions(jobs=2, cache_dir=cache))
    assert result.written and result.timings.get("reused", 0) >= 4
    assert build(corpus, tmp_path / "fresh", BuildOptions(jobs=1)).written
    assert _files(tmp_path / "dist") == _files(tmp_path / "fresh")


def test_the_feed_names_the_first_appearance_of_a_claim_reported_elsewhere_first(
    corpus: Path, tmp_path: Path, trusting: None
) -> None:
    add_record(corpus, "review-of-a-claim")
    earlier = corpus / "articles" / "danon-said-it-earlier.yaml"  # the same words, a day before
    earlier.write_text(
        (DATA / "review-of-a-claim.yaml")
        .read_text()
        .replace("id: review-of-a-claim", "id: danon-said-it-earlier")
        .replace("date: 2018-06-09", "date: 2018-06-08")
        .split("reviews:")[0],
        encoding="utf-8",
    )
    cache = tmp_path / "cache"

    def first_in_feed() -> str:
        assert build(corpus, tmp_path / "dist", BuildOptions(jobs=2, cache_dir=cache)).written
        feed = json.loads((tmp_path / "dist" / "claimreview.jsonld").read_text(encoding="utf-8"))
        (item,) = feed["dataFeedElement"]
        return str(item["itemReviewed"]["firstAppearance"]["@id"])

    assert first_in_feed().endswith("/appearance/danon-said-it-earlier/claim/danon-cooperate")
    earlier.unlink()  # the reviewing record is reused as it was; its claim's first report is not
    assert first_in_feed().endswith("/appearance/review-of-a-claim/claim/danon-cooperate")
