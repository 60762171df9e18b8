"""Reading what ``newsld extract`` and ``newsld new`` are given: a raw text or a corpus record.

A raw text is read as UTF-8 (a byte-order mark is not part of the text; line endings are kept,
so offsets are offsets into the file's text). A record (``.yaml``/``.yml``) is read with the
record model: its ``text_file`` is the text and its ``date_published`` the publication date.
Problems are findings with file, line and field; nothing here raises on bad input.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsld.corpus.dates import PartialDate
from newsld.corpus.files import MAX_TEXT_BYTES, read_source
from newsld.corpus.reader import RECORD_SUFFIXES, load_article
from newsld.corpus.records import ArticleRecord
from newsld.findings.report import Finding


@dataclass(frozen=True)
class ArticleInput:
    display: str  # the file as findings show it
    text: str
    published: PartialDate | None  # the record's date_published (None for a raw text)
    record: ArticleRecord | None = None
    text_display: str = ""  # the text file (for a record: its text_file)


def read_input(path: Path) -> tuple[ArticleInput | None, list[Finding]]:
    """Read a raw article text or a record and its text; None and findings when unusable."""
    folder = path.resolve().parent
    if path.suffix.lower() in RECORD_SUFFIXES:
        loaded, findings = load_article(path, folder)
        if loaded is None:
            return None, findings
        # a record whose id does not match its file name is still worth extracting from
        findings = [f for f in findings if f.code != "record/id-mismatch"]
        return (
            ArticleInput(
                loaded.source.display,
                loaded.text.text,
                loaded.record.date_published,
                loaded.record,
                loaded.text.display,
            ),
            findings,
        )
    source, findings = read_source(path, folder, MAX_TEXT_BYTES)
    if source is None:
        return None, findings
    return ArticleInput(source.display, source.text, None, None, source.display), findings
