"""Parallel and incremental builds produce exactly the bytes of a plain build."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from newsld.release import state
from newsld.release.build import BuildOptions, build

from .conftest import add_record


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _build(corpus: Path, out: Path, **options: object) -> tuple[dict[str, bytes], dict[str, float]]:
    result = build(corpus, out, BuildOptions(**options))  # type: ignore[arg-type]
    assert result.written, [f.message for f in result.report.errors]
    return _files(out), result.timings


def test_parallel_build_is_byte_identical(corpus: Path, tmp_path: Path) -> None:
    add_record(corpus, "valid-short-record")
    serial, _ = _build(corpus, tmp_path / "serial", jobs=1)
    parallel, _ = _build(corpus, tmp_path / "parallel", jobs=2)
    assert parallel == serial


def test_cached_rebuild_is_byte_identical_and_reuses_every_record(
    corpus: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    plain, _ = _build(corpus, tmp_path / "plain")
    first, timings = _build(corpus, tmp_path / "first", cache_dir=cache)
    again, timings = _build(corpus, tmp_path / "again", cache_dir=cache, jobs=2)
    assert first == plain == again
    assert timings["cache_hits"] == 5


def test_editing_one_record_reprocesses_only_that_record(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "dist", cache_dir=cache)
    record = next((corpus / "articles").glob("win-*.yaml"))
    record.write_text(record.read_text().replace("language: en", "language: en-GB"))
    files, timings = _build(corpus, tmp_path / "dist", cache_dir=cache)
    assert timings["cache_hits"] == 4
    assert b'"en-GB"' in files["newsld.ttl"]
    fresh, _ = _build(corpus, tmp_path / "fresh")
    assert files == fresh


def test_registry_change_invalidates_exactly_the_records_that_use_the_entity(
    corpus: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "dist", cache_dir=cache)
    registry = corpus / "registry.yaml"
    text = registry.read_text()
    assert "    name: Richard Hecht\n" in text  # only the All Israel News article names him
    registry.write_text(text.replace("    name: Richard Hecht\n", "    name: Richard D. Hecht\n"))
    files, timings = _build(corpus, tmp_path / "dist", cache_dir=cache)
    assert timings["cache_hits"] == 4
    assert files == _build(corpus, tmp_path / "fresh")[0]


def test_a_name_added_to_the_registry_links_the_claims_that_say_it(
    corpus: Path, tmp_path: Path
) -> None:
    """A claim's appearance mentions the registry entities its words name: a cached record
    whose claims say a name the registry did not know is computed again once it does."""
    cache = tmp_path / "cache"
    before, _ = _build(corpus, tmp_path / "dist", cache_dir=cache)
    assert b"/entity/palestine>" not in before["newsld.ttl"]
    registry = corpus / "registry.yaml"
    registry.write_text(
        registry.read_text() + "  palestine:\n    type: Place\n    name: Palestine\n"
    )
    files, timings = _build(corpus, tmp_path / "dist", cache_dir=cache)
    assert 0 < timings.get("cache_hits", 0) < 5  # not every record: those saying "Palestine"
    assert files == _build(corpus, tmp_path / "fresh")[0]
    triples = gzip.decompress(files["newsld.nt.gz"]).decode().splitlines()
    mentions = [t for t in triples if t.endswith("/entity/palestine> .")]
    assert any(t.split()[1] == "<https://schema.org/mentions>" for t in mentions)


def test_changed_options_do_not_reuse_the_cache(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "dist", cache_dir=cache)
    files, timings = _build(
        corpus, tmp_path / "dist", cache_dir=cache, base_iri="https://data.example.net/"
    )
    assert "cache_hits" not in timings
    assert b"https://data.example.net/article/" in files["newsld.ttl"]


def test_a_damaged_cache_is_a_miss_not_an_error(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    plain, _ = _build(corpus, tmp_path / "dist", cache_dir=cache)
    for entry in cache.rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    files, timings = _build(corpus, tmp_path / "dist", cache_dir=cache)
    assert files == plain
    assert "cache_hits" not in timings


def test_parallel_rebuild_mixes_cache_hits_and_fresh_records_in_corpus_order(
    corpus: Path, tmp_path: Path
) -> None:
    """Hits are read in the main process, misses computed by workers: the order must hold."""
    cache = tmp_path / "cache"
    add_record(corpus, "valid-short-record")
    _build(corpus, tmp_path / "dist", cache_dir=cache, jobs=2)
    edited = sorted((corpus / "articles").glob("*.yaml"))[1::2]  # every other record
    for record in edited:
        record.write_text(record.read_text().replace("language: en", "language: en-GB"))
    files, timings = _build(corpus, tmp_path / "dist", cache_dir=cache, jobs=2)
    assert timings["cache_hits"] == 6 - len(edited)
    fresh, _ = _build(corpus, tmp_path / "fresh", jobs=1)
    assert files == fresh


# ---- reuse of the previous release: unchanged graphs are copied from its dumps ----


@pytest.fixture
def trusting(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files written a moment ago are normally not trusted by their stat signature (a change
    within the file system's timestamp granularity could go unseen); tests write them now."""
    monkeypatch.setattr(state, "RACY_NS", 0)


def _reused(timings: dict[str, float]) -> int:
    return int(timings.get("reused", 0))


@pytest.mark.parametrize("jobs", [1, 2])
def test_rebuild_copies_every_unchanged_graph_from_the_previous_release(
    corpus: Path, tmp_path: Path, trusting: None, jobs: int
) -> None:
    cache = tmp_path / "cache"
    add_record(corpus, "valid-short-record")
    plain, _ = _build(corpus, tmp_path / "plain")
    first, timings = _build(corpus, tmp_path / "dist", cache_dir=cache, jobs=jobs)
    assert _reused(timings) == 0
    again, timings = _build(corpus, tmp_path / "dist", cache_dir=cache, jobs=jobs)
    assert _reused(timings) == 6
    assert again == first == plain
    # and every bucket of the identity graph (first appearances, variants) is copied too
    assert timings["identity_reused"] == timings["identity_buckets"] > 10
    third, timings = _build(corpus, tmp_path / "dist", cache_dir=cache, jobs=jobs)
    assert _reused(timings) == 6 and third == plain  # a copied release can be copied again


@pytest.mark.parametrize("jobs", [1, 2])
def test_edited_record_and_edited_text_are_recomputed_the_rest_copied(
    corpus: Path, tmp_path: Path, trusting: None, jobs: int
) -> None:
    cache = tmp_path / "cache"
    add_record(corpus, "valid-short-record")
    _build(corpus, tmp_path / "dist", cache_dir=cache, jobs=jobs)
    records = sorted((corpus / "articles").glob("*.yaml"))
    middle = records[2]
    middle.write_text(middle.read_text().replace("language: en", "language: en-GB"))
    text = corpus / "articles" / "short-article.txt"
    text.write_text(text.read_text() + "\nOne more line.\n")
    files, timings = _build(corpus, tmp_path / "dist", cache_dir=cache, jobs=jobs)
    assert _reused(timings) == 4
    assert files == _build(corpus, tmp_path / "fresh")[0]


def test_a_new_report_of_a_claim_recomputes_only_its_bucket_of_the_identity_graph(
    corpus: Path, tmp_path: Path, trusting: None
) -> None:
    cache = tmp_path / "cache"
    _, timings = _build(corpus, tmp_path / "dist", cache_dir=cache)
    before = timings["identity_buckets"]
    # claims of Danon (whom the seeds quote) and of an unnamed source, a meeting of Nasrallah
    add_record(corpus, "valid-short-record")
    files, timings = _build(corpus, tmp_path / "dist", cache_dir=cache)
    after = timings["identity_buckets"]
    # the buckets the record joins or starts are computed, the others copied
    assert before - 3 <= timings["identity_reused"] < before <= after <= before + 3
    assert files == _build(corpus, tmp_path / "fresh")[0]


def test_registry_change_is_not_copied_from_the_previous_release(
    corpus: Path, tmp_path: Path, trusting: None
) -> None:
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "dist", cache_dir=cache)
    registry = corpus / "registry.yaml"
    text = registry.read_text()
    registry.write_text(text.replace("    name: Richard Hecht\n", "    name: Richard D. Hecht\n"))
    files, timings = _build(corpus, tmp_path / "dist", cache_dir=cache)
    assert _reused(timings) == 4
    assert files == _build(corpus, tmp_path / "fresh")[0]


def test_added_and_removed_records_keep_the_rest_in_order(
    corpus: Path, tmp_path: Path, trusting: None
) -> None:
    cache = tmp_path / "cache"
    short = add_record(corpus, "valid-short-record")
    _build(corpus, tmp_path / "dist", cache_dir=cache)
    text = short.read_text()
    short.unlink()  # gone from between the seeds, back in front of them under another id
    moved = corpus / "articles" / "aaa-short-record.yaml"
    moved.write_text(text.replace("id: valid-", "id: aaa-", 1))
    files, timings = _build(corpus, tmp_path / "dist", cache_dir=cache)
    assert _reused(timings) == 5
    assert files == _build(corpus, tmp_path / "fresh")[0]


def test_a_touched_release_is_not_copied_from(corpus: Path, tmp_path: Path, trusting: None) -> None:
    cache = tmp_path / "cache"
    plain, _ = _build(corpus, tmp_path / "dist", cache_dir=cache)
    with (tmp_path / "dist" / "newsld.jsonld").open("ab") as stream:
        stream.write(b" ")
    files, timings = _build(corpus, tmp_path / "dist", cache_dir=cache)
    assert _reused(timings) == 0
    assert timings["cache_hits"] == 5
    assert files == plain


def test_a_failed_build_keeps_the_previous_release_reusable(
    corpus: Path, tmp_path: Path, trusting: None
) -> None:
    cache = tmp_path / "cache"
    plain, _ = _build(corpus, tmp_path / "dist", cache_dir=cache)
    broken = add_record(corpus, "claim-without-speaker")
    failed = build(corpus, tmp_path / "dist", BuildOptions(cache_dir=cache))
    assert not failed.written
    broken.unlink()
    files, timings = _build(corpus, tmp_path / "dist", cache_dir=cache)
    assert _reused(timings) == 5
    assert files == plain


def test_fresh_files_are_read_not_trusted_by_stat(corpus: Path, tmp_path: Path) -> None:
    """Without the test's trust: records written just now are read again on the next build."""
    cache = tmp_path / "cache"
    _build(corpus, tmp_path / "dist", cache_dir=cache)
    _, timings = _build(corpus, tmp_path / "dist", cache_dir=cache)
    assert _reused(timings) == 0 and timings["cache_hits"] == 5


def test_without_copy_file_range_graphs_are_copied_through_memory(
    corpus: Path, tmp_path: Path, trusting: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Across file systems where the kernel cannot copy ranges, the copy goes through memory."""
    cache = tmp_path / "cache"
    plain, _ = _build(corpus, tmp_path / "dist", cache_dir=cache)

    def unsupported(*args: object, **kwargs: object) -> int:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "copy_file_range", unsupported)
    files, timings = _build(corpus, tmp_path / "dist", cache_dir=cache)
    assert _reused(timings) == 5
    assert files == plain
