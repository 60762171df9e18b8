"""Issue 14: "X was asked by Y, “…?”" — the one asking speaks.

A passive "asked" is no reporting verb of its subject's, so the question went to the subject
("Rubio was asked by moderator Gerard Baker whether his plan would risk “…”" was Rubio's) or to
a guess. The agent after "by" asked it, unless a reporting verb follows before the quotation.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_the_agent_of_a_passive_asked_speaks() -> None:
    text = "\n\n".join(
        [
            "Ana Ruiz was asked by moderator Tom Becker whether the levy would risk “another "
            "costly program for the county.”",
            "Ana Ruiz was asked by host Maria Lopez, who backs her, “Now, will you finally "
            "raise the water rates?”",
        ]
    )
    assert speakers(text) == {
        "another costly program for the county": "Tom Becker",
        "Now, will you finally raise the water rates?": "Maria Lopez",
    }


def test_a_reporting_verb_after_the_question_names_the_speaker() -> None:
    text = (
        "Ana Ruiz was asked by moderator Tom Becker about the levy, and Ruiz said, “The levy "
        "pays for the new wells.”"
    )
    assert speakers(text) == {"The levy pays for the new wells.": "Ana Ruiz"}
