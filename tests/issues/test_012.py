"""Regressions from issue 12: hostile records cannot make the gate do unbounded work."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from newsld.build import check
from newsld.yamlsource import YamlProblem, load_yaml

from ..conftest import add_record


def _laughs(levels: int) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return "\n".join(lines) + f"\nheadline: *a{levels - 1}\n"


@pytest.mark.parametrize("levels", [2, 9, 30])
def test_an_alias_repeating_a_collection_is_refused_before_it_expands(levels: int) -> None:
    """Before: aliases were expanded; 7 levels (398 bytes) took 50 s and 2.2 GB, 9 ran past
    120 s. Now the first repeat is a finding, whatever the depth (the walk is linear in the
    document: no timing assertion needed, 10**30 values would never finish)."""
    with pytest.raises(YamlProblem) as raised:
        load_yaml(_laughs(levels))
    assert (raised.value.code, raised.value.position.line) == ("yaml/alias", 2)


def test_an_alias_to_a_scalar_is_still_plain_data() -> None:
    assert load_yaml("name: &n Ann\nother: *n\n").data == {"name": "Ann", "other": "Ann"}


def test_a_billion_laughs_record_is_one_located_finding(corpus: Path) -> None:
    target = corpus / "articles" / "laughs.yaml"
    target.write_text("id: laughs\ntext_file: short-article.txt\n" + _laughs(9))
    add_record(corpus, "valid-short-record")
    started = time.monotonic()
    errors = [(f.code, f.file, f.line) for f in check(corpus).errors]
    assert errors == [("yaml/alias", "corpus/articles/laughs.yaml", 4)]
    assert time.monotonic() - started < 60  # a hang guard, not a speed target
