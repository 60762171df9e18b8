"""The sink behind dumps and release state: writes and ranges of other files, in order."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from newsld.render.sink import Sink


@pytest.fixture
def source(tmp_path: Path) -> Iterator[int]:
    path = tmp_path / "source"
    path.write_bytes(b"0123456789abcdef")
    descriptor = os.open(path, os.O_RDONLY)
    yield descriptor
    os.close(descriptor)


def test_writes_and_ranges_land_in_order(tmp_path: Path, source: int) -> None:
    sink = Sink(tmp_path / "out")
    sink.write(b"<")
    sink.copy(source, 2, 3)
    sink.write(b"|")
    sink.copy(source, 10, 2)
    sink.copy(source, 0, 0)  # nothing
    sink.write(b">")
    assert sink.position == 8
    sink.close()
    assert (tmp_path / "out").read_bytes() == b"<234|ab>"


def test_consecutive_ranges_are_copied_in_one_call(
    tmp_path: Path, source: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[int, int]] = []
    real = os.copy_file_range

    def counting(src: int, dst: int, count: int, offset_src: int | None = None) -> int:
        calls.append((offset_src or 0, count))
        return real(src, dst, count, offset_src)

    monkeypatch.setattr(os, "copy_file_range", counting)
    sink = Sink(tmp_path / "out")
    for start in range(0, 12, 3):
        assert sink.follows(source, start) == (start > 0)
        sink.copy(source, start, 3)
    sink.copy(source, 14, 2)  # a gap: a second range
    sink.close()
    assert (tmp_path / "out").read_bytes() == b"0123456789abef"
    assert calls == [(0, 12), (14, 2)]


def test_discard_drops_what_is_pending(tmp_path: Path, source: int) -> None:
    sink = Sink(tmp_path / "out")
    sink.write(b"kept? no")
    sink.copy(source, 0, 4)
    sink.discard()
    assert (tmp_path / "out").read_bytes() == b""
