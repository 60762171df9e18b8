"""Minting IRIs from stable keys under one configurable base IRI.

Identical input gives identical IRIs: every IRI is built from a record id, a registry id, a
normalised name or a content hash, never from a counter or a random number.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

from rdflib import URIRef

from newsld.corpus.records import check_url, slug


def digest(text: str, length: int = 12) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


@dataclass(frozen=True)
class Minter:
    base: str

    def __post_init__(self) -> None:
        check_url(self.base)
        if not self.base.endswith(("/", "#")):
            object.__setattr__(self, "base", self.base + "/")

    def _iri(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/".join(parts))

    def _shared(self, *parts: str) -> URIRef:
        """An IRI many records use (an entity, an activity): made once."""
        return _shared_iri(self.base + "/".join(parts))

    def article(self, key: str) -> URIRef:
        return self._iri("article", key)

    def claim(self, statement_key: str, article_key: str | None = None) -> URIRef:
        """A statement, keyed on what was said (:func:`newsld.rdf.identity.statement_key`);
        one without words to key on is keyed on its record (``article_key``) instead."""
        if article_key is not None:
            return self._iri("claim", article_key, statement_key)
        return self._iri("claim", statement_key)

    def event(self, event_key: str, article_key: str | None = None) -> URIRef:
        """A happening, keyed on its type, participants, date and place."""
        if article_key is not None:
            return self._iri("event", article_key, event_key)
        return self._iri("event", event_key)

    def appearance(self, article_key: str, what: str, local_key: str) -> URIRef:
        """One report of a claim or event (``what``) in one article, keyed as the record keys
        it (or by its place in the text, when extracted)."""
        return self._iri("appearance", article_key, what, local_key)

    def review(self, article_key: str, review_key: str) -> URIRef:
        """A fact-check review (schema:ClaimReview) a record carries."""
        return self._iri("review", article_key, review_key)

    def rating(self, article_key: str, review_key: str) -> URIRef:
        """A review's rating (schema:Rating)."""
        return self._iri("review", article_key, review_key, "rating")

    def entity(self, key: str) -> URIRef:
        return self._shared("entity", key)

    def unnamed_source(self, article_key: str, description: str) -> URIRef:
        return self._iri("source", article_key, slug(description))

    def activity(self, name: str, version: str | None = None) -> URIRef:
        """A provenance activity: ``extraction`` (per toolkit version) or ``curation``."""
        return self._shared("activity", name, *([version] if version else []))

    def software(self, version: str) -> URIRef:
        """newsld itself, as the PROV software agent of a version."""
        return self._shared("agent", "newsld", version)

    def article_graph(self, key: str) -> URIRef:
        return self._iri("graph", "article", key)

    def entities_graph(self) -> URIRef:
        return self._iri("graph", "entities")

    def identity_graph(self, bucket: int) -> URIRef:
        """What needs every record — first appearances, claim texts, variants, counts — for
        the claims and events of one bucket of the identity pass (a graph each, so a changed
        record changes only its buckets' graphs in a store)."""
        return self._iri("graph", "identity", f"{bucket:03d}")

    def description_graph(self) -> URIRef:
        """Where loaders put the dataset description (``void.ttl``)."""
        return self._iri("graph", "description")

    def load_manifest_shard(self, shard: int) -> URIRef:
        """One of the parts the load manifest's entries are grouped in (see ``newsld load``)."""
        return self._iri("graph", "load-manifest", "shard", f"{shard:02x}")

    def load_manifest_graph(self) -> URIRef:
        """Where ``newsld load`` records which graphs it put into a store."""
        return self._iri("graph", "load-manifest")

    def dataset(self) -> URIRef:
        return self._iri("dataset")

    def dataset_part(self, name: str) -> URIRef:
        return self._iri("dataset", name)

    def download(self, filename: str) -> URIRef:
        return self._iri("dumps", filename)


@functools.lru_cache(maxsize=65536)
def _shared_iri(iri: str) -> URIRef:
    return URIRef(iri)
