"""Issue 14: reported speech written content first, speaker last.

"Trump's excesses are sickening, Hollande said Tuesday in Paris." and "The tax will end soon, said
Ana Ruiz, an assistant professor." made no claim: the pattern wanted the verb to end the sentence
and the speaker before it. What may follow the verb is now when and where ("on Tuesday",
"Tuesday in Paris", "at a news conference"), a participle ("citing …"), and the speaker may come
after the verb with an apposition; a quoted word in the content ("“excesses”", "may be
“strategic,” said X") is part of it.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_content_first_with_the_verb_before_its_adjuncts() -> None:
    text = "\n\n".join(
        [
            "Leaders across Europe criticised the plan.",
            "The plan’s excesses are sickening, Hollande said Tuesday in Paris.",
            "The tax will end within a year, Ana Ruiz said at a news conference, citing the"
            " budget.",
        ]
    )
    assert speakers(text) == {
        "The plan’s excesses are sickening": "Hollande",
        "The tax will end within a year": "Ana Ruiz",
    }


def test_content_first_with_the_speaker_after_the_verb() -> None:
    text = "\n\n".join(
        [
            "Misinformation spreads fast online.",
            "The new rules will not stop the rumours, said Jeffery Hemsley, an assistant professor"
            " at Syracuse University.",
            "The campaign’s misinformation may be “strategic,” said Maria Lopez.",
        ]
    )
    assert speakers(text) == {
        "The new rules will not stop the rumours": "Jeffery Hemsley",
        "The campaign’s misinformation may be “strategic,”": "Maria Lopez",
    }


def test_a_quoted_name_before_the_subject_is_no_content() -> None:
    text = "Congress met on Monday. The “Gang of Eight” members said little about the deal."
    assert "The “Gang of Eight”" not in speakers(text)
