"""What the gate needs for one record besides its graph: the context it is validated with
(referenced entities, linked articles' dates), the check for dates in the future, and
turning warnings about values a record says its article does not give into notes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from newsld.corpus.reader import Corpus, LoadedArticle
from newsld.corpus.records import field_label, record_dates
from newsld.findings.report import Finding, Severity, finding
from newsld.gate.shacl import ShapeResult
from newsld.rdf.iris import Minter
from newsld.rdf.mapped import MappedArticle
from newsld.rdf.mapping import entity_triples
from newsld.rdf.namespaces import RDF, SDO
from newsld.rdf.terms import Triple, date_literal
from newsld.release.index import CorpusIndex


def _context_triples(
    mapped: MappedArticle, corpus: Corpus, minter: Minter, index: CorpusIndex
) -> Iterator[Triple]:
    """What the gate needs besides the article graph: referenced entities and linked articles."""
    for entity_id in sorted(mapped.entity_ids):
        yield from entity_triples(minter.entity(entity_id), corpus.registry.entities[entity_id])
    for triples in mapped.minted.values():
        yield from triples
    for key in sorted(mapped.linked_articles):
        position = index.position(key)
        if position is not None:
            other = minter.article(key)
            yield (other, RDF.type, SDO.NewsArticle)
            date = index.date_at(position)
            if date is not None:
                yield (other, SDO.datePublished, date_literal(date))


def _future_dates(loaded: LoadedArticle, today: dt.date) -> list[Finding]:
    """Dates after today cannot be right; dates after publication are the gate's job."""
    findings = []
    for path, date in record_dates(loaded.record):
        if date.first_day > today:
            position = loaded.doc.position(path)
            findings.append(
                finding(
                    "date/in-future",
                    file=loaded.source.display,
                    line=position.line if position else None,
                    column=position.column if position else None,
                    field=field_label(path),
                    value=date.text,
                    today=today.isoformat(),
                )
            )
    return findings


@dataclass
class Gated:
    """One record through the gate: its graph, the context it was validated with, the results."""

    mapped: MappedArticle | None
    context: list[Triple]
    results: list[ShapeResult]
    findings: list[Finding]
    loaded: LoadedArticle | None = None
    looked_up: set[str] = field(default_factory=set)  # registry keys extraction looked up


def _acknowledged(item: Finding, gaps: Mapping[str, str]) -> Finding:
    """A warning about a value the record says its article does not give becomes a note
    carrying the curator's reason; any other finding stays as it is."""
    if item.severity is not Severity.WARNING or item.field not in gaps:
        return item
    where = {"file": item.file, "line": item.line, "column": item.column, "field": item.field}
    return finding(
        "event/recommended-not-available", reason=gaps[item.field], gap=item.code, **where
    )
