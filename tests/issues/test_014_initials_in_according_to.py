"""Issue 14: an initial's full stop does not end the phrase "according to" introduces, and a
capitalised word after a quotation is no reporting verb ("“…” the United States").

"“…,” according to a letter from the chairman of the U.S. Senate Committee on Homeland Security."
gave the speaker "the chairman of the U": the phrase stopped at the first full stop, which was
the one of "U.S.". A full stop after a single capital ("U.S.", "John F. Kennedy") is an initial's.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_an_initial_does_not_cut_the_source_after_according_to() -> None:
    text = (
        "One message said: “You will pay for this,” according to a letter from the chairman of"
        " the U.S. Senate Committee on Homeland Security."
    )
    assert speakers(text) == {
        "You will pay for this": "the chairman of the U.S. Senate Committee on Homeland Security"
    }


def test_a_middle_initial_stays_in_the_name() -> None:
    text = "“We choose to go to the Moon,” according to John F. Kennedy. The crowd cheered."
    assert speakers(text) == {"We choose to go to the Moon": "John F. Kennedy"}


def test_a_capitalised_word_after_a_quotation_is_no_reporting_verb() -> None:
    # "“…” the United States": "States" is no verb "states", so "the United" is nobody
    text = (
        "During his 2008 campaign, Barack Obama made clear his aim to “fundamentally transform”"
        " the United States. One area remains."
    )
    assert speakers(text) == {"fundamentally transform": "Barack Obama"}
    assert speakers("“We will win,” Trump SAID.") == {"We will win": "Trump"}
