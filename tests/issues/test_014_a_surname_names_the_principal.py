"""Issue 14: a surname alone names the person the article is about, not the relative last named.

"Fiorina" after "Carly Fiorina" (named throughout) and one mention of "her husband, Frank
Fiorina" was Frank's: a surname went to the nearest earlier person bearing it. On PolNeAR train
that gave 32 of Hillary Clinton's quotations to Bill Clinton, Bernie Sanders's to Jane Sanders,
Chris Murphy's to a victim of the shooting his article was about, and Ms. Khan's to her son. A
surname alone now names, of the people bearing it, the one the article has named most so far
(of the gender its title gives: "Mrs. Clinton", "Mr. Clinton"); a relative is named in full or
by the first name ("Bill Clinton said").

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_a_surname_after_a_relative_is_named_names_the_principal() -> None:
    text = (
        "Carly Fiorina ran the company for six years. Fiorina said the merger was “the best"
        " strategic option for us.”\n\n"
        "She flew home that night with her husband, Frank Fiorina.\n\n"
        "“The majority of our employees understand and support this merger,” Fiorina told the"
        " crowd."
    )
    assert speakers(text) == {
        "the best strategic option for us": "Carly Fiorina",
        "The majority of our employees understand and support this merger": "Carly Fiorina",
    }


def test_a_relative_named_in_full_speaks_for_themselves() -> None:
    text = (
        "Hillary Clinton campaigned in Iowa. Clinton said the race was “far from over.”\n\n"
        "“She is the most qualified candidate in my lifetime,” Bill Clinton said on Tuesday."
    )
    assert speakers(text) == {
        "far from over": "Hillary Clinton",
        "She is the most qualified candidate in my lifetime": "Bill Clinton",
    }


def test_a_surname_names_one_person_however_the_article_writes_the_name() -> None:
    text = (
        "Donald Trump spoke in Ohio. Donald J. Trump later visited Michigan, where his daughter,"
        " Ivanka Trump, joined him.\n\n"
        "“We are going to win so much,” Trump said."
    )
    assert speakers(text) == {"We are going to win so much": "Donald J. Trump"}


def test_a_title_says_which_of_two_bearers_a_surname_names() -> None:
    text = (
        "Hillary Clinton campaigned in Iowa with her husband, Bill Clinton. Mrs. Clinton said"
        " the race was ''far from over.''\n\n"
        "Mr. Clinton told the crowd that his wife was ''the best candidate I have ever seen.''"
    )
    assert speakers(text) == {
        "far from over": "Hillary Clinton",
        "the best candidate I have ever seen": "Bill Clinton",
    }
