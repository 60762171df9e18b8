"""What every record of a corpus may need to know about the others: ids and publication dates.

A record's id is its file name's stem (the build reports any other id as an error), so the
corpus' sorted file names already index the ids: an id is found by bisection, and each record
adds only a small number for its date. The few records whose id is not their stem are kept
aside. At 100k records the dates take 0.4 MB where dicts keyed by id cost tens, and worker
processes inherit it at fork; a build that can reuse a previous release also keeps each record's
stat signature here (32 bytes a record).
"""

from __future__ import annotations

import os
from array import array
from bisect import bisect_left
from collections.abc import Sequence
from pathlib import Path

from newsld.corpus.dates import PartialDate
from newsld.corpus.files import MAX_RECORD_BYTES, display_path, quick_read, read_source, stable_name
from newsld.corpus.reader import RECORD_SUFFIXES, Corpus, parse_model, quick_summary, split_suffix
from newsld.corpus.records import ArticleRecord
from newsld.findings.report import Finding, finding
from newsld.release.cache import BuildCache
from newsld.release.state import PreviousRelease, Signature, StateWriter, signature

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


def _index(
    corpus: Corpus,
    cache: BuildCache | None,
    previous: PreviousRelease | None = None,
    state: StateWriter | None = None,
) -> tuple[CorpusIndex, list[Finding]]:
    """Ids and dates of every record; a record is read only when the previous release does not
    know it unchanged, and its YAML parsed only when it does not write them the plain way and
    the cache has not seen it. ``state`` records what the next build may trust."""
    records = corpus.record_paths
    index = CorpusIndex(records.names, RECORD_SUFFIXES)
    findings: list[Finding] = []
    folder = os.path.join(str(records.folder), "")  # plain strings: 100k path objects cost
    prefix = stable_name(records.folder / "-", corpus.root)[:-1]
    for position, file_name in enumerate(records.names):
        name = prefix + file_name
        current = signature(folder + file_name) if state is not None else None
        if previous is not None:  # what the loop compares the previous release's with
            index.add_signature(current)
        summary = previous.summary(name, current) if previous else None
        if summary is None:
            summary = _summary(folder + file_name, corpus, cache)
        if summary is None:
            continue
        if state is not None and current is not None:
            state.summary(name, current, summary)
        key, date_text, line = summary
        earlier = index.add(position, key, date_text)
        if earlier is not None:
            findings.append(
                finding(
                    "record/duplicate-id",
                    file=display_path(records[position], corpus.root),
                    line=line,
                    field="id",
                    id=key,
                    other=display_path(records[earlier], corpus.root),
                )
            )
    return index, findings


def _summary(
    path: str, corpus: Corpus, cache: BuildCache | None
) -> tuple[str, str | None, int | None] | None:
    summary = _quick_summary(path)
    if summary is not None:
        return summary
    source, _ = read_source(Path(path), corpus.root, MAX_RECORD_BYTES)
    if source is None:
        return None
    summary = cache.get("index", source.sha256) if cache else None
    if summary is None:
        record, doc, _ = parse_model(source, ArticleRecord)
        if record is None or doc is None:
            return None
        position = doc.position(("id",))
        date = record.date_published.text if record.date_published else None
        summary = (record.id, date, position.line if position else None)
        if cache:
            cache.put("index", source.sha256, summary)
    return summary


def _quick_summary(path: str) -> tuple[str, str | None, int] | None:
    """:func:`quick_summary` of a record read the plainest way (no hash, no names for findings:
    a record that is not a plain regular file of readable UTF-8 within the size limit, such as
    a link, a named pipe or a device, goes the general way, which refuses what it must)."""
    data = quick_read(path, MAX_RECORD_BYTES)
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return quick_summary(text.removeprefix("\ufeff"))
