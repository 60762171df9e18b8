"""Issue 14: a quotation inside reported speech is part of what the speaker said.

"McCain says the movement appeals to the “bad angels” of human nature" was released as McCain
claiming "bad angels", and the sentence's event ("appeals to") stood for the rest of it. The
claim is now the whole complement, quoted words and all, when the quotation's speaker is the
reporting verb's; with several quotations each stays its own claim (one may be someone else's).
And an event trigger inside what someone said is no event: "appeals to" there is McCain's claim,
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
