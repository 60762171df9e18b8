"""The typer application every command registers on, and what the commands share: the exit
codes, the consoles, common options, progress bars, the human report and the error handling."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from newsld import __version__

if TYPE_CHECKING:
    from rich.console import Console

    from newsld.corpus.dates import PartialDate
    from newsld.findings.report import FindingLog, Report

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a Ctrl-C


class _Group(TyperGroup):
    """Lists each command with its whole first sentence; click would cut it to fit one line."""

    def format_commands(self, ctx: typer.Context, formatter: Any) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit=1_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


app = typer.Typer(
    name="newsld",
    cls=_Group,
    help="Turn a corpus of news articles into a validated linked-data release.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # click's plain help: full option names and no <bool> after flags at 80 columns (typer's
    # rich panels cut both), and rich is not imported to print it
    rich_markup_mode=None,
    context_settings={"max_content_width": 100},
)


class _LazyConsole:
    """A rich Console created on first use, so that commands which print nothing (--help,
    --version) do not import rich."""

    def __init__(self, *, stderr: bool) -> None:
        self._stderr = stderr
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            # markup off: messages carry user text ("[publisher]", file names); styles are
            # opted into
            self._console = Console(
                stderr=self._stderr, highlight=False, soft_wrap=True, markup=False
            )
        return self._console

    def print(self, *objects: Any, **options: Any) -> None:
        self.console.print(*objects, **options)


out = _LazyConsole(stderr=False)
err = _LazyConsole(stderr=True)

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
        sys.stdout.write(f"newsld {__version__}\n")
        raise typer.Exit(EXIT_OK)


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """newsld: who claimed what, when, and where it was reported — as validated RDF."""


def _release_date(value: str | None) -> PartialDate | None:
    from newsld.corpus.dates import PartialDate

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
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err.console,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


DebugOption = Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")]


def min_confidence_option(help: str) -> Any:
    """``--min-confidence``, a number from 0 to 1 (build: what to release; eval: what to score
    as released)."""
    return typer.Option("--min-confidence", min=0.0, max=1.0, help=help)


def render_report(report: Report | FindingLog, *, show_info: bool = False) -> None:
    """Human output: findings grouped by file, then a one-line summary (all on stderr)."""
    from rich.markup import escape

    from newsld.findings.formats import printable
    from newsld.findings.report import FindingLog, Severity

    style = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}
    current = None
    findings = report if isinstance(report, FindingLog) else report.findings
    for item in findings:
        if item.severity is Severity.INFO and not show_info:
            continue
        if item.file != current:
            current = item.file
            shown = printable(item.file or "<corpus>")  # names and values come from the corpus
            err.print(f"[bold]{escape(shown)}[/bold]", markup=True)
        where = f"{item.line}:{item.column or 1}" if item.line else "-"
        field = f" [{item.field}]" if item.field else ""
        err.print(
            f"  {where:>8}  [{style[item.severity]}]{item.severity.value:<7}[/]"
            + escape(printable(f" {item.code}{field}: {item.message}")),
            markup=True,
        )
        if item.hint:
            err.print(f"{'':>12}hint: {printable(item.hint)}")
    if isinstance(report, FindingLog):
        errors, warnings = report.severities[Severity.ERROR], report.severities[Severity.WARNING]
        infos = report.severities[Severity.INFO]
    else:
        errors, warnings, infos = len(report.errors), len(report.warnings), len(report.infos)
    shown = "" if show_info or not infos else " (not shown: --show-info lists them)"
    err.print(f"{errors} error(s), {warnings} warning(s), {infos} info{shown}")


def _run(action: Callable[[], int], debug: bool, interrupted: str | None = None) -> None:
    """Run a command's action and exit with its code; ``interrupted``: what to say on Ctrl-C
    (exit 130, no traceback) when the action cleans up after itself."""
    try:
        code = action()
    except (typer.Exit, typer.BadParameter):
        raise
    except KeyboardInterrupt:
        if interrupted is None:
            raise
        err.print(interrupted)
        code = EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (``newsld eval … | head``): nothing more to say, and nobody to say
        # it to; stdout is pointed at /dev/null so that Python's own flush at exit stays quiet
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_OK
    except Exception as error:  # the last line of defence: a message, not a traceback
        from newsld.corpus.reader import CorpusError
        from newsld.release.distributed import DaskUnavailable

        if isinstance(error, CorpusError | DaskUnavailable):
            err.print(f"newsld: {error}")
            code = EXIT_USAGE
        else:
            if debug:
                raise
            err.print(f"newsld: internal error: {type(error).__name__}: {error}")
            err.print("This is a bug in newsld; run again with --debug for the traceback.")
            code = EXIT_INTERNAL
    raise typer.Exit(code)


def _say(text: str) -> None:
    err.print(text, markup=False)
