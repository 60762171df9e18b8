"""Issue 14: a surname that is also a title ("Amy Pope", "Steve King") is still a name.

"“…,” Amy Pope, deputy homeland security advisor, said" gave the quotation to "deputy homeland
security advisor": "Pope" was read as a title (as in "Pope Francis") with no name after it, so
the only speaker left in the phrase was its description. A title ending a sequence after a word
that can only be a first name is a surname; "Senate Majority Leader" stays a title.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_a_surname_that_is_a_title_is_the_speakers_name() -> None:
    text = "\n\n".join(
        [
            "“Our efforts have been insufficient,” Amy Pope, deputy homeland security adviser,"
            " said on a call with reporters.",
            "“It is a disgrace,” Rep. Steve King said on Monday.",
        ]
    )
    assert speakers(text) == {
        "Our efforts have been insufficient": "Amy Pope",
        "It is a disgrace": "Steve King",
    }


def test_a_title_after_a_word_that_makes_a_title_of_it_is_no_name() -> None:
    text = "“The vote will wait,” Senate Majority Leader said on Monday."
    assert speakers(text) == {"The vote will wait": "Senate Majority Leader"}
