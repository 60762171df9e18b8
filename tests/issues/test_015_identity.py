"""Issue 15: an identity bucket a build copied from the previous release was recorded with
where it lay in that release, not in the one just written. The next build then copied it
from the wrong offsets: a crash ("source ended before offset …") or, where the bytes were
there, a corrupt release. Found by the load benchmark's edit, rebuild, undo, rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsld.release import state
from newsld.release.build import BuildOptions, build

from ..conftest import add_record


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def _build(corpus: Path, out: Path, cache: Path | None) -> tuple[dict[str, bytes], float]:
    result = build(corpus, out, BuildOptions(cache_dir=cache))
    assert result.written
    return _files(out), result.timings.get("identity_reused", 0)


def test_a_third_incremental_build_copies_reused_buckets_from_where_they_now_lie(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(state, "RACY_NS", 0)  # files written a moment ago are trusted
    cache, out = tmp_path / "cache", tmp_path / "dist"
    _build(corpus, out, cache)
    # one edit that moves every bucket after the first in the dumps, one that changes a bucket
    record = next((corpus / "articles").glob("jpost-*.yaml"))
    record.write_text(record.read_text().replace("blatant violation", "flagrant violation", 1))
    _, reused = _build(corpus, out, cache)
    assert reused > 0
    add_record(corpus, "valid-short-record")
    files, reused = _build(corpus, out, cache)
    assert reused > 0  # buckets copied from the second release, by the offsets it recorded
    assert files == _build(corpus, tmp_path / "fresh", None)[0]
