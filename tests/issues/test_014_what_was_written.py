"""Issue 14: "wrote a letter" is something done; what was written is a claim only as a clause.

"The company wrote a detailed, six-page letter to Columbia's president": "wrote" takes a clause
without "that" ("Smith wrote the plan would fail"), so the letter, the op-ed or the book after it
was released as what the company, the senator or the author claimed. A writing after "wrote" is
its object; its content is what a clause says. So with "maintains": "Clinton maintains a
commanding lock on the party's leadership" and "Gore has maintained his silence" were claims
(11 on PolNeAR train); "maintained the server was secure" is one.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers


def test_what_someone_wrote_is_no_claim() -> None:
    assert (
        speakers(
            "Late last month, the company wrote a detailed, six-page letter to the university's"
            " president, calling the reports inaccurate."
        )
        == {}
    )
    assert speakers("The senator, by contrast, wrote an op-ed urging Congress to pass it.") == {}
    assert speakers("She wrote a book that inspired the documentary last year.") == {}


def test_what_a_writing_says_is_a_claim() -> None:
    assert speakers("Smith wrote the plan would fail within a year.") == {
        "the plan would fail within a year": "Smith"
    }
    assert speakers("Smith wrote that a letter would reach every voter by Friday.") == {
        "a letter would reach every voter by Friday": "Smith"
    }


def test_what_someone_maintains_is_no_claim() -> None:
    assert speakers("Clinton maintains a large pledged delegate lead over Sanders.") == {}
    assert speakers("Gore has maintained his silence on the presidential race.") == {}
    assert speakers("Clinton maintained the server was secure at all times.") == {
        "the server was secure at all times": "Clinton"
    }
