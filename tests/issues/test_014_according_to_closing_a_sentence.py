"""Issue 14: ", according to X." closing a sentence attributes the quotation inside it to X.

"In Ohio the plan would leave “…” by 2030, according to Jane Smith." had no rule: "according to"
was read only right after a quotation ("“…,” according to X"), so the ranker chose among the
names of the sentence and took the place ("Ohio") or the employer in an apposition ("Ohio State
University"). When nothing nearer attributes the quotation, the attribution closing its sentence
does; a description ("according to officials") stays for the other rules.

The text is written for the test.
"""

from __future__ import annotations

from .attribution import speakers

OPENING = "Supporters say the move will help. "


def test_the_attribution_closing_the_sentence_names_the_speaker() -> None:
    text = OPENING + (
        "In Ohio the plan would leave “millions of families without any cover at all” by 2030,"
        " according to Jane Smith."
    )
    assert speakers(text)["millions of families without any cover at all"] == "Jane Smith"


def test_an_apposition_after_the_name_does_not_make_its_employer_the_speaker() -> None:
    text = OPENING + (
        "The plan would leave “millions of families without any cover at all” by 2030,"
        " according to Jane Smith, an economist at Ohio State University."
    )
    assert speakers(text)["millions of families without any cover at all"] == "Jane Smith"


def test_a_document_closing_the_sentence_speaks_for_its_issuer() -> None:
    text = OPENING + (
        "The plan would leave “millions of families without any cover at all” by 2030,"
        " according to a report by the Congressional Budget Office."
    )
    found = speakers(text)
    assert found["millions of families without any cover at all"] == "Congressional Budget Office"
