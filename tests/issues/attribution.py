"""What the regression tests of attribution ask of an extraction: who said each claim, and which
words are names."""

from __future__ import annotations

from newsld.corpus.dates import PartialDate
from newsld.corpus.reader import Registry
from newsld.extraction import extract
from newsld.extraction.model import Span
from newsld.extraction.names import Names
from newsld.extraction.sequences import sequences


def speakers(text: str, published: str = "2024-05-10") -> dict[str, str | None]:
    """Each extracted claim of ``text`` (its words) and the name of its speaker."""
    extraction = extract(text, PartialDate.parse(published))
    return {c.text: c.speaker.name if c.speaker else None for c in extraction.claims}


def speakers_and_outlets(text: str) -> dict[str, tuple[str | None, str | None]]:
    """Each extracted claim of ``text`` and the names of its speaker and relaying outlet."""
    extraction = extract(text, PartialDate.parse("2024-05-10"))
    return {
        c.text: (
            c.speaker.name if c.speaker else None,
            c.reported_by.name if c.reported_by else None,
        )
        for c in extraction.claims
    }


def names(text: str) -> list[str]:
    """The capitalised sequences of ``text`` that may be names, as written."""
    return [text[s.span.start : s.span.end] for s in sequences(text, Span(0, len(text)))]


def resolved(phrase: str) -> str | None:
    """Whom a phrase before or after a reporting verb names, alone in its article."""
    found = Names(phrase, Registry()).resolve(Span(0, len(phrase)))
    return found.speaker.name if found.speaker is not None else None
