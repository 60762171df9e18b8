"""Every IRI namespace newsld uses. Code imports terms from here and never retypes an IRI.

``NLD`` is our vocabulary (``vocab/newsld.ttl``); a test checks that the terms listed here and the
terms defined there are the same set.
"""

from __future__ import annotations

from rdflib import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SDO, VOID, XSD, Namespace, URIRef
from rdflib.namespace import DefinedNamespace

NLD_IRI = "https://w3id.org/newsld/vocab#"
NLDSH = Namespace("https://w3id.org/newsld/shapes#")  # the shapes in shapes/newsld-shapes.ttl
WIKIDATA = Namespace("http://www.wikidata.org/entity/")
# rdflib ships DCAT 2 as a closed namespace; DCAT 3 adds dcat:version.
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SEM = Namespace("http://semanticweb.cs.vu.nl/2009/11/sem/")
SH = Namespace("http://www.w3.org/ns/shacl#")
SPDX = Namespace("http://spdx.org/rdf/terms#")


class NLD(DefinedNamespace):
    """The newsld claim and event vocabulary."""

    _NS = Namespace(NLD_IRI)
    _fail = True

    # classes
    Claim: URIRef
    Appearance: URIRef
    ClaimAppearance: URIRef
    EventAppearance: URIRef
    ClaimKind: URIRef
    Stance: URIRef
    DatePrecision: URIRef
    NewsEvent: URIRef
    Meeting: URIRef
    Letter: URIRef
    Appeal: URIRef
    Attack: URIRef
    Strike: URIRef
    Statement: URIRef
    Visit: URIRef
    Agreement: URIRef
    OtherEvent: URIRef
    UnnamedSource: URIRef
    Extraction: URIRef
    Curation: URIRef
    # individuals
    DirectQuote: URIRef
    PartialQuote: URIRef
    IndirectSpeech: URIRef
    Asserts: URIRef
    Denies: URIRef
    Questions: URIRef
    Day: URIRef
    Week: URIRef
    Month: URIRef
    Year: URIRef
    # properties
    claimText: URIRef
    variantOf: URIRef
    outletCount: URIRef
    firstOutlet: URIRef
    claimCount: URIRef
    articleCount: URIRef
    claimKind: URIRef
    stance: URIRef
    speaker: URIRef
    date: URIRef
    datePrecision: URIRef
    dateNote: URIRef
    dateInferred: URIRef
    source: URIRef
    reportedBy: URIRef
    evidenceStart: URIRef
    evidenceEnd: URIRef
    participant: URIRef
    place: URIRef
    recipient: URIRef
    findingCode: URIRef
    confidence: URIRef
    dateSource: URIRef
    loadedGraph: URIRef
    graphDigest: URIRef
    manifestShard: URIRef
    shardDigest: URIRef


PREFIXES: dict[str, str] = {
    "nld": NLD_IRI,
    "schema": str(SDO),
    "prov": str(PROV),
    "sem": str(SEM),
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "void": str(VOID),
    "foaf": str(FOAF),
    "owl": str(OWL),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "wd": str(WIKIDATA),
    "spdx": str(SPDX),
}

__all__ = [
    "DCAT",
    "DCTERMS",
    "NLD",
    "NLDSH",
    "NLD_IRI",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SDO",
    "SEM",
    "SH",
    "SPDX",
    "VOID",
    "WIKIDATA",
    "XSD",
]
