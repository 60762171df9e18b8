"""What the regression tests of attribution ask of an extraction: who said each claim."""

from __future__ import annotations

from newsld.corpus.dates import PartialDate
from newsld.extraction import extract


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
