"""Score extraction on a corpus annotated in brat standoff (PolNeAR's layout), in one process.

A split folder holds ``text/NAME.txt`` and ``attributions/NAME_ANNOTATOR.ann`` (``T`` lines are
spans ``LABEL start end;start end``, ``E`` lines tie a Source, a Cue and a Content); publication
dates come from a ``metadata.tsv`` beside or above the folder (column 2 the file name, column 6
the date), when there is one. The metrics are those of PolNeAR's ``score.py``:

- gold items are attributions whose content holds a quotation mark (direct and mixed quotes);
- recall: gold items overlapped by an extracted quotation for at least half of the shorter span;
- precision: extracted quotations that overlap any annotated content, quoted or paraphrased;
- speaker accuracy: of matched items whose gold source holds a capitalised word, those whose
  predicted speaker shares the source's last capitalised token (or whose last token is in it).

Sources that are only a pronoun ("He", capitalised at the start of a sentence) count for that
scorer although its own description says pronouns are scored only for the content; a speaker
resolved to the person ("Alan Garten" for "He") is wrong there. Both figures are given: the
scorer's, and one without pronoun sources (:attr:`Score.speaker_accuracy_named`).

Nothing is printed: :func:`evaluate_split` returns a :class:`Score` (``newsld eval`` renders it).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsld.corpus.dates import PartialDate
from newsld.corpus.reader import Registry
from newsld.corpus.records import released_confidence

from .lexicon import PRONOUNS
from .model import Claim, Extraction, Span

QUOTE_MARKS = '\u201c\u201d"'
_NAME_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]+")
_NOT_NAMES = frozenset({"the", "a", "an", "of", "mr", "mrs", "ms", "dr", "said", "says"})
RELIABILITY_THRESHOLDS = (0.0, 0.3, 0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95)


@dataclass(frozen=True)
class GoldItem:
    pieces: tuple[tuple[int, int], ...]  # the content's spans
    source: str  # the source's words ("" when the annotation gives none)
    quoted: bool  # the content holds a quotation mark
    source_pieces: tuple[tuple[int, int], ...] = ()  # where the source's words are

    @property
    def length(self) -> int:
        return sum(b - a for a, b in self.pieces)

    def overlap(self, start: int, end: int) -> int:
        return sum(max(0, min(end, b) - max(start, a)) for a, b in self.pieces)


@dataclass(frozen=True)
class Article:
    name: str
    text: str
    published: PartialDate | None
    items: tuple[GoldItem, ...]


def read_ann(text: str, ann: str) -> tuple[GoldItem, ...]:
    """The attributions of one ``.ann`` file (every one with a content)."""
    spans: dict[str, tuple[tuple[int, int], ...]] = {}
    items: list[GoldItem] = []
    relations: list[dict[str, str]] = []
    for line in ann.splitlines():
        columns = line.split("\t")
        if line.startswith("T") and len(columns) >= 2:
            _label, _, offsets = columns[1].partition(" ")
            try:
                pieces = tuple(
                    (int(a), int(b)) for a, b in (piece.split() for piece in offsets.split(";"))
                )
            except ValueError:
                continue
            spans[columns[0]] = pieces
        elif line.startswith("E") and len(columns) >= 2:
            relations.append(dict(part.split(":", 1) for part in columns[1].split() if ":" in part))
    for relation in relations:
        content = spans.get(relation.get("Content", ""))
        if content is None:
            continue
        words = " ".join(text[a:b] for a, b in content)
        source = spans.get(relation.get("Source", ""), ())
        source_words = " ".join(text[a:b] for a, b in source)
        quoted = any(q in words for q in QUOTE_MARKS)
        items.append(GoldItem(content, source_words, quoted, source))
    return tuple(items)


def read_split(folder: Path, limit: int = 0) -> Iterator[Article]:
    """The annotated articles of a split folder, in name order (the first annotator's file)."""
    dates = _metadata_dates(folder)
    annotations: dict[str, Path] = {}
    for path in sorted((folder / "attributions").glob("*.ann")):
        annotations.setdefault(path.stem.rsplit("_", 1)[0], path)
    names = sorted(annotations)[: limit or None]
    for name in names:
        text = (folder / "text" / f"{name}.txt").read_text(encoding="utf-8")
        items = read_ann(text, annotations[name].read_text(encoding="utf-8"))
        published = PartialDate.parse(dates[name]) if dates.get(name) else None
        yield Article(name, text, published, items)


def is_split(folder: Path) -> bool:
    return (folder / "text").is_dir() and (folder / "attributions").is_dir()


def _metadata_dates(folder: Path) -> dict[str, str]:
    for candidate in (folder / "metadata.tsv", folder.parent / "metadata.tsv"):
        if candidate.is_file():
            dates = {}
            for row in candidate.read_text(encoding="utf-8").splitlines()[1:]:
                columns = row.split("\t")
                if len(columns) > 5 and re.fullmatch(r"\d{4}(-\d\d){0,2}", columns[5].strip()):
                    dates[columns[1]] = columns[5].strip()
            return dates
    return {}


def name_tokens(words: str) -> list[str]:
    return [t for t in _NAME_TOKEN.findall(words or "") if t.lower() not in _NOT_NAMES]


def is_pronoun_source(source: str) -> bool:
    return [t.lower() for t in name_tokens(source)] in ([p] for p in PRONOUNS)


def speaker_matches(predicted: str | None, source: str) -> bool | None:
    """Whether a predicted speaker is the gold source, as PolNeAR's scorer decides it (None: the
    source has no capitalised word and is not scored)."""
    gold = [t for t in name_tokens(source) if t[0].isupper()]
    if not gold:
        return None
    guess = [t.lower() for t in name_tokens(predicted or "")]
    if not guess:
        return False
    return gold[-1].lower() in guess or guess[-1] in {t.lower() for t in gold}


@dataclass(frozen=True)
class Reliability:
    """Released claims at one ``min_confidence``: how many are scored, how many of them have the
    right speaker (all scored sources, and named ones only), and how much of the gold they keep."""

    min_confidence: float
    scored: int
    right: float
    named: int
    named_right: float
    gold_released: float  # gold quotations matched by a released claim, of all gold quotations

    def as_dict(self) -> dict[str, float | int]:
        return {
            "min_confidence": self.min_confidence,
            "scored": self.scored,
            "speaker_right": round(self.right, 3),
            "scored_named": self.named,
            "speaker_right_named": round(self.named_right, 3),
            "gold_released": round(self.gold_released, 3),
        }


@dataclass
class Score:
    articles: int = 0
    seconds: float = 0.0
    gold_quoted: int = 0
    found: int = 0  # gold items matched by an extracted quotation
    predicted: int = 0
    precise: int = 0
    speaker_scored: int = 0
    speaker_right: int = 0
    named_scored: int = 0  # the same, without pronoun sources
    named_right: int = 0
    # (confidence, right, named source) of every scored match: the reliability table
    confidences: list[tuple[float, bool, bool]] = field(default_factory=list)
    matched: list[float] = field(default_factory=list)  # the confidence of every matched gold item

    @property
    def recall(self) -> float:
        return self.found / self.gold_quoted if self.gold_quoted else 0.0

    @property
    def precision(self) -> float:
        return self.precise / self.predicted if self.predicted else 0.0

    @property
    def f1(self) -> float:
        total = self.recall + self.precision
        return 2 * self.recall * self.precision / total if total else 0.0

    @property
    def speaker_accuracy(self) -> float:
        return self.speaker_right / self.speaker_scored if self.speaker_scored else 0.0

    @property
    def speaker_accuracy_named(self) -> float:
        return self.named_right / self.named_scored if self.named_scored else 0.0

    @property
    def articles_per_second(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    def reliability(
        self, thresholds: tuple[float, ...] = RELIABILITY_THRESHOLDS
    ) -> list[Reliability]:
        """One row per confidence threshold: what a release at that ``min_confidence`` holds."""
        return [self._at(threshold) for threshold in thresholds]

    def _at(self, threshold: float) -> Reliability:
        kept = [(right, named) for c, right, named in self.confidences if c >= threshold]
        named = [right for right, is_named in kept if is_named]
        released = sum(1 for confidence in self.matched if confidence >= threshold)
        return Reliability(
            threshold,
            len(kept),
            sum(right for right, _ in kept) / len(kept) if kept else 0.0,
            len(named),
            sum(named) / len(named) if named else 0.0,
            released / self.gold_quoted if self.gold_quoted else 0.0,
        )

    def lowest_threshold(self, precision: float) -> float | None:
        """The lowest threshold (in hundredths, as releases compare two decimals) at which released
        claims with a named source have the right speaker at least ``precision`` of the time."""
        for hundredths in range(101):
            threshold = hundredths / 100
            row = self._at(threshold)
            if row.named and row.named_right >= precision:
                return threshold
        return None

    def as_dict(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "gold_quoted": self.gold_quoted,
            "predicted": self.predicted,
            "content_recall": round(self.recall, 3),
            "content_precision": round(self.precision, 3),
            "content_f1": round(self.f1, 3),
            "speaker_scored": self.speaker_scored,
            "speaker_accuracy": round(self.speaker_accuracy, 3),
            "speaker_scored_named": self.named_scored,
            "speaker_accuracy_named": round(self.speaker_accuracy_named, 3),
            "articles_per_second": round(self.articles_per_second, 1),
            "reliability": [row.as_dict() for row in self.reliability()],
        }


def score_article(article: Article, extraction: Extraction, score: Score) -> None:
    """Add one article's matches to ``score`` (the scorer's rules, see the module docstring)."""
    # what ``newsld extract --format jsonl`` prints, in its order: claims, unattributed, events
    predictions: list[tuple[Span, Claim | None]] = [
        *((c.span, c) for c in extraction.claims),
        *((c.span, c) for c in extraction.unattributed),
        *((e.span, None) for e in extraction.events),
    ]
    used: set[int] = set()
    gold = [item for item in article.items if item.quoted]
    score.gold_quoted += len(gold)
    score.predicted += len(predictions)
    for item in gold:
        best, chosen = 0, None
        for index, (span, _claim) in enumerate(predictions):
            overlap = item.overlap(span.start, span.end)
            shorter = min(span.end - span.start, item.length) or 1
            if overlap / shorter >= 0.5 and overlap > best:
                best, chosen = overlap, index
        if chosen is None:
            continue
        score.found += 1
        used.add(chosen)
        claim = predictions[chosen][1]
        speaker = claim.speaker if claim is not None else None
        # as a release compares it with min_confidence
        confidence = (
            released_confidence(claim.confidence)
            if claim is not None and speaker is not None
            else 0.0
        )
        score.matched.append(confidence)
        right = speaker_matches(speaker.name if speaker else None, item.source)
        if right is None:
            continue
        score.speaker_scored += 1
        score.speaker_right += right
        named = not is_pronoun_source(item.source)
        score.confidences.append((confidence, right, named))
        if named:
            score.named_scored += 1
            score.named_right += right
    for index, (span, _claim) in enumerate(predictions):
        if index in used or any(item.overlap(span.start, span.end) > 0 for item in article.items):
            score.precise += 1


def evaluate_split(
    folder: Path,
    registry: Registry | None = None,
    limit: int = 0,
    extract: Callable[..., Extraction] | None = None,
) -> Score:
    """Extract every article of a split folder and score it (see the module docstring)."""
    if extract is None:
        from .extractor import extract as default

        extract = default
    score = Score()
    for article in read_split(folder, limit):
        started = time.perf_counter()
        extraction = extract(article.text, article.published, registry)
        score.seconds += time.perf_counter() - started
        score.articles += 1
        score_article(article, extraction, score)
    return score
