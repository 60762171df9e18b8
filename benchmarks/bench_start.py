"""Start-up time of the ``newsld`` command, against starting Python itself.

Run: ``python -m benchmarks.bench_start [--runs N] [--cold-runs N]``. Each command runs in a fresh
subprocess (the installed entry point next to ``sys.executable``, or ``python -m newsld`` when
there is none), ``--runs`` times; one row per command gives the median and the fastest wall time
and the median as a multiple of ``python -c pass``. Warm rows find every ``.pyc`` already written.

Two cold rows follow, each run on its own fresh state:

- ``cold newsld``: a copy of ``src/newsld`` with no ``__pycache__`` (what a fresh clone pays on its
  first command: newsld's own modules compiled, the installed libraries' already compiled);
- ``cold all``: an empty ``PYTHONPYCACHEPREFIX``, so every module, the standard library's and
  the libraries' too, is compiled from source (the worst case).

Speed is printed, never asserted: ``tests/test_benchmark.py`` runs it once to see it works.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
RECORD = CORPUS / "articles" / "toi-2018-06-10-hamas-hezbollah-train-thousands.yaml"


def newsld_command() -> list[str]:
    """The installed console script beside this interpreter, else ``python -m newsld``."""
    script = Path(sys.executable).parent / ("newsld.exe" if os.name == "nt" else "newsld")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "newsld"]


def commands(newsld: Sequence[str]) -> dict[str, list[str]]:
    return {
        "python -c pass": [sys.executable, "-c", "pass"],
        "newsld --version": [*newsld, "--version"],
        "newsld --help": [*newsld, "--help"],
        "newsld validate (1 record)": [*newsld, "validate", "--corpus", str(CORPUS), str(RECORD)],
    }


def wall(command: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Seconds from start to exit; the command must succeed (validate: warnings allowed)."""
    started = time.perf_counter()
    completed = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False)
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} exited with {completed.returncode}: "
            f"{completed.stderr.decode(errors='replace')}"
        )
    return seconds


def row(label: str, times: list[float], baseline: float) -> str:
    median = statistics.median(times)
    return f"{label:<44} {median:7.3f} s {min(times):7.3f} s {median / baseline:7.1f}x"


def cold_newsld(command: list[str], work: Path) -> float:
    """One run on a fresh copy of the source tree: newsld's modules have no .pyc yet."""
    tree = work / "tree"
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(
        ROOT / "src" / "newsld",
        tree / "src" / "newsld",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    for data in ("vocab", "shapes"):  # found beside src/ in a source tree (newsld.rdf.resources)
        shutil.copytree(ROOT / data, tree / data)
    # PYTHONPATH comes before the editable install's path entry: the copy is imported
    return wall(command, {**os.environ, "PYTHONPATH": str(tree / "src")})


def cold_all(command: list[str], work: Path) -> float:
    """One run with an empty bytecode cache for every module (standard library included)."""
    prefix = work / "pycache"
    shutil.rmtree(prefix, ignore_errors=True)
    return wall(command, {**os.environ, "PYTHONPYCACHEPREFIX": str(prefix)})


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="warm runs per command")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold runs per command")
    args = parser.parse_args(argv)
    newsld = newsld_command()
    print(f"start-up: {' '.join(newsld)}; {args.runs} warm, {args.cold_runs} cold runs each")
    print(f"{'command':<44} {'median':>9} {'min':>9} {'/ python -c pass':>17}")
    baseline = 0.0
    table = commands(newsld)
    for label, command in table.items():
        wall(command)  # not counted: writes any missing .pyc
        times = [wall(command) for _ in range(args.runs)]
        baseline = baseline or statistics.median(times)  # the first row: python -c pass
        print(row(label, times, baseline))
    with tempfile.TemporaryDirectory(prefix="newsld-bench-start-") as folder:
        work = Path(folder)
        for kind, run in (("cold newsld", cold_newsld), ("cold all", cold_all)):
            for label, command in table.items():
                if kind == "cold newsld" and command[0] == sys.executable and "-c" in command:
                    continue  # python -c pass imports no newsld module: the same as warm
                times = [run(command, work) for _ in range(args.cold_runs)]
                print(row(f"{kind}: {label}", times, baseline))


if __name__ == "__main__":
    main()
