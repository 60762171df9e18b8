"""The incremental build cache: what each record produced, keyed by everything it depends on.

A key covers the toolkit version and code, the build options, the shapes and vocabulary, the
record's path and bytes and its text's bytes. What a record looked up elsewhere — registry
entities, other articles' dates, the day the build runs — is stored with the entry as
*dependencies* and checked on every hit, so a changed registry entry invalidates exactly the
records that reference it.

Entries are pickles written by this toolkit into a folder it owns (atomically: temp file, then
rename), each behind its HMAC (:mod:`.seal`): an entry is unpickled only when its signature
shows this machine's newsld wrote it. An unreadable, damaged or foreign entry is a miss, never an
error (foreign ones are counted in ``rejected``).
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import subprocess
from pathlib import Path
from typing import Any

from newsld.release.seal import KeyProblem, Seal, machine_key

CACHE_FORMAT = 2  # 2: entries are signed


def digest(*parts: str | bytes) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


@functools.cache
def toolkit_files() -> list[Path]:
    """The toolkit's own code and data (the speaker weights), every stage of it."""
    package = Path(__file__).resolve().parent.parent
    return sorted(p for p in package.rglob("*") if p.suffix in {".py", ".json"})


def toolkit_digest() -> str:
    """A changed module or refitted weights (an unreleased fix, an editable install) invalidate
    the cache even when the version number did not move."""
    package = Path(__file__).resolve().parent.parent
    return digest(
        *(p.relative_to(package).as_posix().encode() + p.read_bytes() for p in toolkit_files())
    )


class BuildCache:
    def __init__(self, directory: Path, salt: str, seal: Seal) -> None:
        self.directory = directory
        self.salt = digest(str(CACHE_FORMAT), salt)
        self.seal = seal
        self.hits = 0
        self.misses = 0

    def _path(self, namespace: str, key: str) -> Path:
        name = digest(self.salt, namespace, key)
        return self.directory / name[:2] / f"{name}.pickle"

    @staticmethod
    def _purpose(path: Path) -> bytes:
        return b"cache:" + path.name.encode("ascii")  # an entry signed for another key fails

    def get(self, namespace: str, key: str) -> Any | None:
        path = self._path(namespace, key)
        try:
            with path.open("rb") as stream:
                data = self.seal.open(self._purpose(path), stream.read())
            if data is None:  # not signed by us: never unpickled
                raise ValueError("bad signature")
            value = pickle.loads(data)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            self.misses += 1
            return None
        self.hits += 1
        return value

    def put(self, namespace: str, key: str, value: Any) -> None:
        path = self._path(namespace, key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.{os.getpid()}")
            data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
            with temporary.open("wb") as stream:
                stream.write(self.seal.seal(self._purpose(path), data))
            temporary.replace(path)
        except OSError:
            pass  # a cache that cannot be written only makes the next build slower


def _cache_seal(cache_dir: Path, corpus_root: Path, warnings: list[str]) -> Seal | None:
    """What signs and checks the cache's pickles; None (with a warning) when the cache must not
    be used: a folder a checkout or the corpus could have brought, or no usable key."""
    reason = _untrusted_cache_folder(cache_dir, corpus_root)
    if reason is not None:
        warnings.append(
            f"ignoring the build cache {cache_dir}: {reason} (a cache you did not create "
            "could be there); building without it"
        )
        return None
    try:
        return Seal(machine_key())
    except KeyProblem as problem:
        warnings.append(f"building without the cache: {problem}")
        return None


def _untrusted_cache_folder(cache_dir: Path, corpus_root: Path) -> str | None:
    """Why the folder may hold a cache someone else made, or None."""
    folder = cache_dir.resolve()
    if folder.is_relative_to(corpus_root.resolve()):
        return f"it is inside the corpus folder {corpus_root}"
    if not folder.is_dir():
        return None  # nothing there yet: this build makes it
    repository = next((p for p in (folder, *folder.parents) if (p / ".git").exists()), None)
    if repository is None:
        return None
    try:
        listed = subprocess.run(
            ["git", "-C", str(repository), "ls-files", "-z", "--", str(folder)],
            capture_output=True,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None  # no git to ask: the signatures still keep foreign entries out
    tracked = listed.stdout.split(b"\0", 1)[0] if listed.returncode == 0 else b""
    if tracked:
        return f"git tracks files in it ({os.fsdecode(tracked)} in {repository})"
    return None
