"""Sorting more lines than a build should hold in memory: sorted runs on disk, merged on read.

A build of a large corpus produces one or two findings and two input files per record; keeping
them all in memory until the end would make peak memory grow with the corpus. A :class:`Spool`
keeps a bounded buffer, writes it out as a sorted run when full, and merges the runs (and what is
still buffered) lazily when read.
"""

from __future__ import annotations

import heapq
import pickle
import tempfile
from collections.abc import Iterator
from typing import IO

Key = tuple[str | int, ...]
CHUNK = 256  # pairs per pickle in a run on disk (the merge holds one chunk of each run)


class Spool:
    """``(key, line)`` pairs read back in key order; keys are tuples of str and int, lines are
    strings (JSON, say). Read it once or many times, one reader at a time; close it when
    done."""

    def __init__(self, run: int = 10_000, unique: bool = False) -> None:
        self.run = run  # pairs held in memory before a sorted run goes to disk
        self.unique = unique  # keep only the first line of each key
        self._buffer: list[tuple[Key, str]] = []
        self._runs: list[IO[bytes]] = []

    def add(self, key: Key, line: str) -> None:
        self._buffer.append((key, line))
        if len(self._buffer) >= self.run:
            self._spill()

    def _spill(self) -> None:
        run = tempfile.TemporaryFile("w+b")  # noqa: SIM115 (closed by close)
        pairs = self._sorted_buffer()
        for start in range(0, len(pairs), CHUNK):
            pickle.dump(pairs[start : start + CHUNK], run, protocol=pickle.HIGHEST_PROTOCOL)
        self._runs.append(run)
        self._buffer = []

    def _sorted_buffer(self) -> list[tuple[Key, str]]:
        return sorted(self._buffer, key=_first) if self.unique else sorted(self._buffer)

    def __iter__(self) -> Iterator[tuple[Key, str]]:
        runs = [self._sorted_buffer(), *map(_read_run, self._runs)]
        # unique: by key alone (equal keys have equal lines); else by key, then line, so that
        # the order never depends on where the runs were cut
        merged = heapq.merge(*runs, key=_first) if self.unique else heapq.merge(*runs)
        last: Key | None = None
        for key, line in merged:
            if self.unique and key == last:
                continue
            last = key
            yield key, line

    def close(self) -> None:
        for run in self._runs:
            run.close()
        self._runs, self._buffer = [], []


def _first(pair: tuple[Key, str]) -> Key:
    return pair[0]


def _read_run(run: IO[bytes]) -> Iterator[tuple[Key, str]]:
    """A run's pairs, a chunk at a time (the merge holds one chunk of each run)."""
    run.seek(0)
    while True:
        try:
            chunk = pickle.load(run)
        except EOFError:
            return
        yield from chunk
