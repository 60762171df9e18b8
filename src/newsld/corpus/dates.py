"""Dates known to a day, a week, a month or a year.

Written ``2018-06-10``, ``2018-W22`` (ISO week), ``2018-06`` or ``2018``. A week's lexical form in
RDF is its first day (Monday) with precision week.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass
from enum import StrEnum

_FORMS = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")
_WEEK = re.compile(r"^(?P<y>\d{4})-W(?P<w>\d{2})$")


class Precision(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date at a stated precision; ``text`` is the lexical form used in RDF."""

    text: str
    precision: Precision

    @classmethod
    def parse(cls, value: object) -> PartialDate:
        """Parse ``YYYY-MM-DD``, ``YYYY-Www``, ``YYYY-MM`` or ``YYYY``; raise ValueError why not."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError("expected a date written YYYY-MM-DD, YYYY-Www, YYYY-MM or YYYY")
        week = _WEEK.match(value.strip())
        if week:
            return cls.week_of(_iso_week_start(int(week["y"]), int(week["w"])))
        match = _FORMS.match(value.strip())
        if not match:
            raise ValueError("expected a date written YYYY-MM-DD, YYYY-Www, YYYY-MM or YYYY")
        year, month, day = match["y"], match["m"], match["d"]
        if int(year) < 1:
            raise ValueError("year 0000 does not exist")
        if month is not None and not 1 <= int(month) <= 12:
            raise ValueError(f"month {month} does not exist")
        if day is not None:
            try:
                dt.date(int(year), int(month), int(day))
            except ValueError:
                raise ValueError(f"{year}-{month} has no day {day}") from None
            return cls(value.strip(), Precision.DAY)
        if month is not None:
            return cls(value.strip(), Precision.MONTH)
        return cls(value.strip(), Precision.YEAR)

    @classmethod
    def week_of(cls, day: dt.date) -> PartialDate:
        """The ISO week (Monday to Sunday) that ``day`` falls in."""
        monday = day - dt.timedelta(days=day.weekday())
        return cls(monday.isoformat(), Precision.WEEK)

    @property
    def form(self) -> str:
        """How a record writes this date: the lexical form, or ``YYYY-Www`` for a week."""
        if self.precision is Precision.WEEK:
            year, week, _ = self.first_day.isocalendar()
            return f"{year}-W{week:02d}"
        return self.text

    @property
    def first_day(self) -> dt.date:
        return _first_day(self.text)

    @property
    def last_day(self) -> dt.date:
        parts = [int(p) for p in self.text.split("-")]
        if self.precision is Precision.WEEK:
            return dt.date(*parts) + dt.timedelta(days=6)
        if len(parts) == 3:
            return dt.date(*parts)
        month = parts[1] if len(parts) > 1 else 12
        return dt.date(parts[0], month, calendar.monthrange(parts[0], month)[1])

    def __str__(self) -> str:
        return self.text


@functools.lru_cache(maxsize=8192)
def _first_day(text: str) -> dt.date:
    """The first day of a lexical form (a week's is its Monday): records repeat days a lot,
    and every build checks every date against today."""
    parts = [int(p) for p in text.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _iso_week_start(year: int, week: int) -> dt.date:
    try:
        return dt.date.fromisocalendar(year, week, 1)
    except ValueError:
        raise ValueError(f"{year} has no ISO week {week:02d}") from None
