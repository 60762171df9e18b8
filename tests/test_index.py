"""The corpus index reads ids and dates without parsing YAML only when that is safe."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsld.corpus.files import read_source
from newsld.corpus.reader import parse_model, quick_summary
from newsld.corpus.records import ArticleRecord

from .conftest import CORPUS, DATA


def _is_text(path: Path) -> bool:
    try:
        path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return False
    return True


RECORDS = [
    p for p in sorted(CORPUS.glob("articles/*.yaml")) + sorted(DATA.glob("*.yaml")) if _is_text(p)
]


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: p.name)
def test_quick_summary_agrees_with_the_parsed_record(path: Path) -> None:
    source, _ = read_source(path, path.parent, 10_000_000)
    assert source is not None
    quick = quick_summary(source.text)
    if quick is None:
        return  # the index parses this one properly
    record, doc, _ = parse_model(source, ArticleRecord)
    if record is None or doc is None:
        # an invalid record: the quick path may still index its id; the build reports it
        return
    position = doc.position(("id",))
    date = record.date_published.text if record.date_published else None
    assert quick == (record.id, date, position.line if position else None)


def test_every_seed_record_takes_the_quick_path() -> None:
    for path in sorted(CORPUS.glob("articles/*.yaml")):
        assert quick_summary(path.read_text(encoding="utf-8")) is not None, path.name


@pytest.mark.parametrize(
    "text",
    [
        'id: "quoted-id"\ndate_published: 2018-06-10\n',  # quoted: parse properly
        "id: one\nid: two\n",  # duplicate key: the parser reports it
        "id: one\n'id': two\n",
        "id: one\ndate_published: 2018-02-30\n",  # not a date: the parser reports it
        "id: one\ndate_published: 2018-06-10\ndate_published: 2018-06-11\n",
        "id: one\ndate_published: {year: 2018}\n",
        "id: Not-A-Key\n",
        "meta:\n  id: nested\n",
        "headline: no id at all\n",
    ],
)
def test_unusual_records_fall_back_to_the_parser(text: str) -> None:
    assert quick_summary(text) is None


def test_plain_record_with_comments_and_crlf() -> None:
    text = "# a record\r\nheadline: x\r\nid: some-key  # the key\r\ndate_published: '2018-06'\r\n"
    assert quick_summary(text) == ("some-key", "2018-06", 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id: a-b\ndate_published: 2024-03-01\n", ("a-b", "2024-03-01", 1)),
        ("title: x\nid: a # note\r\n", ("a", None, 2)),
        ("id: a\ndate_published: '2024-W10'\n", ("a", "2024-W10", 1)),
        ("id: a\nid: b\n", None),  # twice: the parser decides
        ("'id': a\n", None),  # quoted key
        ('id: a\n"date_published" : 2024\n', None),
        ("id: a\ndate_published: 2024-02-30\n", None),  # not a date: the parser reports it
        ("id: a\ndate_published: 2024\ndate_published: 2025\n", None),
        ("  id: a\n", None),  # not at the top level
        ("id: A\n", None),  # not a key the quick path knows
    ],
)
def test_quick_summary_takes_only_the_plain_way(
    text: str, expected: tuple[str, str | None, int] | None
) -> None:
    assert quick_summary(text) == expected
