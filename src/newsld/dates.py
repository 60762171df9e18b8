"""Dates known to a day, a month or a year, written ``2018-06-10``, ``2018-06`` or ``2018``."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

_FORMS = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")


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
        """Parse ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``; raise ValueError with the reason."""
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ValueError("expected a date written YYYY-MM-DD, YYYY-MM or YYYY")
        match = _FORMS.match(value.strip())
        if not match:
            raise ValueError("expected a date written YYYY-MM-DD, YYYY-MM or YYYY")
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

    @property
    def first_day(self) -> dt.date:
        parts = [int(p) for p in self.text.split("-")]
        return dt.date(
            parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
        )

    @property
    def last_day(self) -> dt.date:
        parts = [int(p) for p in self.text.split("-")]
        if len(parts) == 3:
            return dt.date(*parts)
        month = parts[1] if len(parts) > 1 else 12
        return dt.date(parts[0], month, calendar.monthrange(parts[0], month)[1])

    def __str__(self) -> str:
        return self.text
