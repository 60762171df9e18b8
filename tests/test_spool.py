"""Sorted runs on disk read back as one sorted stream, whatever the run size."""

from __future__ import annotations

import random

import pytest

from newsld.findings.spool import Spool


@pytest.mark.parametrize("run", [1, 7, 10_000])
def test_spool_reads_back_in_key_order_whatever_the_run_size(run: int) -> None:
    rng = random.Random(3)
    pairs = [((f"f{rng.randrange(20)}", rng.randrange(5)), f"line {i}") for i in range(300)]
    spool = Spool(run)
    for key, line in pairs:
        spool.add(key, line)
    assert list(spool) == sorted(pairs)
    assert list(spool) == sorted(pairs)  # twice
    spool.close()


@pytest.mark.parametrize("run", [2, 10_000])
def test_unique_spool_keeps_one_line_per_key(run: int) -> None:
    spool = Spool(run, unique=True)
    for name in ["b.txt", "a.yaml", "b.txt", "a.txt", "a.yaml", "tab\there"]:
        spool.add((name,), f"sha-of-{name}")
    assert list(spool) == [
        (("a.txt",), "sha-of-a.txt"),
        (("a.yaml",), "sha-of-a.yaml"),
        (("b.txt",), "sha-of-b.txt"),
        (("tab\there",), "sha-of-tab\there"),
    ]
