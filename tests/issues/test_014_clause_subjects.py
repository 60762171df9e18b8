"""Issue 14: the subject of "…, saying “…”" is the clause's subject, never a place before it.

"Maria Lopez threw her support behind Sen. Daniel Brooks, saying …" was Brooks's: the clause's
subject ran on past "threw" (only regular past tenses ended it) and its last name won.
"Speaking in Salem, New Hampshire, Lopez went after Brooks, calling him …" was New Hampshire's,
read as a first name and a surname. The text is written for the test.
"""

from __future__ import annotations

from newsld.corpus.dates import PartialDate
from newsld.extraction import extract

TEXT = "\n\n".join(
    [
        "The race tightened in the final week.",
        "Maria Lopez threw her support behind Sen. Daniel Brooks on Wednesday, saying it is time"
        " to have “a real reformer in the governor's office.”",
        "Speaking at a town hall event in Salem, New Hampshire, Lopez went after Brooks, calling"
        " him “a total stiff.”",
        "Lopez welcomed the news that Brooks would quit, saying the senator was “doing the right"
        " thing.”",
    ]
)


def test_the_clause_subject_says_what_the_participle_introduces() -> None:
    extraction = extract(TEXT, PartialDate.parse("2024-05-10"))
    speakers = {
        claim.text: claim.speaker.name if claim.speaker else None for claim in extraction.claims
    }
    assert speakers == {
        "a real reformer in the governor's office": "Maria Lopez",
        "a total stiff": "Maria Lopez",
        "doing the right thing": "Maria Lopez",
    }
