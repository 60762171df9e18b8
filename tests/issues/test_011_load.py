"""Regressions from issue 11 (item 3: a load that cannot silently miss)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsld.cli import app

from ..servers import oxigraph_server

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = sorted((ROOT / "queries").glob("*.rq"))
runner = CliRunner()


@pytest.mark.integration
def test_load_into_a_default_oxigraph_serve_is_not_called_a_success(
    seed_release: Path, tmp_path: Path
) -> None:
    """`oxigraph serve` without --union-default-graph: the load verified every graph's triple
    count and exited 0, then every example query answered "(0 rows)" with exit 0. The load
    now checks the default graph the examples read, and fails saying how to fix the store."""
    with oxigraph_server(tmp_path / "plain", union_default_graph=False) as server:
        load = runner.invoke(app, ["load", "-e", server.query_url, "-r", str(seed_release)])
        answers = [
            runner.invoke(app, ["query", str(path), "-e", server.query_url]) for path in EXAMPLES
        ]
    assert all(a.exit_code == 0 and "(0 rows)" in a.stdout for a in answers)
    assert load.exit_code == 1, load.output
    assert "verified" in load.stdout
    assert "restart `oxigraph serve` with --union-default-graph" in load.stderr
    with oxigraph_server(tmp_path / "union") as server:
        load = runner.invoke(app, ["load", "-e", server.query_url, "-r", str(seed_release)])
        answers = [
            runner.invoke(app, ["query", str(path), "-e", server.query_url]) for path in EXAMPLES
        ]
    assert load.exit_code == 0, load.output
    assert all(a.exit_code == 0 and "(0 rows)" not in a.stdout for a in answers)
