"""Article markup per Google's Article guidelines: url, image, dateModified, author.url and the
publisher's url and logo. Each missing one is a warning at the record's line, unless the record
states why it is not available (then a note); the fixtures in tests/data are named after what
they show."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from newsld.corpus.records import RECOMMENDED
from newsld.findings.report import Finding, Severity
from newsld.gate.shacl import shapes_graph
from newsld.rdf.namespaces import NLD, SDO, SH, XSD
from newsld.release.build import build, check

from .conftest import add_record

ARTICLE = "https://example.org/newsld/article/"
ENTITY = "https://example.org/newsld/entity/"
# A reporter with a page and an outlet with a home page and a logo, for the complete record.
REGISTRY_ADDITIONS = [
    "  reporter-with-page:",
    "    type: Person",
    "    name: Rita Reporter",
    "    url: https://example.com/authors/rita-reporter",
    "  outlet-with-logo:",
    "    type: NewsMediaOrganization",
    "    name: Example Daily",
    "    url: https://example.com/",
    "    logo: https://example.com/logo.png",
]


def _add_registry(corpus: Path, lines: list[str]) -> int:
    """Append entities to the corpus registry; the line number of the first one."""
    registry = corpus / "registry.yaml"
    existing = registry.read_text().splitlines()
    registry.write_text("\n".join([*existing, *lines, ""]))
    return len(existing) + 1


def _markup(
    findings: list[Finding], record: str, code: str = "recommended"
) -> list[tuple[str, str, int | None, str | None]]:
    """The recommended-property findings of one record whose code contains ``code``:
    (code, severity, line, field)."""
    return sorted(
        (f.code, f.severity.value, f.line, f.field)
        for f in findings
        if f.file == f"corpus/articles/{record}.yaml" and code in f.code
    )


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        ("article-without-url", [(1, "url")]),
        ("article-without-image", [(1, "image")]),
        ("article-without-author-url", [(4, "authors")]),
        ("article-without-publisher-url-and-logo", [(5, "publisher"), (5, "publisher")]),
        ("article-without-authors", []),  # no author, so no author page to ask for
    ],
)
def test_each_missing_recommended_property_is_a_warning_on_its_line(
    corpus: Path, record: str, expected: list[tuple[int, str]]
) -> None:
    add_record(corpus, record)
    report = check(corpus)
    assert report.conforms
    assert _markup(report.findings, record, "missing-recommended") == [
        ("article/missing-recommended", "warning", line, field) for line, field in expected
    ]


def test_the_warning_names_the_property_and_how_to_supply_or_waive_it(corpus: Path) -> None:
    add_record(corpus, "article-without-publisher-url-and-logo")
    report = check(corpus)
    warnings = sorted(
        (f.message, f.hint or "")
        for f in report.warnings
        if f.code == "article/missing-recommended"
    )
    assert warnings == [
        (
            "the article's publisher has no logo (schema:logo), which Google's Article "
            "guidelines recommend",
            "add `logo:` (the outlet's logo image URL) to the publisher's registry entry, "
            "or say why it is not available: `not_available: {publisher.logo: why}`",
        ),
        (
            "the article's publisher has no url (schema:url), which Google's Article "
            "guidelines recommend",
            "add `url:` (the outlet's home page) to the publisher's registry entry, "
            "or say why it is not available: `not_available: {publisher.url: why}`",
        ),
    ]


def test_a_property_stated_as_not_available_is_a_note_not_a_warning(corpus: Path) -> None:
    add_record(corpus, "article-image-not-available")
    findings = check(corpus).findings
    assert _markup(findings, "article-image-not-available") == [
        ("article/recommended-not-available", "info", 10, "not_available.image"),
        ("article/recommended-not-available", "info", 11, "not_available.author.url"),
        ("article/recommended-not-available", "info", 12, "not_available.publisher.logo"),
    ]
    (image,) = [
        f
        for f in findings
        if f.field == "not_available.image" and f.file and "image-not-available" in f.file
    ]
    assert image.message == (
        "image is not available: the record was made from the article text alone; "
        "its image URLs were not kept"
    )
    assert image.column == 3
    assert image.subject == ARTICLE + "article-image-not-available"


def test_a_complete_record_has_no_markup_findings(corpus: Path) -> None:
    _add_registry(corpus, REGISTRY_ADDITIONS)
    add_record(corpus, "article-with-every-recommended-property")
    report = check(corpus)
    assert report.conforms
    assert _markup(report.findings, "article-with-every-recommended-property") == []


def test_the_seed_corpus_states_what_is_not_available_and_adds_no_warning() -> None:
    from .conftest import CORPUS

    report = check(CORPUS)
    assert not report.warnings
    notes = [f for f in report.findings if f.code == "article/recommended-not-available"]
    assert {f.field for f in notes} == {
        "not_available.image",
        "not_available.author.url",
        "not_available.publisher.logo",
    }
    assert len(notes) == 5 + 3 + 5  # every image and logo; the three articles with an author


def test_the_release_carries_url_image_date_modified_and_logo(corpus: Path, tmp_path: Path) -> None:
    _add_registry(corpus, REGISTRY_ADDITIONS)
    add_record(corpus, "article-with-every-recommended-property")
    result = build(corpus, tmp_path / "dist")
    assert result.written
    article = URIRef(ARTICLE + "article-with-every-recommended-property")
    author, outlet = URIRef(ENTITY + "reporter-with-page"), URIRef(ENTITY + "outlet-with-logo")
    expected = {
        (article, SDO.url, URIRef("https://example.com/news/officials-meet-in-beirut")),
        (article, SDO.image, URIRef("https://example.com/images/officials-meet-1x1.jpg")),
        (article, SDO.image, URIRef("https://example.com/images/officials-meet-16x9.jpg")),
        (article, SDO.dateModified, Literal("2018-06-11", datatype=XSD.date)),
        (article, SDO.author, author),
        (author, SDO.url, URIRef("https://example.com/authors/rita-reporter")),
        (outlet, SDO.url, URIRef("https://example.com/")),
        (outlet, SDO.logo, URIRef("https://example.com/logo.png")),
    }
    dist = tmp_path / "dist"
    turtle = Graph().parse(dist / "newsld.ttl", format="turtle")
    jsonld = Graph().parse(dist / "newsld.jsonld", format="json-ld")
    for graph in (turtle, jsonld):
        assert expected <= set(graph)
    # compact: url, image and logo are terms whose values are plain IRIs
    nodes = {
        node["@id"]: node for node in json.loads((dist / "newsld.jsonld").read_text())["@graph"]
    }
    assert nodes[str(article)]["url"] == "https://example.com/news/officials-meet-in-beirut"
    assert nodes[str(article)]["image"] == [
        "https://example.com/images/officials-meet-16x9.jpg",
        "https://example.com/images/officials-meet-1x1.jpg",
    ]
    assert nodes[str(outlet)]["logo"] == "https://example.com/logo.png"


def test_a_logo_is_for_outlets_and_a_registry_url_must_be_absolute(corpus: Path) -> None:
    line = _add_registry(
        corpus,
        [
            "  reporter-with-logo:",
            "    type: Person",
            "    name: Rita Reporter",
            "    logo: https://example.com/rita.png",
            "  outlet-with-relative-url:",
            "    type: NewsMediaOrganization",
            "    name: Example Daily",
            "    url: /home",
        ],
    )
    errors = [(f.code, f.file, f.line, f.field, f.message) for f in check(corpus).errors]
    assert errors == [
        (
            "record/invalid-value",
            "corpus/registry.yaml",
            line + 3,
            "entities.reporter-with-logo.logo",
            "entities.reporter-with-logo.logo: only outlets (type NewsMediaOrganization) "
            "have a logo",
        ),
        (
            "record/invalid-value",
            "corpus/registry.yaml",
            line + 7,
            "entities.outlet-with-relative-url.url",
            "entities.outlet-with-relative-url.url: URL must be absolute http:// or https://",
        ),
    ]


def test_not_available_names_are_the_shapes_names() -> None:
    """A curator's not_available key turns exactly the warning of the shape with that name."""
    shapes = shapes_graph()
    named = {
        str(shapes.value(shape, SH.name))
        for shape in shapes.subjects(NLD.findingCode, Literal("article/missing-recommended"))
    }
    assert named == set(RECOMMENDED)


def test_severities_are_warning_and_info() -> None:
    from newsld.findings.report import CATALOGUE

    assert CATALOGUE["article/missing-recommended"].severity is Severity.WARNING
    assert CATALOGUE["article/recommended-not-available"].severity is Severity.INFO


def test_image_is_one_url_or_a_list_of_urls() -> None:
    from pydantic import ValidationError

    from newsld.corpus.records import ArticleRecord

    one = ArticleRecord(id="a", text_file="a.txt", image="https://example.com/a.jpg")
    assert one.image == ["https://example.com/a.jpg"]
    with pytest.raises(ValidationError) as raised:
        ArticleRecord(id="a", text_file="a.txt", image="a.jpg")
    assert [error["loc"] for error in raised.value.errors()] == [("image",)]
