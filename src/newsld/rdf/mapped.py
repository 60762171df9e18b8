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

# One appearance of a claim or event, for the identity pass (see newsld.rdf.identity)
AppearanceRow = tuple[str, str, str, str, str, str, str, str]


@dataclass(frozen=True)
class Origin:
    """Where a node of the graph came from, to point findings at a file and line."""

    kind: str  # article | claim | event | review | rating
    file: str
    path: Path_
    doc: YamlDocument


@dataclass(frozen=True)
class Withheld:
    """An extracted claim the release leaves out, for curators to review (``review.jsonl``):
    ``why`` is ``below-confidence`` (its confidence is under the build's ``min_confidence``)
    or ``unattributed`` (a quotation nobody in the article is said to have said)."""

    why: str
    record: str  # the record's path relative to the corpus' parent
    text_file: str  # the text's, likewise
    article: str  # the article's IRI
    start: int  # character offsets into the text file
    end: int
    text: str
    kind: str  # direct | partial | indirect
    speaker: str | None  # the proposed speaker's name or description
    speaker_id: str | None  # its registry id, when the registry knows it
    reported_by: str | None  # an intermediary outlet's name
    date: str | None  # as a record writes it: YYYY-MM-DD, YYYY-Www, YYYY-MM or YYYY
    date_source: str | None
    confidence: float  # as the release would give it (two decimals)
    rule: str  # the extraction rule that proposed it


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
    withheld: list[Withheld] = field(default_factory=list)  # in text order
    appearances: list[AppearanceRow] = field(default_factory=list)  # for the identity pass
