"""The rules that attribute a quotation: an attribution right after it, or a verb before it.

:class:`QuotationRules` is the part of the :class:`~.attribution.Reader` that tries, for one
quotation, the attribution after it ("…,” said X", "…,” according to X", "…” - X"), then a
reporting verb before it in its sentence, and finds the reporting verbs of a region and the
speaker of a verb.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .casefree import lowercased
from .cues import (
    _ACCORDING_ENDS,
    _ACCORDING_FIRST,
    _ACCORDING_TO,
    _ADJACENT,
    _ADJUNCT_THEN_VERB,
    _CLAUSE_BOUNDARY,
    _CONTROL,
    _COORDINATED,
    _DASH,
    _INTRO,
    _INTRO_STARTS,
    _INVERTED_SUBJECT,
    _NOUN_BEFORE,
    _NP_FIRST,
    _OF_THE,
    _PARENTHETICAL,
    _PASSIVE,
    _PHRASE_END,
    _RELATIVE_BEFORE,
    _THAT_OR_COMMA,
    _TO_RECIPIENT,
    _VERB,
    _VERB_FIRST,
    _VERB_LOWER,
    _WITH_NP,
    _as_outlet,
    _fewer_words,
    _np_like,
    _skip_space,
    _speaker_is_outlet,
)
from .lexicon import (
    OBJECT_TAKING_VERBS,
    ORG_NOUNS,
    PERSON_NOUNS,
    RECIPIENT_VERBS,
    SPEECH_PARTICIPLES,
    SPEECH_VERBS,
    TO_COMPLEMENT_NOUNS,
)
from .model import Claim, Outlet, Span
from .phrases import subject_phrase
from .quotes import Quote
from .segment import _is_abbreviation
from .sequences import sequences
from .speakers import Attribution, Sentence

# a short phrase after a comma, right before the verb (no verb, clause word or quotation in it)
# (after a relative pronoun, its clause's subject: "the candidate, whom he described as …")
_TRAILING_SUBJECT = re.compile(
    r",\s+(?:(?:whom|which|that)\s+)?(?P<np>(?:[\w.'’-]+\s+){0,4}[\w.'’-]+)\s*$"
)
# a name between a reporting verb and its quotation: "explained Rosenberg, “…”", "Said Dorothy
# Poynter, who grew up with him, “…”" (an apposition or a relative clause after the name)
_NAME_THEN_QUOTE = re.compile(
    r"\s+(?P<np>(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*)(?:,[^“”\".;:!?]{1,100})?\s*[,:]\s*"
)
# "was asked by X whether …", "was asked by X, “…”": who asked
_ASKED_BY = re.compile(
    r"\b(?:was|were|been|being|is|are)\s+(?:\w+ly\s+)?asked\s+by\s+(?P<np>[^,;:.!?\"“”]{1,80}?)"
    r"(?=\s*[,;:.!?\"“”]|\s+(?:whether|if|about|what|why|how|when|to|on|during|at|in)\b)"
)
# "… and said", "…, but now said", "…, but went on to say": a verb coordinated with the one before
_COORDINATOR = re.compile(
    r"(?:,\s*|\s)(?:and|but)\s+(?:(?:now|then|later|also|soon|\w+ly)\s+)?"
    r"(?:(?:went|goes|go)\s+on\s+to\s+)?$"
)
# a short parenthesis ending a phrase: "Sen. Elizabeth Warren (D-MA)"
_PARENTHESIS_END = re.compile(r"\s*\([^()]{1,30}\)\s*$")
# "… said after Clinton argued", "… since Trump called it": a conjunction opening a clause whose
# subject is the name after it (these words are prepositions too: "a spokesman for Hamas")
_SUBORDINATOR_BEFORE = re.compile(r"(?<!such )(?<!well )\b(?:after|before|since|until|as|once)\s+$")
# a participle with a subject of its own (an absolute construction): "– Ryan saying he was “…”
# and Trump calling it “…”", "…, Jones adding that …"; the name right before the participle
_ABSOLUTE = re.compile(
    r"(?:^|\s-\s*|[–—]\s*|[,;]\s+(?:and\s+|while\s+)?|[”\"]\s+and\s+|\bwhile\s+)"
    r"(?P<np>(?:[A-Z][\w.’'-]*\s+){0,3}[A-Z][\w.’'-]*)\s+(?:[a-z]+ly\s+)?$"
)
# "“…” regarding her links while Sanders suggests …": a verb after a conjunction is the verb of
# its own clause, not the quotation's (unless a comma closes the clause: "X, after a pause, said")
_SUBORDINATE_CLAUSE = re.compile(
    r"\b(?:while|whereas|because|although|though|when|after|before|since|if|unless|until)\s+[^,]*$"
)
# a name labelling the quotation after it: "Pollsters agree - Carl Bialik: “…”"
_LABEL = re.compile(
    r"(?:^|(?<=\s[-–—])|(?<=^[-–—]))\s*(?P<np>(?:[A-Z][\w.’'-]*\s+){0,4}[A-Z][\w.’'-]*)\s*:\s*$"
)
# a clause's subject, an apposition set off by commas, and the verb: "Mary Susan, clad in …, said"
_APPOSITION = re.compile(r"(?P<np>[^,;:“”\"]{1,120}?)\s*,\s*[^,;:“”\"]{1,120},\s*")
# a noun phrase opening with a determiner and a common noun: a description, whatever names it
# holds ("The head of the super PAC backing Jeb Bush")
_DESCRIPTION_OPENS = re.compile(r"(?i:the|an?|her|his|their|its)\s+[a-z]")
_ADVERB_GAP = re.compile(r"\s*(?:\w+ly\s+|also\s+|then\s+|later\s+)?")
_LAST_WORD = re.compile(r"(\w+)\s*$")
# whom an adviser advises: a name or a title ("to Trump", "to both Clintons", "to the governor")
_TO_WHOM = re.compile(
    r"\s*to\s+(?:(?:the|both)\s+)?(?:[A-Z]|(?:president|governor|mayor|senator|minister|prime)\b)"
)
# "states" as a reporting verb: "the report states that …", "states the report: …"
_STATES_AS_VERB = re.compile(r"\s*(?::|\s(?:that|the)\b)")
# a participle between a word of a noun phrase and its noun: "a creative writing professor"
_MODIFIER_BEFORE = re.compile(r"(?<![,;:])\s[a-z]+\s+$")
_NOUN_AFTER = re.compile(r"\s+([a-z]+)\b")
_NOT_NOUN_PHRASE = frozenset(
    ["after", "before", "by", "while", "when", "without", "and", "or", "but", "then"]
)
# what follows a plural noun, not a verb: "Republican claims of breakthroughs", "reports about"
_NOUN_AFTER_PLURAL = re.compile(r"\s+(?:of|about|against|were|are|have|had|by|from)\b")
_THAT_AFTER = re.compile(r"\s+that\b")
_POSSESSIVE_BEFORE = re.compile(r"\w['’]s?\s+$")  # "Trump’s remarks", "the officials' claims"
_CAPITALISED_BEFORE = re.compile(r"[A-Z][\w.’'-]*\s+$")
_LOWERCASE_AFTER = re.compile(r"\s+[a-z]")


def _modifies_a_noun(masked: str, verb: re.Match[str], first: str) -> bool:
    """ "a creative writing professor": a participle between a word of a noun phrase and the
    person or body it describes, not a reporting verb ("…, saying officials lied" is one)."""
    if first not in SPEECH_PARTICIPLES:
        return False
    noun = _NOUN_AFTER.match(masked, verb.end())
    if noun is None or (noun.group(1) not in PERSON_NOUNS and noun.group(1) not in ORG_NOUNS):
        return False
    before = _MODIFIER_BEFORE.search(masked, max(0, verb.start() - 30), verb.start())
    return before is not None and before.group().split()[0] not in _NOT_NOUN_PHRASE


def _ends_a_name(masked: str, verb: re.Match[str]) -> bool:
    """ "the United States should": a capitalised word ending a name, not a reporting verb (in a
    title-case line, "Clinton Says “…”", the word after it is no lowercase word)."""
    start = verb.start()
    return (
        masked[start].isupper()
        and _CAPITALISED_BEFORE.search(masked, max(0, start - 30), start) is not None
        and _LOWERCASE_AFTER.match(masked, verb.end()) is not None
    )


class QuotationRules:
    """Rules 1 and 2 of :mod:`.attribution` (a mixin of :class:`~.attribution.Reader`)."""

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
        labelled = self._labelled(sentence, quote)
        if labelled is not None:
            return labelled
        closing = self._according_at_end(sentence, quote)
        if closing is not None:
            return closing
        if previous is not None:
            return Attribution(previous.speaker, "same-sentence", 0.85, inherit=previous)
        return self._context(sentence, quote)

    def _labelled(self, sentence: Sentence, quote: Quote) -> Attribution | None:
        """ "Pollsters agree - Carl Bialik: “…”": a name and a colon right before the quotation,
        opening the sentence or after a dash, label whose words it is."""
        found = self._named_before(sentence, _LABEL, quote.marks.start)
        if found is None:
            return None
        np, resolved = found
        return resolved.settled("labelled", 0.8, np.start, Span(np.start, quote.marks.start))

    def _according_at_end(self, sentence: Sentence, quote: Quote) -> Attribution | None:
        """ "In Ohio the plan would leave “…” by 2030, according to Jane Smith.": the quotation
        inside a sentence is the words of whom the attribution closing it names."""
        start = quote.marks.end
        found = _ACCORDING_ENDS.search(self.masked, start, sentence.span.end)
        if found is None:
            return None
        np = Span(found.start("np"), found.end("np"))
        resolved = self._resolve(np, sentence)
        if resolved is None or resolved.speaker is None or resolved.speaker.unnamed:
            return None
        return resolved.settled("according-to", 0.85, found.start("verb"), Span(start, np.end))

    def _named_before(
        self, sentence: Sentence, pattern: re.Pattern[str], end: int
    ) -> tuple[Span, Attribution] | None:
        """Whom ``pattern``'s ``np`` group names in the sentence's words before ``end``, when it
        names someone: the group's span and what it resolves to."""
        base = sentence.span.start
        found = pattern.search(self.masked[base:end])
        if found is None:
            return None
        np = Span(base + found.start("np"), base + found.end("np"))
        resolved = self._resolve(np, sentence)
        if resolved is None or resolved.speaker is None or resolved.speaker.unnamed:
            return None
        return np, resolved

    def _after(self, sentence: Sentence, quote: Quote, upper: int) -> Attribution | None:
        """ "…,” said X" / "…,” X said" / "…,” according to X" / "…” - X"."""
        masked = self.masked
        start = quote.marks.end
        tail = masked[start:upper]
        verb_first = _VERB_FIRST.match(tail)
        if verb_first and verb_first["verb"].lower() in SPEECH_PARTICIPLES:
            verb_first = None  # "“…,” adding that the person …": no subject after a participle
        adjunct = _ADJUNCT_THEN_VERB.match(tail) if verb_first is None else None
        if adjunct is not None and not _VERB.search(adjunct["gap"]):
            start += adjunct.end()  # the adjunct is the quotation's, the verb after it too
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
        if (
            np_first
            and np_first["verb"].lower() in SPEECH_VERBS
            and _np_like(np_first["np"])
            and not _SUBORDINATE_CLAUSE.search(np_first["np"])
        ):
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
            if match.group().strip() == "to" and self._to_complement(phrase, match.start()):
                continue  # "said a longtime adviser to Trump": the adviser's, not an addressee
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

    @staticmethod
    def _to_complement(phrase: str, at: int) -> bool:
        """Whether the "to" at ``at`` in ``phrase`` completes the noun before it."""
        noun = _LAST_WORD.search(phrase, 0, at)
        return (
            noun is not None
            and noun.group(1).lower() in TO_COMPLEMENT_NOUNS
            and _TO_WHOM.match(phrase, at) is not None
        )

    def _before(self, sentence: Sentence, quote: Quote, lower: int) -> Attribution | None:
        """A reporting verb before the quotation in its sentence, and the speaker it has."""
        masked = self.masked
        region = Span(lower, quote.marks.start)
        asked = self._asked_by(sentence, quote, lower)
        if asked is not None:
            return asked
        verbs = list(self._verbs(region))
        if not verbs:
            verbs = list(self._verbs(Span(sentence.span.start, quote.marks.start)))
            if not verbs:
                return None
            # "X stated that the “divisive” and “mean-spirited” …": the verb stands before the
            # quotation before this one, so its subject is looked for from the sentence's start
            lower = sentence.span.start
        verb = verbs[-1]
        if len(verbs) > 1 and verb.group().lower().startswith("in "):
            verb = verbs[-2]  # "X told the Post in a statement, “…”": the verb, not its adjunct
        adjacent = _ADJACENT.fullmatch(
            masked[verb.end() : quote.marks.start]
        ) is not None and _fewer_words(masked[verb.end() : quote.marks.start], 7)
        inverted = _NAME_THEN_QUOTE.fullmatch(masked, verb.end(), quote.marks.start)
        found = None
        word = verb.group().lower()
        if inverted and word not in OBJECT_TAKING_VERBS | SPEECH_PARTICIPLES:
            # "…, explained Rosenberg, “…”", "Stated Stone: “…”": the name after the verb
            np = Span(inverted.start("np"), inverted.end("np"))
            found = self._resolve(np, sentence)
            if found is not None and found.speaker is not None:
                found.frame = [Span(verb.start(), np.end)]
                found.verb = verb.start()
            else:
                found = None
        if found is None:
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

    def _asked_by(self, sentence: Sentence, quote: Quote, lower: int) -> Attribution | None:
        """ "Rubio was asked by moderator Gerard Baker whether …", with no reporting verb after
        it: the one asking speaks (a passive verb is no reporting verb of its subject's)."""
        start = max(sentence.span.start, lower)
        asked = next(
            reversed(list(_ASKED_BY.finditer(self.masked, start, quote.marks.start))), None
        )
        if asked is None or self._verbs(Span(asked.end(), quote.marks.start)):
            return None
        np = Span(asked.start("np"), asked.end("np"))
        found = self._resolve(np, sentence)
        if found is None or found.speaker is None:
            return None
        found.frame, found.verb = [Span(asked.start(), np.end)], asked.start()
        found.rule, found.confidence = "verb-before", 0.75
        return found

    def reporting_verbs(self, region: Span) -> tuple[re.Match[str], ...]:
        """The reporting verbs in ``region`` ("said", "told", "saying", "according to", …)."""
        return self._verbs(region)

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
            if _ends_a_name(masked, match) or _modifies_a_noun(masked, match, first):
                continue
            if first == "states" and not _STATES_AS_VERB.match(masked, match.end()):
                continue  # "a dozen states held contests": the noun, far more often than not
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
                "remarks",
            } and (
                _NOUN_BEFORE.search(before)
                # ("Trump’s claims that …" are still Trump's: the possessor's words follow)
                or (
                    _POSSESSIVE_BEFORE.search(before) and not _THAT_AFTER.match(masked, match.end())
                )
                or _NOUN_AFTER_PLURAL.match(masked, match.end())
            ):
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
        first = word.split()[0]
        if first in SPEECH_PARTICIPLES and _WITH_NP.search(region_text):
            return self._with_subject(sentence, verb, start)  # "with X saying": X's or nobody's
        absolute = self._absolute_subject(sentence, verb) if first in SPEECH_PARTICIPLES else None
        if absolute is not None:
            return absolute
        shared = None if first in SPEECH_PARTICIPLES else self._shared_subject(sentence, position)
        if shared is not None:
            return shared
        if first in SPEECH_PARTICIPLES or _COORDINATED.search(region_text):
            # "…, saying": the subject of the clause, or of the verb before it (a participle
            # with a subject of its own: "with Trump tweeting that …, and asking")
            end = start if first in SPEECH_PARTICIPLES else position
            found = self._speaker_of_earlier_verb(sentence, Span(sentence.span.start, end))
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
        apposed = self._before_apposition(sentence, verb)
        if apposed is not None:
            return apposed
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
        resolved = None
        # "…as soon as prayers were finished, Nefzi said", "Surveying …, Williamson concludes":
        # the phrase after the last comma is the verb's subject, not the clause before it
        trailing = _TRAILING_SUBJECT.search(masked, np.start, np.end)
        if trailing is not None and trailing.start("np") > np.start:
            resolved = self._resolve(Span(trailing.start("np"), np.end), sentence)
            if resolved is not None and resolved.speaker is None:
                resolved = None
        if resolved is None:
            resolved = self._adjacent_name(np, sentence)
        if resolved is None:
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

    def _with_subject(
        self, sentence: Sentence, verb: re.Match[str], start: int
    ) -> Attribution | None:
        """ "…, with X saying …": X, the participle's subject (its clause starting at ``start``)."""
        with_np = _WITH_NP.search(self.masked, start, verb.start())
        if with_np is None:
            return None
        np = Span(with_np.start("np"), verb.start())
        resolved = self._resolve(np, sentence)
        if resolved is not None:
            resolved.frame = [Span(np.start, verb.end())]
            resolved.verb = verb.start()
        return resolved

    def _absolute_subject(self, sentence: Sentence, verb: re.Match[str]) -> Attribution | None:
        """ "– Ryan saying he was “…” and Trump calling it “…”": a participle with a subject of
        its own right before it (an absolute construction, :data:`_ABSOLUTE`) reports that
        subject's words, not its clause's subject's."""
        found = self._named_before(sentence, _ABSOLUTE, verb.start())
        if found is None:
            return None
        np, resolved = found
        resolved.frame = [Span(np.start, verb.end())]
        resolved.verb = verb.start()
        return resolved

    def _speaker_of_earlier_verb(self, sentence: Sentence, region: Span) -> Attribution | None:
        """The speaker of the last reporting verb in ``region`` that has a subject: a finite verb,
        or a participle with one of its own ("with Trump tweeting that …, and asking"); a
        participle reporting its clause subject's words ("…, saying") is passed over."""
        for verb in reversed(self._verbs(region)):
            if verb.group().lower().split()[0] not in SPEECH_PARTICIPLES:
                return self._speaker_of_verb(sentence, verb, sentence.span.start)
            start = self._clause_start(sentence, verb.start(), sentence.span.start)
            own = self._with_subject(sentence, verb, start) or self._absolute_subject(
                sentence, verb
            )
            if own is not None and own.speaker is not None:
                return own
        return None

    def _shared_subject(self, sentence: Sentence, position: int) -> Attribution | None:
        """ "Bush thought for a moment and said …", "Massie backed Rand Paul, but now said …",
        "Trump joked that …, but went on to say …": a verb with no subject of its own after
        "and"/"but" shares the subject of the clause it is coordinated with (the last part of
        the sentence before it set off by commas), or of that clause's reporting verb."""
        masked = self.masked
        coordinator = _COORDINATOR.search(masked, sentence.span.start, position)
        if coordinator is None:
            return None
        intro = self._intro(sentence)
        start = intro[0].end if intro else sentence.span.start
        start = max(start, masked.rfind(",", start, coordinator.start()) + 1)
        if start >= coordinator.start():
            return None
        verbs = self._verbs(Span(start, coordinator.start()))
        if verbs:  # "Trump joked that …, but went on to say": the reporting verb's subject
            return self._speaker_of_verb(sentence, verbs[-1], sentence.span.start)
        phrase = subject_phrase(masked, _skip_space(masked, Span(start, coordinator.start())))
        if phrase.end <= phrase.start or phrase.end >= coordinator.start():
            return None  # no verb of its own before the coordinator: no clause to share
        resolved = self._resolve(phrase, sentence)
        if resolved is None or resolved.speaker is None:
            return None
        resolved.frame = [Span(phrase.start, position)]
        resolved.verb = position
        return resolved

    def _before_apposition(self, sentence: Sentence, verb: re.Match[str]) -> Attribution | None:
        """ "Mary Susan, clad in a cape that spelt out Trump, said": the subject opens the clause
        and an apposition set off by commas stands between it and the verb; a name inside the
        apposition speaks only for a subject that is a description ("Her campaign manager, Robby
        Mook, said"), and none does when a name follows the verb ("…, said Smith, a farmer")."""
        masked = self.masked
        intro = self._intro(sentence)
        start = _skip_space(
            masked, Span(intro[0].end if intro else sentence.span.start, verb.start())
        ).start
        found = _APPOSITION.fullmatch(masked, start, verb.start())
        if found is None or _INVERTED_SUBJECT.match(masked, verb.end(), sentence.span.end):
            return None
        np = Span(found.start("np"), found.end("np"))
        resolved = self._resolve(np, sentence)
        if resolved is not None and resolved.speaker is not None and resolved.speaker.unnamed:
            # "Her campaign manager, Robby Mook, said": the apposition names the one described
            resolved = self._resolve(Span(np.start, found.end()), sentence)
        elif (
            resolved is not None
            and _DESCRIPTION_OPENS.match(masked, np.start)
            and masked[np.end : found.end()].lstrip(" ,")[:1].isupper()
        ):
            # "The head of the super PAC backing Jeb Bush, Mike Murphy, said": a description
            # holding a name, then the name of the one it describes
            apposed = self._resolve(Span(np.end, found.end()), sentence)
            if apposed is not None and apposed.speaker is not None and not apposed.speaker.unnamed:
                resolved = apposed
        if resolved is None or resolved.speaker is None:
            return None
        resolved.frame = [Span(np.start, verb.end()), *intro]
        resolved.verb = verb.start()
        return resolved

    def _adjacent_name(self, np: Span, sentence: Sentence) -> Attribution | None:
        """The name right before the verb ("… what Sroka called", "… Rubio also said"), when it
        is the verb's subject: no preposition before it ("a spokesman for Hamas said"), no
        possessive, and it names someone; a parenthesis after the name is passed over ("Sen.
        Elizabeth Warren (D-MA) said")."""
        party = _PARENTHESIS_END.search(self.masked, np.start, np.end)
        if party is not None:
            np = Span(np.start, party.start())
        seqs = sequences(self.text, np, [q.content for q in sentence.quotes])
        if not seqs:
            return None
        last = seqs[-1]
        gap = self.masked[last.span.end : np.end]
        after_preposition = last.after_preposition and not _SUBORDINATOR_BEFORE.search(
            self.masked, max(0, last.span.start - 12), last.span.start
        )
        if after_preposition or last.possessive or not _ADVERB_GAP.fullmatch(gap):
            return None
        if len(seqs) > 1 and not self.masked[seqs[-2].span.end : last.span.start].strip(" ,"):
            return None  # part of a longer run of names ("Israel’s ambassador Danny Danon")
        resolved = self._resolve(last.span, sentence)
        if resolved is None or resolved.speaker is None:
            return None
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
