"""The mapping of one seed record, compared by graph isomorphism with a reviewed golden file.

Regenerate with ``python -m tests.regen_golden`` after a deliberate change, never by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from .regen_golden import GOLDEN, GOLDEN_RECORDS, article_turtle


@pytest.mark.parametrize("record", GOLDEN_RECORDS)
def test_article_graph_matches_golden(record: str, tmp_path: Path) -> None:
    article_turtle(record, tmp_path / "actual.ttl")
    actual = Graph().parse(tmp_path / "actual.ttl")
    expected = Graph().parse(GOLDEN / f"{record}.ttl")
    if not isomorphic(actual, expected):
        _, only_actual, only_expected = graph_diff(to_isomorphic(actual), to_isomorphic(expected))
        pytest.fail(
            f"mapping differs from the golden graph: {len(only_actual)} triples only in the "
            f"mapping, {len(only_expected)} only in the golden file\n+ "
            + only_actual.serialize(format="nt")[:2000]
            + "\n- "
            + only_expected.serialize(format="nt")[:2000]
        )
