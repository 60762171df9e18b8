"""The vocabulary page's content, read from the release's copy of ``vocab/newsld.ttl``.

Every class, property and individual the vocabulary defines, with its label, comment,
domain and range, and its alignments to other vocabularies (subclass, subproperty,
equivalences); plus the labels other pages show for stances, claim kinds and event types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from newsld.rdf.namespaces import DCTERMS, NLD_IRI, OWL, RDF, RDFS

ALIGNMENTS = (
    (RDFS.subClassOf, "subclass of"),
    (RDFS.subPropertyOf, "subproperty of"),
    (OWL.equivalentClass, "equivalent class"),
    (OWL.equivalentProperty, "equivalent property"),
    (OWL.sameAs, "same as"),
    (OWL.inverseOf, "inverse of"),
)
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)


@dataclass
class Term:
    iri: str
    name: str  # nld:local
    anchor: str
    kind: str  # class, property, individual
    label: str = ""
    comment: str = ""
    types: list[str] = field(default_factory=list)
    domain: list[str] = field(default_factory=list)
    range: list[str] = field(default_factory=list)
    alignments: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Vocabulary:
    iri: str
    title: str
    comment: str
    version: str
    terms: list[Term]
    labels: dict[str, str]  # IRI → label, for the other pages

    def label(self, iri: str | None, fallback: str = "") -> str:
        if not iri:
            return fallback
        return self.labels.get(iri) or fallback or iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    def of_kind(self, kind: str) -> list[Term]:
        return [t for t in self.terms if t.kind == kind]


def _english(graph: Graph, subject: URIRef, predicate: URIRef) -> str:
    values = sorted(graph.objects(subject, predicate), key=str)
    for value in values:
        if isinstance(value, Literal) and value.language in ("en", None):
            return str(value)
    return str(values[0]) if values else ""


def read(path: Path) -> Vocabulary:
    """The vocabulary in ``path`` (a Turtle file); an empty one if the release has none."""
    graph = Graph()
    if path.is_file():
        graph.parse(path, format="turtle")
    namespace = graph.namespace_manager

    def short(node: object) -> str:
        try:
            return str(namespace.normalizeUri(node))  # type: ignore[arg-type]
        except Exception:  # an IRI no prefix covers
            return str(node)

    terms: list[Term] = []
    labels: dict[str, str] = {}
    subjects = sorted({s for s in graph.subjects() if isinstance(s, URIRef)}, key=str)
    ontology = URIRef(NLD_IRI.rstrip("#"))
    for subject in subjects:
        label = _english(graph, subject, RDFS.label)
        if label:
            labels[str(subject)] = label
        if not str(subject).startswith(NLD_IRI):
            continue
        types = set(graph.objects(subject, RDF.type))
        if OWL.Class in types or RDFS.Class in types:
            kind = "class"
        elif types & set(PROPERTY_TYPES):
            kind = "property"
        else:
            kind = "individual"
        local = str(subject)[len(NLD_IRI) :]
        terms.append(
            Term(
                iri=str(subject),
                name=f"nld:{local}",
                anchor=local,
                kind=kind,
                label=label,
                comment=_english(graph, subject, RDFS.comment),
                types=sorted(short(t) for t in types),
                domain=sorted(short(d) for d in graph.objects(subject, RDFS.domain)),
                range=sorted(short(r) for r in graph.objects(subject, RDFS.range)),
                alignments=[
                    (name, short(o))
                    for predicate, name in ALIGNMENTS
                    for o in sorted(graph.objects(subject, predicate), key=str)
                ],
            )
        )
    return Vocabulary(
        iri=str(ontology),
        title=_english(graph, ontology, DCTERMS.title) or "newsld vocabulary",
        comment=_english(graph, ontology, RDFS.comment),
        version=_english(graph, ontology, OWL.versionInfo),
        terms=terms,
        labels=labels,
    )
