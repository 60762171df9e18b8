"""Issue 14: an event's evidence leaves out the quotation beside it.

"“…,” Obama told a town hall meeting in Hanoi." made a meeting whose evidence was the whole
sentence, quotation included: the quotation was then both a claim and part of an event, and a
scorer matching annotated quotations to the longest overlap gave it to the event, which has no
speaker. The evidence is the sentence up to the quotation after the trigger, or from the one
before it.

The text is written for the test.
"""

from __future__ import annotations

from newsld.extraction import extract


def test_the_quotation_beside_an_event_is_not_its_evidence() -> None:
    text = (
        "“People sometimes look at our election system and say it is a mess,” Ana Ruiz told a"
        " town hall meeting with young leaders in Hanoi."
    )
    extraction = extract(text, None)
    (event,) = extraction.events
    assert event.description == "Ana Ruiz told a town hall meeting with young leaders in Hanoi."
    assert text[event.span.start : event.span.end] == event.description
    (claim,) = extraction.claims
    assert not claim.span.overlaps(event.span)
