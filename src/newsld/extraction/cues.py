"""Cues of reported speech: the reporting verbs, the patterns around them, and small predicates.

Module-level compiled patterns (the attribution rules' hot path) and the pure helpers the rules
share: word counts, title-like and noun-phrase-like phrases, outlets among speakers, claim trimming.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from .casefree import lowercase_pattern
from .lexicon import (
    DENIAL_VERBS,
    OCCASION_WORDS,
    PRONOUNS,
    QUESTION_VERBS,
    SPEECH_PARTICIPLES,
    SPEECH_VERBS,
    alternation,
    word_gender,
)
from .model import ClaimKind, Outlet, Span, Speaker, SpeakerKind, normalise_name

if TYPE_CHECKING:
    from .attribution import Reader


_VERB_WORDS = SPEECH_VERBS | SPEECH_PARTICIPLES
_VERB_ALTERNATION = alternation(_VERB_WORDS)
# every alternative starts with one of these letters: the look-ahead only lets the engine skip
# other positions quickly (under IGNORECASE a letter class matches what its letters match)
_VERB_INITIALS = "".join(sorted(set("adfhiprsw") | {w[0] for w in _VERB_WORDS}))
_VERB = re.compile(
    r"\b(?=[" + _VERB_INITIALS + r"])(?:according\s+to|in\s+the\s+words\s+of|"
    r"(?:sent|wrote|delivered|submitted|issued|released|published|posted)\s+(?:a|an|the)\s+"
    r"(?:[\w-]+\s+){0,2}(?:letter|statement|complaint|message|note|appeal|tweet|communiqu[eé])|"
    r"in\s+(?:a|an|his|her|their|its)\s+(?:\w+\s+)?(?:statement|interview|letter|tweet|post|speech)|"
    r"(?:fired|shot|hit)\s+back|"
    # "As The Post's Ruth Marcus puts it, …", "Kunin put it bluntly: “…”"
    r"(?:puts|put)\s+it(?:\s+(?:this\s+way|bluntly|best|simply|succinctly|mildly))?(?=\s*[,:])|"
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


_VERB_FIRST = re.compile(
    r"^[\s,.;:!?]*(?P<verb>" + _VERB_ALTERNATION + r")\s+(?P<np>[^;!?]{1,160})"
)
# "“…” in the 2008 primary, said X.": a short adjunct between a quotation and its inverted verb
_ADJUNCT_THEN_VERB = re.compile(
    r"^(?P<gap>[^\"“”.;:!?,]{1,60}),(?=\s*(?:" + _VERB_ALTERNATION + r")\s)"
)
# A character of a phrase that runs to the end of its sentence: an initial's full stop ("the U.S.
# Senate", "John F. Kennedy") does not end it.
_INITIAL = r"(?<![^\W\d_])[A-Z]\."
_TO_SENTENCE_END = r"(?:" + _INITIAL + r"|[^.;!?])"
# "In Ohio the plan would leave “…” by 2030, according to Jane Smith.": the attribution closing
# the sentence, after the narration around the quotation
_ACCORDING_ENDS = re.compile(
    r",\s*(?P<verb>according\s+to)\s+(?P<np>(?:" + _INITIAL + r"|[^.;!?\"“”]){1,160}?)"
    r"\s*[.!?]?\s*$",
    re.IGNORECASE,
)
_ACCORDING_FIRST = re.compile(
    r"^[\s,]*(?:according\s+to|in\s+the\s+words\s+of)\s+(?P<np>" + _TO_SENTENCE_END + r"{1,160})",
    re.IGNORECASE,
)
# (the verb not capitalised as a name is: "“…” the United States" holds no verb "States")
_NP_FIRST = re.compile(
    r"^[\s,]*(?P<np>[^;!?\"“”]{1,140}?)\s+"
    + _ADVERBS
    + r"(?-i:(?![A-Z][a-z]))(?P<verb>"
    + _VERB_ALTERNATION
    + r")\b",
    re.IGNORECASE,
)
_DASH = re.compile(r"^\s*[-–—]\s*(?P<np>[A-Z][^.;!?\"“”]{1,60})$")
_ACCORDING_TO = re.compile(
    r"according\s+to\s+(?P<np>" + _TO_SENTENCE_END + r"{1,80})", re.IGNORECASE
)
_ADJACENT = re.compile(r"[^.;!?]{0,60}?[,:]?\s*")
_TO_RECIPIENT = re.compile(r"\s+(?:to|in remarks to)\b")
_THAT_OR_COMMA = re.compile(r"\bthat\b|,")
_WITH_NP = re.compile(r"\bwith\s+(?P<np>[^,;:]{1,60}?)\s*$")
_COORDINATED = re.compile(r"\b(?:and|but|then)\s*$")
_PARENTHETICAL = re.compile(r"(?P<np>[^,;:]{1,80}?)\s*,\s*(?:who|which)\s[^,;:]{1,80},\s*$")
_RELATIVE_BEFORE = re.compile(r",\s*(?:which|who)\s+(?:\w+ly\s+)?$")
_OF_THE = re.compile(r"\s+(?:in|of|at)\s+(?:the\s+)?")
# a name right after an inverted verb, and nothing of a clause after it ("…, said Paul Beck.")
_INVERTED_SUBJECT = re.compile(r"\s+(?:[A-Z][\w.’'-]*\s+){0,4}[A-Z][\w.’'-]*\s*(?:[,.]|$)")
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
# a line introducing the quotation paragraph after it, verb first: "Stated Stone:", "Said X,"
_VERB_THEN_NAME = re.compile(
    r"^\s*(?i:" + alternation(SPEECH_VERBS) + r")\s+(?P<np>[A-Z][^,:;.!?\"“”]{1,60}?)\s*[:,]\s*$"
)
_INTRODUCES = re.compile(r"(?:[,:]|\b(?:" + alternation(SPEECH_VERBS) + r"))\s*$")
_COUNTED_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")

_DOCUMENT_WORDS = tuple(
    (noun, re.compile(rf"\b{noun}\b"))
    for noun in ("statement", "letter", "post", "tweet", "message", "announcement")
)

_ACCORDING_OPENS = re.compile(r"according\s+to\s+(?P<np>[^,]{2,80}),", re.IGNORECASE)

_INVERTED_VERBS = "said|reported|says|reports|added|wrote"
# what may follow the verb of "…, X said": when and where ("on Tuesday", "Tuesday in Paris", "at
# a news conference", "in a statement"), whom to ("of the plan"), and a participle ("citing …")
_REPORT_ADJUNCT = (
    r"(?:\s+(?:(?:on|in|at|during|after|before|of|about|to|last|this|earlier|later|late|early)\s+|"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|yesterday|today)\b)"
    r"[^,;:!?\"“”]{0,60}?)?"
    r"(?:,\s*(?:citing|quoting|noting|adding|according)[^.]*)?[.!]?$"
)
_INVERTED = re.compile(
    # (the comma may be the quoted word's: "… may be “strategic,” said X")
    r"(?P<content>.{20,}?)(?:,|(?P<mark>[\"”]))\s*"
    r"(?:(?P<np>[^,]{2,80}?)\s+(?P<verb>" + _INVERTED_VERBS + r")|"
    # "…, said Jeffery Hemsley, an assistant professor at Syracuse."
    r"(?P<verb_first>"
    + _INVERTED_VERBS
    + r")\s+(?P<np_after>[A-Z][^,]{1,60}?)(?:,[^,]{2,100}?)?)"
    + _REPORT_ADJUNCT
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

# Where the content of reported speech ends and the reporter's narration takes over again.
_COMPLEMENT_END = re.compile(
    r",\s*(?:saying|adding|according\s+to|the\s+[\w\s\-]{0,60}?(?:reported|said|says)|citing|"
    r"while|but|which|however)\b|;|\s[—–]\s"
    # a participle reporting more of the speech (", warning that …"), a claim of its own
    r"|,\s*(?:" + alternation(SPEECH_PARTICIPLES) + r")\b|,?\s+making\s+(?:it\s+)?clear\b"
    # the attribution after the content: ", he said in a statement", ", Obama said"
    r"|,\s*(?:he|she|they|it|we|I|(?:[A-Z][\w’'.\-]*\s+){0,4}[A-Z][\w’'.\-]*)\s+(?:[a-z]+ly\s+)?"
    r"(?:said|says|added|adds|reported|reports|wrote|writes|told|tells|noted|stated|explained)\b"
    # "… delegates according to a count by The Associated Press"
    r"|\s+according\s+to\s+(?:(?:a|an|the|its|his|her|their)\s+(?:[\w-]+\s+){0,3}?(?:count|report|"
    r"statement|survey|poll|study|tally|transcript|analysis|data|figures|estimates?|sources?|"
    r"officials?)\b|[A-Z])"
)
# What a denial is followed by when the content is a characterisation of what was denied:
# "dismissed reports that … as “pure speculation”", "rejected the claims that … as baseless".
_DISMISSED_AS = re.compile(
    r",?\s+as\s+(?:[“\"‘]|(?:(?:an?|the|a\s+\w+)\s+)?(?:[a-z]+\s+){0,2}?(?:baseless|false|untrue|"
    r"unfounded|groundless|nonsense|lies?|fabricat\w*|absurd|ridiculous|speculation|propaganda|"
    r"fake|rubbish|misleading|inaccurate|incorrect|wrong|smears?|slander|libel\w*|"
    r"politically\s+motivated)\b)"
)
# After a verb of denial, before the denied clause: "the claims that", "reports that", "the
# management’s claim that", "a report that".
_CLAIM_NOUN_THAT = re.compile(
    r"\s+(?:[\w’'\-]+\s+){0,3}?(?:claims?|reports?|allegations?|accusations?|suggestions?|"
    r"charges?|assertions?|rumou?rs?|speculation|notion|idea|contention|account|accounts|"
    r"insinuations?|characteri[sz]ation|view|theory|theories|stories|story)\s+"
    r"(?:(?:on|in|of|by|from|at)\s+[^,;:]{1,40}?\s+)?that\s+"
)
# "denied she had misled parliament": a clause without "that", its subject a pronoun.
_BARE_CLAUSE = re.compile(
    r"\s+(?:he|she|it|they|we|I|there)\s+(?:had|has|have|was|were|is|are|would|will|did|could|"
    r"ever|never|knew|knows|played|took|ordered|made)\b"
)
# The object of "denied" that is what the speaker denies: "denied any involvement in …", "denied
# responsibility for …" (not "denied entry", "denied him a visa": actions, no claim).
_DENIED_OBJECT = re.compile(
    r"(?:[\w’'\-]+\s+){0,3}?(?:responsibility|involvement|wrongdoing|knowledge|role|links?|ties|"
    r"connections?|participation|complicity|guilt|culpability|existence|collusion|contacts?|"
    r"affiliation|membership|interference|meddling|accusations?\s+of|allegations?\s+of|"
    r"charges?\s+of|reports?\s+of|claims?\s+of)\b"
)
# After the recipient of "warned"/"urged"/"asked": a request for an action ("not to attack").
_DIRECTIVE = re.compile(r"(?:not\s+)?to\s+[a-z]")
_NEGATED = re.compile(
    r"\b(?:not|never|n[’']t|no\s+longer|refused\s+to|declined\s+to|failed\s+to|cannot)\s+"
    r"(?:[a-z]+ly\s+)?(?:have\s+)?$",
    re.IGNORECASE,
)
_ASKED_PASSIVE = re.compile(
    r"\b(?:(?:was|were|is|are|be|been|being|get|got|gets)\s+(?:\w+\s+)?|(?:when|if|after|once|"
    r"before|as|until|unless)\s+)$",
    re.IGNORECASE,
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:for|of|about|from|after|before|without|despite|against|over|on|at)\s+(?:\w+ly\s+)?$",
    re.IGNORECASE,
)
_DENIAL_VERB = re.compile(r"\b(?:" + alternation(DENIAL_VERBS) + r")\b")
_QUESTION_VERB = re.compile(r"\b(?:" + alternation(QUESTION_VERBS) + r")\b")
_WHETHER = re.compile(r"\s*(?P<adjunct>[^,.;:!?\"“”]{0,40}?)\s*\b(?:whether|if)\s+")

_ADVERB_FIRST = re.compile(r"[a-z]+ly\b")

_ADJUNCT_THAT = re.compile(r"\s*(?P<adjunct>[^,.;:!?\"“”]{0,60}?)\s*\bthat\s+")

_REPORT_TAIL = re.compile(
    r",\s*(?P<np>[^,;]{2,80}?)\s+(?P<verb>reported|said|says|reports|wrote|added)\b(?P<rest>[^,;]*)"
)

_SENTENCE_END = re.compile(r"[.!?]$")

_MASKED_WORDS = re.compile(r"x+")

_LONGEST_VERB = max(len(w) for w in _VERB_WORDS)

_VERB_AT_END = re.compile(r"\b(?:" + _VERB_ALTERNATION + r")$", re.IGNORECASE)


def denial_cue(masked: str, verb: re.Match[str], floor: int) -> bool:
    """Is this verb of denial the speaker denying something ("denied", "is disputing"), not a
    denial negated ("did not deny", "refused to deny"), a passive ("was denied") or an adjective
    ("the disputed territory")? ``floor``: where the sentence starts."""
    before = masked[max(floor, verb.start() - 30) : verb.start()]
    if _NEGATED.search(before) or _NOUN_BEFORE.search(before):
        return False
    return verb.group().endswith("ing") or not _PASSIVE.search(before)


def question_cue(masked: str, verb: re.Match[str], floor: int) -> bool:
    """Is this "asked"/"questioned"/"wondered" the speaker asking, not "was (first) asked",
    "when asked" or "a question"?"""
    before = masked[max(floor, verb.start() - 30) : verb.start()]
    if _NOUN_BEFORE.search(before):
        return False
    if verb.group().endswith("ing"):
        return True  # ("is questioning whether": active)
    return not (_ASKED_PASSIVE.search(before) or _PASSIVE.search(before))


def after_preposition(masked: str, verb: re.Match[str], floor: int) -> bool:
    """ "for dismissing", "after asking": a participle whose subject may be someone else."""
    before = masked[max(floor, verb.start() - 20) : verb.start()]
    return _PREPOSITION_BEFORE.search(before) is not None


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


def speaker_gender(speaker: Speaker) -> str | None:
    """ "male" or "female" when a person's first name or description says so, else None."""
    if speaker.kind is not SpeakerKind.PERSON:
        return None
    words = speaker.name.split()[:1] if not speaker.unnamed else speaker.name.lower().split()
    found = {word_gender(word) for word in words} - {None}
    return found.pop() if len(found) == 1 else None


def agrees(speaker: Speaker | None, wanted: str | None) -> bool:
    """Whether a speaker can be what a pronoun of gender ``wanted`` stands for ("he" is not
    Hillary Clinton); a speaker of unknown gender can."""
    if speaker is None or wanted is None:
        return True
    found = speaker_gender(speaker)
    return found is None or found == wanted


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
