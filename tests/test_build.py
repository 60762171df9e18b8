"""The release: what `newsld build` writes for the seed corpus, and how it behaves."""

from __future__ import annotations

import gzip
import json
import re
import socket
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from newsld.rdf.namespaces import NLD, NLD_IRI, RDF, SDO
from newsld.rdf.resources import jsonld_context, vocab_path
from newsld.release.build import BuildOptions, build

from .conftest import CORPUS, add_record

SEED_KEYS = sorted(p.stem for p in (CORPUS / "articles").glob("*.yaml"))


@pytest.fixture
def release(seed_release: Path) -> Path:
    """The seed release, built once per session (read-only)."""
    return seed_release


def test_seed_corpus_builds_with_zero_violations(release: Path) -> None:
    manifest = json.loads((release / "manifest.json").read_text())
    assert manifest["conforms"] is True
    assert manifest["findings"]["error"] == 0
    assert manifest["counts"]["articles"] == len(SEED_KEYS) == 5
    assert manifest["counts"]["claims"] >= 20
    assert manifest["counts"]["events"] >= 10
    for name in [
        "newsld.ttl",
        "newsld.nt.gz",
        "newsld.nq.gz",
        "newsld.jsonld",
        "void.ttl",
        "vocab/newsld.ttl",
        "vocab/context.jsonld",
        "shapes/newsld-shapes.ttl",
    ]:
        assert (release / name).is_file(), name


def test_every_claim_has_speaker_source_and_date(release: Path) -> None:
    graph = Graph().parse(release / "newsld.ttl")
    claims = set(graph.subjects(RDF.type, NLD.Claim))
    assert claims
    for claim in claims:
        assert len(set(graph.objects(claim, NLD.speaker))) == 1
        appearances = set(graph.objects(claim, SDO.appearance))
        assert appearances and set(graph.objects(claim, SDO.firstAppearance)) <= appearances
        for appearance in appearances:  # each report: its date and the one article it is in
            assert set(graph.objects(appearance, NLD.date))
            (source,) = set(graph.objects(appearance, NLD.source))
            assert (source, RDF.type, SDO.NewsArticle) in graph


def test_article_text_is_left_out_unless_asked(release: Path, tmp_path: Path) -> None:
    graph = Graph().parse(release / "newsld.ttl")
    assert not list(graph.triples((None, SDO.articleBody, None)))
    result = build(CORPUS, tmp_path / "dist", BuildOptions(include_text=True))
    with_text = Graph().parse(tmp_path / "dist" / "newsld.ttl")
    bodies = list(with_text.objects(None, SDO.articleBody))
    assert result.written and len(bodies) == 5
    seed = (CORPUS / "articles" / f"{SEED_KEYS[0]}.txt").read_bytes().decode()
    assert seed in {str(b) for b in bodies}


def test_two_builds_are_byte_identical(release: Path, tmp_path: Path) -> None:
    build(CORPUS, tmp_path / "again")
    first = sorted(p.relative_to(release) for p in release.rglob("*") if p.is_file())
    second = sorted(
        p.relative_to(tmp_path / "again") for p in (tmp_path / "again").rglob("*") if p.is_file()
    )
    assert first == second
    for name in first:
        assert (release / name).read_bytes() == (tmp_path / "again" / name).read_bytes(), name


def test_base_iri_is_one_setting(tmp_path: Path) -> None:
    build(CORPUS, tmp_path / "dist", BuildOptions(base_iri="https://data.example.net/news/"))
    graph = Graph().parse(tmp_path / "dist" / "newsld.ttl")
    minted = {str(s) for s in graph.subjects() if "example" in str(s)}
    assert minted and all(s.startswith("https://data.example.net/news/") for s in minted)


def test_failed_build_leaves_previous_release_intact(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert build(corpus, out).written
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    add_record(corpus, "claim-without-speaker")
    result = build(corpus, out)
    assert not result.written
    assert not result.report.conforms
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert not any(p.name.startswith(".dist") for p in tmp_path.iterdir())


def test_jsonld_turtle_and_ntriples_hold_the_same_graph(release: Path) -> None:
    turtle = Graph().parse(release / "newsld.ttl", format="turtle")
    # the context is inline in the document: parsing it needs no network
    jsonld = Graph().parse(release / "newsld.jsonld", format="json-ld")
    ntriples = Graph().parse(
        data=gzip.decompress((release / "newsld.nt.gz").read_bytes()).decode(), format="nt"
    )
    assert len(turtle) == len(ntriples) > 1000
    assert isomorphic(turtle, jsonld)
    assert isomorphic(turtle, ntriples)
    document = json.loads((release / "newsld.jsonld").read_text())
    assert document["@context"] == jsonld_context()


def test_every_property_of_our_vocabulary_in_the_release_has_a_jsonld_term(release: Path) -> None:
    """A JSON-LD user reads `confidence`, `firstOutlet`, …, never a prefixed IRI for our terms."""
    used = {
        str(p)
        for p in Graph().parse(release / "newsld.ttl", format="turtle").predicates(unique=True)
        if str(p).startswith(NLD_IRI)
    }
    terms = {
        (value if isinstance(value, str) else value["@id"]).replace("nld:", NLD_IRI, 1)
        for name, value in jsonld_context().items()
        if ":" not in name
    }
    assert len(used) > 15
    assert used - terms == set()


def test_nquads_hold_one_graph_per_article_plus_entities_and_identity(release: Path) -> None:
    dataset = Dataset()
    dataset.parse(
        data=gzip.decompress((release / "newsld.nq.gz").read_bytes()).decode(), format="nquads"
    )
    graphs = {str(g.identifier) for g in dataset.graphs() if len(g)}
    expected = {f"https://example.org/newsld/graph/article/{k}" for k in SEED_KEYS}
    identity = {g for g in graphs if g.startswith("https://example.org/newsld/graph/identity/")}
    assert graphs == expected | identity | {"https://example.org/newsld/graph/entities"}
    # one graph per bucket of the identity pass, and each claim's or event's in one of them
    assert all(re.fullmatch(r".*/identity/\d{3}", g) for g in identity) and len(identity) > 5
    homes: dict[str, set[str]] = {}
    for graph in identity:
        for subject in dataset.graph(URIRef(graph)).subjects(unique=True):
            homes.setdefault(str(subject), set()).add(graph)
    assert homes and all(len(found) == 1 for found in homes.values())
    for key in SEED_KEYS:
        graph = dataset.graph(URIRef(f"https://example.org/newsld/graph/article/{key}"))
        assert (
            URIRef(f"https://example.org/newsld/article/{key}"),
            RDF.type,
            SDO.NewsArticle,
        ) in graph


def test_dataset_description_matches_the_dumps(release: Path) -> None:
    import hashlib

    from newsld.rdf.namespaces import DCAT, SPDX, VOID

    void = Graph().parse(release / "void.ttl")
    manifest = json.loads((release / "manifest.json").read_text())
    dataset = next(void.subjects(RDF.type, VOID.Dataset))
    assert int(void.value(dataset, VOID.triples)) == manifest["counts"]["triples"]
    distributions = list(void.objects(dataset, DCAT.distribution))
    assert len(distributions) == 9  # 4 RDF dumps, claims.csv/.parquet, events, entities, feed
    dumps = {str(d).rsplit("/", 1)[-1] for d in void.objects(dataset, VOID.dataDump)}
    assert dumps == {"newsld.ttl", "newsld.nt.gz", "newsld.nq.gz", "newsld.jsonld"}
    for distribution in distributions:
        name = str(void.value(distribution, URIRef("http://purl.org/dc/terms/title")))
        data = (release / name).read_bytes()
        assert int(void.value(distribution, DCAT.byteSize)) == len(data)
        checksum = void.value(distribution, SPDX.checksum)
        assert str(void.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        assert void.value(distribution, DCAT.mediaType) is not None


def test_every_schema_org_term_we_emit_exists(release: Path) -> None:
    graph = Graph().parse(release / "newsld.ttl")
    graph += Graph().parse(vocab_path())
    used = {
        t
        for triple in graph
        for t in triple
        if isinstance(t, URIRef) and str(t).startswith(str(SDO))
    }
    assert used
    unknown = set()
    for term in used:
        try:
            SDO[str(term)[len(str(SDO)) :]]
        except AttributeError:
            unknown.add(term)
    assert not unknown


def test_vocabulary_file_and_namespace_module_agree() -> None:
    vocab = Graph().parse(vocab_path())
    defined = {
        str(s)[len(str(NLD)) :]
        for s in vocab.subjects()
        if str(s).startswith(str(NLD)) and str(s) != str(NLD)
    }
    declared = {name for name in NLD.__annotations__}
    assert defined == declared
    for term in defined:
        assert (
            vocab.value(NLD[term], URIRef("http://www.w3.org/2000/01/rdf-schema#label")) is not None
        ), term


def test_build_opens_no_network_connection(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    attempts: list[object] = []

    def refuse(self: socket.socket, address: object) -> None:
        attempts.append(address)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    result = build(CORPUS, tmp_path / "dist")
    assert result.written
    Graph().parse(tmp_path / "dist" / "newsld.jsonld", format="json-ld")
    assert attempts == []
