"""Reported speech: indirect claims ("X said (that) …", "…, saying …", "…, X reported").

:class:`ReportedSpeech` is the part of the :class:`~.attribution.Reader` that finds claims outside
quotation marks: a reporting verb and its complement, inverted and chained reports, and the date
of the frame they were found in.
"""

from __future__ import annotations

import dataclasses
import re

from .cues import (
    _ACCORDING_OPENS,
    _ADJUNCT_THAT,
    _ADJUNCT_WORDS,
    _ADVERB_FIRST,
    _BARE_CLAUSE,
    _CHAINED,
    _CLAIM_NOUN_THAT,
    _CLAUSE_PARTICIPLES,
    _COMMISSIVE,
    _COMPLEMENT_END,
    _DENIAL_VERB,
    _DENIED_OBJECT,
    _DIRECTIVE,
    _DISMISSED_AS,
    _DOCUMENT_ADJUNCT,
    _INVERTED,
    _INVERTED_SUBJECT,
    _INVERTED_VERB,
    _LEAD,
    _NOT_A_CLAUSE,
    _PUNCTUATION_FIRST,
    _QUESTION_VERB,
    _RECIPIENT,
    _REPORT_TAIL,
    _TO_INFINITIVE,
    _VERB,
    _WHETHER,
    _as_outlet,
    _fewer_words,
    _skip_space,
    _speaker_is_outlet,
    after_preposition,
    denial_cue,
    question_cue,
)
from .dates import DateMention
from .lexicon import (
    CLAUSE_VERBS,
    DENIAL_VERBS,
    OBJECT_VERBS,
    RECIPIENT_VERBS,
    REQUEST_VERBS,
    SPEECH_PARTICIPLES,
)
from .model import Claim, ClaimDate, ClaimKind, Outlet, Span, Speaker, SpeakerKind
from .ranking import UNMEASURED, shipped_model
from .speakers import Attribution, Sentence

# a prepositional phrase before the clause: "said in an editorial piece for the Journal that"
_PREPOSITIONAL = re.compile(
    r"\s*(?:in|on|at|during|after|before|to|with|for|from|via|through|over|under|of|about)\s+"
    r"[^,]*$",
    re.IGNORECASE,
)
# whom a verb was addressed to, up to its clause: "told a town hall in Salem that"
_RECIPIENT_THAT = re.compile(r"\s+[^,.;:!?\"“”]{1,60}?\s+(?=that\s)")
# what was written, not what it says: "wrote a detailed, six-page letter to …", "wrote an op-ed
# urging …", "wrote a book that …" (the content of a writing is its clause: "wrote that …")
_WRITING_VERBS = frozenset(["wrote", "writes"])
# what is kept, not said: "maintains a large lead", "maintained her innocence" ("maintained the
# lead was safe" is a clause)
_KEEPING_VERBS = frozenset(["maintains", "maintained"])
_KEPT_THING = re.compile(r"(?:an?|his|her|its|their|our|my|your)\s")
_WRITTEN_THING = re.compile(
    r"an?\s+(?:[\w-]+,?\s+){0,3}(?:letter|memo|note|op-ed|column|book|essay|editorial|article|"
    r"piece|post|tweet|message|email|e-mail|report|statement|speech)s?\b"
)


class ReportedSpeech:
    """Indirect claims of a sentence (a mixin of :class:`~.attribution.Reader`)."""

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
            if first in DENIAL_VERBS or first in REQUEST_VERBS:
                continue  # denials: _denials; a request for action is no claim
            if (
                first not in CLAUSE_VERBS
                and first not in OBJECT_VERBS
                and first not in _CLAUSE_PARTICIPLES
            ):
                continue
            if masked[span.start : verb.start()].rstrip().endswith(",") and _INVERTED_SUBJECT.match(
                masked, verb.end(), span.end
            ):
                continue  # "…, predicted Madeleine Kunin, …": the name is the speaker, not content
            content = self._complement(verb, span, first)
            if content is None:
                continue
            if any(m.overlaps(content) for m in quote_marks) and self._quoted_claims(content):
                self._widen_partials(sentence, verb, content, quote_marks)
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
                sentence,
                content,
                found,
                outlet,
                "reported-speech" if first in CLAUSE_VERBS else "reported-object",
            )
            if _speaker_is_outlet(self, found.speaker) and first in {
                "reported",
                "reports",
                "said",
                "says",
            }:
                self.reports.append((found.speaker, self._frame_date(found)))
        self._denials(sentence)
        self._questions(sentence)
        if not sentence.claims and not self._quoted_claims(sentence.span):
            self._inverted(sentence)  # (a quoted word in it, no claim of its own, is part of it)
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

    def _quoted_claims(self, content: Span) -> bool:
        """Whether a quotation in ``content`` is a claim of its own, attributed or not (a word in
        quotation marks, "would be “screaming”", a title, is part of the reported speech)."""
        return any(
            claim.span.overlaps(content)
            for claim in (*self.claims[-6:], *self.unattributed[-6:])
            if claim.kind is not ClaimKind.INDIRECT
        )

    def _widen_partials(
        self, sentence: Sentence, verb: re.Match[str], content: Span, quote_marks: list[Span]
    ) -> None:
        """ "X said the movement appeals to the “bad angels” of human nature": the quoted words are
        part of what X said, so the claim is the whole complement, quoted words and all, when the
        quotation's speaker is the verb's."""
        if any(
            m.overlaps(content) and not (content.start <= m.start and m.end <= content.end)
            for m in quote_marks
        ):
            return
        inner = [
            c
            for c in sentence.claims
            if c.kind is ClaimKind.PARTIAL
            and content.start <= c.span.start
            and c.span.end <= content.end
        ]
        if len(inner) != 1 or sum(m.overlaps(content) for m in quote_marks) != 1:
            return  # several quotations: each its own claim (one may be someone else's words)
        found = self._speaker_of_verb(sentence, verb, sentence.span.start)
        if found is None or found.speaker is None:
            return
        partial = inner[0]
        if partial.speaker is None or partial.speaker.key != found.speaker.key:
            return
        if self.masked[content.start : partial.span.start].rstrip(' “"').endswith((",", ":")):
            return  # "told the police, “everything he did”": the quotation is what was told
        widened = dataclasses.replace(
            partial, text=self.text[content.start : content.end], span=content
        )
        for claims in (self.claims, sentence.claims):
            claims[claims.index(partial)] = widened

    def _add_indirect(
        self,
        sentence: Sentence,
        content: Span,
        found: Attribution,
        outlet: Outlet | None,
        rule: str,
        context: bool = True,
    ) -> None:
        """Add the claim of reported speech found by ``rule``; its confidence is the share of that
        rule's claims with the right speaker on PolNeAR's train split (see ranking.py). With
        ``context``, later sentences may continue its speaker (not the asker of a question: what
        follows it is usually the answer, someone else's)."""
        claim = Claim(
            text=self.text[content.start : content.end],
            kind=ClaimKind.INDIRECT,
            span=content,
            speaker=found.speaker,
            date=self._date(found, found.speaker, outlet),
            reported_by=outlet,
            confidence=shipped_model().reported_speech.get(rule, UNMEASURED),
            rule=rule,
        )
        self.claims.append(claim)
        if context:
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
        # (the pattern tries every comma: first make sure it has one, or a closing quotation mark
        # whose comma is masked, and one of its verbs)
        if not _INVERTED_VERB.search(sentence_text) or not (
            "," in sentence_text or "”" in sentence_text or '"' in sentence_text
        ):
            return
        match = _INVERTED.match(sentence_text)
        if not match:
            return
        mark = match.start("mark")
        if mark >= 0 and self.text[span.start + mark - 1] != ",":
            return  # a quotation ending in no comma: "The “Gang of Eight” members said …"
        np_group, verb_group = ("np", "verb") if match["np"] else ("np_after", "verb_first")
        np = Span(span.start + match.start(np_group), span.start + match.end(np_group))
        found = self._resolve(np, sentence)
        if found is None or found.speaker is None:
            return
        intro = self._intro(sentence)
        start = intro[0].end if intro else span.start
        content_end = span.start + (match.end("mark") if mark >= 0 else match.end("content"))
        content = _skip_space(masked, Span(start, content_end))
        if _fewer_words(masked[content.start : content.end], 4):
            return
        if self._inverted_chain(sentence, content, found, intro):
            return
        found.frame = [Span(np.start, span.end), *intro]
        found.verb = span.start + match.start(verb_group)
        self._add_indirect(sentence, content, found, found.outlet, "reported-inverted")

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
        self._add_indirect(sentence, rest, chained, chained.outlet, "reported-chain")
        return True

    def _denials(self, sentence: Sentence) -> None:
        """ "X denied (that) …", "X rejected claims that …", "…, dismissing reports that …", "X
        denied any involvement in …": what is denied, a claim (its stance: :mod:`.stance`)."""
        masked = self.masked
        span = sentence.span
        if _DENIAL_VERB.search(masked, span.start, span.end) is None:
            return
        for verb in _DENIAL_VERB.finditer(masked, span.start, span.end):
            if not denial_cue(masked, verb, span.start):
                continue
            if verb.group().endswith("ing") and after_preposition(masked, verb, span.start):
                continue
            start = self._denied_start(verb, span)
            if start is None:
                continue
            minimum = 3 if start.end > start.start else 2  # (a clause, or an object)
            rest = Span(start.start, span.end)
            self._add_complement(sentence, verb, rest, minimum, "reported-denial")

    def _denied_start(self, verb: re.Match[str], span: Span) -> Span | None:
        """Where the denied words start (an empty span: a clause; else the object)."""
        masked = self.masked
        clause = self._adjunct_that(verb.end(), span.end)
        if clause is not None:
            return Span(clause, clause)
        noun = _CLAIM_NOUN_THAT.match(masked, verb.end(), span.end)
        if noun is not None:
            return Span(noun.end(), noun.end())
        if not verb.group().startswith("den"):
            return None  # "rejected the offer": an action, not a denial of words
        bare = _BARE_CLAUSE.match(masked, verb.end(), span.end)
        if bare is not None:
            start = verb.end() + len(bare[0]) - len(bare[0].lstrip())
            return Span(start, start)
        lead = _LEAD.match(masked, verb.end(), span.end)
        start = lead.end() if lead and not lead["that"] else verb.end()
        if _DENIED_OBJECT.match(masked, start, span.end) is None:
            return None  # "denied entry", "denied the report": no words of a claim
        start = _skip_space(masked, Span(start, span.end)).start
        return Span(start, start + 1)

    def _questions(self, sentence: Sentence) -> None:
        """ "X asked (reporters) whether …", "X questioned whether …", "X wondered if …"."""
        masked = self.masked
        span = sentence.span
        if _QUESTION_VERB.search(masked, span.start, span.end) is None:
            return
        for verb in _QUESTION_VERB.finditer(masked, span.start, span.end):
            word = verb.group()
            if word.endswith("ing") and word not in SPEECH_PARTICIPLES:
                continue  # ("wondering whether": whose wondering is not worth guessing)
            if not question_cue(masked, verb, span.start):
                continue
            if word.endswith("ing") and after_preposition(masked, verb, span.start):
                continue
            start = verb.end()
            recipient = (
                _RECIPIENT.match(masked, start, span.end) if word in RECIPIENT_VERBS else None
            )
            whether = _WHETHER.match(masked, recipient.end() if recipient else start, span.end)
            if whether is None or " to " in whether[0] or _fewer_words(whether["adjunct"], 0):
                continue
            if not _fewer_words(whether["adjunct"], 5):
                continue
            rest = Span(whether.end(), span.end)
            self._add_complement(sentence, verb, rest, 3, "reported-question", context=False)

    def _add_complement(
        self,
        sentence: Sentence,
        verb: re.Match[str],
        rest: Span,
        minimum: int,
        rule: str,
        context: bool = True,
    ) -> None:
        """The claim whose words start ``rest`` and end where the reported content does."""
        masked = self.masked
        words = masked[rest.start : rest.end]
        ends = [
            m.start() for m in (_COMPLEMENT_END.search(words), _DISMISSED_AS.search(words)) if m
        ]
        words = words[: min(ends)] if ends else words
        words = words.rstrip(" .!?,")
        if words.endswith(")") and "(" not in words:
            words = words.rstrip(" .!?,)")
        content = Span(rest.start, rest.start + len(words))
        if _fewer_words(words, minimum) or (_ADVERB_FIRST.match(words) and _fewer_words(words, 6)):
            return
        if any(q.marks.overlaps(content) for q in sentence.quotes):
            return  # the quotation is the claim (its stance: the same cue)
        if any(c.span.overlaps(content) for c in self.claims[-6:]):
            return
        found = self._speaker_of_verb(sentence, verb, sentence.span.start)
        if found is None or found.speaker is None:
            return
        found.frame.append(Span(verb.end(), content.start))
        outlet = found.outlet
        tail = self._report_tail(sentence.span, content.end)
        if tail is not None:
            reporter, tail_span = tail
            found.frame.append(tail_span)
            if _speaker_is_outlet(self, reporter) and reporter.key != found.speaker.key:
                outlet = outlet or _as_outlet(reporter)
        self._add_indirect(sentence, content, found, outlet, rule, context)

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
                # "told FBI agents that …": the whole recipient, up to its "that", first
                recipient = self._recipient_then_that(rest) or _RECIPIENT.match(rest)
                if recipient:
                    start += recipient.end()
                    rest = masked[start : span.end]
                    if _DIRECTIVE.match(rest):
                        return None  # "warned Israel not to attack": a request, no statement
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
                if not that and (
                    _NOT_A_CLAUSE.match(rest)
                    or (first in _WRITING_VERBS and _WRITTEN_THING.match(rest))
                    or (first in _KEEPING_VERBS and _KEPT_THING.match(rest))
                ):
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

    def _recipient_then_that(self, rest: str) -> re.Match[str] | None:
        """ "told a town hall in Salem that …", "told supporters at a rally that …": whoever the
        verb was addressed to, up to the "that" of its clause (a phrase with no verb of its own)."""
        if "that" not in rest:
            return None
        found = _RECIPIENT_THAT.match(rest)
        if found is None or _VERB.search(found.group()) or not _fewer_words(found.group(), 10):
            return None
        return found

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
        if not _fewer_words(words, 13 if _PREPOSITIONAL.match(words) else 9):
            return None
        for mention in self.dates.find(self.text, adjunct):
            words = (
                words[: mention.span.start - adjunct.start]
                + " " * (mention.span.end - mention.span.start)
                + words[mention.span.end - adjunct.start :]
            )
        words = _DOCUMENT_ADJUNCT.sub(" ", words)
        if any(w.lower() not in _ADJUNCT_WORDS for w in words.split()) and not (
            _PREPOSITIONAL.match(words) and not _VERB.search(words)
        ):
            return None  # (a phrase of a preposition, "in an editorial piece", is an adjunct too)
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
