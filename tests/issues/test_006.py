"""Regressions found while making the build scale (issue 6)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newsld.release import state
from newsld.release.build import BuildOptions, build


@pytest.mark.parametrize("trust_stat", [False, True])  # per-record cache; previous release
def test_an_earlier_today_rechecks_dates_instead_of_reusing(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, trust_stat: bool
) -> None:
    """Outcomes are kept only for records with no date after the day of the build. A cache
    hit (or a copy from the previous release) skipped the in-future check, so a build as of an
    earlier day (``today``) passed records dated after it."""
    if trust_stat:
        monkeypatch.setattr(state, "RACY_NS", 0)
    cache = tmp_path / "cache"
    assert build(corpus, tmp_path / "dist", BuildOptions(cache_dir=cache)).written
    early = dt.date(2018, 1, 1)
    again = build(corpus, tmp_path / "dist", BuildOptions(cache_dir=cache, today=early))
    fresh = build(corpus, tmp_path / "fresh", BuildOptions(today=early))
    assert not again.written and not fresh.written
    codes = [(f.code, f.file, f.line) for f in again.findings]
    assert "date/in-future" in {code for code, _, _ in codes}
    assert codes == [(f.code, f.file, f.line) for f in fresh.findings]
