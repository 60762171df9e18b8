"""Issue 14: a reporting verb coordinated with the verb before it shares that verb's subject.

"Bush thought for a moment and said …", "Massie used to support fellow Kentuckian Rand Paul,
but now said …", "Trump joked that Brooklyn was his answer, but went on to say, “…”": the verb
after "and"/"but" has no subject of its own, and the rules took the name nearest to it (Perez,
Rand Paul, Brooklyn). Its subject is the subject of the clause it is coordinated with, or of
that clause's own reporting verb.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_the_subject_of_the_first_verb_speaks() -> None:
    text = "\n\n".join(
        [
            "When told Lopez was on the council and in the running for mayor, Tom Becker "
            "thought for a moment and said that in this climate, “I think it helps to be a "
            "nobody.”",
            "County clerk Ana Ruiz used to back fellow Democrat Maria Lopez, but now said the "
            "levy had “the support and the money to pass.”",
        ]
    )
    assert speakers(text) == {
        "I think it helps to be a nobody.": "Tom Becker",
        "the support and the money to pass": "Ana Ruiz",
    }


def test_the_subject_of_the_reporting_verb_before_speaks() -> None:
    text = (
        "Tom Becker joked that Denver was his answer, but went on to say, “There are places "
        "in this county that are far worse.”"
    )
    assert speakers(text) == {"There are places in this county that are far worse.": "Tom Becker"}
