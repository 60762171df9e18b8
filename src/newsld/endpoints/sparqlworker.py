"""Run one SPARQL query in a child process that can be killed when its time is up.

A SPARQL engine cannot be told to stop a query half-way (pyoxigraph has no cancellation, the
``oxigraph`` server's ``--timeout-s`` does not stop a ``COUNT`` over a cross product), and a
thread cannot be killed. So ``newsld query`` and ``newsld serve`` run each query in a child
process, ``python -m newsld.endpoints.sparqlworker``, and kill it (SIGKILL, by PID) at the
deadline or when the client that asked has gone: the CPU is free again at once.

The protocol is small: the parent writes one JSON request on the child's stdin; the child opens
the store read-only, runs the query and writes the media type of the answer on the first line of
its stdout, then the serialized answer. A query that does not parse exits with
:data:`EXIT_SYNTAX` and the parser's message on stderr; any other failure with
:data:`EXIT_FAILED`. This module imports only pyoxigraph (in the child), so a query costs one
short process start (about 50 ms) on top of its own time.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

EXIT_SYNTAX = 65
EXIT_FAILED = 66
POLL = 0.1  # seconds between checks that the asker is still there


class WorkerError(Exception):
    """The query failed in the worker (not a syntax error): the engine's message."""


class WorkerSyntaxError(WorkerError):
    """The query does not parse; ``str()`` is pyoxigraph's message (with its position)."""


class QueryTimeout(WorkerError):
    """The query ran past its deadline and was stopped (its process killed)."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"the query ran for more than {seconds:g} s and was stopped")
        self.seconds = seconds


class Cancelled(WorkerError):
    """Whoever asked has gone (``cancelled()`` said so); the query was stopped."""


@dataclass(frozen=True)
class Request:
    location: str  # the pyoxigraph store folder (opened read-only)
    query: str | None = None  # a SPARQL query; None: dump (Graph Store GET)
    union_default_graph: bool = True
    prefixes: dict[str, str] = field(default_factory=dict)
    accept: str = ""  # the client's Accept header: the answer's format is negotiated from it
    graph: str | None = None  # dump: this named graph; "" the default graph; None everything


@dataclass(frozen=True)
class Answer:
    media_type: str
    body: bytes


def die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the child gets SIGTERM if its parent dies, even by SIGKILL (PR_SET_PDEATHSIG)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


def run(
    request: Request,
    timeout: float | None,
    *,
    cancelled: Callable[[], bool] | None = None,
    started: Callable[[subprocess.Popen[bytes]], None] | None = None,
) -> Answer:
    """Run ``request`` in a worker process; kill it after ``timeout`` seconds (None or 0: no
    limit) or as soon as ``cancelled()`` is true. ``started`` is told the process (to track it).
    """
    limit = timeout or None
    process = subprocess.Popen(
        [sys.executable, "-m", "newsld.endpoints.sparqlworker"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=die_with_parent,
    )
    if started is not None:
        started(process)
    payload: bytes | None = json.dumps(asdict(request)).encode("utf-8")
    waited = 0.0
    try:
        while True:
            step = POLL if cancelled is not None else limit
            if limit is not None and step is not None:
                step = min(step, max(limit - waited, 0.0))
            try:
                out, err = process.communicate(payload, timeout=step)
                break
            except subprocess.TimeoutExpired:
                payload = None  # sent already; communicate() keeps what it has read
                waited += step or 0.0
                if limit is not None and waited >= limit:
                    raise QueryTimeout(limit) from None
                if cancelled is not None and cancelled():
                    raise Cancelled("the client went away; the query was stopped") from None
    finally:
        if process.poll() is None:
            process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.communicate(timeout=5)
    message = err.decode("utf-8", "replace").strip()
    if process.returncode == EXIT_SYNTAX:
        raise WorkerSyntaxError(message)
    if process.returncode != 0:
        raise WorkerError(message.splitlines()[-1] if message else f"exit {process.returncode}")
    media_type, _, body = out.partition(b"\n")
    return Answer(media_type.decode("ascii"), body)


# --------------------------------------------------------------------------- the child side


def ranked(accept: str) -> list[str]:
    """The media types of an Accept header, most wanted first."""
    return _accepted(accept)


def _accepted(accept: str) -> list[str]:
    """Media types of an Accept header, most wanted first (ties keep their order)."""
    ranked = []
    for index, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                with contextlib.suppress(ValueError):
                    weight = float(value)
        if media and weight > 0:
            ranked.append((-weight, index, media.lower()))
    return [media for _, _, media in sorted(ranked)]


def _pick(accept: str, parse, default):  # type: ignore[no-untyped-def]
    for media in _accepted(accept):
        if media in ("*/*", "application/*", "text/*"):
            return default
        found = parse(media)
        if found is not None:
            return found
    return default


def _answer(request: Request) -> tuple[str, bytes]:
    import pyoxigraph as ox

    store = ox.Store.read_only(request.location)
    results = lambda: _pick(  # noqa: E731
        request.accept, ox.QueryResultsFormat.from_media_type, ox.QueryResultsFormat.JSON
    )
    graphs = lambda default: _pick(request.accept, ox.RdfFormat.from_media_type, default)  # noqa: E731
    if request.query is None:  # Graph Store GET
        if request.graph is None:
            chosen = graphs(ox.RdfFormat.N_QUADS)
            if not chosen.supports_datasets:
                chosen = ox.RdfFormat.N_QUADS
            return chosen.media_type, store.dump(format=chosen)
        chosen = graphs(ox.RdfFormat.N_TRIPLES)
        graph = ox.NamedNode(request.graph) if request.graph else ox.DefaultGraph()
        return chosen.media_type, store.dump(format=chosen, from_graph=graph)
    answer = store.query(
        request.query,
        prefixes=request.prefixes or None,
        use_default_graph_as_union=request.union_default_graph,
    )
    if isinstance(answer, ox.QueryTriples):
        chosen = graphs(ox.RdfFormat.N_TRIPLES)
        return chosen.media_type, answer.serialize(format=chosen)
    chosen = results()
    return chosen.media_type, answer.serialize(format=chosen)


def main() -> int:  # pragma: no cover - runs in the worker process
    try:
        request = Request(**json.loads(sys.stdin.buffer.read()))
        media_type, body = _answer(request)
    except SyntaxError as error:
        sys.stderr.write(str(error))
        return EXIT_SYNTAX
    except Exception as error:
        sys.stderr.write(f"{type(error).__name__}: {error}")
        return EXIT_FAILED
    sys.stdout.buffer.write(media_type.encode("ascii") + b"\n")
    sys.stdout.buffer.write(body)
    sys.stdout.flush()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
