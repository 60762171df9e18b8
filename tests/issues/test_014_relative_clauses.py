"""Issue 14: the subject of a relative clause after "whom", "which" or "that" speaks.

"Perez … contrasted the Republican candidate, whom he described as “volatile,” with Clinton:
“…”" released both quotations as said by "contrasted the Republican candidate": the phrase
after the comma, "whom he", resolved to nobody, and the whole phrase before the verb was taken
for a description. After the relative pronoun comes the clause's subject: "he".

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_the_subject_after_whom_speaks() -> None:
    text = (
        "Tom Becker spoke last. Becker hammered the plan, calling it a “train wreck,” and "
        "contrasted the county manager, whom he described as “volatile and reckless,” with "
        "his deputy."
    )
    assert speakers(text) == {
        "train wreck": "Tom Becker",
        "volatile and reckless": "Tom Becker",
    }
