"""Signing what the build pickles to disk, so that it only ever unpickles what it wrote itself.

Unpickling runs code: a ``.newsld-cache`` folder that arrived with a pull request, a tarball or a
shared drive could run anything on the next build. Every pickle the build keeps on disk (cache
entries, the release state) is therefore signed with HMAC-SHA256 under a secret key that never
lives in a repository: ``$XDG_CONFIG_HOME/newsld/cache-key`` (``~/.config/newsld/cache-key``), or
the file ``NEWSLD_CACHE_KEY_FILE`` names. It is made on first use, readable by its owner only
(0600). A signature is checked *before* the bytes reach :mod:`pickle`; one that does not match
makes the entry a cache miss, counted so the build can say so once.

The key is refused (and the build runs without its cache) when another user owns it or can read
or write it: whoever can read it can forge entries.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path

KEY_ENV = "NEWSLD_CACHE_KEY_FILE"
KEY_BYTES = 32
MAC_BYTES = hashlib.sha256().digest_size


class KeyProblem(Exception):
    """The signing key cannot be read, made or trusted: build without the cache."""


def key_path() -> Path:
    """Where this machine's key lives (outside any repository)."""
    override = os.environ.get(KEY_ENV)
    if override:
        return Path(override).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME", "")
    base = Path(config) if os.path.isabs(config) else Path.home() / ".config"  # as XDG says
    return base / "newsld" / "cache-key"


def machine_key(path: Path | None = None) -> bytes:
    """The key at ``path`` (default :func:`key_path`), made on first use with mode 0600."""
    path = path or key_path()
    try:
        return _read_key(path)
    except FileNotFoundError:
        pass
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(descriptor, secrets.token_bytes(KEY_BYTES).hex().encode("ascii") + b"\n")
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        try:
            os.link(temporary, path)  # never replaces a key another build made meanwhile
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
        return _read_key(path)
    except OSError as error:
        raise KeyProblem(f"cannot make the cache key {path}: {error.strerror or error}") from None


def _read_key(path: Path) -> bytes:
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise KeyProblem(f"cannot read the cache key {path}: {error.strerror or error}") from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise KeyProblem(f"the cache key {path} is not a regular file")
        if info.st_uid != os.getuid() or info.st_mode & 0o077:
            raise KeyProblem(
                f"the cache key {path} is not private (owner other than you, or mode "
                f"{stat.S_IMODE(info.st_mode):o}): `chmod 600` it, or delete it to make a new one"
            )
        text = os.read(descriptor, 4096).strip()
    finally:
        os.close(descriptor)
    try:
        key = bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        key = b""
    if len(key) < 16:
        raise KeyProblem(f"the cache key {path} is not a key newsld made: delete it")
    return key


class Seal:
    """Signs and checks byte strings under one key; ``purpose`` keeps signatures made for one
    kind of file from passing for another. Counts the signatures it rejected."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self.rejected = 0

    def __repr__(self) -> str:
        return "Seal(<key>)"

    def mac(self, purpose: bytes, data: bytes) -> bytes:
        return hmac.digest(self._key, purpose + b"\0" + data, "sha256")

    def valid(self, purpose: bytes, data: bytes, mac: bytes) -> bool:
        """Whether ``mac`` is this key's signature of ``data``; counts the ones that are not."""
        if hmac.compare_digest(self.mac(purpose, data), mac):
            return True
        self.rejected += 1
        return False

    def seal(self, purpose: bytes, data: bytes) -> bytes:
        """``data`` behind its signature."""
        return self.mac(purpose, data) + data

    def open(self, purpose: bytes, sealed: bytes) -> bytes | None:
        """The data :meth:`seal` sealed, or None when the signature does not match."""
        mac, data = sealed[:MAC_BYTES], sealed[MAC_BYTES:]
        return data if self.valid(purpose, data, mac) else None
