"""Issue 14: a name and a colon label the quotation after them.

Round-ups quote one voice per line: "Pollsters agree - Carl Bialik: “…”", "Ana Ruiz: “…”".
No reporting verb, so the rules found nobody and the ranker guessed a capitalised word
("Pollsters", "Democratic"). A name right before the colon, opening the sentence or after a
dash, is the speaker; a phrase that names nobody ("The message was clear: “…”") is not.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_a_name_before_a_colon_labels_the_quotation() -> None:
    text = "\n\n".join(
        [
            "The county braced for a dry summer.",
            "Farmers are worried - Tom Becker: “The wells will not last past August this year.”",
            "Ana Ruiz: “We are rationing water for the first time since the nineties.”",
        ]
    )
    assert speakers(text) == {
        "The wells will not last past August this year.": "Tom Becker",
        "We are rationing water for the first time since the nineties.": "Ana Ruiz",
    }


def test_a_colon_after_words_that_name_nobody_labels_nothing() -> None:
    text = "The message was clear: “Save water now or lose the harvest later this year.”"
    assert speakers(text) == {}
