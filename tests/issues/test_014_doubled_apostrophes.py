"""Issue 14: ''two apostrophes'' are quotation marks, as the New York Times archive writes them.

The quotation finder paired “curly” and "straight" double marks only, so in text written with
doubled apostrophes (''It is,'' she said) no quotation was found: 116 of PolNeAR train's articles
(3,609 marks) gave only the claims of reported speech. They are quotation marks now (1,155 more
claims there; 0.966 of the named speakers right against PolNeAR's annotations), and the offsets
of what is found are still those of the text as given. A text quoting in “double marks” keeps a
''nested'' quotation inside the one around it.

The text is written for the test.
"""

from __future__ import annotations

from newsld.corpus.dates import PartialDate
from newsld.extraction import extract

from .attribution import speakers


def test_doubled_apostrophes_are_quotation_marks() -> None:
    text = (
        "Barack Obama spoke in Philadelphia. ''America is already great,'' he said. ''America is"
        " already strong.''\n\n"
        "Donald J. Trump called the speech ''a disaster'' on Thursday."
    )
    assert speakers(text) == {
        "America is already great": "Barack Obama",
        "America is already strong.": "Barack Obama",
        "a disaster": "Donald J. Trump",
    }


def test_offsets_stay_those_of_the_text_given() -> None:
    text = "''We will win this state,'' Hillary Clinton said on Monday."
    extraction = extract(text, PartialDate.parse("2016-05-02"))
    (claim,) = extraction.claims
    assert text[claim.span.start : claim.span.end] == claim.text == "We will win this state"


def test_doubled_apostrophes_nested_in_double_quotation_marks_stay_inside() -> None:
    text = "Jane Smith spoke on Monday. “He said ''no'' to me and walked away,” Smith said."
    assert speakers(text) == {"He said ''no'' to me and walked away": "Jane Smith"}
