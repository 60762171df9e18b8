"""Fit the speaker ranker's weights on an annotated split and write ``speaker_weights.json``.

    pip install -c requirements.lock -e '.[train]'
    python eval/train_speakers.py ../shared/corpora/polnear/data/train

Reads every article of the split (brat standoff, see :mod:`newsld.extraction.standoff`), runs
extraction with the attribution rules only and records each quotation's candidate speakers and
their features. A candidate is right when it is the annotated source: by name, as the scorer
decides it, or for a description ("a longtime adviser") when the rules read it from the very
words annotated as the source. A bare pronoun says nothing about which candidate is right, nor
does a description none of the candidates was read from: those quotations are left out.
Quotations that overlap no annotated attribution at all (titles, scare quotes) are kept with
every candidate wrong, so that the model learns when a quotation is nobody's claim.

Fits a logistic regression over candidates (L2, scikit-learn), then a calibration of the chosen
candidate's probability to the share of right speakers (Platt scaling of its log-odds) on
out-of-fold predictions (articles split in five folds), so that the confidence is honest on
unseen text. Never fit this on a split you report on: fit on train, report on dev.

Reported speech ("X said that …") has no candidates to weigh: each of its rules gets one
confidence, the share of its claims on the train split that are an annotated attribution with
the right speaker.

The output is small and meant to be read in review: one weight per feature, the two numbers of
the calibration, one confidence per rule of reported speech, and where and how it was fitted.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from newsld.extraction import extract
from newsld.extraction.model import Claim, ClaimKind, Span
from newsld.extraction.ranking import WEIGHTS_FILE, Candidate
from newsld.extraction.speakers import Attribution
from newsld.extraction.standoff import (
    Article,
    GoldItem,
    is_pronoun_source,
    read_split,
    speaker_matches,
)

OUTPUT = Path(__file__).resolve().parents[1] / "src" / "newsld" / "extraction" / WEIGHTS_FILE
FOLDS = 5
MIN_CLAIMS = 30


Row = tuple[int, list[dict[str, float]], list[bool], bool]


def collect(folder: Path, limit: int) -> tuple[list[Row], dict[str, list[int]]]:
    """Per quotation: article number, candidates' features, candidates' labels, and whether the
    quotation is an annotated attribution (False: nobody's claim, every candidate wrong); and per
    rule of reported speech: [claims, on an annotated attribution, speakers scored, right]."""
    rows: list[Row] = []
    indirect: dict[str, list[int]] = {}
    for number, article in enumerate(read_split(folder, limit)):
        seen: list[tuple[Span, list[Candidate]]] = []

        def observe(span: Span, _found: Attribution, candidates: list[Candidate]) -> None:
            seen.append((span, candidates))  # noqa: B023 (called before the loop moves on)

        extraction = extract(article.text, article.published, None, rank=False, observe=observe)
        for claim in extraction.claims:
            if claim.kind is ClaimKind.INDIRECT:
                _count_indirect(indirect.setdefault(claim.rule, [0, 0, 0, 0]), claim, article)
        gold = [item for item in article.items if item.quoted]
        for span, candidates in seen:
            best, chosen = 0, None
            for item in gold:
                overlap = item.overlap(span.start, span.end)
                shorter = min(span.end - span.start, item.length) or 1
                if overlap / shorter >= 0.5 and overlap > best:
                    best, chosen = overlap, item
            if not candidates:
                continue
            if chosen is None:
                if any(item.overlap(span.start, span.end) for item in article.items):
                    continue  # part of an attribution, not matched as a whole: no evidence
                # no attribution anywhere near: a title or a scare quote, nobody's claim
                rows.append((number, _features(candidates), [False] * len(candidates), False))
                continue
            labels = _labels(candidates, chosen)
            if labels is not None:
                rows.append((number, _features(candidates), labels, True))
    return rows, indirect


def _count_indirect(counts: list[int], claim: Claim, article: Article) -> None:
    counts[0] += 1
    best, item = 0, None
    for candidate in article.items:
        overlap = candidate.overlap(claim.span.start, claim.span.end)
        if overlap > best:
            best, item = overlap, candidate
    if item is None:
        return
    counts[1] += 1
    right = speaker_matches(claim.speaker.name if claim.speaker else None, item.source)
    if right is not None and not is_pronoun_source(item.source):
        counts[2] += 1
        counts[3] += right


def indirect_confidence(counts: list[int]) -> float:
    """How often a claim of reported speech by this rule is an attribution with the right speaker:
    the share on an annotated attribution times the share of scored speakers right."""
    claims, on_attribution, scored, right = counts
    if not claims or not scored:
        return 0.0
    return (on_attribution / claims) * (right / scored)


def _features(candidates: list[Candidate]) -> list[dict[str, float]]:
    return [dict(c.features) for c in candidates]


def _labels(candidates: list[Candidate], item: GoldItem) -> list[bool] | None:
    """Which candidates are the annotated source (None: the annotation cannot tell).

    A named source is matched as the scorer does, by name; a description ("a longtime adviser",
    "the campaign") is matched by where it is: the candidate the rules read from those very
    words. A bare pronoun says nothing about who it is; nor does a description none of the
    candidates was read from (it may well be one of the named candidates, "the senator")."""
    if is_pronoun_source(item.source):
        return None
    named = [speaker_matches(c.speaker.name, item.source) for c in candidates]
    if named[0] is not None:
        return [bool(right) for right in named]
    read_there = [
        any(item_overlaps(item, span) for span in c.spans) and c.speaker.unnamed for c in candidates
    ]
    return read_there if any(read_there) else None


def item_overlaps(item: GoldItem, span: Span) -> bool:
    return any(min(b, span.end) > max(a, span.start) for a, b in item.source_pieces)


def matrix(rows, names: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    index = {name: i for i, name in enumerate(names)}
    features, labels, groups, articles = [], [], [], []
    for group, (article, candidates, rights, _) in enumerate(rows):
        for candidate, right in zip(candidates, rights, strict=True):
            vector = np.zeros(len(names))
            for name, value in candidate.items():
                vector[index[name]] = value
            features.append(vector)
            labels.append(right)
            groups.append(group)
            articles.append(article)
    return np.array(features), np.array(labels), np.array(groups), np.array(articles)


def fit(x: np.ndarray, y: np.ndarray, c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=2000).fit(x, y)


def chosen(probabilities: np.ndarray, y: np.ndarray, groups: np.ndarray) -> tuple[list, list]:
    """Per quotation: the top candidate's probability and whether it is right."""
    best: dict[int, tuple[float, bool]] = {}
    for p, right, group in zip(probabilities, y, groups, strict=True):
        if group not in best or p > best[group][0]:
            best[group] = (float(p), bool(right))
    return [b[0] for b in best.values()], [b[1] for b in best.values()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("split", type=Path, help="the split folder to fit on (train)")
    parser.add_argument("--limit", type=int, default=0, help="fit on the first N articles only")
    parser.add_argument("-C", type=float, default=1.0, help="inverse L2 strength")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    rows, indirect = collect(args.split, args.limit)
    pooled = [sum(counts[i] for counts in indirect.values()) for i in range(4)]
    names = sorted({name for _, candidates, _, _ in rows for c in candidates for name in c})
    x, y, groups, articles = matrix(rows, names)
    # out-of-fold probabilities, for the calibration and an honest accuracy on train
    folds = articles % FOLDS
    out_of_fold = np.zeros(len(y))
    for fold in range(FOLDS):
        if not (folds == fold).any():
            continue
        model = fit(x[folds != fold], y[folds != fold], args.C)
        out_of_fold[folds == fold] = model.predict_proba(x[folds == fold])[:, 1]
    top, right = chosen(out_of_fold, y, groups)
    attributed = [source for _, _, _, source in rows]
    # Platt scaling of the top candidate's log-odds: monotone and smooth, so it keeps the model's
    # ranking (an isotonic table would tie whole blocks of quotations at one confidence)
    logits = np.log(np.clip(top, 1e-6, 1 - 1e-6) / (1 - np.clip(top, 1e-6, 1 - 1e-6)))
    platt = LogisticRegression(C=1e6, max_iter=1000).fit(logits.reshape(-1, 1), right)
    model = fit(x, y, args.C)
    reachable = sum(any(rights) for _, _, rights, _ in rows)
    result = {
        "meta": {
            "fitted_on": args.split.name,
            "articles": sum(1 for _ in read_split(args.split, args.limit)),
            "quotations": sum(attributed),
            "quotations_of_nobody": len(rows) - sum(attributed),
            "candidates": len(y),
            "gold_among_candidates": round(reachable / sum(attributed), 4),
            "out_of_fold_speaker_accuracy": round(
                sum(r for r, a in zip(right, attributed, strict=True) if a) / sum(attributed), 4
            ),
            "C": args.C,
            "script": "eval/train_speakers.py",
            "reported_speech": {rule: counts for rule, counts in sorted(indirect.items())},
        },
        "bias": round(float(model.intercept_[0]), 4),
        "weights": {
            name: round(float(w), 4) for name, w in zip(names, model.coef_[0], strict=True)
        },
        "calibration": {
            "slope": round(float(platt.coef_[0][0]), 4),
            "intercept": round(float(platt.intercept_[0]), 4),
        },
        # reported speech has no candidates to weigh: one measured confidence per rule (a rule
        # seen fewer than MIN_CLAIMS times gets that of all reported speech together)
        "reported_speech": {
            rule: round(indirect_confidence(counts if counts[0] >= MIN_CLAIMS else pooled), 2)
            for rule, counts in sorted(indirect.items())
        },
    }
    args.output.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    json.dump(result["meta"], sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
