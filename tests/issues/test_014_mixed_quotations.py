"""Issue 14: a quotation inside reported speech is part of what the speaker said.

"McCain says the movement appeals to the “bad angels” of human nature" was released as McCain
claiming "bad angels", and the sentence's event ("appeals to") stood for the rest of it. The
claim is now the whole complement, quoted words and all, when the quotation's speaker is the
reporting verb's; with several quotations each stays its own claim (one may be someone else's),
and a quotation after a comma or colon ("told the police, “everything he did”") is what was told,
not part of a complement.
A word in quotation marks that is no claim of its own ("agents would be “screaming”": one word,
a term) no longer keeps the sentence's reported speech from being a claim. And an event trigger
inside what someone said is no event: "appeals to" there is McCain's claim,
not an appeal he made.

The text is written for the test.
"""

from __future__ import annotations

from newsld.corpus.dates import PartialDate
from newsld.extraction import extract

from .attribution import speakers

TEXT = (
    "Senator Ana Ruiz says the populist movement sweeping the state appeals to the"
    " “bad angels” of human nature. “It is a reflection of frustration,” Ruiz said."
)


def test_a_quotation_inside_reported_speech_widens_to_the_whole_complement() -> None:
    assert speakers(TEXT) == {
        "the populist movement sweeping the state appeals to the “bad angels” of human nature": (
            "Ana Ruiz"
        ),
        "It is a reflection of frustration": "Ana Ruiz",
    }


def test_several_quotations_in_reported_speech_stay_claims_of_their_own() -> None:
    text = "Mayor Ana Ruiz said the plan was “a fantasy” and the budget “a disgrace” on Monday."
    assert speakers(text) == {"a fantasy": "Ana Ruiz", "a disgrace": "Ana Ruiz"}


def test_an_action_inside_what_someone_said_is_no_event() -> None:
    assert extract(TEXT, PartialDate.parse("2024-05-10")).events == ()
    acted = extract("Ana Ruiz appealed to the council to delay the vote.", None).events
    assert [event.type for event in acted] == ["appeal"]


def test_a_quoted_word_inside_reported_speech_is_part_of_its_claim() -> None:
    text = (
        "The bureau is looking into the foundation.\n\nOne intelligence source said agents would"
        " be “screaming” if a prosecution is not pursued."
    )
    assert speakers(text) == {
        "agents would be “screaming” if a prosecution is not pursued": "one intelligence source"
    }


def test_a_quotation_after_a_comma_is_not_widened() -> None:
    text = (
        "Ana Ruiz, a spokeswoman for the sheriff, spoke on Monday. Ruiz said the man"
        ' "walked into the station and turned himself in", and told the police, "everything he'
        ' did".'
    )
    assert speakers(text) == {
        "walked into the station and turned himself in": "Ana Ruiz",
        "everything he did": "Ana Ruiz",
    }
