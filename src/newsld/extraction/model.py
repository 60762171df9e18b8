"""What extraction returns: plain frozen dataclasses, with offsets into the input text as given.

Every ``start``/``end`` pair is a half-open range of character (code point) offsets into the text
passed to :func:`newsld.extraction.extract`, so ``text[start:end]`` is exactly the words the value
describes, whatever the line endings or leading furniture of that text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import StrEnum

from newsld.corpus.dates import PartialDate
from newsld.corpus.records import normalise_name as _normalise_name


@functools.lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """:func:`newsld.corpus.records.normalise_name`, memoised (extraction asks about the same names
    again and again)."""
    return _normalise_name(name)


@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def overlap(self, other: Span) -> int:
        return max(0, min(self.end, other.end) - max(self.start, other.start))

    def __len__(self) -> int:
        return self.end - self.start


class FurnitureKind(StrEnum):
    SHARE = "share"  # "Print Friendly, PDF & Email", "Send to Kindle"
    HEADLINE = "headline"
    SUBHEADLINE = "subheadline"
    DATELINE = "dateline"  # " date 2018-06-10", "Thursday, May 7, 2015"
    BYLINE = "byline"  # "By: …", "X contributed to this report", staff footers
    CAPTION = "caption"  # photo captions and credits
    HEADING = "heading"  # section headings and other short lines that are not sentences
    LINK = "link"  # "Read …", "read more:"
    FOOTER = "footer"  # newsletter widgets, source lists, categories


@dataclass(frozen=True)
class Furniture:
    kind: FurnitureKind
    span: Span
    text: str


class SpeakerKind(StrEnum):
    PERSON = "Person"
    ORGANIZATION = "Organization"


@dataclass(frozen=True)
class Speaker:
    """Who said it: a registry entity, a name the registry does not know, or a description."""

    name: str  # display: registry name, the fullest name the article uses, or the description
    kind: SpeakerKind
    entity_id: str | None = None  # registry id, when the registry knows the speaker
    unnamed: bool = False  # a description ("an Israeli official"), not a name
    span: Span | None = None  # where the article names the speaker for this claim, if it does

    @property
    def key(self) -> str:
        """A stable comparison key: the registry id, else the normalised name or description."""
        if self.entity_id:
            return self.entity_id
        return ("unnamed:" if self.unnamed else "name:") + normalise_name(self.name)


@dataclass(frozen=True)
class Outlet:
    """An intermediary news outlet ("…, the Hezbollah-linked Al-Manar reported")."""

    name: str
    entity_id: str | None = None
    span: Span | None = None


@dataclass(frozen=True)
class ClaimDate:
    date: PartialDate
    source: str  # the expression it was resolved from, or "publication"
    span: Span | None = None  # where that expression is, if it is in the text


class ClaimKind(StrEnum):
    DIRECT = "direct"
    PARTIAL = "partial"
    INDIRECT = "indirect"


class Stance(StrEnum):
    """What the speaker does with the claim's words: asserts them, denies them, or asks whether
    they are so. A denial's words are what was denied ("denied that a deal was done": the claim
    is "a deal was done", stance ``denies``), never released as if the speaker asserted them."""

    ASSERTS = "asserts"
    DENIES = "denies"
    QUESTIONS = "questions"


@dataclass(frozen=True)
class Claim:
    text: str  # exactly ``input[span.start:span.end]``
    kind: ClaimKind
    span: Span
    speaker: Speaker | None  # None: the article does not say who said it (never released)
    date: ClaimDate | None  # None only when no publication date was known
    reported_by: Outlet | None = None
    confidence: float = 0.0
    rule: str = ""  # which attribution rule found the speaker (for curators and tests)
    stance: Stance = Stance.ASSERTS


@dataclass(frozen=True)
class Participant:
    name: str
    entity_id: str | None = None
    kind: str = "Thing"  # registry type, or Person / Organization / Place as guessed


@dataclass(frozen=True)
class Event:
    type: str  # meeting | letter | appeal | attack | strike | visit | agreement
    span: Span  # the sentence that reports it
    trigger: Span  # the words that name it ("met", "sent a letter")
    participants: tuple[Participant, ...]
    date: ClaimDate | None
    place: Participant | None = None
    recipients: tuple[Participant, ...] = ()
    description: str = ""  # the reporting sentence
    confidence: float = 0.0


@dataclass(frozen=True)
class Problem:
    """Something about the input a user should know: never an exception."""

    code: str  # extract/too-large, extract/unbalanced-quote, extract/no-publication-date, …
    message: str
    span: Span | None = None


@dataclass(frozen=True)
class Extraction:
    claims: tuple[Claim, ...] = ()  # attributed claims, in text order
    unattributed: tuple[Claim, ...] = ()  # quotations nobody in the article is said to have said
    events: tuple[Event, ...] = ()
    furniture: tuple[Furniture, ...] = ()
    authors: tuple[str, ...] = ()  # names from the byline and staff footers
    headline: str | None = None
    subheadline: str | None = None
    dateline: PartialDate | None = None  # a date printed at the top of the text
    published: PartialDate | None = None  # what relative dates were resolved against
    problems: tuple[Problem, ...] = field(default_factory=tuple)
