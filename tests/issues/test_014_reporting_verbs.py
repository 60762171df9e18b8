"""Issue 14: what is a reporting verb, and which one names the speaker.

- "the United States should …": "States" was read as the verb "states", its subject "United"
  released as the speaker of the sentence's quotation (and of bogus reported speech).
- "X told the Post in a written statement, “…”": the adjunct "in a statement" was taken as the
  verb nearest the quotation, and the phrase before it ("X told the Post") gave "Post"'s city.
- "…, when a dozen states held contests": "states" read as a verb made "held contests" what
  the name before it claimed, and the next quotation that name's too.
- "“…?” Becker repeated.", "Becker sniped that …", "Becker fired back: “…”", "Lopez calls Brooks
  a “fascist”": verbs outside the lexicon, so the quotation went to the previous speaker or a
  name nearby.
- "to disprove Republican claims of “significant breakthroughs”": "claims" before "of" (or
  "about", "were", …) is the noun, and "Republican" was no speaker.
- "Clinton has decried the issue of “systemic racism”", "Hollande denounced Trump’s remarks as
  “hurtful”": decried, denounced, condemned were no reporting verbs, and "remarks" after a
  possessive was read as one ("Trump’s remarks": Trump's words), though "Trump’s claim that
  “…”" still is Trump's.
- "Clinton responds to Mills with, “…”", "Becker retorts, “…”": present tenses of verbs the
  lexicon had only in the past.
- "As The Post's Ruth Marcus puts it, …", "Becker put it bluntly: “…”": "put it" reports.
The text is written for the test.
"""

from __future__ import annotations

import pytest

from .attribution import speakers_and_outlets as speakers


@pytest.mark.parametrize(
    "text",
    [
        "Lopez told city leaders that the United States should be run by those “who put the"
        " people first.”",
        "Lopez did not name her rival, but told city leaders that the United States should be run"
        " by those “who put the people first.”",
    ],
)
def test_a_name_ending_in_a_verb_s_word_is_no_verb(text: str) -> None:
    assert speakers(text) == {"who put the people first": ("Lopez", None)}


def test_the_verb_before_its_adjunct_names_the_speaker() -> None:
    text = (
        "Maria Lopez told the Washington Post in a written statement, “I will not endorse him,"
        " because he does not represent our values.”"
    )
    assert speakers(text) == {
        "I will not endorse him, because he does not represent our values.": (
            "Maria Lopez",
            "Washington Post",
        )
    }


def test_repeated_sniped_fired_back_and_calls_report_speech() -> None:
    text = (
        "Maria Lopez met Tom Becker in Ashford.\n\n"
        "“The wells will be paid for,” Lopez said. “Paid for by whom?” Becker repeated.\n\n"
        "Becker sniped that the plan was “a fairy tale told to farmers.”\n\n"
        "After the Ashford Farmers Union criticised the plan, Lopez fired back: “They have not"
        " read it.”\n\n"
        "At the rally outside the Ashford Farmers Union, Becker calls the plan “a disgrace.”"
    )
    assert speakers(text) == {
        "The wells will be paid for": ("Maria Lopez", None),
        "Paid for by whom?": ("Tom Becker", None),
        "a fairy tale told to farmers": ("Tom Becker", None),
        "They have not read it.": ("Maria Lopez", None),
        "a disgrace": ("Tom Becker", None),
    }


def test_states_is_a_noun_unless_it_reports() -> None:
    text = (
        "“I am not the favourite,” Lopez, a former candidate, told reporters on Tuesday, when a"
        " dozen states held contests to choose nominees. “But we may have to rally around him.”"
    )
    said = speakers(text)
    assert {words: who for words, (who, _outlet) in said.items()} == {
        "I am not the favourite": "Lopez",
        "But we may have to rally around him.": "Lopez",
    }


def test_claims_before_of_is_a_noun() -> None:
    text = (
        "Democrats on the committee plan to release transcripts to disprove Republican claims of"
        " “significant breakthroughs” in the inquiry.\n\nThe senator claims that the plan is"
        " “a total disaster” for the state."
    )
    assert speakers(text) == {
        "significant breakthroughs": ("Democrats", None),
        "a total disaster": ("the senator", None),
    }


def test_decried_and_denounced_report_speech() -> None:
    text = "\n\n".join(
        [
            "As the race turned to states with more diverse Democratic electorates, Clinton has"
            " increasingly decried the issue of “systemic racism” in her speeches.",
            "Khizr Khan criticized Donald Trump’s proposal to ban all Muslims during a speech.",
            "Hollande denounced Trump’s remarks as “hurtful and humiliating” on Friday.",
        ]
    )
    assert speakers(text) == {
        "systemic racism": ("Clinton", None),
        "hurtful and humiliating": ("Hollande", None),
    }


def test_present_tense_verbs_of_a_reply_report_speech() -> None:
    # "Clinton responds to Mills with, “…”": "responds" was no verb, and the ranker gave the
    # quotation to the one replied to
    text = "\n\n".join(
        [
            "Tom Becker forwards a photo of the dry river to the council.",
            "Ana Ruiz responds to Becker with, “Why now? The river dried up last June?”",
            "Becker retorts, “Because nobody listened in June, that is why.”",
        ]
    )
    assert speakers(text) == {
        "Why now? The river dried up last June?": ("Ana Ruiz", None),
        "Because nobody listened in June, that is why.": ("Tom Becker", None),
    }


def test_as_someone_puts_it_names_the_speaker() -> None:
    # "As The Post's Ruth Marcus puts it, …": no reporting verb, and the ranker took "Post"
    text = "\n\n".join(
        [
            "As The Ledger's Ana Ruiz puts it, the council is giving farmers “an offer they "
            "cannot refuse.”",
            "Tom Becker put it bluntly: “Nobody is coming to fix the wells this year.”",
        ]
    )
    assert speakers(text) == {
        "an offer they cannot refuse": ("Ana Ruiz", None),
        "Nobody is coming to fix the wells this year.": ("Tom Becker", None),
    }
