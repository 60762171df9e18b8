"""Issue 14: a subject, an apposition set off by commas (or a parenthesis), then the verb.

"Minnesota state delegate Mary Susan, clad in a red cape with lights that formed the name
Trump, said …" released the claim as Trump's: the clause was cut at "that" inside the
apposition and the name nearest the verb taken. The subject opens the clause; a name inside
the apposition is the speaker only when the subject is a description ("Her campaign manager,
Robby Mook, said"); with a name right after the verb ("…, said Smith, …") that name is.
"Saturday at the Massachusetts Democratic party convention Sen. Elizabeth Warren (D-MA) said"
went to "Massachusetts Democratic": the party's parenthesis hid the name right before the verb.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_a_name_inside_the_apposition_is_not_the_speaker() -> None:
    text = "\n\n".join(
        [
            "County delegate Ana Ruiz, wearing a hat that spelt out the name Lopez, said the "
            "vote could be a “disaster” for the party.",
            "In Denver, Tom Becker, a farmer who grew up next to Maria Lopez, said the "
            "drought was the “worst in memory” for the county.",
        ]
    )
    assert speakers(text) == {
        "the vote could be a “disaster” for the party": "Ana Ruiz",
        "worst in memory": "Tom Becker",
    }


def test_an_apposition_names_a_described_subject() -> None:
    text = "Her campaign manager, Robby Mook, said the staff had done “nothing wrong” at all."
    assert speakers(text) == {"nothing wrong": "Robby Mook"}


def test_a_name_after_the_verb_stays_the_speaker() -> None:
    text = "The harvest will be late this year, said Tom Becker, a farmer from Ohio."
    assert speakers(text) == {"The harvest will be late this year": "Tom Becker"}


def test_a_parenthesis_after_the_name_is_passed_over() -> None:
    text = (
        "Saturday at the Ohio Democratic county convention Sen. Maria Lopez (D-OH) said the "
        "levy was a “proven failure” in every county."
    )
    assert speakers(text) == {"proven failure": "Maria Lopez"}
