"""`newsld extract`, `newsld eval` and `newsld new`; extraction inside `newsld build`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from rdflib import Graph, Literal, URIRef
from typer.testing import CliRunner

from newsld import __version__
from newsld.cli import app
from newsld.corpus.reader import open_corpus
from newsld.corpus.records import DEFAULT_MIN_CONFIDENCE
from newsld.extraction.evaluate import evaluate
from newsld.rdf.namespaces import NLD, PROV, RDF, SDO
from newsld.release.build import BuildOptions, build, check

from .conftest import CORPUS, DATA, ROOT

runner = CliRunner()
PATTERNS = DATA / "extract-attribution-patterns.txt"


def _jsonl(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_extract_jsonl_has_offsets_into_the_input_as_given(tmp_path: Path) -> None:
    crlf = tmp_path / "crlf.txt"
    crlf.write_bytes(PATTERNS.read_bytes().replace(b"\n", b"\r\n"))
    result = runner.invoke(app, ["extract", str(crlf), "--corpus", str(CORPUS)])
    assert result.exit_code == 0, result.output
    text = crlf.read_bytes().decode("utf-8")
    objects = _jsonl(result.stdout)
    claims = [o for o in objects if o["type"] == "claim"]
    assert claims
    for claim in claims:
        assert text[claim["start"] : claim["end"]] == claim["text"]
        assert claim["kind"] in ("direct", "partial", "indirect")
        assert claim["date_precision"] in ("day", "week", "month", "year")
        assert claim["date_source"]
        if claim["speaker_start"] is not None:
            assert text[claim["speaker_start"] : claim["speaker_end"]]
    assert any(o["type"] == "unattributed" and o["speaker"] is None for o in objects)


def test_extract_a_record_uses_its_date_and_resolves_registry_iris() -> None:
    record = CORPUS / "articles" / "jpost-2018-06-10-israel-complains-to-unsc.yaml"
    result = runner.invoke(app, ["extract", str(record), "--corpus", str(CORPUS)])
    assert result.exit_code == 0, result.output
    objects = _jsonl(result.stdout)
    danon = [o for o in objects if o["type"] == "claim" and o["speaker"] == "Danny Danon"]
    assert danon and danon[0]["speaker_id"] == "https://example.org/newsld/entity/danny-danon"
    assert all(o["date"] <= "2018-06-10" for o in objects if o.get("date"))
    assert any(o["type"] == "event" and o["event_type"] == "meeting" for o in objects)


def test_extract_yaml_pastes_into_a_record_that_validates(corpus: Path) -> None:
    record = corpus / "articles" / "win-2018-06-10-hezbollah-helps-hamas.yaml"
    result = runner.invoke(app, ["extract", str(record), "--corpus", str(corpus), "-f", "yaml"])
    assert result.exit_code == 0, result.output
    fragment = yaml.safe_load(result.stdout)
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    data["claims"], data["events"] = fragment["claims"], fragment["events"]
    record.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = check(corpus, [record])
    assert report.conforms, [f.message for f in report.errors]


def test_extract_table_lists_claims_and_unattributed_quotes() -> None:
    result = runner.invoke(app, ["extract", str(PATTERNS), "-f", "table"])
    assert result.exit_code == 0, result.output
    assert "Helen Okafor" in result.stdout and "(unattributed)" in result.stdout


def test_extract_table_of_a_record_shows_curated_and_extracted_claims_with_confidence() -> None:
    record = CORPUS / "articles" / "win-2018-06-10-hezbollah-helps-hamas.yaml"
    result = runner.invoke(app, ["extract", str(record), "-c", str(CORPUS), "-f", "table"])
    assert result.exit_code == 0, result.output
    header, *rows = result.stdout.splitlines()[1:]
    assert header.split()[:2] == ["start", "origin"] and "confidence" in header.split()
    origins = [row.split()[1] for row in rows]
    curated = yaml.safe_load(record.read_text(encoding="utf-8"))["claims"]
    assert origins.count("curated") == len(curated)
    assert "extracted" in origins
    for row in rows:  # extracted rows carry a score, curated ones none
        score = row[header.index("confidence") : header.index("text")].strip()
        if row.split()[1] == "curated":
            assert score == "-", row
        else:
            assert 0 <= float(score) <= 1, row
    danon = [r for r in rows if "Danny Danon" in r and "I have recently appealed" in r]
    assert sorted(r.split()[1] for r in danon) == ["curated", "extracted"]  # side by side
    text = runner.invoke(app, ["extract", str(PATTERNS), "-f", "table"])
    assert "curated" not in text.stdout  # a raw text has no curated claims


def test_extract_bad_input_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes('"Caf\u00e9 is open," said Ana Lopes.'.encode("latin-1"))
    result = runner.invoke(app, ["extract", str(latin1)])
    assert result.exit_code == 2
    assert "not UTF-8" in result.stderr and "latin1.txt:1:" in result.stderr

    big = tmp_path / "big.txt"
    big.write_bytes(b'"We are ready," Danny Danon said.\n' * 160_000)  # 5.4 MB
    result = runner.invoke(app, ["extract", str(big)])
    assert result.exit_code == 2 and "file/too-large" in result.stderr

    empty = tmp_path / "empty.txt"
    empty.write_text("")
    result = runner.invoke(app, ["extract", str(empty)])
    assert result.exit_code == 0 and result.stdout == ""
    assert "extract/empty" in result.stderr

    result = runner.invoke(app, ["extract", str(PATTERNS), "--published", "next Tuesday"])
    assert result.exit_code == 2 and "--published" in result.output
    assert "Traceback" not in result.output

    result = runner.invoke(app, ["extract", str(tmp_path / "missing.txt")])
    assert result.exit_code == 2 and "missing.txt" in result.stderr


def test_eval_prints_scores_per_corpus_and_split() -> None:
    result = runner.invoke(app, ["eval", str(ROOT / "eval" / "gold"), "-c", str(CORPUS)])
    assert result.exit_code == 0, result.output
    assert "seeds" in result.stdout and "heldout" in result.stdout
    result = runner.invoke(
        app, ["eval", str(ROOT / "eval" / "gold"), "-c", str(CORPUS), "-f", "json"]
    )
    rows = json.loads(result.stdout)
    assert {(r["corpus"], r["split"]) for r in rows} >= {("seeds", "dev"), ("wikinews", "all")}


def test_the_seeds_meet_their_target_and_wikinews_stays_at_its_measured_level() -> None:
    registry = open_corpus(CORPUS).registry
    # scored as a release holds the claims: those below the default policy are withheld
    result = evaluate(ROOT / "eval" / "gold", registry, min_confidence=DEFAULT_MIN_CONFIDENCE)
    assert not result.findings
    seeds = result.score("seeds")
    # issue 3's target: every direct quote of five or more words, right speaker and date
    assert seeds.direct5 >= 19 and seeds.direct5_ok == seeds.direct5
    assert seeds.recall == 1.0
    wikinews = result.score("wikinews")
    assert wikinews.gold >= 100
    # issue 3's targets (measured: recall 0.973, speaker accuracy 0.907); extraction is
    # deterministic, so this moves only when the rules, the weights or the gold do. Issue 14:
    # released speakers (measured: 0.913, 4 of 107 found withheld for review)
    assert wikinews.recall is not None and wikinews.recall >= 0.90
    assert wikinews.speaker_accuracy is not None and wikinews.speaker_accuracy >= 0.90
    assert wikinews.withheld <= 0.15 * wikinews.found
    dev = result.score("wikinews", "dev")
    assert dev.speaker_accuracy is not None and dev.speaker_accuracy >= 0.95


def test_new_scaffolds_a_record_that_validates(corpus: Path, tmp_path: Path) -> None:
    source = tmp_path / "Harbour Council Vote.txt"
    shutil.copyfile(PATTERNS, source)
    result = runner.invoke(app, ["new", str(source), "--corpus", str(corpus)])
    assert result.exit_code == 0, result.output
    record = corpus / "articles" / "harbour-council-vote.yaml"
    assert (corpus / "articles" / "harbour-council-vote.txt").read_bytes() == source.read_bytes()
    data = yaml.safe_load(record.read_text(encoding="utf-8"))
    assert data["id"] == "harbour-council-vote"
    assert data["date_published"] == "2024-03-12"  # the dateline printed in the text
    assert data["authors"] == ["Jana Novak"]  # "Reporting by Jana Novak"
    assert any(c["speaker"] == "Helen Okafor" for c in data["claims"])
    # validate reports only what the contributor must fill in: the publisher
    report = check(corpus, [record])
    assert {f.field for f in report.errors} == {None} or {f.code for f in report.errors} == {
        "article/missing-publisher"
    }, [(f.code, f.field, f.message) for f in report.errors]
    assert all("publisher" in f.message for f in report.errors)
    # a second run does not overwrite the contributor's work …
    again = runner.invoke(app, ["new", str(source), "--corpus", str(corpus)])
    assert again.exit_code == 2 and "--force" in again.stderr
    # … unless asked to; with the publisher given, the scaffold passes the gate as it is
    again = runner.invoke(
        app, ["new", str(source), "-c", str(corpus), "--publisher", "Coastal Herald", "--force"]
    )
    assert again.exit_code == 0, again.output
    report = check(corpus, [record])
    assert report.conforms, [f.message for f in report.errors]


def test_build_releases_extracted_claims_with_provenance(seed_release: Path) -> None:
    graph = Graph().parse(seed_release / "newsld.ttl")
    claims = set(graph.subjects(RDF.type, NLD.ClaimAppearance))  # each report of a claim
    extraction = URIRef(f"https://example.org/newsld/activity/extraction/{__version__}")
    curation = URIRef("https://example.org/newsld/activity/curation")
    extracted = set(graph.subjects(PROV.wasGeneratedBy, extraction))
    curated = set(graph.subjects(PROV.wasGeneratedBy, curation))
    assert extracted and curated and not (extracted & curated)
    assert claims <= extracted | curated
    agent = graph.value(extraction, PROV.wasAssociatedWith)
    assert agent is not None
    assert (agent, URIRef("https://schema.org/softwareVersion"), Literal(__version__)) in graph
    for claim in extracted & claims:
        assert graph.value(claim, NLD.evidenceStart) is not None
        assert graph.value(claim, NLD.dateSource) is not None
        assert graph.value(None, SDO.appearance, claim) is not None
        confidence = graph.value(claim, NLD.confidence)  # what the release policy compares
        assert isinstance(confidence, Literal) and 0 <= float(confidence) <= 1
    for claim in curated & claims:  # curated claims have no confidence: never withheld
        assert graph.value(claim, NLD.confidence) is None
    manifest = json.loads((seed_release / "manifest.json").read_text())
    assert manifest["counts"]["claims_extracted"] > 0
    assert manifest["findings"]["error"] == 0


def test_curated_claims_win_over_extracted_ones_for_the_same_words(seed_release: Path) -> None:
    graph = Graph().parse(seed_release / "newsld.ttl")
    texts: dict[str, int] = {}
    for claim in graph.subjects(NLD.claimText, None):
        start = graph.value(claim, NLD.evidenceStart)
        source = graph.value(claim, NLD.source)
        if start is not None:
            key = f"{source}@{start}"
            texts[key] = texts.get(key, 0) + 1
    assert texts and max(texts.values()) == 1  # no two claims start at the same evidence


def test_extraction_can_be_switched_off_and_output_stays_deterministic(tmp_path: Path) -> None:
    a = build(CORPUS, tmp_path / "a", BuildOptions(jobs=2))
    b = build(CORPUS, tmp_path / "b", BuildOptions(jobs=1))
    assert (tmp_path / "a" / "newsld.nt.gz").read_bytes() == (
        tmp_path / "b" / "newsld.nt.gz"
    ).read_bytes()
    off = build(CORPUS, tmp_path / "off", BuildOptions(extract=False))
    assert off.written and a.written and b.written
    assert "claims_extracted" not in off.report.stats
    assert off.report.stats["claims"] < a.report.stats["claims"]
    graph = Graph().parse(tmp_path / "off" / "newsld.ttl")
    version = URIRef(f"https://example.org/newsld/activity/extraction/{__version__}")
    assert not set(graph.subjects(PROV.wasGeneratedBy, version))


def test_unattributed_quotes_are_listed_for_curators_not_released(seed_release: Path) -> None:
    report = json.loads((seed_release / "report.json").read_text())
    listed = [f for f in report["findings"] if f["code"] == "extract/unattributed-quote"]
    assert listed and all(f["severity"] == "info" and f["line"] for f in listed)
    graph = Graph().parse(seed_release / "newsld.ttl")
    texts = {str(t) for t in graph.objects(None, NLD.claimText)}
    assert "security reasons" not in texts


def test_eval_errors_leave_held_out_articles_out_unless_asked() -> None:
    """Held-out articles stay unseen by rule developers: --errors lists the dev split only."""
    gold = str(ROOT / "eval" / "gold")
    dev_only = runner.invoke(app, ["eval", gold, "--only", "wikinews", "--errors"])
    assert dev_only.exit_code == 0, dev_only.output
    assert "(dev):" in dev_only.output
    assert "(heldout):" not in dev_only.output
    both = runner.invoke(app, ["eval", gold, "--only", "wikinews", "--errors", "--heldout-errors"])
    assert "(heldout):" in both.output
