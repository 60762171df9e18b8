"""Regressions found while fuzzing record validation (issue 5)."""

from __future__ import annotations

from pathlib import Path

from newsld.release.build import check

from ..conftest import add_record


def test_nul_byte_in_a_record_is_a_located_syntax_finding(corpus: Path) -> None:
    """PyYAML's reader raised ReaderError from the loader's constructor, outside our handler."""
    add_record(corpus, "nul-byte-record")
    errors = [(f.code, f.line, f.column) for f in check(corpus).errors]
    assert errors == [("yaml/syntax", 3, 21)]
    assert "U+0000" in check(corpus).errors[0].message


def test_nul_in_text_file_name_is_an_invalid_value(corpus: Path) -> None:
    """pathlib raised ValueError ("embedded null byte") while resolving the text file."""
    add_record(corpus, "text-file-with-nul")
    errors = [(f.code, f.line, f.field) for f in check(corpus).errors]
    assert errors == [("record/invalid-value", 2, "text_file")]


def test_human_report_shows_bracketed_field_names(corpus: Path) -> None:
    """Rich read " [publisher]" as a style tag and dropped it from the human report."""
    from typer.testing import CliRunner

    from newsld.cli import app

    add_record(corpus, "article-without-publisher")
    result = CliRunner().invoke(app, ["validate", "--corpus", str(corpus)])
    assert result.exit_code == 1
    assert "article/missing-publisher [publisher]: article has no publisher" in result.output
