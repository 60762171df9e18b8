"""Reading records: bad input becomes findings that name the file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsld.corpus.dates import PartialDate, Precision
from newsld.corpus.records import normalise_name
from newsld.release.build import check

from .conftest import add_record


@pytest.mark.parametrize(
    ("record", "code", "line", "field", "hint"),
    [
        (
            "misspelled-field",
            "record/unknown-field",
            11,
            "claims[0].speakr",
            "did you mean `speaker`?",
        ),
        ("invalid-calendar-date", "date/invalid", 5, "date_published", None),
        ("malformed-yaml", "yaml/syntax", 5, None, None),
        ("python-object-tag", "yaml/forbidden-tag", 3, None, None),
    ],
)
def test_bad_record_is_a_located_finding(
    corpus: Path, record: str, code: str, line: int, field: str | None, hint: str | None
) -> None:
    add_record(corpus, record)
    report = check(corpus)
    assert [(f.code, f.file, f.line, f.field) for f in report.errors] == [
        (code, f"corpus/articles/{record}.yaml", line, field)
    ]
    assert report.errors[0].hint == hint


def test_python_tags_are_never_executed(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    calls: list[str] = []
    monkeypatch.setattr(os, "system", lambda command: calls.append(command) or 0)
    add_record(corpus, "python-object-tag")
    check(corpus)
    assert calls == []


def test_text_file_outside_the_corpus_is_refused(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("not part of the corpus")
    record = add_record(corpus, "valid-short-record")
    record.write_text(
        record.read_text().replace("text_file: short-article.txt", "text_file: ../../secret.txt")
    )
    report = check(corpus)
    assert [(f.code, f.field) for f in report.errors] == [("file/outside-corpus", "text_file")]


def test_non_utf8_text_is_reported_with_its_line(corpus: Path) -> None:
    add_record(corpus, "valid-short-record")
    (corpus / "articles" / "short-article.txt").write_bytes(b"Headline\nbad \xff byte\n")
    report = check(corpus)
    assert [(f.code, f.file, f.line) for f in report.errors] == [
        ("file/not-utf8", "corpus/articles/short-article.txt", 2)
    ]


@pytest.mark.parametrize(
    ("text", "precision", "first", "last"),
    [
        ("2018-06-10", Precision.DAY, "2018-06-10", "2018-06-10"),
        ("2018-02", Precision.MONTH, "2018-02-01", "2018-02-28"),
        ("2016", Precision.YEAR, "2016-01-01", "2016-12-31"),
    ],
)
def test_partial_dates_keep_their_precision(
    text: str, precision: Precision, first: str, last: str
) -> None:
    date = PartialDate.parse(text)
    assert date.precision is precision
    assert (date.first_day.isoformat(), date.last_day.isoformat()) == (first, last)


@pytest.mark.parametrize("bad", ["2018-02-30", "2018-13", "18-06-10", "June 2018", ""])
def test_impossible_dates_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        PartialDate.parse(bad)


def test_alias_matching_ignores_case_punctuation_and_apostrophe_style() -> None:
    assert normalise_name("Israel’s ambassador to the UN Danny Danon") == normalise_name(
        "israel's Ambassador to the UN  danny-danon"
    )
    assert normalise_name("Saleh Al-Arouri") == normalise_name("saleh al arouri")
    assert normalise_name("Danon") != normalise_name("Danny Danon")
