"""Issue 14: "a New Hampshire Republican" is someone described, and "Trump Tower" is nobody.

- A state and a party's member ("a New Hampshire Republican", "the Wisconsin Republican", "an
  Iowa Democrat") was a person's first name and surname: the speaker of the insiders' quotations
  of a poll was a person called "New Hampshire Republican". It is a description now, as the
  article writes it; a people's word that is also a surname stays a name ("Mark Cuban").
- A building ("Trump Tower", "Trump Plaza Hotel") was a person's name, so a pronoun could name it,
  and a surname alone after "Trump University" or the "Clinton Foundation" named the
  organisation: "“…,” Trump said" was Trump University's (20 quotations on PolNeAR train). A
  building is an organisation's kind of name, and a surname alone names the person bearing it.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import resolved, speakers


def test_a_state_and_a_party_member_describe_someone() -> None:
    text = (
        "“Trump will be defeated in this process,” said a New Hampshire Republican, who responded"
        " anonymously. “She is too far behind,” added an Iowa Democrat."
    )
    assert speakers(text) == {
        "Trump will be defeated in this process": "a New Hampshire Republican",
        "She is too far behind": "an Iowa Democrat",
    }
    assert resolved("the Wisconsin Republican") == "the Wisconsin Republican"
    assert resolved("billionaire Mark Cuban") == "Mark Cuban"


def test_a_surname_after_an_organisation_named_for_someone_names_the_person() -> None:
    text = (
        "Donald Trump opened Trump Tower in 1983. Trump University was sued in 2013.\n\n"
        "“It was a terrific school,” Trump said on Friday."
    )
    assert speakers(text) == {"It was a terrific school": "Donald Trump"}
    text = (
        "Donald Trump spoke about the casino. He had just left Trump Plaza Hotel.\n\n"
        "“It was a terrific building,” he said on Friday."
    )
    assert speakers(text) == {"It was a terrific building": "Donald Trump"}
