"""Issue 14: "“…” in the 2008 primary, said X." is X's, though a phrase comes before the verb.

The inverted verb was looked for right after the quotation only: with an adjunct between, the
quotation went to the name before it (the subject of the paraphrase, not its source), and "said
X" was released as that name's reported speech with X as its content. The text is written for
the test.
"""

from __future__ import annotations

from .attribution import speakers

TEXT = "\n\n".join(
    [
        "The primary is two weeks away.",
        "Lopez “drew quite well from rural voters” in the last primary, said state university"
        " professor Paul Reyes. “That was more her constituency than his.”",
        "“This will be a challenge” for Lopez, said Kunin.",
    ]
)


def test_the_inverted_verb_after_an_adjunct_names_the_speaker() -> None:
    assert speakers(TEXT, "2024-05-10") == {
        "drew quite well from rural voters": "Paul Reyes",
        "That was more her constituency than his.": "Paul Reyes",
        "This will be a challenge": "Kunin",
    }
