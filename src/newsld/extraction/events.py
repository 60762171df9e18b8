"""Events: meetings, letters and appeals, visits, attacks, strikes and agreements.

An appeal is also a request for action reported as speech ("urged the UN to intervene", "called
on Israel to", "called for a vote"): an event, never a claim (:mod:`.reported_speech` makes none).

A trigger phrase outside quotations names the event ("met with", "sent a letter to", "fired
rockets", "airstrikes on"); its participants, recipients, place and date are taken from the same
clause of the same sentence, and the sentence is the evidence. One event per sentence, the first
trigger in it; an event with no participant the article names is not reported.
"""

from __future__ import annotations

import re

from .attribution import Reader
from .lexicon import COUNTRIES
from .model import ClaimDate, Event, Participant, Span, SpeakerKind
from .sequences import sequences
from .speakers import Sentence

_TRIGGERS: list[tuple[str, re.Pattern[str]]] = [
    (
        "letter",
        re.compile(
            r"\b(?:sent|wrote|delivered|submitted|addressed)\s+(?:a|an)\s+(?:[\w-]+\s+){0,2}letters?\b"
        ),
    ),
    (
        "appeal",
        re.compile(
            r"\b(?:appealed|appeals|appeal)\s+to\b|"
            # a request for action, no statement: "urged the UN to act", "called on Israel to"
            r"\b(?:urged|urges|called\s+on|calls\s+on|asked|asks)\s+"
            r"(?:(?:the|its|his|her|their|[A-Z][\w’'.\-]*)\s+){1,6}?(?:not\s+)?to\s+(?!be\b)[a-z]+\b|"
            r"\b(?:called|calls)\s+for\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?(?:vote|ceasefire|truce|"
            r"inquiry|investigation|boycott|referendum|review|meeting|session|halt|moratorium|ban|"
            r"resignation|release|withdrawal)\b"
        ),
    ),
    (
        "visit",
        re.compile(
            r"\b(?:visited|visits|(?:a|his|her|their)\s+visit\s+to|trip\s+to|travell?ed\s+to|"
            r"delegation\s+to|arrived\s+in)\b"
        ),
    ),
    (
        "meeting",
        re.compile(
            r"\b(?:met|meets)\b(?!\s+(?:the\s+)?(?:criteria|demands?|needs|requirements|deadline|"
            r"target|goals?|expectations|standards?))|\bmeeting\s+with\b|\bheld\s+(?:talks|a\s+meeting)\b"
        ),
    ),
    (
        "strike",
        re.compile(
            r"\b(?:air\s*strikes?|airstrikes?|strikes?\s+on|struck|shell(?:ing|ed)|bomb(?:ed|ing)|"
            r"responded\s+by\s+attacking|retaliated)\b"
        ),
    ),
    (
        "attack",
        re.compile(
            r"\b(?:fired|launched|launch\s+of|firing\s+of)\s+(?:\w+\s+){0,2}(?:rockets?|missiles?|mortars?)\b|"
            r"\b(?:rocket|missile|mortar|terror)\s+(?:attacks?|fire)\b|"
            r"\brockets?\s+(?:\w+\s+){0,3}(?:were\s+)?(?:fired|launched)\b"
        ),
    ),
    (
        "agreement",
        re.compile(
            r"\b(?:agreed\s+to|reached\s+(?:a|an)\s+(?:\w+\s+)?(?:deal|agreement)|signed\s+(?:a|an)\s+"
            r"(?:\w+\s+)?(?:deal|agreement|accord))\b"
        ),
    ),
]
# All triggers in one pattern, in the order above: its first match is the earliest trigger, and
# of two at the same place the first listed, as searching for each in turn would find. Every
# trigger starts with one of the letters of the look-ahead (keep it in step with _TRIGGERS),
# which only lets the engine pass other positions quickly.
_TRIGGER = re.compile(
    r"(?=[abcdfhlmrstuvw])(?:"
    + "|".join(f"(?P<{kind}>{pattern.pattern})" for kind, pattern in _TRIGGERS)
    + ")"
)
# Every trigger holds one of these words: most sentences have none, and this (plain words, one
# pass) rules them out several times faster than the pattern above (keep it in step too).
_TRIGGER_WORDS = re.compile(
    "|".join(
        [
            *("letter", "appeal", "visit", "trip", "travel", "delegation", "arrived", "met"),
            *("meet", "held", "strike", "struck", "shell", "bomb", "attacking", "retaliated"),
            *("rocket", "missile", "mortar", "terror", "agreed", "reached", "signed"),
            *("urge", "called", "calls", "ask"),
        ]
    )
)
_REQUEST = re.compile(r"(?:urged|urges|called\s+on|calls\s+on|asked|asks)\s")
_CALL_FOR = re.compile(r"(?:called|calls)\s+for\s")
_SUBORDINATE = re.compile(r"^(?:While|Although|Though|As|Since|After|Before|When|Because|If)\b")
_CLAUSE_END = re.compile(
    r",\s*(?:as|when|while|which|who|after|following|according|saying|adding|but|and\s+(?:has|have|had))\b|;"
)
_TO = re.compile(r"\bto\s+(?:the\s+)?$")
_PLACE_BEFORE = re.compile(r"\b(?:in|at|to|into|from)\s+(?:the\s+)?$")


def find_events(text: str, masked: str, reader: Reader, body: list[Span]) -> list[Event]:
    del body
    events = []
    for sentence in reader.sentences:
        event = _event(text, masked, reader, sentence)
        if event is not None:
            events.append(event)
    return events


def _event(text: str, masked: str, reader: Reader, sentence: Sentence) -> Event | None:
    span = sentence.span
    if _TRIGGER_WORDS.search(masked, span.start, span.end) is None:
        return None
    trigger = _TRIGGER.search(masked, span.start, span.end)
    if trigger is None:
        return None
    if any(c.span.start <= trigger.start() < c.span.end for c in sentence.claims):
        return None  # "X says the movement appeals to …": part of what X said, not an action
    kind = trigger.lastgroup or ""
    window = _window(masked, span, trigger)
    skip = [q.content for q in sentence.quotes]
    participants: list[Participant] = []
    recipients: list[Participant] = []
    place: Participant | None = None
    for seq in sequences(text, window, skip):
        entity = _entity(reader, seq)
        if entity is None:
            continue
        if kind == "appeal" and trigger.start() < seq.span.start < trigger.end():
            recipients.append(entity)  # "urged the UN to …", "asked Iran to …"
            continue
        before = masked[max(span.start, seq.span.start - 12) : seq.span.start]
        is_place = entity.kind in ("Place", "City", "Country") and not (
            entity.kind == "Country"
            and seq.span.start < trigger.start()
            and not _PLACE_BEFORE.search(before)
        )
        if is_place:
            if place is None and (_PLACE_BEFORE.search(before) or kind in ("visit",)):
                place = entity
            continue
        if (
            kind in ("letter", "appeal")
            and seq.span.start > trigger.start()
            and _TO.search(masked[max(span.start, seq.span.start - 8) : seq.span.start])
        ):
            recipients.append(entity)
            continue
        if (
            kind in ("letter", "appeal")
            and recipients
            and seq.span.start > trigger.start()
            and re.search(r"\band\s+(?:the\s+)?$", before)
        ):
            recipients.append(entity)
            continue
        if entity not in participants:
            participants.append(entity)
    if not participants:
        return None
    request = _REQUEST.match(trigger.group())
    if (
        kind == "appeal"
        and (request or _CALL_FOR.match(trigger.group()))
        and (skip or (request and not recipients))
    ):
        # "called on her to resign": a request to no one the article names; and a request the
        # sentence quotes is reported by its quotation, a claim (one piece of evidence, once)
        return None
    found = reader.dates.find(text, window, skip)
    date = None
    if found:
        best = min(found, key=lambda m: abs(m.span.start - trigger.start()))
        date = ClaimDate(best.date, best.expression.strip(), best.span)
    elif reader.published is not None:
        date = ClaimDate(reader.published, "publication")
    evidence = _without_quotations(text, span, sentence, trigger.start())
    # "Emerging from a meeting with Obama, Sanders said the session …": what follows a reporting
    # verb after the trigger is what someone said (a claim's words), not evidence of the event;
    # "…, according to officials" names who told it, and stays
    verbs = [
        verb
        for verb in reader.reporting_verbs(Span(trigger.end(), evidence.end))
        if not verb.group().lower().startswith(("according", "in the words"))
    ]
    if verbs:
        evidence = Span(evidence.start, verbs[0].end())
    description = " ".join(text[evidence.start : evidence.end].split())
    confidence = 0.6 if place is not None else 0.5
    return Event(
        type=kind,
        span=evidence,
        trigger=Span(trigger.start(), trigger.end()),
        participants=tuple(participants),
        date=date,
        place=place,
        recipients=tuple(dict.fromkeys(recipients)),
        description=description,
        confidence=confidence,
    )


def _without_quotations(text: str, span: Span, sentence: Sentence, trigger: int) -> Span:
    """The sentence as the event's evidence, up to the quotation after its trigger or from the
    one before it: what someone said there is a claim of its own, not evidence of the event
    ("“…,” Obama told a town hall meeting in Hanoi")."""
    start, end = span.start, span.end
    for quote in sentence.quotes:
        if quote.marks.start > trigger:
            end = min(end, quote.marks.start)
        elif quote.marks.end <= trigger:
            start = max(start, quote.marks.end)
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and text[end - 1] in " ,;:—–-\n":
        end -= 1
    return Span(start, end) if end > start else span


def _window(masked: str, span: Span, trigger: re.Match[str]) -> Span:
    """The clause around the trigger: subordinate clauses and trailing asides left out."""
    start, end = span.start, span.end
    head = masked[span.start : span.end]
    if _SUBORDINATE.match(head):
        comma = head.find(",")
        if comma >= 0:
            if span.start + comma > trigger.start():
                end = span.start + comma
            else:
                start = span.start + comma + 1
    clause_end = _CLAUSE_END.search(masked, trigger.end(), end)
    if clause_end:
        end = clause_end.start()
    return Span(start, end)


def _entity(reader: Reader, seq) -> Participant | None:  # type: ignore[no-untyped-def]
    names = reader.names
    text = reader.text
    phrase = text[seq.span.start : seq.span.end]
    registry = names.registry
    for i in range(len(seq.words)):
        tail = text[seq.tokens[i].start : seq.span.end]
        found = names.lookup(tail)
        if found is not None:
            entity = registry.entities[found]
            if (
                i
                and len(seq.words) - i == 1
                and entity.type not in ("Person",)
                and not seq.possessive
            ):
                continue
            return Participant(entity.name, found, entity.type)
    mention = names.coreferent(seq.words, seq.span.start)
    if mention is not None and mention.entity_id:
        entity = registry.entities[mention.entity_id]
        return Participant(entity.name, mention.entity_id, entity.type)
    if phrase in COUNTRIES:
        return Participant(phrase, None, "Country")
    run = names.person_run(seq.words)
    if run is not None and len(run) >= 2:
        name = " ".join(seq.words[i] for i in run)
        return Participant(name, None, "Person")
    if mention is not None and mention.kind is SpeakerKind.PERSON:
        return Participant(mention.display, None, "Person")
    return None
