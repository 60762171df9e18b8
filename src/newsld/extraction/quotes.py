"""Find quotations: pair quotation marks over the body paragraphs in one linear pass.

Double marks (“ ” and ") are paired by parity within a paragraph, with the glyph and the
characters around a mark as tie-breakers, so both curly and straight quotes work, and so does a
mark typed on the wrong side of a space. Across paragraphs the news conventions hold: a quote
left open at the end of a paragraph is continued by the next paragraph when that paragraph opens
with a quotation mark (the earlier piece then ends at its paragraph's end), or it runs on into the
next paragraph when that one has a mark to close it. A mark that never closes is reported, not
guessed. Single curly marks (‘ ’) are quotations only outside double quotes and when ’ is not an
apostrophe; straight single marks are left alone (too often apostrophes or nested titles).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Problem, Span

_DOUBLE = re.compile(r"[\"“”]")
_SINGLE = re.compile(r"[‘’]")
_MAX_CARRY = 2  # paragraphs a quotation may run on into without a fresh opening mark


@dataclass(frozen=True)
class Quote:
    """One quotation piece: marks at ``open_mark``/``close_mark`` (None when the paragraph ends
    it), its words at ``content`` (inner spaces trimmed)."""

    marks: Span  # from the opening mark to the closing mark (or the paragraph end), inclusive
    content: Span
    paragraph: int  # index of the body paragraph
    closed: bool  # False: ended by the paragraph end (multi-paragraph quotation)
    continued: bool  # True: this piece continues a quotation begun in an earlier paragraph


def _looks_opening(text: str, i: int, lower: int, upper: int) -> bool:
    before = text[i - 1] if i > lower else " "
    after = text[i + 1] if i + 1 < upper else " "
    return (before.isspace() or before in "([{—–-/:") and not after.isspace()


def _looks_closing(text: str, i: int, lower: int, upper: int) -> bool:
    before = text[i - 1] if i > lower else " "
    after = text[i + 1] if i + 1 < upper else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


def _is_inch_mark(text: str, i: int) -> bool:
    return text[i] == '"' and i > 0 and text[i - 1].isdigit()


def _content(text: str, start: int, end: int) -> Span:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


def find_quotes(text: str, paragraphs: Sequence[Span]) -> tuple[list[Quote], list[Problem]]:
    quotes: list[Quote] = []
    problems: list[Problem] = []
    marks_by_paragraph = [
        [
            m.start()
            for m in _DOUBLE.finditer(text, p.start, p.end)
            if not _is_inch_mark(text, m.start())
        ]
        for p in paragraphs
    ]
    carry: int | None = None  # position of an opening mark still open
    carried = 0  # paragraphs the open quotation has run on into
    for index, paragraph in enumerate(paragraphs):
        marks = marks_by_paragraph[index]
        cursor = 0
        if carry is not None:
            first_opens = (
                bool(marks)
                and marks[0] - paragraph.start <= 1
                and _looks_opening(text, marks[0], paragraph.start, paragraph.end)
            )
            if first_opens or not marks or carried >= _MAX_CARRY:
                # the earlier piece ended with its paragraph
                if not first_opens and not marks:
                    pass
                carry = None
                carried = 0
            else:
                close = marks[0]
                quotes.append(
                    Quote(
                        Span(paragraph.start, close + 1),
                        _content(text, paragraph.start, close),
                        index,
                        True,
                        True,
                    )
                )
                carry = None
                carried = 0
                cursor = 1
        remaining = marks[cursor:]
        pairs, leftover = _pair(text, remaining, paragraph)
        for open_mark, close_mark in pairs:
            quotes.append(
                Quote(
                    Span(open_mark, close_mark + 1),
                    _content(text, open_mark + 1, close_mark),
                    index,
                    True,
                    False,
                )
            )
        if leftover is not None:
            # open at the paragraph end: a piece ending here, perhaps continued below
            nxt = marks_by_paragraph[index + 1] if index + 1 < len(paragraphs) else []
            following = paragraphs[index + 1] if index + 1 < len(paragraphs) else None
            reopens = bool(nxt) and following is not None and nxt[0] - following.start <= 1
            runs_on = (
                bool(nxt)
                and not reopens
                and following is not None
                and _looks_closing(text, nxt[0], following.start, following.end)
                and not _looks_opening(text, nxt[0], following.start, following.end)
            )
            if reopens or runs_on:
                quotes.append(
                    Quote(
                        Span(leftover, paragraph.end),
                        _content(text, leftover + 1, paragraph.end),
                        index,
                        False,
                        False,
                    )
                )
                if runs_on:
                    carry = leftover
                    carried = 1
            else:
                problems.append(
                    Problem(
                        "extract/unbalanced-quote",
                        "a quotation mark opens here and is never closed; the quotation is "
                        "left out",
                        Span(leftover, leftover + 1),
                    )
                )
    quotes += _single_quotes(text, paragraphs, quotes)
    quotes.sort(key=lambda q: q.marks.start)
    return [q for q in quotes if len(q.content)], problems


def _pair(text: str, marks: list[int], paragraph: Span) -> tuple[list[tuple[int, int]], int | None]:
    """Pair the double marks of one paragraph; return the pairs and an unclosed opener."""
    pairs: list[tuple[int, int]] = []
    lower, upper = paragraph.start, paragraph.end
    open_at: int | None = None
    i = 0
    while i < len(marks):
        position = marks[i]
        glyph = text[position]
        if open_at is None:
            # a mark that can only close, with nothing after it that could close it, is stray
            if glyph == "”" and not _looks_opening(text, position, lower, upper):
                i += 1
                continue
            open_at = position
        else:
            opening = glyph == "“" and _looks_opening(text, position, lower, upper)
            if opening and not _looks_closing(text, position, lower, upper) and i + 1 < len(marks):
                # “ … “ … ”: the first mark never closed; start again from this one
                open_at = position
            else:
                pairs.append((open_at, position))
                open_at = None
        i += 1
    return pairs, open_at


def _single_quotes(text: str, paragraphs: Sequence[Span], doubles: Sequence[Quote]) -> list[Quote]:
    """‘…’ quotations outside double quotes; ’ followed by a letter is an apostrophe."""
    covered = sorted(q.marks for q in doubles)
    found: list[Quote] = []
    for index, paragraph in enumerate(paragraphs):
        open_at: int | None = None
        for match in _SINGLE.finditer(text, paragraph.start, paragraph.end):
            position = match.start()
            if any(s.start <= position < s.end for s in covered):
                continue
            if text[position] == "‘":
                if _looks_opening(text, position, paragraph.start, paragraph.end):
                    open_at = position
                continue
            after = text[position + 1] if position + 1 < paragraph.end else " "
            if open_at is not None and not after.isalpha():
                found.append(
                    Quote(
                        Span(open_at, position + 1),
                        _content(text, open_at + 1, position),
                        index,
                        True,
                        False,
                    )
                )
                open_at = None
    return found
