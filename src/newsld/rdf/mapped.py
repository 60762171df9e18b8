"""What mapping one article gives: its triples, and what the gate needs to locate findings.

:class:`MappedArticle` carries the article's triples, the entities it uses or mints, the articles
it links, and the :class:`Origin` (file, path, document) of every claim, event and article node.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import URIRef

from newsld.corpus.yamlsource import Path_, YamlDocument
from newsld.findings.report import Finding
from newsld.rdf.terms import Triple


@dataclass(frozen=True)
class Origin:
    """Where a node of the graph came from, to point findings at a file and line."""

    kind: str  # article | claim | event
    file: str
    path: Path_
    doc: YamlDocument


@dataclass
class MappedArticle:
    key: str
    iri: URIRef
    triples: list[Triple]
    entity_ids: set[str] = field(default_factory=set)
    minted: dict[URIRef, set[Triple]] = field(default_factory=dict)
    linked_articles: set[str] = field(default_factory=set)
    references: dict[str, str | None] = field(default_factory=dict)  # as resolved in the registry
    origins: dict[URIRef, Origin] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    claims: int = 0
    events: int = 0
    extracted_claims: int = 0  # of ``claims``, those the extractor proposed
    extracted_events: int = 0
