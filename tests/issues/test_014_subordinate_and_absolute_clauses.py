"""Issue 14: a reporting verb in a clause of its own has a subject of its own.

"… Axelrod tweeted after Clinton argued that “…”": the name after the conjunction ("after",
"since", "until", …) is the verb's subject; the rules read the conjunction as a preposition
("a spokesman for Hamas said"), found no subject and the quotation inherited the speaker of
the quotation before it (Axelrod). "– Ryan saying he was “…” and Trump calling it “…”", "with
Trump tweeting that … and asking, “…”": a participle right after a name (an absolute
construction) reports that name's words, not the words of the clause's subject ("Ryan and
Trump", "Republicans"); "tweeting" was no reporting participle at all. And "“…” regarding her
links while Sanders suggests …": the verb after "while" is its own clause's, not an attribution
of the quotation before it (Sanders).

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_the_name_after_a_conjunction_is_the_subject_of_its_verb() -> None:
    text = "\n\n".join(
        [
            "“That was a farm bill,” Tom Becker wrote after Ana Ruiz argued for the second "
            "night that “if everyone had voted as he did, the mill would be closed.”",
            "The levy passed hours after Maria Lopez said it was “the best deal we could get.”",
        ]
    )
    assert speakers(text) == {
        "That was a farm bill": "Tom Becker",
        "if everyone had voted as he did, the mill would be closed": "Ana Ruiz",
        "the best deal we could get": "Maria Lopez",
    }


def test_a_preposition_before_a_name_still_makes_no_subject() -> None:
    # "a spokesman for Hamas said": the spokesman's words, not Hamas's
    text = "A spokesman for the Ruiz campaign said the levy was “dead on arrival.”"
    assert speakers(text) == {"dead on arrival": "a spokesman for the Ruiz campaign"}


def test_a_participle_right_after_a_name_reports_that_name() -> None:
    text = "\n\n".join(
        [
            "Becker and Ruiz both left the meeting upbeat – Becker saying he was “very "
            "encouraged” and Ruiz calling it a “great start.”",
            "Council members were quick to weigh in, with Maria Lopez tweeting that the vote "
            "was a “disaster” for the town and asking, “Who will pay for the bridge now?”",
        ]
    )
    found = speakers(text)
    assert found["very encouraged"] == "Becker"
    assert found["great start"] == "Ruiz"
    assert found["Who will pay for the bridge now?"] == "Maria Lopez"


def test_a_participle_after_a_comma_still_reports_the_subject() -> None:
    text = "Ana Ruiz criticised the plan on Monday, calling it “a tax on the poor.”"
    assert speakers(text) == {"a tax on the poor": "Ana Ruiz"}


def test_a_verb_after_a_conjunction_is_no_attribution_of_the_quotation_before() -> None:
    # the verb after the quotation is that of the "while" clause, with words of its own
    text = (
        "Ana Ruiz accuses Tom Becker of running an “artful smear” regarding her Wall Street "
        "links while Becker suggests the mayor is a moderate."
    )
    assert speakers(text)["artful smear"] == "Ana Ruiz"


def test_an_adjunct_set_off_by_commas_keeps_the_verb_after() -> None:
    text = "“It is over,” Tom Becker, after a long pause, said."
    assert speakers(text) == {"It is over": "Tom Becker"}
