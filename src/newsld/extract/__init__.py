"""Extract claims, speakers, dates and events from raw article text.

The one entry point is :func:`extract`, a pure function of the text, its publication date and
the entity registry; it returns an :class:`Extraction` of frozen dataclasses whose offsets are
offsets into the text as given. It never reads files, never prints and never raises on bad text.
"""

from __future__ import annotations

from .extractor import extract
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
    "extract",
]
