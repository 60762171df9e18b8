"""Map one article record to RDF: a schema:NewsArticle with its claims and events.

Pure: takes a loaded record, the registry and a minter, returns triples plus what the gate needs
to locate findings (the origin of every claim, event and article node). No I/O here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from newsld import __version__
from newsld.corpus.dates import PartialDate, Precision
from newsld.corpus.reader import LoadedArticle, Registry
from newsld.corpus.records import (
    ClaimRecord,
    EventRecord,
    RegistryEntity,
    UnnamedSpeaker,
    check_plain_name,
    field_label,
    is_plain_name,
    normalise_name,
)
from newsld.corpus.yamlsource import Path_, YamlDocument
from newsld.extraction import Claim, Event, Extraction, Span, Speaker
from newsld.findings.report import Finding, finding
from newsld.rdf import namespaces
from newsld.rdf.iris import Minter, digest, slug
from newsld.rdf.namespaces import WIKIDATA

Triple = tuple[Node, Node, Node]


class Terms:
    """A namespace whose terms, once looked up, are plain attributes: an attribute of rdflib's
    DefinedNamespace classes runs Python code on every look-up, and mapping looks up several
    per triple."""

    def __init__(self, namespace: Any) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        if name.startswith("_"):  # no term; and copy/pickle probe such names before __init__
            raise AttributeError(name)
        term: URIRef = getattr(self._namespace, name)
        setattr(self, name, term)
        return term


NLD = Terms(namespaces.NLD)
PROV = Terms(namespaces.PROV)
RDF = Terms(namespaces.RDF)
SDO = Terms(namespaces.SDO)
XSD = Terms(namespaces.XSD)

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
# Each type an entity can have, by the kind of thing it makes it: one node is one kind
_KIND_OF_TYPE: dict[URIRef, str] = {
    t: str(types[-1]).rsplit("/", 1)[-1] for types in ENTITY_TYPES.values() for t in types
}


def letter_scripts(name: str) -> set[str]:
    """The scripts of a name's letters (LATIN, CYRILLIC, GREEK, …), from their Unicode names."""
    if name.isascii():
        return {"LATIN"} if any(c.isalpha() for c in name) else set()
    return {unicodedata.name(c, "UNKNOWN").split(" ", 1)[0] for c in name if c.isalpha()}


def minted_conflicts(minted: Mapping[URIRef, set[Triple]]) -> Iterator[Finding]:
    """An error for each IRI minted from names that the records give two different names or
    two kinds of thing (a Person and an Organization): one node must be one entity."""
    for iri in sorted(minted, key=str):
        names = sorted({str(o) for _, p, o in minted[iri] if p == SDO.name})
        kinds = sorted({_KIND_OF_TYPE[o] for _, p, o in minted[iri] if o in _KIND_OF_TYPE})
        if len({normalise_name(n) for n in names}) > 1 or len(kinds) > 1:
            yield finding(
                "entity/conflicting-node",
                iri=str(iri),
                names=" / ".join(names),
                kinds=" and ".join(kinds) or "Thing",
            )


_WORD = re.compile(r"\w+(?:['’]\w+)*")


# Terms that recur from record to record are made once (rdflib's term constructors are slow);
# terms are immutable, so sharing them changes nothing. Every memo here is bounded.
@functools.lru_cache(maxsize=8192)
def date_literal(date: PartialDate) -> Literal:
    return Literal(date.text, datatype=DATATYPES[date.precision])


@functools.lru_cache(maxsize=16384, typed=True)
def _offset(value: int) -> Literal:
    """An xsd:nonNegativeInteger, such as a character offset into an article's text."""
    return Literal(value, datatype=XSD.nonNegativeInteger)


@functools.lru_cache(maxsize=4096, typed=True)
def _integer(value: int) -> Literal:
    return Literal(value)


@functools.lru_cache(maxsize=16384, typed=True)
def _text(value: str) -> Literal:
    """A plain literal of a text that recurs: a name, a language, a date's source."""
    return Literal(value)


_TRUE = Literal(True)


def word_count(text: str) -> int:
    """How many words ``_WORD`` finds in ``text``, counted without running it (the regular
    expression engine tests every character for a word class: 0.2 ms for an article).

    A word is a run of word characters (``\\w``), joined to the next run by one apostrophe.
    Each character becomes a class byte, ``w`` for a word character, ``'`` for an apostrophe
    and ``.`` for any other, so a word starts at each ``w`` that follows a ``.``, or an
    apostrophe that follows no ``w``, or the start of the text.
    """
    data = text.encode("utf-8", "surrogatepass")
    if not text.isascii():  # each other character's encoding becomes its class byte
        others = data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
        for char in set(others):
            data = data.replace(char.encode("utf-8", "surrogatepass"), _char_class(char))
    classes = data.translate(_ASCII_CLASSES)
    return (
        classes.count(b".w")
        + classes.count(b".'w")
        + classes.count(b"''w")
        + classes.startswith(b"w")
        + classes.startswith(b"'w")
    )


@functools.lru_cache(maxsize=4096)
def _char_class(char: str) -> bytes:
    """A character's class for :func:`word_count`; ``\\w`` is str.isalnum() or "_"."""
    if char.isalnum() or char == "_":
        return b"w"
    return b"'" if char in "'’" else b"."


_ASCII_BYTES = bytes(range(128))
_ASCII_CLASSES = b"".join(_char_class(chr(byte)) for byte in range(128)).ljust(256, b".")


_ENTITY_MEMO: dict[int, tuple[RegistryEntity, URIRef, tuple[Triple, ...]]] = {}
_ENTITY_MEMO_SIZE = 16384


def entity_triples(iri: URIRef, entity: RegistryEntity) -> list[Triple]:
    """The registry description of one entity (it goes into the entities graph); memoised by
    the entity object (registry entries are frozen), which the memo keeps alive."""
    memo = _ENTITY_MEMO.get(id(entity))
    if memo is not None and memo[0] is entity and memo[1] == iri:
        return list(memo[2])
    triples = _entity_triples(iri, entity)
    if len(_ENTITY_MEMO) >= _ENTITY_MEMO_SIZE:
        _ENTITY_MEMO.clear()
    _ENTITY_MEMO[id(entity)] = (entity, iri, tuple(triples))
    return triples


def _entity_triples(iri: URIRef, entity: RegistryEntity) -> list[Triple]:
    triples: list[Triple] = [(iri, RDF.type, t) for t in ENTITY_TYPES[entity.type]]
    triples.append((iri, SDO.name, Literal(entity.name)))
    triples += [(iri, SDO.alternateName, Literal(a)) for a in entity.aliases]
    if entity.wikidata:
        triples.append((iri, SDO.sameAs, WIKIDATA[entity.wikidata]))
    if entity.description:
        triples.append((iri, SDO.description, Literal(entity.description)))
    if entity.url:
        triples.append((iri, SDO.url, URIRef(entity.url)))
    if entity.logo:
        triples.append((iri, SDO.logo, URIRef(entity.logo)))
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
    extracted_claims: int = 0  # of ``claims``, those the extractor proposed
    extracted_events: int = 0


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _content_words(text: str) -> set[str]:
    return {w for w in normalise_name(text).split() if len(w) > 3}


class _ArticleMapper:
    def __init__(
        self,
        loaded: LoadedArticle,
        registry: Registry,
        minter: Minter,
        include_text: bool,
        extraction: Extraction | None = None,
    ) -> None:
        self.extraction = extraction
        self.loaded = loaded
        self.record = loaded.record
        self.registry = registry
        self.minter = minter
        self.include_text = include_text
        self.key = loaded.record.id
        self.iri = minter.article(self.key)
        self.out = MappedArticle(self.key, self.iri, [])
        self.shared: set[URIRef] = set()  # corpus nodes already added

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
        problem = self.impostor(reference, label, path)
        if problem is not None:
            self.out.findings.append(problem)
            return None
        scripts = letter_scripts(reference)
        if len(scripts) > 1:
            self.out.findings.append(
                finding(
                    "entity/mixed-script",
                    field=label,
                    value=reference,
                    scripts=", ".join(sorted(scripts)),
                    **self.where(path),
                )
            )
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
        triples.add((iri, SDO.name, _text(reference)))
        role_type = ROLE_TYPES.get(role)
        types = ENTITY_TYPES[role_type] if role_type else (SDO.Thing,)
        triples.update((iri, RDF.type, t) for t in types)
        return iri

    def impostor(self, reference: str, label: str, path: Path_) -> Finding | None:
        """An error for a name the registry does not know that would pass for one of its
        entities: spelt with look-alike letters, or minting the IRI of a registered entity
        (whose node would then gain this name and this role's type)."""
        registry, where = self.registry, self.where(path)
        imitated = registry.imitated(reference)
        if imitated is not None:
            name = registry.entities[imitated].name
            return finding(
                "entity/confusable", field=label, value=reference, entity=imitated, name=name,
                hint=f"write `{imitated}`, or the name in Latin letters", **where,
            )  # fmt: skip
        key = slug(reference)
        if key in registry.entities:
            return finding(
                "entity/iri-collision", field=label, value=reference, entity=key,
                hint=f"add {reference!r} to the aliases of `{key}`, or write `{key}`", **where,
            )  # fmt: skip
        return None

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
        if record.date_modified is not None:  # its datatype says its precision
            self.add(iri, SDO.dateModified, date_literal(record.date_modified))
        if record.date_published_note:
            self.add(iri, NLD.dateInferred, _TRUE)
            self.add(iri, NLD.dateNote, Literal(record.date_published_note))
        for author in self.entities(record.authors, "authors"):
            self.add(iri, SDO.author, author)
        if record.publisher is not None:
            self.add(iri, SDO.publisher, self.entity(record.publisher, "publisher", ("publisher",)))
        if record.language is not None:
            self.add(iri, SDO.inLanguage, _text(record.language))
        if record.url is not None:
            self.add(iri, SDO.url, URIRef(record.url))
        for image in record.image:
            self.add(iri, SDO.image, URIRef(image))
        self.add(iri, SDO.wordCount, _integer(word_count(text)))
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
        if self.extraction is not None:
            self.map_extraction(self.extraction, text)
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
        self.add(node, PROV.wasGeneratedBy, self.curation())
        self.add(node, RDF.type, NLD.Claim)
        self.add(node, RDF.type, SDO.Claim)
        if claim.text is not None:
            self.add(node, NLD.claimText, Literal(claim.text))
            start = text.find(claim.text) if claim.text else -1
            if start >= 0:
                self.add(node, NLD.evidenceStart, _offset(start))
                self.add(node, NLD.evidenceEnd, _offset(start + len(claim.text)))
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
        self.add(node, SDO.description, _text(speaker.description))
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
        self.add(node, PROV.wasGeneratedBy, self.curation())
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

    # -- provenance -------------------------------------------------------------------------
    def _corpus_node(self, iri: URIRef, triples: tuple[Triple, ...]) -> URIRef:
        """A node every article shares (it goes into the entities graph, once); its triples
        are always the same, so they are added once per article."""
        if iri not in self.shared:
            self.shared.add(iri)
            self.out.minted.setdefault(iri, set()).update(triples)
        return iri

    def curation(self) -> URIRef:
        return self._corpus_node(*_curation(self.minter))

    def extraction_activity(self) -> URIRef:
        agent, activity = _extraction(self.minter)
        self._corpus_node(*agent)
        return self._corpus_node(*activity)

    # -- extracted claims and events ----------------------------------------------------------
    def map_extraction(self, extraction: Extraction, text: str) -> None:
        """Extracted claims and events the record does not already curate; the rest as notes."""
        curated_spans: list[Span] = []
        curated_words: list[set[str]] = []
        for claim in self.record.claims:
            if not claim.text:
                continue
            start = text.find(claim.text)
            if start >= 0:
                curated_spans.append(Span(start, start + len(claim.text)))
            else:  # a paraphrase: compared by its words
                curated_words.append(_content_words(claim.text))
        for claim in extraction.claims:
            if any(claim.span.overlaps(s) for s in curated_spans):
                continue
            words = _content_words(claim.text)
            if words and any(
                len(words & w) >= 0.6 * min(len(words), len(w)) for w in curated_words
            ):
                continue
            self.map_extracted_claim(claim, text)
        for quote in extraction.unattributed:
            if any(quote.span.overlaps(s) for s in curated_spans):
                continue
            self.note(quote.span, "extract/unattributed-quote", text=_short(quote.text))
        curated_events = [
            (event.type, {self.registry.lookup(p) or p for p in event.participants})
            for event in self.record.events
        ]
        for event in extraction.events:
            ids = {p.entity_id or p.name for p in event.participants}
            if any(kind == event.type and ids & refs for kind, refs in curated_events):
                continue
            self.map_extracted_event(event)

    def note(self, span: Span, code: str, **params: object) -> None:
        text = self.loaded.text
        self.out.findings.append(
            finding(code, file=text.display, line=_line_of(text.text, span.start), **params)
        )

    def extracted_agent(self, speaker: Speaker, span: Span) -> URIRef | None:
        if speaker.entity_id and speaker.entity_id in self.registry.entities:
            self.out.entity_ids.add(speaker.entity_id)
            return self.minter.entity(speaker.entity_id)
        kind = speaker.kind.value
        if speaker.unnamed or not is_plain_name(speaker.name):
            return self.unnamed(UnnamedSpeaker(description=speaker.name[:200], type=kind))
        return self.extracted_entity(speaker.name, kind, "speaker", span)

    def extracted_entity(self, name: str, kind: str, role: str, span: Span) -> URIRef | None:
        """A name the registry does not know: an IRI from its normalised form, noted."""
        found = self.registry.lookup(name)
        if found is not None:
            self.out.entity_ids.add(found)
            return self.minter.entity(found)
        if not is_plain_name(name):
            return None
        key = slug(name)
        if key in self.registry.entities or self.registry.imitated(name) is not None:
            return None  # it would pass for a registered entity: not minted
        iri = self.minter.entity(key)
        types = ENTITY_TYPES.get(kind, (SDO.Thing,))
        triples = [(iri, SDO.name, _text(name)), *((iri, RDF.type, t) for t in types)]
        self.out.minted.setdefault(iri, set()).update(triples)
        self.note(span, "extract/unregistered-speaker", role=role, value=name)
        return iri

    def map_extracted_claim(self, claim: Claim, text: str) -> None:
        reason = None
        if claim.speaker is None:
            reason = "no speaker"
        elif claim.date is None:
            reason = "no date (the record has no date_published)"
        speaker = None
        if reason is None and claim.speaker is not None:
            speaker = self.extracted_agent(claim.speaker, claim.span)
            if speaker is None:
                reason = f"the speaker {claim.speaker.name!r} is not a usable name"
        if reason is not None or speaker is None or claim.date is None:
            what = f"{claim.kind.value} claim"
            self.note(
                claim.span,
                "extract/not-released",
                what=what,
                reason=reason,
                text=_short(claim.text),
            )
            return
        stable = f"{claim.span.start}\x1f{claim.span.end}\x1f{normalise_name(claim.text)}"
        key = f"x-{claim.span.start}-{claim.span.end}-{digest(stable, 8)}"
        node = self.minter.claim(self.key, key)
        if node in self.out.origins:
            return
        self.out.origins[node] = Origin(
            "claim", self.loaded.source.display, ("text_file",), self.loaded.doc
        )
        self.out.claims += 1
        self.out.extracted_claims += 1
        self.add(node, RDF.type, NLD.Claim)
        self.add(node, RDF.type, SDO.Claim)
        self.add(node, NLD.claimText, Literal(claim.text))
        self.add(node, NLD.evidenceStart, _offset(claim.span.start))
        self.add(node, NLD.evidenceEnd, _offset(claim.span.end))
        self.add(node, NLD.claimKind, CLAIM_KINDS[claim.kind.value])
        self.add(node, NLD.speaker, speaker)
        self.add_date(node, NLD.date, claim.date.date)
        self.add(node, NLD.dateSource, _text(claim.date.source))
        if claim.reported_by is not None:
            outlet = claim.reported_by
            span = outlet.span or claim.span
            if outlet.entity_id and outlet.entity_id in self.registry.entities:
                self.out.entity_ids.add(outlet.entity_id)
                self.add(node, NLD.reportedBy, self.minter.entity(outlet.entity_id))
            else:
                iri = self.extracted_entity(outlet.name, "NewsMediaOrganization", "outlet", span)
                self.add(node, NLD.reportedBy, iri)
        self.add(node, NLD.confidence, _decimal(claim.confidence))
        self.add(node, PROV.wasGeneratedBy, self.extraction_activity())
        self.sources(node, [])

    def map_extracted_event(self, event: Event) -> None:
        participants = [
            self.extracted_participant(p.name, p.entity_id, p.kind, "participant", event.span)
            for p in event.participants
        ]
        found = [p for p in participants if p is not None]
        place = None
        if event.place is not None:
            p = event.place
            place = self.extracted_participant(p.name, p.entity_id, "Place", "place", event.span)
        reason = None
        if not found:
            reason = "no nameable participant"
        elif event.date is None:
            reason = "no date"
        elif place is None:
            reason = "no place"
        if reason is not None or event.date is None:
            what = f"{event.type} event"
            self.note(
                event.span,
                "extract/not-released",
                what=what,
                reason=reason,
                text=_short(event.description),
            )
            return
        key = f"x-{event.span.start}-{event.trigger.start}-{event.type}"
        node = self.minter.event(self.key, key)
        if node in self.out.origins:
            return
        self.out.origins[node] = Origin(
            "event", self.loaded.source.display, ("text_file",), self.loaded.doc
        )
        self.out.events += 1
        self.out.extracted_events += 1
        self.add(node, RDF.type, NLD.NewsEvent)
        self.add(node, RDF.type, SDO.Event)
        self.add(node, RDF.type, EVENT_TYPES.get(event.type, NLD.OtherEvent))
        for iri in dict.fromkeys(found):
            self.add(node, NLD.participant, iri)
        self.add(node, NLD.place, place)
        for p in event.recipients:
            iri = self.extracted_participant(p.name, p.entity_id, p.kind, "recipient", event.span)
            self.add(node, NLD.recipient, iri)
        self.add_date(node, NLD.date, event.date.date)
        self.add(node, NLD.dateSource, _text(event.date.source))
        if event.description:
            self.add(node, SDO.description, Literal(" ".join(event.description.split())))
        self.add(node, NLD.evidenceStart, _offset(event.span.start))
        self.add(node, NLD.evidenceEnd, _offset(event.span.end))
        self.add(node, NLD.confidence, _decimal(event.confidence))
        self.add(node, PROV.wasGeneratedBy, self.extraction_activity())
        self.sources(node, [])

    def extracted_participant(
        self, name: str, entity_id: str | None, kind: str, role: str, span: Span
    ) -> URIRef | None:
        if entity_id and entity_id in self.registry.entities:
            self.out.entity_ids.add(entity_id)
            return self.minter.entity(entity_id)
        return self.extracted_entity(name, kind, role, span)


SharedNode = tuple[URIRef, tuple[Triple, ...]]


@functools.lru_cache(maxsize=64)
def _curation(minter: Minter) -> SharedNode:
    iri = minter.activity("curation")
    return iri, (
        (iri, RDF.type, PROV.Activity),
        (iri, RDF.type, NLD.Curation),
        (iri, SDO.name, Literal("newsld corpus curation")),
    )


@functools.lru_cache(maxsize=64)
def _extraction(minter: Minter) -> tuple[SharedNode, SharedNode]:
    """The software agent, then the extraction activity it is associated with."""
    iri = minter.activity("extraction", __version__)
    agent = minter.software(__version__)
    agent_triples = (
        (agent, RDF.type, PROV.SoftwareAgent),
        (agent, RDF.type, SDO.SoftwareApplication),
        (agent, SDO.name, Literal("newsld")),
        (agent, SDO.softwareVersion, Literal(__version__)),
    )
    activity_triples = (
        (iri, RDF.type, PROV.Activity),
        (iri, RDF.type, NLD.Extraction),
        (iri, SDO.name, Literal(f"newsld {__version__} extraction")),
        (iri, PROV.wasAssociatedWith, agent),
    )
    return (agent, agent_triples), (iri, activity_triples)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:79] + "…"


def _decimal(value: float) -> Literal:
    """Two decimals in canonical form ("0.6", not "0.60"): triple stores round-trip it."""
    text = f"{min(max(value, 0.0), 1.0):.2f}".rstrip("0")
    return Literal(text + "0" if text.endswith(".") else text, datatype=XSD.decimal)


def map_article(
    loaded: LoadedArticle,
    registry: Registry,
    minter: Minter,
    *,
    include_text: bool = False,
    extraction: Extraction | None = None,
) -> MappedArticle:
    """Map a loaded record to its article graph. Never raises on bad data: see ``findings``.

    With ``extraction`` (what :func:`newsld.extraction.extract` found in the record's text), the
    extracted claims and events the record does not curate are added, marked as generated by
    the extraction activity; quotations without a speaker become info findings for curators.
    """
    return _ArticleMapper(loaded, registry, minter, include_text, extraction).map()
