"""Issue 14: unnamed sources, described as the article describes them.

- "Said a longtime adviser to Trump": after an inverted verb, the speaker's phrase ended at the
  first "to", which mostly starts an addressee ("said Lopez to reporters"). After an adviser, an
  aide or a spokesman it completes the description: cut there, every unnamed adviser of an
  article was "a longtime adviser", of nobody in particular.
- "One man wrote, “…”", "Another commenter said, “…”": a description opening a sentence, or one
  whose head is a man, a commenter or a strategist, was no speaker; the quotation was left out.
- "“…,” adding that the person who …" made "that the person" a speaker, and "…, predicted Ana
  Ruiz, the former governor." made the predictor's name what the sentence's subject claimed.

- "Another intelligence source speaking to Fox News said": the outlet it spoke to was the
  speaker; "speaking to", "talking with" now modify the description like "familiar with".
- "Critics of the bill said …", "Proponents of the new bill, however, say …": a description
  opening a sentence (its head capitalised) was no speaker, and proponents, opponents, backers,
  advocates were no person nouns.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers

TEXT = """\
The council voted on the reservoir plan on Tuesday.

“The numbers do not add up,” said a longtime adviser to Mayor Diaz, who asked not to be named.

“We have a ton of work to do,” said a senior aide to the governor.

“The vote was never in doubt,” said Maria Lopez to reporters after the session.

“It is a fair plan,” said a spokeswoman to the crowd outside.
"""


def test_an_unnamed_source_keeps_whom_it_advises_and_an_addressee_stays_out() -> None:
    assert speakers(TEXT, "2024-05-08") == {
        "The numbers do not add up": "a longtime adviser to Mayor Diaz",
        "We have a ton of work to do": "a senior aide to the governor",
        "The vote was never in doubt": "Maria Lopez",
        "It is a fair plan": "a spokeswoman",
    }


def test_one_or_another_of_a_crowd_is_an_unnamed_source() -> None:
    text = "\n\n".join(
        [
            "Lopez laid flowers at the memorial on Monday.",
            "One man wrote, “She could barely bend over to place those flowers.”",
            "Another commenter said, “We all know how she feels about the police.”",
            "Another source familiar with the senator’s thinking said, “He will try to be"
            " friendlier.”",
            "One strategist described the race as “an anti-establishment superhighway.”",
        ]
    )
    assert speakers(text, "2024-05-08") == {
        "She could barely bend over to place those flowers.": "one man",
        "We all know how she feels about the police.": "another commenter",
        "He will try to be friendlier.": "another source familiar with the senator’s thinking",
        "an anti-establishment superhighway": "one strategist",
    }


def test_what_follows_a_participle_or_an_inverted_verb_is_no_one_and_nothing_said() -> None:
    text = "\n\n".join(
        [
            "Maria Lopez called the idea a “ridiculous proposition,” adding that the person who"
            " “needs to change the story is Daniel Brooks.”",
            "Brooks will back Lopez before the convention, predicted Ana Ruiz, the former"
            " governor.",
        ]
    )
    said = speakers(text, "2024-05-08")
    assert said["ridiculous proposition"] == "Maria Lopez"
    # "Ana Ruiz, the former governor" is who predicted it, not what Lopez said
    assert not any(text.startswith("Ana Ruiz") for text in said), said


def test_a_description_opening_a_sentence_is_a_source() -> None:
    text = "\n\n".join(
        [
            "The bill passed the House on Tuesday.",
            "Critics of the bill said it would gut the rules that protect renters.",
            "Proponents of the new bill, however, say it would keep enough safeguards in place.",
        ]
    )
    assert speakers(text) == {
        "it would gut the rules that protect renters": "Critics of the bill",
        "it would keep enough safeguards in place": "Proponents of the new bill",
    }


def test_a_source_speaking_to_an_outlet_is_the_source() -> None:
    text = (
        "The bureau is looking into it.\n\nAnother intelligence source speaking to Fox News"
        " said, “The agents are investigating the possible intersection of donations.”"
    )
    assert speakers(text) == {
        "The agents are investigating the possible intersection of donations.": (
            "another intelligence source speaking to Fox News"
        )
    }
