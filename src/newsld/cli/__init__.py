"""The ``newsld`` command: a thin typer layer over the library.

It parses options, calls :mod:`newsld.release.build`, renders the returned report and exits with a
documented code:

- 0: success (warnings allowed)
- 1: the data does not conform (error findings; for ``build``, nothing was written)
- 2: bad usage or unreadable input (e.g. no corpus folder)
- 3: internal error (a bug: please report it)

Only typer is imported here at start: each command imports the library modules it needs (rdflib,
pydantic, pyoxigraph, rich's progress bar...) when it runs, so ``newsld --help``, ``--version``
and a mistyped option answer at once. ``tests/test_cli.py`` keeps it that way.
"""

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
    debug: DebugOption = False,
) -> None:
    """Validate the corpus and write the release (Turtle, N-Triples, N-Quads, JSON-LD, VoID).

    Output is byte-identical whatever --jobs and whether the cache was used.
    """
    from newsld import api
    from newsld.release.build import WorkerDied

    options = api.build_options(
        base_iri=base_iri,
        include_text=include_text,
        issued=_release_date(issued),
        engine=engine.value,
        jobs=jobs,
        scheduler=_scheduler(executor, scheduler),
        cache_dir=None if no_cache else cache_dir,
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
        return EXIT_OK

    _run(action, debug, interrupted=f"interrupted: nothing written, {out_dir} left as it was")


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


class ExtractFormat(StrEnum):
    jsonl = "jsonl"
    yaml = "yaml"
    table = "table"


def _published(value: str | None) -> PartialDate | None:
    from newsld.corpus.dates import PartialDate

    if value is None:
        return None
    try:
        return PartialDate.parse(value)
    except ValueError as error:
        raise typer.BadParameter(
            f"{value!r}: {error} (e.g. 2018-06-10)", param_hint="--published"
        ) from None


def _say_findings(findings) -> None:  # findings: list[report.Finding]
    from newsld.findings.formats import printable

    for item in findings:
        where = f"{item.file}:{item.line}:{item.column or 1}" if item.line else item.file or "-"
        field = f" [{item.field}]" if item.field else ""
        _say(printable(f"{where}: {item.severity.value} {item.code}{field}: {item.message}"))


def _extraction_context(corpus: Path | None):  # -> (Registry, Minter)
    """The registry and base IRI of the corpus; none at all when no corpus was asked for or
    ./corpus does not exist."""
    from newsld.corpus.reader import Registry, open_corpus
    from newsld.corpus.records import DatasetSettings
    from newsld.rdf.iris import Minter

    if corpus is None and Path("corpus").is_dir():
        corpus = Path("corpus")
    if corpus is not None:
        opened = open_corpus(corpus)  # CorpusError (exit 2) when the corpus is missing
        return opened.registry, Minter(opened.settings.base_iri)
    return Registry(), Minter(DatasetSettings().base_iri)


def _plain_table(rows: list[list[str]], right: set[int] = frozenset()) -> str:
    """Rows as aligned text columns (the first row is the header); no terminal width games."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _claims_table(name: str, extraction) -> str:  # extraction: extract.Extraction
    rows = [["start", "kind", "speaker", "date", "date source", "text"]]
    found = [(c, True) for c in extraction.claims] + [(c, False) for c in extraction.unattributed]
    for claim, attributed in sorted(found, key=lambda r: r[0].span.start):
        speaker = claim.speaker.name if claim.speaker else "(unattributed)"
        if claim.reported_by is not None:
            speaker += f" (via {claim.reported_by.name})"
        text = " ".join(claim.text.split())
        rows.append(
            [
                str(claim.span.start),
                claim.kind.value if attributed else "-",
                speaker[:40],
                claim.date.date.form if claim.date else "",
                (claim.date.source if claim.date else "")[:20],
                text if len(text) <= 70 else text[:69] + "…",
            ]
        )
    for event in extraction.events:
        rows.append(
            [
                str(event.span.start),
                f"event:{event.type}",
                ", ".join(p.name for p in event.participants)[:40],
                event.date.date.form if event.date else "",
                (event.date.source if event.date else "")[:20],
                " ".join(event.description.split())[:70],
            ]
        )
    return f"{name}\n" + _plain_table(rows, right={0})


@app.command("extract")
def extract_command(
    files: Annotated[
        list[Path], typer.Argument(help="Raw article texts (.txt) or corpus records (.yaml).")
    ],
    published: Annotated[
        str | None,
        typer.Option(
            "--published",
            "-p",
            help="Publication date YYYY-MM-DD (or YYYY-MM, YYYY) that relative dates resolve "
            "against; default: a record's date_published, else a dateline printed in the text.",
        ),
    ] = None,
    output: Annotated[
        ExtractFormat,
        typer.Option(
            "--format",
            "-f",
            help="jsonl (one object per claim and event), yaml (claims: and events: to paste "
            "into a record) or table.",
        ),
    ] = ExtractFormat.jsonl,
    corpus: Annotated[
        Path | None,
        typer.Option(
            "--corpus",
            "-c",
            help="Corpus whose registry resolves names (default: ./corpus when it exists).",
        ),
    ] = None,
    debug: DebugOption = False,
) -> None:
    """Propose claims (who said what, when), speakers, dates and events found in article text.

    Offsets (start/end) are character offsets into the text as given (line endings kept).
    Nothing is written: review the output, then paste it into a record (--format yaml).
    """
    when = _published(published)

    def action() -> int:
        from newsld.extraction import extract
        from newsld.extraction.inputs import read_input
        from newsld.extraction.output import extraction_objects, record_fragment, to_jsonl, to_yaml

        registry, minter = _extraction_context(corpus)
        code = EXIT_OK
        for path in files:
            given, findings = read_input(path)
            _say_findings(findings)
            if given is None:
                code = EXIT_USAGE
                continue
            extraction = extract(given.text, when or given.published, registry)
            for problem in extraction.problems:
                _say(f"{given.text_display}: {problem.code}: {problem.message}")
            if output is ExtractFormat.jsonl:
                objects = extraction_objects(extraction)
                for item in objects:
                    item["file"] = given.text_display
                    for key in ("speaker_id", "reported_by_id"):
                        if item.get(key):
                            item[key] = str(minter.entity(item[key]))
                    for participant in [
                        *item.get("participants", []),
                        *item.get("recipients", []),
                        *([item["place"]] if item.get("place") else []),
                    ]:
                        if participant["id"]:
                            participant["id"] = str(minter.entity(participant["id"]))
                sys.stdout.write(to_jsonl(objects))
            elif output is ExtractFormat.yaml:
                sys.stdout.write(f"# extracted from {given.text_display}: review every entry\n")
                sys.stdout.write(to_yaml(record_fragment(extraction)))
            else:
                sys.stdout.write(_claims_table(given.text_display, extraction))
            if extraction.unattributed:
                _say(
                    f"{given.text_display}: {len(extraction.unattributed)} quotation(s) with no "
                    "attributable speaker (type 'unattributed'; not proposed as claims)"
                )
        sys.stdout.flush()
        return code

    _run(action, debug)


class EvalFormat(StrEnum):
    table = "table"
    json = "json"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


@app.command("eval")
def eval_command(
    gold: Annotated[
        Path, typer.Argument(help="Gold folder: one sub-folder of annotated articles per corpus.")
    ] = Path("eval/gold"),
    corpus: Annotated[
        Path, typer.Option("--corpus", "-c", help="Corpus whose registry resolves names.")
    ] = Path("corpus"),
    only: Annotated[
        list[str] | None,
        typer.Option("--only", help="Score only this gold corpus (repeatable), e.g. seeds."),
    ] = None,
    output: Annotated[
        EvalFormat,
        typer.Option("--format", "-f", help="table (default) or json."),
    ] = EvalFormat.table,
    errors: Annotated[
        bool,
        typer.Option(
            "--errors", help="Also list every miss and wrong speaker or date (dev split only)."
        ),
    ] = False,
    heldout_errors: Annotated[
        bool,
        typer.Option(
            "--heldout-errors",
            help="With --errors, list held-out articles' errors too (they stop being held out).",
        ),
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Score extraction against gold annotations: precision, recall, speaker and date accuracy.

    One row per gold corpus and split (dev: rules were tuned on it; heldout: never inspected),
    plus the direct quotations of five or more words found with the right speaker and date.
    """

    def action() -> int:
        import json

        from newsld.corpus.reader import open_corpus
        from newsld.extraction.evaluate import evaluate, summary

        if not gold.is_dir():
            _say(f"newsld: no gold folder at {gold}")
            return EXIT_USAGE
        registry = open_corpus(corpus).registry
        result = evaluate(gold, registry, only or None)
        _say_findings(result.findings)
        rows = summary(result)
        if output is EvalFormat.json:
            sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        else:
            table = [["corpus", "split", "articles", "gold", "precision", "recall"]]
            table[0] += ["speaker acc.", "date acc.", "direct>=5 words ok"]
            for row in rows:
                table.append(
                    [
                        str(row["corpus"]),
                        str(row["split"]),
                        str(row["articles"]),
                        str(row["gold"]),
                        _ratio(row["precision"]),
                        _ratio(row["recall"]),
                        _ratio(row["speaker_accuracy"]),
                        _ratio(row["date_accuracy"]),
                        f"{row['direct5_ok']}/{row['direct5']}",
                    ]
                )
            sys.stdout.write(_plain_table(table, right=set(range(2, 9))))
        if errors:
            splits = ("dev", "heldout") if heldout_errors else ("dev",)
            sys.stdout.write("".join(line + "\n" for line in result.error_lines(splits)))
        if not result.articles:
            _say("newsld: no gold articles found")
            return EXIT_USAGE
        return EXIT_INVALID if result.findings else EXIT_OK

    _run(action, debug)


@app.command("new")
def new_command(
    text: Annotated[Path, typer.Argument(help="The article's raw text (.txt).")],
    corpus: CorpusOption = Path("corpus"),
    key: Annotated[
        str | None,
        typer.Option("--id", help="Record id (default: from the file name)."),
    ] = None,
    published: Annotated[
        str | None,
        typer.Option("--published", "-p", help="Publication date YYYY-MM-DD (or YYYY-MM, YYYY)."),
    ] = None,
    publisher: Annotated[
        str | None, typer.Option("--publisher", help="Publisher: a registry id or a name.")
    ] = None,
    to_stdout: Annotated[
        bool, typer.Option("--stdout", help="Print the record instead of writing it.")
    ] = False,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing record.")] = False,
    debug: DebugOption = False,
) -> None:
    """Scaffold a corpus record from a raw article text, pre-filled by extraction.

    Writes corpus/articles/ID.yaml (copying the text to corpus/articles/ID.txt when it is not
    there yet). Every pre-filled claim and event is a proposal: correct it, then run
    `newsld validate` on the record.
    """
    when = _published(published)

    def action() -> int:
        import re

        from newsld.corpus.reader import ARTICLES_DIR, open_corpus
        from newsld.corpus.records import KEY_PATTERN
        from newsld.extraction import extract
        from newsld.extraction.inputs import read_input
        from newsld.extraction.output import record_key, scaffold, to_yaml

        opened = open_corpus(corpus)
        given, findings = read_input(text)
        _say_findings(findings)
        if given is None:
            return EXIT_USAGE
        if given.record is not None:
            _say(f"newsld: {text} is already a record; `newsld new` takes the article's text")
            return EXIT_USAGE
        record_id = key or record_key(text.stem)
        if not re.match(KEY_PATTERN, record_id) or len(record_id) > 120:
            _say(f"newsld: {record_id!r} is not a record id (lowercase words joined by '-')")
            return EXIT_USAGE
        articles = opened.root / ARTICLES_DIR
        target = articles / f"{record_id}.yaml"
        text_target = articles / f"{record_id}.txt"
        in_place = text.resolve().parent == articles.resolve()
        text_name = text.name if in_place else text_target.name
        extraction = extract(given.text, when, opened.registry)
        for problem in extraction.problems:
            _say(f"{given.text_display}: {problem.code}: {problem.message}")
        data = scaffold(record_id, text_name, extraction, opened.registry.lookup, publisher)
        todo = [
            "# Scaffolded by `newsld new` from extraction: every claim and event is a proposal.",
            "# Check speakers, dates and kinds against the text, delete what is wrong, add what",
            "# is missing (indirect claims, events), fill in publisher, url, about and mentions,",
            "# then run `newsld validate` on this file.",
        ]
        if extraction.published is None:
            todo.append("# TODO date_published: no date given (--published) or printed.")
        document = "\n".join(todo) + "\n" + to_yaml(data)
        if to_stdout:
            sys.stdout.write(document)
            return EXIT_OK
        if target.exists() and not force:
            _say(f"newsld: {target} exists; use --force to overwrite it")
            return EXIT_USAGE
        if not in_place:
            if text_target.exists() and not force:
                _say(f"newsld: {text_target} exists; use --force to overwrite it")
                return EXIT_USAGE
            articles.mkdir(parents=True, exist_ok=True)
            text_target.write_bytes(text.read_bytes())
        target.write_text(document, encoding="utf-8", newline="\n")
        claims = len(data["claims"])
        out.print(
            f"wrote {target}: {claims} claim(s), {len(data['events'])} event(s) to review"
            + ("" if in_place else f"; copied the text to {text_target}")
        )
        return EXIT_OK

    _run(action, debug)


# ----------------------------------------------------------------- query, serve, load
# The modules behind these commands (pyoxigraph, httpx) are imported when a command runs, so
# `newsld build` and `newsld validate` do not pay for them.

ReleaseOption = Annotated[
    Path, typer.Option("--release", "-r", help="Release folder written by `newsld build`.")
]
StoreOption = Annotated[
    Path | None,
    typer.Option(
        "--store",
        help="Folder for the embedded store built from the release "
        "(default: .newsld-store/<release name> beside the release).",
    ),
]
UserOption = Annotated[str | None, typer.Option("--user", "-u", help="User name for the endpoint.")]
PasswordOption = Annotated[
    str | None,
    typer.Option(
        "--password",
        help="Deprecated: other users see it in ps. Set NEWSLD_PASSWORD, use --netrc or "
        "--password-prompt.",
    ),
]
NetrcOption = Annotated[
    Path | None,
    typer.Option(
        "--netrc",
        help="netrc file with the endpoint host's login and password "
        "(default: $NETRC or ~/.netrc, when it has the host).",
    ),
]
PasswordPromptOption = Annotated[
    bool,
    typer.Option(
        "--password-prompt",
        help="Ask for the password (also asked when --user is given, no password is found "
        "and stdin is a terminal).",
    ),
]
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--timeout",
        min=0.1,
        help="Seconds each request may take in all, its whole answer included.",
    ),
]
RetriesOption = Annotated[
    int,
    typer.Option(
        "--retries",
        min=0,
        help="Retries after a connection failure, timeout, 429/502/503/504 or a store deadlock "
        "(with backoff).",
    ),
]


QueryTimeoutOption = Annotated[
    float,
    typer.Option(
        "--query-timeout",
        min=0,
        help="Stop a query on the release after this many seconds (0: no limit).",
    ),
]
AllowServiceOption = Annotated[
    bool,
    typer.Option(
        "--allow-service",
        help="Run queries with SERVICE, which send requests to other servers (refused otherwise).",
    ),
]


class AuthChoice(StrEnum):
    auto = "auto"
    basic = "basic"
    digest = "digest"


AuthOption = Annotated[
    AuthChoice,
    typer.Option("--auth", help="auto answers the server's challenge; Virtuoso uses digest."),
]


class QueryFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    ntriples = "ntriples"
    turtle = "turtle"


def _say(text: str) -> None:
    err.print(text, markup=False)


def _run_data(action: Callable[[], int], debug: bool) -> None:
    """``_run`` plus the expected failures of query/serve/load: a message and exit 2."""
    from newsld.endpoints.query import QueryError
    from newsld.endpoints.remote import CredentialsError, EndpointError
    from newsld.endpoints.serve import ServerError
    from newsld.endpoints.store import StoreError
    from newsld.release.reader import ReleaseError

    expected = (ReleaseError, StoreError, QueryError, EndpointError, ServerError, CredentialsError)

    def guarded() -> int:
        try:
            return action()
        except expected as error:
            _say(f"newsld: {error}")
            return EXIT_USAGE

    _run(guarded, debug)


PASSWORD_ON_ARGV = (
    "warning: --password is deprecated: the command line is visible to every user of this "
    "machine (ps, /proc/PID/cmdline) and kept in shell history; set NEWSLD_PASSWORD, put the "
    "login in a netrc file (--netrc, ~/.netrc by default) or use --password-prompt"
)


def _credentials(
    url: str,
    user: str | None,
    password: str | None,
    netrc_file: Path | None,
    prompt: bool,
) -> tuple[str | None, str | None]:
    """The user and password for ``url``: --password (deprecated), NEWSLD_PASSWORD, the netrc
    file's entry for the host, or a prompt (asked for, or a user and a terminal but no
    password). Raises remote.CredentialsError for an unusable netrc file."""
    import os

    from newsld.endpoints.remote import PASSWORD_ENV, default_netrc, netrc_login

    if password is not None:
        _say(PASSWORD_ON_ARGV)
        return user, password
    if os.environ.get(PASSWORD_ENV):
        return user, os.environ[PASSWORD_ENV]
    path = netrc_file or default_netrc()
    if path is not None and not prompt:
        found = netrc_login(url, path)
        if found is not None and (user is None or found[0] in (None, user)):
            return (user or found[0]), found[1]
        if netrc_file is not None and found is None:
            _say(f"warning: {netrc_file} has no entry for the host of {url}")
    if prompt or (user is not None and sys.stdin.isatty()):
        import getpass

        if user is None:
            user = input("user: ")
        return user, getpass.getpass(f"password for {user} at {url}: ")
    return user, None


def _remote_settings(
    url: str,
    user: str | None,
    password: str | None,
    auth: AuthChoice,
    timeout: float,
    retries: int,
    netrc_file: Path | None = None,
    prompt: bool = False,
):  # -> remote.Settings (imported lazily)
    from newsld.endpoints.remote import AuthScheme, Settings

    user, password = _credentials(url, user, password, netrc_file, prompt)
    return Settings(
        user=user, password=password, auth=AuthScheme(auth.value), timeout=timeout, retries=retries
    )


def _open_release_store(release: Path, store: Path | None):  # -> (Release, StoreInfo)
    from newsld.endpoints.store import ensure_store
    from newsld.release.reader import open_release

    opened = open_release(release)
    info = ensure_store(opened, store)
    if info.built:
        _say(f"built the embedded store from {release} in {info.seconds:.2f} s ({info.path})")
    return opened, info


@app.command("query")
def query_command(
    query: Annotated[
        str,
        typer.Argument(
            help="A SPARQL query, a .rq file (e.g. queries/claims-per-speaker.rq), or - for stdin."
        ),
    ],
    release: ReleaseOption = Path("dist"),
    store: StoreOption = None,
    endpoint: Annotated[
        str | None,
        typer.Option("--endpoint", "-e", help="Ask this SPARQL endpoint instead of the release."),
    ] = None,
    output: Annotated[
        QueryFormat,
        typer.Option(
            "--format",
            "-f",
            help="table (default), csv, tsv, json (SPARQL results) for SELECT/ASK; "
            "ntriples or turtle for CONSTRUCT/DESCRIBE.",
        ),
    ] = QueryFormat.table,
    max_width: Annotated[
        int, typer.Option("--max-width", min=0, help="Cut table cells to this width (0: never).")
    ] = 60,
    query_timeout: QueryTimeoutOption = 60.0,
    allow_service: AllowServiceOption = False,
    user: UserOption = None,
    password: PasswordOption = None,
    netrc_file: NetrcOption = None,
    password_prompt: PasswordPromptOption = False,
    auth: AuthOption = AuthChoice.auto,
    timeout: TimeoutOption = 60.0,
    retries: RetriesOption = 2,
    debug: DebugOption = False,
) -> None:
    """Run a SPARQL query on the release (embedded store, no server) or on an endpoint.

    On the release, the default graph is the union of all named graphs and the project's
    prefixes (nld:, schema:, …) need no declaration. Exit 0: answered; 2: bad query or
    options, a query stopped by --query-timeout or refused for SERVICE, an endpoint that
    failed or did not answer within --timeout.
    """
    from newsld.endpoints.query import (
        Format,
        read_query,
        refuse_service,
        render,
        run_isolated,
        run_local,
        run_remote,
    )
    from newsld.endpoints.remote import Remote, check_url
    from newsld.endpoints.store import open_store

    def action() -> int:
        text, label = (sys.stdin.read(), "<stdin>") if query == "-" else read_query(query)
        if endpoint is not None:
            try:
                check_url(endpoint, "--endpoint")
            except ValueError as error:
                _say(f"newsld: {error}")
                return EXIT_USAGE
            settings = _remote_settings(
                endpoint, user, password, auth, timeout, retries, netrc_file, password_prompt
            )
            with Remote(settings) as remote:
                result = run_remote(remote, endpoint, text, label)
        else:
            if not allow_service:
                refuse_service(text, label)
            _, info = _open_release_store(release, store)
            if query_timeout:
                result = run_isolated(info.path, text, label, query_timeout)
            else:
                result = run_local(open_store(info), text, label)
        rendered = render(result, Format(output.value), max_width=max_width)
        sys.stdout.write(rendered)
        sys.stdout.flush()
        for warning in result.warnings:
            _say(f"warning: {warning}")
        return EXIT_OK

    _run_data(action, debug)


@app.command("serve")
def serve_command(
    release: ReleaseOption = Path("dist"),
    store: StoreOption = None,
    port: Annotated[
        int, typer.Option("--port", "-p", min=0, max=65535, help="TCP port (0: any free port).")
    ] = 7878,
    host: Annotated[
        str, typer.Option("--host", help="Loopback address to bind (127.0.0.1 or ::1).")
    ] = "127.0.0.1",
    union_default_graph: Annotated[
        bool,
        typer.Option(
            "--union-default-graph/--no-union-default-graph",
            help="Let queries see every named graph without GRAPH (as `newsld query` does).",
        ),
    ] = True,
    query_timeout: QueryTimeoutOption = 30.0,
    allow_service: AllowServiceOption = False,
    debug: DebugOption = False,
) -> None:
    """Serve the release as a read-only SPARQL 1.1 endpoint on 127.0.0.1 until Ctrl-C.

    Each query runs in a worker process, stopped after --query-timeout seconds (the client
    gets 503) or when the client goes away; SERVICE is refused unless --allow-service.
    """
    import os
    import signal
    import threading

    from newsld.endpoints.serve import Endpoint, EndpointOptions
    from newsld.endpoints.store import serving

    def action() -> int:
        _, info = _open_release_store(release, store)
        options = EndpointOptions(
            host=host,
            port=port,
            union_default_graph=union_default_graph,
            query_timeout=query_timeout,
            allow_service=allow_service,
        )
        endpoint = Endpoint(info.path, options)
        forever = threading.Event()

        def terminate(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        previous = signal.signal(signal.SIGTERM, terminate)
        try:
            with serving(info, os.getpid()):
                endpoint.start()
                limit = f"{query_timeout:g} s" if query_timeout else "no time limit"
                out.print(f"SPARQL endpoint: {endpoint.query_url}", markup=False)
                out.print(f"Graph Store (read-only): {endpoint.store_url}", markup=False)
                out.print(
                    f"newsld pid {os.getpid()}; each query in a worker process ({limit}); "
                    "press Ctrl-C to stop",
                    markup=False,
                )
                sys.stdout.flush()
                while not forever.wait(1.0):
                    pass
        except KeyboardInterrupt:
            endpoint.stop()  # before the message: the endpoint is gone when we say so
            _say("stopped the SPARQL endpoint")
            return EXIT_OK
        finally:
            endpoint.stop()
            signal.signal(signal.SIGTERM, previous)
        return EXIT_OK  # pragma: no cover - the loop above ends by a signal only

    _run_data(action, debug)


class LoadContentType(StrEnum):
    ntriples = "ntriples"
    turtle = "turtle"


def _render_load_summary(summary, graph_store: str) -> None:  # summary: load.LoadSummary
    if summary.error is not None:
        _say(f"newsld: {summary.error}")
    loaded = len(summary.loaded)
    if loaded or summary.skipped or summary.error is None:
        out.print(
            f"loaded {loaded} of {summary.graphs} graphs ({summary.triples} triples) into "
            f"{graph_store} in {summary.seconds:.2f} s "
            f"({summary.requests} requests, {summary.retries} retries)",
            markup=False,
        )
    if summary.skipped:
        out.print(f"skipped {len(summary.skipped)} unchanged graphs", markup=False)
    if summary.deleted:
        out.print(f"deleted {len(summary.deleted)} graphs of removed articles:", markup=False)
        for name in summary.deleted:
            out.print(f"  <{name}>", markup=False)
    for name, message in summary.failed.items():
        _say(f"not loaded <{name}>: {message}")
    if summary.not_loaded:
        if len(summary.not_loaded) == summary.graphs:
            _say(f"nothing was loaded ({summary.graphs} graphs)")
        else:
            shown = ", ".join(f"<{n}>" for n in summary.not_loaded[:3])
            more = len(summary.not_loaded) - 3
            _say(
                f"not attempted ({len(summary.not_loaded)}): {shown}"
                + (f" and {more} more" if more > 0 else "")
            )
    for name, (want, got) in summary.mismatches.items():
        _say(f"mismatch <{name}>: the release has {want} triples, the store {got}")
    if summary.verified and summary.failed:
        checked = summary.graphs - len(summary.failed)
        out.print(
            f"verified: the other {checked} graphs hold the release's triple count", markup=False
        )
    elif summary.verified:
        out.print("verified: every graph holds the release's triple count", markup=False)
    if summary.default_graph_ok:
        out.print(
            f"default graph: queries without GRAPH see all {summary.claims} claims", markup=False
        )
    elif summary.default_graph_ok is False and summary.named_graphs_only:
        _say(
            f"warning: queries without GRAPH see {summary.default_graph_claims} of the "
            f"{summary.claims} claims: the default graph excludes the named graphs "
            "(accepted with --named-graphs-only: query with GRAPH or FROM)"
        )
    elif summary.default_graph_ok is False:
        _say(f"newsld: {summary.default_graph_problem}")
    if not summary.complete:
        _say(
            "load incomplete: fix the problem and run the same command again; the store's "
            "load manifest lists every graph that may be there, so the load converges"
        )


@app.command("load")
def load_command(
    endpoint: Annotated[
        str,
        typer.Option(
            "--endpoint",
            "-e",
            help="SPARQL query endpoint, e.g. http://127.0.0.1:7878/query (Oxigraph), "
            "http://HOST:3030/DS/sparql (Fuseki), http://HOST:7200/repositories/REPO (GraphDB), "
            "http://HOST:8890/sparql (Virtuoso).",
        ),
    ],
    graph_store_url: Annotated[
        str | None,
        typer.Option(
            "--graph-store-url",
            help="Graph Store HTTP Protocol endpoint (default: derived from --endpoint for "
            "Oxigraph, Fuseki, GraphDB and Virtuoso).",
        ),
    ] = None,
    release: ReleaseOption = Path("dist"),
    user: UserOption = None,
    password: PasswordOption = None,
    netrc_file: NetrcOption = None,
    password_prompt: PasswordPromptOption = False,
    auth: AuthOption = AuthChoice.auto,
    timeout: TimeoutOption = 60.0,
    retries: RetriesOption = 3,
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", min=1, help="Triples per request for large graphs.")
    ] = 50_000,
    content_type: Annotated[
        LoadContentType,
        typer.Option("--content-type", help="What graphs are sent as (never N-Quads)."),
    ] = LoadContentType.ntriples,
    parallel: Annotated[
        int, typer.Option("--parallel", min=1, max=64, help="Graphs sent at the same time.")
    ] = 4,
    changed_only: Annotated[
        bool,
        typer.Option(
            "--changed-only",
            help="Skip graphs whose digest the store's load manifest already has.",
        ),
    ] = False,
    verify: Annotated[
        bool,
        typer.Option(
            "--verify/--no-verify",
            help="Afterwards, count each graph's triples and the claims that queries "
            "without GRAPH see.",
        ),
    ] = True,
    named_graphs_only: Annotated[
        bool,
        typer.Option(
            "--named-graphs-only",
            help="Accept a store whose default graph excludes the named graphs (you query with "
            "GRAPH or FROM): a warning, not a failure.",
        ),
    ] = False,
    json_summary: Annotated[
        bool, typer.Option("--json", help="Print the summary as JSON on stdout.")
    ] = False,
    debug: DebugOption = False,
) -> None:
    """Load the release into a SPARQL 1.1 store (Graph Store HTTP Protocol).

    Every graph is replaced whole; graphs of articles removed since the last load are deleted;
    loading again changes nothing. Then queries without GRAPH (as in queries/*.rq) must see the
    release's claims: a store whose default graph is not the union of the named graphs fails.
    Exit 0: the store holds the release; 1: some graphs were rejected, counts differ, or the
    default graph misses the release (unless --named-graphs-only); 2: bad options, release or
    endpoint (unreachable, refused).
    """
    import json

    from newsld.endpoints.load import ContentType, LoadOptions, Target, load_release
    from newsld.endpoints.remote import SHAPES, Remote, check_url, graph_store_url_for
    from newsld.release.reader import open_release

    def action() -> int:
        try:
            check_url(endpoint, "--endpoint")
            if graph_store_url is not None:
                check_url(graph_store_url, "--graph-store-url")
        except ValueError as error:
            _say(f"newsld: {error}")
            return EXIT_USAGE
        settings = _remote_settings(
            endpoint, user, password, auth, timeout, retries, netrc_file, password_prompt
        )
        store_url = graph_store_url or graph_store_url_for(endpoint, settings.user is not None)
        if store_url is None:
            _say(
                f"newsld: cannot tell the Graph Store URL from {endpoint}; give "
                f"--graph-store-url. Known shapes:\n{SHAPES}"
            )
            return EXIT_USAGE
        opened = open_release(release)
        target = Target(endpoint=endpoint, graph_store=store_url)
        options = LoadOptions(
            chunk_size=chunk_size,
            content_type=ContentType(content_type.value),
            changed_only=changed_only,
            verify=verify,
            parallel=parallel,
            named_graphs_only=named_graphs_only,
        )
        try:
            with Remote(settings) as remote, _progress("loading") as progress:
                summary = load_release(opened, target, remote, options, progress)
        except KeyboardInterrupt:
            _say("interrupted: run the same command again; the load converges")
            return EXIT_INVALID
        if json_summary:
            data = {
                "ok": summary.ok,
                "endpoint": endpoint,
                "graph_store": store_url,
                "graphs": summary.graphs,
                "loaded": summary.loaded,
                "skipped": summary.skipped,
                "deleted": summary.deleted,
                "failed": summary.failed,
                "not_loaded": summary.not_loaded,
                "triples": summary.triples,
                "requests": summary.requests,
                "retries": summary.retries,
                "seconds": round(summary.seconds, 3),
                "verified": summary.verified,
                "mismatches": {k: list(v) for k, v in summary.mismatches.items()},
                "complete": summary.complete,
                "default_graph": {
                    "ok": summary.default_graph_ok,
                    "claims": summary.claims,
                    "seen": summary.default_graph_claims,
                    "named_graphs_only": summary.named_graphs_only,
                    "problem": summary.default_graph_problem,
                },
                "error": str(summary.error) if summary.error else None,
            }
            sys.stdout.write(json.dumps(data, indent=2) + "\n")
            if summary.error is not None:
                _say(f"newsld: {summary.error}")
            if summary.default_graph_problem is not None and not summary.named_graphs_only:
                _say(f"newsld: {summary.default_graph_problem}")
        else:
            _render_load_summary(summary, store_url)
        if summary.ok:
            return EXIT_OK
        if summary.error is not None and not summary.loaded:
            return EXIT_USAGE
        return EXIT_INVALID

    _run_data(action, debug)
