"""Map one article record to RDF: a schema:NewsArticle with its claims and events.

Pure: takes a loaded record, the registry and a minter, returns triples plus what the gate needs
to locate findings (the origin of every claim, event and article node). No I/O here.

The vocabulary's terms, the tables from record values to terms and the literals come from
:mod:`newsld.rdf.terms`; what the extractor proposed (extracted claims and events, and the
provenance nodes they share) is mapped by :mod:`newsld.rdf.extracted`; what mapping returns
(:class:`MappedArticle`, :class:`Origin`) is defined in :mod:`newsld.rdf.mapped`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping

from rdflib import Literal, URIRef
from rdflib.term import Node

from newsld.corpus.dates import PartialDate
from newsld.corpus.reader import LoadedArticle, Registry
from newsld.corpus.records import (
    ClaimRecord,
    EventRecord,
    RegistryEntity,
    UnnamedSpeaker,
    check_plain_name,
    field_label,
    normalise_name,
)
from newsld.corpus.yamlsource import Path_
from newsld.extraction import Extraction
from newsld.findings.report import Finding, finding
from newsld.rdf.extracted import ExtractedMapping
from newsld.rdf.identity import event_key, fingerprint, sort_key, statement_key
from newsld.rdf.iris import Minter, digest, slug
from newsld.rdf.mapped import MappedArticle, Origin
from newsld.rdf.namespaces import WIKIDATA
from newsld.rdf.reviews import ReviewMapping
from newsld.rdf.terms import (
    _KIND_OF_TYPE,
    _TRUE,
    CLAIM_KINDS,
    ENTITY_TYPES,
    EVENT_TYPES,
    NLD,
    PRECISIONS,
    PROV,
    RDF,
    ROLE_TYPES,
    SDO,
    STANCES,
    Triple,
    _integer,
    _offset,
    _text,
    date_literal,
    word_count,
)


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


_ENTITY_MEMO: dict[int, tuple[RegistryEntity, URIRef, tuple[Triple, ...]]] = {}
_ENTITY_MEMO_SIZE = 16384


_NAME_WORD = re.compile(r"\w+(?:[.\-]\w+)*")
NAME_WORDS = 5  # words of the longest name looked up in a claim's text


def named_in(text: str, aliases: Mapping[str, str]) -> list[str]:
    """The registry entities (ids, sorted) a text names: runs of up to :data:`NAME_WORDS` words
    that begin and end with a word holding a capital letter ("Hamas", "Government of Israel",
    "Saleh al-Arouri") and are a name or alias of one, compared as references are
    (:func:`normalise_name`). A possessive "'s" is not part of the name."""
    tokens = _NAME_WORD.findall(text)
    capital = [any(c.isupper() for c in token) for token in tokens]
    found: set[str] = set()
    for start in range(len(tokens)):
        if not capital[start]:
            continue
        for end in range(start, min(start + NAME_WORDS, len(tokens))):
            if capital[end]:
                entity_id = aliases.get(normalise_name(" ".join(tokens[start : end + 1])))
                if entity_id:
                    found.add(entity_id)
    return sorted(found)


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


class _ArticleMapper(ExtractedMapping, ReviewMapping):
    def __init__(
        self,
        loaded: LoadedArticle,
        registry: Registry,
        minter: Minter,
        include_text: bool,
        extraction: Extraction | None = None,
        min_confidence: float = 0.0,
        names: Mapping[str, str] | None = None,
    ) -> None:
        self.extraction = extraction
        # the alias table names in claims are looked up in (the build passes one that notes
        # each look-up, so that a cached record is reused only while they answer the same)
        self.names = registry.aliases if names is None else names
        self.publisher = ""  # the article's publisher's IRI, for the identity pass
        self.min_confidence = min_confidence
        self.loaded = loaded
        self.record = loaded.record
        self.registry = registry
        self.minter = minter
        self.include_text = include_text
        self.key = loaded.record.id
        self.iri = minter.article(self.key)
        self.out = MappedArticle(self.key, self.iri, [])
        self.shared: set[URIRef] = set()  # corpus nodes already added
        self.claim_nodes: dict[str, URIRef] = {}  # a curated claim's key → its statement node

    # -- helpers ------------------------------------------------------------------------------
    def add(self, s: Node, p: Node, o: Node | None) -> None:
        if o is not None:
            self.out.triples.append((s, p, o))

    def add_date(self, subject: URIRef, predicate: URIRef, date: PartialDate | None) -> None:
        if date is not None:
            self.add(subject, predicate, date_literal(date))
            self.add(subject, NLD.datePrecision, PRECISIONS[date.precision])

    def listed_again(self, node: URIRef, what: str, path: Path_) -> bool:
        """Whether ``node`` (a claim's, event's or review's) is mapped already: the record lists
        the same one twice, which is reported on the second (``path``: its place)."""
        if node not in self.out.origins:
            return False
        self.out.findings.append(
            finding(
                "record/invalid-value",
                detail=f"the same {what} is listed twice",
                field=f"{path[0]}[{path[1]}]",
                **self.where(path),
            )
        )
        return True

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
            publisher = self.entity(record.publisher, "publisher", ("publisher",))
            self.add(iri, SDO.publisher, publisher)
            self.publisher = str(publisher or "")
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
        self.map_reviews()
        if self.extraction is not None:
            self.map_extraction(self.extraction, text)
        return self.out

    def sources(self, node: URIRef, also_in: list[str]) -> None:
        self.add(node, NLD.source, self.iri)
        for other in also_in:
            if other != self.key:
                self.out.linked_articles.add(other)
                self.add(node, NLD.source, self.minter.article(other))

    def claim_key(self, claim: ClaimRecord) -> str:
        """The claim's key in its record (the appearance's): ``key``, else a content digest."""
        if claim.key:
            return claim.key
        speaker = claim.speaker
        speaker_key = speaker.description if isinstance(speaker, UnnamedSpeaker) else speaker or ""
        content = "\x1f".join([claim.kind or "", speaker_key, claim.text or ""])
        return digest(content)

    def statement(self, speaker: URIRef | None, stance: str, text: str, local: str) -> URIRef:
        """The claim node of a statement: keyed on speaker, stance and words, so every article
        reporting it mints the same IRI (one without words is keyed on its record)."""
        key = statement_key(str(speaker or ""), stance, text)
        return self.minter.claim(key) if key else self.minter.claim(local, self.key)

    def appear(
        self,
        what: str,
        node: URIRef,
        appearance: URIRef,
        block: str,
        said: PartialDate | None,
        text: str,
    ) -> None:
        """Link a claim or event to its appearance in this article, noted for the identity pass."""
        self.add(node, SDO.appearance, appearance)
        self.add(appearance, RDF.type, NLD.Appearance)
        kind = NLD.ClaimAppearance if what == "claim" else NLD.EventAppearance
        self.add(appearance, RDF.type, kind)
        self.add(appearance, NLD.source, self.iri)
        published = self.record.date_published
        order = sort_key(
            said.first_day.isoformat() if said else None,
            published.first_day.isoformat() if published else None,
        )
        print_ = fingerprint(text) if what == "claim" else ""
        row = (what, str(node), str(appearance), block, print_, order, text, self.publisher)
        self.out.appearances.append(row)
        if what == "claim":
            for entity_id in named_in(text, self.names):
                self.out.entity_ids.add(entity_id)
                self.add(appearance, SDO.mentions, self.minter.entity(entity_id))

    def map_claim(self, claim: ClaimRecord, path: Path_, text: str) -> None:
        local = self.claim_key(claim)
        appearance = self.minter.appearance(self.key, "claim", local)
        if self.listed_again(appearance, "claim", path):
            return
        origin = Origin("claim", self.loaded.source.display, path, self.loaded.doc)
        self.out.origins[appearance] = origin
        self.out.claims += 1
        speaker = claim.speaker
        who: URIRef | None = None
        if isinstance(speaker, UnnamedSpeaker):
            who = self.unnamed(speaker)
        elif speaker is not None:
            who = self.entity(speaker, "speaker", (*path, "speaker"))
        node = self.statement(who, claim.stance, claim.text or "", local)
        self.claim_nodes[local] = node
        self.out.origins.setdefault(node, origin)
        self.add(node, RDF.type, NLD.Claim)
        self.add(node, RDF.type, SDO.Claim)
        self.add(node, NLD.speaker, who)
        self.sources(node, claim.also_in)
        block = f"{who or ''}\x1f{claim.stance}"
        self.appear("claim", node, appearance, block, claim.date, claim.text or "")
        self.add(appearance, PROV.wasGeneratedBy, self.curation())
        if claim.text is not None:
            self.add(appearance, NLD.claimText, Literal(claim.text))
            start = text.find(claim.text) if claim.text else -1
            if start >= 0:
                self.add(appearance, NLD.evidenceStart, _offset(start))
                self.add(appearance, NLD.evidenceEnd, _offset(start + len(claim.text)))
        if claim.kind is not None:
            self.add(appearance, NLD.claimKind, CLAIM_KINDS[claim.kind])
        self.add(appearance, NLD.stance, STANCES[claim.stance])
        self.add_date(appearance, NLD.date, claim.date)
        if claim.date_note:
            self.add(appearance, NLD.dateNote, Literal(claim.date_note))
        if claim.reported_by is not None:
            outlet = self.entity(claim.reported_by, "reported_by", (*path, "reported_by"))
            self.add(appearance, NLD.reportedBy, outlet)

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
        appearance = self.minter.appearance(self.key, "event", event.key or digest(content))
        if self.listed_again(appearance, "event", path):
            return
        origin = Origin("event", self.loaded.source.display, path, self.loaded.doc)
        self.out.origins[appearance] = origin
        self.out.events += 1
        participants = [(*path, "participants", i) for i in range(len(event.participants))]
        found = [
            self.entity(ref, "participants", where)
            for ref, where in zip(event.participants, participants, strict=True)
        ]
        place = None
        if event.place is not None:
            place = self.entity(event.place, "place", (*path, "place"))
        key = event_key(
            event.type or "",
            [str(p) for p in found if p is not None],
            event.date.text if event.date else "",
            str(place or ""),
        )
        node = self.minter.event(key)
        self.out.origins.setdefault(node, origin)
        self.add(node, RDF.type, NLD.NewsEvent)
        self.add(node, RDF.type, SDO.Event)
        if event.type is not None:
            self.add(node, RDF.type, EVENT_TYPES[event.type])
        for participant in found:
            self.add(node, NLD.participant, participant)
        self.add(node, NLD.place, place)
        recipients = [(*path, "recipients", i) for i in range(len(event.recipients))]
        for ref, where in zip(event.recipients, recipients, strict=True):
            self.add(node, NLD.recipient, self.entity(ref, "recipients", where))
        self.add_date(node, NLD.date, event.date)
        self.sources(node, [])
        kind = str(EVENT_TYPES[event.type]) if event.type is not None else ""
        self.appear("event", node, appearance, kind, event.date, event.description or "")
        self.add(appearance, PROV.wasGeneratedBy, self.curation())
        if event.date_note:
            self.add(appearance, NLD.dateNote, Literal(event.date_note))
        if event.description:
            self.add(appearance, SDO.description, Literal(event.description))


def map_article(
    loaded: LoadedArticle,
    registry: Registry,
    minter: Minter,
    *,
    include_text: bool = False,
    extraction: Extraction | None = None,
    min_confidence: float = 0.0,
    names: Mapping[str, str] | None = None,
) -> MappedArticle:
    """Map a loaded record to its article graph. Never raises on bad data: see ``findings``.

    With ``extraction`` (what :func:`newsld.extraction.extract` found in the record's text), the
    extracted claims and events the record does not curate are added, marked as generated by
    the extraction activity; quotations without a speaker become info findings for curators.
    Extracted claims whose confidence (as released: two decimals) is below ``min_confidence``
    are left out, and with those quotations listed in ``withheld`` for review.

    A claim's appearance ``schema:mentions`` the registry entities its words name
    (:func:`named_in`), looked up in ``names`` (default: the registry's alias table).
    """
    mapper = _ArticleMapper(
        loaded, registry, minter, include_text, extraction, min_confidence, names
    )
    return mapper.map()
