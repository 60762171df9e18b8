"""Issue 14: an event's evidence leaves out the quotation beside it.

"“…,” Obama told a town hall meeting in Hanoi." made a meeting whose evidence was the whole
sentence, quotation included: the quotation was then both a claim and part of an event, and a
scorer matching annotated quotations to the longest overlap gave it to the event, which has no
speaker. The evidence is the sentence up to the quotation after the trigger, or from the one
before it.

"Emerging from a 45-minute meeting with President Obama, Sanders said the session provided a
chance to talk about foreign and domestic policy and “occasionally a little bit of politics.”":
the evidence then still held what Sanders said of the session, words of his claim, and the
scorer matched the annotated quotation (the whole report) to the event again. What follows a
reporting verb after the trigger is someone's words, not evidence of the event.

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


def test_the_evidence_stops_at_the_verb_reporting_what_was_said() -> None:
    text = (
        "Emerging from a 45-minute meeting with Mayor Ana Ruiz, Tom Becker said the session "
        "was a chance to talk about the levy and “occasionally a little bit of politics.”"
    )
    (event,) = extract(text, None).events
    assert event.description == (
        "Emerging from a 45-minute meeting with Mayor Ana Ruiz, Tom Becker said"
    )


def test_an_event_told_without_a_reporting_verb_keeps_its_sentence() -> None:
    text = "Tom Becker met Ana Ruiz in Denver on Monday to settle the levy."
    (event,) = extract(text, None).events
    assert event.description == text


def test_who_told_of_the_event_stays_in_its_evidence() -> None:
    text = "Tom Becker met Ana Ruiz in Denver on Monday, according to council officials."
    (event,) = extract(text, None).events
    assert event.description == text
