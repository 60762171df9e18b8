"""The embedded store: the release loaded into an on-disk pyoxigraph store, built once.

The store lives outside the release (by default ``.newsld-store/<release folder name>/`` beside
it), in a sub-folder named after the release key — the sha256s the manifest gives for the
N-Quads dump and ``void.ttl``. Opening the store for a release whose key already has a folder
reuses it (opening it takes milliseconds); a new release gets a new folder, built with
pyoxigraph's bulk loader in a temporary folder and renamed into place in one step, so a
half-built store is never used. Builders take a lock (``.lock``, ``flock``) first, so two
processes asking at once for a fresh release build it once: the second waits, then reuses it.
Older stores are removed, except one a running ``newsld serve`` uses.

:func:`build_store` is also the offline load (``newsld load --offline DIR``): the same bulk
load into a folder ``oxigraph serve --location DIR`` then serves.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from newsld.release.reader import Release, description_graph, open_nquads

STORE_FOLDER = ".newsld-store"
FORMAT = "1"  # bump when the store layout changes: old stores are then rebuilt
_BUILDING = ".building-"
_SERVING = ".serving-"


class StoreError(Exception):
    """The store folder cannot be created or opened."""


@dataclass(frozen=True)
class StoreInfo:
    path: Path  # the pyoxigraph (RocksDB) folder of this release
    key: str
    built: bool  # False when an existing store was reused
    seconds: float  # time spent building (0 when reused)


def default_store_root(release_dir: Path) -> Path:
    """``.newsld-store/<name>`` beside the release folder (never inside it)."""
    release_dir = release_dir.resolve()
    return release_dir.parent / STORE_FOLDER / release_dir.name


def _store_key(release: Release) -> str:
    return f"{release.key()[:32]}-v{FORMAT}-ox{ox.__version__}"


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _marker_pid(marker: Path, prefix: str) -> int | None:
    """The PID in ``KEY.serving-PID`` or ``.building-PID-KEY``."""
    try:
        return int(marker.name.split(prefix, 1)[1].split("-", 1)[0])
    except (IndexError, ValueError):
        return None


def _in_use(root: Path, name: str) -> bool:
    """A running ``newsld serve`` (or a build in progress) holds this store folder."""
    for marker in root.glob(f"{name}{_SERVING}*"):
        pid = _marker_pid(marker, _SERVING)
        if pid is not None and _pid_alive(pid):
            return True
        marker.unlink(missing_ok=True)
    return False


def _prune(root: Path, keep: str) -> None:
    for entry in root.iterdir():
        if entry.name == keep or _SERVING in entry.name:
            continue
        if entry.name.startswith(_BUILDING):
            pid = _marker_pid(entry, _BUILDING)
            if pid is not None and _pid_alive(pid):
                continue
        elif _in_use(root, entry.name):
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)


def build_store(
    release: Release,
    target: Path,
    extra: Callable[[], Iterable[tuple[str, list[str]]]] | None = None,
) -> int:
    """Bulk-load the release (the N-Quads dump, and ``void.ttl`` into its description graph)
    into a new pyoxigraph store at ``target``; ``extra()`` gives more graphs (name, N-Triples
    lines) to add afterwards. Returns the number of quads in the store.

    The store is then compacted (``optimize``): the bulk loader leaves its data in many
    overlapping files (121 at 100k articles), each of which every index look-up must probe, and
    queries that follow links row by row ran 3–10× slower on it (measured at 100k articles:
    ``claims-per-speaker`` 7.4 s of CPU before, 1.0 s after). Compacting costs about as much as
    the bulk load, once per release."""
    store = ox.Store(str(target))
    try:
        with open_nquads(release) as stream:
            store.bulk_load(stream, format=ox.RdfFormat.N_QUADS)
        graphs = [description_graph(release)]
        added = [(g.name, g.lines) for g in graphs] + list(extra() if extra else [])
        for name, lines in added:
            store.bulk_load(
                "".join(lines).encode("utf-8"),
                format=ox.RdfFormat.N_TRIPLES,
                to_graph=ox.NamedNode(name),
            )
        store.flush()
        store.optimize()
        return len(store)
    finally:
        del store


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    """An exclusive lock on ``root/.lock`` while building (released if the process dies)."""
    with (root / ".lock").open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_store(release: Release, root: Path | None = None) -> StoreInfo:
    """The store folder for ``release``: reused when it exists, built (once) when not."""
    root = (root or default_store_root(release.directory)).resolve()
    if root.is_relative_to(release.directory.resolve()):
        raise StoreError(f"the store must live outside the release folder, not in {root}")
    key = _store_key(release)
    path = root / key
    if path.is_dir():
        return StoreInfo(path, key, built=False, seconds=0.0)
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot create the store folder {root}: {error}") from None
    started = time.perf_counter()
    try:
        with _locked(root):
            if path.is_dir():  # another process built it while we waited for the lock
                return StoreInfo(path, key, built=False, seconds=time.perf_counter() - started)
            release.verify()
            staging = root / f"{_BUILDING}{os.getpid()}-{key}"
            shutil.rmtree(staging, ignore_errors=True)
            try:
                build_store(release, staging)
                staging.rename(path)
            finally:
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as error:
        raise StoreError(f"cannot build the store in {root}: {error}") from None
    _prune(root, keep=key)
    return StoreInfo(path, key, built=True, seconds=time.perf_counter() - started)


def open_store(info: StoreInfo) -> ox.Store:
    """A read-only handle: many processes (and ``newsld serve``) can read at once."""
    try:
        return ox.Store.read_only(str(info.path))
    except OSError as error:
        raise StoreError(f"cannot open the store {info.path}: {error}") from None


@contextlib.contextmanager
def serving(info: StoreInfo, pid: int) -> Iterator[Path]:
    """Mark the store as used by process ``pid`` so a rebuild for a newer release keeps it."""
    marker = info.path.with_name(f"{info.path.name}{_SERVING}{pid}")
    marker.touch()
    try:
        yield marker
    finally:
        marker.unlink(missing_ok=True)
