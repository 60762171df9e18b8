"""What every record of a corpus may need to know about the others: ids and publication dates.

A record's id is its file name's stem (the build reports any other id as an error), so the
corpus' sorted file names already index the ids: an id is found by bisection, and each record
adds only a small number for its date. The few records whose id is not their stem are kept
aside. At 100k records the dates take 0.4 MB where dicts keyed by id cost tens, and worker
processes inherit it at fork; a build that can reuse a previous release also keeps each record's
stat signature here (32 bytes a record).
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Sequence

from newsld.corpus.dates import PartialDate
from newsld.corpus.reader import split_suffix
from newsld.release.state import Signature

_NOT_INDEXED, _NO_DATE = 0, 1  # a record's number when it has no date in the index
_UNTRUSTED = (-1, -1, -1, -1)  # a signature that could not be taken or trusted


class CorpusIndex:
    """Ids and publication dates of a corpus' records (sorted file ``names``), indexed in
    order; and, in a build with a cache, each record's stat signature as the index saw it."""

    def __init__(self, names: Sequence[str], suffixes: Sequence[str]) -> None:
        self._names = names
        # stems more than one file has (None: unknown); any other stem names one record only
        self._shared_stems: frozenset[str] | None = getattr(names, "shared_stems", None)
        self._suffixes = tuple(suffixes)
        self._numbers = array("I")  # by position: _NOT_INDEXED, _NO_DATE or 2 + date number
        self._dates: list[PartialDate] = []  # distinct dates: many articles share a day
        self._date_numbers: dict[str, int] = {}  # date text → its number
        self._renamed: dict[int, str] = {}  # position → id, where the id is not the stem
        self._renamed_ids: dict[str, int] = {}  # id → first such position
        self._signatures = array("q")  # by position, four numbers each

    def add(self, position: int, key: str, date: str | None) -> int | None:
        """Index the record at ``position`` (positions in increasing order) with its id and
        date text; when an earlier record has that id, index nothing and return its
        position."""
        numbers = self._numbers
        while len(numbers) < position:
            numbers.append(_NOT_INDEXED)  # records that could not be read
        stem = split_suffix(self._names[position])[0]
        shared = self._shared_stems
        if stem == key and shared is not None and key not in shared:
            earlier = self._renamed_ids.get(key)  # only a record named otherwise can have it
        else:
            earlier = self.position(key)
        if earlier is not None:
            numbers.append(_NOT_INDEXED)
            return earlier
        numbers.append(self._number(date))
        if stem != key:
            self._renamed[position] = key
            self._renamed_ids.setdefault(key, position)
        return None

    def _number(self, date: str | None) -> int:
        if date is None:
            return _NO_DATE
        number = self._date_numbers.get(date)
        if number is None:
            number = self._date_numbers[date] = len(self._dates)
            self._dates.append(PartialDate.parse(date))
        return number + 2

    def position(self, key: str) -> int | None:
        """Where the (first) record with id ``key`` is, if indexed."""
        found = self._renamed_ids.get(key)
        names, numbers = self._names, self._numbers
        for suffix in self._suffixes:
            name = key + suffix
            at = bisect_left(names, name, hi=len(numbers))
            if (
                at < len(numbers)
                and numbers[at] != _NOT_INDEXED
                and names[at] == name
                and at not in self._renamed
            ):
                found = at if found is None else min(found, at)
        return found

    def __contains__(self, key: str) -> bool:
        return self.position(key) is not None

    def date(self, key: str) -> PartialDate | None:
        """The publication date of the record with id ``key``; None when it has none or there
        is no such record."""
        position = self.position(key)
        return None if position is None else self.date_at(position)

    def date_at(self, position: int) -> PartialDate | None:
        """The date of the record at ``position``: one object per distinct date."""
        number = self._numbers[position] if position < len(self._numbers) else _NOT_INDEXED
        return self._dates[number - 2] if number >= 2 else None

    def add_signature(self, current: Signature | None) -> None:
        """The next record's stat signature (in order), None when untrusted."""
        self._signatures.extend(current or _UNTRUSTED)

    def signature(self, position: int) -> Signature | None:
        """The record's signature as :meth:`add_signature` got it; None when untrusted or
        never taken."""
        if 4 * position >= len(self._signatures):
            return None
        size, mtime, ctime, inode = self._signatures[4 * position : 4 * position + 4]
        return None if size < 0 else (size, mtime, ctime, inode)

    def has_signatures(self) -> bool:
        return bool(self._signatures)
