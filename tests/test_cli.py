"""The command line: documented exit codes, messages instead of tracebacks."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from newsld import __version__
from newsld.cli import app

from .conftest import CORPUS, add_record

runner = CliRunner()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"newsld {__version__}"
    # pyproject.toml takes the version from newsld/__init__.py: the two cannot drift apart
    assert metadata.version("newsld") == __version__


def test_build_succeeds_with_exit_0(corpus: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--corpus", str(corpus), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 0, result.output
    assert "5 articles" in result.stdout
    assert (tmp_path / "dist" / "newsld.ttl").is_file()


def test_nonconforming_build_exits_1_and_names_file_line_and_field(
    corpus: Path, tmp_path: Path
) -> None:
    add_record(corpus, "claim-without-speaker")
    result = runner.invoke(app, ["build", "--corpus", str(corpus), "--out", str(tmp_path / "dist")])
    assert result.exit_code == 1
    assert "corpus/articles/claim-without-speaker.yaml" in result.stderr
    assert "claim/missing-speaker [claims[0].speaker]" in result.stderr
    assert "nothing written" in result.stderr
    assert not (tmp_path / "dist").exists()


def test_validate_exit_codes(corpus: Path) -> None:
    assert runner.invoke(app, ["validate", "--corpus", str(corpus)]).exit_code == 0
    add_record(corpus, "claim-date-after-publication")
    result = runner.invoke(app, ["validate", "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert "date/after-publication" in result.stderr


def test_warnings_fail_only_with_strict(corpus: Path) -> None:
    record = add_record(corpus, "valid-short-record")
    record.write_text(
        record.read_text().replace("speaker: Danon", "speaker: Somebody Unregistered")
    )
    assert runner.invoke(app, ["validate", "--corpus", str(corpus)]).exit_code == 0
    strict = runner.invoke(app, ["validate", "--strict", "--corpus", str(corpus)])
    assert strict.exit_code == 1
    assert "entity/unregistered" in strict.stderr


def test_missing_corpus_is_bad_usage_exit_2(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["build", "--corpus", str(tmp_path / "nope"), "--out", str(tmp_path / "d")]
    )
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert "Traceback" not in result.output


def test_bad_option_value_is_exit_2(corpus: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["build", "--corpus", str(corpus), "--issued", "2018-02-30"])
    assert result.exit_code == 2


def test_internal_error_is_exit_3_without_traceback(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr("newsld.release.build.build", broken)
    result = runner.invoke(app, ["build", "--corpus", str(corpus), "--out", str(tmp_path / "d")])
    assert result.exit_code == 3
    assert "internal error: RuntimeError: simulated bug" in result.stderr
    assert "Traceback" not in result.output


def test_console_script_runs_in_a_subprocess(corpus: Path, tmp_path: Path) -> None:
    """The installed entry point, as a user runs it (no TTY: no progress bar on stderr)."""
    completed = subprocess.run(
        [sys.executable, "-m", "newsld", "validate", "--corpus", str(corpus)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "0 error(s)" in completed.stderr


# ------------------------------------------------------------------------------ start-up, help
# `newsld --help`, `--version` and every command's own start pay only for what they use: the CLI
# module imports typer and nothing of the library. Checked by what is imported, never by timing.
HEAVY = ["rdflib", "pyshacl", "pydantic", "pyoxigraph", "dateparser", "httpx", "yaml", "rich"]


def _modules_after(statement: str) -> set[str]:
    completed = subprocess.run(
        [sys.executable, "-c", f"{statement}; import sys; print(*sorted(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(completed.stdout.split())


def test_importing_the_cli_imports_no_library_module() -> None:
    # measured against typer alone, so a typer release that imports more cannot fail this
    added = _modules_after("import newsld.cli") - _modules_after("import typer")
    library = [m for m in added if m.startswith("newsld") and not m.startswith("newsld.cli")]
    assert library == ["newsld"]  # the cli package and its command modules, nothing else
    assert [m for m in HEAVY if m in added or any(a.startswith(m + ".") for a in added)] == []
    assert "importlib.metadata" not in added  # __version__ is a constant (~45 ms otherwise)


def _help(*args: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-m", "newsld", *args, "--help"],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def _option_names(command: object) -> list[str]:
    params = getattr(command, "params", [])
    return [name for p in params for name in [*p.opts, *p.secondary_opts] if name.startswith("--")]


def test_help_at_80_columns_shows_every_option_whole() -> None:
    group = typer.main.get_command(app)
    commands = getattr(group, "commands", {})
    assert len(commands) >= 9
    for path, command in [((), group), *(((name,), c) for name, c in commands.items())]:
        text = _help(*path)
        assert "<bool>" not in text, path
        assert max(len(line) for line in text.splitlines()) <= 80, path
        names = [*_option_names(command), "--help"]
        for name in names:
            assert re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text), (path, name)
        if not path:  # the command list: each command with its whole first sentence
            for name, sub in commands.items():
                summary = " ".join(sub.help.split("\n\n")[0].split())
                listed = re.search(rf"^  {name} +(.+(?:\n {{4,}}.+)*)", text, re.MULTILINE)
                assert listed is not None and " ".join(listed[1].split()) == summary, name


def test_build_no_extract_releases_the_curated_claims_only(tmp_path: Path) -> None:
    """docs/records.md promised `newsld build --no-extract`; the option was missing."""
    curated = sum(
        len(yaml.safe_load(p.read_text(encoding="utf-8")).get("claims", []))
        for p in (CORPUS / "articles").glob("*.yaml")
    )
    out = tmp_path / "dist"
    args = ["build", "--corpus", str(CORPUS), "--out", str(out), "--no-cache", "--no-extract"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    # (each curated claim is an appearance; statements several articles report are one claim)
    counts = json.loads((out / "manifest.json").read_text())["counts"]
    assert counts["claim_appearances"] == curated and f"{counts['claims']} claims" in result.output
    with_extraction = CliRunner().invoke(app, [*args[:-1]])
    assert with_extraction.exit_code == 0, with_extraction.output
    counts = json.loads((out / "manifest.json").read_text())["counts"]
    assert counts["claim_appearances"] > curated  # extraction adds some
