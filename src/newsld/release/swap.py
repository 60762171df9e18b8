"""Putting a new release folder in the old one's place with no moment where there is none.

On Linux the two folders are exchanged in one step (``renameat2`` with ``RENAME_EXCHANGE``):
a build killed at any point leaves either the old release or the new one in place. Where that
is not available (another system, a file system without it) the old release is renamed aside to
``.NAME.previous`` and the new one renamed in; a process killed between the two renames leaves
the old release there, and :func:`recover` — run by every command that reads a release, and by
the next build — puts it back.
"""

from __future__ import annotations

import errno
import functools
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

RENAME_EXCHANGE = 2  # linux/fs.h
AT_FDCWD = -100  # linux/fcntl.h
_UNSUPPORTED = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def backup_path(out_dir: Path) -> Path:
    """Where the old release waits between the two renames of the portable swap."""
    return out_dir.with_name(f".{out_dir.name}.previous")


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here: commands that only read a release never need it

    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2  # glibc ≥ 2.28, musl ≥ 1.2.3
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p]
    function.argtypes += [ctypes.c_uint]
    function.restype = ctypes.c_int
    return function  # type: ignore[no-any-return]


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths atomically; False when this system or file system cannot."""
    function = _renameat2()
    if function is None:
        return False
    old, new = os.fsencode(first), os.fsencode(second)
    if function(AT_FDCWD, old, AT_FDCWD, new, RENAME_EXCHANGE) == 0:
        return True
    import ctypes

    code = ctypes.get_errno()
    if code in _UNSUPPORTED:
        return False
    raise OSError(code, os.strerror(code), str(first), None, str(second))


def replace_folder(staging: Path, out_dir: Path) -> None:
    """Put ``staging`` where ``out_dir`` is, and remove the folder it replaced."""
    recover(out_dir)
    if not os.path.lexists(out_dir):
        os.rename(staging, out_dir)
        return
    if exchange(staging, out_dir):
        shutil.rmtree(staging, ignore_errors=True)  # now the old release
        return
    backup = backup_path(out_dir)
    shutil.rmtree(backup, ignore_errors=True)
    os.rename(out_dir, backup)
    try:
        os.rename(staging, out_dir)  # killed before this: recover() puts the backup back
    except OSError:
        recover(out_dir)  # (unless a reader's recover() did already: then this rename failed)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def recover(out_dir: Path) -> bool:
    """Put back the release a build left in ``.NAME.previous`` when it died between the two
    renames of the portable swap (``out_dir`` is then missing). True when it did."""
    backup = backup_path(out_dir)
    if os.path.lexists(out_dir) or not backup.is_dir():
        return False
    try:
        os.rename(backup, out_dir)
    except OSError:  # another command put it back first, or a build just renamed it
        return False
    return True
