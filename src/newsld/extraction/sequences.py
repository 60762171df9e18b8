"""Name sequences: the words that can be or join a name, capitalised runs of them, person runs.

:func:`tokens` splits a span into words (names only, or all); :func:`sequences` groups them into
the capitalised sequences that may name someone (memoised: the same sentence is asked about by
several rules); :func:`person_run` finds where a person's name starts in a run of words.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from newsld.corpus.reader import RegistryEntity

from .lexicon import (
    CONNECTORS,
    COUNTRIES,
    MONTHS,
    NAME_PARTICLES,
    NOT_NAMES,
    ORG_KEYWORDS,
    OUTLET_KEYWORDS,
    PLACES,
    PREPOSITIONS,
    TITLES,
    WEEKDAYS,
    WORD,
    alternation,
)
from .model import Span
from .segment import ABBREVIATIONS

# Portfolios and domains that sit between a title and a name ("Minister of Education X").
_PORTFOLIOS = frozenset(
    [
        "Education",
        "Health",
        "Defense",
        "Defence",
        "Foreign",
        "Affairs",
        "Justice",
        "Interior",
        "Finance",
        "Agriculture",
        "Culture",
        "Energy",
        "Environment",
        "Transport",
        "Labour",
        "Labor",
        "Trade",
        "Commerce",
        "State",
        "Security",
        "Treasury",
        "Economy",
        "Economic",
        "Industry",
        "Tourism",
        "Immigration",
        "Housing",
        "Science",
        "Technology",
        "Communications",
        "Information",
        "Intelligence",
        "Homeland",
        "Public",
        "Works",
        "Welfare",
        "Development",
    ]
)


_PLACE_TYPES = {"Place", "Country", "City"}
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,7}s?$")


_DETERMINERS = frozenset(
    [
        "the",
        "a",
        "an",
        "one",
        "some",
        "several",
        "two",
        "three",
        "many",
        "most",
        "this",
        "that",
        "these",
        "those",
    ]
)


class Token(NamedTuple):
    start: int
    end: int
    text: str  # without a possessive ending or a sentence-final full stop
    possessive: bool = False

    @property
    def capitalised(self) -> bool:
        text = self.text
        if text[:1].isupper():
            # "Hezbollah-linked", "Iran-backed": a modifier, not a name
            return "-" not in text or _MODIFIER.fullmatch(text) is None
        return text[:1] in "aeib" and _PARTICLE_NAME.match(text) is not None


_MODIFIER = re.compile(r"[A-Z][\w]*-(?:[a-z]+-?)+")
_PARTICLE_NAME = re.compile(r"(?:al|el|ad|bin|ibn)-[A-Z]")


# Only a word ending in one of these may lose an ending (a possessive, a full stop, a hyphen).
_TRIMMED_ENDINGS = frozenset("s’'.-")
# The lowercase words that join a name ("Minister of Education", "Osama bin Laden").
JOINERS = NAME_PARTICLES | {"of", "for"}
# The words of WORD, less those that can neither be nor join a name: numbers and lowercase words
# other than a joiner, as written (with an ending to trim: "al-", "de's") or starting a particle
# name ("al-Assad"). Those are passed over inside the pattern (atomic groups and possessive
# quantifiers keep WORD's segmentation: a word passed over is never re-entered), so a match is
# either a candidate word (group ``word``) or the end of the span (no ``word``). (Runs of spaces
# and punctuation come first, being commonest; the joiners grouped by letter are tried faster.)
_NAME_TOKEN = re.compile(
    r"(?>[\W_]++|(?!(?:"
    + alternation(JOINERS)
    + r")(?:[’'.\-]|(?![\w’'\-.&])))[a-z][\w’'\-.&]*+|\d[\w.\-]*+)*+"
    r"(?:(?P<word>[^\W\d_][\w’'\-.&]*+)|\Z)"
)
_WORD_TOKEN = re.compile(f"(?P<word>{WORD.pattern})")  # every word, in the same group
# Words that open a sentence and are never names: an adverb ("Typically", "Realistically",
# "Obviously") or a contraction ("They’re", "We’ve", "I'd").
_NEVER_A_NAME = re.compile(
    r"[A-Z][a-z]{3,}(?:ally|ously|ively|ently|antly)|\w+[’'](?:re|ve|d|ll|m)"
)
# A possessive glued to the next word by a lost space after a name ("Clinton'se-mails",
# "Trump’sremarks"); a short stem keeps its apostrophe ("Ta'seer", "Mu'sab" are transliterated
# names).
_GLUED_POSSESSIVE = re.compile(r"([^\W\d_a-z][^\W\d_]{2,})[’']s(?=[a-z][a-z\-]+$)")


def tokens(text: str, span: Span, names_only: bool = False) -> list[Token]:
    """The words of ``span``; with ``names_only``, only those that can be or join a name.

    The others (numbers, lowercase words that are no joiner) all a name sequence would do with
    is end it, which the text they leave between the tokens on either side also does.
    """
    found = []
    for match in (_NAME_TOKEN if names_only else _WORD_TOKEN).finditer(text, span.start, span.end):
        start, end = match.span(1)
        if start < 0:
            continue  # the end of the span
        word = match.group(1)
        glued = _GLUED_POSSESSIVE.match(word)
        if glued is not None:  # "Clinton'se-mails": a lost space after a possessive
            found.append(Token(start, start + glued.end(1), glued.group(1), True))
            rest = Token(start + glued.end(), end, word[glued.end() :])
            if not names_only or rest.text in JOINERS or rest.capitalised:
                found.append(rest)
            continue
        if word[-1] not in _TRIMMED_ENDINGS:
            found.append(Token(start, end, word))
            continue
        possessive = False
        for suffix in ("’s", "'s"):
            if word.endswith(suffix) and len(word) > 2:
                word, end, possessive = word[: -len(suffix)], end - len(suffix), True
        if not possessive and len(word) > 2 and word[-1] in "’'" and word[-2] == "s":
            word, end, possessive = word[:-1], end - 1, True
        if word.endswith(".") and not _keeps_dot(word):
            word, end = word.rstrip("."), end - (len(word) - len(word.rstrip(".")))
        word = word.rstrip("-")
        if word:
            found.append(Token(start, start + len(word), word, possessive))
    return found


def _keeps_dot(word: str) -> bool:
    bare = word[:-1]
    return (
        bare in ABBREVIATIONS
        or word in TITLES
        or (len(bare) == 1 and bare.isupper())
        or _INITIALS.fullmatch(word) is not None
    )


_INITIALS = re.compile(r"(?:[A-Za-z]\.)+")


@dataclass(frozen=True)
class Sequence:
    """A run of capitalised tokens ("Hezbollah leader" is two: "Hezbollah", then a name)."""

    tokens: tuple[Token, ...]
    possessive: bool  # "Israel’s …": a modifier, not a head
    after_preposition: bool  # "… to the UN": an object, not a speaker
    span: Span = field(init=False, repr=False, compare=False)  # from the first to the last token

    def __post_init__(self) -> None:
        # (set once here: every sequence's span is asked for, often several times)
        object.__setattr__(self, "span", Span(self.tokens[0].start, self.tokens[-1].end))

    @property
    def words(self) -> list[str]:
        return [t.text for t in self.tokens]


def _headline(run: list[Token]) -> bool:
    """Whether a run of capitalised words is a heading in capitals, not a name: all its words in
    capitals and either long ("NEW YORK ENDS TAMPON TAX") or holding a word no name is made of
    ("NEW YORK AT ITS CORE", "HOW CHINA’S DECLINE …"); a connector ("BANK OF AMERICA") or a
    two-letter word, which may be an acronym ("IS FIGHTERS", "US ARMY"), is no such word."""
    words = [token.text for token in run]
    if len(words) < 2 or not all(word.isupper() for word in words):
        return False
    return len(words) >= 5 or any(
        len(word) > 2 and word.title() in NOT_NAMES and word.lower() not in CONNECTORS
        for word in words
    )


def sequences(text: str, span: Span, skip: list[Span] | None = None) -> list[Sequence]:
    """Capitalised name sequences in ``span``, outside the ``skip`` spans (quotations).

    Several readers look at the same sentence, so results are memoised (they are immutable)."""
    # (memoised by offsets: tuples of ints hash and compare without calling Python code)
    bounds = tuple((s.start, s.end) for s in skip) if skip else ()
    return list(_sequences(text, span.start, span.end, bounds))


@functools.lru_cache(maxsize=2048)
def _sequences(
    text: str, start: int, end: int, skip: tuple[tuple[int, int], ...]
) -> tuple[Sequence, ...]:
    span = Span(start, end)
    # Plain words are left out: all one does is end a sequence, and the text between the
    # tokens on either side of it (which holds it) already keeps those from joining.
    toks = [
        t
        for t in tokens(text, span, names_only=True)
        if not skip or not any(s_start <= t.start < s_end for s_start, s_end in skip)
    ]
    found: list[Sequence] = []
    current: list[Token] = []

    def close(possessive: bool = False) -> None:
        nonlocal current
        while current and (
            current[-1].text.lower() in CONNECTORS or current[-1].text in NAME_PARTICLES
        ):
            current.pop()
        while current and (
            current[0].text in NOT_NAMES or _NEVER_A_NAME.fullmatch(current[0].text)
        ):
            current.pop(0)
        if current and _headline(current):
            current = []
        if current:
            before = _word_before(text, current[0].start, span.start)
            found.append(Sequence(tuple(current), possessive, before.lower() in PREPOSITIONS))
        current = []

    def joined(token: Token) -> bool:
        gap = text[current[-1].end : token.start]
        return gap.strip(" \u00a0-") == "" and "\n" not in gap

    for token in toks:
        word = token.text
        if token.capitalised and word not in MONTHS and word not in WEEKDAYS:
            if current and not joined(token):
                close()
            current.append(token)
        elif (
            current
            and (
                word in NAME_PARTICLES
                or word == "&"
                or (
                    word in {"of", "for"}
                    and (
                        current[-1].text in ORG_KEYWORDS
                        or current[-1].text in TITLES
                        or current[-1].text in _PORTFOLIOS
                    )
                )
            )
            and joined(token)
        ):
            current.append(token)
        else:
            if current:
                close()
            continue
        if token.possessive:
            close(possessive=True)
    close()
    return tuple(found)


def _word_before(text: str, position: int, lower: int) -> str:
    """The word before ``position``, skipping an article ("to the UN" → "to")."""
    window = text[max(lower, position - 40) : position]
    words = _WORDS.findall(window)
    while words and words[-1].lower() in {"the", "a", "an"}:
        words.pop()
    return words[-1] if words else ""


_WORDS = re.compile(r"[\w’'-]+")


def is_acronym(word: str) -> bool:
    return bool(_ACRONYM.match(word)) and word not in {"I", "A"}


class Lookups(Protocol):
    """What :func:`person_run` asks of a registry (a :class:`Registry`, or :class:`Names`)."""

    @property
    def entities(self) -> Mapping[str, RegistryEntity]: ...

    def lookup(self, reference: str) -> str | None: ...


_NAME_WORD = re.compile(
    r"[A-Z][\w’'.\-]*|(?:al|el|ad|bin|ibn)-[A-Z][\w’'\-]*|" + "|".join(sorted(NAME_PARTICLES))
)


def person_run(words: list[str], registry: Lookups | None = None) -> list[int] | None:
    """Indices of the personal name at the end of a capitalised sequence, if it has one.

    "Lt.-Col. Richard Hecht" → "Richard Hecht"; "Minister of Education Stefania Giannini" →
    "Stefania Giannini"; "Islamic Revolutionary Guard Corps" → None.
    """
    cut = 0
    for i, word in enumerate(words):
        bare = word.rstrip(".")
        if (
            word in TITLES
            or bare in TITLES
            or is_acronym(word)
            or word in ORG_KEYWORDS
            or word in OUTLET_KEYWORDS
            or word in _PORTFOLIOS
            or word.lower() in CONNECTORS
        ):
            cut = i + 1
    rest = list(range(cut, len(words)))
    # a leading country or registry place is a modifier: "United States Hamdullah Mohib"
    for size in (3, 2, 1):
        if len(rest) > size and " ".join(words[i] for i in rest[:size]) in COUNTRIES:
            rest = rest[size:]
            break
    if len(rest) > 4:
        keep = (
            3 if words[rest[-3]] in NAME_PARTICLES or len(words[rest[-3]].rstrip(".")) == 1 else 2
        )
        rest = rest[-keep:]
    if not rest:
        return None
    chosen = [words[i] for i in rest]
    if any(
        w in ORG_KEYWORDS or w in OUTLET_KEYWORDS or w in MONTHS or w in WEEKDAYS for w in chosen
    ):
        return None
    if " ".join(chosen) in COUNTRIES or " ".join(chosen) in PLACES:
        return None  # "New Hampshire" is no first name and surname
    if not all(_NAME_WORD.fullmatch(w) for w in chosen):
        return None
    if registry is not None:
        found = registry.lookup(" ".join(chosen))
        if found is not None and registry.entities[found].type in _PLACE_TYPES:
            return None
    return rest
