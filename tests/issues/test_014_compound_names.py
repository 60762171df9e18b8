"""Issue 14: a surname is not resolved to a one-word compound of names that holds it.

"The Johnson-Weld ticket", "a Trump-Clinton match-up": a word joining two people's names is a
ticket or a contest, not anyone's fuller name. When it was the nearest earlier mention holding
the surname, "Johnson said" was released as said by "Johnson-Weld", confidently, on every quote
of the article. The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers

TEXT = """\
Maria Lopez and Daniel Brooks spoke to farmers in Ashford on Saturday.

The Lopez-Brooks ticket needs a strong result in the county to stay in the race.

"We came here because nobody else did," Lopez said after the meeting. "You deserve better."

"The water rules have to change before the next harvest," said Brooks.

A Lopez-Carter debate is planned for next month, and Carter has not yet agreed to the date.
"""


def test_each_quotation_is_said_by_the_person_the_surname_names() -> None:
    assert speakers(TEXT, "2024-05-04") == {
        "We came here because nobody else did": "Maria Lopez",
        "You deserve better.": "Maria Lopez",
        "The water rules have to change before the next harvest": "Daniel Brooks",
    }
