"""Who said it, and when: attribute quotations and find reported speech, sentence by sentence.

The article is read top to bottom once; what earlier sentences said (their speakers, subjects,
dated occasions, the outlets that reported) is what pronouns, "the statement", continued
quotations and undated remarks are resolved against. Rules, in order, for a quotation:

1. an attribution right after it: "…,” said X", "…,” X said", "…,” the statement said",
   "…” - X", "…,” according to X";
2. a reporting verb before it in its sentence: "X said: “…”", "X told the Journal: “…”", "X
   charged it was a “…”", "…, saying “…”" (the speaker of a participle is the clause subject);
3. an earlier quotation of the same sentence or paragraph ("“…,” Danon said. “…”");
4. a quotation paragraph continuing the previous paragraph's speaker, or introduced by it
   ("Rathbun stated," / "tweeted using his account:");
5. the speaker of the previous sentence that reported speech ("Heald noted …. “…”").

Chains ("Nasrallah confirmed “…,” Al-Manar reported") give the speaker and the intermediary
outlet. A claim's date comes from a date expression in its attribution (never inside the
quotation or the reported clause), else from the dated occasion of the sentence it continues or
the previous sentence about the same speaker, else from the dated report that carried it, else
it is the publication date.

The reading is one :class:`Reader`; its rules live in sibling modules, one responsibility each:
:mod:`.quotation_rules` (a quotation's attribution after and before it, the reporting verbs of a
region and the speaker of a verb), :mod:`.speakers` (the sentences read so far, and phrases,
pronouns and documents resolved against them), :mod:`.reported_speech` (indirect claims) and
:mod:`.cues` (the reporting verbs, the patterns around them and the small predicates they use).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from newsld.corpus.dates import PartialDate

from .cues import (
    _LONGEST_VERB,
    _NAMING,
    _VERB,
    _VERB_AT_END,
    _fewer_words,
    _same_outlet,
    _title_like,
    _trim_claim,
)
from .dates import DateMention, DateResolver
from .model import Claim, ClaimDate, ClaimKind, Outlet, Span, Speaker
from .names import Names
from .quotation_rules import QuotationRules
from .quotes import Quote
from .ranking import Candidate, MentionFeatures, SpeakerRanking
from .reported_speech import ReportedSpeech
from .speakers import Attribution, Sentence, SpeakerResolution

# "called the plan “reckless”", "described it as “rigged”": a one-word quotation that is a claim
_CHARACTERISES = re.compile(
    r"\b(?:call(?:ed|s|ing)|describ(?:ed|es|ing)|dubb(?:ed|ing)|label(?:l?ed|s|l?ing)|brand(?:ed|s|ing)|"
    r"term(?:ed|s|ing)|deem(?:ed|s|ing))\b[^.;:!?“”\"]{1,60}$"
)


@dataclass
class Reader(QuotationRules, SpeakerResolution, ReportedSpeech, SpeakerRanking):
    text: str
    masked: str  # the text with quotation contents blanked out (offsets unchanged)
    names: Names
    dates: DateResolver
    published: PartialDate | None
    sentences: list[Sentence] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    unattributed: list[Claim] = field(default_factory=list)
    documents: list[tuple[str, Speaker, ClaimDate | None]] = field(default_factory=list)
    reports: list[tuple[Speaker, ClaimDate | None]] = field(default_factory=list)
    used_verbs: set[int] = field(default_factory=set)  # reporting verbs that attribute a quotation
    # the reporting verbs of a region (start, end): several rules ask about the same region
    verbs_in: dict[tuple[int, int], tuple[re.Match[str], ...]] = field(default_factory=dict)
    # where they are looked for: the masked text lowercased and the lowercase pattern, if that
    # finds the same (see casefree.py), else the masked text and the pattern
    verb_scan: tuple[str, re.Pattern[str]] | None = None
    # rank: choose among candidate speakers with the fitted weights (False: the rules' answer);
    # observe: called with each quotation's span, the rules' answer and its candidates (training)
    rank: bool = True
    mention_features: dict[int, MentionFeatures] = field(default_factory=dict)
    upcoming: list[Sentence] = field(default_factory=list)  # every sentence, read or not
    sentence_starts: list[int] = field(default_factory=list)  # where each of them starts
    next_mentions: dict[int, list[tuple[Span, Speaker, dict[str, float]]]] = field(
        default_factory=dict
    )  # per sentence: the names opening the one after it (see ranking.py)
    observe: Callable[[Span, Attribution, list[Candidate]], None] | None = None

    # -- the walk -------------------------------------------------------------------------------
    def read(self, sentences: list[Sentence]) -> None:
        self.upcoming = sentences
        self.sentence_starts = [s.span.start for s in sentences]
        for sentence in sentences:
            sentence.mentions_from = len(self.names.mentions)
            self.names.index(sentence.span, [q.content for q in sentence.quotes])
            sentence.mentions_to = len(self.names.mentions)
            self.sentences.append(sentence)
            self._sentence(sentence)

    def _sentence(self, sentence: Sentence) -> None:
        text = self.text
        previous: Claim | None = None
        for position, quote in enumerate(sentence.quotes):
            lower = sentence.quotes[position - 1].marks.end if position else sentence.span.start
            upper = (
                sentence.quotes[position + 1].marks.start
                if position + 1 < len(sentence.quotes)
                else sentence.span.end
            )
            if _fewer_words(text[quote.content.start : quote.content.end], 2) and not (
                _CHARACTERISES.search(
                    self.masked, max(lower, quote.marks.start - 80), quote.marks.start
                )
            ):
                continue  # one word: a term, unless a verb gives it as someone's word for a thing
            before = self.masked[
                max(sentence.span.start, quote.marks.start - 40) : quote.marks.start
            ]
            if _NAMING.search(before):
                continue  # a name or a title in quotation marks, not speech
            found = self._attribute(sentence, quote, lower, upper, previous)
            if found.speaker is None and _title_like(text[quote.content.start : quote.content.end]):
                continue
            if self.rank or self.observe is not None:
                found = self._ranked(sentence, quote, found, previous)
            if found.verb is not None:
                self.used_verbs.add(found.verb)
            claim = self._claim(sentence, quote, found)
            if claim.speaker is None:
                self.unattributed.append(claim)
            else:
                self.claims.append(claim)
                sentence.claims.append(claim)
                previous = claim
        self._reported_speech(sentence)
        sentence.subject = sentence.subject or self._first_agent(sentence)
        self._occasion(sentence)

    def _ranked(
        self, sentence: Sentence, quote: Quote, found: Attribution, previous: Claim | None
    ) -> Attribution:
        """The rules' answer weighed against the other candidates (see :mod:`.ranking`)."""
        candidates = self.candidates(sentence, quote.marks, found, previous)
        if self.observe is not None:
            self.observe(quote.marks, found, candidates)
        if not self.rank:
            return found
        chosen, confidence = self.choose(candidates)
        if chosen is None:
            return found
        if not chosen.from_rules:
            outlet = found.outlet if found.speaker is None else None
            found = Attribution(
                chosen.speaker, "ranked", 0.0, outlet=outlet, inherit=chosen.inherit, via=chosen.via
            )
        found.confidence, found.calibrated = confidence, True
        return found

    # -- building the claim -------------------------------------------------------------------
    def _claim(self, sentence: Sentence, quote: Quote, found: Attribution) -> Claim:
        text = self.text
        content = quote.content
        kind = self._kind(sentence, quote)
        content = _trim_claim(text, content, kind)
        speaker = found.speaker
        confidence = found.confidence if found.calibrated else found.confidence or 0.7
        if speaker is None:
            confidence = 0.0  # nobody is said to have said it: no attribution to be sure of
        elif not found.calibrated:  # the rules alone (rank=False): their own rough estimate
            if found.rule == "pronoun":
                confidence = 0.7
            if not quote.closed:
                confidence *= 0.85
            if speaker.unnamed:
                confidence *= 0.9
        outlet = found.outlet or (found.inherit.reported_by if found.inherit else None)
        if (
            speaker is not None
            and outlet is not None
            and speaker.entity_id
            and speaker.entity_id == outlet.entity_id
        ):
            outlet = None
        date = self._date(found, speaker, outlet) if speaker is not None else self._publication()
        return Claim(
            text=text[content.start : content.end],
            kind=kind,
            span=content,
            speaker=speaker,
            date=date,
            reported_by=outlet,
            confidence=round(confidence, 2),
            rule=found.rule or "unattributed",
        )

    def _kind(self, sentence: Sentence, quote: Quote) -> ClaimKind:
        text = self.text
        words = text[quote.content.start : quote.content.end]
        if quote.continued:
            return ClaimKind.DIRECT
        first = words.lstrip("[(.…' ")[:1]
        before = self.masked[sentence.span.start : quote.marks.start].rstrip()
        stands_alone = (
            not before
            or before.endswith((":", ",", "—", "-"))
            or _VERB_AT_END.search(before, max(0, len(before) - _LONGEST_VERB)) is not None
            or bool(_VERB.search(before[-40:]) and before.endswith(","))
        )
        if first.isupper() and stands_alone:
            return ClaimKind.DIRECT
        if (
            first.isupper()
            and words.rstrip().endswith((".", "?", "!", ","))
            and not _fewer_words(words, 5)
            and stands_alone
        ):
            return ClaimKind.DIRECT
        return ClaimKind.PARTIAL

    def _date(
        self, found: Attribution, speaker: Speaker | None, outlet: Outlet | None
    ) -> ClaimDate | None:
        if self.published is None:
            return None
        mentions: list[DateMention] = []
        for span in found.frame:
            mentions += self.dates.find(self.text, span, self._quote_spans(span))
        if mentions:
            anchor = found.verb if found.verb is not None else mentions[0].span.start
            best = min(mentions, key=lambda m: abs(m.span.start - anchor))
            return ClaimDate(best.date, best.expression.strip(), best.span)
        if (
            found.inherit is not None
            and found.inherit.date is not None
            and found.inherit.date.source != "publication"
        ):
            return found.inherit.date
        if speaker is not None:
            key = speaker.key
            if found.via is not None and key in found.via.occasion:
                return found.via.occasion[key]
            for earlier in self._previous(self.sentences[-1], 3, paragraphs=2):
                if key in earlier.occasion:
                    return earlier.occasion[key]
        if outlet is not None:
            for reporter, date in reversed(self.reports):
                if date is not None and _same_outlet(reporter, outlet):
                    return date
        return self._publication()

    def _publication(self) -> ClaimDate | None:
        if self.published is None:
            return None
        return ClaimDate(self.published, "publication")

    def _quote_spans(self, span: Span) -> list[Span]:
        return [
            q.content for s in self.sentences[-3:] for q in s.quotes if q.content.overlaps(span)
        ]
