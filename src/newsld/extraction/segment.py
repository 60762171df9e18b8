"""Paragraphs and sentences as spans of the input text, which is never rewritten.

Working on spans instead of a cleaned copy keeps every offset valid for the input as given
(CRLF line endings, no-break spaces and leading furniture included). Sentences are never split
inside a quotation, and sentences glued together without a space (``…relationship.“We will``,
``…(IDF Spokesperson's Unit)Officials``) are separated.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .lexicon import SPEECH_VERBS, alternation
from .model import Span

_LINE = re.compile(r"[^\r\n]+")
_SPACE = " \t\u00a0\u2009\u202f\u200b\ufeff"

# Abbreviations after which a full stop does not end a sentence (compared case-sensitively,
# without the final dot).
ABBREVIATIONS = frozenset(
    [
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Prof",
        "Sen",
        "Rep",
        "Gov",
        "Gen",
        "Lt",
        "Col",
        "Capt",
        "Maj",
        "Sgt",
        "Adm",
        "Cmdr",
        "Rev",
        "Hon",
        "Jr",
        "Sr",
        "St",
        "Mt",
        "Ft",
        "No",
        "Nos",
        "vs",
        "Inc",
        "Ltd",
        "Co",
        "Corp",
        "Bros",
        "Jan",
        "Feb",
        "Mar",
        "Apr",
        "Jun",
        "Jul",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
        "approx",
        "est",
        "Lt.-Col",
        "Brig",
        "Cpl",
        "Pvt",
        "Supt",
        "Insp",
        "Det",
        "Messrs",
        "Mme",
        "Mlle",
        "Gens",
        "Sens",
        "Reps",
        "Govs",
        "Dept",
        "Univ",
        "Assn",
        "e.g",
        "i.e",
        "etc",
        "al",
        "cf",
    ]
)
# Sentence-ending punctuation, optionally followed by closing quotes or brackets.
_END = re.compile(r"[.!?]+[\"”’')\]]*|\)(?=[A-Z])")
# "“…pivot point?” Beck questioned." / "“…offensive!” Cruz said,": a quotation ending in a question
# or an exclamation goes on into its attribution, an apposition and all ("“…!” Glenn Thompson,
# R-Pa., said"; a full stop inside the quotation would have been a comma: "“…,” Danon said")
_ATTRIBUTION_AFTER = re.compile(
    r"(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*(?:,\s+[^,!?\"“”]{1,40},)?\s+(?:"
    + alternation(SPEECH_VERBS)
    + r")\b"
    r"|(?:" + alternation(SPEECH_VERBS) + r")\s+[A-Z]"
)
_OPENING = "\"“‘'([«"


def lines(text: str) -> list[Span]:
    """Non-blank lines, trimmed of surrounding spaces (no-break spaces included)."""
    found = []
    for match in _LINE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and (text[start] in _SPACE):
            start += 1
        while end > start and (text[end - 1] in _SPACE):
            end -= 1
        if end > start:
            found.append(Span(start, end))
    return found


def trim(text: str, span: Span) -> Span:
    start, end = span.start, span.end
    while start < end and (text[start].isspace() or text[start] == "\ufeff"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def _word_before(text: str, position: int, lower: int) -> str:
    start = position
    while start > lower and not text[start - 1].isspace() and text[start - 1] not in _OPENING:
        start -= 1
    return text[start:position]


def _is_abbreviation(text: str, dot: int, lower: int) -> bool:
    """Is the full stop at ``dot`` the end of an abbreviation or an initial ("K.C.", "U.S.")?"""
    word = _word_before(text, dot, lower).lstrip("(\"“‘'")
    if not word:
        return False
    if word in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha() and word.isupper():
        return True  # an initial: "L. Ron Hubbard", "K.C."
    # dotted acronyms: "U.S", "U.N", "D.C", "L.A"
    return _DOTTED_ACRONYM.fullmatch(word) is not None


_DOTTED_ACRONYM = re.compile(r"(?:[A-Za-z]\.)+[A-Za-z]")


_STOP = re.compile(r"[.!?]")


def _inside(position: int, protected: Sequence[Span], cursor: list[int]) -> Span | None:
    """The protected span containing ``position`` (spans sorted; ``cursor`` advances)."""
    i = cursor[0]
    while i < len(protected) and protected[i].end <= position:
        i += 1
    cursor[0] = i
    if i < len(protected) and protected[i].start <= position < protected[i].end:
        return protected[i]
    return None


def sentences(text: str, paragraph: Span, protected: Sequence[Span] = ()) -> list[Span]:
    """Split a paragraph into sentences; never inside a ``protected`` span (a quotation).

    A quotation that ends a sentence ("…citizens.” Danon said" does not, "…citizens.” He"
    does) is followed by a boundary like any other sentence end.
    """
    spans = sorted(s for s in protected if s.overlaps(paragraph))
    cursor = [0]
    found: list[Span] = []
    start = paragraph.start
    for match in _END.finditer(text, paragraph.start, paragraph.end):
        end = match.end()
        if end >= paragraph.end:
            break
        inside = _inside(match.start(), spans, cursor) if spans else None
        if inside is not None and inside.end > end:
            continue  # within a quotation that goes on
        if inside is not None and inside.end == end and not _STOP.search(match.group()):
            continue
        nxt = text[end] if end < paragraph.end else ""
        glued = not nxt.isspace()
        if glued:
            # "…relationship.“We", "…border.Defense", "(…Unit)Officials"
            if not (nxt.isupper() or nxt in '“"‘'):
                continue
            if match.group().startswith(".") and _is_abbreviation(text, match.start(), start):
                continue
            if match.group() == "." and text[end - 2 : end - 1].isupper() and nxt.isupper():
                continue  # dotted acronym going on: "U.S.A"
        else:
            after = end
            while after < paragraph.end and text[after].isspace():
                after += 1
            if after >= paragraph.end:
                break
            first = text[after]
            if not (first.isupper() or first.isdigit() or first in _OPENING):
                continue
            if (
                inside is not None
                and inside.end == end
                and "." not in match.group()
                and _ATTRIBUTION_AFTER.match(text, after)
            ):
                continue
            if match.group().startswith(".") and _is_abbreviation(text, match.start(), start):
                continue
        found.append(trim(text, Span(start, end)))
        start = end
    last = trim(text, Span(start, paragraph.end))
    if len(last):
        found.append(last)
    return [s for s in found if len(s)]
