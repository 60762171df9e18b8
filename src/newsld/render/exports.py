"""Flat exports for data desks and the ClaimReview feed, rendered per record from its graph.

Every row is read from the triples a record contributes to the release (its article graph) and
the context it is validated with (the registry entities and minted nodes it names, the dates of
the articles it links to), never from the record's YAML, so the exports say what the release
says, and keep saying it when claim nodes change shape (a claim node shared by several articles,
with ``schema:appearance`` nodes of its own: the per-report values are then read from the
appearance that points at this record's article, else from the claim).

- ``claims.csv``: one row per claim as reported in one article (:data:`CLAIM_COLUMNS`);
- ``events.csv``: one row per event as reported in one article (:data:`EVENT_COLUMNS`);
- ``claimreview.jsonld``: one schema.org ``ClaimReview`` per review, in the fields fact-check
  aggregators read (:func:`feed_items`);
- ``entities.csv``: one row per entity of the entities graph (:func:`entity_csv`);
- ``claims.parquet``: ``claims.csv`` again, typed, written with pyarrow (:mod:`.parquet`).

A record's rows are sorted by their IRI columns; records come in corpus order, so the files are
the same bytes however the build ran (``--jobs``, the cache, an incremental build that copies
unchanged records' rows from the previous release).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from newsld.rdf.namespaces import WIKIDATA
from newsld.rdf.terms import (
    CLAIM_KINDS,
    ENTITY_TYPES,
    EVENT_TYPES,
    NLD,
    PRECISIONS,
    PROV,
    RDF,
    SDO,
    STANCES,
    Triple,
)

CLAIMS_CSV = "claims.csv"
CLAIMS_PARQUET = "claims.parquet"
EVENTS_CSV = "events.csv"
ENTITIES_CSV = "entities.csv"
CLAIMREVIEW_FEED = "claimreview.jsonld"

CLAIM_COLUMNS = (
    "claim_iri",
    "text",
    "kind",
    "stance",
    "speaker_name",
    "speaker_iri",
    "speaker_wikidata",
    "date",
    "date_precision",
    "article_iri",
    "article_headline",
    "article_url",
    "article_date",
    "outlet_name",
    "outlet_iri",
    "reported_by_name",
    "reported_by_iri",
    "origin",
    "confidence",
    "evidence_start",
    "evidence_end",
)
EVENT_COLUMNS = (
    "event_iri",
    "type",
    "description",
    "date",
    "date_precision",
    "place_name",
    "place_iri",
    "participant_names",
    "participant_iris",
    "recipient_names",
    "recipient_iris",
    "article_iri",
    "article_headline",
    "article_url",
    "article_date",
    "outlet_name",
    "outlet_iri",
    "origin",
    "confidence",
)
ENTITY_COLUMNS = ("iri", "name", "type", "wikidata", "aliases", "description", "url")
NAMES_SEPARATOR = "; "  # between names in one cell (a plain name has no semicolon)
IRIS_SEPARATOR = " "  # between IRIs in one cell (an IRI has no space)

_KIND = {str(v): k for k, v in CLAIM_KINDS.items()}
_STANCE = {str(v): k for k, v in STANCES.items()}
_EVENT_TYPE = {str(v): k for k, v in EVENT_TYPES.items()}
_PRECISION = {str(v): k.value for k, v in PRECISIONS.items()}
_ENTITY_TYPE = {frozenset(map(str, v)): k for k, v in ENTITY_TYPES.items()}
_ENTITY_CLASSES = {str(t) for types in ENTITY_TYPES.values() for t in types}
_SCHEMA = str(SDO)


_plain = str.__str__  # an IRI or a literal's text as a plain str (cheap to hash and compare)
_TYPE = _plain(RDF.type)
_WIKIDATA = _plain(WIKIDATA)
_EXTRACTION, _CURATION = _plain(NLD.Extraction), _plain(NLD.Curation)


class Graph:
    """A record's triples by subject and predicate (plain strings), to read rows from."""

    def __init__(self, triples: Iterable[Triple]) -> None:
        index: dict[str, dict[str, list[Node]]] = {}
        typed: dict[str, list[str]] = {}
        for s, p, o in triples:
            subject, predicate = _plain(s), _plain(p)
            index.setdefault(subject, {}).setdefault(predicate, []).append(o)
            if predicate == _TYPE:
                typed.setdefault(_plain(o), []).append(subject)
        self.index = index
        self._typed = typed
        self._sorted: dict[tuple[str, str], list[Node]] = {}

    def objects(self, subject: Node | str, predicate: str) -> list[Node]:
        """Distinct objects, sorted by their text."""
        key = (_plain(subject), _plain(predicate))
        found = self._sorted.get(key)
        if found is None:
            given = self.index.get(key[0], {}).get(key[1], ())
            found = self._sorted[key] = sorted(dict.fromkeys(given), key=_plain)
        return found

    def value(self, subject: Node | str | None, predicate: str) -> Node | None:
        if subject is None:
            return None
        found = self.objects(subject, predicate)
        return found[0] if found else None

    def text(self, subject: Node | str | None, predicate: str) -> str:
        found = self.value(subject, predicate)
        return "" if found is None else _plain(found)

    def types(self, subject: Node | str) -> set[str]:
        return {_plain(t) for t in self.index.get(_plain(subject), {}).get(_TYPE, ())}

    def of_type(self, cls: str) -> list[str]:
        return sorted(set(self._typed.get(_plain(cls), ())))

    def name(self, node: Node | None) -> str:
        """An entity's name (an unnamed source's description)."""
        if node is None:
            return ""
        return self.text(node, SDO.name) or self.text(node, SDO.description)

    def wikidata(self, node: Node | None) -> str:
        """An entity's Wikidata id (Q42), from its ``schema:sameAs``."""
        if node is None:
            return ""
        for same in self.objects(node, SDO.sameAs):
            if _plain(same).startswith(_WIKIDATA):
                return _plain(same)[len(_WIKIDATA) :]
        return ""

    def report(self, node: str, article: URIRef) -> str:
        """Where a claim's per-report values are for ``article``: the claim's appearance that
        points at the article, when the release gives the claim appearances, else the claim."""
        for appearance in self.objects(node, SDO.appearance):
            props = self.index.get(_plain(appearance), {})
            if any(article in objects for objects in props.values()):
                return _plain(appearance)
        return node

    def origin(self, node: str) -> str:
        """``curated`` or ``extracted``, by the activity that generated the node."""
        for activity in self.objects(node, PROV.wasGeneratedBy):
            kinds = self.types(activity)
            if _EXTRACTION in kinds:
                return "extracted"
            if _CURATION in kinds:
                return "curated"
        return "extracted" if self.value(node, NLD.confidence) is not None else "curated"


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _cell(value: str) -> str:
    """A CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line break of any
    kind (Python's csv module leaves a lone carriage return unquoted when rows end with
    ``\n``, and readers then split the row there)."""
    if _NEEDS_QUOTES.search(value):
        return '"' + value.replace('"', '""') + '"'
    return value


def _csv_bytes(rows: Sequence[Sequence[str]]) -> bytes:
    """Rows as CSV lines, each ending with ``\n``, in UTF-8."""
    return "".join(",".join(map(_cell, row)) + "\n" for row in rows).encode("utf-8")


def csv_header(columns: Sequence[str]) -> bytes:
    return _csv_bytes([columns])


def _article_columns(graph: Graph, article: URIRef) -> list[str]:
    publisher = graph.value(article, SDO.publisher)
    return [
        str(article),
        graph.text(article, SDO.headline),
        graph.text(article, SDO.url),
        graph.text(article, SDO.datePublished),
        graph.name(publisher),
        "" if publisher is None else str(publisher),
    ]


def _first(graph: Graph, nodes: Sequence[str], predicate: URIRef) -> Node | None:
    for node in nodes:
        found = graph.value(node, predicate)
        if found is not None:
            return found
    return None


def claim_rows(graph: Graph, article: URIRef) -> list[list[str]]:
    """The article's claims, one row each (:data:`CLAIM_COLUMNS`), sorted by claim IRI."""
    rows = []
    in_article = _article_columns(graph, article)
    for claim in graph.of_type(NLD.Claim):
        report = graph.report(claim, article)
        where = [report, claim]  # a per-report value, else the claim's

        def text(predicate: URIRef, where: list[str] = where) -> str:
            found = _first(graph, where, predicate)
            return "" if found is None else str(found)

        speaker = graph.value(claim, NLD.speaker)
        outlet = _first(graph, where, NLD.reportedBy)
        date_node = claim if graph.value(report, NLD.date) is None else report
        rows.append(
            [
                claim,
                text(NLD.claimText),
                _KIND.get(text(NLD.claimKind), ""),
                _STANCE.get(text(NLD.stance), ""),
                graph.name(speaker),
                "" if speaker is None else str(speaker),
                graph.wikidata(speaker),
                graph.text(date_node, NLD.date),
                _PRECISION.get(graph.text(date_node, NLD.datePrecision), ""),
                *in_article,
                graph.name(outlet),
                "" if outlet is None else str(outlet),
                graph.origin(report),
                text(NLD.confidence),
                text(NLD.evidenceStart),
                text(NLD.evidenceEnd),
            ]
        )
    return sorted(rows)


def event_rows(graph: Graph, article: URIRef) -> list[list[str]]:
    """The article's events, one row each (:data:`EVENT_COLUMNS`), sorted by event IRI."""
    rows = []
    in_article = _article_columns(graph, article)
    for event in graph.of_type(NLD.NewsEvent):
        types = sorted(_EVENT_TYPE[t] for t in graph.types(event) if t in _EVENT_TYPE)
        place = graph.value(event, NLD.place)
        participants = graph.objects(event, NLD.participant)
        recipients = graph.objects(event, NLD.recipient)
        report = graph.report(event, article)  # the article's description of it, who made it
        rows.append(
            [
                event,
                " ".join(types),
                graph.text(report, SDO.description) or graph.text(event, SDO.description),
                graph.text(event, NLD.date),
                _PRECISION.get(graph.text(event, NLD.datePrecision), ""),
                graph.name(place),
                "" if place is None else str(place),
                NAMES_SEPARATOR.join(graph.name(p) for p in participants),
                IRIS_SEPARATOR.join(map(str, participants)),
                NAMES_SEPARATOR.join(graph.name(p) for p in recipients),
                IRIS_SEPARATOR.join(map(str, recipients)),
                *in_article,
                graph.origin(report),
                graph.text(report, NLD.confidence) or graph.text(event, NLD.confidence),
            ]
        )
    return sorted(rows)


# ------------------------------------------------------------------------------ ClaimReview feed
FEED_CONTEXT = "https://schema.org/"


def _local(iri: str) -> str | None:
    return iri[len(_SCHEMA) :] if iri.startswith(_SCHEMA) else None


def _schema_types(graph: Graph, node: Node | str) -> list[str] | str:
    types = sorted(t for t in map(_local, graph.types(node)) if t)
    return types[0] if len(types) == 1 else types


def _value(node: Node) -> Any:
    """A literal as JSON: numbers as numbers, anything else (dates too) as its text."""
    if (
        isinstance(node, Literal)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
    ):
        return node.value
    return str(node)


def _copy(graph: Graph, node: Node, item: dict[str, Any], fields: dict[str, Node]) -> None:
    """``item[key]`` = the text of the node's value of each predicate it has one for."""
    for key, predicate in fields.items():
        found = graph.value(node, predicate)
        if found is not None:
            item[key] = str(found)


def _agent(graph: Graph, node: Node) -> dict[str, Any]:
    item: dict[str, Any] = {"@id": str(node), "@type": _schema_types(graph, node)}
    _copy(graph, node, item, {"name": SDO.name, "url": SDO.url})
    same = graph.objects(node, SDO.sameAs)
    if same:
        item["sameAs"] = str(same[0]) if len(same) == 1 else [str(s) for s in same]
    return item


def _work(graph: Graph, node: Node) -> dict[str, Any]:
    """An appearance: the article (or appearance node) with what the graph says of it."""
    item: dict[str, Any] = {"@id": str(node)}
    types = _schema_types(graph, node)
    if types:
        item["@type"] = types
    _copy(
        graph,
        node,
        item,
        {"headline": SDO.headline, "url": SDO.url, "datePublished": SDO.datePublished},
    )
    return item


def feed_items(graph: Graph, article: URIRef) -> list[dict[str, Any]]:
    """One schema.org ClaimReview object per review in the graph, sorted by its IRI.

    Each triple the object states is in the release graph, or follows from it by the
    vocabulary: the reviewed claim's ``author`` is its ``nld:speaker`` and its ``appearance``
    its ``nld:source`` articles (both declared sub-properties of those), its
    ``datePublished`` (the aggregators' claimDate) the ``nld:date`` of its appearance in
    ``article``; its ``firstAppearance`` is added by :func:`feed_document`.
    Dates are written as their text, numbers as JSON numbers.
    """
    items = []
    for review in graph.of_type(SDO.ClaimReview):
        item: dict[str, Any] = {"@id": review, "@type": "ClaimReview"}
        _copy(
            graph,
            review,
            item,
            {
                "url": SDO.url,
                "datePublished": SDO.datePublished,
                "claimReviewed": SDO.claimReviewed,
            },
        )
        author = graph.value(review, SDO.author)
        if author is not None:
            item["author"] = _agent(graph, author)
        rating = graph.value(review, SDO.reviewRating)
        if rating is not None:
            rated: dict[str, Any] = {"@id": str(rating), "@type": "Rating"}
            for key in ("ratingValue", "bestRating", "worstRating", "alternateName"):
                found = graph.value(rating, getattr(SDO, key))
                if found is not None:
                    rated[key] = _value(found)
            item["reviewRating"] = rated
        claim = graph.value(review, SDO.itemReviewed)
        if claim is not None:
            item["itemReviewed"] = _claim(graph, str(claim), article)
        items.append(item)
    return items


def _claim(graph: Graph, claim: str, article: URIRef) -> dict[str, Any]:
    item: dict[str, Any] = {"@id": claim, "@type": "Claim"}
    speaker = graph.value(claim, NLD.speaker)
    if speaker is not None:
        item["author"] = _agent(graph, speaker)
    date = graph.value(graph.report(claim, article), NLD.date) or graph.value(claim, NLD.date)
    if date is not None:
        item["datePublished"] = str(date)
    articles = graph.objects(claim, NLD.source)
    if articles:
        item["appearance"] = [_work(graph, a) for a in articles]
    first = graph.value(claim, SDO.firstAppearance)
    if first is not None:
        item["firstAppearance"] = {"@id": str(first)}
    return item


_FEED_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def feed_part(items: Sequence[dict[str, Any]]) -> bytes:
    """A record's feed items as they go into the feed: each on a new line, comma-separated,
    no comma before the first (the feed's writer puts one between records)."""
    if not items:
        return b""
    return ("\n  " + ",\n  ".join(map(_FEED_JSON.encode, items))).encode("utf-8")


def feed_head() -> bytes:
    head = {"@context": FEED_CONTEXT, "@type": "DataFeed"}
    text = json.dumps(head, ensure_ascii=False, sort_keys=True, indent=1)
    return (text[:-2] + ',\n "dataFeedElement": [').encode("utf-8")


FEED_TAIL = b"\n ]\n}\n"


def feed_items_of(part: bytes) -> list[dict[str, Any]]:
    """A record's feed items back from its part (:func:`feed_part`)."""
    return json.loads(b"[" + part + b"]") if part else []


def feed_document(records: Iterable[list[dict[str, Any]]], first: dict[str, str]) -> bytes:
    """The ClaimReview feed: each record's items (in corpus order), a reviewed claim's
    ``firstAppearance`` being its first appearance in the release (``first``: claim IRI →
    appearance IRI, from the identity pass), which no record alone can know."""
    parts = []
    for items in records:
        for item in items:
            claim = item.get("itemReviewed")
            if isinstance(claim, dict) and claim.get("@id") in first:
                claim["firstAppearance"] = {"@id": first[claim["@id"]]}
        if items:
            parts.append(feed_part(items))
    return feed_head() + b",".join(parts) + FEED_TAIL


def render_exports(triples: Iterable[Triple], article: URIRef) -> tuple[bytes, bytes, bytes]:
    """A record's rows of ``claims.csv`` and ``events.csv`` and its part of the ClaimReview
    feed, from its graph and the context it was validated with."""
    graph = Graph(triples)
    return (
        _csv_bytes(claim_rows(graph, article)),
        _csv_bytes(event_rows(graph, article)),
        feed_part(feed_items(graph, article)),
    )


# ------------------------------------------------------------------------------ entities
def entity_csv(triples: Iterable[Triple]) -> bytes:
    """``entities.csv``: the entities of the entities graph (people, organisations, places;
    not the provenance nodes), one row each, sorted by IRI, with its header."""
    graph = Graph(triples)
    rows = []
    for subject in sorted(graph.index):
        types = graph.types(subject) & _ENTITY_CLASSES
        if not types:
            continue
        kind = _ENTITY_TYPE.get(frozenset(types)) or " ".join(
            sorted(t for t in map(_local, types) if t)
        )
        aliases = sorted(str(a) for a in graph.objects(subject, SDO.alternateName))
        rows.append(
            [
                subject,
                graph.text(subject, SDO.name),
                kind,
                graph.wikidata(subject),
                NAMES_SEPARATOR.join(aliases),
                graph.text(subject, SDO.description),
                graph.text(subject, SDO.url),
            ]
        )
    return csv_header(ENTITY_COLUMNS) + _csv_bytes(rows)
