"""Issue 14: an adverb between a pronoun and its verb.

"He then adopted a fake Southern accent and joked, “…”": the subject phrase of the coordinated
verb was "He then", which is no pronoun, so the rules found nobody and the ranker guessed
"Southern". "He then", "she also", "he angrily" are the pronoun.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_an_adverb_after_a_pronoun_keeps_it_a_pronoun() -> None:
    text = "\n\n".join(
        [
            "Maria Lopez spoke at the county fair on Sunday.",
            "She then put on a thick Texan drawl and joked, “The rodeo never lies to anyone.”",
            "Tom Becker was in the crowd.",
            "He also praised the cattle and said, “Best herd in the whole valley, I swear.”",
        ]
    )
    assert speakers(text) == {
        "The rodeo never lies to anyone.": "Maria Lopez",
        "Best herd in the whole valley, I swear.": "Tom Becker",
    }
