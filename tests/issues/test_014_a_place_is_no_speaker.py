"""Issue 14: "Iowa" does not speak: a place only a guess would name is no speaker.

Where the rules found nobody, the ranker weighed every name near a quotation, places among them,
and released "There was no primary state where ''very conservative'' voters …" as Iowa's (0.70),
a scare quotation after "the Orlando massacre" as Orlando's, "the exit polls in New Hampshire" as
New Hampshire's. On PolNeAR train 46 claims had a state or a city for speaker by that guess; the
scorer credited 5 of them ("Florida" for "the Florida senator", "Florida" for "Florida law"),
which a reader would not. A place the rules name stays ("Russia said" is its government's).

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_a_place_near_a_scare_quotation_does_not_say_it() -> None:
    text = (
        "The victory was not especially impressive. It depended on ''very conservative'' voters,"
        " who are overrepresented in the Iowa caucuses. There was no state where “very"
        " conservative voters” were a larger share of the electorate in 2012 than in Iowa."
    )
    assert "Iowa" not in speakers(text).values()


def test_a_country_the_rules_name_still_speaks() -> None:
    text = "“The sanctions are illegal and will fail,” Russia said on Monday."
    assert speakers(text) == {"The sanctions are illegal and will fail": "Government of Russia"}
