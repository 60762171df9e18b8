"""The run of one build: the :class:`Run` that reads, maps, gates, renders and caches each
record (or reuses it from the previous release), yields outcomes in corpus order and folds
them into the report, counts and entity graph; :func:`prepare` opens the corpus and starts one.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import multiprocessing
import os
import time
from collections import Counter, deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rdflib import URIRef

from newsld.corpus.dates import PartialDate
from newsld.corpus.files import (
    MAX_RECORD_BYTES,
    MAX_TEXT_BYTES,
    Refused,
    Source,
    display_path,
    locate,
    read_bounded,
    read_source,
    stable_name,
)
from newsld.corpus.reader import (
    Corpus,
    LoadedArticle,
    RecordPaths,
    load_article,
    load_record_source,
    open_corpus,
)
from newsld.corpus.records import meant_field, not_available, record_dates
from newsld.findings.report import Finding, FindingLog, Severity
from newsld.findings.spool import Spool
from newsld.gate import shapes
from newsld.gate.shacl import to_findings, validate
from newsld.rdf.identity import BucketStats, IdentitySpool, Item, bucket_graph
from newsld.rdf.iris import Minter
from newsld.rdf.mapped import MappedArticle
from newsld.rdf.mapping import entity_triples, map_article, minted_conflicts
from newsld.rdf.resources import jsonld_context
from newsld.rdf.terms import Triple
from newsld.release import workers as pools
from newsld.release.cache import BuildCache, _cache_seal
from newsld.release.gating import Gated, _acknowledged, _context_triples, _future_dates
from newsld.release.index import CorpusIndex, _index
from newsld.release.lookups import _extract, _lookup_state, _registry_sha, _watched
from newsld.release.outcome import Dependencies, Outcome, _unpack_minted
from newsld.release.review import BELOW_CONFIDENCE, UNATTRIBUTED, review_rows
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
from newsld.release.workers import Progress, WorkerDied, _counted, _Workers
from newsld.render.exports import render_exports
from newsld.render.serialize import RenderedGraph, _Compactor, ordered, render_graph

if TYPE_CHECKING:
    from newsld.release.build import BuildOptions


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
    identity: IdentitySpool = field(default_factory=IdentitySpool)  # every appearance, by bucket
    _lookup_states: dict[str, str] = field(default_factory=dict)  # registry look-ups, memoised
    _minted_seen: dict[bytes, None] = field(default_factory=dict)  # digests, recent ones
    _minted_checked: dict[bytes, bytes] = field(default_factory=dict)  # digest → its blob

    @property
    def min_confidence(self) -> float:
        """The threshold below which extracted claims are withheld (options, dataset.yaml,
        else the default); part of the cache salt."""
        return self.corpus.settings.release_min_confidence(self.options.min_confidence)

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
        watched = _watched(self.corpus.registry, looked_up)  # names in the text: looked up
        if self.options.extract:
            extracting = time.perf_counter()
            record = loaded.record
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
            min_confidence=self.min_confidence,
            names=watched.aliases,
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
            (f.file, meant)
            for f in findings
            if f.code == "record/unknown-field" and f.field and (meant := meant_field(f.field))
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
        outcome.review = review_rows(mapped.withheld)
        outcome.appearances = tuple(mapped.appearances)
        outcome.minted = mapped.minted
        if render and outcome.passed:
            rendered_at = time.perf_counter()
            graph = self.minter.article_graph(mapped.key)
            exports = render_exports([*mapped.triples, *gated.context], mapped.iri)
            outcome.rendered = render_graph(graph, mapped.triples, self._compactor(), exports)
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
        pools._WORKER_RUN = (self, render)  # what the forked workers compute with
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
            pools._WORKER_RUN = None

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
            self._count_review(outcome.review)
            self.identity.add(outcome.key, outcome.appearances)

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
        self._count_review(entry.review)
        self.identity.add(entry.key, entry.appearances)

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

    def _count_review(self, rows: tuple[tuple[str, str], ...]) -> None:
        if self.options.extract:
            why = Counter(row[0] for row in rows)
            self.counts["claims_withheld"] += why[BELOW_CONFIDENCE]
            self.counts["quotes_unattributed"] += why[UNATTRIBUTED]

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
            review=outcome.review,
            appearances=outcome.appearances,
            feed=rendered.feed,
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

    def identity_bucket(self, bucket: int) -> tuple[list[Triple], BucketStats]:
        """One bucket of the identity pass: its first appearances, claim texts and variants
        (ordered), from the appearances of every record in it, and its counts."""
        started = time.perf_counter()
        triples, stats = bucket_graph(self.identity.items(bucket))
        result = ordered(triples)
        self.timings["identity"] += time.perf_counter() - started
        return result, stats

    def identity_rendered(
        self, buckets: Sequence[int], compactor: _Compactor
    ) -> Iterator[tuple[RenderedGraph, BucketStats]]:
        """Buckets of the identity pass, computed and rendered, in order: in forked worker
        processes when the build has more than one job (they hold what rendering memoises of
        IRIs no other graph names, not this process)."""
        graph = self.minter.identity_graph
        jobs = max(1, min(self.options.jobs, len(buckets)))
        if jobs == 1 or self.options.scheduler:
            for bucket in buckets:
                yield _render_identity(graph(bucket), self.identity.items(bucket), compactor)
            return
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs, context, initializer=pools._quiet_worker) as pool:
            pending: deque[Any] = deque()
            for bucket in buckets:
                items = self.identity.items(bucket)
                pending.append(pool.submit(_render_identity, graph(bucket), items, None))
                if len(pending) >= 4 * jobs:  # a few buckets in flight: memory stays bounded
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()

    def count_identity(self, stats: Iterable[BucketStats]) -> tuple[int, Counter[str]]:
        """Count claims and events as distinct nodes, their reports apart, and variant links;
        returns how often the dumps' per-graph counts count a subject again, overall and by
        class (a claim or event is in the graph of each record that reports it)."""
        counts = self.counts
        counts["claim_appearances"] = counts["claims"]
        counts["event_appearances"] = counts["events"]
        counts["claims"] = counts["events"] = counts["claim_variants"] = 0
        again = 0
        classes: Counter[str] = Counter()
        for part in stats:
            counts["claims"] += part.claims
            counts["events"] += part.events
            counts["claim_variants"] += part.variants
            again += part.again
            classes.update(dict(part.classes))
        return again, classes

    def entity_graph(self) -> list[Triple]:
        triples: list[Triple] = []
        for entity_id, entity in self.corpus.registry.entities.items():
            triples += entity_triples(self.minter.entity(entity_id), entity)
        for extra in self.minted.values():
            triples += extra
        self.counts["entities"] = len({t[0] for t in triples})
        return ordered(triples)


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
        threshold = corpus.settings.release_min_confidence(options.min_confidence)
        cache = BuildCache(cache_dir, options.salt(minter, threshold), seal)
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


_WORKER_COMPACTOR: _Compactor | None = None  # an identity worker's, made on its first bucket


def _render_identity(
    graph: URIRef, items: list[Item], compactor: _Compactor | None
) -> tuple[RenderedGraph, BucketStats]:
    """One bucket of the identity graph, rendered for every dump, with its counts."""
    global _WORKER_COMPACTOR
    if compactor is None:
        compactor = _WORKER_COMPACTOR = _WORKER_COMPACTOR or _Compactor(jsonld_context())
    triples, stats = bucket_graph(items)
    return render_graph(graph, ordered(triples), compactor), stats
