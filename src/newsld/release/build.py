"""The pipeline: corpus records → mapped graphs → SHACL gate → release in ``dist/``.

Records flow one at a time: each is read, mapped, validated with only what it references (its
graph, the registry entities it names, the dates of articles it links to) and rendered for every
dump format. That per-record work is pure and picklable, so it runs in worker processes
(``jobs``) and is cached by content (``cache_dir``); the main process only appends rendered
graphs to the dumps, in corpus order, so output is byte-identical however it was computed.
The release is assembled in a sibling temporary folder and swapped in only when everything
passed, so a failed build leaves the previous release untouched; so does a build stopped by
Ctrl-C or by a worker process that died (killed for memory, say): the workers are watched, and
ignore Ctrl-C, which the main process answers by stopping them.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import multiprocessing
import multiprocessing.connection
import os
import pickle
import shutil
import signal
import subprocess
import time
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from newsld import __version__
from newsld.corpus.dates import PartialDate
from newsld.corpus.reader import (
    MAX_RECORD_BYTES,
    MAX_TEXT_BYTES,
    RECORD_SUFFIXES,
    REGISTRY_FILE,
    SETTINGS_FILE,
    Corpus,
    LoadedArticle,
    RecordPaths,
    Refused,
    Registry,
    Source,
    display_path,
    load_article,
    load_record_source,
    locate,
    open_corpus,
    parse_model,
    quick_read,
    quick_summary,
    read_bounded,
    read_source,
    stable_name,
)
from newsld.corpus.records import (
    ArticleRecord,
    field_label,
    meant_field,
    not_available,
    record_dates,
)
from newsld.extraction import Extraction
from newsld.findings.report import Finding, FindingLog, Report, Row, Severity, finding, report_json
from newsld.findings.spool import Spool
from newsld.gate import shapes
from newsld.gate.shacl import ShapeResult, to_findings, validate
from newsld.rdf.iris import Minter
from newsld.rdf.mapping import (
    MappedArticle,
    Triple,
    date_literal,
    entity_triples,
    map_article,
    minted_conflicts,
)
from newsld.rdf.namespaces import RDF, SDO
from newsld.rdf.resources import context_path, jsonld_context, shapes_path, vocab_path
from newsld.release.cache import BuildCache, digest, toolkit_digest
from newsld.release.index import CorpusIndex
from newsld.release.seal import KeyProblem, Seal, machine_key
from newsld.release.state import (
    Entry,
    PreviousRelease,
    Signature,
    StateWriter,
    Stored,
    blob_digest,
    pack_detail,
    previous_release,
    signature,
)
from newsld.release.swap import recover, replace_folder
from newsld.render.describe import FileInfo, description_triples, manifest, manifest_json
from newsld.render.serialize import (
    DumpWriter,
    RenderedGraph,
    TurtleWriter,
    _Compactor,
    ordered,
    render_graph,
)

Progress = Callable[[int, int], None]

DESCRIPTION_FILE = "void.ttl"
MANIFEST_FILE = "manifest.json"
REPORT_FILE = "report.json"
STAGES = ("index", "read", "extract", "map", "gate", "render", "cache", "write", "describe")


@dataclass(frozen=True)
class BuildOptions:
    base_iri: str | None = None  # overrides dataset.yaml's base_iri
    include_text: bool = False  # article full text in the release (publisher copyright!)
    issued: PartialDate | None = None  # overrides dataset.yaml's issued
    today: dt.date | None = None  # for the date/in-future check (default: the clock's today)
    engine: str = "native"  # "native" (compiled shapes, checked against pySHACL) or "pyshacl"
    jobs: int = 1  # worker processes for the per-record work
    scheduler: str | None = None  # a Dask scheduler address: run the per-record work there
    cache_dir: Path | None = None  # incremental build cache; None: no cache
    extract: bool = True  # propose claims and events from each record's text (newsld.extraction)

    def salt(self, minter: Minter) -> str:
        """Everything besides a record's own files that its output depends on."""
        inputs = [vocab_path(), context_path(), shapes_path()]
        files = [digest(p.read_bytes()) for p in inputs]
        flags = [str(self.include_text), self.engine, str(self.extract)]
        return digest(__version__, toolkit_digest(), minter.base, *flags, *files)


class WorkerDied(RuntimeError):
    """A worker process died mid-build (the kernel's OOM killer, ``kill -9``): the build stops
    rather than wait for an outcome that will never come."""


@dataclass
class BuildResult:
    findings: FindingLog  # every finding, on disk, read back in report order
    stats: dict[str, int]
    out_dir: Path
    written: bool = False
    manifest: dict[str, Any] | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    warnings: list[str] = field(default_factory=list)  # about the build, not the data

    @property
    def conforms(self) -> bool:
        return self.findings.conforms

    @property
    def report(self) -> Report:
        """All findings in memory as a :class:`Report`; iterate ``findings`` for a large corpus."""
        return self.findings.report(self.stats)


def _index(
    corpus: Corpus,
    cache: BuildCache | None,
    previous: PreviousRelease | None = None,
    state: StateWriter | None = None,
) -> tuple[CorpusIndex, list[Finding]]:
    """Ids and dates of every record; a record is read only when the previous release does not
    know it unchanged, and its YAML parsed only when it does not write them the plain way and
    the cache has not seen it. ``state`` records what the next build may trust."""
    records = corpus.record_paths
    index = CorpusIndex(records.names, RECORD_SUFFIXES)
    findings: list[Finding] = []
    folder = os.path.join(str(records.folder), "")  # plain strings: 100k path objects cost
    prefix = stable_name(records.folder / "-", corpus.root)[:-1]
    for position, file_name in enumerate(records.names):
        name = prefix + file_name
        current = signature(folder + file_name) if state is not None else None
        if previous is not None:  # what the loop compares the previous release's with
            index.add_signature(current)
        summary = previous.summary(name, current) if previous else None
        if summary is None:
            summary = _summary(folder + file_name, corpus, cache)
        if summary is None:
            continue
        if state is not None and current is not None:
            state.summary(name, current, summary)
        key, date_text, line = summary
        earlier = index.add(position, key, date_text)
        if earlier is not None:
            findings.append(
                finding(
                    "record/duplicate-id",
                    file=display_path(records[position], corpus.root),
                    line=line,
                    field="id",
                    id=key,
                    other=display_path(records[earlier], corpus.root),
                )
            )
    return index, findings


def _summary(
    path: str, corpus: Corpus, cache: BuildCache | None
) -> tuple[str, str | None, int | None] | None:
    summary = _quick_summary(path)
    if summary is not None:
        return summary
    source, _ = read_source(Path(path), corpus.root, MAX_RECORD_BYTES)
    if source is None:
        return None
    summary = cache.get("index", source.sha256) if cache else None
    if summary is None:
        record, doc, _ = parse_model(source, ArticleRecord)
        if record is None or doc is None:
            return None
        position = doc.position(("id",))
        date = record.date_published.text if record.date_published else None
        summary = (record.id, date, position.line if position else None)
        if cache:
            cache.put("index", source.sha256, summary)
    return summary


def _quick_summary(path: str) -> tuple[str, str | None, int] | None:
    """:func:`quick_summary` of a record read the plainest way (no hash, no names for findings:
    a record that is not a plain regular file of readable UTF-8 within the size limit, such as
    a link, a named pipe or a device, goes the general way, which refuses what it must)."""
    data = quick_read(path, MAX_RECORD_BYTES)
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return quick_summary(text.removeprefix("\ufeff"))


def _context_triples(
    mapped: MappedArticle, corpus: Corpus, minter: Minter, index: CorpusIndex
) -> Iterator[Triple]:
    """What the gate needs besides the article graph: referenced entities and linked articles."""
    for entity_id in sorted(mapped.entity_ids):
        yield from entity_triples(minter.entity(entity_id), corpus.registry.entities[entity_id])
    for triples in mapped.minted.values():
        yield from triples
    for key in sorted(mapped.linked_articles):
        position = index.position(key)
        if position is not None:
            other = minter.article(key)
            yield (other, RDF.type, SDO.NewsArticle)
            date = index.date_at(position)
            if date is not None:
                yield (other, SDO.datePublished, date_literal(date))


def _future_dates(loaded: LoadedArticle, today: dt.date) -> list[Finding]:
    """Dates after today cannot be right; dates after publication are the gate's job."""
    findings = []
    for path, date in record_dates(loaded.record):
        if date.first_day > today:
            position = loaded.doc.position(path)
            findings.append(
                finding(
                    "date/in-future",
                    file=loaded.source.display,
                    line=position.line if position else None,
                    column=position.column if position else None,
                    field=field_label(path),
                    value=date.text,
                    today=today.isoformat(),
                )
            )
    return findings


@dataclass
class Gated:
    """One record through the gate: its graph, the context it was validated with, the results."""

    mapped: MappedArticle | None
    context: list[Triple]
    results: list[ShapeResult]
    findings: list[Finding]
    loaded: LoadedArticle | None = None
    looked_up: set[str] = field(default_factory=set)  # registry keys extraction looked up


def _acknowledged(item: Finding, gaps: Mapping[str, str]) -> Finding:
    """A warning about a value the record says its article does not give becomes a note
    carrying the curator's reason; any other finding stays as it is."""
    if item.severity is not Severity.WARNING or item.field not in gaps:
        return item
    where = {"file": item.file, "line": item.line, "column": item.column, "field": item.field}
    return finding(
        "event/recommended-not-available", reason=gaps[item.field], gap=item.code, **where
    )


@dataclass
class Dependencies:
    """What a record's output depends on besides its own bytes (checked on every cache hit)."""

    text: tuple[str, str]  # the text file's path and sha256
    references: dict[str, tuple[str | None, str]]  # reference → (entity id, fingerprint)
    linked: dict[str, str | None]  # linked article key → its publication date
    latest: str  # the latest day any of its dates can mean (future dates are never cached)
    lookups: dict[str, str] = field(default_factory=dict)  # extraction's registry look-ups
    registry: str = ""  # the registry file's sha256: when it is unchanged, so are the above


@dataclass
class Outcome:
    """What one record contributes to a build; picklable, to cross processes and the cache."""

    display: str
    findings: list[Finding]
    inputs: dict[str, str]
    key: str | None = None
    claims: int = 0
    events: int = 0
    extracted: tuple[int, int] = (0, 0)  # of claims and events, those extraction proposed
    rendered: RenderedGraph | None = None
    minted: dict[URIRef, set[Triple]] = field(default_factory=dict)
    dependencies: Dependencies | None = None
    timings: dict[str, float] = field(default_factory=dict)
    name: str | None = None  # the record's path relative to the corpus' parent
    signatures: tuple[Signature | None, Signature | None] = (None, None)  # record, text (stat)
    finding_rows: list[Row] | None = None  # the findings as the log keeps them, once packed
    minted_blob: bytes = b""  # ``minted``, once packed
    minted_digest: bytes = b""  # of the blob: records that mint the same nodes share it

    @property
    def passed(self) -> bool:
        if self.finding_rows is not None:
            return not any(row[2] == Severity.ERROR.value for row in self.finding_rows)
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def pack(self) -> None:
        """Findings as log rows and minted nodes as one pickled blob: cheaper to send to the
        main process and to keep in the cache than objects, and done in the worker."""
        if self.finding_rows is None:
            self.finding_rows = FindingLog.rows(self.findings)
        self.findings = []
        if self.minted:
            self.minted_blob = _pack_minted(self.minted)
            self.minted_digest = blob_digest(self.minted_blob)
            self.minted = {}


def _pack_minted(minted: dict[URIRef, set[Triple]]) -> bytes:
    """The same nodes, the same bytes (sets iterate in an order that varies by process)."""
    nodes = sorted(minted.items(), key=lambda node: str(node[0]))
    packed = [(iri, sorted(triples, key=_triple_text)) for iri, triples in nodes]
    return pickle.dumps(packed, protocol=pickle.HIGHEST_PROTOCOL)


def _unpack_minted(blob: bytes) -> dict[URIRef, set[Triple]]:
    """A blob from a worker, a signed cache entry, or the previous state's ``extra.bin``
    (checked against the digest its signed entry gives: see :meth:`Run._reused`)."""
    return {iri: set(triples) for iri, triples in pickle.loads(blob)}


def _triple_text(triple: Triple) -> tuple[str, str, str, str]:
    return (str(triple[0]), str(triple[1]), type(triple[2]).__name__, str(triple[2]))


@dataclass
class Run:
    corpus: Corpus
    minter: Minter
    options: BuildOptions
    log: FindingLog
    index: CorpusIndex
    cache: BuildCache | None = None
    previous: PreviousRelease | None = None  # the release being replaced, when reusable
    state: StateWriter | None = None  # records the release being built, for the next build
    minted: dict[URIRef, set[Triple]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    inputs: Spool = field(default_factory=lambda: Spool(unique=True))  # name → sha256
    timings: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    _lookup_states: dict[str, str] = field(default_factory=dict)  # registry look-ups, memoised
    _minted_seen: dict[bytes, None] = field(default_factory=dict)  # digests, recent ones
    _minted_checked: dict[bytes, bytes] = field(default_factory=dict)  # digest → its blob

    def gate(self, path: Path) -> Gated:
        """Read, map and validate one record against what it references."""
        loaded, findings = load_article(path, self.corpus.root)
        return self._gate(loaded, findings, Counter())

    def _gate(
        self,
        loaded: LoadedArticle | None,
        findings: list[Finding],
        clock: Counter[str],
    ) -> Gated:
        if loaded is None:
            return Gated(None, [], [], findings)
        extraction = None
        looked_up: set[str] = set()
        if self.options.extract:
            extracting = time.perf_counter()
            record = loaded.record
            watched = _watched(self.corpus.registry, looked_up)
            extraction = _extract(loaded.text.text, record.date_published, watched)
            clock["extract"] += time.perf_counter() - extracting
        started = time.perf_counter()
        findings += _future_dates(loaded, self.options.today or dt.date.today())
        mapped = map_article(
            loaded,
            self.corpus.registry,
            self.minter,
            include_text=self.options.include_text,
            extraction=extraction,
        )
        context = list(_context_triples(mapped, self.corpus, self.minter, self.index))
        mapped_at = time.perf_counter()
        clock["map"] += mapped_at - started
        if self.options.engine == "native" and shapes.supported():
            results = shapes.evaluate([*mapped.triples, *context])
        else:
            results = validate([*mapped.triples, *context])
        # one root cause, one finding: a field the mapping already rejected (an unusable
        # reference, say) is not reported again by the shape that misses its value
        # (or a value the record's validation dropped: an invalid date is not also missing,
        # a misspelled `speakr` does not also leave the claim without a speaker)
        rejected = {
            (f.file, f.field)
            for f in (*findings, *mapped.findings)
            if f.severity is Severity.ERROR and f.field
        }
        rejected |= {
            (f.file, meant_field(f.field))
            for f in findings
            if f.code == "record/unknown-field" and f.field
        }
        gate = to_findings(results, mapped.origins, loaded.record.not_available)
        gate = [f for f in gate if (f.file, f.field) not in rejected]
        findings += mapped.findings + gate
        gaps = not_available(loaded.record)
        if gaps:
            findings = [_acknowledged(f, gaps) for f in findings]
        clock["gate"] += time.perf_counter() - mapped_at
        return Gated(mapped, context, results, findings, loaded, looked_up)

    def reused(self, path: str, position: int | None = None) -> Stored | None:
        """The record's entry in the previous release when nothing it depends on changed,
        else None. ``position``: the record's in the corpus, whose stat signature the index
        took (a snapshot the whole build then agrees with)."""
        if self.previous is None:
            return None
        started = time.perf_counter()
        if position is not None and self.index.has_signatures():
            record_signature = self.index.signature(position)
        else:
            record_signature = signature(path)
        reused = self._reused(path, record_signature)
        if reused is not None:
            self.timings["reuse"] += time.perf_counter() - started
        return reused

    def _reused(self, path: str, current: Signature | None) -> Stored | None:
        """The record's entry in the previous release, when the record, its text and
        everything else it depends on are as they were: its graph is then copied from the
        previous dumps."""
        previous = self.previous
        if previous is None or current is None:
            return None
        folder, _, file_name = path.rpartition(os.sep)
        stable, shown = self._folder_names(folder)
        stored = previous.entry(stable + file_name)
        if stored is None:
            return None
        entry = stored.entry
        if entry.record != current or entry.display != shown + file_name:
            return None  # changed, or findings name files from another working directory
        if entry.latest > self._today_text():
            return None  # a date after the build's today: the in-future check must run
        if signature(self._parent + entry.text_name) != entry.text:
            return None
        if not self._same_registry(entry.registry):
            detail = previous.detail(stored)
            if detail is None or not self._registry_answers_alike(*detail):
                return None
        if not self._linked_valid(entry.linked):
            return None
        return stored if self._minted_intact(stored) else None

    def _minted_intact(self, stored: Stored) -> bool:
        """Whether the entry's minted nodes can be absorbed: seen already, or their blob in
        ``extra.bin`` is the one the (signed) entry names; checked blobs wait for
        :meth:`_absorb_stored`."""
        digest = stored.entry.minted
        if not digest or digest in self._minted_seen or digest in self._minted_checked:
            return True
        assert self.previous is not None
        blob = self.previous.minted(stored)
        if blob is None:
            return False
        self._minted_checked[digest] = blob
        return True

    def _folder_names(self, folder: str) -> tuple[str, str]:
        """How names of files in ``folder`` start, in the state (:func:`stable_name`) and
        in findings (:func:`display_path`)."""
        memo: dict[str, tuple[str, str]] = self.__dict__.setdefault("_folder_memo", {})
        names = memo.get(folder)
        if names is None:  # a corpus has few folders; every record of one shares these
            probe, root = Path(folder) / "-", self.corpus.root
            names = stable_name(probe, root)[:-1], display_path(probe, root)[:-1]
            memo[folder] = names
        return names

    def _hit(
        self, source: Source, started: float, record_signature: Signature | None
    ) -> Outcome | None:
        assert self.cache is not None
        cached = self.cache.get("record", f"{source.display}\x1f{source.sha256}")
        if isinstance(cached, Outcome) and self._still_valid(cached):
            assert cached.dependencies is not None
            text_signature = signature(self.corpus.root.parent / cached.dependencies.text[0])
            cached.signatures = (record_signature, text_signature)
            cached.timings = {"cache": time.perf_counter() - started}
            return cached
        return None

    def process(self, path: Path, render: bool = True) -> Outcome:
        """All per-record work: read, (cache,) map, gate and render. Pure but for the cache."""
        clock: Counter[str] = Counter()
        started = time.perf_counter()
        record_signature = signature(path)  # before reading: a later change shows in it
        source, findings = read_source(path, self.corpus.root, MAX_RECORD_BYTES)
        if source is None:
            return Outcome(
                path.as_posix(), findings, {}, timings={"read": time.perf_counter() - started}
            )
        cache_key = f"{source.display}\x1f{source.sha256}"
        if render and self.cache is not None:
            hit = self._hit(source, started, record_signature)
            if hit is not None:
                return hit
        loaded, findings = load_record_source(source, self.corpus.root)
        inputs = {source.name: source.sha256}
        text_signature = None
        if loaded is not None:
            inputs[loaded.text.name] = loaded.text.sha256
            # right after reading: a change since would be too recent to trust (state.RACY_NS)
            text_signature = signature(loaded.text.path)
        clock["read"] += time.perf_counter() - started
        gated = self._gate(loaded, findings, clock)
        outcome = Outcome(source.display, gated.findings, inputs, timings=clock, name=source.name)
        outcome.signatures = (record_signature, text_signature)
        mapped = gated.mapped
        if mapped is None or loaded is None:
            return outcome
        outcome.key = mapped.key
        outcome.claims, outcome.events = mapped.claims, mapped.events
        outcome.extracted = (mapped.extracted_claims, mapped.extracted_events)
        outcome.minted = mapped.minted
        if render and outcome.passed:
            rendered_at = time.perf_counter()
            graph = self.minter.article_graph(mapped.key)
            outcome.rendered = render_graph(graph, mapped.triples, self._compactor())
            clock["render"] += time.perf_counter() - rendered_at
        if render:
            outcome.pack()
        if render and self.cache is not None:
            outcome.dependencies = self._dependencies(loaded, mapped, gated.looked_up)
            if outcome.dependencies.latest <= self._today().isoformat():
                self.cache.put("record", cache_key, outcome)
        return outcome

    def _compactor(self) -> _Compactor:
        compactor = self.__dict__.get("_compactor_instance")
        if compactor is None:
            compactor = self.__dict__["_compactor_instance"] = _Compactor(jsonld_context())
        return compactor

    def _dependencies(
        self, loaded: LoadedArticle, mapped: MappedArticle, looked_up: set[str]
    ) -> Dependencies:
        registry = self.corpus.registry
        references = {
            ref: (
                entity_id,
                registry.fingerprint(entity_id) if entity_id else registry.suggest(ref) or "",
            )
            for ref, entity_id in mapped.references.items()
        }
        linked = {k: _date_text(self.index.date(k)) for k in mapped.linked_articles}
        latest = max(
            (d.last_day for _, d in record_dates(loaded.record)), default=dt.date.min
        ).isoformat()
        lookups = {key: _lookup_state(registry, key) for key in sorted(looked_up)}
        text = (loaded.text.name, loaded.text.sha256)
        return Dependencies(text, references, linked, latest, lookups, _registry_sha(registry))

    def _still_valid(self, cached: Outcome) -> bool:
        deps = cached.dependencies
        if deps is None or deps.latest > self._today_text():
            return False  # a date after the build's today: the in-future check must run
        text_name, text_sha = deps.text
        try:  # read as the record's own read would: a regular file in the corpus, bounded
            where = locate(str(self.corpus.root.parent / text_name), self.corpus.root)
            if hashlib.sha256(read_bounded(where, MAX_TEXT_BYTES)).hexdigest() != text_sha:
                return False
        except (OSError, Refused):  # computed again, and the finding said then
            return False
        if not self._same_registry(deps.registry) and not self._registry_answers_alike(
            deps.references, deps.lookups
        ):
            return False
        return self._linked_valid(deps.linked.items())

    def _same_registry(self, sha: str) -> bool:
        """Whether the registry file is the one (``sha``) an outcome was computed with: it then
        answers every look-up the same."""
        return bool(sha) and sha == _registry_sha(self.corpus.registry)

    def _registry_answers_alike(
        self, references: dict[str, tuple[str | None, str]], lookups: dict[str, str]
    ) -> bool:
        """Whether the registry (changed since) resolves references and look-ups as before."""
        registry = self.corpus.registry
        for ref, (entity_id, fingerprint) in references.items():
            now = registry.lookup(ref)
            if now != entity_id:
                return False
            current = registry.fingerprint(now) if now else registry.suggest(ref) or ""
            if current != fingerprint:
                return False
        states = self._lookup_states
        for key, state in lookups.items():
            now = states.get(key)
            if now is None:
                now = states[key] = _lookup_state(registry, key)  # the registry is fixed
            if now != state:
                return False
        return True

    def _linked_valid(self, linked: Iterable[tuple[str, str | None]]) -> bool:
        index = self.index
        return all(_date_text(index.date(k)) == v for k, v in linked)

    def outcomes(
        self, paths: Sequence[Path], progress: Progress | None, render: bool = True
    ) -> Generator[Outcome | Stored, None, None]:
        """Each record's outcome, in corpus order: reused, from the cache, or computed here, in
        worker processes or on a Dask cluster."""
        if self.options.scheduler:
            from newsld.release.distributed import WINDOW, dask_submitter

            with dask_submitter(self.corpus.root, self.options, render, prepare) as submit:
                results = self._in_order(paths, submit, render, window=WINDOW)
                yield from _counted(results, len(paths), progress)
            return
        jobs = max(1, min(self.options.jobs, len(paths)))
        if jobs == 1:
            here = functools.partial(self.process, render=render)
            yield from _counted(self._in_order(paths, here, render), len(paths), progress)
            return
        global _WORKER_RUN
        _WORKER_RUN = (self, render)
        workers = _Workers(jobs)
        finished = False
        try:
            results = self._in_order(paths, workers.submit, render, window=jobs * 64)
            yield from _counted(results, len(paths), progress)
            finished = True
        except BrokenProcessPool:
            raise WorkerDied(workers.died()) from None
        finally:  # also on Ctrl-C, a dead worker, or the consumer closing this generator
            workers.close(wait=finished)
            _WORKER_RUN = None

    def _in_order(
        self,
        paths: Sequence[Path],
        submit: Callable[[Path], Any],
        render: bool,
        window: int = 1,
    ) -> Iterator[Outcome | Stored]:
        """Records reused from the previous release are read here (from their state entries;
        stat signatures tell whether they changed); the rest is submitted, and the cache is
        looked in where the record is read. Outcomes still come out in corpus order, a bounded
        window of them in flight. ``submit`` returns an outcome or a handle with
        ``ready``/``get``."""
        pending: deque[Any] = deque()

        def ready(head: Any) -> bool:
            return isinstance(head, Outcome | Stored) or head.ready()

        def value(head: Any) -> Outcome | Stored:
            return head if isinstance(head, Outcome | Stored) else head.get()

        aligned = paths is self.corpus.record_paths  # positions are the index's
        names = paths.strings() if isinstance(paths, RecordPaths) else map(str, paths)
        for position, path in enumerate(names):
            hit = self.reused(path, position if aligned else None) if render else None
            pending.append(hit or submit(Path(path)))
            while pending and (len(pending) > window or ready(pending[0])):
                yield value(pending.popleft())
        while pending:
            yield value(pending.popleft())

    def absorb(self, outcome: Outcome | Stored) -> None:
        """Fold one record's outcome into the run's report, counts and entity graph."""
        if isinstance(outcome, Stored):
            self._absorb_stored(outcome)
            return
        self.counts["records"] += 1
        if outcome.finding_rows is None:
            outcome.finding_rows = FindingLog.rows(outcome.findings)
        self.log.extend_rows(outcome.finding_rows)
        for name, sha in outcome.inputs.items():
            self.inputs.add((name,), sha)
        timings = self.timings
        for stage, seconds in outcome.timings.items():
            timings[stage] += seconds
        if "cache" in outcome.timings:
            self.timings["cache_hits"] += 1
        self._absorb_minted(outcome.minted)
        if outcome.minted_digest:
            self._absorb_blob(outcome.minted_digest, lambda: outcome.minted_blob)
        if outcome.key is not None and outcome.passed:
            self._count_article(outcome.claims, outcome.events, *outcome.extracted)

    def _absorb_stored(self, stored: Stored) -> None:
        """A record reused from the previous release, from its entry alone (entries are of
        records that passed)."""
        entry = stored.entry
        self.counts["records"] += 1
        self.log.extend_rows(entry.rows)
        add_input = self.inputs.add
        for name, sha in entry.inputs:
            add_input((name,), sha)
        self.timings["reused"] += 1
        if entry.minted:
            self._absorb_blob(entry.minted, lambda: self._checked_minted(stored))
        self._count_article(*entry.counts)

    def _checked_minted(self, stored: Stored) -> bytes:
        blob = self._minted_checked.pop(stored.entry.minted, None)
        if blob is None:  # seen when reused, forgotten since: read (and check) it again
            assert self.previous is not None
            blob = self.previous.minted(stored)
            if blob is None:
                raise RuntimeError(f"{stored.entry.display}: the build state changed meanwhile")
        return blob

    def _absorb_blob(self, digest: bytes, blob: Callable[[], bytes]) -> None:
        """Minted nodes packed by :meth:`Outcome.pack`, unpacked only when not seen lately
        (most records mint the same few nodes, and absorbing them again changes nothing)."""
        seen = self._minted_seen
        if digest not in seen:
            self._absorb_minted(_unpack_minted(blob()))
            seen[digest] = None
            if len(seen) > 4096:
                del seen[next(iter(seen))]
        self._minted_checked.pop(digest, None)

    def _absorb_minted(self, minted: dict[URIRef, set[Triple]]) -> None:
        for iri, triples in minted.items():
            self.minted.setdefault(iri, set()).update(triples)

    def _count_article(self, claims: int, events: int, *extracted: int) -> None:
        counts = self.counts
        counts["articles"] += 1
        counts["claims"] += claims
        counts["events"] += events
        if self.options.extract:
            counts["claims_extracted"] += extracted[0]
            counts["events_extracted"] += extracted[1]

    def remember(self, outcome: Outcome | Stored, lengths: tuple[int, ...] = ()) -> None:
        """Note the graph just written (``lengths``: by :meth:`DumpWriter.write`) or copied
        from the previous release, so the next build can copy it from where it is now."""
        if self.state is None:
            return
        if isinstance(outcome, Stored):
            assert self.previous is not None
            self.state.keep(outcome, self.previous)
            return
        deps, rendered = outcome.dependencies, outcome.rendered
        assert deps is not None and rendered is not None
        record, text = outcome.signatures
        outcome.pack()  # (done already when it came from Run.process; packing again is a no-op)
        detail = pack_detail(deps.references, deps.lookups)
        entry = Entry(
            name=outcome.name or outcome.display,
            display=outcome.display,
            record=record,
            text=text,
            text_name=deps.text[0],
            latest=deps.latest,
            registry=deps.registry,
            linked=tuple(sorted(deps.linked.items())),
            key=outcome.key or "",
            counts=(outcome.claims, outcome.events, *outcome.extracted),
            inputs=tuple(outcome.inputs.items()),
            rows=tuple(outcome.finding_rows or ()),
            lengths=lengths,
            triples=rendered.triples,
            subjects=rendered.subjects,
            classes=tuple(sorted(rendered.classes.items())),
            minted=outcome.minted_digest,
            extra=(len(outcome.minted_blob), len(detail)),
            detail=blob_digest(detail),
        )
        self.state.add(entry, outcome.minted_blob, detail)

    @functools.cached_property
    def _parent(self) -> str:
        """The corpus' parent folder with a trailing separator: names are relative to it."""
        return os.path.join(str(self.corpus.root.parent), "")

    def _today(self) -> dt.date:
        return self.options.today or dt.date.today()

    def _today_text(self) -> str:
        text = self.__dict__.get("_today_iso")
        if text is None:  # one day for the whole build, even one that runs past midnight
            text = self.__dict__["_today_iso"] = self._today().isoformat()
        return text

    def check_minted(self) -> None:
        """Log an error for each IRI minted from names that would hold two entities (the
        records seen so far give it two names, or make it a Person and an Organization).
        Not when the registry is unusable: every name would then be minted, and collide."""
        if not any(f.severity is Severity.ERROR for f in self.corpus.findings):
            self.log.extend(minted_conflicts(self.minted))

    def entity_graph(self) -> list[Triple]:
        triples: list[Triple] = []
        for entity_id, entity in self.corpus.registry.entities.items():
            triples += entity_triples(self.minter.entity(entity_id), entity)
        for extra in self.minted.values():
            triples += extra
        self.counts["entities"] = len({t[0] for t in triples})
        return ordered(triples)


class _Watch(Mapping[str, Any]):
    """A read-only view of a registry table that notes every key extraction asks about."""

    def __init__(self, data: Mapping[str, Any], prefix: str, log: set[str]) -> None:
        self.data, self.prefix, self.log = data, prefix, log

    def __getitem__(self, key: str) -> Any:
        self.log.add(self.prefix + key)
        return self.data[key]

    def __contains__(self, key: object) -> bool:
        self.log.add(self.prefix + str(key))
        return key in self.data

    def get(self, key: str, default: Any = None) -> Any:
        self.log.add(self.prefix + key)
        return self.data.get(key, default)

    def __iter__(self) -> Iterator[str]:
        self.log.add("*")  # read it all: depends on the whole registry
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


def _extract(text: str, published: PartialDate | None, registry: Registry) -> Extraction:
    """:func:`newsld.extraction.extract`, imported when first needed (it takes 0.3 s to import,
    and a build that reuses every record needs none of it)."""
    from newsld.extraction import extract

    return extract(text, published, registry)


def _watched(registry: Registry, log: set[str]) -> Registry:
    """The registry as extraction sees it, noting its look-ups so the cache can re-check them."""
    return Registry(
        entities=_Watch(registry.entities, "entity:", log),  # type: ignore[arg-type]
        aliases=_Watch(registry.aliases, "alias:", log),  # type: ignore[arg-type]
        source=registry.source,
    )


def _registry_sha(registry: Registry) -> str:
    return registry.source.sha256 if registry.source else ""


def _lookup_state(registry: Registry, key: str) -> str:
    """What one noted look-up would find now (a cache hit needs every one unchanged)."""
    if key == "*":
        return _registry_sha(registry)
    kind, _, name = key.partition(":")
    if kind == "entity":
        return registry.fingerprint(name) if name in registry.entities else ""
    return registry.aliases.get(name, "")


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

    __slots__ = ("future",)

    def __init__(self, future: Future[Outcome]) -> None:
        self.future = future

    def ready(self) -> bool:
        return self.future.done()

    def get(self) -> Outcome:
        return self.future.result()


class _Workers:
    """Forked worker processes for the per-record work. Unlike ``multiprocessing.Pool``, which
    waits forever for the outcome of a worker that was killed, a dead worker fails every
    pending record at once (:class:`WorkerDied`)."""

    STOP_GRACE = 10.0  # seconds a stopped worker may take to finish its record

    def __init__(self, jobs: int) -> None:
        self.executor = ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("fork"),
            initializer=_quiet_worker,
        )
        self.processes: list[multiprocessing.process.BaseProcess] = []

    def submit(self, path: Path) -> _Submitted:
        if self.processes:
            return _Submitted(self._submit(path))
        # the first submit forks every worker: with SIGINT blocked, so that a Ctrl-C then
        # waits here until they ignore it (and reaches this process once it is unblocked)
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            future = self._submit(path)
            # (no public way to the processes before Python 3.14's terminate_workers())
            self.processes = list(getattr(self.executor, "_processes", {}).values())
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        return _Submitted(future)

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
        forever for the rest of it; one still busy after ``STOP_GRACE`` seconds is killed."""
        if wait:
            self.executor.shutdown(wait=True)
            return
        self.executor.shutdown(wait=False, cancel_futures=True)
        sentinels = {process.sentinel: process for process in self.processes}
        deadline = time.monotonic() + self.STOP_GRACE
        while sentinels and time.monotonic() < deadline:
            for ended in multiprocessing.connection.wait(list(sentinels), timeout=0.1):
                del sentinels[ended]  # type: ignore[arg-type]
        for process in sentinels.values():
            process.kill()
        self.executor.shutdown(wait=True)


def _counted(
    results: Iterator[Outcome | Stored], total: int, progress: Progress | None
) -> Iterator[Outcome | Stored]:
    for done, outcome in enumerate(results, start=1):
        yield outcome
        if progress:
            progress(done, total)


def _date_text(date: PartialDate | None) -> str | None:
    return date.text if date else None


def prepare(corpus_dir: Path, options: BuildOptions, out_dir: Path | None = None) -> Run:
    """Open the corpus and index it; with ``out_dir`` (a build with a cache), also find the
    state of the release there and start recording the new one."""
    started = time.perf_counter()
    corpus = open_corpus(corpus_dir)
    log = FindingLog()
    log.extend(corpus.findings)
    minter = Minter(options.base_iri or corpus.settings.base_iri)
    warnings: list[str] = []
    cache_dir = options.cache_dir
    seal = _cache_seal(cache_dir, corpus.root, warnings) if cache_dir is not None else None
    cache = previous = state = None
    if cache_dir is not None and seal is not None:
        cache = BuildCache(cache_dir, options.salt(minter), seal)
        if out_dir is not None:
            previous = previous_release(cache_dir, out_dir, cache.salt, seal)
            state = StateWriter(cache_dir, out_dir, cache.salt, seal)
    index, findings = _index(corpus, cache, previous, state)
    log.extend(findings)
    run = Run(corpus, minter, options, log, index, cache, previous, state, warnings=warnings)
    for name, sha in corpus.inputs.items():
        run.inputs.add((name,), sha)
    run.timings["index"] += time.perf_counter() - started
    return run


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


def _cache_warnings(run: Run) -> list[str]:
    """The run's warnings, and how many pieces of the cache failed their signature check."""
    rejected = int(run.timings.get("cache_rejected", 0))  # in worker processes
    if run.cache is not None:
        rejected += run.cache.seal.rejected  # in this one
    if not rejected:
        return run.warnings
    run.timings["cache_rejected"] = rejected
    assert run.options.cache_dir is not None
    return [
        *run.warnings,
        f"{rejected} piece(s) of the build cache {run.options.cache_dir} are not signed with "
        "this machine's cache key (written elsewhere, or damaged): ignored, never unpickled, "
        "and rewritten",
    ]


def _select(corpus: Corpus, paths: Sequence[Path] | None, log: FindingLog) -> Sequence[Path]:
    if paths is None:
        return corpus.record_paths
    known = {p.resolve(): p for p in corpus.record_paths}
    selected = []
    for path in paths:
        resolved = path.resolve()
        shown = display_path(path, corpus.root)
        if resolved in known:
            selected.append(known[resolved])
        elif resolved.is_dir():
            selected += [p for p in corpus.record_paths if p.is_relative_to(resolved)]
        elif not resolved.exists():
            log.extend([finding("file/missing", file=shown, target=str(path))])
        elif not resolved.is_relative_to(corpus.root):
            log.extend([finding("file/outside-corpus", file=shown, target=str(path))])
        elif resolved.suffix not in RECORD_SUFFIXES:
            log.extend([finding("file/unsupported-format", file=shown)])
        elif resolved.name in (REGISTRY_FILE, SETTINGS_FILE) and resolved.parent == corpus.root:
            return corpus.record_paths  # every record depends on these
        else:
            log.extend([finding("file/unsupported-format", file=shown)])
    return sorted(set(selected))


def check(
    corpus_dir: Path,
    paths: Sequence[Path] | None = None,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> Report:
    """Validate records (default: all) against the whole corpus, writing nothing."""
    run = prepare(corpus_dir, options or BuildOptions())
    for outcome in run.outcomes(_select(run.corpus, paths, run.log), progress, render=False):
        run.absorb(outcome)
    run.check_minted()
    report = run.log.report(dict(sorted(run.counts.items())))
    run.log.close()
    return report


def build(
    corpus_dir: Path,
    out_dir: Path,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the release; on any error finding, leave ``out_dir`` exactly as it was."""
    options = options or BuildOptions()
    started = time.perf_counter()
    out_dir = out_dir.resolve()
    recover(out_dir)  # a release an earlier build left aside when it was killed mid-swap
    run = prepare(corpus_dir, options, out_dir)
    staging = out_dir.with_name(f".{out_dir.name}.building")
    sources: list[int] = []
    records: Generator[Outcome | Stored, None, None] | None = None
    try:
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        sources = run.previous.open_dumps() if run.previous else []
        latest: PartialDate | None = None
        latest_day = dt.date.min
        last_days: dict[int, dt.date] = {}  # by id: the index's dates live as long as the run
        writer = DumpWriter(staging, jsonld_context())
        try:
            conforms = run.log.conforms  # kept up to date here: the log only grows
            records = run.outcomes(run.corpus.record_paths, progress)
            for position, outcome in enumerate(records):  # one outcome a record, in order
                run.absorb(outcome)
                writing = time.perf_counter()
                if isinstance(outcome, Stored):  # reused: it passed, as it did then
                    entry = outcome.entry
                    if conforms:
                        counts = (entry.triples, entry.subjects, entry.classes)
                        writer.copy(sources, outcome.starts, entry.lengths, counts)
                        run.remember(outcome)
                    key: str | None = entry.key
                else:
                    conforms = conforms and outcome.passed
                    if outcome.rendered is not None and conforms:
                        run.remember(outcome, writer.write(outcome.rendered))
                    key = outcome.key
                date = run.index.date_at(position) if key is not None else None
                if date is not None and date is not latest:  # one object per distinct date
                    day = last_days.get(id(date)) or last_days.setdefault(id(date), date.last_day)
                    if latest is None or day > latest_day:
                        latest, latest_day = date, day
                run.timings["write"] += time.perf_counter() - writing
            writing = time.perf_counter()
            run.check_minted()
            writer.write_graph(run.minter.entities_graph(), run.entity_graph())
        finally:
            writer.close()
        run.timings["write"] += time.perf_counter() - writing
        run.counts["triples"] = writer.triples
        stats = dict(sorted(run.counts.items()))
        if not run.log.conforms:
            warnings = _cache_warnings(run)
            timings = _timings(run, started)
            return BuildResult(run.log, stats, out_dir, timings=timings, warnings=warnings)
        describing = time.perf_counter()
        issued = options.issued or run.corpus.settings.issued or latest or PartialDate.parse("1970")
        # the dumps are hashed in a thread (hashlib lets go of the GIL) while the report is
        # written: at 100k articles each takes about a second
        with ThreadPoolExecutor(max_workers=1) as hashing:
            hashed_dumps = hashing.submit(
                lambda: [FileInfo.of(staging / name, name) for name in writer.files()]
            )
            with (staging / REPORT_FILE).open("w", encoding="utf-8", newline="\n") as stream:
                stream.writelines(report_json(stats, run.log.json_lines()))
            dumps = hashed_dumps.result()
        classes = Counter({URIRef(k): v for k, v in writer.classes.items()})
        _write_description(staging, run, issued, dumps, writer.triples, classes, writer.subjects)
        _copy_standalone(staging)
        hashed = {info.name: info for info in dumps}  # the dumps are large: hash them once
        files = [
            hashed.get(name) or FileInfo.of(p, name)
            for p in sorted(staging.rglob("*"))
            if p.is_file()
            for name in [p.relative_to(staging).as_posix()]
        ]
        data = manifest(
            version=__version__,
            settings=run.corpus.settings,
            base_iri=run.minter.base,
            issued=issued,
            counts=stats,
            findings={s.value: run.log.severities.get(s, 0) for s in Severity},
            files=files,
        )
        with (staging / MANIFEST_FILE).open("w", encoding="utf-8", newline="\n") as stream:
            stream.writelines(manifest_json(data, ((str(k[0]), sha) for k, sha in run.inputs)))
        replace_folder(staging, out_dir)
        if run.state is not None:
            run.state.commit(writer.files(), writer.bases)
            run.state = None
        run.timings["describe"] += time.perf_counter() - describing
        warnings = _cache_warnings(run)
        timings = _timings(run, started)
        return BuildResult(run.log, stats, out_dir, True, data, timings=timings, warnings=warnings)
    finally:
        if records is not None:
            records.close()  # (a generator) stops the workers when the build stopped early
        for descriptor in sources:
            os.close(descriptor)
        if run.previous is not None:
            run.previous.close()
        if run.state is not None:
            run.state.abandon()
        shutil.rmtree(staging, ignore_errors=True)


def _timings(run: Run, started: float) -> dict[str, float]:
    timings = {stage: run.timings.get(stage, 0.0) for stage in STAGES}
    timings.update({k: v for k, v in run.timings.items() if k not in timings})
    timings["total"] = time.perf_counter() - started
    return timings


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _write_description(
    staging: Path,
    run: Run,
    issued: PartialDate,
    dumps: list[FileInfo],
    triples: int,
    classes: Counter[URIRef],
    subjects: int,
) -> None:
    described = description_triples(
        run.minter, run.corpus.settings, issued, dumps, triples, classes, subjects
    )
    with (staging / DESCRIPTION_FILE).open("w", encoding="utf-8", newline="\n") as stream:
        TurtleWriter(stream, _Compactor(jsonld_context())).write(ordered(described))


def _copy_standalone(staging: Path) -> None:
    """Vocabulary, context and shapes travel with the release so it stands alone."""
    (staging / "vocab").mkdir()
    (staging / "shapes").mkdir()
    shutil.copyfile(vocab_path(), staging / "vocab" / vocab_path().name)
    shutil.copyfile(context_path(), staging / "vocab" / context_path().name)
    shutil.copyfile(shapes_path(), staging / "shapes" / shapes_path().name)
