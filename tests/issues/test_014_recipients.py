"""Issue 14: whom a statement was addressed to is not part of the claim.

"Trump told a town hall in Salem that waterboarding is …" made the claim "a town hall in Salem
that waterboarding is …": only a name, a pronoun, "reporters" or "the X" were read as the
recipient of "told". Any phrase with no verb of its own up to the clause's "that" is. Likewise
"said in an editorial piece for The Wall Street Journal that …" made the claim start at
"editorial piece": a prepositional phrase before "that" is an adjunct, like "in a statement".

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_the_recipient_of_told_is_left_out_of_the_claim() -> None:
    text = "\n\n".join(
        [
            "Ana Ruiz told a town hall in Salem that the reservoir plan would cost too much.",
            "Ana Ruiz told supporters at a rally in Ohio that the wall will be built next year.",
        ]
    )
    assert speakers(text) == {
        "the reservoir plan would cost too much": "Ana Ruiz",
        "the wall will be built next year": "Ana Ruiz",
    }


def test_a_prepositional_phrase_before_that_is_left_out_of_the_claim() -> None:
    text = (
        "Douglas Schoen said in an editorial piece for The Wall Street Journal that"
        " superdelegates may reconsider their votes."
    )
    assert speakers(text) == {"superdelegates may reconsider their votes": "Douglas Schoen"}
