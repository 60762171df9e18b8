"""The catalogue of bad input: each defect has a fixture named after it in tests/data/ and
must end in one precise finding (code, file, line, field), never a traceback or a broken IRI."""

from __future__ import annotations

import datetime as dt
import gzip
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from newsld.corpus.files import MAX_RECORD_BYTES
from newsld.findings.report import Severity
from newsld.rdf.namespaces import NLD, SDO
from newsld.release.build import BuildOptions, build, check

from .conftest import add_record

# (fixture, code, line, field) — the one error each defect must produce
CATALOGUE = [
    ("malformed-yaml", "yaml/syntax", 5, None),
    ("python-object-tag", "yaml/forbidden-tag", 3, None),
    ("duplicate-key", "yaml/duplicate-key", 8, None),
    ("empty-record", "file/empty", None, None),
    ("not-utf8-record.yaml", "file/not-utf8", 3, None),
    ("wrong-type-headline", "record/invalid-value", 3, "headline"),
    ("headline-with-terminal-escape", "record/invalid-value", 3, "headline"),
    ("claim-text-with-nul-escape", "record/invalid-value", 13, "claims[1].text"),
    ("misspelled-field", "record/unknown-field", 11, "claims[0].speakr"),
    ("bom-record", "record/unknown-field", 11, "claims[0].speakr"),
    ("crlf-record", "record/unknown-field", 11, "claims[0].speakr"),
    ("remote-context-record", "record/unknown-field", 1, "@context"),
    ("missing-text-file-field", "record/missing-field", 1, "text_file"),
    ("invalid-calendar-date", "date/invalid", 5, "date_published"),
    ("unparseable-date", "date/invalid", 5, "date_published"),
    ("date-in-future", "date/in-future", 11, "events[0].date"),
    ("claim-date-after-publication", "date/after-publication", 12, "claims[0].date"),
    ("text-file-not-found", "file/missing", 2, "text_file"),
    ("text-file-outside-corpus", "file/outside-corpus", 2, "text_file"),
    ("speaker-not-a-name", "entity/bad-reference", 11, "claims[0].speaker"),
    ("claim-source-not-article", "claim/source-not-article", 13, "claims[0].also_in"),
    ("url-with-space", "record/invalid-value", 8, "url"),
    ("url-with-angle-brackets", "record/invalid-value", 8, "url"),
    ("url-with-newline", "record/invalid-value", 8, "url"),
    ("image-not-a-url", "record/invalid-value", 10, "image[1]"),
    ("not-available-unknown-property", "record/invalid-value", 8, "not_available"),
    ("not-available-without-reason", "record/invalid-value", 9, "not_available.image"),
    ("not-available-but-given", "record/invalid-value", 9, "not_available"),
    ("date-modified-before-publication", "record/invalid-value", 8, "date_modified"),
]


@pytest.mark.parametrize(("fixture", "code", "line", "field"), CATALOGUE)
def test_each_defect_is_one_precise_finding(
    corpus: Path, fixture: str, code: str, line: int | None, field: str | None
) -> None:
    target = add_record(corpus, fixture)
    report = check(corpus, options=BuildOptions(today=dt.date(2026, 11, 23)))
    errors = [(f.code, f.file, f.line, f.field) for f in report.errors]
    assert errors == [(code, f"corpus/articles/{target.name}", line, field)]
    assert all(f.message for f in report.findings)


def test_misspelled_field_gets_a_did_you_mean_hint(corpus: Path) -> None:
    add_record(corpus, "misspelled-field")
    (error,) = check(corpus).errors
    assert error.hint == "did you mean `speaker`?"


def test_unregistered_name_close_to_a_registry_alias_gets_a_hint(corpus: Path) -> None:
    add_record(corpus, "unregistered-speaker-typo")
    report = check(corpus)
    assert report.conforms
    (warning,) = [f for f in report.warnings if f.code == "entity/unregistered"]
    assert (warning.line, warning.field) == (11, "claims[0].speaker")
    assert warning.hint == "did you mean `danny-danon` (Danny Danon)?"


def test_duplicate_record_ids_are_reported(corpus: Path) -> None:
    add_record(corpus, "duplicate-id.yaml")
    add_record(corpus, "duplicate-id.yml")
    errors = [(f.code, f.file, f.line) for f in check(corpus).errors]
    assert errors == [("record/duplicate-id", "corpus/articles/duplicate-id.yml", 1)]


def test_record_over_the_size_limit_is_reported_not_truncated(corpus: Path) -> None:
    record = corpus / "articles" / "record-over-size-limit.yaml"
    record.write_text("id: record-over-size-limit\n# " + "x" * MAX_RECORD_BYTES + "\n")
    (error,) = check(corpus).errors
    assert (error.code, error.file) == (
        "file/too-large",
        "corpus/articles/record-over-size-limit.yaml",
    )
    assert str(MAX_RECORD_BYTES) in error.message


def test_empty_article_text_is_reported(corpus: Path) -> None:
    add_record(corpus, "valid-short-record")
    (corpus / "articles" / "short-article.txt").write_text(" \n\n")
    errors = [(f.code, f.field) for f in check(corpus).errors]
    assert errors == [("article/empty-text", "text_file")]


def test_non_record_file_in_articles_is_a_warning_and_an_error_when_named(corpus: Path) -> None:
    target = add_record(corpus, "remote-context-article.jsonld")
    report = check(corpus)
    assert report.conforms
    unsupported = [f for f in report.findings if f.code == "file/unsupported-format"]
    assert [(f.file, f.severity) for f in unsupported] == [
        ("corpus/articles/remote-context-article.jsonld", Severity.WARNING)
    ]
    named = check(corpus, [target])
    assert [f.code for f in named.errors] == ["file/unsupported-format"]


def test_bad_registry_name_is_located_in_the_registry(corpus: Path) -> None:
    registry = corpus / "registry.yaml"
    lines = registry.read_text().splitlines()
    line = len(lines) + 3
    registry.write_text(
        "\n".join([*lines, "  broken-entity:", "    type: Person", '    name: "Danny <Danon>"', ""])
    )
    errors = [(f.code, f.file, f.line, f.field) for f in check(corpus).errors]
    assert errors == [
        ("record/invalid-value", "corpus/registry.yaml", line, "entities.broken-entity.name")
    ]


def test_quotes_brackets_and_newlines_never_break_the_dumps(corpus: Path, tmp_path: Path) -> None:
    add_record(corpus, "headline-with-quotes-brackets-newlines")
    result = build(corpus, tmp_path / "dist")
    assert result.written, [f.message for f in result.report.errors]
    nt = gzip.decompress((tmp_path / "dist" / "newsld.nt.gz").read_bytes()).decode()
    assert all(line.endswith(" .") for line in nt.splitlines())
    for name, fmt in [("newsld.ttl", "turtle"), ("newsld.jsonld", "json-ld")]:
        graph = Graph().parse(tmp_path / "dist" / name, format=fmt)
        assert Literal('He said "<b>no</b>"\nthen left \\ \t done') in set(
            graph.objects(None, SDO.headline)
        )
        assert Literal('quote with "inner" quotes, <angle> & a\r\nnewline') in set(
            graph.objects(None, NLD.claimText)
        )
    # (a claim's statement is in the graph of each article reporting it: the dumps' count)
    assert len(nt.splitlines()) == result.report.stats["triples"]
    assert len(Graph().parse(data=nt, format="nt")) <= result.report.stats["triples"]


@pytest.fixture
def silent_server() -> Iterator[tuple[int, list[object]]]:
    """A local TCP server that accepts connections and never answers (a fetch would hang)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    accepted: list[object] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted.append(connection)  # kept open, never answered

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], accepted
    finally:
        stop.set()
        thread.join(timeout=2)
        server.close()


def test_remote_contexts_and_vocabularies_are_never_fetched(
    corpus: Path, tmp_path: Path, silent_server: tuple[int, list[object]]
) -> None:
    port, accepted = silent_server
    remote = f"http://127.0.0.1:{port}"
    for name in ["remote-context-record", "remote-context-article.jsonld", "valid-short-record"]:
        target = add_record(corpus, name)
        target.write_text(target.read_text().replace("http://127.0.0.1:9", remote))
    record = corpus / "articles" / "valid-short-record.yaml"
    record.write_text(record.read_text() + f"url: {remote}/article.html\n")
    settings = corpus / "dataset.yaml"
    settings.write_text(
        settings.read_text().replace(
            "license: https://creativecommons.org/licenses/by/4.0/", f"license: {remote}/license"
        )
    )
    for command in (["validate"], ["build", "--out", str(tmp_path / "dist")]):
        completed = subprocess.run(
            [sys.executable, "-m", "newsld", *command, "--corpus", str(corpus)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert completed.returncode == 1, completed.stderr  # the @context field is rejected
        assert "record/unknown-field" in completed.stderr
    assert accepted == []
