"""Extract claims, speakers, dates and events from raw article text.

The one entry point is :func:`extract`, a pure function of the text, its publication date and
the entity registry; it returns an :class:`Extraction` of frozen dataclasses whose offsets are
offsets into the text as given. It never reads files, never prints and never raises on bad text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import (
    Claim,
    ClaimDate,
    ClaimKind,
    Event,
    Extraction,
    Furniture,
    FurnitureKind,
    Outlet,
    Participant,
    Problem,
    Span,
    Speaker,
    SpeakerKind,
    Stance,
)

__all__ = [
    "Claim",
    "ClaimDate",
    "ClaimKind",
    "Event",
    "Extraction",
    "Furniture",
    "FurnitureKind",
    "Outlet",
    "Participant",
    "Problem",
    "Span",
    "Speaker",
    "SpeakerKind",
    "Stance",
    "extract",
]

if TYPE_CHECKING:
    from .extractor import extract


def __getattr__(name: str) -> Any:
    """``extract`` is imported when first asked for: its patterns take 0.3 s to compile, and a
    build that reuses every record (or only reads the model) needs none of them."""
    if name == "extract":
        from .extractor import extract

        return extract
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
