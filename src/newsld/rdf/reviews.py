"""Fact-check reviews of a record's claims as schema:ClaimReview.

:class:`ReviewMapping` is the part of the article mapper (:mod:`newsld.rdf.mapping`) that maps
a record's ``reviews:``. Each review names one of the record's claims by its ``key``; the review
points at that claim's statement node, whatever IRI the mapper minted for it (``claim_nodes``,
by the claim's key). A key no
claim of the record has is an error finding on the review's ``claim`` field, and the review is
then mapped without ``schema:itemReviewed`` (the gate's shape would miss it too; the one root
cause is reported once).
"""

from __future__ import annotations

from typing import Any

from rdflib import Literal, URIRef

from newsld.corpus.records import ClaimRecord, ReviewRecord
from newsld.findings.report import finding
from newsld.rdf.iris import digest
from newsld.rdf.mapped import Origin
from newsld.rdf.terms import NLD, PROV, RDF, SDO, _integer, _text


class ReviewMapping:
    """schema:ClaimReview nodes for a record's reviews (a mixin of the article mapper)."""

    # provided by the article mapper
    record: Any
    minter: Any
    key: str
    iri: URIRef
    out: Any
    loaded: Any
    claim_nodes: dict[str, URIRef]
    listed_again: Any

    def map_reviews(self) -> None:
        claims = {claim.key: claim for claim in self.record.claims if claim.key}
        for index, review in enumerate(self.record.reviews):
            self.map_review(review, ("reviews", index), claims)

    def map_review(
        self, review: ReviewRecord, path: tuple[str, int], claims: dict[str, ClaimRecord]
    ) -> None:
        content = "\x1f".join(
            [review.claim or "", review.reviewer or "", review.url or "", str(review.date or "")]
        )
        key = review.key or digest(content)
        node = self.minter.review(self.key, key)
        if self.listed_again(node, "review", path):
            return
        file, doc = self.loaded.source.display, self.loaded.doc
        self.out.origins[node] = Origin("review", file, path, doc)
        self.add(node, RDF.type, SDO.ClaimReview)
        if review.claim is not None:
            claim = claims.get(review.claim)
            claim_node = self.claim_nodes.get(claim.key or "") if claim is not None else None
            if claim_node is None:
                self.out.findings.append(
                    finding(
                        "review/unknown-claim",
                        field=f"reviews[{path[1]}].claim",
                        value=review.claim,
                        known=", ".join(sorted(claims)) or "none",
                        **self.where((*path, "claim")),
                    )
                )
            else:
                self.add(node, SDO.itemReviewed, claim_node)
                if claim is not None and claim.text:
                    self.add(node, SDO.claimReviewed, Literal(claim.text))
        if review.reviewer is not None:
            reviewer = self.entity(review.reviewer, "reviewer", (*path, "reviewer"))
            self.add(node, SDO.author, reviewer)
        if review.rating is not None:
            rating = self.minter.rating(self.key, key)
            self.out.origins[rating] = Origin("rating", file, (*path, "rating"), doc)
            self.add(node, SDO.reviewRating, rating)
            self.add(rating, RDF.type, SDO.Rating)
            given = review.rating
            for predicate, value in (
                (SDO.ratingValue, given.value),
                (SDO.bestRating, given.best),
                (SDO.worstRating, given.worst),
            ):
                if value is not None:
                    self.add(rating, predicate, _integer(value))
            if given.alternate_name is not None:
                self.add(rating, SDO.alternateName, _text(given.alternate_name))
        if review.date is not None:
            self.add_date(node, SDO.datePublished, review.date)
        if review.url is not None:
            self.add(node, SDO.url, URIRef(review.url))
        self.add(node, NLD.source, self.iri)
        self.add(node, PROV.wasGeneratedBy, self.curation())
