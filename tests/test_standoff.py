"""Scoring on a corpus annotated in brat standoff (PolNeAR's layout): the same numbers as
PolNeAR's scorer, a reliability table, and ``newsld eval`` on a split folder.

``tests/data/polnear-layout`` is a two-article corpus written for these tests in PolNeAR's layout
(none of PolNeAR's texts or annotations). Tests that use PolNeAR itself skip without
``../shared``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsld.cli import app
from newsld.corpus.records import DEFAULT_MIN_CONFIDENCE
from newsld.extraction.standoff import (
    evaluate_split,
    is_pronoun_source,
    read_split,
    speaker_matches,
)

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = ROOT / "tests" / "data" / "polnear-layout"
SPLIT = LAYOUT / "data" / "dev"
POLNEAR = ROOT.parent / "shared" / "corpora" / "polnear"
needs_polnear = pytest.mark.skipif(
    not (POLNEAR / "score.py").is_file(), reason="PolNeAR is not beside the project (../shared)"
)


def test_a_split_is_read_with_its_publication_dates_and_attributions() -> None:
    articles = {a.name: a for a in read_split(SPLIT)}
    assert sorted(articles) == ["ferry", "harbour"]
    harbour = articles["harbour"]
    assert str(harbour.published) == "2024-03-04"
    assert [i.source for i in harbour.items] == ["Mayor Ana Lima", "He", "he"]
    assert all(i.quoted for i in harbour.items)
    ferry = articles["ferry"]
    assert [i.quoted for i in ferry.items] == [False, True, True, True]  # a paraphrase first


def test_speakers_are_matched_as_the_scorer_matches_them() -> None:
    assert speaker_matches("Ana Lima", "Mayor Ana Lima")
    assert speaker_matches("Lima", "Mayor Ana Lima")
    assert not speaker_matches("Ben Ortiz", "Mayor Ana Lima")
    assert not speaker_matches(None, "Mayor Ana Lima")
    assert speaker_matches("Ana Lima", "one commuter") is None  # nothing capitalised: unscored
    # a bare pronoun at the start of a sentence is capitalised, so the scorer scores it
    assert speaker_matches("Ana Lima", "He") is False
    assert is_pronoun_source("He") and is_pronoun_source("she ")
    assert not is_pronoun_source("Mayor Ana Lima")


def test_the_fixture_scores_as_expected() -> None:
    score = evaluate_split(SPLIT)
    assert (score.articles, score.gold_quoted, score.found) == (2, 6, 6)
    # the ferry's paraphrase is no quotation, but a claim on it is no false positive either
    assert score.precision == pytest.approx(7 / 8)
    # Lima, "He" (scored, and never a resolved name), Kim twice; "he" and the commuter unscored
    assert (score.speaker_scored, score.speaker_right) == (4, 3)
    assert (score.named_scored, score.named_right) == (3, 3)
    top = score.reliability((0.0,))[0]
    assert top.scored == 4 and top.named_right == 1.0 and top.gold_released == 1.0
    assert score.lowest_threshold(0.95) == 0.0


@needs_polnear
def test_the_numbers_are_polnear_s_scorer_s(tmp_path: Path) -> None:
    """The in-process scorer and ../shared/corpora/polnear/score.py agree on the fixture."""
    newsld = Path(sys.executable).parent / "newsld"
    done = subprocess.run(
        [
            sys.executable,
            str(POLNEAR / "score.py"),
            "--root",
            str(LAYOUT),
            "--split",
            "dev",
            "--cmd",
            f"{newsld} extract --format jsonl --published {{date}} {{path}}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    theirs = json.loads(done.stdout.strip().splitlines()[-1])
    ours = evaluate_split(SPLIT).as_dict()
    for key in (
        "articles",
        "gold_quoted",
        "predicted",
        "content_recall",
        "content_precision",
        "content_f1",
        "speaker_scored",
        "speaker_accuracy",
    ):
        assert ours[key] == theirs[key], key


def test_newsld_eval_scores_a_split_folder() -> None:
    result = CliRunner().invoke(app, ["eval", str(SPLIT)])
    assert result.exit_code == 0, result.output
    assert "reliability" in result.output
    assert "articles/s" in result.output
    assert f"{DEFAULT_MIN_CONFIDENCE:.2f}" not in result.output or "<- release" in result.output
    result = CliRunner().invoke(app, ["eval", str(SPLIT), "--format", "json"])
    data = json.loads(result.output)
    assert data["content_recall"] == 1.0
    assert [row["min_confidence"] for row in data["reliability"]][:2] == [0.0, 0.3]


def test_newsld_eval_says_so_when_a_folder_holds_no_articles(tmp_path: Path) -> None:
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    result = CliRunner().invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 2
    assert "no annotated articles" in result.output


@needs_polnear
def test_polnear_dev_speakers_and_confidence() -> None:
    """The issue's targets on the split nothing was fitted on (the weights come from train)."""
    score = evaluate_split(POLNEAR / "data" / "dev")
    assert score.f1 >= 0.93
    assert score.speaker_accuracy_named >= 0.90
    # confidence means something: claims at least c confident are right at least c - 0.05
    for row in score.reliability():
        if row.scored >= 30:
            assert row.right >= row.min_confidence - 0.05, row
    # the default policy is the one measured here
    released = score.reliability((DEFAULT_MIN_CONFIDENCE,))[0]
    assert released.named_right >= 0.95
    assert score.lowest_threshold(0.95) == DEFAULT_MIN_CONFIDENCE


def test_the_training_script_fits_weights_the_runtime_reads(tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from newsld.extraction.ranking import Model

    output = tmp_path / "weights.json"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "eval" / "train_speakers.py"),
            str(SPLIT),
            "--output",
            str(output),
        ],
        check=True,
        capture_output=True,
    )
    model = Model.from_json(json.loads(output.read_text(encoding="utf-8")))
    assert model.weights and model.calibration is not None
    assert model.meta["fitted_on"] == "dev"
