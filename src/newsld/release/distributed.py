"""Running the per-record work on a Dask cluster (the ``dask`` extra).

Each Dask worker prepares the run once (settings, registry, the corpus index) from the same
corpus path, so workers must see the corpus — and the cache folder, if one is used — at the same
path as the client (a shared or network file system, or one machine). Records are submitted in a
sliding window and their outcomes consumed in corpus order, so the main process writes the same
bytes as a local build while holding only a bounded number of outcomes.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from newsld.release.build import BuildOptions
    from newsld.release.outcome import Outcome
    from newsld.release.run import Run

WINDOW = 256  # records in flight at once
PROBE_TIMEOUT = 10.0  # seconds to open a TCP connection to the scheduler
CONNECT_TIMEOUT = 30  # seconds for Dask to say hello

_RUNS: dict[tuple[str, Any], Run] = {}


class DaskUnavailable(RuntimeError):
    """Dask distributed is not installed or the scheduler cannot be reached."""


def _probe(address: str) -> None:
    """Fail at once when nothing listens at a tcp:// or tls:// address (Dask itself would
    retry until its timeout)."""
    parts = urlsplit(address if "://" in address else f"tcp://{address}")
    if parts.scheme not in ("tcp", "tls") or not parts.hostname or parts.port is None:
        return
    try:
        with socket.create_connection((parts.hostname, parts.port), timeout=PROBE_TIMEOUT):
            pass
    except OSError as error:
        message = f"cannot reach the Dask scheduler {address}: {error.strerror or error}"
        raise DaskUnavailable(message) from error


Prepare = Callable[[Path, "BuildOptions"], "Run"]


def _worker_run(corpus: str, options: BuildOptions, prepare: Prepare) -> Run:
    key = (corpus, options)
    run = _RUNS.get(key)
    if run is None:
        run = _RUNS[key] = prepare(Path(corpus), options)
    return run


def process_remote(
    path: str, corpus: str, options: BuildOptions, render: bool, prepare: Prepare
) -> Outcome:
    """Runs on a Dask worker (which looks in the cache, shared at the same path). ``prepare``
    is the build's (sent by reference): this module never imports the build."""
    return _worker_run(corpus, options, prepare).process(Path(path), render)


@contextlib.contextmanager
def dask_submitter(
    corpus: Path, options: BuildOptions, render: bool, prepare: Prepare
) -> Iterator[Callable[[Path], _Pending]]:
    """A function that submits one record's work to the cluster and returns its handle."""
    try:
        from distributed import Client
    except ImportError as error:
        raise DaskUnavailable(
            "Dask is not installed: pip install 'dask[distributed]>=2024.1' (the dask extra)"
        ) from error
    local = options.__class__(**{**options.__dict__, "scheduler": None, "jobs": 1})
    assert options.scheduler is not None
    _probe(options.scheduler)
    try:
        client = Client(options.scheduler, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as error:
        message = f"cannot reach the Dask scheduler {options.scheduler}: {error}"
        raise DaskUnavailable(message) from error

    def submit(path: Path) -> _Pending:
        args = (str(path), str(corpus), local, render, prepare)
        future = client.submit(process_remote, *args, pure=False)
        return _Pending(future)

    try:
        yield submit
    finally:
        client.close()


class _Pending:
    """A submitted record, as the build's ordered loop waits on it."""

    def __init__(self, future: Any) -> None:
        self.future = future

    def ready(self) -> bool:
        return bool(self.future.done())

    def get(self) -> Outcome:
        return _result(self.future)


def _result(future: Any) -> Outcome:
    from newsld.corpus.reader import CorpusError

    try:
        return future.result()
    except CorpusError as error:  # the worker cannot read the corpus where the client does
        message = f"a Dask worker could not open the corpus: {error} (workers must see the "
        message += "corpus, and the cache folder if any, at the same path as this machine)"
        raise DaskUnavailable(message) from error
