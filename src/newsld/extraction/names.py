"""Names: capitalised name sequences, registry aliases and within-article coreference.

Within an article "Danon" after "Danny Danon" is the same person, "the Foreign Ministry" after
"Israel's Foreign Ministry" the same ministry, and "KCNA" after "Korean Central News Agency
(KCNA)" the same agency. Across the corpus the entity registry unifies aliases: a name the
registry knows resolves to its registry id; any other keeps the fullest form the article uses, so
the build can mint a stable IRI from it. Countries that speak are their governments.

Names are read in three steps, one module each: :mod:`.sequences` (the words that can be a
name, capitalised name sequences and person runs), :mod:`.phrases` (a subject phrase cut into
its segments, head and description) and this module (:class:`Names`: the article's mentions
indexed and a phrase resolved to a speaker or an outlet).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from newsld.corpus.reader import Registry, RegistryEntity

from .lexicon import (
    AFFILIATIONS,
    COUNTRIES,
    DOCUMENT_NOUNS,
    ORG_KEYWORDS,
    ORG_NOUNS,
    OUTLET_KEYWORDS,
    PERSON_NOUNS,
    PRONOUNS,
    STATE_ABBREVIATIONS,
    TITLE_MODIFIERS,
    TITLES,
    word_gender,
)
from .model import Outlet, Span, Speaker, SpeakerKind, normalise_name
from .phrases import _description, _head, _is_intro, _segments, without_adverbs
from .sequences import _PORTFOLIOS, Sequence, is_acronym, person_run, sequences

_AGENT_TYPES = {
    "Person": SpeakerKind.PERSON,
    "Organization": SpeakerKind.ORGANIZATION,
    "GovernmentOrganization": SpeakerKind.ORGANIZATION,
    "NewsMediaOrganization": SpeakerKind.ORGANIZATION,
}


_VERBISH = frozenset(
    [
        "has",
        "have",
        "had",
        "was",
        "were",
        "is",
        "are",
        "will",
        "would",
        "did",
        "does",
        "can",
        "could",
        "may",
        "might",
        "must",
        "should",
        "also",
        "later",
        "then",
        "said",
        "says",
        "told",
        "added",
    ]
)


# what opens a clause, not a noun phrase naming someone: a subject pronoun ("they wanted a
# nominee …"), a conjunction ("no matter how many people …") or a participle ("echoing some
# commentators …"); and an auxiliary or a modal inside one ("This is a man", "the rule will help
# voters"; not in a relative clause: "people who have seen him")
_CLAUSE_START = re.compile(
    # (the pronoun "I", not an initial: "I.R.S. officials"; a participle in lower case: not
    # "King's aide")
    r"(?i:i(?!\.)|we|they|he|she|you|it|whether|unless|no\s+matter)\b|[a-z]+ing\b"
)
_FINITE = re.compile(
    r"\s(?:is|are|was|were|has|have|had|will|would|can|could|should|must|does|did)\s"
)
_RELATIVE_CLAUSE = re.compile(r"\s(?:who|whom|whose|which|that)\s")  # its verbs are its own
_ABBREVIATION = re.compile(r"\s*\(([A-Z][A-Za-z0-9&]{1,7})\)")
_IN_OF = re.compile(r"\s+(?:in|of)\s+")
# one word joining capitalised names: a ticket, a match-up ("Johnson-Weld", "Trump-Clinton")
_COMPOUND = re.compile(r"[A-Z][\w’'.]+(?:-[A-Z][\w’'.]+)+")
_DEFINITE = re.compile(r"(?:the|this|that|these|those)\s")
# a determiner before a party's or a people's word: "a New Hampshire Republican", "the Texan"
_AFFILIATED = re.compile(r"(?i:the|an?|one|another)\s")
_AFFILIATION_HEADS = frozenset(word.lower() for word in AFFILIATIONS)
# a party's member: a word no surname is ("Mark Cuban", "Bryan English" are names)
_PARTY_MEMBERS = frozenset(["Republican", "Democrat", "Libertarian"])
_FOLLOWING_WORD = re.compile(r"\s+([a-z][\w-]*)")
_ISSUER_GAP = re.compile(r"[’'s\s]*(?:[a-z]+\s+){0,2}")
_BY = re.compile(r"\b(?:by|from|of|in)\s+(.+)$")
_SEEN_BY = re.compile(r"\bseen\s+by\b")
_OUTLET_FOLLOWS = re.compile(
    r"\s+(?:television|TV|newspaper|daily|radio|news agency|channel|website)\b"
)


@dataclass
class Mention:
    span: Span
    words: tuple[str, ...]  # normalised
    display: str
    kind: SpeakerKind | None
    entity_id: str | None = None


@dataclass
class Resolved:
    """What a phrase names: an agent, a pronoun to resolve, a document to find the issuer of."""

    speaker: Speaker | None = None
    pronoun: str | None = None  # "he", "it", …
    document: str | None = None  # "statement", "report", … (no issuer in the phrase)
    outlet: Outlet | None = None  # an outlet named in the phrase ("told the Journal")
    rank: int = 99


# a capitalised participle (or adverb) and the word starting its complement: "Preceded at the
# lectern by", "Acknowledging that …", "Written by", "Shortly after"
_PARTICIPLE_CLAUSE = re.compile(
    r"(?:[A-Z][a-z]+(?:ed|ing)|Shortly|Immediately|Written|Born|Known|Seen|Given|Taken|Chosen|"
    r"Driven|Held|Made|Built|Left|Led)\s+(?:[“\"‘]|(?:at|by|in|on|with|that|the|a|an|to|from|for|"
    r"his|her|their|its|as|about|into|after|before|over|under|through)\b)"
)
_LOWERCASE_WORD = re.compile(r"(?<![\w'’-])[a-z][a-z'’-]*[a-z]\b")

# the word after a comma ("Aspen, Colo.", "Concord, N.H."), its full stop left out
_STATE_AFTER = re.compile(r",\s*([A-Z][\w.]*?)\.?(?=[\s,;)]|$)")


def _no_name(text: str, seq: Sequence) -> bool:
    """Whether capitalised words are no name, whatever their capitals: a state's abbreviation or
    the town before one ("Aspen, Colo.", "Concord, N.H."), a participle opening a clause
    ("Preceded at the lectern by …", "Written “…”")."""
    span = seq.span
    if len(seq.tokens) == 1 and _PARTICIPLE_CLAUSE.match(text, span.start):
        return True
    if text[span.start : span.end] in STATE_ABBREVIATIONS:
        return True
    after = _STATE_AFTER.match(text, span.end)
    return after is not None and (
        after.group(1) in STATE_ABBREVIATIONS or after.group(1) + "." in STATE_ABBREVIATIONS
    )


@dataclass
class Names:
    """The names of one article, indexed as the article is read from top to bottom."""

    text: str
    registry: Registry
    mentions: list[Mention] = field(default_factory=list)
    by_word: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    abbreviations: dict[str, Mention] = field(default_factory=dict)
    reports: list[tuple[int, Speaker]] = field(default_factory=list)  # outlets that reported
    # registry look-ups of this article: the first of each goes to the registry (which may note
    # it), repeats are answered here; never shared between articles
    found: dict[str, str | None] = field(default_factory=dict)
    # the mentions of people with a first name and a surname, by the surname's first letter
    surnames: dict[str, list[Mention]] = field(default_factory=lambda: defaultdict(list))
    # answers of person_run (a function of the words and the registry) in this article
    runs: dict[tuple[str, ...], list[int] | None] = field(default_factory=dict)
    lowercase_words: frozenset[str] | None = None  # the words the article writes in lower case
    # answers of coreferent since the last mention was indexed (they depend on the mentions)
    coreferents: dict[
        tuple[tuple[str, ...], int, SpeakerKind | None, str | None], Mention | None
    ] = field(default_factory=dict)

    # -- registry --------------------------------------------------------------------------
    @property
    def entities(self) -> Mapping[str, RegistryEntity]:
        return self.registry.entities

    def lookup(self, phrase: str) -> str | None:
        if phrase in self.found:
            return self.found[phrase]
        result = self.registry.lookup(phrase) if phrase.strip() else None
        self.found[phrase] = result
        return result

    def registry_speaker(self, entity_id: str, span: Span | None) -> Speaker | None:
        entity = self.registry.entities[entity_id]
        if entity.type in _AGENT_TYPES:
            return Speaker(entity.name, _AGENT_TYPES[entity.type], entity_id, False, span)
        if entity.type == "Country":
            return self.government(entity.name, span)
        return None

    def government(self, country: str, span: Span | None) -> Speaker:
        """A country as speaker is its government: the registry's, or one named after it."""
        for form in (
            f"Government of {country}",
            f"{country}'s government",
            f"{country} government",
        ):
            found = self.lookup(form)
            if found is not None and self.registry.entities[found].type in _AGENT_TYPES:
                entity = self.registry.entities[found]
                return Speaker(entity.name, SpeakerKind.ORGANIZATION, found, False, span)
        return Speaker(f"Government of {country}", SpeakerKind.ORGANIZATION, None, False, span)

    # -- indexing --------------------------------------------------------------------------
    def index(self, span: Span, skip: list[Span]) -> None:
        """Record the name mentions of a sentence (called in reading order)."""
        seqs = sequences(self.text, span, skip)
        for i, seq in enumerate(seqs):
            mention = self._mention(
                seq, seqs[i - 1] if i else None, seqs[i + 1] if i + 1 < len(seqs) else None
            )
            if mention is None:
                continue
            position = len(self.mentions)
            self.mentions.append(mention)
            if mention.kind is SpeakerKind.PERSON and len(mention.words) >= 2:
                self.surnames[mention.words[-1][0]].append(mention)
            for word in set(mention.words):
                self.by_word[word].append(position)
            # "Korean Central News Agency (KCNA)"
            after = self.text[seq.span.end : seq.span.end + 12]
            abbreviation = _ABBREVIATION.match(after)
            if abbreviation and len(seq.tokens) > 1:
                self.abbreviations[abbreviation.group(1).lower()] = mention
            self.coreferents.clear()

    def _mention(
        self, seq: Sequence, before: Sequence | None, after: Sequence | None
    ) -> Mention | None:
        text = self.text
        phrase = text[seq.span.start : seq.span.end]
        candidates = [phrase]
        if before is not None and before.possessive and before.span.end + 4 >= seq.span.start:
            candidates.insert(0, text[before.span.start : seq.span.end])
        if after is not None and _IN_OF.fullmatch(text[seq.span.end : after.span.start]):
            candidates.insert(0, text[seq.span.start : after.span.end])
        for candidate in candidates:
            found = self.lookup(candidate)
            if found is not None:
                entity = self.registry.entities[found]
                kind = _AGENT_TYPES.get(entity.type)
                return Mention(
                    seq.span, tuple(normalise_name(phrase).split()), entity.name, kind, found
                )
        run = self.person_run(seq.words)
        if run is not None and len(run) >= 2:
            words = [seq.words[i] for i in run]
            name = " ".join(words)
            found = self.lookup(name)
            if found is not None:
                entity = self.registry.entities[found]
                return Mention(
                    seq.span,
                    tuple(normalise_name(name).split()),
                    entity.name,
                    _AGENT_TYPES.get(entity.type),
                    found,
                )
            return Mention(
                Span(seq.tokens[run[0]].start, seq.tokens[run[-1]].end),
                tuple(normalise_name(name).split()),
                name,
                SpeakerKind.PERSON,
            )
        if run is not None and len(run) == 1:
            surname = seq.words[run[0]]
            words = tuple(normalise_name(surname).split())
            span = Span(seq.tokens[run[0]].start, seq.tokens[run[0]].end)
            gender = word_gender(seq.words[run[0] - 1]) if run[0] else None  # "Mrs. Clinton"
            earlier = self.coreferent([surname], seq.span.start, gender=gender)
            if earlier is not None:
                return Mention(span, words, earlier.display, earlier.kind, earlier.entity_id)
            titled = run[0] > 0
            if titled or seq.possessive:
                return Mention(span, words, surname, SpeakerKind.PERSON if titled else None)
        if _no_name(text, seq):
            return None
        if phrase in AFFILIATIONS:
            following = _FOLLOWING_WORD.match(text, seq.span.end)
            if following and following.group(1) not in _VERBISH:
                return None  # "Republican presidential nominee", "Islamist militants": a modifier
        return Mention(
            seq.span, tuple(normalise_name(phrase).split()), phrase, _guess_kind(seq.words)
        )

    def person_run(self, words: list[str]) -> list[int] | None:
        """:func:`person_run` with this article's registry look-ups, memoised."""
        key = tuple(words)
        if key in self.runs:
            run = self.runs[key]
        else:
            run = person_run(words, self)
            if run is None and self._titled_surname(words):
                head = person_run(words[:-1], self)
                if head is not None and head[-1] == len(words) - 2:
                    run = [*head, len(words) - 1]  # "Rep. Steve King", "Amy Pope"
            if run is not None and len(run) >= 3 and self._description_word(words[run[0]]):
                run = run[1:]  # "Rival Hillary Clinton said": a description opening a sentence
            elif (
                run is not None
                and (
                    (len(run) >= 3 and words[run[0]] in AFFILIATIONS)
                    # "Republicans Jolly, DeSantis and …": a plural is nobody's first name
                    or (len(run) >= 2 and words[run[0]][:-1] in AFFILIATIONS)
                )
                and _guess_kind([words[i] for i in run]) is None
            ):
                run = run[1:]  # "Republican Donald Trump", "Democrat Hillary Clinton"
            if run is not None and words[run[-1]] in _PARTY_MEMBERS:
                run = None  # "a New Hampshire Republican": a description, nobody's name
            self.runs[key] = run
        return None if run is None else list(run)

    def _titled_surname(self, words: list[str]) -> bool:
        """Whether a title ending a sequence is a surname ("Steve King", "Amy Pope"): after a
        word that can only be a first name, not one the article also writes in lower case
        ("Majority Leader", "Assistant Secretary", "Police Chief") nor a title or a body."""
        if len(words) < 2 or words[-1] not in TITLES:
            return False
        first = words[-2]
        return (
            first.isalpha()
            and first[0].isupper()
            and not is_acronym(first)
            and first not in TITLES
            and first not in ORG_KEYWORDS
            and first not in OUTLET_KEYWORDS
            and first not in _PORTFOLIOS
            and first not in TITLE_MODIFIERS
            and not self._in_lowercase(first)
        )

    def _in_lowercase(self, word: str) -> bool:
        """Whether the article also writes ``word`` as a lowercase word."""
        if self.lowercase_words is None:
            self.lowercase_words = frozenset(_LOWERCASE_WORD.findall(self.text))
        return word.lower() in self.lowercase_words

    def _description_word(self, word: str) -> bool:
        """Whether the article writes ``word`` in lower case ("rival", "reporter") and never
        capitalises it inside a sentence ("the Democratic National Convention")."""
        if not self._in_lowercase(word):
            return False
        inside = re.compile(r"[a-z,;]\s+" + re.escape(word) + r"\b")
        return inside.search(self.text) is None

    # -- coreference -----------------------------------------------------------------------
    def coreferent(
        self,
        words: list[str],
        before: int,
        kind: SpeakerKind | None = None,
        gender: str | None = None,
    ) -> Mention | None:
        """The nearest earlier mention whose words contain ``words`` contiguously, not of the
        other ``gender`` when a title gives one ("Mrs. Clinton"), memoised until the next
        mention is indexed (several rules ask about the same words)."""
        key = (tuple(words), before, kind, gender)
        if key in self.coreferents:
            return self.coreferents[key]
        found = self.coreferents[key] = self._coreferent(words, before, kind, gender)
        return found

    def _coreferent(
        self, words: list[str], before: int, kind: SpeakerKind | None, gender: str | None
    ) -> Mention | None:
        wanted = tuple(normalise_name(" ".join(words)).split())
        if not wanted:
            return None
        if len(wanted) == 1 and wanted[0] in self.abbreviations:
            return self.abbreviations[wanted[0]]
        best: Mention | None = None
        for position in reversed(self.by_word.get(wanted[-1], [])):
            mention = self.mentions[position]
            if mention.span.start >= before:
                continue
            if kind is not None and mention.kind not in (kind, None):
                continue
            if gender is not None and _gender(mention) not in (gender, None):
                continue
            if len(wanted) < len(mention.words) and _COMPOUND.fullmatch(mention.display):
                continue  # "the Johnson-Weld ticket" is not Johnson's fuller name
            fuller = len(normalise_name(mention.display).split()) > len(wanted)
            if _contains(mention.words, wanted) and (
                fuller or mention.entity_id or len(mention.words) > len(wanted)
            ):
                best = mention
                break
        if best is not None and len(wanted) == 1 and kind in (None, SpeakerKind.PERSON):
            # "Clinton" after "Hillary Clinton" and "Bill Clinton": the one the article names
            # most; after "Donald Trump" and "Trump Tower": the person
            best = self._principal(wanted[0], before, best, gender) or best
        if best is not None:
            return best
        if len(wanted) == 1 and len(wanted[0]) >= 5:
            return self._fuzzy_surname(wanted[0], before)
        return None

    def _principal(
        self, surname: str, before: int, nearest: Mention, gender: str | None = None
    ) -> Mention | None:
        """The person a surname alone names, when the ``nearest`` earlier mention holding it may
        not be them: of the people named before ``before`` whose name ends in ``surname``, the
        one the article has named most so far (a later mention of them; of two named as often,
        the one named last). None when the nearest is a person and nobody else bears the name.

        A surname alone names the article's principal bearer of it: a relative or a namesake is
        named in full or by the first name ("Bill Clinton said"), and an organisation or a
        building named for someone ("Trump University", "Clinton Foundation") is named whole.
        The nearest mention was taken before, so a quotation after one mention of a wife, a son
        or a company was theirs. Mentions with the same first name are one person ("Donald
        Trump", "Donald J. Trump")."""
        named: dict[tuple[str, str], list[int]] = {}
        for position in self.by_word.get(surname, ()):
            mention = self.mentions[position]
            if mention.span.start >= before:
                break
            words = normalise_name(mention.display).split()
            if (
                mention.kind is not SpeakerKind.PERSON
                or len(words) < 2
                or words[-1] != surname
                or _COMPOUND.fullmatch(mention.display)
                or (gender is not None and _gender(mention) not in (gender, None))
            ):
                continue
            named.setdefault((words[0], words[-1]), []).append(position)
        if len(named) < (2 if nearest.kind is SpeakerKind.PERSON else 1):
            return None
        positions = max(named.values(), key=lambda found: (len(found), found[-1]))
        return self.mentions[positions[-1]]

    def _fuzzy_surname(self, word: str, before: int) -> Mention | None:
        """ "Ms Bauchtman" after "Lydia Buchtmann": a misspelt surname of an earlier person."""
        for mention in reversed(self.surnames.get(word[0], ())):
            if mention.span.start < before and _similar(mention.words[-1], word):
                return mention
        return None

    # -- resolving a speaker phrase ------------------------------------------------------------
    def resolve(self, span: Span, skip: list[Span] | None = None) -> Resolved:
        """Who a phrase before or after a reporting verb names.

        The phrase may hold appositions and parentheses ("Khaled Al-Maeena, editor at large at the
        Saudi Gazette,"); the best-ranked segment wins: a registry entity or a personal name, then
        an organisation, a surname or acronym known from earlier in the article, a pronoun, a
        document ("the statement"), a description ("an Israeli official").
        """
        best = Resolved()
        outlet: Outlet | None = None
        for segment in _segments(self.text, span):
            if _is_intro(self.text, segment):
                outlet = outlet or self.outlet_in(segment)
                continue
            found = self._resolve_segment(segment, skip)
            if found.outlet is not None and outlet is None:
                outlet = found.outlet
            if found.rank < best.rank:
                best = found
        if (
            best.outlet is None
            and outlet is not None
            and (best.speaker is None or best.speaker.entity_id != _entity(outlet))
        ):
            best.outlet = outlet
        return best

    def _resolve_segment(self, segment: Span, skip: list[Span] | None) -> Resolved:
        text = self.text
        phrase = text[segment.start : segment.end].strip()
        lowered = phrase.lower()
        pronoun = without_adverbs(phrase).lower()  # "He then joked"
        if pronoun in PRONOUNS:
            return Resolved(pronoun=pronoun, rank=6)
        found = self.lookup(phrase)
        if found is not None:
            speaker = self.registry_speaker(found, segment)
            if speaker is not None:
                return Resolved(speaker=speaker, rank=1)
        head, head_span = _head(text, segment)
        # a document: "Cornyn's statement", "a statement released by Hezbollah", "the report"
        if head in DOCUMENT_NOUNS and head_span is not None:
            issuer = self._issuer(segment, head_span, skip)
            if issuer is not None:
                return Resolved(speaker=issuer, rank=4)
            if _DEFINITE.match(lowered):
                return Resolved(document=head, rank=7)
            return Resolved(rank=8)
        candidates: list[Resolved] = []
        for seq in sequences(text, segment, skip):
            resolved = self._resolve_sequence(seq, segment)
            if resolved is not None:
                candidates.append(resolved)
        people = [c for c in candidates if c.rank <= 2]
        if people:
            return people[-1]
        # (or capitalised as the phrase's first word: "Critics of the bill said")
        lowercase_head = head_span is not None and (
            text[head_span.start].islower() or head_span.start == segment.start
        )
        if head_span is not None and _AFFILIATED.match(phrase) and head in _AFFILIATION_HEADS:
            # "a New Hampshire Republican", "the Wisconsin Republican": someone described
            speaker = Speaker(_description(text, segment), SpeakerKind.PERSON, None, True, segment)
            return Resolved(speaker=speaker, rank=5)
        if (
            lowercase_head
            and (head in PERSON_NOUNS or head in ORG_NOUNS)
            and not _CLAUSE_START.match(phrase)
            and not _FINITE.search(_RELATIVE_CLAUSE.split(phrase, 1)[0])
        ):
            description = _description(text, segment)
            kind = SpeakerKind.ORGANIZATION if head in ORG_NOUNS else SpeakerKind.PERSON
            return Resolved(speaker=Speaker(description, kind, None, True, segment), rank=5)
        heads = [c for c in candidates if c.rank <= 4]
        if heads:
            return heads[-1]
        return Resolved()

    def _resolve_sequence(self, seq: Sequence, segment: Span) -> Resolved | None:
        """A capitalised sequence as a speaker: registry entity, person, organisation."""
        text = self.text
        words = seq.words
        span = seq.span
        if seq.possessive or _no_name(text, seq):
            return None
        following = _FOLLOWING_WORD.match(text, span.end, segment.end)
        if following and following.group(1) in PERSON_NOUNS:
            return None  # "a Hezbollah fighter", "Israeli officials": a description's modifier
        # registry: the whole sequence, then shorter tails ("UN Danny Danon" → "Danny Danon")
        for i in range(len(words)):
            tail_start = seq.tokens[i].start
            found = self.lookup(text[tail_start : span.end])
            if found is None:
                continue
            speaker = self.registry_speaker(found, Span(tail_start, span.end))
            if speaker is None:
                break
            if seq.after_preposition and i == 0 and speaker.kind is not SpeakerKind.PERSON:
                return None
            if i > 0 and len(words) - i == 1 and speaker.kind is SpeakerKind.ORGANIZATION:
                continue
            return Resolved(speaker=speaker, rank=1)
        run = self.person_run(words)
        if run is not None:
            name_words = [words[i] for i in run]
            name_span = Span(seq.tokens[run[0]].start, seq.tokens[run[-1]].end)
            if len(run) >= 2 and not (seq.after_preposition and run[0] == 0):
                mention = self.coreferent(name_words, span.start, SpeakerKind.PERSON)
                if mention is not None and mention.entity_id:
                    speaker = self.registry_speaker(mention.entity_id, name_span)
                    if speaker is not None:
                        return Resolved(speaker=speaker, rank=2)
                display = " ".join(name_words)
                if mention is not None and len(mention.words) > len(run):
                    display = mention.display
                return Resolved(
                    speaker=Speaker(display, SpeakerKind.PERSON, None, False, name_span), rank=2
                )
            if len(run) == 1 and not seq.after_preposition:
                titled = run[0] > 0 and (
                    words[run[0] - 1] in TITLES or words[run[0] - 1].rstrip(".") in TITLES
                )
                gender = word_gender(words[run[0] - 1]) if run[0] else None
                mention = self.coreferent(name_words, span.start, gender=gender)
                if mention is not None:
                    return Resolved(speaker=self._from_mention(mention, name_span), rank=3)
                if titled:
                    return Resolved(
                        speaker=Speaker(name_words[0], SpeakerKind.PERSON, None, False, name_span),
                        rank=3,
                    )
        if seq.after_preposition:
            return None
        joined = text[span.start : span.end]
        if joined in COUNTRIES:
            return Resolved(speaker=self.government(joined, span), rank=3)
        mention = self.coreferent(words, span.start)
        if mention is not None:
            return Resolved(speaker=self._from_mention(mention, span), rank=3)
        kind = _guess_kind(words)
        if kind is SpeakerKind.ORGANIZATION:
            return Resolved(speaker=Speaker(joined, kind, None, False, span), rank=3)
        following = _FOLLOWING_WORD.match(text, span.end, segment.end)
        if following and following.group(1) not in _VERBISH:
            return None  # "Israeli official": a modifier
        if len(words) == 1 and words[0] not in TITLES and words[0] not in _PORTFOLIOS:
            return Resolved(
                speaker=Speaker(joined, SpeakerKind.ORGANIZATION, None, False, span), rank=4
            )
        return None

    def _from_mention(self, mention: Mention, span: Span) -> Speaker:
        if mention.entity_id:
            speaker = self.registry_speaker(mention.entity_id, span)
            if speaker is not None:
                return speaker
        kind = mention.kind or SpeakerKind.ORGANIZATION
        if mention.display in COUNTRIES:
            return self.government(mention.display, span)
        return Speaker(mention.display, kind, None, False, span)

    def _issuer(self, segment: Span, head: Span, skip: list[Span] | None) -> Speaker | None:
        """Who issued a document: "X's statement", "the X letter", "a statement by X"."""
        text = self.text
        before = Span(segment.start, head.start)
        seqs = sequences(text, before, skip)
        if seqs:
            last = seqs[-1]
            gap = text[last.span.end : head.start]
            if _ISSUER_GAP.fullmatch(gap):
                resolved = self._resolve_sequence(Sequence(last.tokens, False, False), segment)
                if resolved is not None and resolved.speaker is not None:
                    return resolved.speaker
        after = text[head.end : segment.end]
        by = _BY.search(after)
        if by and not _SEEN_BY.search(after):
            start = head.end + by.start(1)
            inner = self._resolve_segment(Span(start, segment.end), skip)
            if inner.speaker is not None:
                return inner.speaker
        return None

    def outlet_in(self, span: Span) -> Outlet | None:
        """A news outlet named in a phrase: "told the Journal", "in remarks to al-Ikhbariya TV"."""
        for seq in sequences(self.text, span):
            outlet = self.as_outlet(seq)
            if outlet is not None:
                return outlet
        return None

    def as_outlet(self, seq: Sequence) -> Outlet | None:
        text = self.text
        phrase = text[seq.span.start : seq.span.end]
        found = self.lookup(phrase) or self.lookup("the " + phrase)
        if found is not None:
            entity = self.registry.entities[found]
            if entity.type == "NewsMediaOrganization":
                return Outlet(entity.name, found, seq.span)
            return None
        mention = self.coreferent(seq.words, seq.span.start)
        if mention is not None and mention.entity_id:
            entity = self.registry.entities[mention.entity_id]
            if entity.type == "NewsMediaOrganization":
                return Outlet(entity.name, mention.entity_id, seq.span)
            return None
        following = text[seq.span.end : seq.span.end + 24]
        if any(w in OUTLET_KEYWORDS for w in seq.words) or _OUTLET_FOLLOWS.match(following):
            return Outlet(phrase, None, seq.span)
        return None


def _gender(mention: Mention) -> str | None:
    """The gender a mention's first name gives ("Hillary Clinton": female), if any."""
    return word_gender(mention.display.split()[0]) if mention.display else None


@functools.lru_cache(maxsize=16384)
def _similar(surname: str, word: str) -> bool:
    return difflib.SequenceMatcher(None, surname, word).ratio() >= 0.8


def _entity(outlet: Outlet) -> str | None:
    return outlet.entity_id


def _contains(haystack: tuple[str, ...], needle: tuple[str, ...]) -> bool:
    n = len(needle)
    return any(haystack[i : i + n] == needle for i in range(len(haystack) - n + 1))


def _guess_kind(words: list[str]) -> SpeakerKind | None:
    if any(w in ORG_KEYWORDS or w in OUTLET_KEYWORDS for w in words):
        return SpeakerKind.ORGANIZATION
    if len(words) == 1 and is_acronym(words[0]):
        return SpeakerKind.ORGANIZATION
    if len(words) == 1 and "." in words[0] and words[0][-1].isalpha():
        return SpeakerKind.ORGANIZATION  # "Secunia.com"
    return None
