"""The pipeline: corpus records → mapped graphs → SHACL gate → release in ``dist/``.

Records flow one at a time: each is read, mapped, validated with only what it references (its
graph, the registry entities it names, the dates of articles it links to) and, if it passes,
written straight to the dumps. The release is assembled in a sibling temporary folder and swapped
in only when everything passed, so a failed build leaves the previous release untouched.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from . import __version__, shapes
from .corpus import (
    RECORD_SUFFIXES,
    REGISTRY_FILE,
    SETTINGS_FILE,
    Corpus,
    LoadedArticle,
    display_path,
    iter_articles,
    load_article,
    open_corpus,
)
from .dates import PartialDate
from .describe import FileInfo, description_triples, manifest
from .iris import Minter
from .mapping import MappedArticle, Triple, date_literal, entity_triples, map_article
from .namespaces import RDF, SDO
from .records import field_label, record_dates
from .report import Finding, Report, Severity, finding
from .resources import context_path, jsonld_context, shapes_path, vocab_path
from .serialize import DumpWriter, TurtleWriter, _Compactor, ordered
from .shacl import ShapeResult, to_findings, validate

Progress = Callable[[int, int], None]

DESCRIPTION_FILE = "void.ttl"
MANIFEST_FILE = "manifest.json"
REPORT_FILE = "report.json"


@dataclass(frozen=True)
class BuildOptions:
    base_iri: str | None = None  # overrides dataset.yaml's base_iri
    include_text: bool = False  # article full text in the release (publisher copyright!)
    issued: PartialDate | None = None  # overrides dataset.yaml's issued
    today: dt.date | None = None  # for the date/in-future check (default: the clock's today)
    engine: str = "native"  # "native" (compiled shapes, checked against pySHACL) or "pyshacl"


@dataclass
class BuildResult:
    report: Report
    out_dir: Path
    written: bool = False
    manifest: dict[str, Any] | None = None


@dataclass
class _Index:
    """What every record may need to know about the others: ids and publication dates."""

    dates: dict[str, PartialDate | None] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)


def _index(corpus: Corpus) -> tuple[_Index, list[Finding]]:
    index = _Index()
    findings: list[Finding] = []
    for _, loaded, _ in iter_articles(corpus):
        if loaded is None:
            continue
        key = loaded.record.id
        if key in index.paths:
            position = loaded.doc.position(("id",))
            findings.append(
                finding(
                    "record/duplicate-id",
                    file=loaded.source.display,
                    line=position.line if position else None,
                    field="id",
                    id=key,
                    other=index.paths[key],
                )
            )
            continue
        index.paths[key] = loaded.source.display
        index.dates[key] = loaded.record.date_published
    return index, findings


def _context_triples(
    mapped: MappedArticle, corpus: Corpus, minter: Minter, index: _Index
) -> Iterator[Triple]:
    """What the gate needs besides the article graph: referenced entities and linked articles."""
    for entity_id in sorted(mapped.entity_ids):
        yield from entity_triples(minter.entity(entity_id), corpus.registry.entities[entity_id])
    for triples in mapped.minted.values():
        yield from triples
    for key in sorted(mapped.linked_articles):
        if key in index.dates:
            other = minter.article(key)
            yield (other, RDF.type, SDO.NewsArticle)
            date = index.dates[key]
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


@dataclass
class Run:
    corpus: Corpus
    minter: Minter
    options: BuildOptions
    report: Report
    index: _Index
    minted: dict[URIRef, set[Triple]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    inputs: dict[str, str] = field(default_factory=dict)

    def gate(self, path: Path) -> Gated:
        """Read, map and validate one record against what it references."""
        loaded, findings = load_article(path, self.corpus.root)
        if loaded is None:
            return Gated(None, [], [], findings)
        self.inputs[loaded.source.name] = loaded.source.sha256
        self.inputs[loaded.text.name] = loaded.text.sha256
        findings += _future_dates(loaded, self.options.today or dt.date.today())
        mapped = map_article(
            loaded, self.corpus.registry, self.minter, include_text=self.options.include_text
        )
        context = list(_context_triples(mapped, self.corpus, self.minter, self.index))
        if self.options.engine == "native" and shapes.supported():
            results = shapes.evaluate([*mapped.triples, *context])
        else:
            results = validate([*mapped.triples, *context])
        # one root cause, one finding: a field the mapping already rejected (an unusable
        # reference, say) is not reported again by the shape that misses its value
        rejected = {(f.file, f.field) for f in mapped.findings if f.severity is Severity.ERROR}
        gate = to_findings(results, mapped.origins)
        gate = [f for f in gate if (f.file, f.field) not in rejected]
        findings += mapped.findings + gate
        return Gated(mapped, context, results, findings)

    def articles(self, paths: Sequence[Path], progress: Progress | None) -> Iterator[MappedArticle]:
        """Gate each record; yield the ones that pass."""
        for done, path in enumerate(paths, start=1):
            gated = self.gate(path)
            self.counts["records"] += 1
            self.report.extend(gated.findings)
            mapped = gated.mapped
            if mapped is not None:
                for iri, triples in mapped.minted.items():
                    self.minted.setdefault(iri, set()).update(triples)
                if not any(f.severity is Severity.ERROR for f in gated.findings):
                    self.counts["articles"] += 1
                    self.counts["claims"] += mapped.claims
                    self.counts["events"] += mapped.events
                    yield mapped
            if progress:
                progress(done, len(paths))

    def entity_graph(self) -> list[Triple]:
        triples: list[Triple] = []
        for entity_id, entity in self.corpus.registry.entities.items():
            triples += entity_triples(self.minter.entity(entity_id), entity)
        for extra in self.minted.values():
            triples += extra
        self.counts["entities"] = len({t[0] for t in triples})
        return ordered(triples)


def prepare(corpus_dir: Path, options: BuildOptions) -> Run:
    corpus = open_corpus(corpus_dir)
    report = Report()
    report.extend(corpus.findings)
    minter = Minter(options.base_iri or corpus.settings.base_iri)
    index, findings = _index(corpus)
    report.extend(findings)
    run = Run(corpus, minter, options, report, index)
    run.inputs.update(corpus.inputs)
    return run


def _select(corpus: Corpus, paths: Sequence[Path] | None, report: Report) -> list[Path]:
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
            report.extend([finding("file/missing", file=shown, target=str(path))])
        elif not resolved.is_relative_to(corpus.root):
            report.extend([finding("file/outside-corpus", file=shown, target=str(path))])
        elif resolved.suffix not in RECORD_SUFFIXES:
            report.extend([finding("file/unsupported-format", file=shown)])
        elif resolved.name in (REGISTRY_FILE, SETTINGS_FILE) and resolved.parent == corpus.root:
            return corpus.record_paths  # every record depends on these
        else:
            report.extend([finding("file/unsupported-format", file=shown)])
    return sorted(set(selected))


def check(
    corpus_dir: Path,
    paths: Sequence[Path] | None = None,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> Report:
    """Validate records (default: all) against the whole corpus, writing nothing."""
    run = prepare(corpus_dir, options or BuildOptions())
    for mapped in run.articles(_select(run.corpus, paths, run.report), progress):
        del mapped
    run.report.stats = dict(sorted(run.counts.items()))
    return run.report.sorted()


def build(
    corpus_dir: Path,
    out_dir: Path,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Build the release; on any error finding, leave ``out_dir`` exactly as it was."""
    options = options or BuildOptions()
    run = prepare(corpus_dir, options)
    out_dir = out_dir.resolve()
    staging = out_dir.with_name(f".{out_dir.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        classes: Counter[URIRef] = Counter()
        subjects = 0
        latest: PartialDate | None = None
        context = jsonld_context()
        writer = DumpWriter(staging, context)
        try:
            for mapped in run.articles(run.corpus.record_paths, progress):
                triples = ordered(mapped.triples)
                writer.write_graph(run.minter.article_graph(mapped.key), triples)
                classes.update(t[2] for t in triples if t[1] == RDF.type)  # type: ignore[misc]
                subjects += len({t[0] for t in triples})
                date = run.index.dates.get(mapped.key)
                if date is not None and (latest is None or date.last_day > latest.last_day):
                    latest = date
            entities = run.entity_graph()
            writer.write_graph(run.minter.entities_graph(), entities)
            classes.update(t[2] for t in entities if t[1] == RDF.type)  # type: ignore[misc]
            subjects += len({t[0] for t in entities})
        finally:
            writer.close()
        run.counts["triples"] = writer.triples
        report = run.report.sorted()
        report.stats = dict(sorted(run.counts.items()))
        if not report.conforms:
            return BuildResult(report, out_dir)
        issued = options.issued or run.corpus.settings.issued or latest or PartialDate.parse("1970")
        dumps = [FileInfo.of(staging / name, name) for name in writer.files()]
        _write_description(staging, run, issued, dumps, writer.triples, classes, subjects)
        _copy_standalone(staging)
        (staging / REPORT_FILE).write_text(
            report.model_dump_json(indent=2) + "\n", encoding="utf-8"
        )
        files = [
            FileInfo.of(p, p.relative_to(staging).as_posix())
            for p in sorted(staging.rglob("*"))
            if p.is_file()
        ]
        severities = Counter(f.severity.value for f in report.findings)
        data = manifest(
            version=__version__,
            settings=run.corpus.settings,
            base_iri=run.minter.base,
            issued=issued,
            counts=report.stats,
            findings={s.value: severities.get(s.value, 0) for s in Severity},
            inputs=run.inputs,
            files=files,
        )
        (staging / MANIFEST_FILE).write_text(
            json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )
        _swap(staging, out_dir)
        return BuildResult(report, out_dir, written=True, manifest=data)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


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


def _swap(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with two renames; restore the old one on failure."""
    backup = out_dir.with_name(f".{out_dir.name}.previous")
    shutil.rmtree(backup, ignore_errors=True)
    if out_dir.exists():
        out_dir.rename(backup)
    try:
        staging.rename(out_dir)
    except OSError:
        if backup.exists():
            backup.rename(out_dir)
        raise
    shutil.rmtree(backup, ignore_errors=True)
