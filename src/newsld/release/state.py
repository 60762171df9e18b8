"""What the last release was made of, so the next build can reuse it instead of redoing it.

After a successful build with a cache folder, the cache keeps, for the release it just wrote,
one entry per named graph in its dumps, in dump order: the record's file signatures (size,
modification and change times, inode — the same trust ``git`` and ``make`` place in ``stat``),
what its outcome contributed (findings, inputs, counts), what it depends on, and the length of
its graph in each dump. The next build into the same folder stats each record instead of
reading it, re-checks the dependencies in memory and copies unchanged graphs byte for byte from
the previous dumps, so an edit to one record of 100k costs about what that record costs, plus a
pass over file metadata.

Entries hold lengths, never offsets: an unchanged record's entry is the same bytes in the next
state, so it is written back as read, and its larger blobs (``extra.bin``: the nodes it minted,
its registry look-ups) are copied by the kernel in runs, read only when needed (a changed
registry, nodes not absorbed yet).

Every pickle here is signed (:mod:`.seal`) and unpickled only when its signature holds:
``meta.bin`` and each batch of ``index.bin`` behind an HMAC, each entry of ``records.bin`` framed
with its own (so an unchanged entry, copied as it was, keeps a valid one), and the blobs of
``extra.bin`` through their digests, which the signed entries carry. An unsigned or damaged
piece is a miss: what it would have given is computed again.

Anything that does not match exactly — the toolkit, options, shapes (the cache salt), the dumps
themselves, a record's signature, a dependency — means the record goes the ordinary way: cache,
then computation. Records are streamed in corpus order on both sides, so memory stays flat.
The state is replaced only after the release it describes is in place.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import struct
import time
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple

from newsld.findings.report import Row
from newsld.release.cache import digest
from newsld.release.seal import MAC_BYTES, Seal
from newsld.render.sink import Sink

# 9: the graph index is a dump too (eight lengths), and each identity bucket is its own graph;
# 8: an appearance row names its article's publisher (outlet and speaker counts);
# 7: entries keep their appearances (the identity pass); 6: the flat exports and the ClaimReview
# feed are dumps too (seven lengths); 5: entries keep their review rows; 4: signed (frames, blob
# digests)
STATE_FORMAT = 9
RACY_NS = 3_000_000_000  # a file changed this close to when it was seen is not trusted by stat
SEPARATED = (3,)  # the dumps whose graphs are separated by a comma (DumpWriter.SEPARATED)

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


class Entry(NamedTuple):
    """One named graph of a release, as the next build needs it to reuse the graph."""

    name: str  # the record's path relative to the corpus' parent
    display: str  # as findings show it (depends on the working directory)
    record: Signature | None  # None: in the dumps, but not to be reused
    text: Signature | None
    text_name: str  # the text file's path relative to the corpus' parent
    latest: str  # the latest day any of its dates can mean (ISO)
    registry: str  # the registry's sha256 it was computed with
    linked: tuple[tuple[str, str | None], ...]  # linked article key → its publication date
    key: str
    counts: tuple[int, int, int, int]  # claims, events, extracted claims, extracted events
    inputs: tuple[tuple[str, str], ...]  # file name → sha256
    rows: tuple[Row, ...]  # its findings, as the log keeps them
    lengths: tuple[int, ...]  # bytes of its graph in each dump (JSON: without the comma)
    triples: int
    subjects: int
    classes: tuple[tuple[str, int], ...]  # class IRI, instances
    minted: bytes  # digest of its minted nodes' blob (empty: none)
    extra: tuple[int, int]  # bytes in extra.bin: the minted blob, then the dependency detail
    detail: bytes  # digest of the dependency detail (the blobs are checked by their digests)
    review: tuple[tuple[str, str], ...] = ()  # its withheld claims: (why, line of review.jsonl)
    # its claims' and events' appearances (newsld.rdf.identity.Row), for the identity pass
    appearances: tuple[tuple[str, str, str, str, str, str, str, str], ...] = ()
    feed: bytes = b""  # its part of the ClaimReview feed (written after the identity pass)


class IdentityPart(NamedTuple):
    """One bucket of the identity graph in the dumps (see :mod:`newsld.rdf.identity`): reused,
    copied from where it lies, when the next build's bucket has the same digest."""

    digest: str  # of the bucket's appearances
    starts: tuple[int, ...]  # where it starts in each dump (JSON: after the comma)
    lengths: tuple[int, ...]  # its bytes in each dump
    counts: tuple[int, int, tuple[tuple[str, int], ...]]  # triples, subjects, classes
    stats: tuple[int, int, int, int, tuple[tuple[str, int], ...]]  # its BucketStats


class Stored(NamedTuple):
    """An entry of the previous state, with where its graph and blobs lie there."""

    entry: Entry
    frame: bytes  # the entry as stored: an unchanged record's entry is written back as is
    starts: tuple[int, ...]  # where its graph starts in each previous dump
    extra: int  # where its blobs start in the previous extra.bin


_LENGTH = struct.Struct(">I")
_ENTRY = b"state:entry"  # what each signature is for (see Seal.mac)
_INDEX = b"state:index"
_META = b"state:meta"


def blob_digest(blob: bytes) -> bytes:
    """How entries name their blobs in ``extra.bin`` (and records that mint the same nodes
    find they share them)."""
    return hashlib.blake2b(blob, digest_size=16).digest()


def pack_detail(references: Any, lookups: Any) -> bytes:
    """A record's registry references and look-ups, compressed: they are read only when the
    registry changed, but copied with every unchanged record (some 3 KB each, pickled)."""
    return zlib.compress(pickle.dumps((references, lookups), protocol=pickle.HIGHEST_PROTOCOL), 1)


def _order(name: str) -> list[str]:
    return name.split("/")  # the corpus' order (sorted paths; names are POSIX paths)


class PreviousRelease:
    """The state of the release in ``out_dir`` when it is exactly the one the cache recorded."""

    def __init__(
        self, folder: Path, dumps: dict[str, Path], bases: Sequence[int], seal: Seal
    ) -> None:
        self.folder = folder
        self.dumps = dumps  # dump name → its path in the live release
        self.seal = seal
        self._streams: list[IO[bytes]] = []
        index = _read_batches(self._open("index.bin"), seal)
        self._index = _Merge(index)  # (name, signature, summary)
        self._records = _Merge(_read_entries(self._open("records.bin"), bases, seal))
        self.extra = os.open(folder / "extra.bin", os.O_RDONLY)
        self.identity: dict[int, IdentityPart] = {}  # the identity graph's buckets, by number

    def _open(self, name: str) -> IO[bytes]:
        stream = (self.folder / name).open("rb", buffering=1 << 16)
        self._streams.append(stream)
        return stream

    def summary(self, name: str, current: Signature | None) -> Any | None:
        """The record's id, date text and id line, when its file did not change; names must
        be asked in corpus order."""
        known = self._index.find(name)
        return known[2] if known and current is not None and known[1] == current else None

    def entry(self, name: str) -> Stored | None:
        """The previous entry for ``name``; names must be asked in corpus order."""
        found = self._records.find(name)
        return None if found is None else found[1]

    def minted(self, stored: Stored) -> bytes | None:
        """The entry's minted nodes' blob; None when it is not the one the entry names."""
        blob = os.pread(self.extra, stored.entry.extra[0], stored.extra)
        return blob if self._checked(blob, stored.entry.minted) else None

    def detail(self, stored: Stored) -> tuple[Any, Any] | None:
        """The entry's registry references and look-ups, as :func:`pack_detail` packed them;
        None when the bytes are not the ones the entry names."""
        minted, size = stored.entry.extra
        blob = os.pread(self.extra, size, stored.extra + minted)
        if not self._checked(blob, stored.entry.detail):
            return None
        references, lookups = pickle.loads(zlib.decompress(blob))
        return references, lookups

    def _checked(self, blob: bytes, expected: bytes) -> bool:
        if blob_digest(blob) == expected:
            return True
        self.seal.rejected += 1
        return False

    def open_dumps(self) -> list[int]:
        return [os.open(path, os.O_RDONLY) for path in self.dumps.values()]

    def close(self) -> None:
        for stream in self._streams:
            stream.close()
        os.close(self.extra)


class _Merge:
    """A stream of items in corpus order (each item's first field is its record name), looked
    up by names asked in corpus order too: a merge join, holding one item at a time."""

    def __init__(self, items: Iterator[Any]) -> None:
        self._items = items
        self._head = next(items, None)

    def find(self, name: str) -> Any | None:
        """The item for ``name``, consumed: each name is asked once."""
        head = self._head
        if head is not None and head[0] != name:  # the corpus changed here
            wanted = _order(name)
            while head is not None and _order(head[0]) < wanted:
                head = next(self._items, None)
        if head is not None and head[0] == name:
            self._head = next(self._items, None)
            return head
        self._head = head
        return None


def _frame(seal: Seal, purpose: bytes, body: bytes) -> bytes:
    """``body`` as stored: its length, its signature, itself."""
    return _LENGTH.pack(len(body)) + seal.mac(purpose, body) + body


def _frames(stream: IO[bytes], seal: Seal, purpose: bytes) -> Iterator[tuple[bytes, bytes]]:
    """The bodies of the frames in ``stream`` with each frame as stored, up to the first one
    that is truncated or not signed by ``seal`` (what follows is computed again)."""
    header = _LENGTH.size + MAC_BYTES
    while head := stream.read(header):
        if len(head) != header:
            return
        (size,) = _LENGTH.unpack_from(head)
        body = stream.read(size)
        if len(body) != size or not seal.valid(purpose, body, head[_LENGTH.size :]):
            return
        yield body, head + body


def _read_entries(
    stream: IO[bytes], bases: Sequence[int], seal: Seal
) -> Iterator[tuple[str, Stored]]:
    """Entries in order, each with where its graph starts in the dumps: the dumps' first graph
    starts at ``bases``, each next one where the one before ended (after a comma in JSON-LD,
    between graphs that have nodes there)."""
    positions = list(bases)
    extra = 0
    nodes = dict.fromkeys(SEPARATED, False)  # whether a graph with JSON items came before
    for body, frame in _frames(stream, seal, _ENTRY):
        try:
            entry = Entry._make(pickle.loads(body))
        except (pickle.UnpicklingError, EOFError, TypeError, ValueError, AttributeError):
            return  # damaged: what follows is computed again
        lengths = entry.lengths
        if len(lengths) != len(positions):
            return  # not this format's: computed again
        for index, before in nodes.items():
            if lengths[index]:
                positions[index] += before  # the comma
                nodes[index] = True
        yield entry.name, Stored(entry, frame, tuple(positions), extra)
        for index, length in enumerate(lengths):
            positions[index] += length
        extra += entry.extra[0] + entry.extra[1]


def _read_batches(stream: IO[bytes], seal: Seal) -> Iterator[Any]:
    """Items pickled in signed lists (see :class:`_Batches`)."""
    for body, _ in _frames(stream, seal, _INDEX):
        try:
            items = pickle.loads(body)
        except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            return  # a damaged tail: what follows is computed again
        if not isinstance(items, list):
            return
        yield from items


class _Batches:
    """Small items pickled a thousand at a time (one call each would cost more than the item),
    each batch signed."""

    SIZE = 1000

    def __init__(self, stream: IO[bytes], seal: Seal) -> None:
        self.stream = stream
        self.seal = seal
        self.items: list[Any] = []

    def add(self, item: Any) -> None:
        self.items.append(item)
        if len(self.items) >= self.SIZE:
            self.flush()

    def flush(self) -> None:
        if self.items:
            body = pickle.dumps(self.items, protocol=pickle.HIGHEST_PROTOCOL)
            self.stream.write(_frame(self.seal, _INDEX, body))
            self.items = []


def _folder(cache_dir: Path, out_dir: Path) -> Path:
    return cache_dir / "releases" / digest(str(out_dir))[:24]


def previous_release(
    cache_dir: Path, out_dir: Path, salt: str, seal: Seal
) -> PreviousRelease | None:
    """The recorded state of ``out_dir``, or None when there is none, it does not match or it
    is not signed by ``seal``."""
    folder = _folder(cache_dir, out_dir)
    try:
        with (folder / "meta.bin").open("rb") as stream:
            data = seal.open(_META, stream.read())
        if data is None:
            return None  # not ours: never unpickled
        meta = pickle.loads(data)
        if meta.get("format") != STATE_FORMAT or meta.get("salt") != salt:
            return None
        dumps = {name: out_dir / name for name in meta["dumps"]}
        if any(signature(p, racy=False) != meta["dumps"][n] for n, p in dumps.items()):
            return None  # the release was touched since: nothing in it can be trusted
        previous = PreviousRelease(folder, dumps, meta["bases"], seal)
        previous.identity = {b: IdentityPart(*part) for b, part in meta["identity"].items()}
        return previous
    except (
        OSError,
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        ImportError,
        KeyError,
        TypeError,
        ValueError,
    ):
        return None


class StateWriter:
    """Records the release being built; :meth:`commit` makes it current once it is in place."""

    def __init__(self, cache_dir: Path, out_dir: Path, salt: str, seal: Seal) -> None:
        self.folder = _folder(cache_dir, out_dir)
        self.out_dir, self.salt, self.seal = out_dir, salt, seal
        self.staging = self.folder.with_name(self.folder.name + ".new")
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        self._index = (self.staging / "index.bin").open("wb")
        self._summaries = _Batches(self._index, seal)
        self._records = Sink(self.staging / "records.bin")
        self._extra = Sink(self.staging / "extra.bin")

    def summary(self, name: str, current: Signature, summary: Any) -> None:
        """A record's id, date and id line, as the index saw them; in corpus order."""
        self._summaries.add((name, current, summary))

    def add(self, entry: Entry, minted: bytes, detail: bytes) -> None:
        """The next graph in the dumps, with its blobs (``entry.extra`` gives their sizes)."""
        body = pickle.dumps(tuple(entry), protocol=pickle.HIGHEST_PROTOCOL)
        self._records.write(_frame(self.seal, _ENTRY, body))
        self._extra.write(minted + detail)

    def keep(self, stored: Stored, previous: PreviousRelease) -> None:
        """The next graph in the dumps is a previous one, copied as it was."""
        self._records.write(stored.frame)
        self._extra.copy(previous.extra, stored.extra, sum(stored.entry.extra))

    def commit(
        self,
        dumps: list[str],
        bases: Sequence[int],
        identity: dict[int, IdentityPart] | None = None,
    ) -> None:
        """Call after the release is in ``out_dir``: its dumps' signatures seal the state.
        ``bases``: where the first graph starts in each dump; ``identity``: where each bucket
        of the identity graph lies in them."""
        self._close()
        meta = {
            "format": STATE_FORMAT,
            "salt": self.salt,
            "dumps": {name: signature(self.out_dir / name, racy=False) for name in dumps},
            "bases": tuple(bases),
            "identity": {bucket: tuple(part) for bucket, part in (identity or {}).items()},
        }
        data = pickle.dumps(meta, protocol=pickle.HIGHEST_PROTOCOL)
        with (self.staging / "meta.bin").open("wb") as stream:
            stream.write(self.seal.seal(_META, data))
        shutil.rmtree(self.folder, ignore_errors=True)
        self.staging.rename(self.folder)

    def _close(self) -> None:
        self._summaries.flush()
        self._index.close()
        self._records.close()
        self._extra.close()

    def abandon(self) -> None:
        self._index.close()
        self._records.discard()
        self._extra.discard()
        shutil.rmtree(self.staging, ignore_errors=True)
