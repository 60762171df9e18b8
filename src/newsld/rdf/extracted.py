"""Extracted claims and events as RDF, and the provenance nodes every article shares.

:class:`ExtractedMapping` is the part of the article mapper (:mod:`newsld.rdf.mapping`) that adds
the claims and events the extractor proposed and the record does not curate, marked as generated
by the extraction activity, and notes the rest as findings for curators.
"""

from __future__ import annotations

import functools

from rdflib import Literal, URIRef

from newsld import __version__
from newsld.corpus.records import (
    UnnamedSpeaker,
    is_plain_name,
    normalise_name,
    released_confidence,
)
from newsld.extraction import Claim, Event, Extraction, Span, Speaker
from newsld.findings.report import finding
from newsld.rdf.identity import event_key
from newsld.rdf.iris import Minter, digest, slug
from newsld.rdf.mapped import Origin, Withheld
from newsld.rdf.terms import (
    CLAIM_KINDS,
    ENTITY_TYPES,
    EVENT_TYPES,
    NLD,
    PROV,
    RDF,
    SDO,
    STANCES,
    XSD,
    Triple,
    _offset,
    _text,
)


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _content_words(text: str) -> set[str]:
    return {w for w in normalise_name(text).split() if len(w) > 3}


class ExtractedMapping:
    """Provenance and extracted claims and events (a mixin of the article mapper)."""

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
        """Extracted claims and events the record does not already curate; the rest as notes,
        and claims below ``min_confidence`` and unattributed quotations withheld for review."""
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
            self.withhold(quote, "unattributed")
        self.out.withheld.sort(key=lambda w: (w.start, w.end, w.why, w.text))
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
        if reason is None and released_confidence(claim.confidence) < self.min_confidence:
            self.withhold(claim, "below-confidence")  # before its speaker is minted: no triples
            return
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
        appearance = self.minter.appearance(self.key, "claim", key)
        if appearance in self.out.origins:
            return
        origin = Origin("claim", self.loaded.source.display, ("text_file",), self.loaded.doc)
        self.out.origins[appearance] = origin
        self.out.claims += 1
        self.out.extracted_claims += 1
        stance = claim.stance.value
        node = self.statement(speaker, stance, claim.text, key)
        self.out.origins.setdefault(node, origin)
        self.add(node, RDF.type, NLD.Claim)
        self.add(node, RDF.type, SDO.Claim)
        self.add(node, NLD.speaker, speaker)
        self.sources(node, [])
        self.appear(
            "claim", node, appearance, f"{speaker}\x1f{stance}", claim.date.date, claim.text
        )
        self.add(appearance, NLD.claimText, Literal(claim.text))
        self.add(appearance, NLD.evidenceStart, _offset(claim.span.start))
        self.add(appearance, NLD.evidenceEnd, _offset(claim.span.end))
        self.add(appearance, NLD.claimKind, CLAIM_KINDS[claim.kind.value])
        self.add(appearance, NLD.stance, STANCES[stance])
        self.add_date(appearance, NLD.date, claim.date.date)
        self.add(appearance, NLD.dateSource, _text(claim.date.source))
        if claim.reported_by is not None:
            outlet = claim.reported_by
            span = outlet.span or claim.span
            if outlet.entity_id and outlet.entity_id in self.registry.entities:
                self.out.entity_ids.add(outlet.entity_id)
                self.add(appearance, NLD.reportedBy, self.minter.entity(outlet.entity_id))
            else:
                iri = self.extracted_entity(outlet.name, "NewsMediaOrganization", "outlet", span)
                self.add(appearance, NLD.reportedBy, iri)
        self.add(appearance, NLD.confidence, _decimal(claim.confidence))
        self.add(appearance, PROV.wasGeneratedBy, self.extraction_activity())

    def withhold(self, claim: Claim, why: str) -> None:
        """Leave the claim out of the release, listed for review (nothing is minted for it)."""
        speaker, date = claim.speaker, claim.date
        speaker_id = speaker.entity_id if speaker is not None else None
        self.out.withheld.append(
            Withheld(
                why=why,
                record=self.loaded.source.name,
                text_file=self.loaded.text.name,
                article=str(self.iri),
                start=claim.span.start,
                end=claim.span.end,
                text=claim.text,
                kind=claim.kind.value,
                speaker=speaker.name if speaker is not None else None,
                speaker_id=speaker_id if speaker_id in self.registry.entities else None,
                reported_by=claim.reported_by.name if claim.reported_by is not None else None,
                date=date.date.form if date is not None else None,
                date_source=date.source if date is not None else None,
                confidence=released_confidence(claim.confidence),
                rule=claim.rule,
            )
        )

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
        local = f"x-{event.span.start}-{event.trigger.start}-{event.type}"
        appearance = self.minter.appearance(self.key, "event", local)
        if appearance in self.out.origins:
            return
        origin = Origin("event", self.loaded.source.display, ("text_file",), self.loaded.doc)
        self.out.origins[appearance] = origin
        self.out.events += 1
        self.out.extracted_events += 1
        kind = EVENT_TYPES.get(event.type, NLD.OtherEvent)
        participants = list(dict.fromkeys(found))
        key = event_key(
            event.type if event.type in EVENT_TYPES else "other",
            [str(p) for p in participants],
            event.date.date.text,
            str(place),
        )
        node = self.minter.event(key)
        self.out.origins.setdefault(node, origin)
        self.add(node, RDF.type, NLD.NewsEvent)
        self.add(node, RDF.type, SDO.Event)
        self.add(node, RDF.type, kind)
        for iri in participants:
            self.add(node, NLD.participant, iri)
        self.add(node, NLD.place, place)
        for p in event.recipients:
            iri = self.extracted_participant(p.name, p.entity_id, p.kind, "recipient", event.span)
            self.add(node, NLD.recipient, iri)
        self.add_date(node, NLD.date, event.date.date)
        self.sources(node, [])
        description = " ".join(event.description.split()) if event.description else ""
        self.appear("event", node, appearance, str(kind), event.date.date, description)
        self.add(appearance, NLD.dateSource, _text(event.date.source))
        if description:
            self.add(appearance, SDO.description, Literal(description))
        self.add(appearance, NLD.evidenceStart, _offset(event.span.start))
        self.add(appearance, NLD.evidenceEnd, _offset(event.span.end))
        self.add(appearance, NLD.confidence, _decimal(event.confidence))
        self.add(appearance, PROV.wasGeneratedBy, self.extraction_activity())

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


def _confidence_text(value: float) -> str:
    """Two decimals in canonical form ("0.6", not "0.60"): triple stores round-trip it. The
    release policy compares this, the confidence as released, with ``min_confidence``."""
    text = f"{released_confidence(value):.2f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def _decimal(value: float) -> Literal:
    return Literal(_confidence_text(value), datatype=XSD.decimal)
