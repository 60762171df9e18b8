"""The release policy for extracted claims: those below ``min_confidence`` are withheld from
every dump and listed in ``review.jsonl`` for curators, with unattributed quotations.

No test here knows the extractor's confidences: thresholds are chosen from what a build with
``min_confidence=0`` released, so the tests hold whatever the extractor's scores become, and
the default is only ever named as ``DEFAULT_MIN_CONFIDENCE``.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
import yaml
from rdflib import Graph, URIRef
from typer.testing import CliRunner

from newsld.cli import app
from newsld.corpus import records
from newsld.corpus.records import DEFAULT_MIN_CONFIDENCE
from newsld.rdf.namespaces import NLD
from newsld.release import state
from newsld.release.build import BuildOptions, BuildResult, build
from newsld.release.review import REVIEW_FILE

from .conftest import CORPUS

runner = CliRunner()
DUMPS = ("newsld.ttl", "newsld.nt.gz", "newsld.nq.gz", "newsld.jsonld")


def _build(corpus: Path, out: Path, **options: object) -> BuildResult:
    result = build(corpus, out, BuildOptions(**options))  # type: ignore[arg-type]
    assert result.written, [f.message for f in result.report.errors]
    return result


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _review(out: Path) -> list[dict]:
    lines = (out / REVIEW_FILE).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def _dump_text(out: Path) -> str:
    """Every dump's text, decompressed: what "not in any dump" is checked against."""
    parts = []
    for name in DUMPS:
        data = (out / name).read_bytes()
        parts.append((gzip.decompress(data) if name.endswith(".gz") else data).decode("utf-8"))
    return "\n".join(parts)


def _extracted(out: Path) -> dict[URIRef, tuple[float, str, int, int]]:
    """Each extracted claim's appearance in a release: confidence, article, start, end."""
    graph = Graph().parse(out / "newsld.ttl")
    found = {}
    for claim, confidence in graph.subject_objects(NLD.confidence):
        if (claim, None, NLD.ClaimAppearance) in graph:
            article = str(graph.value(claim, NLD.source))
            start = int(graph.value(claim, NLD.evidenceStart))  # type: ignore[arg-type]
            end = int(graph.value(claim, NLD.evidenceEnd))  # type: ignore[arg-type]
            found[claim] = (float(confidence), article, start, end)
    return found


@pytest.fixture(scope="module")
def everything(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus released with nothing withheld."""
    out = tmp_path_factory.mktemp("everything") / "dist"
    _build(CORPUS, out, min_confidence=0.0)
    return out


@pytest.fixture(scope="module")
def threshold(everything: Path) -> float:
    """A threshold that withholds some extracted claims of the seed corpus but not all: just
    above the lowest confidence released."""
    confidences = sorted({c for c, *_ in _extracted(everything).values()})
    assert len(confidences) >= 2, "the seed corpus needs extracted claims of two confidences"
    return (confidences[0] + confidences[1]) / 2


def _below(everything: Path, threshold: float) -> set[tuple[str, int, int]]:
    return {(a, s, e) for c, a, s, e in _extracted(everything).values() if c < threshold}


def test_claims_below_the_threshold_are_in_no_dump_but_in_the_review_file(
    everything: Path, threshold: float, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    result = _build(CORPUS, out, min_confidence=threshold)
    withheld = {iri: claim for iri, claim in _extracted(everything).items() if claim[0] < threshold}
    assert withheld
    dumps = _dump_text(out)
    for iri in withheld:
        assert str(iri) not in dumps  # not in Turtle, N-Triples, N-Quads nor JSON-LD
        assert iri.rsplit("/", 1)[1] not in dumps  # nor compacted
    assert set(_extracted(out)) == set(_extracted(everything)) - set(withheld)

    rows = [r for r in _review(out) if r["why"] == "below-confidence"]
    assert {(r["article"], r["start"], r["end"]) for r in rows} == {
        (a, s, e) for _, a, s, e in withheld.values()
    }
    text = (CORPUS.parent / rows[0]["text_file"]).read_text(encoding="utf-8")
    assert text[rows[0]["start"] : rows[0]["end"]] == rows[0]["text"]
    for row in rows:
        assert row["confidence"] < threshold
        assert row["record"].startswith("corpus/articles/") and row["record"].endswith(".yaml")
        assert row["speaker"] and row["date"] and row["rule"] and row["kind"]
    assert [(r["record"], r["start"], r["end"]) for r in _review(out)] == sorted(
        (r["record"], r["start"], r["end"]) for r in _review(out)
    )  # corpus order, then text order

    report = json.loads((out / "report.json").read_text())
    assert report["review"] == {
        "file": REVIEW_FILE,
        "min_confidence": threshold,
        "claims_withheld": len(withheld),
        "unattributed": len([r for r in _review(out) if r["why"] == "unattributed"]),
    }
    assert report["stats"]["claims_withheld"] == len(withheld)
    everything_stats = json.loads((everything / "report.json").read_text())["stats"]
    assert result.stats["claims"] == everything_stats["claims"] - len(withheld)
    assert result.review is not None and result.review.withheld == len(withheld)
    manifest = json.loads((out / "manifest.json").read_text())
    assert REVIEW_FILE in manifest["files"]  # with its size and sha256


def test_without_a_setting_the_default_applies(
    everything: Path, threshold: float, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = _build(CORPUS, tmp_path / "default")
    below = _below(everything, DEFAULT_MIN_CONFIDENCE)
    assert result.review is not None
    assert result.review.min_confidence == DEFAULT_MIN_CONFIDENCE
    assert result.review.withheld == len(below)
    rows = [r for r in _review(tmp_path / "default") if r["why"] == "below-confidence"]
    assert {(r["article"], r["start"], r["end"]) for r in rows} == below
    # the default is the constant, read when a build starts
    monkeypatch.setattr(records, "DEFAULT_MIN_CONFIDENCE", threshold)
    moved = _build(CORPUS, tmp_path / "moved")
    assert moved.review is not None and moved.review.min_confidence == threshold
    assert moved.review.withheld == len(_below(everything, threshold)) > 0


def test_min_confidence_zero_releases_every_extracted_claim(
    everything: Path, threshold: float, tmp_path: Path
) -> None:
    assert not [r for r in _review(everything) if r["why"] == "below-confidence"]
    report = json.loads((everything / "report.json").read_text())
    assert report["review"]["claims_withheld"] == 0
    # whatever the threshold, released and withheld claims add up to everything
    part = _build(CORPUS, tmp_path / "part", min_confidence=threshold)
    assert part.review is not None
    assert part.stats["claims"] + part.review.withheld == report["stats"]["claims"]


def test_curated_claims_are_never_withheld(everything: Path, tmp_path: Path) -> None:
    curated = _build(CORPUS, tmp_path / "curated", extract=False)
    strict = _build(CORPUS, tmp_path / "strict", min_confidence=1.0)
    curated_claims = set(
        Graph().parse(tmp_path / "curated" / "newsld.ttl").subjects(None, NLD.Claim)
    )
    strict_claims = set(Graph().parse(tmp_path / "strict" / "newsld.ttl").subjects(None, NLD.Claim))
    assert curated_claims and curated_claims <= strict_claims
    certain = [c for c, *_ in _extracted(everything).values() if c >= 1.0]
    assert strict.stats["claims"] == curated.stats["claims"] + len(certain)
    assert all(r["confidence"] < 1.0 for r in _review(tmp_path / "strict"))
    assert not (tmp_path / "curated" / REVIEW_FILE).read_text()  # nothing extracted


def test_a_curated_claim_over_the_same_words_takes_it_off_the_review_list(
    corpus: Path, tmp_path: Path
) -> None:
    _build(corpus, tmp_path / "before", min_confidence=1.0)
    row = next(r for r in _review(tmp_path / "before") if r["speaker_id"])
    record = corpus.parent / row["record"]
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    data.setdefault("claims", []).append(
        {
            "text": row["text"],
            "kind": row["kind"],
            "speaker": row["speaker_id"],
            "date": row["date"],
        }
    )
    record.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    _build(corpus, tmp_path / "after", min_confidence=1.0)
    after = _review(tmp_path / "after")
    assert not [r for r in after if (r["record"], r["start"]) == (row["record"], row["start"])]
    assert all(r in _review(tmp_path / "before") for r in after)


def test_the_build_summary_counts_withheld_claims(
    threshold: float, corpus: Path, tmp_path: Path
) -> None:
    out = tmp_path / "dist"
    result = runner.invoke(
        app,
        [
            "build",
            "-c",
            str(corpus),
            "-o",
            str(out),
            "--no-cache",
            "--jobs",
            "1",
            "--min-confidence",
            str(threshold),
        ],
    )
    assert result.exit_code == 0, result.output
    withheld = json.loads((out / "report.json").read_text())["review"]["claims_withheld"]
    assert withheld > 0
    assert f"{withheld} extracted claims withheld below confidence {threshold:g}" in result.stdout
    assert f"{out / REVIEW_FILE}" in result.stdout.replace("\n", "")
    bad = runner.invoke(app, ["build", "-c", str(corpus), "-o", str(out), "--min-confidence", "2"])
    assert bad.exit_code == 2 and "--min-confidence" in bad.output


# ---- dataset.yaml ----


@pytest.mark.parametrize("value", ["2", "-0.1", '"high"', '"0.5"', "true", ".nan"])
def test_a_bad_min_confidence_is_a_finding_with_file_line_and_field(
    corpus: Path, tmp_path: Path, value: str
) -> None:
    settings = corpus / "dataset.yaml"
    settings.write_text(settings.read_text() + f"min_confidence: {value}\n")
    line = settings.read_text().count("\n")
    out = tmp_path / "dist"
    result = build(corpus, out, BuildOptions())
    assert not result.written and not out.exists()
    [problem] = [f for f in result.report.errors if f.field == "min_confidence"]
    assert problem.code == "record/invalid-value"
    assert problem.file is not None and problem.file.endswith("dataset.yaml")
    assert problem.line == line
    assert "a number from 0 to 1" in problem.message
    cli = runner.invoke(app, ["build", "-c", str(corpus), "-o", str(out), "--no-cache"])
    assert cli.exit_code == 1  # like every other bad dataset.yaml value: data, not usage
    assert "min_confidence" in cli.stderr and "Traceback" not in cli.output


def test_dataset_min_confidence_applies_and_the_command_line_overrides_it(
    everything: Path, threshold: float, corpus: Path, tmp_path: Path
) -> None:
    settings = corpus / "dataset.yaml"
    settings.write_text(settings.read_text() + f"min_confidence: {threshold}\n")
    result = _build(corpus, tmp_path / "set")
    assert result.review is not None and result.review.min_confidence == threshold
    assert result.review.withheld == len(_below(everything, threshold)) > 0
    overridden = _build(corpus, tmp_path / "overridden", min_confidence=0.0)
    assert overridden.review is not None and overridden.review.withheld == 0


# ---- incremental and parallel builds ----


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written a moment ago are trusted by their stat signature (see test_incremental)."""
    monkeypatch.setattr(state, "RACY_NS", 0)


@pytest.mark.parametrize("jobs", [1, 2])
def test_reused_records_bring_their_review_rows(
    threshold: float, corpus: Path, tmp_path: Path, trusting: None, jobs: int
) -> None:
    cache = tmp_path / "cache"
    options = {"min_confidence": threshold, "cache_dir": cache, "jobs": jobs}
    first = _files(_build(corpus, tmp_path / "dist", **options).out_dir)
    assert first[REVIEW_FILE].count(b'"below-confidence"') > 0
    again = _build(corpus, tmp_path / "dist", **options)
    assert again.timings.get("reused") == 5  # every record copied, none extracted again
    assert _files(tmp_path / "dist") == first
    assert again.review is not None and again.review.withheld > 0
    # one record edited: it alone is redone, the review file is the full build's
    record = sorted((corpus / "articles").glob("*.yaml"))[2]
    record.write_text(record.read_text().replace("language: en", "language: en-GB"))
    edited = _build(corpus, tmp_path / "dist", **options)
    assert edited.timings.get("reused") == 4
    fresh = _build(corpus, tmp_path / "fresh", min_confidence=threshold, jobs=1)
    assert _files(tmp_path / "dist") == _files(tmp_path / "fresh")
    assert edited.review == fresh.review
    assert (
        json.loads((tmp_path / "dist" / "report.json").read_text())["review"]
        == json.loads((tmp_path / "fresh" / "report.json").read_text())["review"]
    )


@pytest.mark.parametrize("where", ["option", "dataset.yaml"])
def test_a_new_threshold_redoes_what_it_changes(
    everything: Path, threshold: float, corpus: Path, tmp_path: Path, trusting: None, where: str
) -> None:
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "dist", cache_dir=cache, min_confidence=0.0)
    if where == "option":
        rebuilt = _build(corpus, tmp_path / "dist", cache_dir=cache, min_confidence=threshold)
    else:
        settings = corpus / "dataset.yaml"
        settings.write_text(settings.read_text() + f"min_confidence: {threshold}\n")
        rebuilt = _build(corpus, tmp_path / "dist", cache_dir=cache)
    assert not rebuilt.timings.get("reused") and not rebuilt.timings.get("cache_hits")
    assert rebuilt.review is not None and rebuilt.review.withheld > 0
    options = {} if where == "dataset.yaml" else {"min_confidence": threshold}
    _build(corpus, tmp_path / "fresh", **options)
    assert _files(tmp_path / "dist") == _files(tmp_path / "fresh")
    # and back: the cache of the first threshold is not mistaken for the second's
    back = _build(corpus, tmp_path / "dist", cache_dir=cache, min_confidence=0.0)
    assert back.review is not None and back.review.withheld == 0
    assert _files(tmp_path / "dist")[REVIEW_FILE] == (everything / REVIEW_FILE).read_bytes()


def test_parallel_build_writes_the_same_review_file(threshold: float, tmp_path: Path) -> None:
    serial = _build(CORPUS, tmp_path / "serial", min_confidence=threshold, jobs=1)
    parallel = _build(CORPUS, tmp_path / "parallel", min_confidence=threshold, jobs=2)
    assert _files(serial.out_dir) == _files(parallel.out_dir)
