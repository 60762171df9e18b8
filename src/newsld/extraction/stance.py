"""The stance of each claim: does its speaker assert its words, deny them or ask if they are so?

Decided once every claim of the article is found, from the words before the claim in its
sentence (quotations blanked out, so nothing a speaker says is taken for the reporter's cue):

- ``denies`` when the nearest cue before the claim is a verb of denial ("denied (that)",
  "rejected claims that", "dismissing reports that", "denied any involvement in") whose
  complement the claim is part of: no other reporting verb, no ";" and no "… as “…”" (what the
  speaker called it) in between. A full direct quotation is the speaker's own words, asserted.
- ``questions`` when it is the complement of "asked / questioned / wondered whether (if)", or a
  quotation ending in "?" that the speaker "asked" or "wondered" (before or after it). A question
  a speaker "said" stays ``asserts``: a rhetorical question is usually a statement.
- ``asserts`` otherwise.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Sequence

from .cues import (
    _CLAIM_NOUN_THAT,
    _COMPLEMENT_END,
    _DENIAL_VERB,
    _DISMISSED_AS,
    _QUESTION_VERB,
    _RECIPIENT,
    _WHETHER,
    denial_cue,
    question_cue,
)
from .lexicon import DENIAL_VERBS, QUESTION_VERBS, SPEECH_PARTICIPLES, SPEECH_VERBS, alternation
from .model import Claim, ClaimKind, Span, Stance

_CUE = re.compile(
    r"\b(?:"
    + alternation(SPEECH_VERBS | SPEECH_PARTICIPLES | DENIAL_VERBS | QUESTION_VERBS)
    + r")\b|\baccording\s+to\b",
    re.IGNORECASE,
)
_LEADING_ADJUNCT = re.compile(
    r"\s*(?:(?:on|in|last|this|earlier|late|early|again|also|publicly|repeatedly|flatly|"
    r"strongly|firmly|categorically|vehemently|swiftly|quickly)\b[^,;:\"“”]{0,30}?\s+)?"
    r"(?P<that>that\s+)?"
)
_AS = re.compile(r"\bas\b")
# a clause of the reporter's after the content: ", and the U.S. has never …" (", and that …"
# continues the same complement)
_NEW_CLAUSE = re.compile(r",\s+(?:and|or|but|yet|so|while|whereas)\s+(?!that\b)")
# a quotation the cue introduces directly: "asked: “", "asked reporters, “"
_INTRODUCED = re.compile(r"[^.;!?\"“”]{0,40}?[:,]?\s*[“\"‘]?$")
# "…?” he asked", "…?” asked council treasurer Paul Brandt"
_ASKED_AFTER = re.compile(
    r"[?]?\s*[”\"’]?\s*,?\s*(?P<np>(?:(?!(?:when|if|after|as|was|were|being|is)\b)"
    r"[\w’'.\-]+\s+){0,6}?)(?:asked|asks|wondered|wonders|questioned)\b"
)


def with_stances(masked: str, sentences: Sequence[Span], claims: Iterable[Claim]) -> list[Claim]:
    """``claims`` with the stance their sentence gives them (``sentences`` in text order)."""
    starts = [s.start for s in sentences]
    result = []
    for claim in claims:
        index = bisect.bisect_right(starts, claim.span.start) - 1
        stance = Stance.ASSERTS
        if index >= 0 and claim.span.start < sentences[index].end:
            stance = stance_of(masked, sentences[index], claim)
        if stance is not claim.stance:
            claim = dataclasses.replace(claim, stance=stance)
        result.append(claim)
    return result


def stance_of(masked: str, sentence: Span, claim: Claim) -> Stance:
    """The stance of one claim of ``sentence`` (see the module docstring)."""
    lead = Span(sentence.start, claim.span.start)
    if claim.kind is not ClaimKind.DIRECT and _denied(masked, lead):
        return Stance.DENIES
    if _questioned(masked, lead, claim, sentence):
        return Stance.QUESTIONS
    return Stance.ASSERTS


def _last(pattern: re.Pattern[str], masked: str, region: Span) -> re.Match[str] | None:
    matches = list(pattern.finditer(masked, region.start, region.end))
    return matches[-1] if matches else None


def _open(masked: str, cue: int, start: int, end: int) -> bool:
    """Nothing between the cue (ending at ``cue``) and the claim (at ``end``) ends the cue's
    complement: no narration after the content (", saying", ";", " — ", ", he said"), and past
    ``start`` (after "that", "reports that"), no other reporting verb and no new clause (", and
    the U.S. has …"); the claim does not start with a reporting verb of its own."""
    if _COMPLEMENT_END.search(masked, cue, end) or _CUE.match(masked, end):
        return False
    between = masked[start:end]
    return not (_CUE.search(between) or _NEW_CLAUSE.search(between))


def _denied(masked: str, lead: Span) -> bool:
    verb = _last(_DENIAL_VERB, masked, lead)
    if verb is None or not denial_cue(masked, verb, lead.start):
        return False
    noun = _CLAIM_NOUN_THAT.match(masked, verb.end(), lead.end)
    if noun is not None:
        start = noun.end()
    else:
        adjunct = _LEADING_ADJUNCT.match(masked, verb.end(), lead.end)
        start = adjunct.end() if adjunct else verb.end()
        if not (adjunct and adjunct["that"]) and _AS.search(masked, start, lead.end):
            return False  # "dismissed them as part of the “…”": what they called it
    if _DISMISSED_AS.search(masked, start, lead.end):
        return False
    return _open(masked, verb.end(), start, lead.end)


def _questioned(masked: str, lead: Span, claim: Claim, sentence: Span) -> bool:
    end = claim.span.end
    question = claim.text.rstrip().endswith("?") or masked[end : end + 1] == "?"
    verb = _last(_QUESTION_VERB, masked, lead)
    if verb is not None and question_cue(masked, verb, lead.start):
        start = verb.end()
        recipient = _RECIPIENT.match(masked, start, lead.end)
        whether = _WHETHER.match(masked, recipient.end() if recipient else start, lead.end)
        if whether is not None and not _CUE.search(whether["adjunct"]) and " to " not in whether[0]:
            return _open(masked, verb.end(), whether.end(), lead.end)
        if question and claim.kind is not ClaimKind.INDIRECT:
            return _INTRODUCED.fullmatch(masked, start, lead.end) is not None
    if question and claim.kind is not ClaimKind.INDIRECT:
        after = _ASKED_AFTER.match(masked, claim.span.end, sentence.end)
        return after is not None and not _CUE.search(after["np"])
    return False
