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

This module holds the options, :func:`check`, :func:`build` and the steps that finish a release
(report, description, manifest); the per-record work and its order are :mod:`.run`'s, what a
record contributes :mod:`.outcome`'s, and the worker processes :mod:`.workers`'.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import time
from collections import Counter
from collections.abc import Generator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from newsld import __version__
from newsld.corpus.dates import PartialDate
from newsld.corpus.files import display_path
from newsld.corpus.reader import RECORD_SUFFIXES, REGISTRY_FILE, SETTINGS_FILE, Corpus
from newsld.findings.report import FindingLog, Report, Severity, finding, report_json
from newsld.rdf.identity import BucketStats, bucket_of, first_appearances
from newsld.rdf.iris import Minter
from newsld.rdf.mapped import AppearanceRow
from newsld.rdf.resources import context_path, jsonld_context, shapes_path, vocab_path
from newsld.release.cache import digest, toolkit_digest
from newsld.release.outcome import Outcome
from newsld.release.review import REVIEW_FILE, ReviewSummary, ReviewWriter
from newsld.release.run import Run, prepare
from newsld.release.state import IdentityPart, Stored
from newsld.release.swap import recover, replace_folder
from newsld.release.workers import Progress
from newsld.render.describe import FileInfo, description_triples, manifest, manifest_json
from newsld.render.exports import (
    CLAIMREVIEW_FEED,
    CLAIMS_CSV,
    CLAIMS_PARQUET,
    ENTITIES_CSV,
    EVENTS_CSV,
    entity_csv,
    feed_document,
    feed_items_of,
)
from newsld.render.parquet import write as write_parquet
from newsld.render.serialize import DumpWriter, TurtleWriter, _Compactor, ordered

DESCRIPTION_FILE = "void.ttl"
MANIFEST_FILE = "manifest.json"
REPORT_FILE = "report.json"
# every file the description lists as a distribution: the RDF dumps, then the other files
DISTRIBUTIONS = (
    *DumpWriter.RDF_DUMPS,
    CLAIMS_CSV,
    CLAIMS_PARQUET,
    EVENTS_CSV,
    ENTITIES_CSV,
    CLAIMREVIEW_FEED,
)
STAGES = (
    "index", "read", "extract", "map", "gate", "render", "cache", "write", "identity", "describe",
)  # fmt: skip


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
    # extracted claims less confident than this are withheld (None: dataset.yaml's min_confidence,
    # else DEFAULT_MIN_CONFIDENCE; see DatasetSettings.release_min_confidence)
    min_confidence: float | None = None

    def salt(self, minter: Minter, min_confidence: float) -> str:
        """Everything besides a record's own files that its output depends on
        (``min_confidence``: the threshold in force, however it was set)."""
        inputs = [vocab_path(), context_path(), shapes_path()]
        files = [digest(p.read_bytes()) for p in inputs]
        flags = [str(self.include_text), self.engine, str(self.extract), repr(min_confidence)]
        return digest(__version__, toolkit_digest(), minter.base, *flags, *files)


@dataclass
class BuildResult:
    findings: FindingLog  # every finding, on disk, read back in report order
    stats: dict[str, int]
    out_dir: Path
    written: bool = False
    manifest: dict[str, Any] | None = None
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    warnings: list[str] = field(default_factory=list)  # about the build, not the data
    review: ReviewSummary | None = None  # the claims withheld for review (review.jsonl)

    @property
    def conforms(self) -> bool:
        return self.findings.conforms

    @property
    def report(self) -> Report:
        """All findings in memory as a :class:`Report`; iterate ``findings`` for a large corpus."""
        return self.findings.report(self.stats)


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


def _write_identity(
    run: Run, writer: DumpWriter, sources: Sequence[int]
) -> dict[int, IdentityPart]:
    """The identity graph, a bucket at a time (:mod:`newsld.rdf.identity`): copied from the
    previous release's dumps when the bucket's appearances are the same, else computed and
    rendered. Returns where each bucket now lies, for the next build."""
    previous = run.previous.identity if run.previous is not None else {}
    buckets = run.identity.buckets()
    reused = {
        bucket: previous[bucket]
        for bucket, digest_now in buckets
        if bucket in previous and previous[bucket].digest == digest_now
    }
    todo = [bucket for bucket, _ in buckets if bucket not in reused]
    parts: dict[int, IdentityPart] = {}
    with contextlib.closing(run.identity_rendered(todo, writer.compactor)) as computed:
        for bucket, bucket_digest in buckets:
            part = reused.get(bucket)
            if part is not None:
                writer.copy(sources, part.starts, part.lengths, part.counts)
                run.timings["identity_reused"] += 1
            else:
                rendered, stats = next(computed)
                classes = tuple(sorted(rendered.classes.items()))
                counts = (rendered.triples, rendered.subjects, classes)
                lengths = writer.write(rendered)
                part = IdentityPart(bucket_digest, (), lengths, counts, tuple(stats))
            # where it lies in these dumps, copied or not (the next build copies it from there)
            ends = writer.ends()
            starts = tuple(end - length for end, length in zip(ends, part.lengths, strict=True))
            parts[bucket] = part._replace(starts=starts)
    run.timings["identity_buckets"] = len(parts)
    return parts


def _feed(run: Run, reviewed: list[tuple[bytes, tuple[AppearanceRow, ...]]]) -> bytes:
    """The ClaimReview feed: the reviewing records' items, each reviewed claim with its first
    appearance, found in the identity pass's bucket of that claim (``reviewed``: each record's
    feed part and appearances)."""
    records = [feed_items_of(part) for part, _ in reviewed]
    wanted: dict[int, set[str]] = {}
    for items, (_, rows) in zip(records, reviewed, strict=True):
        claims = {item.get("itemReviewed", {}).get("@id") for item in items}
        for row in rows:
            if row[1] in claims:
                wanted.setdefault(bucket_of(row), set()).add(row[1])
    first: dict[str, str] = {}
    for bucket, claims in sorted(wanted.items()):
        first.update(first_appearances(run.identity.items(bucket), claims))
    return feed_document(records, first)


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
    run.count_identity(run.identity_bucket(bucket)[1] for bucket, _ in run.identity.buckets())
    run.identity.close()
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
        review = ReviewWriter(staging)
        reviewed: list[tuple[bytes, tuple[AppearanceRow, ...]]] = []  # feed parts, appearances
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
                        review.write(entry.review)
                        if entry.feed:
                            reviewed.append((entry.feed, entry.appearances))
                        run.remember(outcome)
                    key: str | None = entry.key
                else:
                    conforms = conforms and outcome.passed
                    if outcome.rendered is not None and conforms:
                        run.remember(outcome, writer.write(outcome.rendered))
                        review.write(outcome.review)
                        if outcome.rendered.feed:
                            reviewed.append((outcome.rendered.feed, outcome.appearances))
                    key = outcome.key
                date = run.index.date_at(position) if key is not None else None
                if date is not None and date is not latest:  # one object per distinct date
                    day = last_days.get(id(date)) or last_days.setdefault(id(date), date.last_day)
                    if latest is None or day > latest_day:
                        latest, latest_day = date, day
                run.timings["write"] += time.perf_counter() - writing
            writing = time.perf_counter()
            run.check_minted()
            entities = run.entity_graph()
            writer.write_graph(run.minter.entities_graph(), entities)
            identity_started = time.perf_counter()
            before = run.timings["identity"]
            identity = _write_identity(run, writer, sources)
            (staging / CLAIMREVIEW_FEED).write_bytes(_feed(run, reviewed))
            run.identity.close()
            # a claim or event is in the graph of each record that reports it: counted once
            again, repeated = run.count_identity(BucketStats(*p.stats) for p in identity.values())
            spent = time.perf_counter() - identity_started
            run.timings["identity"] = before + spent  # rendering it too: the pass's whole cost
            writing += spent  # (not counted as writing)
        finally:
            writer.close()
            review.close()
        if run.log.conforms:
            (staging / ENTITIES_CSV).write_bytes(entity_csv(entities))
            del entities
            write_parquet(staging / CLAIMS_CSV, staging / CLAIMS_PARQUET)
        run.timings["write"] += time.perf_counter() - writing
        run.counts["triples"] = writer.triples
        stats = dict(sorted(run.counts.items()))
        summary = ReviewSummary(
            REVIEW_FILE,
            run.min_confidence,
            stats.get("claims_withheld", 0),
            stats.get("quotes_unattributed", 0),
        )
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
                lambda: [FileInfo.of(staging / name, name) for name in DISTRIBUTIONS]
            )
            with (staging / REPORT_FILE).open("w", encoding="utf-8", newline="\n") as stream:
                extra = {"review": summary.as_json()}
                stream.writelines(report_json(stats, run.log.json_lines(), extra))
            dumps = hashed_dumps.result()
        classes = Counter({URIRef(k): v - repeated[k] for k, v in writer.classes.items()})
        subjects = writer.subjects - again
        _write_description(staging, run, issued, dumps, writer.triples, classes, subjects)
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
            run.state.commit(writer.files(), writer.bases, identity)
            run.state = None
        run.timings["describe"] += time.perf_counter() - describing
        warnings = _cache_warnings(run)
        timings = _timings(run, started)
        return BuildResult(
            run.log, stats, out_dir, True, data, timings=timings, warnings=warnings, review=summary
        )
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
        run.minter,
        run.corpus.settings,
        issued,
        dumps,
        triples,
        classes,
        subjects,
        exports=DISTRIBUTIONS[len(DumpWriter.RDF_DUMPS) :],
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
