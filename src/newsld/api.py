"""The public Python API: what a notebook, a script or the ``newsld`` command calls.

Each function takes plain values (paths as ``str`` or :class:`~pathlib.Path`, dates as
``"2018-06-10"``), returns the library's own objects and prints nothing::

    import newsld

    report = newsld.validate("corpus")               # a Report: findings, stats
    result = newsld.build("corpus", "dist")          # a BuildResult: written?, stats, findings
    answer = newsld.query("SELECT (COUNT(*) AS ?n) WHERE { ?c a nld:Claim }", release="dist")
    found = newsld.extraction(text, published="2018-06-10", corpus="corpus")

``import newsld`` stays light: these are loaded when first used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newsld.corpus.dates import PartialDate
    from newsld.endpoints.query import QueryResult
    from newsld.extraction import Extraction
    from newsld.findings.report import Report
    from newsld.release.build import BuildOptions, BuildResult
    from newsld.release.reader import Release

PathLike = str | Path
Progress = Callable[[int, int], None]  # (records done, records in all)


def _date(value: str | PartialDate | None) -> PartialDate | None:
    from newsld.corpus.dates import PartialDate

    if value is None or isinstance(value, PartialDate):
        return value
    return PartialDate.parse(value)


def build_options(
    *,
    base_iri: str | None = None,
    include_text: bool = False,
    issued: str | PartialDate | None = None,
    engine: str = "native",
    jobs: int | None = None,
    scheduler: str | None = None,
    cache_dir: PathLike | None = ".newsld-cache",
    extract: bool = True,
    min_confidence: float | None = None,
) -> BuildOptions:
    """The options of a build or a validation, with the CLI's defaults (``jobs``: all cores;
    ``cache_dir=None``: no cache; ``extract=False``: curated claims and events only;
    ``min_confidence``: extracted claims less confident are withheld for review, default
    ``min_confidence`` in dataset.yaml, else
    :data:`~newsld.corpus.records.DEFAULT_MIN_CONFIDENCE`)."""
    from newsld.release.build import BuildOptions
    from newsld.release.workers import default_jobs

    return BuildOptions(
        base_iri=base_iri,
        include_text=include_text,
        issued=_date(issued),
        engine=engine,
        jobs=jobs or default_jobs(),
        scheduler=scheduler,
        cache_dir=None if cache_dir is None else Path(cache_dir),
        extract=extract,
        min_confidence=min_confidence,
    )


def build(
    corpus: PathLike = "corpus",
    out: PathLike = "dist",
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> BuildResult:
    """Validate the corpus and write the release to ``out``. When any record has an error,
    nothing is written and ``out`` is left as it was (``result.written`` is False)."""
    from newsld.release.build import build as run_build

    return run_build(Path(corpus), Path(out), options or build_options(), progress)


def validate(
    corpus: PathLike = "corpus",
    paths: Sequence[PathLike] | None = None,
    options: BuildOptions | None = None,
    progress: Progress | None = None,
) -> Report:
    """Check records (default: all of them) with everything the build's gate checks, against
    the whole corpus, writing nothing."""
    from newsld.release.build import check

    chosen = [Path(p) for p in paths] if paths else None
    return check(Path(corpus), chosen, options or build_options(cache_dir=None), progress)


def extract(
    text: str, published: str | PartialDate | None = None, corpus: PathLike | None = None
) -> Extraction:
    """Claims, speakers, dates and events proposed from an article's raw text. ``published``
    resolves relative dates ("on Saturday"); ``corpus`` lends its registry, so names resolve to
    its entities."""
    from newsld.corpus.reader import open_corpus
    from newsld.extraction import extract as run_extract

    registry = open_corpus(Path(corpus)).registry if corpus is not None else None
    return run_extract(text, _date(published), registry)


def open_release(directory: PathLike = "dist") -> Release:
    """A written release, checked against its manifest."""
    from newsld.release.reader import open_release as open_directory

    return open_directory(Path(directory))


def query(
    sparql: str,
    release: PathLike = "dist",
    *,
    store: PathLike | None = None,
    timeout: float = 60.0,
    allow_service: bool = False,
) -> QueryResult:
    """Run a SPARQL query on a release, in an embedded store built once per release (under
    ``.newsld-store/`` beside it, or ``store``). The default graph is the union of the named
    graphs and the project's prefixes (``nld:``, ``schema:``, …) need no declaration. The query
    is stopped after ``timeout`` seconds (0: no limit); ``SERVICE`` is refused unless
    ``allow_service``."""
    from newsld.endpoints.query import refuse_service, run_isolated, run_local
    from newsld.endpoints.store import ensure_store, open_store

    if not allow_service:
        refuse_service(sparql, "<query>")
    info = ensure_store(open_release(release), None if store is None else Path(store))
    if timeout:
        return run_isolated(info.path, sparql, "<query>", timeout)
    return run_local(open_store(info), sparql, "<query>")
