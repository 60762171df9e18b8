"""The corpus index: ids found through the sorted file names, one small number per record."""

from __future__ import annotations

import os

import pytest

from newsld.corpus.reader import FileNames, split_suffix
from newsld.release.index import CorpusIndex

SUFFIXES = (".yaml", ".yml")


def test_ids_are_found_by_file_name_and_dates_are_shared() -> None:
    names = ["a.yaml", "b.yml", "c.yaml"]
    index = CorpusIndex(names, SUFFIXES)
    assert index.add(0, "a", "2024-03-01") is None
    assert index.add(1, "b", None) is None
    assert index.add(2, "c", "2024-03-01") is None
    assert index.position("b") == 1 and "c" in index and "d" not in index
    assert index.date("b") is None and index.date("missing") is None
    assert str(index.date("a")) == "2024-03-01"
    assert index.date("a") is index.date("c")  # one object per distinct date
    assert index.date_at(2) is index.date("c")


def test_an_id_other_than_the_stem_is_found_by_that_id_only() -> None:
    index = CorpusIndex(["a.yaml", "b.yaml"], SUFFIXES)
    assert index.add(0, "zeta", "2024") is None
    assert index.add(1, "b", "2025") is None
    assert index.position("zeta") == 0
    assert index.position("a") is None
    assert str(index.date("zeta")) == "2024"


def test_a_second_record_with_an_id_is_not_indexed_and_names_the_first() -> None:
    index = CorpusIndex(["a.yaml", "a.yml", "b.yaml", "c.yaml"], SUFFIXES)
    assert index.add(0, "a", "2024") is None
    assert index.add(1, "a", "2025") == 0  # same stem, other suffix
    assert index.add(2, "a", "2026") == 0  # another record claiming the id
    assert index.add(3, "c", None) is None
    assert str(index.date("a")) == "2024"
    assert index.date_at(1) is None and index.date_at(2) is None


def test_records_that_could_not_be_read_are_not_indexed() -> None:
    index = CorpusIndex(["a.yaml", "b.yaml", "c.yaml"], SUFFIXES)
    assert index.add(2, "c", "2024") is None  # 0 and 1 unreadable
    assert "a" not in index and "b" not in index and index.position("c") == 2
    assert index.date_at(0) is None


def test_signatures_are_kept_by_position() -> None:
    index = CorpusIndex(["a.yaml", "b.yaml"], SUFFIXES)
    assert not index.has_signatures()
    index.add_signature((10, 20, 30, 40))
    index.add_signature(None)
    assert index.has_signatures()
    assert index.signature(0) == (10, 20, 30, 40)
    assert index.signature(1) is None and index.signature(2) is None


def test_packed_file_names_index_like_a_list() -> None:
    names = FileNames(["a.yaml", "a.yml", "b.yaml", "c.yaml"])
    assert list(names) == ["a.yaml", "a.yml", "b.yaml", "c.yaml"]
    assert names[1] == "a.yml" and names[1:3] == ["a.yml", "b.yaml"] and len(names) == 4
    assert names.shared_stems == {"a"}
    index = CorpusIndex(names, SUFFIXES)
    assert index.add(0, "a", None) is None
    assert index.add(1, "a", None) == 0
    assert index.add(2, "c", None) is None  # b.yaml says it is c
    assert index.add(3, "c", None) == 2
    assert index.position("b") is None and index.position("c") == 2


@pytest.mark.parametrize(
    "name", ["a.yaml", ".yaml", "..yaml", "a", "a.b.yml", "...", "a.", ".a.b", "x..yaml"]
)
def test_suffixes_split_as_os_path_splits_them(name: str) -> None:
    assert split_suffix(name) == os.path.splitext(name)
