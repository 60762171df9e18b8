"""Forked worker processes for the per-record work: a dead worker stops the build
(:class:`WorkerDied`) instead of hanging it, and workers leave Ctrl-C to the main process.
:meth:`newsld.release.run.Run.outcomes` sets ``_WORKER_RUN`` before the workers fork; they
compute with it (:func:`_compute_in_worker`).
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING

from newsld.release.outcome import Outcome
from newsld.release.state import Stored

if TYPE_CHECKING:
    from newsld.release.run import Run

Progress = Callable[[int, int], None]


class WorkerDied(RuntimeError):
    """A worker process died mid-build (the kernel's OOM killer, ``kill -9``): the build stops
    rather than wait for an outcome that will never come."""


_WORKER_RUN: tuple[Run, bool] | None = None


def _compute_in_worker(path: Path) -> Outcome:
    """A record the main process could not reuse from the previous release."""
    assert _WORKER_RUN is not None, "worker started without a run"
    run, render = _WORKER_RUN
    seal = run.cache.seal if run.cache is not None else None
    rejected = seal.rejected if seal is not None else 0
    outcome = run.process(path, render)
    if seal is not None and seal.rejected > rejected:  # told to the main process this way
        outcome.timings["cache_rejected"] = seal.rejected - rejected
    return outcome


def _quiet_worker() -> None:
    """Workers leave Ctrl-C to the main process (which stops them): no tracebacks of theirs.
    They start with SIGINT blocked (see :meth:`_Workers.submit`), so none arrives before this."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


class _Submitted:
    """A record handed to a worker, as :meth:`Run._in_order` waits on it."""

    __slots__ = ("future", "workers")

    def __init__(self, future: Future[Outcome], workers: _Workers) -> None:
        self.future = future
        self.workers = workers

    def ready(self) -> bool:
        return self.future.done()

    def get(self) -> Outcome:
        # (waited on with wait(), not result(timeout=...): a TimeoutError the record itself
        # raised must not pass for the wait's)
        while not wait([self.future], timeout=_Workers.POLL).done:
            self.workers.check()
        return self.future.result()


class _Workers:
    """Forked worker processes for the per-record work. Unlike ``multiprocessing.Pool``, which
    waits forever for the outcome of a worker that was killed, a dead worker fails every
    pending record at once (:class:`WorkerDied`)."""

    STOP_GRACE = 10.0  # seconds a stopped worker may take to finish its record
    POLL = 0.5  # seconds between looks at the workers while waiting for an outcome
    DEAD_GRACE = 2.0  # seconds the executor has to notice a dead worker before we say so

    def __init__(self, jobs: int) -> None:
        self.executor = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_quiet_worker,
        )
        self.processes: list[multiprocessing.process.BaseProcess] = []
        self._dead_since: float | None = None

    def check(self) -> None:
        """Fail the build if a worker is dead and the executor has not noticed. It notices a
        death by its process's sentinel, but when the worker was killed while sending an outcome
        (one larger than a pipe's buffer), the executor's thread first sits reading the rest of
        that message, which never comes (reproduced with CPython 3.11)."""
        if not any(process.exitcode is not None for process in self.processes):
            return
        now = time.monotonic()
        if self._dead_since is None:
            self._dead_since = now
        if now - self._dead_since > self.DEAD_GRACE:
            raise BrokenProcessPool("a worker process died")

    def submit(self, path: Path) -> _Submitted:
        if self.processes:
            return _Submitted(self._submit(path), self)
        # the first submit forks every worker: with SIGINT blocked, so that a Ctrl-C then
        # waits here until they ignore it (and reaches this process once it is unblocked)
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            future = self._submit(path)
            # (no public way to the processes before Python 3.14's terminate_workers())
            self.processes = list(getattr(self.executor, "_processes", {}).values())
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        return _Submitted(future, self)

    def _submit(self, path: Path) -> Future[Outcome]:
        return self.executor.submit(_compute_in_worker, path)

    def died(self) -> str:
        """What to say when the executor found a worker dead."""
        deadline = time.monotonic() + 2  # the executor reaps them in its own thread
        while any(p.exitcode is None for p in self.processes) and time.monotonic() < deadline:
            time.sleep(0.01)
        codes = {-p.exitcode for p in self.processes if p.exitcode and p.exitcode < 0}
        if len(codes) > 1:
            codes.discard(signal.SIGTERM)  # what the executor stops the others with
        how = ", ".join(signal.Signals(code).name for code in sorted(codes)) or "unknown cause"
        return (
            f"a worker process died ({how}: the out-of-memory killer, or killed from outside); "
            "try fewer --jobs if memory is short"
        )

    def close(self, wait: bool) -> None:
        """Wait for the workers to finish (``wait``), or stop them: records not started are
        cancelled, and each worker exits after the record in its hands. Terminating them at once
        could cut one off mid-way through sending its outcome, and the executor would then wait
        forever for the rest of it; one still busy after ``STOP_GRACE`` seconds is killed. Once
        every worker has ended, this process's end of the outcome pipe is closed too: the
        executor's thread, if it sits reading a dead worker's half-sent outcome, then reads the
        pipe's end and stops instead of waiting forever."""
        if wait:
            self.executor.shutdown(wait=True)
            return
        outcomes = getattr(self.executor, "_result_queue", None)  # (gone after shutdown)
        self.executor.shutdown(wait=False, cancel_futures=True)
        sentinels = {process.sentinel: process for process in self.processes}
        # with one dead, the executor is broken: the others get no grace (it would stop them too)
        broken = any(process.exitcode is not None for process in self.processes)
        deadline = time.monotonic() + (0.0 if broken else self.STOP_GRACE)
        while sentinels and time.monotonic() < deadline:
            for ended in multiprocessing.connection.wait(list(sentinels), timeout=0.1):
                del sentinels[ended]  # type: ignore[arg-type]
        for process in sentinels.values():
            process.kill()
        for process in self.processes:
            process.join()
        if outcomes is not None:
            outcomes._writer.close()
        self.executor.shutdown(wait=True)


def _counted(
    results: Iterator[Outcome | Stored], total: int, progress: Progress | None
) -> Iterator[Outcome | Stored]:
    for done, outcome in enumerate(results, start=1):
        yield outcome
        if progress:
            progress(done, total)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
