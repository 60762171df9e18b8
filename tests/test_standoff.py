"""Scoring on a corpus annotated in brat standoff (PolNeAR's layout): the same numbers as
PolNeAR's scorer, a reliability table, and ``newsld eval`` on a split folder.

The ``layout`` fixture writes a two-article corpus made up for these tests in PolNeAR's layout
into a temporary folder (none of PolNeAR's texts or annotations; no annotation file is kept in the
repository). Tests that use PolNeAR itself skip without ``../shared``.
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
POLNEAR = ROOT.parent / "shared" / "corpora" / "polnear"
needs_polnear = pytest.mark.skipif(
    not (POLNEAR / "score.py").is_file(), reason="PolNeAR is not beside the project (../shared)"
)


# (name, date, text, attributions as (source, cue, content): each the first occurrence of its
# words after the optional anchor)
ARTICLES = [
    (
        "harbour",
        "2024-03-04",
        "Harbour plan divides the council\n\n"
        "“The harbour will be dredged this year,” Mayor Ana Lima said on Monday.\n\n"
        "He added that “nobody will lose a mooring.”\n\n"
        "Councillor Ben Ortiz disagreed. “We have heard that promise before,” he said.\n\n"
        "The marina was closed for “safety checks” last week.\n",
        [
            (
                ("Mayor Ana Lima", ""),
                ("said", ""),
                ("“The harbour will be dredged this year,”", ""),
            ),
            (("He", "\nHe"), ("added", ""), ("that “nobody will lose a mooring.”", "")),
            (
                ("he", "” he said"),
                ("said", "” he said"),
                ("“We have heard that promise before,”", ""),
            ),
        ],
    ),
    (
        "ferry",
        "2024-02-01",
        "Ferry fares to rise in spring\n\n"
        "The ferry company said fares would rise by a tenth in April.\n\n"
        "“Fuel costs have doubled,” said Rosa Kim, the company’s director. “We cannot absorb "
        "that.”\n\n"
        "Passengers were unhappy. “It is a tax on islanders,” one commuter said.\n",
        [
            (("The ferry company", ""), ("said", ""), ("fares would rise by a tenth in April", "")),
            (
                ("Rosa Kim, the company’s director", ""),
                ("said", "Fuel"),
                ("“Fuel costs have doubled,”", ""),
            ),
            (
                ("Rosa Kim, the company’s director", ""),
                ("said", "Fuel"),
                ("“We cannot absorb that.”", ""),
            ),
            (("one commuter", ""), ("said", "commuter"), ("“It is a tax on islanders,”", "")),
        ],
    ),
]


def _ann(text: str, attributions: list) -> str:
    """The attributions in brat standoff, as PolNeAR writes them (T spans, E relations)."""
    lines, relations = [], []
    for number, parts in enumerate(attributions, start=1):
        ids = []
        for label, (words, anchor) in zip(("Source", "Cue", "Content"), parts, strict=True):
            start = text.index(words, text.index(anchor) if anchor else 0)
            ids.append(f"T{len(lines) + 1}")
            lines.append(f"{ids[-1]}\t{label} {start} {start + len(words)}\t{words}")
        relations.append(
            f"E{number}\tAttribution:{ids[1]} Source:{ids[0]} Cue:{ids[1]} Content:{ids[2]}"
        )
    return "\n".join(lines + relations) + "\n"


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``ROOT/data/dev/{text,attributions}`` and ``ROOT/data/metadata.tsv``, as PolNeAR's."""
    root = tmp_path_factory.mktemp("polnear-layout")
    split = root / "data" / "dev"
    (split / "text").mkdir(parents=True)
    (split / "attributions").mkdir()
    rows = ["compartment\tfile\tpublisher\tauthor\ttitle\tdate"]
    for name, date, text, attributions in ARTICLES:
        (split / "text" / f"{name}.txt").write_text(text, encoding="utf-8")
        (split / "attributions" / f"{name}_annotator1.ann").write_text(
            _ann(text, attributions), encoding="utf-8"
        )
        rows.append(f"dev\t{name}\tThe Test Gazette\tStaff\t{text.splitlines()[0]}\t{date}")
    (root / "data" / "metadata.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def split(layout: Path) -> Path:
    return layout / "data" / "dev"


def test_a_split_is_read_with_its_publication_dates_and_attributions(split: Path) -> None:
    articles = {a.name: a for a in read_split(split)}
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


def test_the_fixture_scores_as_expected(split: Path) -> None:
    score = evaluate_split(split)
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
def test_the_numbers_are_polnear_s_scorer_s(layout: Path, split: Path) -> None:
    """The in-process scorer and ../shared/corpora/polnear/score.py agree on the fixture."""
    newsld = Path(sys.executable).parent / "newsld"
    done = subprocess.run(
        [
            sys.executable,
            str(POLNEAR / "score.py"),
            "--root",
            str(layout),
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
    ours = evaluate_split(split).as_dict()
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


def test_newsld_eval_scores_a_split_folder(split: Path) -> None:
    result = CliRunner().invoke(app, ["eval", str(split)])
    assert result.exit_code == 0, result.output
    assert "reliability" in result.output
    assert "articles/s" in result.output
    assert f"{DEFAULT_MIN_CONFIDENCE:.2f}" not in result.output or "<- release" in result.output
    result = CliRunner().invoke(app, ["eval", str(split), "--format", "json"])
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


def test_the_training_script_fits_weights_the_runtime_reads(split: Path, tmp_path: Path) -> None:
    pytest.importorskip("sklearn")
    from newsld.extraction.ranking import Model

    output = tmp_path / "weights.json"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "eval" / "train_speakers.py"),
            str(split),
            "--output",
            str(output),
        ],
        check=True,
        capture_output=True,
    )
    model = Model.from_json(json.loads(output.read_text(encoding="utf-8")))
    assert model.weights and model.calibration is not None
    assert model.meta["fitted_on"] == "dev"
