"""Issue 14: a heading in capitals and a function word opening a sentence are nobody's name.

And so are an adverb ("Typically"), a contraction ("They’re", "I'd"), a number ("Thirteen") and an
interjection ("Wow", "Yes") capitalised because they open a sentence.

- "CITY AT ITS BEST—“…,” by The Gazette’s Ana Ruiz: “…”": newsletters head each item with a
  line in capitals; the heading was read as a name and became the speaker of the quotations under
  it. A run of words all in capitals that holds a word no name is made of ("AT", "ITS", "HOW",
  "THE") or is five words long is a heading; "BANK OF AMERICA" and "FBI" stay names.
- "Had Sanders won Iowa, …", "Well, Trump said …", "Across town, …", "Overall, …": an auxiliary,
  a modal, an adverb or a preposition capitalised because it opens a sentence was a name ("Had
  Sanders") or a name of its own ("Across") the ranker could choose.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import names, speakers


def test_a_heading_in_capitals_is_not_the_speaker_of_the_quotations_under_it() -> None:
    text = "\n\n".join(
        [
            "The festival closed on Sunday.",
            "CITY AT ITS BEST—“A new mayor takes office,” by The Gazette’s Ana Ruiz:"
            " “The mayor arrived early and stayed late.”",
            "SCHOOLS REOPEN AFTER STORM DAMAGE—“Classes resume Monday,” by the Herald’s Tom"
            " Baker: “Teachers spent the weekend cleaning.”",
        ]
    )
    found = speakers(text)
    assert found["The mayor arrived early and stayed late."] == "Ana Ruiz"
    assert found["Teachers spent the weekend cleaning."] == "Tom Baker"


def test_names_in_capitals_stay_names() -> None:
    assert names("NEW YORK AT ITS CORE and BANK OF AMERICA") == ["BANK OF AMERICA"]
    assert names("the FBI and the UNITED STATES OF AMERICA") == ["FBI", "UNITED STATES OF AMERICA"]
    assert names("HOW CHINA’S DECLINE AFFECTS US") == []


def test_a_word_opening_a_sentence_is_not_a_name() -> None:
    assert names("Had Sanders won Iowa, the race would look different.") == ["Sanders", "Iowa"]
    assert names("Well, Trump said no.") == ["Trump"]
    assert names("Across town, Overall, Nothing changed.") == []
    text = (
        "Had Sanders won Iowa, the race would look different."
        " “I am not giving up,” Sanders said on Tuesday."
    )
    assert speakers(text) == {"I am not giving up": "Sanders"}


def test_a_two_letter_acronym_in_capitals_does_not_make_a_heading() -> None:
    assert names("the IS FIGHTERS and the US ARMY") == ["IS FIGHTERS", "US ARMY"]


def test_an_adverb_a_contraction_a_number_or_an_interjection_opening_a_sentence_is_no_name() -> (
    None
):
    assert names("Typically, Realistically and Obviously nothing changed.") == []
    assert names("They’re here. We’ve won. I'd go. Thirteen said no. Wow, Yes and Okay.") == []
    assert names("Sally Field and Kelly Ayotte spoke.") == ["Sally Field", "Kelly Ayotte"]
    text = "“I'd like 10,000 guns,” said the buyer. “That is how it works,” Sanders said."
    assert speakers(text)["That is how it works"] == "Sanders"
