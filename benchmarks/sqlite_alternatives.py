"""SQLite (standard library ``sqlite3``) stand-ins for the build's hand-written storage, to
measure against it (issue 13, item 4); ``benchmarks/bench_sqlite.py`` times them.

- :class:`SqliteSpool`: :class:`newsld.findings.spool.Spool`'s interface over a private temporary
  database: keys are encoded so that SQLite's byte order is Python's tuple order.
- :class:`SqliteStateWriter` and :func:`sqlite_previous_release`: the release state
  (:mod:`newsld.release.state`) as one database, ``state.sqlite``, in the same folder and with
  the same swap. Entries and summary batches keep their HMAC (SQLite checks no signatures);
  blobs are checked by digest as now. Two ways to carry the previous release forward:
  ``mode="attach"`` builds a new database and copies runs of unchanged entries with
  ``INSERT … SELECT`` from the previous one (``ATTACH``, read-only); ``mode="copy"`` copies the
  previous file and updates the changed rows in the copy (handles records changed in place, not
  records added or removed: those would need renumbering the positions after them).

Not used by the toolkit: these are measured, not adopted (see ``benchmarks/RESULTS-sqlite.md``).
"""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import struct
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from newsld.release.seal import Seal
from newsld.release.state import (
    _ENTRY,
    _INDEX,
    _META,
    SEPARATED,
    STATE_FORMAT,
    Entry,
    Signature,
    Stored,
    _folder,
    _Merge,
    blob_digest,
    signature,
)

Key = tuple[str | int, ...]
_INT = struct.Struct(">Q")
_INT_TAG, _STR_TAG = b"\x01", b"\x02"


def encode_key(key: Key) -> bytes:
    """A key as bytes whose ``memcmp`` order is the tuple order (ints before strings at the
    same place, which Python would refuse to compare anyway; a tuple before its extensions)."""
    parts = []
    for item in key:
        if isinstance(item, int):
            parts.append(_INT_TAG + _INT.pack(item + (1 << 63)))
        else:  # UTF-8 keeps code point order; NUL escaped, then a terminator below any byte
            parts.append(_STR_TAG + item.encode().replace(b"\0", b"\0\xff") + b"\0\0")
    return b"".join(parts)


def decode_key(data: bytes) -> Key:
    items: list[str | int] = []
    position = 0
    while position < len(data):
        tag = data[position : position + 1]
        position += 1
        if tag == _INT_TAG:
            items.append(_INT.unpack_from(data, position)[0] - (1 << 63))
            position += _INT.size
        else:
            end = data.index(b"\0\0", position)
            while data[end + 1 : end + 2] == b"\xff":  # an escaped NUL, not the terminator
                end = data.index(b"\0\0", end + 2)
            items.append(data[position:end].replace(b"\0\xff", b"\0").decode())
            position = end + 2
    return tuple(items)


class SqliteSpool:
    """:class:`newsld.findings.spool.Spool` over SQLite: a private temporary database (deleted on
    close), its pages in a bounded cache; SQLite's own sorter orders the lines when read."""

    BATCH = 1000  # pairs handed to executemany at a time

    def __init__(self, run: int = 10_000, unique: bool = False) -> None:
        self.unique = unique
        self._db = sqlite3.connect("")  # "": a temporary database on disk, not in memory
        self._db.execute("PRAGMA journal_mode=OFF")
        self._db.execute("PRAGMA synchronous=OFF")
        if unique:  # the first line of each key: the primary key refuses the later ones
            self._db.execute("CREATE TABLE pairs(k BLOB PRIMARY KEY, line TEXT) WITHOUT ROWID")
            self._insert = "INSERT OR IGNORE INTO pairs VALUES (?, ?)"
        else:
            self._db.execute("CREATE TABLE pairs(k BLOB, line TEXT)")
            self._insert = "INSERT INTO pairs VALUES (?, ?)"
        self._buffer: list[tuple[bytes, str]] = []

    def add(self, key: Key, line: str) -> None:
        self._buffer.append((encode_key(key), line))
        if len(self._buffer) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._db.executemany(self._insert, self._buffer)
            self._buffer = []

    def __iter__(self) -> Iterator[tuple[Key, str]]:
        self._flush()
        # BINARY collation: UTF-8 byte order, which is Python's code point order
        order = "k" if self.unique else "k, line"
        for key, line in self._db.execute(f"SELECT k, line FROM pairs ORDER BY {order}"):
            yield decode_key(key), line

    def close(self) -> None:
        self._buffer = []
        self._db.close()


STATE_FILE = "state.sqlite"
_SCHEMA = """
CREATE TABLE meta(id INTEGER PRIMARY KEY, sealed BLOB);
CREATE TABLE summaries(batch INTEGER PRIMARY KEY, mac BLOB, body BLOB);
CREATE TABLE records(pos INTEGER PRIMARY KEY, mac BLOB, body BLOB, minted BLOB, detail BLOB);
"""


def _connect(path: Path, *, read_only: bool = False) -> sqlite3.Connection:
    uri = f"file:{path}" + ("?mode=ro" if read_only else "")
    db = sqlite3.connect(uri, uri=True, isolation_level=None)
    if not read_only:  # a staging file: dropped whole when the build fails, as now
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
    return db


class SqlitePreviousRelease:
    """:class:`newsld.release.state.PreviousRelease` over ``state.sqlite`` (same lookups, in corpus
    order; ``Stored.extra`` is the entry's row)."""

    def __init__(self, path: Path, dumps: dict[str, Path], bases: Sequence[int], seal: Seal):
        self.path, self.dumps, self.seal = path, dumps, seal
        self.db = _connect(path, read_only=True)
        self._summaries = self.db.cursor()
        self._rows = self.db.cursor()
        self._index = _Merge(self._read_summaries())
        self._records = _Merge(self._read_entries(bases))

    def _read_summaries(self) -> Iterator[Any]:
        query = "SELECT mac, body FROM summaries ORDER BY batch"
        for mac, body in self._summaries.execute(query):
            if not self.seal.valid(_INDEX, body, mac):
                return
            yield from pickle.loads(body)

    def _read_entries(self, bases: Sequence[int]) -> Iterator[tuple[str, Stored]]:
        positions = list(bases)
        nodes = dict.fromkeys(SEPARATED, False)
        for pos, mac, body in self._rows.execute("SELECT pos, mac, body FROM records ORDER BY pos"):
            if not self.seal.valid(_ENTRY, body, mac):
                return
            entry = Entry._make(pickle.loads(body))
            lengths = entry.lengths
            for index, before in nodes.items():
                if lengths[index]:
                    positions[index] += before
                    nodes[index] = True
            yield entry.name, Stored(entry, b"", tuple(positions), pos)
            for index, length in enumerate(lengths):
                positions[index] += length

    def summary(self, name: str, current: Signature | None) -> Any | None:
        known = self._index.find(name)
        return known[2] if known and current is not None and known[1] == current else None

    def entry(self, name: str) -> Stored | None:
        found = self._records.find(name)
        return None if found is None else found[1]

    def _blob(self, column: str, stored: Stored, expected: bytes) -> bytes | None:
        query = f"SELECT {column} FROM records WHERE pos = ?"
        (blob,) = self.db.execute(query, (stored.extra,)).fetchone()
        if blob_digest(blob) == expected:
            return blob
        self.seal.rejected += 1
        return None

    def minted(self, stored: Stored) -> bytes | None:
        return self._blob("minted", stored, stored.entry.minted)

    def detail(self, stored: Stored) -> bytes | None:
        return self._blob("detail", stored, stored.entry.detail)

    def close(self) -> None:
        self._summaries.close()
        self._rows.close()
        self.db.close()


def sqlite_previous_release(
    cache_dir: Path, out_dir: Path, salt: str, seal: Seal
) -> SqlitePreviousRelease | None:
    path = _folder(cache_dir, out_dir) / STATE_FILE
    if not path.is_file():
        return None
    try:
        with _connect(path, read_only=True) as db:
            row = db.execute("SELECT sealed FROM meta WHERE id = 0").fetchone()
        data = seal.open(_META, row[0]) if row else None
        if data is None:
            return None
        meta = pickle.loads(data)
        if meta.get("format") != STATE_FORMAT or meta.get("salt") != salt:
            return None
        dumps = {name: out_dir / name for name in meta["dumps"]}
        if any(signature(p, racy=False) != meta["dumps"][n] for n, p in dumps.items()):
            return None
        return SqlitePreviousRelease(path, dumps, meta["bases"], seal)
    except (sqlite3.Error, pickle.UnpicklingError, KeyError, TypeError, ValueError):
        return None


class SqliteStateWriter:
    """:class:`newsld.release.state.StateWriter` over ``state.sqlite``; ``previous`` is the release
    the unchanged entries are kept from (``mode``: see the module's docstring)."""

    BATCH = 1000

    def __init__(
        self,
        cache_dir: Path,
        out_dir: Path,
        salt: str,
        seal: Seal,
        previous: SqlitePreviousRelease | None = None,
        mode: str = "attach",
    ) -> None:
        self.folder = _folder(cache_dir, out_dir)
        self.out_dir, self.salt, self.seal, self.mode = out_dir, salt, seal, mode
        self.staging = self.folder.with_name(self.folder.name + ".new")
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging.mkdir(parents=True)
        path = self.staging / STATE_FILE
        copying = mode == "copy" and previous is not None
        if copying:
            assert previous is not None
            shutil.copyfile(previous.path, path)  # the previous state stays as it was
        self.db = _connect(path)
        if previous is not None and not copying:  # (not within a transaction)
            self.db.execute("ATTACH DATABASE ? AS prev", (f"file:{previous.path}?mode=ro",))
        self.db.execute("BEGIN")
        if copying:
            self.db.execute("DELETE FROM summaries")  # rewritten whole, as now
            self.db.execute("DELETE FROM meta")
        else:
            for statement in _SCHEMA.strip().split(";\n"):
                self.db.execute(statement)
        self._summaries: list[Any] = []
        self._batch = 0
        self._rows: list[tuple[int, bytes, bytes, bytes, bytes]] = []
        self._pending: list[int] | None = None  # previous first row, rows, new first row
        self.position = 0  # the next entry's row

    def summary(self, name: str, current: Signature, summary: Any) -> None:
        self._summaries.append((name, current, summary))
        if len(self._summaries) >= self.BATCH:
            self._flush_summaries()

    def _flush_summaries(self) -> None:
        if self._summaries:
            body = pickle.dumps(self._summaries, protocol=pickle.HIGHEST_PROTOCOL)
            mac = self.seal.mac(_INDEX, body)
            self.db.execute("INSERT INTO summaries VALUES (?, ?, ?)", (self._batch, mac, body))
            self._batch += 1
            self._summaries = []

    def add(self, entry: Entry, minted: bytes, detail: bytes) -> None:
        self._copy_pending()
        body = pickle.dumps(tuple(entry), protocol=pickle.HIGHEST_PROTOCOL)
        mac = self.seal.mac(_ENTRY, body)
        self._rows.append((self.position, mac, body, minted, detail))
        self.position += 1
        if len(self._rows) >= self.BATCH:
            self._flush_rows()

    def _flush_rows(self) -> None:
        if self._rows:
            self.db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?, ?, ?)", self._rows)
            self._rows = []

    def keep(self, stored: Stored, previous: SqlitePreviousRelease) -> None:
        if self.mode == "copy":  # the row is in the copy already, at the same place
            if stored.extra != self.position:
                raise NotImplementedError("records added or removed: positions moved")
            self.position += 1
            return
        pending = self._pending
        if pending is not None and pending[0] + pending[1] == stored.extra:
            pending[1] += 1
        else:
            self._copy_pending()
            self._pending = [stored.extra, 1, self.position]
        self.position += 1

    def _copy_pending(self) -> None:
        if self._pending is None:
            return
        self._flush_rows()
        first, count, target = self._pending
        self._pending = None
        self.db.execute(
            "INSERT INTO records SELECT pos + ?, mac, body, minted, detail FROM prev.records "
            "WHERE pos BETWEEN ? AND ?",
            (target - first, first, first + count - 1),
        )

    def commit(self, dumps: list[str], bases: Sequence[int]) -> None:
        self._copy_pending()
        self._flush_rows()
        self._flush_summaries()
        self.db.execute("DELETE FROM records WHERE pos >= ?", (self.position,))
        meta = {
            "format": STATE_FORMAT,
            "salt": self.salt,
            "dumps": {name: signature(self.out_dir / name, racy=False) for name in dumps},
            "bases": tuple(bases),
        }
        data = pickle.dumps(meta, protocol=pickle.HIGHEST_PROTOCOL)
        self.db.execute("INSERT INTO meta VALUES (0, ?)", (self.seal.seal(_META, data),))
        self.db.execute("COMMIT")
        self.db.close()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.staging.rename(self.folder)

    def abandon(self) -> None:
        self.db.close()
        shutil.rmtree(self.staging, ignore_errors=True)


def file_size(folder: Path) -> int:
    return sum(os.path.getsize(p) for p in folder.iterdir() if p.is_file())
