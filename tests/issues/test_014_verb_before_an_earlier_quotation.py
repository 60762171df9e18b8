"""Issue 14: a reporting verb before two quotations in a row speaks for both.

"The candidate stated that Trump’s “divisive” and “mean-spirited” comments …": the second
quotation has no verb between it and the first, so the verb was looked for from the sentence's
start, but its subject was looked for only after the first quotation, where there is none. The
quotation was nobody's (or went to a name the ranker guessed: "Morning Joe", "Wisconsin").

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_the_subject_of_a_verb_before_an_earlier_quotation_speaks() -> None:
    text = (
        "The mayor stated that the council’s “reckless” and “deeply irresponsible budget” will"
        " hurt families."
    )
    assert speakers(text) == {"deeply irresponsible budget": "the mayor"}


def test_a_name_earlier_in_the_sentence_is_not_the_subject() -> None:
    text = (
        "After a meeting with Governor Jane Smith, the mayor wrote that the council’s “reckless”"
        " and “deeply irresponsible budget” will hurt families."
    )
    assert speakers(text) == {"deeply irresponsible budget": "the mayor"}
