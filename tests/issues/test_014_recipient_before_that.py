"""Issue 14: "told FBI agents that …": the claim is what follows "that", not "agents that …".

A recipient in capitals was read up to its last capitalised word ("told FBI"), so the claim
began with the rest of the recipient: "agents that sometime in the week that followed, he
realized …". The recipient runs to the "that" of its clause when one follows.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_a_recipient_runs_to_the_that_of_its_clause() -> None:
    assert speakers(
        "The employee told FBI agents that he had not made the changes requested months earlier."
    ) == {"he had not made the changes requested months earlier": "the employee"}
    assert speakers("Trump told Fox News he would win the state easily.") == {
        "he would win the state easily": "Trump"
    }
