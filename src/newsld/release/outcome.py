"""What one record contributes to a build (:class:`Outcome`), what its output depends on
besides its own bytes (:class:`Dependencies`), and the packing that makes an outcome cheap to
send from a worker and to keep in the cache (minted nodes as one pickled blob).
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field

from rdflib import URIRef

from newsld.findings.report import Finding, FindingLog, Row, Severity
from newsld.rdf.mapped import AppearanceRow
from newsld.rdf.terms import Triple
from newsld.release.state import Signature, blob_digest
from newsld.render.serialize import RenderedGraph


@dataclass
class Dependencies:
    """What a record's output depends on besides its own bytes (checked on every cache hit)."""

    text: tuple[str, str]  # the text file's path and sha256
    references: dict[str, tuple[str | None, str]]  # reference → (entity id, fingerprint)
    linked: dict[str, str | None]  # linked article key → its publication date
    latest: str  # the latest day any of its dates can mean (future dates are never cached)
    lookups: dict[str, str] = field(default_factory=dict)  # extraction's registry look-ups
    registry: str = ""  # the registry file's sha256: when it is unchanged, so are the above


@dataclass
class Outcome:
    """What one record contributes to a build; picklable, to cross processes and the cache."""

    display: str
    findings: list[Finding]
    inputs: dict[str, str]
    key: str | None = None
    claims: int = 0
    events: int = 0
    extracted: tuple[int, int] = (0, 0)  # of claims and events, those extraction proposed
    rendered: RenderedGraph | None = None
    minted: dict[URIRef, set[Triple]] = field(default_factory=dict)
    dependencies: Dependencies | None = None
    timings: dict[str, float] = field(default_factory=dict)
    name: str | None = None  # the record's path relative to the corpus' parent
    signatures: tuple[Signature | None, Signature | None] = (None, None)  # record, text (stat)
    finding_rows: list[Row] | None = None  # the findings as the log keeps them, once packed
    minted_blob: bytes = b""  # ``minted``, once packed
    minted_digest: bytes = b""  # of the blob: records that mint the same nodes share it
    review: tuple[tuple[str, str], ...] = ()  # withheld claims: (why, line of review.jsonl)
    appearances: tuple[AppearanceRow, ...] = ()  # claims and events reported: identity pass

    @property
    def passed(self) -> bool:
        if self.finding_rows is not None:
            return not any(row[2] == Severity.ERROR.value for row in self.finding_rows)
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def pack(self) -> None:
        """Findings as log rows and minted nodes as one pickled blob: cheaper to send to the
        main process and to keep in the cache than objects, and done in the worker."""
        if self.finding_rows is None:
            self.finding_rows = FindingLog.rows(self.findings)
        self.findings = []
        if self.minted:
            self.minted_blob = _pack_minted(self.minted)
            self.minted_digest = blob_digest(self.minted_blob)
            self.minted = {}


def _pack_minted(minted: dict[URIRef, set[Triple]]) -> bytes:
    """The same nodes, the same bytes (sets iterate in an order that varies by process)."""
    nodes = sorted(minted.items(), key=lambda node: str(node[0]))
    packed = [(iri, sorted(triples, key=_triple_text)) for iri, triples in nodes]
    return pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL)


def _unpack_minted(blob: bytes) -> dict[URIRef, set[Triple]]:
    """A blob from a worker, a signed cache entry, or the previous state's ``extra.bin``
    (checked against the digest its signed entry gives: see :meth:`Run._reused`)."""
    return {iri: set(triples) for iri, triples in pickle.loads(blob)}


def _triple_text(triple: Triple) -> tuple[str, str, str, str]:
    return (str(triple[0]), str(triple[1]), type(triple[2]).__name__, str(triple[2]))
