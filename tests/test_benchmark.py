"""The benchmark keeps working: a tiny run of it, and its corpus generator's determinism.

Speed is never asserted here; `python -m benchmarks.bench_build` prints the numbers.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from benchmarks.synth import generate

from newsld.release.build import BuildOptions, build

ROOT = Path(__file__).resolve().parent.parent


def _bench(module: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m MODULE ARGS`` from the repository root; it must succeed."""
    completed = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return completed


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_synthetic_corpus_is_deterministic_and_builds_with_warnings_only(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", 30)
    second = generate(tmp_path / "b", 30)
    assert _files(first) == _files(second)
    assert len(list((first / "articles").glob("*.yaml"))) == 30
    result = build(first, tmp_path / "dist", BuildOptions())
    assert result.written, [f.message for f in result.report.errors]
    assert result.report.stats["articles"] == 30
    # the generator plants warnings so the gate comparison has findings to compare
    assert {f.code for f in result.report.warnings} >= {"event/missing-place"}


def test_benchmark_runs_at_a_tiny_scale_and_agrees_with_whole_graph_pyshacl(
    tmp_path: Path,
) -> None:
    completed = _bench(
        "benchmarks.bench_build", "--scales", "12", "--jobs", "1", "--work", str(tmp_path)
    )
    output = completed.stdout
    assert re.search(r"\[12\] full build: [\d.]+ s wall, \d+ articles/s", output), output
    assert re.search(r"peak RSS main \d+ MB", output)
    assert re.search(r"stages .*read=[\d.]+ .*gate=[\d.]+ .*write=[\d.]+", output)
    incremental = re.search(
        r"incremental rebuild after editing 1 record: [\d.]+ s \((\d+) records copied from the "
        r"previous release, (\d+) from the cache; identity pass [\d.]+ s\)",
        output,
    )
    assert incremental is not None, output
    assert re.search(r"grouping of \d+ planted reports: precision [\d.]+, recall [\d.]+", output)
    assert int(incremental[1]) + int(incremental[2]) == 11  # all but the edited record
    same = re.search(r"same findings as per-article gate: (\w+), (\d+) results", output)
    assert same is not None, output
    assert same.group(1) == "True" and int(same.group(2)) > 0
    formats = re.search(r"as if alone, .*: N-Triples.gz [\d.]+x, N-Quads.gz [\d.]+x, ", output)
    assert formats is not None, output
    assert output.splitlines()[-1].startswith("summary: 12: ")


def test_load_benchmark_runs_at_a_tiny_scale_and_every_load_verifies(tmp_path: Path) -> None:
    """benchmarks/load.py against a real Oxigraph on loopback: each load must check out."""
    completed = _bench("benchmarks.load", "--articles", "20")
    loads = re.findall(r"requests, ok=(\w+)", completed.stdout)
    assert loads == ["True", "True", "True"], completed.stdout


def test_start_up_benchmark_prints_a_row_per_command() -> None:
    """benchmarks/bench_start.py, one run of each: its rows are there (the times are not judged)."""
    completed = _bench("benchmarks.bench_start", "--runs", "1", "--cold-runs", "1")
    rows = {
        m[1].strip(): m[2]
        for m in re.finditer(r"^(.+?) +[\d.]+ s +[\d.]+ s +([\d.]+)x$", completed.stdout, re.M)
    }
    warm = ["python -c pass", "newsld --version", "newsld --help", "newsld validate (1 record)"]
    cold = [f"cold newsld: {c}" for c in warm[1:]] + [f"cold all: {c}" for c in warm]
    assert list(rows) == warm + cold, completed.stdout
    assert rows["python -c pass"] == "1.0"


def test_sqlite_benchmark_runs_at_a_tiny_scale_and_both_sides_agree(tmp_path: Path) -> None:
    """benchmarks/bench_sqlite.py on a few hundred records: each SQLite stand-in reads back
    what the hand-written code does (the times are not judged)."""
    completed = _bench(
        "benchmarks.bench_sqlite", "--records", "300", "--repeat", "1", "--work", str(tmp_path)
    )
    output = completed.stdout
    assert re.findall(r"same pairs read back: (\w+)", output) == ["True", "True"], output
    assert "state: same entries read back: True" in output, output
    assert len(re.findall(r"^state \w+: cold [\d.]+ s .* kept 299,", output, re.M)) == 3, output


def test_load_and_query_benchmark_prints_every_path(tmp_path: Path) -> None:
    """benchmarks/bench_load.py at a tiny scale: every load path, the reload, newsld query's
    first call and reopen, every example query and the targets line (times not judged)."""
    completed = _bench("benchmarks.bench_load", "--scales", "12", "--work", str(tmp_path))
    output = completed.stdout
    for phrase in (
        "reference: pyoxigraph bulk_load in memory",
        "reference: oxigraph load (offline)",
        "newsld load --offline: ",
        "newsld load into a fresh oxigraph serve: ",
        "reload after one changed article (--changed-only)",
        "newsld query, a fresh process: first call",
        "one-triple lookup: ",
        "targets (issue 17): ",
    ):
        assert phrase in output, (phrase, output)
    assert re.search(r"fresh oxigraph serve: .* (\d+) graphs written \(\1 in \d+ bulk", output)
    # the edited record's graph and the description (its sizes and hashes), nothing else
    assert re.search(r"reload after one changed article .*; 2 graphs written .*ok=True", output)
    assert re.search(r"edit was undone .*; 2 graphs written .*ok=True", output)
    assert re.search(r"the same release again .*; 0 graphs written .*ok=True", output)
    queries = re.findall(r"^\[12\] query ([\w-]+): [\d,]+ ms warm", output, re.M)
    assert queries == sorted(p.stem for p in (ROOT / "queries").glob("*.rq")), output
