"""Date expressions: found with targeted patterns, resolved against the publication date.

dateparser is only ever called on a matched expression ("on Thursday", "in November", "last
month"), never on a paragraph, with ``languages=['en']`` and one reused parser; results are cached
per (expression, publication date). The precision of the expression is kept (day, week, month,
year). A resolved date is never after publication: a month or day written without a year is
moved back a year, anything else that still lands in the future is dropped.

A publication date known only to the month or year (``2015-07``) resolves relative expressions
against its last day and truncates the result to its own precision; absolute dates keep theirs.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from newsld.corpus.dates import PartialDate, Precision

from .casefree import lowercase_pattern, lowercased
from .model import Span

_WEEKDAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan\.|Feb\.|Mar\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Oct\.|Nov\.|Dec\.)"
)
_PART = r"(?:\s+(?:morning|afternoon|evening|night))?"
_NUMBER = r"(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|a|a few|several)"

EXPRESSIONS = re.compile(
    # every expression starts with one of these (a word like "on", "last", "in", a month, a
    # weekday, a number): the look-ahead only lets the engine pass other positions quickly
    r"(?=[abdefijlmnostuwy\d])(?:"
    + "|".join(
        [
            rf"(?P<monthday>(?:(?:on|since|by|from|until)\s+)?{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b)",
            rf"(?P<daymonth>(?:(?:on|since|by)\s+)?(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?\b)",
            rf"(?P<weekday>(?:(?:on|last|this\s+past|late|early)\s+)?{_WEEKDAY}{_PART}\b)",
            rf"(?P<month>(?:(?:in|since|during|by|last|this|early|late|mid|mid-|earlier\s+in|later\s+in)\s*)?"
            rf"(?<![\w-]){_MONTH}(?:\s+(?:of\s+)?(?:19|20)\d{{2}})?\b)",
            r"(?P<year>\b(?:in|since|during|by|of|early|late|mid-?|throughout)\s+(?:19|20)\d{2}\b(?!\s*[-–]\s*\d))",
            rf"(?P<relday>\b(?:yesterday|today|tonight){_PART}\b|\bearlier\s+today\b)",
            # before relperiod, which would read "earlier this year" as "this year"
            r"(?P<earlieryear>\bearlier\s+(?:this|in\s+the)\s+(?:year|month)\b)",
            r"(?P<relperiod>\b(?:(?:just|only)\s+)?(?:last|this|(?:earlier|later)\s+this|the\s+past|the\s+previous)\s+(?:week(?:end)?|month|year)\b)",
            r"(?P<recent>\bin\s+recent\s+(?:days|weeks|months)\b|\b(?:over|in)\s+the\s+(?:past|last)\s+(?:few\s+)?(?:days|weeks|months)\b)",
            rf"(?P<ago>\b{_NUMBER}\s+(?:days?|weeks?|months?|years?)\s+ago\b)",
        ]
    )
    + ")",
    re.IGNORECASE,
)
# "May" is a month only where it cannot be the verb.
_MAY = re.compile(r"^(?:(?:in|since|during|by|early|late|mid-?|last|this)\s*)?May$")
_FUTURE = re.compile(r"\b(?:next|tomorrow|coming)\b", re.IGNORECASE)
# Every expression holds one of these (a month, "day", "week", "month", "year", "tonight", a
# year): a span without any has none, and is not scanned with the (slow) full pattern.
_HINT = re.compile(
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|day|week|month|year|tonight|(?:19|20)\d\d",
    re.IGNORECASE,
)
_MONTH_NAME = re.compile(_MONTH)


# The two patterns above for lowercased text (see casefree.py)
_EXPRESSIONS_LOWER = lowercase_pattern(EXPRESSIONS)
_HINT_LOWER = lowercase_pattern(_HINT)
# Before the first hint in it, an expression holds at most this many runs of white space ("over
# the past few days", "on the 5th of January": four); one to spare.
_REACH = 5
# Read in the reversed text from a hint: its word so far, then the words of that many runs back.
_REACH_BACK = re.compile(rf"\S*(?:\s+\S+){{0,{_REACH}}}")


@dataclass(frozen=True)
class DateMention:
    span: Span
    expression: str
    date: PartialDate


class DateResolver:
    """Resolves date expressions of one article against its publication date."""

    def __init__(self, published: PartialDate | None) -> None:
        self.published = published
        # this article's answers (several rules look at the same spans)
        self.found: dict[tuple[str, Span, tuple[Span, ...]], list[DateMention]] = {}
        # the text searched last: as given or lowercased, its patterns, reversed (when needed)
        self.text: str | None = None
        self.haystack = ""
        self.patterns = (EXPRESSIONS, _HINT)
        self.reversed: str | None = None

    def find(self, text: str, span: Span, skip: list[Span] | None = None) -> list[DateMention]:
        """Date expressions in ``span`` outside ``skip`` (quotations), in text order."""
        if self.published is None:
            return []
        key = (text, span, tuple(skip) if skip else ())
        found = self.found.get(key)
        if found is None:
            found = self.found[key] = self._find(text, span, skip)
        return list(found)

    def _find(self, text: str, span: Span, skip: list[Span] | None) -> list[DateMention]:
        assert self.published is not None
        found: list[DateMention] = []
        for match in self._expressions(text, span):
            if skip and any(s.start <= match.start() < s.end for s in skip):
                continue
            expression = text[match.start() : match.end()]
            kind = match.lastgroup or ""
            if (
                kind == "month"
                and _MAY.match(expression.strip())
                and not _may_is_month(text, match.end(), expression)
            ):
                continue
            if kind == "month" and not expression[:1].isalpha():
                continue
            if kind in {"month", "monthday", "daymonth"} and not _MONTH_NAME.search(expression):
                continue
            date = resolve(" ".join(expression.split()), kind, self.published)
            if date is not None:
                found.append(DateMention(Span(match.start(), match.end()), expression, date))
        return found

    def _expressions(self, text: str, span: Span) -> Iterator[re.Match[str]]:
        """The matches of :data:`EXPRESSIONS` in ``span``, as ``finditer`` finds them (offsets
        into ``text``; the matched text may be lowercased).

        Every expression holds a hint (:data:`_HINT`) and starts at most :data:`_REACH` runs of
        white space before its first one, so no match starts before the words leading up to the
        next hint: the search for the next match starts there, not at every character.
        """
        if text is not self.text:
            self.text, self.reversed = text, None
            lowered = lowercased(text)
            if lowered is not None:
                self.haystack, self.patterns = lowered, (_EXPRESSIONS_LOWER, _HINT_LOWER)
            else:
                self.haystack, self.patterns = text, (EXPRESSIONS, _HINT)
        haystack = self.haystack
        expressions, hint = self.patterns
        position, end = span.start, span.end
        while True:
            found = hint.search(haystack, position, end)
            if found is None:
                return
            if self.reversed is None:
                self.reversed = haystack[::-1]
            back = _REACH_BACK.match(self.reversed, len(haystack) - found.start())
            assert back is not None  # it matches the empty string
            start = max(position, len(haystack) - back.end())
            match = expressions.search(haystack, start, end)
            if match is None:
                return
            yield match
            position = match.end()


def _may_is_month(text: str, end: int, expression: str) -> bool:
    after = text[end : end + 8]
    return bool(re.match(r"\s+(?:\d|of\s+\d)", after)) or bool(
        re.match(r"(?:in|since|during|by|early|late|mid|last|this)", expression, re.IGNORECASE)
    )


_PARSER = None


def warm_up() -> None:
    """Load dateparser's language data now (about a second), not on the first date that needs
    it (the common forms are answered without it)."""
    _parser()


def _parser():  # type: ignore[no-untyped-def]
    """One English-only dateparser for the whole process (language detection is 40× slower)."""
    global _PARSER
    if _PARSER is None:
        from dateparser.date import DateDataParser

        _PARSER = DateDataParser(
            languages=["en"],
            settings={"PREFER_DATES_FROM": "past", "RETURN_TIME_AS_PERIOD": False},
        )
    return _PARSER


_PRECISIONS = {
    "day": Precision.DAY,
    "time": Precision.DAY,
    "week": Precision.WEEK,
    "month": Precision.MONTH,
    "year": Precision.YEAR,
}


@lru_cache(maxsize=4096)
def resolve(expression: str, kind: str, published: PartialDate) -> PartialDate | None:
    """The date an expression denotes in an article published on ``published``."""
    if _FUTURE.search(expression):
        return None
    base = published.last_day
    lowered = expression.lower()
    if kind == "recent":
        # "in recent weeks": about two weeks back, known to the month
        days = 3 if "day" in lowered else 14 if "week" in lowered else 60
        return _clamp(_at(base - dt.timedelta(days=days), Precision.MONTH), published)
    if kind == "earlieryear":
        precision = Precision.YEAR if "year" in lowered else Precision.MONTH
        return _clamp(_at(base, precision), published)
    if "weekend" in lowered:
        saturday = base - dt.timedelta(days=(base.weekday() - 5) % 7 or 7)
        if lowered.startswith("this") and (base.weekday() >= 5):
            saturday = base - dt.timedelta(days=base.weekday() - 5)
        return _clamp(PartialDate.week_of(saturday), published)
    cleaned = re.sub(
        r"^(?:on|in|since|during|by|from|until|of|throughout|the|just|only|early|late|mid-?|"
        r"earlier\s+in|later\s+in)\s+",
        "",
        expression,
        flags=re.IGNORECASE,
    )
    cleaned = re.sub(r"^(?:on|in|the|of)\s+", "", cleaned, flags=re.IGNORECASE)
    cleaned = re.sub(r"\s+(?:morning|afternoon|evening|night)$", "", cleaned, flags=re.IGNORECASE)
    cleaned = re.sub(r"^(?:earlier|later)\s+(today)$", r"\1", cleaned, flags=re.IGNORECASE)
    cleaned = cleaned.replace("tonight", "today")
    # a weekday or a date without a year may be the publication day itself
    relative_base = (
        base + dt.timedelta(days=1) if kind in {"weekday", "monthday", "daymonth"} else base
    )
    if kind == "weekday" and re.match(r"(?:last|this\s+past)\s", cleaned, re.IGNORECASE):
        cleaned = re.sub(r"^(?:last|this\s+past)\s+", "", cleaned, flags=re.IGNORECASE)
        relative_base = base
    data = _parse(cleaned, relative_base)
    if data is None:
        return None
    day, period = data
    precision = _PRECISIONS.get(period, Precision.DAY)
    if kind == "month":
        precision = Precision.MONTH
    if kind == "year":
        precision = Precision.YEAR
    if kind == "relperiod" and lowered.endswith("week"):
        precision = Precision.WEEK
    result = _at(day, precision)
    explicit_year = bool(re.search(r"\b(?:19|20)\d{2}\b", expression))
    if (
        result.first_day > published.last_day
        and not explicit_year
        and kind in {"month", "monthday", "daymonth"}
    ):
        try:
            result = _at(day.replace(year=day.year - 1), precision)
        except ValueError:
            return None
    if kind in {"weekday", "relday", "relperiod", "ago"}:
        result = _coarsen(result, published)
    return _clamp(result, published)


def _parse(expression: str, base: dt.date) -> tuple[dt.date, str] | None:
    quick = _quick_parse(expression, base)
    if quick is not None:
        return quick
    return _dateparser_parse(expression, base)


def _dateparser_parse(expression: str, base: dt.date) -> tuple[dt.date, str] | None:
    parser = _parser()
    parser._settings.RELATIVE_BASE = dt.datetime(base.year, base.month, base.day)
    try:
        data = parser.get_date_data(expression)
    except Exception:  # dateparser raises odd errors on odd input; an expression is not worth it
        return None
    if data is None or data.date_obj is None:
        return None
    return data.date_obj.date(), data.period or "day"


_WEEKDAY_NUMBERS = {
    name: number
    for number, name in enumerate(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    )
}
_MONTH_NUMBERS = {
    name: number
    for number, name in enumerate(
        [
            *("January", "February", "March", "April", "May", "June", "July", "August"),
            *("September", "October", "November", "December"),
        ],
        start=1,
    )
}
_MONTH_DAY = re.compile(r"(?P<month>[A-Z][a-z]+) (?P<day>[1-9]|[12][0-9]|3[01])")


def _quick_parse(expression: str, base: dt.date) -> tuple[dt.date, str] | None:
    """dateparser's answer for the two commonest expressions, without asking dateparser.

    A bare weekday ("Thursday") is the last such day strictly before ``base``; a month and day
    ("April 13", not February 29) the last one on or before ``base``: exactly what the parser
    of :func:`_parser` (past dates preferred) returns. Checked against dateparser 1.5 for every
    base day of 1975-2039 (weekdays) and of 2000, 2019-2021 and 2032 (months and days), and by
    ``tests/test_extract.py`` against the installed dateparser. dateparser takes about a
    millisecond a call, and these two forms are most of the calls. None: ask dateparser.
    """
    try:
        weekday = _WEEKDAY_NUMBERS.get(expression)
        if weekday is not None:
            back = (base.weekday() - weekday - 1) % 7 + 1
            return base - dt.timedelta(days=back), "day"
        match = _MONTH_DAY.fullmatch(expression)
        if match is None or match["month"] not in _MONTH_NUMBERS:
            return None
        month, day = _MONTH_NUMBERS[match["month"]], int(match["day"])
        if (month, day) == (2, 29):
            return None
        this_year = dt.date(base.year, month, day)
        if this_year <= base:
            return this_year, "day"
        return this_year.replace(year=base.year - 1), "day"
    except (ValueError, OverflowError):  # "April 31", or a base at the ends of the calendar
        return None


def _at(day: dt.date, precision: Precision) -> PartialDate:
    if precision is Precision.YEAR:
        return PartialDate(f"{day.year:04d}", Precision.YEAR)
    if precision is Precision.MONTH:
        return PartialDate(f"{day.year:04d}-{day.month:02d}", Precision.MONTH)
    if precision is Precision.WEEK:
        return PartialDate.week_of(day)
    return PartialDate(day.isoformat(), Precision.DAY)


_ORDER = [Precision.DAY, Precision.WEEK, Precision.MONTH, Precision.YEAR]


def _coarsen(date: PartialDate, published: PartialDate) -> PartialDate:
    """Relative to a month-precise publication date, a relative date is known to the month."""
    if published.precision in (Precision.MONTH, Precision.YEAR) and _ORDER.index(
        date.precision
    ) < _ORDER.index(published.precision):
        return _at(date.first_day, published.precision)
    return date


def _clamp(date: PartialDate, published: PartialDate) -> PartialDate | None:
    if date.first_day > published.last_day:
        return None
    return date
