"""Issue 14: whom a statement was addressed to is not part of the claim.

"Trump told a town hall in Salem that waterboarding is …" made the claim "a town hall in Salem
that waterboarding is …": only a name, a pronoun, "reporters" or "the X" were read as the
recipient of "told". Any phrase with no verb of its own up to the clause's "that" is.

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
