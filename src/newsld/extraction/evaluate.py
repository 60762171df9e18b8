"""Score extraction against hand-written gold annotations (``eval/gold/CORPUS/*.yaml``).

Returns a result object; prints nothing (``newsld eval`` renders it). Each gold quotation is
matched to at most one extracted quotation whose span covers at least half of it (or half of the
extracted one, when that is shorter). Per corpus and split:

- precision: released quote claims (direct or partial, with a speaker) that match a gold quotation;
- recall: gold quotations found, released or listed as unattributed;
- speaker accuracy: matched quotations with the right speaker (a gold null speaker is right when
  the quotation is listed as unattributed);
- date accuracy: matched released quotations with the gold date at the gold precision;
- for every corpus, the direct quotations of five or more words found with the right speaker and
  date (the seeds' target).

See ``eval/gold/README.md`` for the annotation conventions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from newsld.corpus.files import MAX_RECORD_BYTES, MAX_TEXT_BYTES, read_source
from newsld.corpus.reader import Registry, parse_model
from newsld.corpus.records import Date, normalise_name, released_confidence
from newsld.extraction import Claim, ClaimKind, Extraction, Span, extract
from newsld.findings.report import Finding, finding


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GoldDescription(_Model):
    description: str = Field(min_length=1)


class GoldQuote(_Model):
    text: str = Field(min_length=1)
    occurrence: int = Field(default=1, ge=1)
    kind: Literal["direct", "partial"] | None = None
    speaker: str | GoldDescription | None
    date: Date | None = None
    reported_by: str | None = None


class GoldFile(_Model):
    text_file: str = Field(min_length=1)
    published: Date
    split: Literal["dev", "heldout"]
    quotes: list[GoldQuote] = Field(default_factory=list)
    not_claims: list[str] = Field(default_factory=list)


@dataclass(frozen=True)
class Match:
    gold: GoldQuote
    claim: Claim | None  # None: missed
    released: bool = False
    speaker_ok: bool = False
    date_ok: bool = False
    withheld: bool = False  # extracted with a speaker, below min_confidence: listed for review


@dataclass
class ArticleScore:
    corpus: str
    name: str
    split: str
    matches: list[Match] = field(default_factory=list)
    false_positives: list[Claim] = field(default_factory=list)  # released, matching no gold quote
    released: int = 0  # released quote claims

    @property
    def gold(self) -> int:
        return len(self.matches)


@dataclass(frozen=True)
class Score:
    articles: int
    gold: int
    released: int
    correct_released: int  # released quote claims matching a gold quotation
    found: int
    speaker_ok: int
    date_checked: int
    date_ok: int
    direct5: int
    direct5_ok: int
    withheld: int = 0  # gold quotations with a speaker whose claim was withheld for review

    @staticmethod
    def _ratio(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def precision(self) -> float | None:
        return self._ratio(self.correct_released, self.released)

    @property
    def recall(self) -> float | None:
        return self._ratio(self.found, self.gold)

    @property
    def speaker_accuracy(self) -> float | None:
        """Of the quotations found, those with the right speaker; a quotation whose claim was
        withheld for review is not released with any speaker, and counts only if nobody said
        it (gold speaker None: withholding it is right)."""
        return self._ratio(self.speaker_ok, self.found - self.withheld)

    @property
    def date_accuracy(self) -> float | None:
        return self._ratio(self.date_ok, self.date_checked)


@dataclass
class EvalResult:
    articles: list[ArticleScore] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)  # unreadable or invalid gold files

    def corpora(self) -> list[str]:
        return sorted({a.corpus for a in self.articles})

    def splits(self, corpus: str) -> list[str]:
        return sorted({a.split for a in self.articles if a.corpus == corpus})

    def score(self, corpus: str | None = None, split: str | None = None) -> Score:
        chosen = [
            a
            for a in self.articles
            if (corpus is None or a.corpus == corpus) and (split is None or a.split == split)
        ]
        matches = [m for a in chosen for m in a.matches]
        found = [m for m in matches if m.claim is not None]
        withheld = [m for m in found if m.withheld and m.gold.speaker is not None]
        dated = [m for m in found if m.released and m.gold.speaker is not None and m.gold.date]
        direct5 = [m for m in matches if _kind(m.gold) == "direct" and _words(m.gold.text) >= 5]
        return Score(
            articles=len(chosen),
            gold=len(matches),
            released=sum(a.released for a in chosen),
            correct_released=sum(1 for m in found if m.released),
            found=len(found),
            speaker_ok=sum(1 for m in found if m.speaker_ok),
            withheld=len(withheld),
            date_checked=len(dated),
            date_ok=sum(1 for m in dated if m.date_ok),
            direct5=len(direct5),
            direct5_ok=sum(1 for m in direct5 if m.released and m.speaker_ok and m.date_ok),
        )

    def error_lines(self, splits: tuple[str, ...] = ("dev",)) -> list[str]:
        """One line per miss, wrong speaker or wrong date in the given splits, for rule
        developers: held-out articles' errors are left out unless asked for, so tuning on
        them takes a deliberate step."""
        lines = []
        for article in self.articles:
            if article.split not in splits:
                continue
            where = f"{article.corpus}/{article.name} ({article.split})"
            for m in article.matches:
                gold = f"{m.gold.text[:60]!r}"
                if m.claim is None:
                    lines.append(f"{where}: missed {gold}")
                    continue
                said = m.claim.speaker.name if m.claim.speaker else None
                if m.withheld and m.gold.speaker is not None:
                    lines.append(
                        f"{where}: withheld (confidence {m.claim.confidence:.2f}, speaker "
                        f"{said!r}, gold {m.gold.speaker!r}): {gold}"
                    )
                elif not m.speaker_ok:
                    lines.append(f"{where}: speaker {said!r}, gold {m.gold.speaker!r}: {gold}")
                elif m.released and m.gold.date and not m.date_ok:
                    got = m.claim.date.date.form if m.claim.date else None
                    lines.append(f"{where}: date {got}, gold {m.gold.date.form}: {gold}")
            for claim in article.false_positives:
                lines.append(f"{where}: not in gold: {claim.text[:60]!r}")
        return lines


def summary(result: EvalResult) -> list[dict[str, object]]:
    """Rows per corpus, per split and for the corpus as a whole: counts and ratios."""
    rows: list[dict[str, object]] = []
    for corpus in result.corpora():
        splits = result.splits(corpus)
        for split in [*splits, *(["all"] if len(splits) > 1 else [])]:
            score = result.score(corpus, None if split == "all" else split)
            rows.append(
                {
                    "corpus": corpus,
                    "split": split,
                    "articles": score.articles,
                    "gold": score.gold,
                    "found": score.found,
                    "released": score.released,
                    "correct_released": score.correct_released,
                    "speaker_ok": score.speaker_ok,
                    "withheld": score.withheld,
                    "date_checked": score.date_checked,
                    "date_ok": score.date_ok,
                    "direct5": score.direct5,
                    "direct5_ok": score.direct5_ok,
                    "precision": score.precision,
                    "recall": score.recall,
                    "speaker_accuracy": score.speaker_accuracy,
                    "date_accuracy": score.date_accuracy,
                }
            )
    return rows


def _words(text: str) -> int:
    return len(re.findall(r"[^\W_]+(?:['’][^\W_]+)*", text))


def _kind(gold: GoldQuote) -> str:
    if gold.kind is not None:
        return gold.kind
    return "direct" if gold.text[:1].isupper() else "partial"


def evaluate(
    gold_dir: Path,
    registry: Registry | None = None,
    corpora: list[str] | None = None,
    min_confidence: float = 0.0,
) -> EvalResult:
    """Run extraction on every gold article under ``gold_dir/CORPUS/`` and score it.

    Extracted claims less confident than ``min_confidence`` are scored as a release would hold
    them: withheld, like an unattributed quotation (listed for curators, nobody's claim)."""
    registry = registry or Registry()
    result = EvalResult()
    root = gold_dir.resolve()
    folders = sorted(p for p in root.iterdir() if p.is_dir()) if root.is_dir() else []
    for folder in folders:
        if corpora and folder.name not in corpora:
            continue
        for path in sorted(folder.glob("*.yaml")):
            score, findings = _article(folder.name, path, root, registry, min_confidence)
            result.findings += findings
            if score is not None:
                result.articles.append(score)
    return result


def _article(
    corpus: str, path: Path, root: Path, registry: Registry, min_confidence: float = 0.0
) -> tuple[ArticleScore | None, list[Finding]]:
    source, findings = read_source(path, root, MAX_RECORD_BYTES)
    if source is None:
        return None, findings
    gold, _, findings = parse_model(source, GoldFile)
    if gold is None:
        return None, findings
    text_path = (path.parent / gold.text_file).resolve()
    # gold files are the project's own and name texts anywhere (the corpus' among them): the
    # text need not be inside the gold folder, but it is still read only as a regular file
    within = text_path.parent
    text_source, findings = read_source(text_path, root.parent, MAX_TEXT_BYTES, within=within)
    if text_source is None:
        return None, findings
    text = text_source.text
    extraction = extract(text, gold.published, registry)
    anchors: list[tuple[GoldQuote, Span]] = []
    problems: list[Finding] = []
    for quote in gold.quotes:
        span = _find(text, quote.text, quote.occurrence)
        if span is None:
            problems.append(
                finding(
                    "record/invalid-value",
                    file=source.display,
                    field="quotes.text",
                    detail=f"{quote.text[:60]!r} (occurrence {quote.occurrence}) is not in "
                    "the text",
                )
            )
            continue
        anchors.append((quote, span))
    score = _score(corpus, path.stem, gold.split, anchors, extraction, registry, min_confidence)
    return score, problems


def _find(text: str, words: str, occurrence: int) -> Span | None:
    position = -1
    for _ in range(occurrence):
        position = text.find(words, position + 1)
        if position < 0:
            return None
    return Span(position, position + len(words))


def _score(
    corpus: str,
    name: str,
    split: str,
    anchors: list[tuple[GoldQuote, Span]],
    extraction: Extraction,
    registry: Registry,
    min_confidence: float = 0.0,
) -> ArticleScore:
    quoted = [c for c in extraction.claims if c.kind is not ClaimKind.INDIRECT]
    released = [c for c in quoted if released_confidence(c.confidence) >= min_confidence]
    withheld = [c for c in quoted if released_confidence(c.confidence) < min_confidence]
    candidates = [(c, True) for c in released]
    candidates += [(c, False) for c in (*withheld, *extraction.unattributed)]
    below = {id(c) for c in withheld}
    pairs = []
    for g, (_quote, span) in enumerate(anchors):
        for c, (claim, _released) in enumerate(candidates):
            overlap = span.overlap(claim.span)
            if overlap and overlap >= 0.5 * min(len(span), len(claim.span)):
                pairs.append((overlap, g, c))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    gold_to: dict[int, int] = {}
    used: set[int] = set()
    for _, g, c in pairs:
        if g in gold_to or c in used:
            continue
        gold_to[g] = c
        used.add(c)
    score = ArticleScore(corpus, name, split, released=len(released))
    for g, (quote, _) in enumerate(anchors):
        if g not in gold_to:
            score.matches.append(Match(quote, None))
            continue
        claim, is_released = candidates[gold_to[g]]
        speaker_ok = _same_speaker(quote, claim if is_released else None, registry)
        date_ok = bool(
            is_released
            and quote.date is not None
            and claim.date is not None
            and claim.date.date == quote.date
        )
        score.matches.append(
            Match(quote, claim, is_released, speaker_ok, date_ok, withheld=id(claim) in below)
        )
    score.false_positives = [
        claim for c, (claim, is_released) in enumerate(candidates) if is_released and c not in used
    ]
    return score


def _same_speaker(gold: GoldQuote, claim: Claim | None, registry: Registry) -> bool:
    """Is the extracted speaker the gold one? ``claim`` is None for an unattributed quotation."""
    expected = gold.speaker
    speaker = claim.speaker if claim is not None else None
    if expected is None or speaker is None:
        return expected is None and speaker is None
    if isinstance(expected, GoldDescription):
        return speaker.unnamed and _same_description(expected.description, speaker.name)
    if expected in registry.entities or registry.lookup(expected):
        wanted = expected if expected in registry.entities else registry.lookup(expected)
        return speaker.entity_id == wanted
    if speaker.unnamed:
        return False
    a, b = normalise_name(expected).split(), normalise_name(speaker.name).split()
    if a == b:
        return True
    # "Toccafondi" for "Gabriele Toccafondi": same surname, one name contained in the other
    return a[-1:] == b[-1:] and (set(a) <= set(b) or set(b) <= set(a))


_HEAD_CUT = re.compile(r"\s(?:of|on|in|at|to|for|from|by|with)\s.*$")


def _same_description(expected: str, actual: str) -> bool:
    a, b = normalise_name(expected), normalise_name(actual)
    if a == b or a in b or b in a:
        return True
    head_a = _HEAD_CUT.sub("", a).split()[-1:]
    head_b = _HEAD_CUT.sub("", b).split()[-1:]
    return bool(head_a) and head_a == head_b


__all__ = [
    "ArticleScore",
    "EvalResult",
    "GoldFile",
    "GoldQuote",
    "Match",
    "Score",
    "evaluate",
    "summary",
]
