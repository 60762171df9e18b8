"""The ``newsld`` command: a thin typer layer over the library.

It parses options, calls :mod:`newsld.build`, renders the returned report and exits with a
documented code:

- 0: success (warnings allowed)
- 1: the data does not conform (error findings; for ``build``, nothing was written)
- 2: bad usage or unreadable input (e.g. no corpus folder)
- 3: internal error (a bug: please report it)
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import __version__
from .build import BuildOptions, build, check, default_jobs
from .corpus import CorpusError
from .dates import PartialDate
from .distributed import DaskUnavailable
from .formats import FORMATS, codes_table
from .report import Report, Severity

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(
    name="newsld",
    help="Turn a corpus of news articles into a validated linked-data release.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)

CorpusOption = Annotated[
    Path,
    typer.Option("--corpus", "-c", help="Corpus folder (dataset.yaml, registry.yaml, articles/)."),
]


class Executor(StrEnum):
    local = "local"
    dask = "dask"


def _scheduler(executor: Executor, scheduler: str | None) -> str | None:
    if executor is Executor.dask and not scheduler:
        raise typer.BadParameter(
            "--executor dask needs --scheduler ADDRESS", param_hint="--scheduler"
        )
    if executor is Executor.local and scheduler:
        raise typer.BadParameter("--scheduler goes with --executor dask", param_hint="--scheduler")
    return scheduler


class Engine(StrEnum):
    native = "native"
    pyshacl = "pyshacl"


EngineOption = Annotated[
    Engine,
    typer.Option(
        "--shacl-engine",
        help="native: the shipped shapes compiled to Python (fast; the test suite checks it "
        "reports exactly what pySHACL reports); pyshacl: the reference implementation.",
    ),
]
BaseIriOption = Annotated[
    str | None,
    typer.Option(
        "--base-iri", help="Base IRI for minted IRIs (default: base_iri in dataset.yaml)."
    ),
]


def _version(value: bool) -> None:
    if value:
        out.print(f"newsld {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """newsld: who claimed what, when, and where it was reported — as validated RDF."""


def _release_date(value: str | None) -> PartialDate | None:
    if value is None:
        return None
    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise typer.BadParameter(str(error), param_hint="--issued") from None


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal; nothing at all when stderr is not a TTY."""
    if not sys.stderr.isatty():
        yield None
        return
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def render_report(report: Report, *, show_info: bool = False) -> None:
    """Human output: findings grouped by file, then a one-line summary (all on stderr)."""
    current = None
    for item in report.findings:
        if item.severity is Severity.INFO and not show_info:
            continue
        if item.file != current:
            current = item.file
            err.print(f"[bold]{item.file or '<corpus>'}[/bold]")
        where = f"{item.line}:{item.column or 1}" if item.line else "-"
        field = f" [{item.field}]" if item.field else ""
        err.print(
            f"  {where:>8}  [{_STYLE[item.severity]}]{item.severity.value:<7}[/]"
            f" {item.code}{field}: {item.message}",
            markup=True,
        )
        if item.hint:
            err.print(f"{'':>12}hint: {item.hint}")
    errors, warnings = len(report.errors), len(report.warnings)
    err.print(f"{errors} error(s), {warnings} warning(s)")


def _run(action: Callable[[], int], debug: bool) -> None:
    try:
        code = action()
    except (CorpusError, DaskUnavailable) as error:
        err.print(f"newsld: {error}")
        code = EXIT_USAGE
    except (typer.Exit, typer.BadParameter):
        raise
    except Exception as error:  # the last line of defence: a message, not a traceback
        if debug:
            raise
        err.print(f"newsld: internal error: {type(error).__name__}: {error}")
        err.print("This is a bug in newsld; run again with --debug for the traceback.")
        code = EXIT_INTERNAL
    raise typer.Exit(code)


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
    timings: Annotated[
        bool, typer.Option("--timings", help="Print seconds per stage on stderr.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
) -> None:
    """Validate the corpus and write the release (Turtle, N-Triples, N-Quads, JSON-LD, VoID).

    Output is byte-identical whatever --jobs and whether the cache was used.
    """
    options = BuildOptions(
        base_iri=base_iri,
        include_text=include_text,
        issued=_release_date(issued),
        engine=engine.value,
        jobs=jobs or default_jobs(),
        scheduler=_scheduler(executor, scheduler),
        cache_dir=None if no_cache else cache_dir,
    )

    def action() -> int:
        with _progress("building") as progress:
            result = build(corpus, out_dir, options, progress)
        render_report(result.report)
        if timings:
            err.print(" ".join(f"{k}={v:.3f}" for k, v in result.timings.items()))
        if not result.written:
            err.print(f"build failed: nothing written, {out_dir} left as it was")
            return EXIT_INVALID
        stats = result.report.stats
        out.print(
            f"wrote {out_dir}: {stats.get('articles', 0)} articles, "
            f"{stats.get('claims', 0)} claims, "
            f"{stats.get('events', 0)} events, {stats.get('entities', 0)} entities, "
            f"{stats.get('triples', 0)} triples"
        )
        return EXIT_OK

    _run(action, debug)


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
    engine: EngineOption = Engine.native,
    debug: Annotated[
        bool, typer.Option("--debug", help="Show tracebacks of internal errors.")
    ] = False,
) -> None:
    """Check records with everything the build gate checks, without writing anything.

    Named records are checked against the whole corpus (registry, other records' dates).
    """

    def action() -> int:
        with _progress("validating") as progress:
            options = BuildOptions(base_iri=base_iri, engine=engine.value)
            report = check(corpus, paths or None, options, progress)
        if output is OutputFormat.human:
            render_report(report)
        else:
            sys.stdout.write(FORMATS[output.value](report))
            sys.stdout.flush()
        failed = report.errors or (strict and report.warnings)
        return EXIT_INVALID if failed else EXIT_OK

    _run(action, debug)


@app.command("codes")
def codes_command() -> None:
    """List every finding code with its severity and message template (Markdown)."""
    sys.stdout.write(codes_table())
