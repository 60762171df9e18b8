"""Reading files bounded and inside the corpus: where a corpus file may be read from
(:func:`locate`), its bytes within a size limit (:func:`read_bounded`, :func:`quick_read`), and
its text with the names findings and the manifest give it (:func:`read_source`, :class:`Source`).

Nothing here raises on bad data but :class:`Refused` (a file newsld does not read), which
callers turn into findings.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsld.findings.report import Finding, finding

MAX_RECORD_BYTES = 1 << 20  # 1 MiB of YAML is far beyond any honest record
MAX_TEXT_BYTES = 4 << 20  # 4 MiB of article text


@dataclass
class Source:
    """A file read from the corpus: where it is, its decoded text and content hash.

    ``display`` is what findings show: relative to the working directory when the file is below
    it (so CI annotations land on repository paths), else relative to the corpus's parent.
    ``name`` is always relative to the corpus's parent, for the manifest (independent of cwd).
    """

    path: Path
    display: str
    name: str
    text: str
    sha256: str


def stable_name(path: Path, root: Path) -> str:
    """The path relative to the corpus' parent, whatever the working directory: what inputs,
    the cache and the release state are keyed by."""
    parent = _parent_prefix(root)
    text = str(path)
    if text.startswith(parent) and os.sep == "/":  # the common case, without pathlib's cost
        return text[len(parent) :]
    try:
        return path.relative_to(root.parent).as_posix()
    except ValueError:
        return path.as_posix()


@functools.lru_cache(maxsize=64)
def _parent_prefix(root: Path) -> str:
    return str(root.parent).rstrip("/") + "/"


def display_path(path: Path, root: Path, stable: str | None = None) -> str:
    """The path as a user (or a CI annotation) names it: relative to the working directory
    when inside it, else relative to the corpus' parent (``stable``, when already known)."""
    folder, name = os.path.split(os.path.abspath(path))
    shown = _shown_folder(folder, os.getcwd())  # the working directory is free of symlinks
    if shown is not None:
        return shown + name
    return stable if stable is not None else stable_name(path, root)


@functools.lru_cache(maxsize=256)
def _shown_folder(folder: str, cwd: str) -> str | None:
    """How files of ``folder`` are shown: its path relative to ``cwd`` (with a trailing slash),
    or None when it is not inside it."""
    real = os.path.realpath(folder)
    if real == cwd:
        return ""
    if real.startswith(cwd.rstrip(os.sep) + os.sep):
        return Path(os.path.relpath(real, cwd)).as_posix() + "/"
    return None


# Opening a corpus file never follows a link in its last component (the link was resolved and
# checked first), never blocks (a named pipe swapped in after the check opens at once and reads
# empty) and is not inherited by a child process.
_READ_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1 << 16  # reads after the first, which asks for the whole file


class Refused(Exception):
    """A corpus file newsld does not read: outside the corpus folder, not a regular file, or
    over the size limit. ``code`` is the finding's code and ``params`` its template's values."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def finding(self, **where: Any) -> Finding:
        return finding(self.code, **where, **self.params)


def file_kind(mode: int) -> str | None:
    """What a file that is not a regular file is, in words (as ``stat`` says); None when it
    is a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def is_inside(path: str, root: Path) -> bool:
    """Whether the (real, absolute) ``path`` is ``root`` or below it."""
    folder = str(root)
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def locate(path: str, root: Path) -> str:
    """Where to read a corpus file from: ``path`` itself when it is a regular file in a folder
    inside ``root`` (one ``lstat``), else the real path of the regular file inside ``root`` a
    link points to. Raises :class:`Refused` for anything else (outside the corpus, a device, a
    named pipe, a socket, a folder), without opening it; OSError when it cannot be looked at."""
    status = os.lstat(path)
    if stat.S_ISLNK(status.st_mode):
        path = os.path.realpath(path)
        if not is_inside(path, root):
            raise Refused("file/outside-corpus")
        status = os.stat(path)
    elif not is_inside(_real_folder(os.path.dirname(os.path.abspath(path))), root):
        raise Refused("file/outside-corpus")
    kind = file_kind(status.st_mode)
    if kind is not None:
        raise Refused("file/not-regular", kind=kind)
    return path


def read_bounded(path: str, limit: int) -> bytes:
    """The bytes of the regular file at ``path`` (not a link), at most ``limit`` of them,
    whatever its size said before: a file that grows while it is read is cut at ``limit + 1``
    bytes and refused. Raises :class:`Refused` (not a regular file, too large) or OSError."""
    fd = os.open(path, _READ_FLAGS)
    try:
        status = os.fstat(fd)  # what was opened: a race may have put a pipe in its place
        kind = file_kind(status.st_mode)
        if kind is not None:
            raise Refused("file/not-regular", kind=kind)
        if status.st_size > limit:
            raise Refused("file/too-large", size=status.st_size, limit=limit)
        data = os.read(fd, status.st_size + 1)  # all of it, and whether there is more
        if data:  # read on to the end, in case it grew since (or the read came short)
            chunks, total = [data], len(data)
            while total <= limit:
                chunk = os.read(fd, min(_CHUNK, limit + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
            if total > limit:
                raise Refused("file/too-large", size=f"more than {limit}", limit=limit)
            if len(chunks) > 1:
                data = b"".join(chunks)
    finally:
        os.close(fd)
    return data


def quick_read(path: str, limit: int) -> bytes | None:
    """The bytes of a regular file (not a link) of at most ``limit`` bytes, found with one
    ``lstat`` and read in one go, for a reader that wants no findings (the index): None for
    anything else, which the caller reads the general way (:func:`read_source`) to learn
    what it is. The file's folder must be inside the corpus (the corpus listing checks)."""
    try:
        status = os.lstat(path)
        if not stat.S_ISREG(status.st_mode) or status.st_size > limit:
            return None  # links, pipes, devices, folders: the general way says what they are
        fd = os.open(path, _READ_FLAGS)
        try:
            data = os.read(fd, status.st_size + 1)
        finally:
            os.close(fd)
    except OSError:
        return None
    return data if len(data) == status.st_size else None  # changed since: the general way


def read_source(
    path: Path, root: Path, limit: int, *, within: Path | None = None
) -> tuple[Source | None, list[Finding]]:
    """Read a UTF-8 file (BOM tolerated, line endings untouched) within a size limit; only a
    regular file inside ``within`` (default: ``root``, which names it), or a link to one
    (:func:`locate`)."""
    name = stable_name(path, root)
    display = display_path(path, root, name)
    try:
        real = locate(os.fspath(path), root if within is None else within)
    except Refused as refused:
        return None, [refused.finding(file=display, target=path.name)]
    except OSError as error:
        return None, [finding("file/unreadable", file=display, reason=error.strerror or error)]
    return _read_located(path, real, limit, name, display)


def _read_located(
    path: Path, real: str, limit: int, name: str, display: str
) -> tuple[Source | None, list[Finding]]:
    """:func:`read_source` of a file :func:`locate` found at ``real``."""
    try:
        data = read_bounded(real, limit)
    except Refused as refused:
        return None, [refused.finding(file=display, target=path.name)]
    except OSError as error:
        return None, [finding("file/unreadable", file=display, reason=error.strerror or error)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        reason = f"invalid byte 0x{data[error.start]:02x} at offset {error.start}"
        return None, [
            finding("file/not-utf8", file=display, line=line, column=column, reason=reason)
        ]
    text = text.removeprefix("\ufeff")
    digest = hashlib.sha256(data).hexdigest()
    return Source(path, display, name, text, digest), []


def _plain_text_file(record: Path, name: str) -> Path | None:
    """The resolved path of a record's text file when that is the common case, a regular file
    (not a link) named plainly next to the record, found with one ``lstat`` instead of one per
    folder of the path; else None, and the caller resolves the path. (The record's folder is
    inside the corpus: :func:`locate` checked it before the record was read.)"""
    folder = os.path.dirname(record)
    if os.sep in name or name in ("", ".", "..") or not os.path.isabs(folder):
        return None
    candidate = os.path.join(_real_folder(folder), name)
    try:
        status = os.lstat(candidate)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return Path(candidate)


@functools.lru_cache(maxsize=256)
def _real_folder(folder: str) -> str:
    """A record folder with its links resolved: the same for every record in it."""
    return os.path.realpath(folder)
