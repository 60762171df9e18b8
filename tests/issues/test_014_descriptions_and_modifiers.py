"""Issue 14: a party's or a people's adjective is no speaker; a description is, and a clause is not.

- "“…,” the presumptive Republican presidential nominee wrote": "nominee" (nor "front-runner",
  "moderator", "host", "actress", …) was no word for a person, so the description named nobody
  and the ranker took the adjective before it: the speaker was "Republican", or a place of the
  sentence ("… at a rally in Colorado").
- A capitalised adjective before a lowercase word ("Republican presidential front-runner Donald
  Trump", "Islamist militants") modifies what follows; it was a name the ranker could choose.
- A party's, a creed's or a people's word before a full name describes the person ("Republican
  Donald Trump", "Democrat Hillary Clinton" were names of their own), as do titles of office and
  trade ("Sens. Rand Paul", "Assemblywoman Claudia Tenney", "Majority Whip John Cornyn",
  "Comedian Sarah Silverman", "Actor Clint Howard", "Sheriff Joe Arpaio", "Billionaire Mark
  Cuban"); "Democratic National Convention" stays an organisation's name.
- A description is a noun phrase: a clause whose head happened to be a person noun ("they wanted
  a nominee from outside the establishment", "This is a man who …", "echoing some commentators
  who …") was released as the speaker of a reported claim, and a description kept the relative
  pronoun the verb after it was cut from ("the Daily Beast editor who").

The text is written for the test.
"""

from __future__ import annotations

from .attribution import resolved, speakers


def test_a_description_after_the_quotation_is_the_speaker() -> None:
    text = (
        "“The judge has embarrassed all of us with her statements,” the presumptive Republican"
        " presidential nominee wrote in an early morning post."
    )
    assert speakers(text) == {
        "The judge has embarrassed all of us with her statements": (
            "the presumptive Republican presidential nominee"
        )
    }
    text = (
        "“I was curious to see whether she would do a class act,” the Republican nominee said at"
        " a rally with supporters in Colorado."
    )
    assert speakers(text) == {
        "I was curious to see whether she would do a class act": "the Republican nominee"
    }


def test_an_adjective_before_a_description_is_not_a_name() -> None:
    text = (
        "The count went on late.\n\nRepublican presidential front-runner Donald Trump is insisting"
        " that he has “expanded the Republican party,” claiming that he is responsible for"
        " higher turnout."
    )
    assert speakers(text)["expanded the Republican party"] == "Donald Trump"
    text = "Soviet dissident Milovan Djilas referred to “the new class of rulers.”"
    assert speakers(text) == {"the new class of rulers": "Milovan Djilas"}


def test_a_clause_is_not_a_description() -> None:
    assert resolved("they wanted a nominee from outside the political establishment") is None
    assert resolved("This is a man who") is None
    assert resolved("the former secretary of state has long") is None
    assert resolved("echoing some far-right commentators who") is None
    assert resolved("the Daily Beast editor who") == "the Daily Beast editor"
    # a conjunction opening the phrase is not the description's
    assert resolved("where the secretary of state") == "the secretary of state"
    assert resolved("Yet some voters") == "some voters"
    assert resolved("King's spokesman") == "King's spokesman"  # a name, not a participle
    assert resolved("I.R.S. officials") == "I.R.S. officials"  # an initial, not "I"
    assert resolved("friends who have seen him on the trail") == (
        "friends who have seen him on the trail"
    )


def test_a_party_or_a_title_before_a_full_name_is_not_part_of_it() -> None:
    text = (
        "Republican Donald Trump and Democrat Hillary Clinton spoke on Monday.\n\n"
        "“We will win,” Trump said. “We are ready,” Clinton said.\n\n"
        "Sens. Rand Paul and Assemblywoman Claudia Tenney met voters. “The plan fails,” Paul"
        " said. “Not here,” Tenney said. Majority Whip John Cornyn agreed. “That is enough,”"
        " Cornyn said."
    )
    assert speakers(text) == {
        "We will win": "Donald Trump",
        "We are ready": "Hillary Clinton",
        "The plan fails": "Rand Paul",
        "Not here": "Claudia Tenney",
        "That is enough": "John Cornyn",
    }
    assert resolved("the Democratic National Convention") != "National Convention"


def test_a_plural_a_conjunction_or_a_participle_before_a_name_is_not_part_of_it() -> None:
    text = "Though Trump lost Iowa, he won New Hampshire.\n\n“We will win,” Trump said."
    assert speakers(text) == {"We will win": "Trump"}
    text = "The debate featured Republicans Jolly and DeSantis.\n\n“We need a plan,” Jolly said."
    assert speakers(text) == {"We need a plan": "Jolly"}
    text = (
        "Written “at this time of crisis,” the statement summarised the ideas. “Free will comes"
        " first,” it said."
    )
    assert "Written" not in speakers(text).values()


def test_an_occupation_before_a_name_is_not_part_of_it() -> None:
    assert resolved("Actor Clint Howard") == "Clint Howard"
    assert resolved("Sheriff Joe Arpaio") == "Joe Arpaio"
    assert resolved("Billionaire Mark Cuban") == "Mark Cuban"
    assert resolved("Pollster Ann Selzer") == "Ann Selzer"
    # a surname that is also a trade stays a surname
    assert resolved("Mark Singer") == "Mark Singer"


def test_a_name_after_a_description_holding_another_name_is_the_subject() -> None:
    text = (
        "The head of the major super PAC backing former Florida Gov. Jeb Bush for president, Mike"
        " Murphy, said the skywriting was working."
    )
    assert speakers(text) == {"the skywriting was working": "Mike Murphy"}
