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
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from newsld.corpus.dates import PartialDate

from .casefree import lowercase_pattern, lowercased
from .dates import DateMention, DateResolver
from .lexicon import (
    CLAUSE_VERBS,
    OBJECT_VERBS,
    OCCASION_WORDS,
    PRONOUNS,
    RECIPIENT_VERBS,
    SPEECH_PARTICIPLES,
    SPEECH_VERBS,
    alternation,
)
from .model import (
    Claim,
    ClaimDate,
    ClaimKind,
    Outlet,
    Span,
    Speaker,
    SpeakerKind,
    normalise_name,
)
from .names import Names, Resolved, sequences, subject_phrase
from .quotes import Quote
from .segment import _is_abbreviation

_VERB_WORDS = SPEECH_VERBS | SPEECH_PARTICIPLES
_VERB_ALTERNATION = alternation(_VERB_WORDS)
# every alternative starts with one of these letters: the look-ahead only lets the engine skip
# other positions quickly (under IGNORECASE a letter class matches what its letters match)
_VERB_INITIALS = "".join(sorted({"a", "i", "s", "w", "d", "p", "r"} | {w[0] for w in _VERB_WORDS}))
_VERB = re.compile(
    r"\b(?=[" + _VERB_INITIALS + r"])(?:according\s+to|in\s+the\s+words\s+of|"
    r"(?:sent|wrote|delivered|submitted|issued|released|published|posted)\s+(?:a|an|the)\s+"
    r"(?:[\w-]+\s+){0,2}(?:letter|statement|complaint|message|note|appeal|tweet|communiqu[eé])|"
    r"in\s+(?:a|an|his|her|their|its)\s+(?:\w+\s+)?(?:statement|interview|letter|tweet|post|speech)|"
    r"(?:" + _VERB_ALTERNATION + r")(?:\s+out)?)\b",
    re.IGNORECASE,
)
_VERB_LOWER = lowercase_pattern(_VERB)
_NOUN_BEFORE = re.compile(
    r"\b(?:the|a|an|media|news|these|those|such|of|its|his|her|their)\s+$", re.IGNORECASE
)
_PASSIVE = re.compile(
    r"\b(?:was|were|is|are|be|been|being|am)\s+(?:\w+ly\s+)?$|\b(?:the|a|an|its|his|her|their)\s+$",
    re.IGNORECASE,
)
_NAMING = re.compile(
    r"\b(?:called|named|titled|entitled|dubbed|known\s+as|labell?ed|the\s+(?:words?|term|phrase|"
    r"name|slogan|hashtag|headline|title|motto))\s*,?\s*$",
    re.IGNORECASE,
)
_SMALL = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "to",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "vs",
        "vs.",
        "de",
        "la",
        "le",
        "du",
        "von",
        "van",
    ]
)
_ADVERBS = (
    r"(?:(?:also|later|then|further|recently|reportedly|previously|earlier|has|have|had"
    r"|once|again|repeatedly)\s+)*"
)


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

    def settled(self, rule: str, confidence: float, verb: int, frame: Span) -> Attribution:
        """This attribution, as the rule that found its verb and frame states it."""
        self.rule, self.confidence, self.verb, self.frame = rule, confidence, verb, [frame]
        return self


@dataclass
class Reader:
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

    # -- the walk -------------------------------------------------------------------------------
    def read(self, sentences: list[Sentence]) -> None:
        for sentence in sentences:
            self.names.index(sentence.span, [q.content for q in sentence.quotes])
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
            if _fewer_words(text[quote.content.start : quote.content.end], 2):
                continue
            before = self.masked[
                max(sentence.span.start, quote.marks.start - 40) : quote.marks.start
            ]
            if _NAMING.search(before):
                continue  # a name or a title in quotation marks, not speech
            found = self._attribute(sentence, quote, lower, upper, previous)
            if found.speaker is None and _title_like(text[quote.content.start : quote.content.end]):
                continue
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

    # -- quotations ---------------------------------------------------------------------------
    def _attribute(
        self, sentence: Sentence, quote: Quote, lower: int, upper: int, previous: Claim | None
    ) -> Attribution:
        post = self._after(sentence, quote, upper)
        pre = self._before(sentence, quote, lower)
        if post is not None and post.speaker is not None and post.outlet is None:
            post.outlet = self._according_outlet(quote.marks.end, upper)
        if post is not None and post.speaker is not None:
            if (
                pre is not None
                and pre.speaker is not None
                and post.outlet is None
                and _speaker_is_outlet(self, post.speaker)
                and pre.rule == "verb-before"
            ):
                pre.outlet = pre.outlet or _as_outlet(post.speaker)
                pre.frame += post.frame
                return pre
            if pre is not None and pre.outlet and not post.outlet:
                post.outlet = pre.outlet
            return post
        if pre is not None and pre.speaker is not None:
            if post is not None and post.outlet and not pre.outlet:
                pre.outlet = post.outlet
            return pre
        if previous is not None:
            return Attribution(previous.speaker, "same-sentence", 0.85, inherit=previous)
        return self._context(sentence, quote)

    def _after(self, sentence: Sentence, quote: Quote, upper: int) -> Attribution | None:
        """ "…,” said X" / "…,” X said" / "…,” according to X" / "…” - X"."""
        masked = self.masked
        start = quote.marks.end
        tail = masked[start:upper]
        verb_first = _VERB_FIRST.match(tail)
        if verb_first and not verb_first["verb"].lower().startswith(("according", "in the words")):
            np_start = start + verb_first.start("np")
            full_end = self._np_end(np_start, start + verb_first.end("np"), cut=False)
            resolved = self._resolve(Span(np_start, full_end), sentence)
            if resolved is None or resolved.speaker is None or resolved.speaker.unnamed:
                np_end = self._np_end(np_start, start + verb_first.end("np"))
                resolved = self._resolve(Span(np_start, np_end), sentence) or resolved
            if resolved is None or resolved.speaker is None or resolved.speaker.unnamed:
                resolved = self._appositive(np_start, full_end, upper, sentence) or resolved
            if resolved is not None:
                verb = start + verb_first.start("verb")
                return resolved.settled("verb-after", 0.95, verb, Span(start, upper))
        according = _ACCORDING_FIRST.match(tail)
        if according:
            np_start = start + according.start("np")
            resolved = self._resolve(Span(np_start, start + according.end("np")), sentence)
            if resolved is not None:
                verb = start + according.start()
                return resolved.settled("according-to", 0.85, verb, Span(start, upper))
        np_first = _NP_FIRST.match(tail)
        if np_first and np_first["verb"].lower() in SPEECH_VERBS and _np_like(np_first["np"]):
            np_span = Span(start + np_first.start("np"), start + np_first.end("np"))
            resolved = self._resolve(np_span, sentence)
            if resolved is not None:
                verb = start + np_first.start("verb")
                return resolved.settled("verb-after", 0.95, verb, Span(start, upper))
        dash = _DASH.match(tail)
        if dash and quote.content.end - quote.content.start > 0:
            np_span = Span(start + dash.start("np"), start + dash.end("np"))
            resolved = self._resolve(np_span, sentence)
            if resolved is not None:
                resolved.rule = "dash"
                resolved.confidence = 0.8
                return resolved
        outlet_tail = _ACCORDING_TO.search(tail)
        if outlet_tail:
            outlet = self.names.outlet_in(
                Span(start + outlet_tail.start("np"), start + outlet_tail.end("np"))
            )
            if outlet is not None:
                return Attribution(None, "", 0.0, outlet=outlet)
        return None

    def _appositive(
        self, np_start: int, np_end: int, upper: int, sentence: Sentence
    ) -> Attribution | None:
        """ "said Brandt's colleague, councillor Maria Lindqvist, “…”": the named apposition."""
        apposition = re.match(
            r",\s*(?P<np>[^,;:.!?\"“”]{2,60}?)\s*(?:,|[.!?]?\s*$)", self.masked[np_end:upper]
        )
        if not apposition or _VERB.search(apposition["np"]) or not _np_like(apposition["np"]):
            return None
        resolved = self._resolve(Span(np_start, np_end + apposition.end("np")), sentence)
        if resolved is None or resolved.speaker is None or resolved.speaker.unnamed:
            return None
        return resolved

    def _according_outlet(self, start: int, end: int) -> Outlet | None:
        found = _ACCORDING_TO.search(self.masked[start:end])
        if not found:
            return None
        return self.names.outlet_in(Span(start + found.start("np"), start + found.end("np")))

    def _np_end(self, start: int, end: int, cut: bool = True) -> int:
        """Where a noun phrase after an inverted verb ("said X to the crowd on Thursday") ends."""
        phrase = self.masked[start:end]
        pattern = (
            r",|\.(?:\s|$)|\s(?:to|on|in|at|during|after|before|when|while|as|who|which|because|"
            r"adding|according)\s|\s(?:yesterday|today|last|this)\b"
            if cut
            else r",|\.(?:\s|$)|\s(?:on|at|during|after|before|when|while|as|who|which|because|"
            r"adding|according)\s|\s(?:yesterday|today|last|this)\b"
        )
        found = None
        for match in re.finditer(pattern, phrase):
            if match.group().startswith(".") and _is_abbreviation(
                self.masked, start + match.start(), start
            ):
                continue
            found = match
            break
        end = start + (found.start() if found else len(phrase.rstrip()))
        while end > start and self.masked[end - 1] in " .":
            if self.masked[end - 1] == "." and re.search(
                r"(?:\b[A-Z]|\b(?:Jr|Sr|Inc|Co))\.$", self.masked[start:end]
            ):
                break
            end -= 1
        return end

    def _before(self, sentence: Sentence, quote: Quote, lower: int) -> Attribution | None:
        """A reporting verb before the quotation in its sentence, and the speaker it has."""
        masked = self.masked
        region = Span(lower, quote.marks.start)
        verbs = list(self._verbs(region))
        if not verbs:
            verbs = list(self._verbs(Span(sentence.span.start, quote.marks.start)))
            if not verbs:
                return None
        verb = verbs[-1]
        adjacent = _ADJACENT.fullmatch(
            masked[verb.end() : quote.marks.start]
        ) is not None and _fewer_words(masked[verb.end() : quote.marks.start], 7)
        found = self._speaker_of_verb(sentence, verb, lower)
        if found is None:
            return None
        found.rule = "verb-before"
        found.confidence = 0.9 if adjacent else 0.75
        found.frame.append(Span(found.frame[0].start if found.frame else verb.start(), verb.end()))
        recipient = masked[verb.end() : quote.marks.start]
        if verb.group().lower() in RECIPIENT_VERBS or _TO_RECIPIENT.match(recipient):
            outlet = self.names.outlet_in(Span(verb.end(), quote.marks.start))
            if outlet is not None:
                found.outlet = outlet
        # adjuncts between the verb and the quotation ("said on Thursday: “…”"), not the clause
        between = masked[verb.end() : quote.marks.start]
        that = _THAT_OR_COMMA.search(between)
        if that:
            found.frame.append(Span(verb.end(), verb.end() + that.start()))
        else:
            found.frame.append(Span(verb.end(), quote.marks.start))
        return found

    def _verbs(self, region: Span) -> tuple[re.Match[str], ...]:
        """The reporting verbs in ``region`` (memoised per article: the masked text is fixed)."""
        key = (region.start, region.end)
        found = self.verbs_in.get(key)
        if found is None:
            found = self.verbs_in[key] = tuple(self._find_verbs(region))
        return found

    def _find_verbs(self, region: Span) -> Iterator[re.Match[str]]:
        masked = self.masked
        if self.verb_scan is None:
            lowered = lowercased(masked)
            self.verb_scan = (masked, _VERB) if lowered is None else (lowered, _VERB_LOWER)
        haystack, pattern = self.verb_scan
        for match in pattern.finditer(haystack, region.start, region.end):
            word = match.group().lower()
            before = masked[max(region.start, match.start() - 24) : match.start()]
            first = word.split()[0]
            if first in {
                "according",
                "in",
                "sent",
                "wrote",
                "delivered",
                "submitted",
                "issued",
                "released",
                "published",
                "posted",
            }:
                yield match
                continue
            if _PASSIVE.search(before):
                continue
            if first in {
                "reports",
                "report",
                "read",
                "reads",
                "post",
                "posted",
                "comments",
                "notes",
                "claims",
                "charges",
                "calls",
                "states",
            } and _NOUN_BEFORE.search(before):
                continue
            yield match

    def _speaker_of_verb(
        self, sentence: Sentence, verb: re.Match[str], lower: int
    ) -> Attribution | None:
        """The speaker of a reporting verb: the noun phrase before it (participle: the subject)."""
        masked = self.masked
        word = verb.group().lower()
        position = verb.start()
        if word.startswith(("according to", "in the words of")):
            np_end = self._phrase_end(verb.end(), sentence.span.end)
            resolved = self._resolve(Span(verb.end(), np_end), sentence)
            if resolved is not None:
                resolved.frame = [Span(verb.start(), np_end)]
                resolved.verb = position
            return resolved
        start = self._clause_start(sentence, position, lower)
        region_text = masked[start:position]
        with_np = _WITH_NP.search(region_text)
        first = word.split()[0]
        if first in SPEECH_PARTICIPLES and with_np:
            np = Span(start + with_np.start("np"), position)
            resolved = self._resolve(np, sentence)
            if resolved is not None:
                resolved.frame = [Span(np.start, verb.end())]
                resolved.verb = position
            return resolved
        if first in SPEECH_PARTICIPLES or _COORDINATED.search(region_text):
            # "…, saying": the subject of the clause, or of the verb before it
            earlier = [
                m
                for m in self._verbs(
                    Span(sentence.span.start, start if first in SPEECH_PARTICIPLES else position)
                )
                if m.group().lower().split()[0] not in SPEECH_PARTICIPLES
            ]
            if earlier:
                found = self._speaker_of_verb(sentence, earlier[-1], sentence.span.start)
                if found is not None:
                    return found
            subject = self._clause_subject(sentence, position)
            if subject is None:
                return None
            frame = [*self._intro(sentence), Span(verb.start(), verb.end())]
            if subject.span is not None:
                frame.append(Span(subject.span.start, min(subject.span.end + 40, verb.start())))
            return Attribution(subject, "", 0.0, frame, position)
        # "X, who asked not to be named, said": the speaker is the phrase before the clause
        before = masked[max(sentence.span.start, lower) : position]
        # (the pattern tries every start: first make sure it has its relative pronoun)
        parenthetical = (
            _PARENTHETICAL.search(before) if "who" in before or "which" in before else None
        )
        if parenthetical:
            base = max(sentence.span.start, lower)
            np = _skip_space(
                masked, Span(base + parenthetical.start("np"), base + parenthetical.end("np"))
            )
            resolved = self._resolve(np, sentence)
            if resolved is not None and resolved.speaker is not None:
                resolved.frame = [Span(np.start, verb.end())]
                resolved.verb = position
                return resolved
        relative = _RELATIVE_BEFORE.search(region_text)
        if relative:
            antecedent_end = start + relative.start()
            seqs = sequences(
                self.text,
                Span(sentence.span.start, antecedent_end),
                [q.content for q in sentence.quotes],
            )
            if not seqs:
                return None
            last = seqs[-1]
            if len(seqs) > 1 and _OF_THE.fullmatch(self.text[seqs[-2].span.end : last.span.start]):
                whole = self.names.lookup(self.text[seqs[-2].span.start : last.span.end])
                if whole is not None:
                    speaker = self.names.registry_speaker(
                        whole, Span(seqs[-2].span.start, last.span.end)
                    )
                    if speaker is not None:
                        return Attribution(speaker, "", 0.0, [Span(start, verb.end())], position)
                last = seqs[-2]
            found = self.names._resolve_sequence(
                type(last)(last.tokens, False, False), Span(last.span.start, antecedent_end)
            )
            if found is None or found.speaker is None:
                return None
            return Attribution(found.speaker, "", 0.0, [Span(start, verb.end())], position)
        np = Span(start, position)
        # "A spokesperson declined to say", "X went on to say": the control verb is not the speaker
        control = _CONTROL.search(region_text)
        if control and control.start() > 0:
            np = Span(start, start + control.start())
        resolved = self._resolve(np, sentence)
        if resolved is None:
            return None
        resolved.verb = position
        resolved.frame = (
            [Span(sentence.span.start, verb.end())]
            if start == sentence.span.start
            else [
                Span(start, verb.end()),
                *self._intro(sentence),
            ]
        )
        # a chain: "The report also said Israel claimed …" → reported by the report's outlet
        earlier = [m for m in self._verbs(Span(sentence.span.start, start))]
        if earlier and resolved.outlet is None:
            chained = self._speaker_of_verb(sentence, earlier[-1], sentence.span.start)
            if chained is not None and chained.speaker is not None:
                resolved.outlet = (
                    _as_outlet(chained.speaker)
                    if _speaker_is_outlet(self, chained.speaker)
                    else chained.outlet
                )
        return resolved

    def _clause_start(self, sentence: Sentence, position: int, lower: int) -> int:
        masked = self.masked
        start = max(sentence.span.start, lower)
        window = masked[start:position]
        boundary = None
        for match in _CLAUSE_BOUNDARY.finditer(window):
            boundary = match.end()
        for match in self._verbs(Span(start, position)):
            if match.end() < position:
                end = match.end() - start
                boundary = max(boundary or 0, end)
        return start + boundary if boundary else start

    def _phrase_end(self, start: int, limit: int) -> int:
        phrase = self.masked[start:limit]
        cut = _PHRASE_END.search(phrase)
        return start + (cut.start() if cut else len(phrase.rstrip()))

    def _intro(self, sentence: Sentence) -> list[Span]:
        """A sentence-initial phrase set off by a comma ("On Wednesday, …"): part of the frame."""
        masked = self.masked
        match = _INTRO.match(masked[sentence.span.start : sentence.span.end])
        if match and _INTRO_STARTS.match(match.group()) and len(match.group().split()) <= 10:
            return [Span(sentence.span.start, sentence.span.start + match.end())]
        return []

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
        wanted = PRONOUNS.get(pronoun, "any")
        # the same sentence, before the pronoun: its claims, then (after "that") its subject
        for claim in reversed(sentence.claims):
            if claim.span.start < position and _compatible(claim.speaker, wanted):
                return claim, sentence
        window = self.masked[sentence.span.start : position]
        if _THAT.search(window) or any(
            True for _ in self._verbs(Span(sentence.span.start, position))
        ):
            subject = self._first_agent(sentence, limit=position, kind=wanted)
            if subject is not None:
                return subject, sentence
        for earlier in self._previous(sentence, 3):
            for claim in reversed(earlier.claims):
                if _compatible(claim.speaker, wanted):
                    return claim, earlier
            subject = earlier.subject
            if subject is not None and _compatible(subject, wanted):
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

    # -- building the claim -------------------------------------------------------------------
    def _claim(self, sentence: Sentence, quote: Quote, found: Attribution) -> Claim:
        text = self.text
        content = quote.content
        kind = self._kind(sentence, quote)
        content = _trim_claim(text, content, kind)
        speaker = found.speaker
        confidence = found.confidence or 0.7
        if speaker is not None and found.rule == "pronoun":
            confidence = 0.7
        if not quote.closed:
            confidence *= 0.85
        if speaker is not None and speaker.unnamed:
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

    # -- sentence-level bookkeeping -----------------------------------------------------------
    def _first_agent(
        self, sentence: Sentence, limit: int | None = None, kind: str = "any"
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
            if _compatible(resolved.speaker, kind):
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
        if (
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

    # -- reported speech ----------------------------------------------------------------------
    def _reported_speech(self, sentence: Sentence) -> None:
        """Indirect claims: "X said (that) …", "…, saying …", "X denied …", "…, X reported"."""
        masked = self.masked
        span = sentence.span
        if masked[span.start : span.end].rstrip().endswith("?"):
            return
        quote_marks = [q.marks for q in sentence.quotes]
        verbs = list(self._verbs(span))
        for index, verb in enumerate(verbs):
            first = verb.group().lower().split()[0]
            sentence.speech = True
            if verb.start() in self.used_verbs:
                continue
            if (
                verb.group()
                .lower()
                .startswith(
                    (
                        "according",
                        "in the words",
                        "in a",
                        "in an",
                        "in his",
                        "in her",
                        "in their",
                        "in its",
                    )
                )
            ):
                continue
            if (
                first not in CLAUSE_VERBS
                and first not in OBJECT_VERBS
                and first not in _CLAUSE_PARTICIPLES
            ):
                continue
            content = self._complement(verb, span, first)
            if content is None:
                continue
            if any(m.overlaps(content) for m in quote_marks):
                continue
            if any(m.start <= verb.start() < m.end for m in quote_marks):
                continue
            found = self._speaker_of_verb(sentence, verb, span.start)
            if found is None or found.speaker is None:
                continue
            found.frame.append(Span(verb.end(), content.start))
            inner = [
                v
                for v in verbs[index + 1 :]
                if content.start <= v.start() < content.start + 100
                and v.group().lower().split()[0] in CLAUSE_VERBS | OBJECT_VERBS
            ]
            if inner and self._speaker_of_verb(sentence, inner[0], span.start) is not None:
                # "The report said Israel claimed that …": the inner speaker's claim, reported by
                if _speaker_is_outlet(self, found.speaker):
                    self.reports.append((found.speaker, self._frame_date(found)))
                continue
            if any(c.span.overlaps(content) for c in self.claims[-6:]):
                continue
            tail = self._report_tail(span, content.end)
            outlet = found.outlet
            if tail is not None:
                reporter, tail_span = tail
                found.frame.append(tail_span)
                if _speaker_is_outlet(self, reporter) and reporter.key != found.speaker.key:
                    outlet = outlet or _as_outlet(reporter)
                    self.reports.append(
                        (reporter, self._frame_date(Attribution(reporter, "", 0.0, [tail_span])))
                    )
            self._add_indirect(
                sentence, content, found, outlet, 0.6 if first in CLAUSE_VERBS else 0.5
            )
            if _speaker_is_outlet(self, found.speaker) and first in {
                "reported",
                "reports",
                "said",
                "says",
            }:
                self.reports.append((found.speaker, self._frame_date(found)))
        if not sentence.quotes and not sentence.claims:
            self._inverted(sentence)
        # "According to the Lebanese Al Mayadeen news network, …": the outlet reported it
        according = _ACCORDING_OPENS.match(masked[span.start : span.end])
        if according:
            np = Span(span.start + according.start("np"), span.start + according.end("np"))
            outlet = self.names.outlet_in(np)
            if outlet is not None:
                self.reports.append(
                    (
                        Speaker(
                            outlet.name,
                            SpeakerKind.ORGANIZATION,
                            outlet.entity_id,
                            False,
                            outlet.span,
                        ),
                        None,
                    )
                )

    def _add_indirect(
        self,
        sentence: Sentence,
        content: Span,
        found: Attribution,
        outlet: Outlet | None,
        confidence: float,
    ) -> None:
        claim = Claim(
            text=self.text[content.start : content.end],
            kind=ClaimKind.INDIRECT,
            span=content,
            speaker=found.speaker,
            date=self._date(found, found.speaker, outlet),
            reported_by=outlet,
            confidence=confidence,
            rule="reported-speech",
        )
        self.claims.append(claim)
        sentence.claims.append(claim)

    def _frame_date(self, found: Attribution) -> ClaimDate | None:
        mentions: list[DateMention] = []
        for span in found.frame:
            mentions += self.dates.find(self.text, span)
        if not mentions:
            return None
        return ClaimDate(mentions[0].date, mentions[0].expression.strip(), mentions[0].span)

    def _inverted(self, sentence: Sentence) -> None:
        """ "…, the report said, citing multiple rebel commanders.": content first, speaker last."""
        masked = self.masked
        span = sentence.span
        sentence_text = masked[span.start : span.end]
        # (the pattern tries every comma: first make sure it has one, and one of its verbs)
        if "," not in sentence_text or not _INVERTED_VERB.search(sentence_text):
            return
        match = _INVERTED.match(sentence_text)
        if not match:
            return
        np = Span(span.start + match.start("np"), span.start + match.end("np"))
        found = self._resolve(np, sentence)
        if found is None or found.speaker is None:
            return
        intro = self._intro(sentence)
        start = intro[0].end if intro else span.start
        content = _skip_space(masked, Span(start, span.start + match.end("content")))
        if _fewer_words(masked[content.start : content.end], 4):
            return
        if self._inverted_chain(sentence, content, found, intro):
            return
        found.frame = [Span(np.start, span.end), *intro]
        found.verb = span.start + match.start("verb")
        self._add_indirect(sentence, content, found, found.outlet, 0.55)

    def _inverted_chain(
        self, sentence: Sentence, content: Span, found: Attribution, intro: list[Span]
    ) -> bool:
        """ "Nasrallah confirmed that …, Al-Manar reported": the speaker is the one inside, the
        outlet at the end reported it."""
        masked = self.masked
        if found.speaker is None or not _speaker_is_outlet(self, found.speaker):
            return False
        inner = _CHAINED.match(masked[content.start : content.end])
        if not inner:
            return False
        np = Span(content.start + inner.start("np"), content.start + inner.end("np"))
        chained = self._resolve(np, sentence)
        if chained is None or chained.speaker is None or _speaker_is_outlet(self, chained.speaker):
            return False
        rest = _skip_space(masked, Span(content.start + inner.end(), content.end))
        if _fewer_words(masked[rest.start : rest.end], 4):
            return False
        chained.outlet = _as_outlet(found.speaker)
        chained.frame = [Span(np.start, content.start + inner.end()), *intro]
        chained.verb = content.start + inner.start("verb")
        self._add_indirect(sentence, rest, chained, chained.outlet, 0.55)
        return True

    def _complement(self, verb: re.Match[str], span: Span, first: str) -> Span | None:
        masked = self.masked
        start = verb.end()
        rest = masked[start : span.end]
        clause = self._adjunct_that(start, span.end)
        if first in OBJECT_VERBS and clause is None:
            start = verb.start()
            rest = masked[start : span.end]
        elif first in _COMMISSIVE and _TO_INFINITIVE.match(rest):
            start = verb.start()  # "vowed to finish the wall": the promise, verb included
            rest = masked[start : span.end]
        elif clause is not None:
            start = clause
            rest = masked[start : span.end]
        else:
            if first in RECIPIENT_VERBS:
                recipient = _RECIPIENT.match(rest)
                if recipient:
                    start += recipient.end()
                    rest = masked[start : span.end]
            if _PUNCTUATION_FIRST.match(rest):
                return None
            clause = self._adjunct_that(start, span.end)
            if clause is not None:
                start = clause
                rest = masked[start : span.end]
            else:
                lead = _LEAD.match(rest)
                that = False
                if lead:
                    that = bool(lead.group("that"))
                    start += lead.end()
                    rest = masked[start : span.end]
                if not that and _NOT_A_CLAUSE.match(rest):
                    return None
        end_match = _COMPLEMENT_END.search(rest)
        end = start + (end_match.start() if end_match else len(rest))
        content = Span(start, end)
        words = masked[content.start : content.end].rstrip(" .!?,")
        content = Span(content.start, content.start + len(words))
        minimum = 2 if first in OBJECT_VERBS else 4
        if _fewer_words(words, minimum):
            return None
        if _ADVERB_FIRST.match(words) and _fewer_words(words, 6):
            return None
        return content

    def _adjunct_that(self, start: int, end: int) -> int | None:
        """Where the clause starts after "that" and the adjuncts before it ("boasted last week
        that", "said in a statement on Monday that"), or None when something else comes first."""
        masked = self.masked
        if masked.find("that", start, end) < 0:
            return None  # (what the pattern needs, found without its lazy expansion)
        match = _ADJUNCT_THAT.match(masked[start:end])
        if not match:
            return None
        adjunct = Span(start + match.start("adjunct"), start + match.end("adjunct"))
        words = masked[adjunct.start : adjunct.end]
        if not _fewer_words(words, 9):
            return None
        for mention in self.dates.find(self.text, adjunct):
            words = (
                words[: mention.span.start - adjunct.start]
                + " " * (mention.span.end - mention.span.start)
                + words[mention.span.end - adjunct.start :]
            )
        words = _DOCUMENT_ADJUNCT.sub(" ", words)
        if any(w.lower() not in _ADJUNCT_WORDS for w in words.split()):
            return None
        return start + match.end()

    def _report_tail(self, span: Span, after: int) -> tuple[Speaker, Span] | None:
        """ ", the Lebanese newspaper Al Joumhouria reported Saturday." at the end of a sentence."""
        masked = self.masked
        match = _REPORT_TAIL.match(masked[after : span.end])
        if not match:
            return None
        np = Span(after + match.start("np"), after + match.end("np"))
        resolved = self.names.resolve(np)
        if resolved.speaker is None:
            return None
        return resolved.speaker, Span(np.start, after + match.end())


_VERB_FIRST = re.compile(
    r"^[\s,.;:!?]*(?P<verb>" + _VERB_ALTERNATION + r")\s+(?P<np>[^;!?]{1,160})"
)
_ACCORDING_FIRST = re.compile(
    r"^[\s,]*(?:according\s+to|in\s+the\s+words\s+of)\s+(?P<np>[^.;!?]{1,160})", re.IGNORECASE
)
_NP_FIRST = re.compile(
    r"^[\s,]*(?P<np>[^;!?\"“”]{1,140}?)\s+" + _ADVERBS + r"(?P<verb>" + _VERB_ALTERNATION + r")\b",
    re.IGNORECASE,
)
_DASH = re.compile(r"^\s*[-–—]\s*(?P<np>[A-Z][^.;!?\"“”]{1,60})$")
_ACCORDING_TO = re.compile(r"according\s+to\s+(?P<np>[^.;!?]{1,80})", re.IGNORECASE)
_ADJACENT = re.compile(r"[^.;!?]{0,60}?[,:]?\s*")
_TO_RECIPIENT = re.compile(r"\s+(?:to|in remarks to)\b")
_THAT_OR_COMMA = re.compile(r"\bthat\b|,")
_WITH_NP = re.compile(r"\bwith\s+(?P<np>[^,;:]{1,60}?)\s*$")
_COORDINATED = re.compile(r"\b(?:and|but|then)\s*$")
_PARENTHETICAL = re.compile(r"(?P<np>[^,;:]{1,80}?)\s*,\s*(?:who|which)\s[^,;:]{1,80},\s*$")
_RELATIVE_BEFORE = re.compile(r",\s*(?:which|who)\s+(?:\w+ly\s+)?$")
_OF_THE = re.compile(r"\s+(?:in|of|at)\s+(?:the\s+)?")
_CLAUSE_BOUNDARY = re.compile(r";|:\s|\s[—–]\s|\bthat\s")
_PHRASE_END = re.compile(r"[,;:.!?\"“”]|\s(?:on|in|at|during)\s+(?=[A-Z][a-z]+day\b)")
_INTRO = re.compile(r"[^,;:\"“”]{1,80},")
_THE_REPORT = re.compile(r"(?:the\s+)?(?:report|reports)$", re.IGNORECASE)
_THAT = re.compile(r"\bthat\s")


_INTRO_START = (
    r"(?:on|in|at|during|last|earlier|later|yesterday|today|just|this|after|before|following|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|may|"
    r"june|july|august|september|october|november|december)\b"
)
_INTRO_STARTS = re.compile(_INTRO_START, re.IGNORECASE)
_COMMISSIVE = frozenset(["vowed", "vows", "promised", "promises", "pledged", "pledges"])
_DOCUMENT_ADJUNCT = re.compile(
    r"\b(?:in|at|during|on|via|through)\s+(?:a|an|the|his|her|its|their)\s+(?:[\w-]+\s+){0,2}?"
    r"(?:statement|interview|letter|speech|address|post|tweet|message|report|briefing|remarks|"
    r"conference|meeting|session|hearing|debate|video|broadcast|communiqu[eé])\b",
    re.IGNORECASE,
)
_ADJUNCT_WORDS = frozenset(
    [
        *("on", "in", "at", "during", "last", "this", "earlier", "late", "early", "also"),
        *("again", "publicly", "privately", "previously", "recently", "repeatedly", "then"),
        *("later", "once", "already"),
    ]
)
_CONTROL = re.compile(
    r"(?:\s+(?:not|also|later|then|never|again|would|will|could|did|does|has|had|have|was|is|"
    r"were|are|went|goes|on|quick|keen|eager|first))*\s+[a-z]+\s+(?:to|as)\s*$"
)
_CLAUSE_PARTICIPLES = frozenset(
    [
        "saying",
        "adding",
        "claiming",
        "charging",
        "warning",
        "stating",
        "noting",
        "insisting",
        "arguing",
    ]
)


# one of the occasion words as a whole run of letters a-z (in lowercased text)
_OCCASION = re.compile(r"(?<![a-z])(?:" + alternation(OCCASION_WORDS) + r")(?![a-z])")
assert all(word.isascii() for word in OCCASION_WORDS)
_LONGEST_SPEECH_VERB = max(len(w) for w in SPEECH_VERBS)
_INTRODUCES = re.compile(r"(?:[,:]|\b(?:" + alternation(SPEECH_VERBS) + r"))\s*$")
_COUNTED_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

_DOCUMENT_WORDS = tuple(
    (noun, re.compile(rf"\b{noun}\b"))
    for noun in ("statement", "letter", "post", "tweet", "message", "announcement")
)

_ACCORDING_OPENS = re.compile(r"according\s+to\s+(?P<np>[^,]{2,80}),", re.IGNORECASE)

_INVERTED_VERBS = "said|reported|says|reports|added|wrote"
_INVERTED = re.compile(
    r"(?P<content>.{20,}?),\s*(?P<np>[^,]{2,80}?)\s+(?P<verb>" + _INVERTED_VERBS + r")"
    r"(?:,\s*(?:citing|quoting)[^.]*)?[.!]?$"
)
_INVERTED_VERB = re.compile(_INVERTED_VERBS)

_CHAINED = re.compile(
    r"(?P<np>[^,;:]{2,80}?)\s+" + _ADVERBS + r"(?P<verb>" + _VERB_ALTERNATION + r")\b"
    r"(?:\s+(?:on|in|last|this|earlier)\s+\w+)?\s+(?:that\s+)?"
)

_TO_INFINITIVE = re.compile(r"\s+(?:not\s+)?to\s+[a-z]")

_RECIPIENT = re.compile(
    r"\s+(?:[A-Z][\w’'.\-]*\s+){1,5}|\s+(?:him|her|them|us|me|reporters|journalists|the\s+\w+)\s+"
)

_PUNCTUATION_FIRST = re.compile(r"\s*[,.;:!?]")

_LEAD = re.compile(
    r"\s*(?:(?:on|in|last|this|earlier|late|early)\s+\w+(?:\s+(?:morning|afternoon|evening|night))?\s+)?(?P<that>that\s+)?"
)

_NOT_A_CLAUSE = re.compile(
    r"(?:of|about|to|for|with|by|in|at|on|into|from|over|as|through|via|during|"
    r"after|before|while|when|a\s+statement|the\s+report)\b"
)

_COMPLEMENT_END = re.compile(
    r",\s*(?:saying|adding|according\s+to|the\s+[\w\s\-]{0,60}?(?:reported|said|says)|citing|"
    r"while|but|which)\b|;|\s[—–]\s"
)

_ADVERB_FIRST = re.compile(r"[a-z]+ly\b")

_ADJUNCT_THAT = re.compile(r"\s*(?P<adjunct>[^,.;:!?\"“”]{0,60}?)\s*\bthat\s+")

_REPORT_TAIL = re.compile(
    r",\s*(?P<np>[^,;]{2,80}?)\s+(?P<verb>reported|said|says|reports|wrote|added)\b(?P<rest>[^,;]*)"
)

_SENTENCE_END = re.compile(r"[.!?]$")

_MASKED_WORDS = re.compile(r"x+")

_LONGEST_VERB = max(len(w) for w in _VERB_WORDS)

_VERB_AT_END = re.compile(r"\b(?:" + _VERB_ALTERNATION + r")$", re.IGNORECASE)


def _fewer_words(text: str, count: int) -> bool:
    """Has ``text`` fewer than ``count`` words (``_COUNTED_WORD``)? Stops counting there."""
    return _words_at_start(count).match(text) is None


@functools.cache
def _words_at_start(count: int) -> re.Pattern[str]:
    """What starts a text with ``count`` words: each one what ``_COUNTED_WORD`` matches (the
    quantifiers are possessive, so a word is never split to make up the count), after what it
    passes over."""
    assert _COUNTED_WORD.pattern == r"[^\W_]+(?:['’][^\W_]+)*", "keep in step"
    return re.compile(rf"(?>[\W_]*+[^\W_]++(?:['’][^\W_]++)*+){{{count}}}")


def _title_like(words: str) -> bool:
    tokens = words.split()
    if not tokens or len(tokens) > 10 or _SENTENCE_END.search(words.strip()):
        return False
    content = [t for t in tokens if t.lower().strip(",:") not in _SMALL]
    return bool(content) and sum(t[:1].isupper() for t in content) / len(content) >= 0.75


def _np_like(phrase: str) -> bool:
    words = phrase.split()
    if not words or len(words) > 16:
        return False
    first = words[0].strip(",")
    return (
        first[:1].isupper()
        or _titled_name(words)
        or first.lower() in PRONOUNS
        or first.lower()
        in {
            "the",
            "a",
            "an",
            "one",
            "some",
            "officials",
            "sources",
            "critics",
            "police",
            "its",
            "his",
            "her",
            "their",
        }
    )


def _titled_name(words: list[str]) -> bool:
    """A name after a short lowercase title: "council treasurer Paul Brandt"."""
    for index, word in enumerate(words[:4]):
        if word[:1].isupper():
            return index > 0
        if (
            word.lower().strip(",") in _SMALL
            or word.lower() in _FUNCTION_WORDS
            or word.endswith(",")
        ):
            return False
    return False


_FUNCTION_WORDS = frozenset(
    ["as", "but", "if", "so", "then", "than", "that", "this", "these", "those", "when", "while"]
)


def _compatible(speaker: Speaker | None, wanted: str) -> bool:
    if speaker is None:
        return False
    if wanted == "Person":
        return speaker.kind is SpeakerKind.PERSON
    if wanted == "Organization":
        return speaker.kind is SpeakerKind.ORGANIZATION
    return True


def _at(speaker: Speaker | None, span: Span) -> Speaker | None:
    if speaker is None:
        return None
    return Speaker(speaker.name, speaker.kind, speaker.entity_id, speaker.unnamed, speaker.span)


def _looks_outlet_name(name: str) -> bool:
    from .lexicon import OUTLET_KEYWORDS

    return (
        any(w in OUTLET_KEYWORDS for w in re.findall(r"[\w-]+", name))
        or name.lower().startswith("al-")
        or name.lower().startswith("al ")
    )


def _speaker_is_outlet(reader: Reader, speaker: Speaker) -> bool:
    if speaker.entity_id:
        return reader.names.registry.entities[speaker.entity_id].type == "NewsMediaOrganization"
    return speaker.kind is SpeakerKind.ORGANIZATION and _looks_outlet_name(speaker.name)


def _as_outlet(speaker: Speaker) -> Outlet:
    return Outlet(speaker.name, speaker.entity_id, speaker.span)


def _same_outlet(speaker: Speaker, outlet: Outlet) -> bool:
    if speaker.entity_id or outlet.entity_id:
        return speaker.entity_id == outlet.entity_id
    return normalise_name(speaker.name) == normalise_name(outlet.name)


def _trim_claim(text: str, span: Span, kind: ClaimKind) -> Span:
    start, end = span.start, span.end
    strip = ",;:–—-" if kind is not ClaimKind.PARTIAL else ",;:.–—-"
    while end > start and (text[end - 1] in strip or text[end - 1].isspace()):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return Span(start, end)


def _skip_space(text: str, span: Span) -> Span:
    start = span.start
    while start < span.end and not text[start].isalnum():
        start += 1
    return Span(start, span.end)
