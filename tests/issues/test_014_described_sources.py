"""Issue 14: an unnamed source keeps whom it advises ("said a longtime adviser to Trump").

After an inverted verb, the speaker's phrase ended at the first "to", which mostly starts an
addressee ("said Lopez to reporters"). After an adviser, an aide or a spokesman it completes the
description instead: cut there, every unnamed adviser of an article was "a longtime adviser", of
nobody in particular. The text is written for the test.
"""

from __future__ import annotations

from newsld.corpus.dates import PartialDate
from newsld.extraction import extract

TEXT = """\
The council voted on the reservoir plan on Tuesday.

“The numbers do not add up,” said a longtime adviser to Mayor Diaz, who asked not to be named.

“We have a ton of work to do,” said a senior aide to the governor.

“The vote was never in doubt,” said Maria Lopez to reporters after the session.

“It is a fair plan,” said a spokeswoman to the crowd outside.
"""


def test_an_unnamed_source_keeps_whom_it_advises_and_an_addressee_stays_out() -> None:
    extraction = extract(TEXT, PartialDate.parse("2024-05-08"))
    speakers = {
        claim.text: claim.speaker.name if claim.speaker else None for claim in extraction.claims
    }
    assert speakers == {
        "The numbers do not add up": "a longtime adviser to Mayor Diaz",
        "We have a ton of work to do": "a senior aide to the governor",
        "The vote was never in doubt": "Maria Lopez",
        "It is a fair plan": "a spokeswoman",
    }
