"""The release's review file: the extracted claims it withholds, for curators.

An extracted claim whose confidence (as the release would give it, two decimals) is below the
build's ``min_confidence`` is not released; neither is a quotation nobody in the article is said
to have said. Each is one line of ``review.jsonl`` in the release folder: a JSON object with the
record, the article, the words and their offsets, the proposed speaker, date, confidence, rule
and why it was withheld. Lines come in corpus order, then by offset in the text; a record
reused from the previous release contributes the lines it gave then (they are kept in its
state entry, and the threshold is part of the cache salt, so a new threshold redoes them all).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsld.rdf.mapped import Withheld

REVIEW_FILE = "review.jsonl"
BELOW_CONFIDENCE = "below-confidence"
UNATTRIBUTED = "unattributed"

ReviewRow = tuple[str, str]  # why, the JSON line (without its newline)


def review_line(item: Withheld) -> str:
    """One withheld claim as a line of ``review.jsonl`` (keys in a fixed order)."""
    return json.dumps(
        {
            "record": item.record,
            "text_file": item.text_file,
            "article": item.article,
            "start": item.start,
            "end": item.end,
            "text": item.text,
            "kind": item.kind,
            "speaker": item.speaker,
            "speaker_id": item.speaker_id,
            "reported_by": item.reported_by,
            "date": item.date,
            "date_source": item.date_source,
            "confidence": item.confidence,
            "rule": item.rule,
            "why": item.why,
        },
        ensure_ascii=False,
        separators=(", ", ": "),
    )


def review_rows(withheld: Iterable[Withheld]) -> tuple[ReviewRow, ...]:
    """A record's withheld claims as rows (rendered where the record is processed)."""
    return tuple((item.why, review_line(item)) for item in withheld)


@dataclass(frozen=True)
class ReviewSummary:
    """What the review file holds, for ``report.json`` and the build summary."""

    file: str
    min_confidence: float
    withheld: int  # extracted claims below min_confidence
    unattributed: int  # quotations with no attributable speaker

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "min_confidence": self.min_confidence,
            "claims_withheld": self.withheld,
            "unattributed": self.unattributed,
        }


class ReviewWriter:
    """Appends records' rows to ``review.jsonl`` in the staging folder, in corpus order."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / REVIEW_FILE
        self._stream = self.path.open("w", encoding="utf-8", newline="\n")

    def write(self, rows: Iterable[ReviewRow]) -> None:
        for _, line in rows:
            self._stream.write(line + "\n")

    def close(self) -> None:
        self._stream.close()
