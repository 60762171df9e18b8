"""Map one article record to RDF: a schema:NewsArticle with its claims and events.

Pure: takes a loaded record, the registry and a minter, returns triples plus what the gate needs
to locate findings (the origin of every claim, event and article node). No I/O here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from .corpus import LoadedArticle, Registry
from .dates import PartialDate, Precision
from .iris import Minter, digest, slug
from .namespaces import NLD, RDF, SDO, WIKIDATA, XSD
from .records import (
    ClaimRecord,
    EventRecord,
    RegistryEntity,
    UnnamedSpeaker,
    check_plain_name,
    field_label,
)
from .report import Finding, finding
from .yamlsource import Path_, YamlDocument

Triple = tuple[Node, Node, Node]

DATATYPES = {
    Precision.DAY: XSD.date,
    Precision.WEEK: XSD.date,
    Precision.MONTH: XSD.gYearMonth,
    Precision.YEAR: XSD.gYear,
}
PRECISIONS = {
    Precision.DAY: NLD.Day,
    Precision.WEEK: NLD.Week,
    Precision.MONTH: NLD.Month,
    Precision.YEAR: NLD.Year,
}
CLAIM_KINDS = {
    "direct": NLD.DirectQuote,
    "partial": NLD.PartialQuote,
    "indirect": NLD.IndirectSpeech,
}
EVENT_TYPES = {
    "meeting": NLD.Meeting,
    "letter": NLD.Letter,
    "appeal": NLD.Appeal,
    "attack": NLD.Attack,
    "strike": NLD.Strike,
    "statement": NLD.Statement,
    "visit": NLD.Visit,
    "agreement": NLD.Agreement,
    "other": NLD.OtherEvent,
}
ENTITY_TYPES: dict[str, tuple[URIRef, ...]] = {
    "Person": (SDO.Person,),
    "Organization": (SDO.Organization,),
    "GovernmentOrganization": (SDO.GovernmentOrganization, SDO.Organization),
    "NewsMediaOrganization": (SDO.NewsMediaOrganization, SDO.Organization),
    "Place": (SDO.Place,),
    "Country": (SDO.Country, SDO.Place),
    "City": (SDO.City, SDO.Place),
}
# The type an unregistered plain name gets, by the role it is referenced in.
ROLE_TYPES: dict[str, str | None] = {
    "speaker": "Person",
    "participants": "Person",
    "authors": "Person",
    "recipients": "Organization",
    "publisher": "NewsMediaOrganization",
    "cites": "NewsMediaOrganization",
    "reported_by": "NewsMediaOrganization",
    "place": "Place",
    "about": None,
    "mentions": None,
}
_WORD = re.compile(r"\w+(?:['’]\w+)*")


def date_literal(date: PartialDate) -> Literal:
    return Literal(date.text, datatype=DATATYPES[date.precision])


def word_count(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def entity_triples(iri: URIRef, entity: RegistryEntity) -> list[Triple]:
    """The registry description of one entity (it goes into the entities graph)."""
    triples: list[Triple] = [(iri, RDF.type, t) for t in ENTITY_TYPES[entity.type]]
    triples.append((iri, SDO.name, Literal(entity.name)))
    triples += [(iri, SDO.alternateName, Literal(a)) for a in entity.aliases]
    if entity.wikidata:
        triples.append((iri, SDO.sameAs, WIKIDATA[entity.wikidata]))
    if entity.description:
        triples.append((iri, SDO.description, Literal(entity.description)))
    return triples


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


class _ArticleMapper:
    def __init__(
        self, loaded: LoadedArticle, registry: Registry, minter: Minter, include_text: bool
    ) -> None:
        self.loaded = loaded
        self.record = loaded.record
        self.registry = registry
        self.minter = minter
        self.include_text = include_text
        self.key = loaded.record.id
        self.iri = minter.article(self.key)
        self.out = MappedArticle(self.key, self.iri, [])

    # -- helpers ------------------------------------------------------------------------------
    def add(self, s: Node, p: Node, o: Node | None) -> None:
        if o is not None:
            self.out.triples.append((s, p, o))

    def add_date(self, subject: URIRef, predicate: URIRef, date: PartialDate | None) -> None:
        if date is not None:
            self.add(subject, predicate, date_literal(date))
            self.add(subject, NLD.datePrecision, PRECISIONS[date.precision])

    def where(self, path: Path_) -> dict[str, object]:
        position = self.loaded.doc.position(path)
        return {
            "file": self.loaded.source.display,
            "line": position.line if position else None,
            "column": position.column if position else None,
        }

    def entity(self, reference: str, role: str, path: Path_) -> URIRef | None:
        """Resolve a reference to an entity IRI (registry first, else a minted plain name)."""
        entity_id = self.registry.lookup(reference)
        self.out.references[reference] = entity_id
        if entity_id is not None:
            self.out.entity_ids.add(entity_id)
            return self.minter.entity(entity_id)
        label = field_label(path)
        try:
            check_plain_name(reference)
        except ValueError:
            self.out.findings.append(
                finding("entity/bad-reference", field=label, value=reference, **self.where(path))
            )
            return None
        self.out.findings.append(
            finding(
                "entity/unregistered",
                field=label,
                value=reference,
                hint=self.registry.suggest(reference)
                or "add it to registry.yaml (with aliases and a Wikidata id if it has one)",
                **self.where(path),
            )
        )
        iri = self.minter.entity(slug(reference))
        triples = self.out.minted.setdefault(iri, set())
        triples.add((iri, SDO.name, Literal(reference)))
        role_type = ROLE_TYPES.get(role)
        types = ENTITY_TYPES[role_type] if role_type else (SDO.Thing,)
        triples.update((iri, RDF.type, t) for t in types)
        return iri

    def entities(self, references: list[str], role: str) -> list[URIRef]:
        found = (self.entity(ref, role, (role, i)) for i, ref in enumerate(references))
        return [iri for iri in found if iri is not None]

    # -- article ------------------------------------------------------------------------------
    def map(self) -> MappedArticle:
        record, iri = self.record, self.iri
        text = self.loaded.text.text
        self.out.origins[iri] = Origin("article", self.loaded.source.display, (), self.loaded.doc)
        self.add(iri, RDF.type, SDO.NewsArticle)
        self.add(iri, SDO.identifier, Literal(self.key))
        if record.headline is not None:
            self.add(iri, SDO.headline, Literal(record.headline))
        if record.subheadline is not None:
            self.add(iri, SDO.alternativeHeadline, Literal(record.subheadline))
        self.add_date(iri, SDO.datePublished, record.date_published)
        if record.date_published_note:
            self.add(iri, NLD.dateInferred, Literal(True))
            self.add(iri, NLD.dateNote, Literal(record.date_published_note))
        for author in self.entities(record.authors, "authors"):
            self.add(iri, SDO.author, author)
        if record.publisher is not None:
            self.add(iri, SDO.publisher, self.entity(record.publisher, "publisher", ("publisher",)))
        if record.language is not None:
            self.add(iri, SDO.inLanguage, Literal(record.language))
        if record.url is not None:
            self.add(iri, SDO.url, URIRef(record.url))
        self.add(iri, SDO.wordCount, Literal(word_count(text)))
        for outlet in self.entities(record.cites, "cites"):
            self.add(iri, SDO.citation, outlet)
        for subject in self.entities(record.about, "about"):
            self.add(iri, SDO.about, subject)
        for mention in self.entities(record.mentions, "mentions"):
            self.add(iri, SDO.mentions, mention)
        if self.include_text:
            self.add(iri, SDO.articleBody, Literal(text))
        for index, claim in enumerate(record.claims):
            self.map_claim(claim, ("claims", index), text)
        for index, event in enumerate(record.events):
            self.map_event(event, ("events", index))
        return self.out

    def sources(self, node: URIRef, also_in: list[str]) -> None:
        self.add(node, NLD.source, self.iri)
        for other in also_in:
            if other != self.key:
                self.out.linked_articles.add(other)
                self.add(node, NLD.source, self.minter.article(other))

    def claim_node(self, claim: ClaimRecord) -> URIRef:
        if claim.key:
            return self.minter.claim(self.key, claim.key)
        speaker = claim.speaker
        speaker_key = speaker.description if isinstance(speaker, UnnamedSpeaker) else speaker or ""
        content = "\x1f".join([claim.kind or "", speaker_key, claim.text or ""])
        return self.minter.claim(self.key, digest(content))

    def map_claim(self, claim: ClaimRecord, path: Path_, text: str) -> None:
        node = self.claim_node(claim)
        if node in self.out.origins:
            self.out.findings.append(
                finding(
                    "record/invalid-value",
                    detail="the same claim is listed twice",
                    field=f"claims[{path[1]}]",
                    **self.where(path),
                )
            )
            return
        self.out.origins[node] = Origin("claim", self.loaded.source.display, path, self.loaded.doc)
        self.out.claims += 1
        self.add(node, RDF.type, NLD.Claim)
        self.add(node, RDF.type, SDO.Claim)
        if claim.text is not None:
            self.add(node, NLD.claimText, Literal(claim.text))
            start = text.find(claim.text) if claim.text else -1
            if start >= 0:
                self.add(node, NLD.evidenceStart, Literal(start, datatype=XSD.nonNegativeInteger))
                end = start + len(claim.text)
                self.add(node, NLD.evidenceEnd, Literal(end, datatype=XSD.nonNegativeInteger))
        if claim.kind is not None:
            self.add(node, NLD.claimKind, CLAIM_KINDS[claim.kind])
        speaker = claim.speaker
        if isinstance(speaker, UnnamedSpeaker):
            self.add(node, NLD.speaker, self.unnamed(speaker))
        elif speaker is not None:
            self.add(node, NLD.speaker, self.entity(speaker, "speaker", (*path, "speaker")))
        self.add_date(node, NLD.date, claim.date)
        if claim.date_note:
            self.add(node, NLD.dateNote, Literal(claim.date_note))
        if claim.reported_by is not None:
            outlet = self.entity(claim.reported_by, "reported_by", (*path, "reported_by"))
            self.add(node, NLD.reportedBy, outlet)
        self.sources(node, claim.also_in)

    def unnamed(self, speaker: UnnamedSpeaker) -> URIRef:
        node = self.minter.unnamed_source(self.key, speaker.description)
        self.add(node, RDF.type, NLD.UnnamedSource)
        for t in ENTITY_TYPES[speaker.type]:
            self.add(node, RDF.type, t)
        self.add(node, SDO.description, Literal(speaker.description))
        return node

    def map_event(self, event: EventRecord, path: Path_) -> None:
        content = "\x1f".join(
            [
                event.type or "",
                *sorted(event.participants),
                event.place or "",
                event.date.text if event.date else "",
                event.description or "",
            ]
        )
        node = self.minter.event(self.key, event.key or digest(content))
        if node in self.out.origins:
            self.out.findings.append(
                finding(
                    "record/invalid-value",
                    detail="the same event is listed twice",
                    field=f"events[{path[1]}]",
                    **self.where(path),
                )
            )
            return
        self.out.origins[node] = Origin("event", self.loaded.source.display, path, self.loaded.doc)
        self.out.events += 1
        self.add(node, RDF.type, NLD.NewsEvent)
        self.add(node, RDF.type, SDO.Event)
        if event.type is not None:
            self.add(node, RDF.type, EVENT_TYPES[event.type])
        participants = [(*path, "participants", i) for i in range(len(event.participants))]
        for ref, where in zip(event.participants, participants, strict=True):
            self.add(node, NLD.participant, self.entity(ref, "participants", where))
        if event.place is not None:
            self.add(node, NLD.place, self.entity(event.place, "place", (*path, "place")))
        recipients = [(*path, "recipients", i) for i in range(len(event.recipients))]
        for ref, where in zip(event.recipients, recipients, strict=True):
            self.add(node, NLD.recipient, self.entity(ref, "recipients", where))
        self.add_date(node, NLD.date, event.date)
        if event.date_note:
            self.add(node, NLD.dateNote, Literal(event.date_note))
        if event.description:
            self.add(node, SDO.description, Literal(event.description))
        self.sources(node, [])


def map_article(
    loaded: LoadedArticle, registry: Registry, minter: Minter, *, include_text: bool = False
) -> MappedArticle:
    """Map a loaded record to its article graph. Never raises on bad data: see ``findings``."""
    return _ArticleMapper(loaded, registry, minter, include_text).map()
