"""Issue 14: words that open a sentence are not part of the name that follows them.

- "Sexton, a creative writing professor, said …": "writing" was read as a reporting verb (as in
  "…, writing that …"), so the speaker became "professor". A participle between a word of a noun
  phrase and a person noun describes the person.
- "(See Sexton's timeline.)", "To Sexton, …", "Does Rubio …", "Yet Clinton …": a capitalised
  function word or an imperative opening a sentence became the first name of everybody later
  called by the surname ("See Sexton", "Does Rubio").
- "Rival Hillary Clinton said", "Reporter Ana Ruiz said": a description written in lower case
  elsewhere in the article, and never capitalised inside a sentence, is no first name.
- "Said Dorothy Poynter, who grew up nearby, “…”": an inverted verb opening the sentence was
  part of the name, and with a relative clause after the name the quotation had no speaker.
- "Stated Stone:" on a line of its own, the quotation in the next paragraph: a verb-first line
  introduces the quotation after it as "Stone said:" does.
- "Preceded at the lectern by …, Trump launched into …", "Acknowledging that …, Allen did …",
  "Shortly after …": a participle or adverb opening a clause was a name mention, and the
  ranker's first candidate.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_a_participle_describing_a_person_is_no_reporting_verb() -> None:
    text = (
        "The rally drew a crowd. Jared Sexton, a creative writing professor, said he holds"
        " his roots “very near and dear to my heart.”"
    )
    assert speakers(text) == {"very near and dear to my heart": "Jared Sexton"}


def test_a_word_opening_a_sentence_is_not_the_first_name_of_a_surname() -> None:
    text = "\n\n".join(
        [
            "(See Sexton’s full timeline of the rally below.)",
            "To Sexton, the rally felt like a homecoming.",
            "“It was very loud,” Sexton said.",
            "Does Rubio want the job? Yet Rubio kept quiet.",
            "“I am not running,” Rubio said.",
        ]
    )
    assert speakers(text) == {"It was very loud": "Sexton", "I am not running": "Rubio"}


def test_a_description_opening_a_sentence_is_not_part_of_the_name() -> None:
    text = "\n\n".join(
        [
            "Her rival in the primary has been quiet. The reporter on the scene saw no crowd.",
            "Rival Hillary Clinton said the plan was “a fantasy.”",
            "Reporter Ana Ruiz said the square was “nearly empty.”",
        ]
    )
    assert speakers(text) == {"a fantasy": "Hillary Clinton", "nearly empty": "Ana Ruiz"}


def test_an_inverted_verb_opening_a_sentence_is_not_part_of_the_name() -> None:
    text = (
        "The gym was turned into a museum. Said Dorothy Poynter, who grew up with Ali in the"
        " neighborhood, “We were all so proud of him.”"
    )
    assert speakers(text) == {"We were all so proud of him.": "Dorothy Poynter"}


def test_a_participle_opening_a_clause_is_no_name() -> None:
    text = "\n\n".join(
        [
            "Jared Sexton spoke for an hour on Tuesday.",
            "Preceded at the lectern by the sheriff, Sexton launched into a lament for the"
            " “forgotten towns” of the state.",
            "Acknowledging that the plan “says a lot of stupid stuff,” Sexton did not back it.",
            "Shortly after the vote, Sexton said the result was “a relief for the towns.”",
        ]
    )
    assert set(speakers(text).values()) == {"Jared Sexton"}


def test_a_verb_first_line_introduces_the_quotation_paragraph_after_it() -> None:
    text = (
        "Roger Stone was speaking on the radio.\n\nStated Stone:\n\n“I think that the stakes"
        " are so high that they would do anything necessary to remain in power.”"
    )
    assert list(speakers(text).values()) == ["Roger Stone"]
