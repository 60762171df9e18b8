"""The pipeline of one article: furniture → quotations → sentences → attribution → events → stances.

Linear in the length of the text: each stage is one pass over the paragraphs, lookbacks are
bounded (a few sentences), name lookups go through dictionaries, and dateparser only sees the
short expressions the patterns matched.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from newsld.corpus.dates import PartialDate
from newsld.corpus.files import MAX_TEXT_BYTES
from newsld.corpus.reader import Registry

from .attribution import Reader
from .dates import DateResolver
from .events import find_events
from .furniture import layout, sentence_furniture
from .model import Extraction, Furniture, FurnitureKind, Problem, Span
from .names import Names
from .quotes import Quote, find_quotes
from .ranking import Candidate
from .segment import sentences
from .speakers import Attribution, Sentence
from .stance import with_stances

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# two apostrophes for a quotation mark: ''It is,'' she said (the New York Times archive's style)
_DOUBLED_APOSTROPHE = re.compile(r"''(?!')")
_OPENS_AFTER = "([{—–-/:"
_DOUBLE_MARK = re.compile(r"[\"“”]")


def _doubled_apostrophes(text: str) -> str:
    """``text`` with each pair of apostrophes standing for a quotation mark written as one
    straight double mark and a space on its outer side (' "' opening, '" ' closing), so the
    quotation finder pairs them and offsets stay those of the input. (Only for a text that
    writes its quotations so: one in “…” may hold a ''nested'' one.)"""

    def mark(found: re.Match[str]) -> str:
        start = found.start()
        before = text[start - 1] if start else " "
        return ' "' if before.isspace() or before in _OPENS_AFTER else '" '

    return _DOUBLED_APOSTROPHE.sub(mark, text)


def extract(
    text: str,
    published: PartialDate | None = None,
    registry: Registry | None = None,
    *,
    rank: bool = True,
    observe: Callable[[Span, Attribution, list[Candidate]], None] | None = None,
) -> Extraction:
    """Claims, speakers, dates and events of one article's raw text.

    ``published`` is the article's publication date, which relative dates are resolved against
    (default: a dateline printed at the top of the text, if any). ``registry`` resolves names and
    aliases to registry ids. Offsets in the result are offsets into ``text`` as given. Never
    raises on bad text: problems are reported in :attr:`Extraction.problems`.

    ``rank=False`` keeps the attribution rules' speakers instead of the fitted ranker's choice;
    ``observe`` sees each quotation's candidate speakers (what ``eval/train_speakers.py`` fits on).
    """
    registry = registry or Registry()
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_TEXT_BYTES:
        return Extraction(
            published=published,
            problems=(
                Problem(
                    "extract/too-large",
                    f"the text is {size} bytes; the limit is {MAX_TEXT_BYTES} bytes, so nothing "
                    "was extracted (the text was not truncated)",
                ),
            ),
        )
    problems: list[Problem] = []
    if not text.strip():
        return Extraction(
            published=published,
            problems=(Problem("extract/empty", "the text is empty"),),
        )
    # control characters are masked, never removed, so offsets stay those of the input
    work = _CONTROL.sub(" ", text) if _CONTROL.search(text) else text
    if "''" in work and work.count("''") > len(_DOUBLE_MARK.findall(work)):
        work = _doubled_apostrophes(work)  # the text's quotation marks, not ones nested in “…”

    page = layout(work)
    if published is None and page.dateline is not None:
        published = page.dateline
        problems.append(
            Problem(
                "extract/published-from-dateline",
                f"no publication date given; using the dateline {published.text} printed in "
                "the text",
            )
        )
    if published is None:
        problems.append(
            Problem(
                "extract/no-publication-date",
                "no publication date given or printed: relative dates are not resolved and claims "
                "have no date",
            )
        )

    quotes, quote_problems = find_quotes(work, page.body)
    problems += quote_problems
    furniture = list(page.furniture)
    authors = list(page.authors)
    split, glued = _sentences(work, page.body, quotes, furniture, authors)
    quotes = [
        q for q in quotes if not any(f.span.start <= q.marks.start < f.span.end for f in glued)
    ]
    masked = _mask(work, quotes)

    names = Names(work, registry)
    resolver = DateResolver(published)
    reader = Reader(work, masked, names, resolver, published, rank=rank, observe=observe)
    reader.read(_with_quotes(split, quotes))
    events = find_events(work, masked, reader, page.body)
    spans = [sentence.span for sentence in reader.sentences]
    claims = with_stances(masked, spans, reader.claims)
    unattributed = with_stances(masked, spans, reader.unattributed)
    return Extraction(
        claims=tuple(sorted(claims, key=lambda c: (c.span.start, c.span.end))),
        unattributed=tuple(sorted(unattributed, key=lambda c: c.span.start)),
        events=tuple(events),
        furniture=tuple(sorted(furniture, key=lambda f: f.span.start)),
        authors=tuple(dict.fromkeys(authors)),
        headline=page.headline,
        subheadline=page.subheadline,
        dateline=page.dateline,
        published=published,
        problems=tuple(problems),
    )


def _sentences(
    text: str,
    body: list[Span],
    quotes: list[Quote],
    furniture: list[Furniture],
    authors: list[str],
) -> tuple[list[tuple[int, Span]], list[Furniture]]:
    """Sentences of the body paragraphs, without the furniture glued into them."""
    protected = [q.marks for q in quotes]
    found: list[tuple[int, Span]] = []
    glued: list[Furniture] = []
    last = len(body) - 2
    cursor = 0
    for index, paragraph in enumerate(body):
        while cursor < len(protected) and protected[cursor].end <= paragraph.start:
            cursor += 1
        near = []
        i = cursor
        while i < len(protected) and protected[i].start < paragraph.end:
            near.append(protected[i])
            i += 1
        for sentence in sentences(text, paragraph, near):
            kind = sentence_furniture(text, sentence, index >= last)
            if kind is not None:
                item = Furniture(kind[0], sentence, text[sentence.start : sentence.end])
                furniture.append(item)
                glued.append(item)
                authors += kind[1]
                continue
            found.append((index, sentence))
    return found, glued


def _with_quotes(split: list[tuple[int, Span]], quotes: list[Quote]) -> list[Sentence]:
    result: list[Sentence] = []
    cursor = 0
    ordered = sorted(quotes, key=lambda q: q.marks.start)
    for number, (paragraph, span) in enumerate(split):
        inside: list[Quote] = []
        while cursor < len(ordered) and ordered[cursor].marks.start < span.start:
            cursor += 1
        i = cursor
        while i < len(ordered) and ordered[i].marks.start < span.end:
            inside.append(ordered[i])
            i += 1
        result.append(Sentence(number, span, paragraph, inside))
    return result


def _mask(text: str, quotes: list[Quote]) -> str:
    """The text with every quotation's words replaced by ``x`` (spaces kept, offsets unchanged)."""
    if not quotes:
        return text
    parts = []
    position = 0
    for quote in sorted(quotes, key=lambda q: q.content.start):
        start, end = quote.content.start, quote.content.end
        if start < position:
            continue
        parts.append(text[position:start])
        parts.append(re.sub(r"\S", "x", text[start:end]))
        position = end
    parts.append(text[position:])
    return "".join(parts)


__all__ = ["FurnitureKind", "extract"]
