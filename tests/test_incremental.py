"""Parallel and incremental builds produce exactly the bytes of a plain build."""

from __future__ import annotations

from pathlib import Path

from newsld.build import BuildOptions, build

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
