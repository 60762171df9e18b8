"""Article furniture: everything around the body that must never become a claim.

Headline, subheadline, bylines ("By: …", "X contributed to this report", staff footers), a
leading dateline (" date 2018-06-10", "Thursday, May 7, 2015"), photo captions and credits (also
duplicated ones, and one glued into a paragraph), "Read …" links, share widgets, newsletter
footers, source lists and section headings. Nothing is cut out of the text: furniture is a list
of spans, and the body is the list of paragraph spans left, so offsets stay those of the input.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, field

from newsld.corpus.dates import PartialDate

from .lexicon import PLACES, TITLE_SMALL_WORDS
from .model import Furniture, FurnitureKind, Span
from .segment import lines

_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_DATELINE = re.compile(
    rf"^(?:date\s*:?\s*)?(?:(?P<iso>\d{{4}}-\d{{2}}-\d{{2}})\b|(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?"
    rf"(?P<month>{_MONTHS})\s+(?P<day>\d{{1,2}}),?\s+(?P<year>\d{{4}})\b)",
    re.IGNORECASE,
)
# A dateline opening a paragraph with the place the story was filed from, in capitals, then a
# state or a date and an agency, and a dash: "WASHINGTON (AP) — ", "MANCHESTER, N.H. - ",
# "PHILADELPHIA, July 25 (UPI) — ". Spaces around the dash set it apart from a transcript's
# label ("SIEGEL--") and from a heading glued to its text ("FAREWELL—").
_PLACE_DATELINE = re.compile(
    r"(?P<place>[A-Z][A-Z.'’\-]+(?:[ \t][A-Z][A-Z.'’\-]+){0,3})(?P<more>,[^\n—–―(]{1,40}?)?"
    r"(?P<agency>\s*\([^()\n]{1,30}\))?\s+(?:—|–|―|--?)\s+"
)


def _place_dateline(line: str) -> re.Match[str] | None:
    """The place's dateline opening ``line``, if any. A bare word in capitals before a dash is a
    place when it is one or is long ("ROME — ", "MIAMI — "), not an acronym that speaks ("NATO —
    the alliance — said")."""
    found = _PLACE_DATELINE.match(line) if line[:2].isupper() else None
    if found is None or found["more"] or found["agency"] or " " in found["place"]:
        return found
    place = found["place"]
    return found if len(place) >= 5 or place.title() in PLACES else None


_SHARE = re.compile(
    r"^[•·▪●*\-–]?\s*(?:print(?:\s+friendly)?|pdf|e-?mail|send to kindle|share(?:\s+(?:on|this))?|"
    r"tweet|facebook|whatsapp|linkedin|pinterest|telegram|reddit|copy link|comments?)\b",
    re.IGNORECASE,
)
_BYLINE = re.compile(
    r"^(?:by|written by|reporting by)\s*:?\s+(?P<name>[A-Z][^.!?]{1,80})$", re.IGNORECASE
)
_CONTRIBUTED = re.compile(
    r"^(?P<name>[A-Z][\w.’'\- ]{1,80}?)\s+(?:contributed to this report|contributed reporting)\.?$"
)
_STAFF = re.compile(
    r"^(?P<name>(?:The\s+)?[A-Z][\w’'\- ]{1,60}?)\s+(?:is|are)\s+(?:a|an|the)\s+"
    r"(?:team of (?:journalists|reporters|writers)|(?:staff\s+)?"
    r"(?:reporter|correspondent|journalist|writer|editor|contributor)s?)\b.*$"
)
_REPORTING_BY = re.compile(
    r"^(?:additional\s+)?reporting by\s+(?P<name>[A-Z][^;.]{1,60})", re.IGNORECASE
)
_CREDIT = re.compile(r"\((?P<credit>[^()]{2,80})\)$")
_CREDIT_WORDS = re.compile(
    r"\b(?:AP|AFP|Reuters|Getty|Photo|Photos|Image|Images|Courtesy|Credit|Flickr|Wikimedia|"
    r"Shutterstock|iStock|GPO|Spokesperson|Spokesman|Unit|Pool|EPA|UPI|File|YouTube|Twitter)\b"
)
_MEDIA_CREDIT = re.compile(
    r"(?:^|\s)(?:Image|Images|Photo|Photos|Video|Audio|Photograph|Picture|Credit)s?:"
    r"\s*[^.]{1,80}\.?$"
)
_BRACKET_CREDIT = re.compile(r"^\[(?:Photo|Image|Video|Credit)[^\]]*\]$", re.IGNORECASE)
_CAPTION_START = re.compile(
    r"^(?:In this (?:\w+ )?(?:photo|image|picture|file photo|undated photo)"
    r"|Illustrative (?:image|photo)|File (?:photo|image)|Pictured|Photo:)",
    re.IGNORECASE,
)
_LINK = re.compile(r"^(?:read|read more|see also|related|more|watch|listen)\b[\s:]", re.IGNORECASE)
_FOOTER_START = re.compile(
    r"^(?:read more|related(?: articles| stories)?|sources|references|external links|categories|"
    r"see also|share this(?: article)?|more from|recommended)\s*:?$",
    re.IGNORECASE,
)
_CATEGORIES = re.compile(r"^Categories\s*:", re.IGNORECASE)
_NEWSLETTER = re.compile(
    r"\b(?:subscribe|subscribed|newsletter|sign up|notifications|never miss|follow us"
    r"|download our app|all rights reserved|copyright ©|©)\b",
    re.IGNORECASE,
)
_TERMINAL = re.compile(r"[.!?][\"”’')\]]*$|[\"”]$")
_WORD = re.compile(r"[^\W_]+(?:['’.\-][^\W_]+)*")


@dataclass
class Layout:
    furniture: list[Furniture] = field(default_factory=list)
    body: list[Span] = field(default_factory=list)  # paragraphs of the body, in order
    authors: list[str] = field(default_factory=list)
    headline: str | None = None
    subheadline: str | None = None
    dateline: PartialDate | None = None

    def add(self, kind: FurnitureKind, text: str, span: Span) -> None:
        self.furniture.append(Furniture(kind, span, text[span.start : span.end]))


def _at_most(text: str, words: int) -> bool:
    """Has ``text`` at most this many words? (Stops counting there: paragraphs are long.)"""
    return _more_words(words).match(text) is None


@functools.cache
def _more_words(words: int) -> re.Pattern[str]:
    """What starts a text with more than ``words`` words: each one what ``_WORD`` matches (the
    quantifiers are possessive, so a word is never split to make up the count), after what it
    passes over. One match in the engine instead of a step per word."""
    assert _WORD.pattern == r"[^\W_]+(?:['’.\-][^\W_]+)*", "keep in step with _WORD"
    return re.compile(rf"(?>[\W_]*+[^\W_]++(?:['’.\-][^\W_]++)*+){{{words + 1}}}")


def _terminal(text: str) -> bool:
    return bool(_TERMINAL.search(text.rstrip()))


def _dateline(line: str) -> tuple[int, PartialDate | None] | None:
    match = _DATELINE.match(line)
    if not match:
        return None
    try:
        if match["iso"]:
            return match.end(), PartialDate.parse(match["iso"])
        month = [m.lower() for m in _MONTHS.split("|")].index(match["month"].lower()) + 1
        day = dt.date(int(match["year"]), month, int(match["day"]))
        return match.end(), PartialDate(
            day.isoformat(), PartialDate.parse(day.isoformat()).precision
        )
    except ValueError:
        return match.end(), None


def _is_caption(line: str) -> bool:
    # (the two searches try every position: first make sure of the ")" or ":" they need)
    credit = _CREDIT.search(line) if line.endswith(")") else None
    if credit and ("/" in credit["credit"] or _CREDIT_WORDS.search(credit["credit"])):
        return True
    return bool(
        (":" in line and _MEDIA_CREDIT.search(line))
        or _BRACKET_CREDIT.match(line)
        or _CAPTION_START.match(line)
    )


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def layout(text: str) -> Layout:
    """Separate furniture from the body, line by line (sentence-level furniture comes later)."""
    result = Layout()
    spans = lines(text)
    kinds: list[FurnitureKind | None] = [None] * len(spans)
    seen: dict[str, int] = {}
    body_start: dict[int, int] = {}

    # share widgets and the header: headline, subheadline, dateline, byline
    index = 0
    while (
        index < len(spans)
        and _SHARE.match(text[spans[index].start : spans[index].end])
        and _at_most(text[spans[index].start : spans[index].end], 8)
    ):
        kinds[index] = FurnitureKind.SHARE
        index += 1
    header_end = index
    if index < len(spans):
        header_end = _header(text, spans, index, kinds, result, body_start)

    # footer zone: after "read more:", "Sources", "Categories:" everything is furniture
    footer_from = len(spans)
    for i in range(header_end, len(spans)):
        line = text[spans[i].start : spans[i].end]
        if _FOOTER_START.match(line) or _CATEGORIES.match(line):
            footer_from = i
            break
    # trailing newsletter lines and other short lines that are not sentences
    i = footer_from - 1
    while i >= header_end:
        line = text[spans[i].start : spans[i].end]
        quoted = '"' in line or "“" in line
        if _is_caption(line):
            break
        if _at_most(line, 12) and not quoted and (_NEWSLETTER.search(line) or not _terminal(line)):
            footer_from = i
            i -= 1
            continue
        break
    for i in range(footer_from, len(spans)):
        line = text[spans[i].start : spans[i].end].strip()
        # a byline or "X contributed to this report" among the footer lines still names authors
        credit = _CONTRIBUTED.match(line) or _REPORTING_BY.match(line)
        if credit is None and _at_most(line, 12):
            credit = _BYLINE.match(line)
        if credit is not None:
            kinds[i] = FurnitureKind.BYLINE
            result.authors += _names(credit["name"])
            continue
        kinds[i] = (
            FurnitureKind.LINK
            if i == footer_from and _LINK.match(text[spans[i].start : spans[i].end])
            else FurnitureKind.FOOTER
        )

    for i in range(header_end, footer_from):
        span = spans[i]
        line = text[span.start : span.end]
        place = _place_dateline(line)
        if place is not None:  # the rest of the line is what is judged
            body_start[i] = span.start + place.end()
            line = line[place.end() :]
        key = _normal(line)
        if key in seen and len(key) > 20:
            kinds[i] = kinds[seen[key]] or FurnitureKind.CAPTION
            continue
        seen.setdefault(key, i)
        byline = _BYLINE.match(line)
        if byline and _at_most(line, 12):
            kinds[i] = FurnitureKind.BYLINE
            result.authors += _names(byline["name"])
        elif _is_caption(line):
            kinds[i] = FurnitureKind.CAPTION
        elif _LINK.match(line) and not _terminal(line) and _at_most(line, 16):
            kinds[i] = FurnitureKind.LINK
        elif (
            _at_most(line, 12)
            and not _terminal(line)
            and not line.endswith(":")
            and '"' not in line
            and "“" not in line
        ):
            kinds[i] = FurnitureKind.HEADING
        elif _at_most(line, 12) and _NEWSLETTER.search(line):  # the cheaper test first
            kinds[i] = FurnitureKind.FOOTER

    for i, span in enumerate(spans):
        kind = kinds[i]
        if kind is None:
            start = body_start.get(i, span.start)
            if header_end <= i < footer_from and start > span.start:  # a place's dateline
                result.add(FurnitureKind.DATELINE, text, Span(span.start, start))
            if start < span.end:
                result.body.append(Span(start, span.end))
        else:
            result.add(kind, text, span)
    result.furniture.sort(key=lambda f: f.span.start)
    return result


def _header(
    text: str,
    spans: list[Span],
    index: int,
    kinds: list[FurnitureKind | None],
    result: Layout,
    body_start: dict[int, int],
) -> int:
    """Mark headline, subheadline, dateline and byline at the top; return the first body line."""

    def line(i: int) -> str:
        return text[spans[i].start : spans[i].end]

    def dateline_at(i: int) -> bool:
        found = _dateline(line(i))
        if found is None:
            return False
        end, date = found
        result.dateline = result.dateline or date
        span = spans[i]
        result.add(FurnitureKind.DATELINE, text, Span(span.start, span.start + end))
        rest = span.start + end
        while rest < span.end and text[rest].isspace():
            rest += 1
        if rest < span.end:
            body_start[i] = rest
        else:
            kinds[i] = FurnitureKind.DATELINE
            result.furniture.pop()
        return True

    def special(i: int) -> bool:
        return i < len(spans) and (
            _dateline(line(i)) is not None
            or (_BYLINE.match(line(i)) is not None and _at_most(line(i), 12))
            or _place_dateline(line(i)) is not None
        )

    if dateline_at(index):
        return index + 1
    first = line(index)
    nxt = index + 1
    if (
        index + 1 < len(spans)
        and _at_most(first, 35)
        and (not _terminal(first) or special(index + 1) or _title_case(first))
    ):
        kinds[index] = FurnitureKind.HEADLINE
        result.headline = " ".join(first.split())
        if nxt < len(spans) and not special(nxt) and not _is_caption(line(nxt)):
            sub = line(nxt)
            if _at_most(sub, 45) and (not _terminal(sub) or special(nxt + 1)):
                kinds[nxt] = FurnitureKind.SUBHEADLINE
                result.subheadline = " ".join(sub.split())
                nxt += 1
    else:
        nxt = index
    # datelines and bylines right below
    while nxt < len(spans):
        current = line(nxt)
        byline = _BYLINE.match(current)
        if byline and _at_most(current, 12):
            kinds[nxt] = FurnitureKind.BYLINE
            result.authors += _names(byline["name"])
            nxt += 1
            continue
        if dateline_at(nxt):
            if nxt in body_start:
                return nxt + 1
            nxt += 1
            continue
        break
    return nxt


def _title_case(line: str) -> bool:
    """Whether a line is written in title case ("Guns Are ‘The Ultimate Public Health Crisis,’
    Howard Dean Tells Democratic Convention."): a headline, even with a full stop, not the
    first sentence of the body."""
    words = [
        w for w in _WORD.findall(line) if w[0].isalpha() and w.lower() not in TITLE_SMALL_WORDS
    ]
    return len(words) >= 4 and sum(w[0].isupper() for w in words) >= 0.9 * len(words)


def _names(byline: str) -> list[str]:
    parts = re.split(r"\s*(?:,|\band\b|&)\s*", byline.strip())
    return [p.strip() for p in parts if p.strip()]


def sentence_furniture(
    text: str, sentence: Span, last_paragraphs: bool
) -> tuple[FurnitureKind, list[str]] | None:
    """Furniture glued into a body paragraph: "Herb Keinon contributed to this report.", a
    caption ending in a credit with no full stop, a staff footer in the last paragraphs."""
    words = text[sentence.start : sentence.end].strip()
    contributed = _CONTRIBUTED.match(words) if "contributed" in words else None
    if contributed:
        return FurnitureKind.BYLINE, [contributed["name"].strip()]
    reporting = _REPORTING_BY.match(words)
    if reporting:
        return FurnitureKind.BYLINE, _names(reporting["name"])
    if last_paragraphs:
        staff = _STAFF.match(words)
        if staff:
            return FurnitureKind.BYLINE, [staff["name"].strip()]
    credit = _CREDIT.search(words) if words.endswith(")") else None
    if (
        credit
        and not _terminal(words[: credit.start()].rstrip() or ".")
        and ("/" in credit["credit"] or _CREDIT_WORDS.search(credit["credit"]))
    ):
        return FurnitureKind.CAPTION, []
    return None
