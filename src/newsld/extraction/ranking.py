"""Who said a quotation, chosen among candidates by fitted weights, with a calibrated confidence.

The hand-ordered rules of :mod:`.quotation_rules` and :mod:`.speakers` propose one speaker, or
none. Here every quotation gets a set of **candidates**: the rules' answer, the names mentioned in
its sentence outside the quotation and in the two sentences before it, the speaker of the
previous quotation, and (when the rules found nobody) the names opening the next sentence. Each
candidate is described by a few features (where it stands relative to
the quotation, whether a reporting verb is beside it, what kind of name it is, what the rules
said), scored by a logistic model whose weights were fitted on PolNeAR's train split by
``eval/train_speakers.py`` and shipped as ``speaker_weights.json``, and the best candidate is
the speaker. Its probability, rescaled by the calibration fitted with the weights, is the
claim's confidence: of claims with confidence ≥ c, about a share c have the right speaker.

Scoring is a dot product in pure Python: the runtime needs no ML framework.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from .cues import _compatible
from .lexicon import PLACES, PRONOUNS
from .model import Claim, Span, Speaker, SpeakerKind
from .sequences import sequences

if TYPE_CHECKING:
    from .speakers import Attribution, Sentence

WEIGHTS_FILE = "speaker_weights.json"
UNMEASURED = 0.5  # the confidence of a rule of reported speech the weights have no measure of
SENTENCES_BACK = 2  # how many sentences before the quotation's own are searched for names
NEXT_HEAD = 80  # how far into the next sentence names are candidates
NOBODY_BELOW = 0.3  # a guess this unsure, with no answer from the rules, is no speaker
RULES = (
    "verb-after",
    "verb-before",
    "according-to",
    "dash",
    "same-sentence",
    "split",
    "continued",
    "previous-sentence",
    "introduced",
    "pronoun",
    "document",
    "signed",
)
_PREPOSITION_BEFORE = re.compile(
    r"\b(?:to|with|at|in|for|of|by|on|from|against|about|than|like|over|under|between|toward|"
    r"towards|into|after|before|during|without|including|via|and|or)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "Cruz warned", "Weaver dismissed", "Clinton says": a finite verb right after the name
_FOLLOWED_BY_VERB = re.compile(r",?\s+(?:[a-z]+ly\s+)?(?:has\s+|had\s+)?[a-z]{2,}(?:ed|es|s)\b")
_DASH_LINE = re.compile(r"\s*[-–—]")
_POSSESSIVE_AFTER = re.compile(r"^['’]s?\b")
_COLON_TO_QUOTE = re.compile(r"^[^.!?]{0,80}:\s*$")
QUOTE_PUNCTUATION = " \t\n\"'“”‘’«».,;:…([-—"
_PRONOUN_SUBJECT = re.compile(r"\b(?:he|she|they)\b\s+\w+", re.IGNORECASE)


# a name mention as a candidate: its span, its speaker, its features (None: not an agent's name)
MentionFeatures = tuple[Span, Speaker, dict[str, float]] | None
MISSING: Any = object()


@dataclass
class Candidate:
    """One possible speaker of a quotation, and what speaks for and against it."""

    speaker: Speaker
    features: dict[str, float] = field(default_factory=dict)
    inherit: Claim | None = None
    via: Sentence | None = None
    from_rules: bool = False
    spans: list[Span] = field(default_factory=list)  # where the article names it near the quote

    def set(self, name: str, value: float = 1.0) -> None:
        if value > self.features.get(name, 0.0):
            self.features[name] = value


@dataclass(frozen=True)
class Model:
    """Fitted weights, the calibration that turns a score into a confidence, and the measured
    confidence of each rule of reported speech."""

    weights: Mapping[str, float]
    bias: float
    # (slope, intercept) of the log-odds to calibrated log-odds (None: the raw probability)
    calibration: tuple[float, float] | None = None
    # rule of reported speech → the share of its claims with the right speaker, measured
    reported_speech: Mapping[str, float] = field(default_factory=dict)
    meta: Mapping[str, Any] = field(default_factory=dict)

    def probability(self, features: Mapping[str, float]) -> float:
        weights = self.weights
        score = self.bias
        for name, value in features.items():
            weight = weights.get(name)
            if weight is not None:
                score += weight * value
        if score < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-score))

    def calibrated(self, probability: float) -> float:
        """The share of right speakers among quotations scored like this one: the probability's
        log-odds, rescaled by the fitted slope and intercept (Platt scaling)."""
        if self.calibration is None:
            return probability
        slope, intercept = self.calibration
        clipped = min(max(probability, 1e-6), 1 - 1e-6)
        score = slope * math.log(clipped / (1 - clipped)) + intercept
        return 1.0 / (1.0 + math.exp(-score)) if score > -30 else 0.0

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Model:
        return cls(
            weights=dict(data["weights"]),
            bias=float(data["bias"]),
            calibration=(
                (float(data["calibration"]["slope"]), float(data["calibration"]["intercept"]))
                if data.get("calibration")
                else None
            ),
            reported_speech=dict(data.get("reported_speech", {})),
            meta=dict(data.get("meta", {})),
        )


@cache
def shipped_model() -> Model:
    """The weights shipped with newsld (``newsld/extraction/speaker_weights.json``)."""
    raw = resources.files(__package__).joinpath(WEIGHTS_FILE).read_text(encoding="utf-8")
    return Model.from_json(json.loads(raw))


class SpeakerRanking:
    """Candidate speakers of a quotation and the choice among them (a mixin of
    :class:`~.attribution.Reader`)."""

    def candidates(
        self, sentence: Sentence, quote_span: Span, found: Attribution, previous: Claim | None
    ) -> list[Candidate]:
        """Every candidate speaker of the quotation at ``quote_span`` (its marks), with features."""
        by_key: dict[str, Candidate] = {}

        def add(speaker: Speaker | None) -> Candidate | None:
            if speaker is None:
                return None
            candidate = by_key.get(speaker.key)
            if candidate is None:
                candidate = by_key[speaker.key] = Candidate(speaker)
            return candidate

        rule = add(found.speaker)
        if rule is not None:
            rule.from_rules = True
            if found.speaker is not None and found.speaker.span is not None:
                rule.spans.append(found.speaker.span)
            rule.inherit, rule.via = found.inherit, found.via
            rule.set("rule")
            rule.set("rule:" + (found.rule if found.rule in RULES else "other"))
            rule.set("rule-confidence", found.confidence)
            if found.speaker is not None and found.speaker.unnamed:
                rule.set("rule-unnamed")
            named_at = found.speaker.span if found.speaker is not None else None
            if (
                found.verb is not None
                and named_at is not None
                and 0 <= found.verb - named_at.end <= 3
            ):
                rule.set("rule:name-before-verb")  # "Nefzi said", not a subject far away
            if found.verb is not None:
                # where the rules found the reporting verb (a split sentence can leave it
                # outside the quotation's own sentence: "“…borders.” Danon said")
                before = found.verb < quote_span.start
                gap = quote_span.start - found.verb if before else found.verb - quote_span.end
                if 0 <= gap <= 200:
                    rule.set("at:before" if before else "at:after")
                    rule.set("near", 1.0 - gap / 200)
        last = previous or (self.claims[-1] if self.claims else None)
        if last is not None and last.speaker is not None:
            candidate = add(last.speaker)
            assert candidate is not None
            candidate.set("previous-quote")
            if last.span.start >= sentence.span.start:
                candidate.set("previous-quote-same-sentence")
            elif self._paragraph_at(last.span.start) == sentence.paragraph:
                candidate.set("previous-quote-same-paragraph")
            if candidate.inherit is None:
                candidate.inherit = last
        rule_span = found.speaker.span if found.speaker is not None else None
        for where, span, speaker, own, count in self._mentions_near(sentence, quote_span):
            # words the rules already read as the speaker ("Israel's Foreign Ministry" for the
            # mention "Foreign Ministry") are the rules' candidate, not another one
            same_words = rule is not None and rule_span is not None and rule_span.overlaps(span)
            candidate = rule if same_words else add(speaker)
            assert candidate is not None
            candidate.spans.append(span)
            self._describe(candidate, where, span, own, quote_span, count)
        # the next sentence's names, when the quotation ends its own and the rules found nobody
        ends_sentence = not self.masked[quote_span.end : sentence.span.end].strip(QUOTE_PUNCTUATION)
        after = self._next_mentions(sentence) if ends_sentence and rule is None else ()
        for span, speaker, own in after:
            candidate = add(speaker)
            assert candidate is not None
            candidate.spans.append(span)
            candidate.set("at:next")
            for name, value in own.items():
                candidate.set(name, value)
        # features of the quotation, the same for each candidate: they set how sure the choice is
        masked = self.masked
        outside = masked[sentence.span.start : sentence.span.end]
        words = self.text[quote_span.start : quote_span.end].strip(QUOTE_PUNCTUATION)
        quote: dict[str, float] = {}
        if not self._verbs(sentence.span):
            quote["quote:no-verb"] = 1.0
        if not masked[sentence.span.start : quote_span.start].strip():
            quote["quote:opens-sentence"] = 1.0
        if len(words.split()) <= 3:
            quote["quote:short"] = 1.0
        if words[:1].islower():
            quote["quote:lowercase"] = 1.0
        pronoun = _PRONOUN_SUBJECT.search(outside)
        agrees = PRONOUNS.get(pronoun.group().split()[0].lower(), "any") if pronoun else None
        quote["candidates"] = math.log1p(len(by_key)) / 3
        for candidate in by_key.values():
            features = candidate.features
            features.update(quote)
            speaker = candidate.speaker
            if agrees is not None and _compatible(speaker, agrees):
                features["pronoun-agrees"] = 1.0
            if "kind:unknown" not in features or candidate.from_rules:
                features.pop("kind:unknown", None)
                person = speaker.kind is SpeakerKind.PERSON
                features["kind:person" if person else "kind:organization"] = 1.0
            if speaker.entity_id:
                features["registry"] = 1.0
            name = speaker.name
            if name in PLACES or name.title() in PLACES:
                features["place"] = 1.0
            elif name.startswith("Government of "):
                features["country"] = 1.0
            if " " in name and not speaker.unnamed:
                features["full-name"] = 1.0
            if len(name) > 3 and name.isupper():
                features["capitals"] = 1.0  # a dateline ("WASHINGTON") or a heading
        return list(by_key.values())

    def choose(self, candidates: list[Candidate]) -> tuple[Candidate | None, float]:
        """The most likely candidate and its calibrated confidence (None, 0 when there is none).

        When the rules found no speaker and the best guess is right less than
        :data:`NOBODY_BELOW` of the time, there is none: the quotation is nobody's claim in the
        article (a banner, a title, a scare quote) and is listed as unattributed. A better guess is
        returned with its confidence, and the release policy (``min_confidence``) decides whether
        it is released or listed for curators."""
        # a place the rules did not name is no speaker ("Iowa", "San Bernardino"), however
        # near the quotation it stands
        candidates = [c for c in candidates if c.from_rules or "place" not in c.features]
        if not candidates:
            return None, 0.0
        model = shipped_model()
        scored = [(model.probability(c.features), i) for i, c in enumerate(candidates)]
        probability, index = max(scored, key=lambda pair: (pair[0], -pair[1]))
        confidence = model.calibrated(probability)
        if confidence < NOBODY_BELOW and not any(c.from_rules for c in candidates):
            return None, confidence
        return candidates[index], confidence

    # -- helpers -----------------------------------------------------------------------------
    def _paragraph_at(self, position: int) -> int:
        """The paragraph of the sentence at ``position`` (-1: none)."""
        starts = self.sentence_starts
        index = bisect.bisect_right(starts, position) - 1
        if index < 0 or position >= self.upcoming[index].span.end:
            return -1
        return self.upcoming[index].paragraph

    def _mentions_near(
        self, sentence: Sentence, quote_span: Span
    ) -> Iterator[tuple[str, Span, Speaker, dict[str, float], int]]:
        """Name mentions of the quotation's sentence (outside quotations) and the sentences before:
        where each stands, its span, its speaker, its own features, and how often it was named."""
        window = [sentence]
        for earlier in reversed(self.sentences[: sentence.index]):
            if len(window) > SENTENCES_BACK:
                break
            window.append(earlier)
        seen: dict[str, int] = {}
        cache = self.mention_features
        for back, current in enumerate(window):
            for position in range(current.mentions_from, current.mentions_to):
                described = cache.get(position, MISSING)
                if described is MISSING:
                    described = self._mention_features(position, current)
                if described is None:
                    continue
                span, speaker, features = described
                seen[speaker.key] = seen.get(speaker.key, 0) + 1
                if back == 0:
                    where = "before" if span.end <= quote_span.start else "after"
                    if where == "after" and span.start < quote_span.end:
                        continue
                else:
                    where = f"back{back}"
                    if current.paragraph != sentence.paragraph:
                        where += "-paragraph"
                yield where, span, speaker, features, seen[speaker.key]

    def _next_mentions(self, sentence: Sentence) -> list[tuple[Span, Speaker, dict[str, float]]]:
        """Names at the start of the next sentence, not read yet ("…?” / Priebus said." and
        "“…” / - Sanders."): what they would be as mentions, without indexing them."""
        cached = self.next_mentions.get(sentence.index)
        if cached is not None:
            return cached
        found: list[tuple[Span, Speaker, dict[str, float]]] = []
        self.next_mentions[sentence.index] = found
        following_index = sentence.index + 1
        if following_index >= len(self.upcoming):
            return found
        following = self.upcoming[following_index]
        if following.paragraph > sentence.paragraph + 1:
            return found
        head = Span(following.span.start, min(following.span.end, following.span.start + NEXT_HEAD))
        skip = [q.content for q in following.quotes]
        seqs = sequences(self.text, head, skip)
        for i, seq in enumerate(seqs):
            mention = self.names._mention(
                seq, seqs[i - 1] if i else None, seqs[i + 1] if i + 1 < len(seqs) else None
            )
            if mention is None:
                continue
            span = mention.span
            features: dict[str, float] = {}
            if mention.kind is None and not mention.entity_id:
                features["kind:unknown"] = 1.0
            features.update(self._verbs_around(span, following))
            features.pop("verb-before-name", None)
            features.pop("name-before-verb", None)
            if i == 0:
                features["next:first"] = 1.0
            if _DASH_LINE.match(self.text, following.span.start):
                features["next:dash"] = 1.0
            if following.paragraph != sentence.paragraph:
                features["next:paragraph"] = 1.0
            found.append((span, self.names._from_mention(mention, span), features))
        return found

    def _verbs_around(self, span: Span, sentence: Sentence) -> dict[str, float]:
        """Reporting verbs of the sentence right after a name ("Nefzi said", "Trump, asked about
        it, said") or just before it ("said Nefzi"): the sentence's verbs are found once."""
        features: dict[str, float] = {}
        for verb in self._verbs(sentence.span):
            start = verb.start()
            if span.end <= start <= span.end + 25:
                features["verb-after-name"] = 1.0
                if start <= span.end + 3 and "," not in self.masked[span.end : start]:
                    features["name-before-verb"] = 1.0  # (not "…” for Clinton, said Kunin")
            elif start >= span.start - 20 and verb.end() <= span.start:
                features["verb-before-name"] = 1.0
        return features

    def _mention_features(self, position: int, sentence: Sentence) -> MentionFeatures:
        """A mention as a candidate, and what its words around say, whatever the quotation
        (memoised: a mention is a candidate of every quotation near it)."""
        cache = self.mention_features
        mention = self.names.mentions[position]
        span = mention.span
        masked = self.masked
        features: dict[str, float] = {}
        if mention.kind is None and not mention.entity_id:
            features["kind:unknown"] = 1.0
        features.update(self._verbs_around(span, sentence))
        if position == sentence.mentions_from:
            features["first-in-sentence"] = 1.0
        if _FOLLOWED_BY_VERB.match(masked, span.end):
            features["followed-by-verb"] = 1.0
        if _PREPOSITION_BEFORE.search(masked[max(0, span.start - 12) : span.start]):
            features["after-preposition"] = 1.0
        if _POSSESSIVE_AFTER.match(masked[span.end : span.end + 3]):
            features["possessive"] = 1.0
        described = (span, self.names._from_mention(mention, span), features)
        cache[position] = described
        return described

    def _describe(
        self,
        candidate: Candidate,
        where: str,
        span: Span,
        own: dict[str, float],
        quote_span: Span,
        count: int,
    ) -> None:
        candidate.set("at:" + where)
        candidate.set("mentions", math.log1p(count) / 2)
        if where in ("before", "after"):
            gap = quote_span.start - span.end if where == "before" else span.start - quote_span.end
            candidate.set("near", 1.0 - min(1.0, max(0, gap) / 200))
            if where == "before" and _COLON_TO_QUOTE.match(
                self.masked[span.end : quote_span.start]
            ):
                candidate.set("colon-to-quote")
            for name, value in own.items():
                candidate.set(name, value)
        elif "verb-after-name" in own:
            candidate.set("verb-in-sentence-back")
        for name in ("after-preposition", "possessive"):
            if name in own:
                candidate.set(name)
