"""The SHACL gate: validate a graph against ``shapes/`` and report findings located in records.

pySHACL does the validating; this module loads the shapes once, reads pySHACL's results graph
into plain :class:`ShapeResult` values and turns those into findings that name the record file,
line and field, using the origins the mapping recorded.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from newsld.corpus.records import RECOMMENDED, field_label
from newsld.findings.report import Finding, Severity, finding
from newsld.rdf.mapped import Origin
from newsld.rdf.namespaces import NLD, RDF, SDO, SH
from newsld.rdf.resources import shapes_path
from newsld.rdf.terms import Triple

if TYPE_CHECKING:
    from rdflib.plugins.sparql.sparql import Query

# pySHACL and rdflib's SPARQL engine are imported when first used: they take half a second to
# import, and a build gated by the native engine (an incremental one, say) needs neither.

SEVERITIES = {SH.Violation: Severity.ERROR, SH.Warning: Severity.WARNING, SH.Info: Severity.INFO}
# The record field a property path comes from, for locating findings on the right line.
FIELDS: dict[Node, str] = {
    NLD.speaker: "speaker",
    NLD.date: "date",
    NLD.claimText: "text",
    NLD.claimKind: "kind",
    NLD.stance: "stance",
    NLD.source: "also_in",
    NLD.reportedBy: "reported_by",
    NLD.participant: "participants",
    NLD.place: "place",
    RDF.type: "type",
    SDO.headline: "headline",
    SDO.datePublished: "date_published",
    SDO.publisher: "publisher",
    SDO.inLanguage: "language",
    SDO.author: "authors",
    SDO.url: "url",
    SDO.image: "image",
}
# where a review's (or its rating's) properties are in its record, when not as in FIELDS
KIND_FIELDS: dict[str, dict[Node, str]] = {
    "review": {
        SDO.itemReviewed: "claim",
        SDO.author: "reviewer",
        SDO.reviewRating: "rating",
        SDO.datePublished: "date",
        SDO.url: "url",
    },
    "rating": {
        SDO.ratingValue: "value",
        SDO.bestRating: "best",
        SDO.worstRating: "worst",
        SDO.alternateName: "alternate_name",
    },
}
RECOMMENDED_CODE = "article/missing-recommended"


@dataclass(frozen=True, order=True)
class ShapeResult:
    """One validation result, reduced to what identifies it."""

    focus: str
    path: str
    shape: str  # the constraint or property shape that produced it
    severity: str
    value: str
    message: str


@cache
def shapes_graph() -> Graph:
    graph = Graph()
    graph.parse(shapes_path(), format="turtle")
    return graph


@cache
def _codes() -> dict[Node, str]:
    return {s: str(o) for s, o in shapes_graph().subject_objects(NLD.findingCode)}


@cache
def _names() -> dict[Node, str]:
    """Each shape's sh:name: for a recommended property, what a curator calls it."""
    return {s: str(o) for s, o in shapes_graph().subject_objects(SH.name)}


@cache
def _prepared(text: str) -> Query:
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


class _DataGraph(Graph):
    """A graph that parses each SPARQL text once.

    pySHACL runs a SPARQL-based constraint once per focus node with the same query text and
    ``$this`` as an initial binding; rdflib would parse that text every time (a quarter of a
    second each), which made the gate cost seconds per article.
    """

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def validate(triples: Iterable[Triple]) -> list[ShapeResult]:
    """Run pySHACL over ``triples`` (no inference, nothing fetched) and return its results."""
    data = _DataGraph()
    for triple in triples:
        data.add(triple)
    return validate_graph(data)


def validate_graph(data: Graph) -> list[ShapeResult]:
    import pyshacl

    _conforms, results, _report = pyshacl.validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        advanced=False,
        allow_warnings=True,
    )
    assert isinstance(results, Graph)
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        shape = results.value(result, SH.sourceConstraint) or results.value(result, SH.sourceShape)
        found.append(
            ShapeResult(
                focus=str(results.value(result, SH.focusNode)),
                path=str(results.value(result, SH.resultPath) or ""),
                shape=str(shape),
                severity=str(results.value(result, SH.resultSeverity)),
                value=_text(results.value(result, SH.value)),
                message=str(results.value(result, SH.resultMessage) or ""),
            )
        )
    return sorted(found)


def _text(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, Literal):
        return str(node)
    return node.n3() if isinstance(node, URIRef) else str(node)


def to_findings(
    results: Iterable[ShapeResult],
    origins: Mapping[URIRef, Origin],
    not_available: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Findings for the results whose focus node this mapping owns; others are skipped.

    ``not_available``: the record's recommended properties stated as not available, by name,
    with the reason; a missing one of them is a note (article/recommended-not-available)
    instead of a warning.
    """
    findings = []
    codes = _codes()
    for result in results:
        origin = origins.get(URIRef(result.focus))
        if origin is None:
            continue
        code = codes.get(URIRef(result.shape), "shacl/violation")
        if code == RECOMMENDED_CODE:
            name = _names()[URIRef(result.shape)]
            reason = (not_available or {}).get(name)
            if reason is not None:
                findings.append(_not_available(origin, name, reason, result.focus))
                continue
        fields = KIND_FIELDS.get(origin.kind, FIELDS)
        field_name = fields.get(URIRef(result.path), "date" if not result.path else None)
        path = (*origin.path, field_name) if field_name else origin.path
        position = origin.doc.position(path)
        findings.append(
            finding(
                code,
                file=origin.file,
                line=position.line if position else None,
                column=position.column if position else None,
                field=_label(path),
                subject=result.focus,
                severity=SEVERITIES.get(URIRef(result.severity), Severity.ERROR),
                value=result.value,
                subject_kind=origin.kind,
                detail=result.message,
                hint=_recommended_hint(_names()[URIRef(result.shape)])
                if code == RECOMMENDED_CODE
                else None,
            )
        )
    return findings


def _recommended_hint(name: str) -> str:
    return f"{RECOMMENDED[name]}, or say why it is not available: `not_available: {{{name}: why}}`"


def _not_available(origin: Origin, name: str, reason: str, subject: str) -> Finding:
    path = (*origin.path, "not_available", name)
    position = origin.doc.position(path)
    return finding(
        "article/recommended-not-available",
        file=origin.file,
        line=position.line if position else None,
        column=position.column if position else None,
        field=_label(path),
        subject=subject,
        property=name,
        reason=reason,
    )


def _label(path: tuple[str | int, ...]) -> str | None:
    return field_label(path) or None
