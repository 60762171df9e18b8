"""The fuzz campaign keeps working: a small run of every shape, which must find nothing.

The full campaign (``python -m benchmarks.fuzz_campaign --cases 100000``) is run by hand and
reported; this run is the same code on a few cases of each shape, so it fails when any of them
regresses into a traceback, a hang or a leak.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_a_small_campaign_of_every_shape_finds_no_traceback_hang_or_leak(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "benchmarks.fuzz_campaign", "--cases", "150"]
    command += ["--timeout", "20", "--failures", str(tmp_path / "failed")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    for shape in ("mutate", "alias", "nesting", "confusable", "link"):
        assert f"\n{shape}" in done.stdout
    assert "0 failed (tracebacks or hangs)" in done.stdout
    assert "yaml/alias" in done.stdout and "yaml/too-deep" in done.stdout
