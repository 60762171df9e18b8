"""Issue 14: a quotation ending in "!" or "?", then its speaker with an apposition.

"“Perpetual motion!” Rep. Glenn Thompson, R-Pa., said of the swirl …" was cut into two
sentences after the quotation: the sentence splitter goes on into an attribution after "!"
and "?" only when the name is followed by its verb, and the apposition stood between them.
The quotation had no speaker.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_the_attribution_after_an_exclamation_may_hold_an_apposition() -> None:
    text = "\n\n".join(
        [
            "The fair waived its fee this year.",
            "“Busiest week ever!” Tom Becker, R-Ohio, said of the crowds at the gate.",
            "“Who pays for it?” Ana Ruiz, a county clerk, asked the board.",
        ]
    )
    assert speakers(text) == {
        "Busiest week ever!": "Tom Becker",
        "Who pays for it?": "Ana Ruiz",
    }
