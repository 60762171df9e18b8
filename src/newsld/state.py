"""What the last release was made of, so the next build can reuse it instead of redoing it.

After a successful build with a cache folder, the cache keeps, for the release it just wrote:
each record's file signatures (size, modification and change times, inode — the same trust
``git`` and ``make`` place in ``stat``), its outcome (findings, counts, dependencies) and where its
named graph lies in each dump. The next build into the same folder stats each record instead of
reading it, re-checks the dependencies in memory, and copies unchanged graphs byte for byte from
the previous dumps (consecutive ones in one system call), so an edit to one record of 100k costs
about what that record costs, plus a pass over file metadata.

Anything that does not match exactly — the toolkit, options, shapes (the cache salt), the dumps
themselves, a record's signature, a dependency — means the record goes the ordinary way: cache,
then computation. Records are streamed in corpus order on both sides, so memory stays flat.
The state is replaced only after the release it describes is in place.
"""

from __future__ import annotations

import os
import pickle
import shutil
import struct
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

from .cache import digest

STATE_FORMAT = 1
RACY_NS = 3_000_000_000  # a file changed this close to when it was seen is not trusted by stat

Signature = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def signature(path: str | Path, *, racy: bool = True) -> Signature | None:
    """A file's stat signature; None when it cannot be trusted (unreadable, or so fresh that a
    change within the file system's timestamp granularity could go unseen)."""
    try:
        stat = os.stat(path)
    except OSError:
        return None
    if racy and time.time_ns() - max(stat.st_mtime_ns, stat.st_ctime_ns) < RACY_NS:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)


@dataclass
class Segment:
    """Where one record's named graph lies in each dump (byte offsets, in ``DumpWriter.files``
    order), and what it counts toward the dataset description."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]
    triples: int
    subjects: int
    classes: tuple[tuple[str, int], ...] = ()  # class IRI, instances (a Counter pickles slowly)


class Entry(NamedTuple):
    """One record of the previous release."""

    name: str  # path relative to the corpus' parent (the stable part of the display path)
    display: str  # as findings show it (depends on the working directory)
    record: Signature
    text: Signature
    segment: Segment
    payload: bytes  # the pickled build.Outcome (findings as log rows, nothing rendered)

    def outcome(self) -> Any:
        return pickle.loads(self.payload)


def _order(name: str) -> list[str]:
    return name.split("/")  # the corpus' order (sorted paths; names are POSIX paths)


class PreviousRelease:
    """The state of the release in ``out_dir`` when it is exactly the one the cache recorded."""

    def __init__(self, folder: Path, dumps: dict[str, Path]) -> None:
        self.folder = folder
        self.dumps = dumps  # dump name → its path in the live release
        self._streams: list[IO[bytes]] = []
        self._index = _Merge(_read_batches(self._open("index.pickle")))  # (name, sig, summary)
        self._records = _Merge(_read_entries(self._open("records.bin")))

    def _open(self, name: str) -> IO[bytes]:
        stream = (self.folder / name).open("rb", buffering=1 << 16)
        self._streams.append(stream)
        return stream

    def summary(self, name: str, current: Signature | None) -> Any | None:
        """The record's id, date text and id line, when its file did not change; names must
        be asked in corpus order."""
        known = self._index.find(name)
        return known[2] if known and current is not None and known[1] == current else None

    def entry(self, name: str) -> Entry | None:
        """The previous entry for ``name``; names must be asked in corpus order."""
        found: Entry | None = self._records.find(name)
        return found

    def open_dumps(self) -> dict[str, int]:
        return {name: os.open(path, os.O_RDONLY) for name, path in self.dumps.items()}

    def close(self) -> None:
        for stream in self._streams:
            stream.close()


class _Merge:
    """A stream of items in corpus order (each item's first field is its record name), looked
    up by names asked in corpus order too: a merge join, holding one item at a time."""

    def __init__(self, items: Iterator[Any]) -> None:
        self._items = items
        self._head = next(items, None)

    def find(self, name: str) -> Any | None:
        if self._head is not None and self._head[0] == name:
            return self._head  # the common case: the corpus did not change here
        wanted = _order(name)
        while self._head is not None and _order(self._head[0]) < wanted:
            self._head = next(self._items, None)
        if self._head is not None and self._head[0] == name:
            return self._head
        return None


_FRAME = struct.Struct(">II")  # an entry's header and payload lengths


def _write_entry(stream: IO[bytes], entry: Entry) -> None:
    """An entry as its small pickled header, then its payload as is (already pickled)."""
    header = pickle.dumps(entry[:-1], protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_FRAME.pack(len(header), len(entry.payload)) + header + entry.payload)


def _read_entries(stream: IO[bytes]) -> Iterator[Entry]:
    try:
        while frame := stream.read(_FRAME.size):
            header_size, payload_size = _FRAME.unpack(frame)
            header = pickle.loads(stream.read(header_size))
            payload = stream.read(payload_size)
            if len(payload) != payload_size:
                return  # a truncated tail: what follows is computed again
            yield Entry(*header, payload)
    except (struct.error, pickle.UnpicklingError, EOFError, TypeError, ValueError):
        return  # damaged: what follows is computed again
    except (AttributeError, ImportError):
        return


def _read_batches(stream: IO[bytes]) -> Iterator[Any]:
    """Items pickled in lists (see :class:`_Batches`)."""
    while True:
        try:
            items = pickle.load(stream)
        except EOFError:
            return
        except (pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
            return  # a damaged tail: what follows is computed again
        if not isinstance(items, list):
            return
        yield from items


class _Batches:
    """Small items pickled a thousand at a time (one call each would cost more than the item)."""

    SIZE = 1000

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.items: list[Any] = []

    def add(self, item: Any) -> None:
        self.items.append(item)
        if len(self.items) >= self.SIZE:
            self.flush()

    def flush(self) -> None:
        if self.items:
            pickle.dump(self.items, self.stream, protocol=pickle.HIGHEST_PROTOCOL)
            self.items = []


def _folder(cache_dir: Path, out_dir: Path) -> Path:
    return cache_dir / "releases" / digest(str(out_dir))[:24]


def previous_release(cache_dir: Path, out_dir: Path, salt: str) -> PreviousRelease | None:
    """The recorded state of ``out_dir``, or None when there is none or it does not match."""
    folder = _folder(cache_dir, out_dir)
    try:
        with (folder / "meta.pickle").open("rb") as stream:
            meta = pickle.load(stream)
        if meta.get("format") != STATE_FORMAT or meta.get("salt") != salt:
            return None
        dumps = {name: out_dir / name for name in meta["dumps"]}
        if any(signature(p, racy=False) != meta["dumps"][n] for n, p in dumps.items()):
            return None  # the release was touched since: nothing in it can be trusted
        return PreviousRelease(folder, dumps)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, KeyError, ValueError):
        return None


class StateWriter:
    """Records the release being built; :meth:`commit` makes it current once it is in place."""

    def __init__(self, cache_dir: Path, out_dir: Path, salt: str) -> None:
        self.folder = _folder(cache_dir, out_dir)
        self.out_dir, self.salt = out_dir, salt
        self.staging = self.folder.with_name(self.folder.name + ".new")
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        self._index = (self.staging / "index.pickle").open("wb")
        self._summaries = _Batches(self._index)
        self._records = (self.staging / "records.bin").open("wb")

    def summary(self, name: str, current: Signature, summary: Any) -> None:
        """A record's id, date and id line, as the index saw them; in corpus order."""
        self._summaries.add((name, current, summary))

    def add(self, entry: Entry) -> None:
        _write_entry(self._records, entry)

    def commit(self, dumps: list[str]) -> None:
        """Call after the release is in ``out_dir``: its dumps' signatures seal the state."""
        self._records.close()
        self._summaries.flush()
        self._index.close()
        meta = {
            "format": STATE_FORMAT,
            "salt": self.salt,
            "dumps": {name: signature(self.out_dir / name, racy=False) for name in dumps},
        }
        with (self.staging / "meta.pickle").open("wb") as stream:
            pickle.dump(meta, stream, protocol=pickle.HIGHEST_PROTOCOL)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.staging.rename(self.folder)

    def abandon(self) -> None:
        self._records.close()
        self._index.close()
        shutil.rmtree(self.staging, ignore_errors=True)
