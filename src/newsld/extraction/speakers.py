"""Speakers found so far: the sentences read, and phrases resolved against them.

A :class:`Sentence` records what the reading found in it (claims, subject, dated occasions, an
introduced quotation); an :class:`Attribution` is what a rule found for one quotation.
:class:`SpeakerResolution` is the part of the :class:`~.attribution.Reader` that resolves a phrase,
a pronoun or "the statement" against earlier sentences, continues a previous speaker, and keeps the
sentence-level bookkeeping (first agent, clause subject, dated occasion) later sentences use.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .cues import (
    _DOCUMENT_WORDS,
    _INTRODUCES,
    _LONGEST_SPEECH_VERB,
    _MASKED_WORDS,
    _OCCASION,
    _THAT,
    _THE_REPORT,
    _VERB_THEN_NAME,
    _at,
    _compatible,
    _fewer_words,
    _skip_space,
    agrees,
    speaker_gender,
)
from .lexicon import PRONOUN_GENDERS, PRONOUNS
from .model import Claim, ClaimDate, ClaimKind, Outlet, Span, Speaker, SpeakerKind
from .names import Resolved
from .phrases import subject_phrase
from .quotes import Quote
from .sequences import sequences

_SIGNATURE = re.compile(r"\s*[-–—]+\s*(?=[A-Z])")


@dataclass
class Sentence:
    index: int
    span: Span
    paragraph: int
    quotes: list[Quote]  # pieces that open in this sentence
    claims: list[Claim] = field(default_factory=list)
    subject: Speaker | None = None
    speech: bool = False  # has a reporting verb outside quotations
    occasion: dict[str, ClaimDate] = field(default_factory=dict)  # speaker key → dated occasion
    intro: Speaker | None = None  # ends with "X stated," / "X tweeted:" introducing a quotation
    mentions_from: int = 0  # its name mentions are ``Names.mentions[mentions_from:mentions_to]``
    mentions_to: int = 0


@dataclass
class Attribution:
    speaker: Speaker | None
    rule: str
    confidence: float
    frame: list[Span] = field(default_factory=list)  # where to look for the claim's date
    verb: int | None = None  # position of the reporting verb, to pick the nearest date
    outlet: Outlet | None = None
    inherit: Claim | None = None  # the claim this one continues (date, reported_by)
    via: Sentence | None = None  # the sentence the speaker was found in (dated occasion)
    calibrated: bool = False  # confidence is the ranker's calibrated probability, kept as is

    def settled(self, rule: str, confidence: float, verb: int, frame: Span) -> Attribution:
        """This attribution, as the rule that found its verb and frame states it."""
        self.rule, self.confidence, self.verb, self.frame = rule, confidence, verb, [frame]
        return self


class SpeakerResolution:
    """Resolution against what came before, and the bookkeeping that makes it possible (a mixin of
    :class:`~.attribution.Reader`)."""

    def _resolve(self, span: Span, sentence: Sentence) -> Attribution | None:
        """A phrase as a speaker, pronouns and documents resolved against what came before."""
        if span.end <= span.start:
            return None
        skip = [q.content for q in sentence.quotes]
        resolved: Resolved = self.names.resolve(span, skip)
        outlet = resolved.outlet
        if resolved.speaker is not None:
            speaker = resolved.speaker
            if speaker.unnamed and _THE_REPORT.match(speaker.name):
                speaker = None
            if speaker is not None:
                self._remember_document(span, speaker)
                return Attribution(speaker, "", 0.0, [], None, outlet)
        if resolved.pronoun is not None:
            antecedent = self._antecedent(resolved.pronoun, sentence, span.start)
            if antecedent is not None:
                claim, via = antecedent
                speaker = claim.speaker if isinstance(claim, Claim) else claim
                return Attribution(
                    _at(speaker, span),
                    "pronoun",
                    0.0,
                    [],
                    None,
                    outlet,
                    inherit=claim if isinstance(claim, Claim) else None,
                    via=via,
                )
            return None
        if resolved.document is not None:
            found = self._document(resolved.document, sentence)
            if found is not None:
                speaker, claim, via = found
                return Attribution(
                    speaker, "document", 0.0, [], None, outlet, inherit=claim, via=via
                )
            return None
        if outlet is not None:
            return Attribution(None, "", 0.0, [], None, outlet)
        return None

    def _remember_document(self, span: Span, speaker: Speaker) -> None:
        phrase = self.text[span.start : span.end].lower()
        for noun, pattern in _DOCUMENT_WORDS:
            if pattern.search(phrase):
                self.documents.append((noun, speaker, None))

    def _antecedent(
        self, pronoun: str, sentence: Sentence, position: int
    ) -> tuple[Claim | Speaker, Sentence] | None:
        """What a pronoun before ``position`` stands for: a claim's speaker or an agent of its
        sentence, then of the three before it. When that is a person of the other gender ("he"
        for Hillary Clinton), the first person of the pronoun's gender instead, or nothing."""
        wanted = PRONOUNS.get(pronoun, "any")
        found = self._agent_before(sentence, position, wanted, None)
        gender = PRONOUN_GENDERS.get(pronoun)
        if found is None or gender is None:
            return found
        speaker = found[0].speaker if isinstance(found[0], Claim) else found[0]
        if agrees(speaker, gender):
            return found
        return self._agent_before(sentence, position, wanted, gender)

    def _agent_before(
        self, sentence: Sentence, position: int, wanted: str, gender: str | None
    ) -> tuple[Claim | Speaker, Sentence] | None:
        """The nearest claim's speaker or sentence agent of the kind ``wanted`` (and, given a
        ``gender``, known to be of it) before ``position``."""

        def fits(speaker: Speaker | None) -> bool:
            return _compatible(speaker, wanted) and (
                gender is None or (speaker is not None and speaker_gender(speaker) == gender)
            )

        # the same sentence, before the pronoun: its claims, then (after "that") its subject
        for claim in reversed(sentence.claims):
            if claim.span.start < position and fits(claim.speaker):
                return claim, sentence
        window = self.masked[sentence.span.start : position]
        if _THAT.search(window) or any(
            True for _ in self._verbs(Span(sentence.span.start, position))
        ):
            subject = self._first_agent(sentence, limit=position, kind=wanted, gender=gender)
            if subject is not None:
                return subject, sentence
        for earlier in self._previous(sentence, 3):
            for claim in reversed(earlier.claims):
                if fits(claim.speaker):
                    return claim, earlier
            # of a gender: "Clinton writes to Sullivan. He responds" (the first agent of it)
            subject = (
                earlier.subject
                if gender is None
                else self._first_agent(earlier, kind=wanted, gender=gender)
            )
            if subject is not None and fits(subject):
                return subject, earlier
        return None

    def _document(
        self, noun: str, sentence: Sentence
    ) -> tuple[Speaker, Claim | None, Sentence | None] | None:
        """Who "the statement" / "the report" is by: recent speech, a recent report, a document."""
        reports = ("report", "reports", "study", "analysis", "survey", "article", "paper")
        if noun in reports and self.reports:
            speaker, _date = self.reports[-1]
            return speaker, None, None
        for earlier in self._previous(sentence, 2):
            if earlier.claims:
                claim = earlier.claims[-1]
                assert claim.speaker is not None
                return claim.speaker, claim, earlier
        for kind, speaker, _date in reversed(self.documents):
            if kind == noun:
                return speaker, None, None
        return None

    def _previous(self, sentence: Sentence, count: int, paragraphs: int = 1) -> Iterator[Sentence]:
        """Up to ``count`` sentences before this one, at most ``paragraphs`` paragraphs back."""
        index = sentence.index
        for seen, earlier in enumerate(reversed(self.sentences[:index]), start=1):
            if earlier.paragraph < sentence.paragraph - paragraphs:
                return
            yield earlier
            if seen >= count:
                return

    def _context(self, sentence: Sentence, quote: Quote) -> Attribution:
        """No attribution in the sentence: an earlier quote, an introduction, the last speaker."""
        paragraph_start = not any(
            s.paragraph == sentence.paragraph for s in self.sentences[: sentence.index]
        )
        outside = self.masked[sentence.span.start : sentence.span.end]
        bare = _fewer_words(_MASKED_WORDS.sub("", outside), 4)
        opens = not self.masked[sentence.span.start : quote.marks.start].strip()
        if not (bare or opens):
            return Attribution(None, "", 0.0)
        # signed on the line after it: "“…”" / "- Maria Alvarez, speaking to reporters."
        signature = self._signature(sentence, quote)
        if signature is not None:
            return Attribution(signature, "signed", 0.85)
        # an earlier quotation of this paragraph ("“…,” Danon said. “…”")
        if not paragraph_start:
            for earlier in self._previous(sentence, 3):
                if earlier.paragraph != sentence.paragraph:
                    break
                if earlier.claims:
                    claim = earlier.claims[-1]
                    if any(c.kind is not ClaimKind.INDIRECT for c in earlier.claims) and bare:
                        return Attribution(claim.speaker, "split", 0.85, inherit=claim, via=earlier)
                    return Attribution(
                        claim.speaker, "previous-sentence", 0.65, inherit=claim, via=earlier
                    )
                if earlier.intro is not None:
                    return Attribution(earlier.intro, "introduced", 0.75, via=earlier)
        # a quotation paragraph: continued from, or introduced by, the previous paragraph
        if paragraph_start or quote.continued:
            previous = [
                s for s in self._previous(sentence, 6) if s.paragraph == sentence.paragraph - 1
            ]
            if previous:
                last = previous[0]
                if last.intro is not None:
                    return Attribution(last.intro, "introduced", 0.8, via=last)
                quoted = [c for s in previous for c in s.claims if c.kind is not ClaimKind.INDIRECT]
                if quoted and (bare or quote.continued):
                    claim = quoted[0]
                    return Attribution(claim.speaker, "continued", 0.8, inherit=claim, via=last)
                if last.claims and bare:
                    claim = last.claims[-1]
                    return Attribution(claim.speaker, "continued", 0.65, inherit=claim, via=last)
        return Attribution(None, "", 0.0)

    def _signature(self, sentence: Sentence, quote: Quote) -> Speaker | None:
        """The name a dash opens the next paragraph with, when the quotation ends its own."""
        following = sentence.index + 1
        if following >= len(self.upcoming) or quote.marks.end < sentence.span.end - 2:
            return None
        line = self.upcoming[following]
        if line.paragraph != sentence.paragraph + 1:
            return None
        dash = _SIGNATURE.match(self.text, line.span.start, line.span.end)
        if dash is None:
            return None
        start = dash.end()
        end = min(line.span.end, start + 60)
        comma = self.text.find(",", start, end)
        resolved = self.names.resolve(Span(start, comma if comma > 0 else end))
        if resolved.speaker is None or resolved.speaker.unnamed:
            return None
        return resolved.speaker

    # -- sentence-level bookkeeping -----------------------------------------------------------
    def _first_agent(
        self,
        sentence: Sentence,
        limit: int | None = None,
        kind: str = "any",
        gender: str | None = None,
    ) -> Speaker | None:
        end = limit if limit is not None else sentence.span.end
        span = sentence.span if limit is None else Span(sentence.span.start, end)
        skip = [q.content for q in sentence.quotes]
        for seq in sequences(self.text, span, skip):
            as_subject = (
                seq if not seq.after_preposition else type(seq)(seq.tokens, seq.possessive, False)
            )
            resolved = self.names._resolve_sequence(as_subject, Span(seq.span.start, end))
            if resolved is None or resolved.speaker is None:
                continue
            if seq.after_preposition and (
                resolved.speaker.kind is not SpeakerKind.PERSON or len(seq.words) < 2
            ):
                continue
            if _compatible(resolved.speaker, kind) and (
                gender is None or speaker_gender(resolved.speaker) == gender
            ):
                return resolved.speaker
        return None

    def _clause_subject(self, sentence: Sentence, position: int) -> Speaker | None:
        intro = self._intro(sentence)
        start = intro[0].end if intro else sentence.span.start
        phrase = subject_phrase(self.masked, _skip_space(self.masked, Span(start, position)))
        resolved = self._resolve(phrase, sentence)
        if resolved is not None and resolved.speaker is not None:
            return resolved.speaker
        return self._first_agent(sentence, limit=position)

    def _occasion(self, sentence: Sentence) -> None:
        """Remember who spoke or met on a stated date in this sentence, and what introduces a
        quotation paragraph next ("Rathbun stated,", "tweeted using his account:")."""
        masked = self.masked[sentence.span.start : sentence.span.end]
        for claim in sentence.claims:
            if (
                claim.speaker is not None
                and claim.date is not None
                and claim.date.source != "publication"
            ):
                sentence.occasion.setdefault(claim.speaker.key, claim.date)
        if sentence.subject is not None and _OCCASION.search(masked.lower()):
            skip = [q.content for q in sentence.quotes] + [c.span for c in sentence.claims]
            found = self.dates.find(self.text, sentence.span, skip)
            if found:
                first = found[0]
                sentence.occasion.setdefault(
                    sentence.subject.key,
                    ClaimDate(first.date, first.expression.strip(), first.span),
                )
        stripped = masked.rstrip()
        verb_first = _VERB_THEN_NAME.match(stripped) if not sentence.quotes else None
        if verb_first is not None:
            np = Span(
                sentence.span.start + verb_first.start("np"),
                sentence.span.start + verb_first.end("np"),
            )
            resolved = self._resolve(np, sentence)
            if resolved is not None and resolved.speaker is not None:
                sentence.intro = resolved.speaker
        elif (
            # a match ends the (stripped) sentence, so it starts in its last few characters
            _INTRODUCES.search(stripped, max(0, len(stripped) - _LONGEST_SPEECH_VERB))
            and not sentence.quotes
        ):
            verbs = list(self._verbs(sentence.span))
            if verbs:
                found_speaker = self._speaker_of_verb(sentence, verbs[-1], sentence.span.start)
                if found_speaker is not None and found_speaker.speaker is not None:
                    sentence.intro = found_speaker.speaker
        elif masked.rstrip().endswith(":") and sentence.claims:
            sentence.intro = sentence.claims[-1].speaker
        elif masked.rstrip().endswith(":"):
            verbs = [v for v in self._verbs(sentence.span) if v.start() not in self.used_verbs]
            if verbs:
                found_speaker = self._speaker_of_verb(sentence, verbs[0], sentence.span.start)
                if found_speaker is not None and found_speaker.speaker is not None:
                    sentence.intro = found_speaker.speaker
