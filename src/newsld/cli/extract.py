"""``newsld extract``, ``eval`` and ``new``: proposing claims from text, scoring them, scaffolding
records."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from newsld.cli.app import (
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    CorpusOption,
    DebugOption,
    _run,
    _say,
    app,
    min_confidence_option,
    out,
)

if TYPE_CHECKING:
    from newsld.corpus.dates import PartialDate


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


def _confidence(value: float) -> str:
    return f"{value:.2f}"


def _curated_rows(record, text: str, registry) -> list[tuple[int, list[str]]]:
    """A record's curated claims as table rows, keyed by where their words are in the text
    (a paraphrase that is not: after everything else)."""
    from newsld.corpus.records import UnnamedSpeaker

    def named(reference: str) -> str:
        entity_id = registry.lookup(reference)
        return registry.entities[entity_id].name if entity_id else reference

    rows = []
    for claim in record.claims:
        start = text.find(claim.text) if claim.text else -1
        speaker = claim.speaker
        if isinstance(speaker, UnnamedSpeaker):
            who = speaker.description
        else:
            who = named(speaker) if speaker is not None else "(no speaker)"
        if claim.reported_by is not None:
            who += f" (via {named(claim.reported_by)})"
        words = " ".join((claim.text or "").split())
        rows.append(
            (
                start if start >= 0 else len(text),
                [
                    str(start) if start >= 0 else "-",
                    "curated",
                    claim.kind or "",
                    who[:40],
                    claim.date.form if claim.date else "",
                    "record",
                    "-",
                    words if len(words) <= 70 else words[:69] + "…",
                ],
            )
        )
    return rows


def _claims_table(name: str, extraction, record=None, text: str = "", registry=None) -> str:
    """Extracted claims, unattributed quotations and events in text order; with a record, its
    curated claims beside them (the origin column says which is which)."""
    rows = [["start", "origin", "kind", "speaker", "date", "date source", "confidence", "text"]]
    found = [(c, True) for c in extraction.claims] + [(c, False) for c in extraction.unattributed]
    keyed: list[tuple[int, list[str]]] = []
    for claim, attributed in found:
        speaker = claim.speaker.name if claim.speaker else "(unattributed)"
        if claim.reported_by is not None:
            speaker += f" (via {claim.reported_by.name})"
        text_shown = " ".join(claim.text.split())
        keyed.append(
            (
                claim.span.start,
                [
                    str(claim.span.start),
                    "extracted",
                    claim.kind.value if attributed else "-",
                    speaker[:40],
                    claim.date.date.form if claim.date else "",
                    (claim.date.source if claim.date else "")[:20],
                    _confidence(claim.confidence),
                    text_shown if len(text_shown) <= 70 else text_shown[:69] + "…",
                ],
            )
        )
    if record is not None and registry is not None:
        keyed += _curated_rows(record, text, registry)
    rows += [row for _, row in sorted(keyed, key=lambda r: (r[0], r[1][1] != "curated"))]
    for event in extraction.events:
        rows.append(
            [
                str(event.span.start),
                "extracted",
                f"event:{event.type}",
                ", ".join(p.name for p in event.participants)[:40],
                event.date.date.form if event.date else "",
                (event.date.source if event.date else "")[:20],
                _confidence(event.confidence),
                " ".join(event.description.split())[:70],
            ]
        )
    return f"{name}\n" + _plain_table(rows, right={0, 6})


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
            "into a record) or table (for a record: its curated claims too, and which is which).",
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
                table = _claims_table(
                    given.text_display, extraction, given.record, given.text, registry
                )
                sys.stdout.write(table)
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
        Path,
        typer.Argument(
            help="Gold folder: one sub-folder of annotated articles per corpus, or a split "
            "folder annotated in brat standoff (text/ and attributions/, as PolNeAR's)."
        ),
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
    min_confidence: Annotated[
        float | None,
        min_confidence_option(
            "Score as released only extracted claims at least this confident (default: the "
            "corpus' min_confidence, as newsld build would release them)."
        ),
    ] = None,
    limit: Annotated[
        int,
        typer.Option("--limit", min=0, help="Split folders: score the first N articles only."),
    ] = 0,
    debug: DebugOption = False,
) -> None:
    """Score extraction against gold annotations: precision, recall, speaker and date accuracy.

    A gold folder gives one row per gold corpus and split (dev: rules were tuned on it; heldout:
    never inspected), plus the direct quotations of five or more words found with the right
    speaker and date; claims below the release's min_confidence count as withheld.

    A split folder (PolNeAR's train or dev) is scored as PolNeAR's scorer does it: content
    precision, recall and F1, speaker accuracy, a reliability table (per confidence threshold,
    how often released speakers are right and how much of the gold is released) and articles/s.
    """

    def action() -> int:
        import json

        from newsld.corpus.reader import open_corpus
        from newsld.extraction.standoff import is_split

        if not gold.is_dir():
            _say(f"newsld: no gold folder at {gold}")
            return EXIT_USAGE
        opened = open_corpus(corpus)
        threshold = opened.settings.release_min_confidence(min_confidence)
        if is_split(gold):
            return _eval_split(gold, opened.registry, threshold, limit, output)
        from newsld.extraction.evaluate import evaluate, summary

        result = evaluate(gold, opened.registry, only or None, threshold)
        _say_findings(result.findings)
        rows = summary(result)
        if output is EvalFormat.json:
            sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        else:
            table = [["corpus", "split", "articles", "gold", "precision", "recall"]]
            table[0] += ["speaker acc.", "withheld", "date acc.", "direct>=5 words ok"]
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
                        str(row["withheld"]),
                        _ratio(row["date_accuracy"]),
                        f"{row['direct5_ok']}/{row['direct5']}",
                    ]
                )
            sys.stdout.write(_plain_table(table, right=set(range(2, 10))))
            sys.stdout.write(
                f"released: extracted claims with confidence >= {threshold:g}; withheld: gold "
                "quotations whose claim is listed for review instead (not in speaker acc.)\n"
            )
        if errors:
            splits = ("dev", "heldout") if heldout_errors else ("dev",)
            sys.stdout.write("".join(line + "\n" for line in result.error_lines(splits)))
        if not result.articles:
            _say("newsld: no gold articles found")
            return EXIT_USAGE
        return EXIT_INVALID if result.findings else EXIT_OK

    _run(action, debug)


def _eval_split(folder: Path, registry, threshold: float, limit: int, output: EvalFormat) -> int:
    import json

    from newsld.extraction.standoff import evaluate_split

    score = evaluate_split(folder, registry, limit)
    if not score.articles:
        _say(f"newsld: no annotated articles in {folder}")
        return EXIT_USAGE
    if output is EvalFormat.json:
        sys.stdout.write(json.dumps(score.as_dict(), indent=2) + "\n")
        return EXIT_OK
    summary = [
        ["articles", "gold", "predicted", "precision", "recall", "F1"],
        [
            str(score.articles),
            str(score.gold_quoted),
            str(score.predicted),
            _ratio(score.precision),
            _ratio(score.recall),
            _ratio(score.f1),
        ],
    ]
    summary[0] += ["speaker acc.", "named sources", "articles/s"]
    summary[1] += [
        f"{_ratio(score.speaker_accuracy)} of {score.speaker_scored}",
        f"{_ratio(score.speaker_accuracy_named)} of {score.named_scored}",
        f"{score.articles_per_second:.1f}",
    ]
    sys.stdout.write(_plain_table(summary, right=set(range(9))))
    sys.stdout.write(
        "\nreliability: claims released at min_confidence c (named sources: without bare "
        "pronoun sources)\n"
    )
    table = [["c", "scored", "speaker right", "named", "named right", "gold released"]]
    for row in score.reliability():
        marker = " <- release" if abs(row.min_confidence - threshold) < 1e-9 else ""
        table.append(
            [
                f"{row.min_confidence:.2f}",
                str(row.scored),
                _ratio(row.right),
                str(row.named),
                _ratio(row.named_right),
                _ratio(row.gold_released) + marker,
            ]
        )
    sys.stdout.write(_plain_table(table, right=set(range(5))))
    lowest = score.lowest_threshold(0.95)
    sys.stdout.write(
        "lowest min_confidence with named-source speakers right >= 0.95: "
        + (f"{lowest:.2f}" if lowest is not None else "none")
        + "\n"
    )
    return EXIT_OK


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
