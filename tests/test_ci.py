"""CI runs exactly what the README tells a newcomer to run, from the lock."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _readme_commands() -> list[str]:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Two commands", 1)[1]
    blocks = re.findall(r"```sh\n(.*?)```", section.split("\n## ", 1)[0], re.S)
    return [line for block in blocks for line in block.splitlines() if line.startswith("python3")]


def test_ci_runs_the_readme_test_command() -> None:
    build, tests = _readme_commands()
    assert build.endswith("newsld build") and tests.endswith("pytest")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in ci


def test_both_readme_commands_install_from_the_lock() -> None:
    lock = ROOT / "requirements.lock"
    pinned = {
        line.split("==")[0].lower().replace("_", "-")
        for line in lock.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    for command in _readme_commands():
        assert "-c requirements.lock" in command
    # the lock covers what the project itself asks for, so no dependency floats
    for name in ("rdflib", "pyshacl", "pydantic", "dateparser", "typer", "pyyaml", "pytest"):
        assert name in pinned
