"""Issue 14: the subject of "…, saying “…”" is the clause's subject, never a place before it.

"Maria Lopez threw her support behind Sen. Daniel Brooks, saying …" was Brooks's: the clause's
subject ran on past "threw" (only regular past tenses ended it) and its last name won.
"Speaking in Salem, New Hampshire, Lopez went after Brooks, calling him …" was New Hampshire's,
read as a first name and a surname. "… what Sroka called a “…”" was the organisation named
earlier in the sentence's, though the name right before the verb is its subject, and "…,
explained Rosenberg, “…”" left the name after the verb unread. The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers

TEXT = "\n\n".join(
    [
        "The race tightened in the final week.",
        "Maria Lopez threw her support behind Sen. Daniel Brooks on Wednesday, saying it is time"
        " to have “a real reformer in the governor's office.”",
        "Speaking at a town hall event in Salem, New Hampshire, Lopez went after Brooks, calling"
        " him “a total stiff.”",
        "Lopez welcomed the news that Brooks would quit, saying the senator was “doing the right"
        " thing.”",
    ]
)


def test_the_clause_subject_says_what_the_participle_introduces() -> None:
    assert speakers(TEXT, "2024-05-10") == {
        "a real reformer in the governor's office": "Maria Lopez",
        "a total stiff": "Maria Lopez",
        "doing the right thing": "Maria Lopez",
    }


def test_the_name_right_before_the_verb_or_right_after_it_is_the_speaker() -> None:
    text = "\n\n".join(
        [
            "Neil Sroka works for a progressive group.",
            "One option is a union. Another would be a traditional leadership PAC, while a third"
            " would be what Sroka called a “let a thousand flowers bloom” approach.",
            "Because of how Democrats drew up the calendar, explained Rosenberg, “with this thing"
            " over by March, there is a scenario where it is hard.”",
            "A spokesman for the Ashford Farmers Union said the plan was “a disgrace.”",
        ]
    )
    assert speakers(text, "2024-05-10") == {
        "let a thousand flowers bloom": "Neil Sroka",
        "with this thing over by March, there is a scenario where it is hard": "Rosenberg",
        "a disgrace": "a spokesman for the Ashford Farmers Union",
    }


def test_the_name_after_a_verb_that_takes_an_object_is_not_the_speaker() -> None:
    text = (
        "Daniel Brooks and Maria Lopez met on Tuesday.\n\n"
        "Lopez accused Brooks: “You have lied to the farmers of this county for ten years.”"
    )
    assert list(speakers(text).values()) == ["Maria Lopez"]
