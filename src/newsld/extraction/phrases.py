"""Subject phrases: the segments, head and description of the phrase that names a speaker.

A phrase such as "Danny Danon, Israel's ambassador to the UN," is cut into comma-separated
segments (parentheses and ", who …," clauses left out); a segment has a head (the name) and a
description; :func:`subject_phrase` is the subject of a clause.
"""

from __future__ import annotations

import re

from .lexicon import MONTHS, WEEKDAYS
from .model import Span
from .sequences import _DETERMINERS, _WORDS


def _segments(text: str, span: Span) -> list[Span]:
    """Comma-separated parts of a phrase, parentheses and ", who …," clauses left out."""
    parts: list[Span] = []
    depth = 0
    start = span.start
    for i in range(span.start, span.end):
        char = text[i]
        if char in "([":
            if depth == 0 and i > start:
                parts.append(Span(start, i))
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
            if depth == 0:
                start = i + 1
        elif depth == 0 and char in ",;:—–":
            if i > start:
                parts.append(Span(start, i))
            start = i + 1
    if span.end > start:
        parts.append(Span(start, span.end))
    result = []
    for part in parts:
        trimmed = _strip(text, part)
        if len(trimmed) and not _RELATIVE.match(text[trimmed.start : trimmed.end]):
            result.append(trimmed)
    return result


def _strip(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ".’'"):
        end -= 1
    # leading conjunctions: "and said", "but told"
    match = _CONJUNCTION.match(text[start:end])
    if match and end - start > match.end():
        start += match.end()
    return Span(start, end)


def _is_intro(text: str, segment: Span) -> bool:
    words = text[segment.start : segment.end].split()
    if not words:
        return True
    first = words[0].lower()
    if first in {
        "according",
        "in",
        "on",
        "at",
        "after",
        "before",
        "during",
        "following",
        "speaking",
        "asked",
        "citing",
        "discussing",
        "despite",
        "although",
        "since",
        "just",
        "last",
        "earlier",
        "later",
        "meanwhile",
        "however",
        "yesterday",
        "today",
        "writing",
        "for",
        "of",
        "when",
        "while",
        "if",
        "from",
        "to",
        "under",
        "over",
        "amid",
        "by",
        "via",
    }:
        return True
    return bool(words[0] in MONTHS or words[0] in WEEKDAYS)


_RELATIVE = re.compile(r"(?:who|which|whose|whom)\b")
_CONJUNCTION = re.compile(r"(?:and|but|yet|while|as|with|then|where)\s+", re.IGNORECASE)
_POST_MODIFIER = re.compile(
    r"\s(?:of|by|from|to|at|in|on|with|for|who|which|that|seen|released|issued|published|"
    r"posted|made|sent|quoted|cited|(?:familiar|close)\s+(?:with|to)|"
    r"(?:speaking|talking|writing)\s+(?:to|with|for|on|in))\b"
)
_POSSESSIVE_END = re.compile(r"[’']s$")


# words between a subject and its verb that belong to neither: "He then joked", "Rubio also said"
AFTER_SUBJECT = frozenset(
    {"also", "later", "recently", "previously", "then", "reportedly", "has", "have", "had"}
)


def without_adverbs(phrase: str) -> str:
    """A subject phrase without the adverbs after it ("He then" → "He", "she angrily" → "she";
    a capitalised word is no adverb: "Megyn Kelly" stays)."""
    words = phrase.split()
    while len(words) > 1 and words[-1].islower():
        if words[-1] not in AFTER_SUBJECT and not words[-1].endswith("ly"):
            break
        words.pop()
    return " ".join(words)


def _head(text: str, segment: Span) -> tuple[str, Span | None]:
    """The head noun of a noun phrase: the last word before its post-modifiers."""
    phrase = text[segment.start : segment.end]
    cut = _POST_MODIFIER.search(phrase)
    end = segment.start + (cut.start() if cut else len(phrase))
    words = list(_WORDS.finditer(text[segment.start : end]))
    while words and words[-1].group().lower() in AFTER_SUBJECT:
        words.pop()
    if not words:
        return "", None
    last = words[-1]
    head = _POSSESSIVE_END.sub("", last.group().lower())
    return head, Span(segment.start + last.start(), segment.start + last.end())


def _description(text: str, segment: Span) -> str:
    phrase = " ".join(text[segment.start : segment.end].split())
    while True:
        shorter = re.sub(
            r"\s+(?:also|later|recently|reportedly|previously|then|has|have|had|was|were|is|are|"
            r"will|would|repeatedly|had\s+earlier|who|which|that)$",
            "",
            phrase,
        )
        if shorter == phrase:
            break
        phrase = shorter
    if (
        phrase.split()[0].lower() not in _DETERMINERS
        and phrase[:1].isupper()
        and not phrase.split()[0][0].isupper()
    ):
        return phrase
    return (
        phrase[:1].lower() + phrase[1:]
        if phrase.split()[0] in {"The", "A", "An", "One", "Some", "Another", "Several", "Many"}
        else phrase
    )


_AUXILIARY = re.compile(
    r"\s(?:has|have|had|was|were|is|are|will|would|did|does|do|can|could|may|might|must|should|"
    r"declined|appeared|seemed|refused|went|made|came|began|tried|[a-z]+ed|"
    # irregular past tenses
    r"threw|took|gave|got|told|wrote|spoke|met|held|ran|won|led|left|sent|kept|brought|became|"
    r"found|saw|stood|fought|hit|put|struck|drew|knew|thought|felt|paid|sought|caught|bought|"
    r"built|lost|heard|broke|chose|rose|shook|swore|taught|wore)\b"
)


def subject_phrase(text: str, span: Span) -> Span:
    """The noun phrase a clause starts with: up to its first verb-like word.

    "an Israeli official declined to …" → "an Israeli official"; heuristic (no tagger), so it
    stops at the first lowercase word ending in -ed or an auxiliary.
    """
    phrase = text[span.start : span.end]
    found = _AUXILIARY.search(phrase)
    while found is not None and phrase[: found.start()].rstrip().endswith(("-", "’s", "'s")):
        found = _AUXILIARY.search(phrase, found.end())
    if found is None:
        return span
    return Span(span.start, span.start + found.start())
