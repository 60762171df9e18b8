"""``newsld build``, ``site``, ``validate`` and ``codes``: the release, its static site and the
contributor gate."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsld.cli.app import (
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    BaseIriOption,
    CorpusOption,
    DebugOption,
    Engine,
    EngineOption,
    Executor,
    _progress,
    _release_date,
    _run,
    _scheduler,
    app,
    err,
    min_confidence_option,
    out,
    render_report,
)

if TYPE_CHECKING:
    pass


@app.command("build")
def build_command(
    corpus: CorpusOption = Path("corpus"),
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Release folder to (re)write.")
    ] = Path("dist"),
    base_iri: BaseIriOption = None,
    include_text: Annotated[
        bool,
        typer.Option(
            "--include-text",
            help="Put article full text in the release (mind publisher copyright).",
        ),
    ] = False,
    issued: Annotated[
        str | None,
        typer.Option(
            "--issued", help="Release date YYYY[-MM[-DD]] (default: issued in dataset.yaml)."
        ),
    ] = None,
    engine: EngineOption = Engine.native,
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores)."),
    ] = None,
    executor: Annotated[
        Executor,
        typer.Option("--executor", help="local processes, or a Dask cluster (--scheduler)."),
    ] = Executor.local,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786."),
    ] = None,
    cache_dir: Annotated[
        Path,
        typer.Option("--cache-dir", help="Incremental build cache: unchanged records are reused."),
    ] = Path(".newsld-cache"),
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Process every record from scratch.")
    ] = False,
    no_extract: Annotated[
        bool,
        typer.Option(
            "--no-extract", help="Release curated claims and events only (no extraction)."
        ),
    ] = False,
    min_confidence: Annotated[
        float | None,
        min_confidence_option(
            "Withhold extracted claims less confident than this (0 to 1) from the release, "
            "listing them in review.jsonl (default: min_confidence in dataset.yaml, else "
            "newsld's default; the build summary says which it applied)."
        ),
    ] = None,
    timings: Annotated[
        bool, typer.Option("--timings", help="Print seconds per stage on stderr.")
    ] = False,
    site: Annotated[
        bool,
        typer.Option("--site", help="Then write the static site into OUT/site (as `newsld site`)."),
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Validate the corpus and write the release (Turtle, N-Triples, N-Quads, JSON-LD, VoID).

    Output is byte-identical whatever --jobs and whether the cache was used.
    """
    from newsld import api
    from newsld.release.workers import WorkerDied

    options = api.build_options(
        base_iri=base_iri,
        include_text=include_text,
        issued=_release_date(issued),
        engine=engine.value,
        jobs=jobs,
        scheduler=_scheduler(executor, scheduler),
        cache_dir=None if no_cache else cache_dir,
        extract=not no_extract,
        min_confidence=min_confidence,
    )

    def action() -> int:
        try:
            with _progress("building") as progress:
                result = api.build(corpus, out_dir, options, progress)
        except WorkerDied as error:  # not a bug of ours: say what happened
            err.print(f"newsld: build stopped: {error}; nothing written, {out_dir} left as it was")
            return EXIT_INTERNAL
        for warning in result.warnings:
            err.print(f"newsld: warning: {warning}")
        render_report(result.findings)
        if timings:
            err.print(" ".join(f"{k}={v:.3f}" for k, v in result.timings.items()))
        if not result.written:
            err.print(f"build failed: nothing written, {out_dir} left as it was")
            return EXIT_INVALID
        stats = result.stats
        out.print(
            f"wrote {out_dir}: {stats.get('articles', 0)} articles, "
            f"{stats.get('claims', 0)} claims, "
            f"{stats.get('events', 0)} events, {stats.get('entities', 0)} entities, "
            f"{stats.get('triples', 0)} triples"
        )
        review = result.review
        if review is not None and not no_extract:
            out.print(
                f"{review.withheld} extracted claims withheld below confidence "
                f"{review.min_confidence:g}, {review.unattributed} unattributed quotation(s): "
                f"see {out_dir / review.file}"
            )
        if site:
            return _write_site(out_dir, out_dir / "site", jobs)
        return EXIT_OK

    _run(action, debug, interrupted=f"interrupted: nothing written, {out_dir} left as it was")


def _write_site(
    release: Path, site_dir: Path, jobs: int | None, cache_dir: Path | None = None
) -> int:
    from newsld.release.reader import ReleaseError
    from newsld.site.pages import cache_file, generate

    cache = cache_file(cache_dir, site_dir) if cache_dir is not None else None
    try:
        with _progress("writing the site") as progress:
            result = generate(release, site_dir, progress=progress, jobs=jobs, cache=cache)
    except ReleaseError as error:
        err.print(f"newsld: {error}")
        return EXIT_USAGE
    except OSError as error:
        err.print(f"newsld: cannot write the site into {site_dir}: {error}")
        return EXIT_USAGE
    out.print(
        f"wrote {site_dir}: {result.pages} pages, {result.files} files, "
        f"{result.bytes / 1e6:.1f} MB in {result.seconds:.2f} s "
        f"({result.written} written, {result.unchanged} unchanged, {result.removed} removed"
        f"{'; only what changed in the release was read' if result.incremental else ''}); "
        f"open {site_dir / 'index.html'}"
    )
    return EXIT_OK


@app.command("site")
def site_command(
    release: Annotated[
        Path, typer.Option("--release", "-r", help="Release folder (written by `newsld build`).")
    ] = Path("dist"),
    site_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write the site into.")
    ] = Path("dist/site"),
    jobs: Annotated[
        int | None,
        typer.Option("--jobs", "-j", min=1, help="Processes writing pages (default: all cores)."),
    ] = None,
    cache_dir: Annotated[
        Path,
        typer.Option(
            "--cache-dir",
            help="Where the page index is kept between runs: the next run reads only the "
            "graphs that changed and renders only the pages that read them.",
        ),
    ] = Path(".newsld-cache"),
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Read the whole release and render every page.")
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Write a static website of the release: a page per article, speaker, outlet and event.

    Every page embeds its data as JSON-LD (only triples of the release), works from file:// and
    any static host, and is found by the site's own search (no server). Only pages whose bytes
    changed are rewritten; the same release gives the same bytes whatever --jobs. The page
    index is kept in --cache-dir: after a new build, only the graphs of the release that
    changed are read and only the pages that read them are made. Exit 0: written; 2: no
    usable release at --release, or --out cannot be written.
    """
    _run(lambda: _write_site(release, site_dir, jobs, None if no_cache else cache_dir), debug)


class OutputFormat(StrEnum):
    human = "human"
    json = "json"
    github = "github"
    sarif = "sarif"


@app.command("validate")
def validate_command(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Records to validate (default: the whole corpus).")
    ] = None,
    corpus: CorpusOption = Path("corpus"),
    base_iri: BaseIriOption = None,
    output: Annotated[
        OutputFormat,
        typer.Option(
            "--format",
            "-f",
            help="human (stderr, grouped by file), json (the library's report), github "
            "(workflow-command annotations) or sarif (SARIF 2.1.0); machine formats go to stdout.",
        ),
    ] = OutputFormat.human,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    show_info: Annotated[
        bool,
        typer.Option("--show-info", help="List info findings too (human format; always counted)."),
    ] = False,
    engine: EngineOption = Engine.native,
    debug: DebugOption = False,
) -> None:
    """Check records with everything the build gate checks, without writing anything.

    Named records are checked against the whole corpus (registry, other records' dates).
    """
    from newsld import api
    from newsld.findings.formats import FORMATS

    def action() -> int:
        with _progress("validating") as progress:
            options = api.build_options(
                base_iri=base_iri, engine=engine.value, jobs=1, cache_dir=None
            )
            report = api.validate(corpus, paths, options, progress)
        if output is OutputFormat.human:
            render_report(report, show_info=show_info)
        else:
            sys.stdout.write(FORMATS[output.value](report))
            sys.stdout.flush()
        failed = report.errors or (strict and report.warnings)
        return EXIT_INVALID if failed else EXIT_OK

    _run(action, debug)


@app.command("codes")
def codes_command() -> None:
    """List every finding code with its severity and message template (Markdown)."""
    from newsld.findings.formats import codes_table

    sys.stdout.write(codes_table())


# ----------------------------------------------------------------- extract, eval, new
# Extraction (dateparser and the rule tables) is imported when one of these commands runs.
