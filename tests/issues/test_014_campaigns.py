"""Issue 14: a campaign, a counsel speak; a name before ", said X" is not the verb's subject.

"Her campaign blasted out an email to supporters stating, “…”", "Rubio’s campaign sent out a
press release saying …", "Lazar's public defense counsel asked for …, calling his hacking “an
addiction of sorts”": "campaign" and "counsel" were no nouns of speakers, so these claims had
nobody. With more claims before it, "“This will be a challenge” for Clinton, said Kunin." went
to Clinton: the ranker read "Clinton, said" as a name right before its verb (the comma makes
"Kunin" the subject).

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_a_campaign_and_a_counsel_speak() -> None:
    text = "\n\n".join(
        [
            "Ana Ruiz’s campaign sent out a press release saying Becker owes “the county an "
            "explanation for voting against the wells.”",
            "In court documents, Becker's defense counsel asked for a fine, calling the dispute "
            "“a misunderstanding between neighbours.”",
        ]
    )
    assert speakers(text) == {
        "the county an explanation for voting against the wells": "Ana Ruiz’s campaign",
        "a misunderstanding between neighbours": "Becker's defense counsel",
    }


def test_a_name_before_a_comma_and_an_inverted_verb_is_not_its_subject() -> None:
    text = "\n\n".join(
        [
            "Maria Lopez was the county's first mayor.",
            "On Saturday, his campaign sent out an email stressing the reach his bid has had.",
            "“This will be a challenge” for Becker, said Lopez.",
        ]
    )
    assert speakers(text)["This will be a challenge"] == "Maria Lopez"
