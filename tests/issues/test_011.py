"""Regressions from issue 11: findings a contributor can act on in one pass, and a bundled
corpus that passes ``validate --strict``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from newsld.cli import app
from newsld.release.build import check

from ..conftest import CORPUS, add_record


def _located(findings) -> list[tuple[str, int | None, str | None]]:  # findings: list[Finding]
    return sorted((f.code, f.line, f.field) for f in findings)


def _event_warnings(report) -> list[tuple[str, str | None]]:  # report: Report
    """The warnings about events (the test records leave out the article's url and image)."""
    return [(f.code, f.field) for f in report.warnings if f.code.startswith("event/")]


def test_a_bad_date_does_not_hide_a_missing_speaker(corpus: Path) -> None:
    """Before: date/invalid alone; the missing speaker surfaced only once the date was fixed."""
    add_record(corpus, "claim-with-bad-date-no-speaker-and-a-typo")
    assert _located(check(corpus).errors) == [
        ("claim/missing-speaker", 9, "claims[0].speaker"),
        ("date/invalid", 11, "claims[0].date"),
        ("record/unknown-field", 14, "claims[1].speakr"),
    ]
    # one cause, one finding: the dropped date is not also "missing", the misspelled
    # `speakr` does not also leave the second claim without a speaker


def test_the_human_summary_counts_info_findings(corpus: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["validate", "--corpus", str(corpus)])
    assert result.exit_code == 0
    summary = result.output.strip().splitlines()[-1]
    report = check(corpus)
    assert report.infos, "the seed corpus has info findings (unattributed quotes, say)"
    assert summary.startswith(f"0 error(s), 0 warning(s), {len(report.infos)} info")
    assert "--show-info" in summary
    shown = runner.invoke(app, ["validate", "--corpus", str(corpus), "--show-info"])
    assert all(f.message in shown.output for f in report.infos)


def test_the_bundled_corpus_passes_strict_validation() -> None:
    result = CliRunner().invoke(app, ["validate", "--strict", "--corpus", str(CORPUS)])
    assert result.exit_code == 0, result.output


def test_a_meeting_without_a_place_is_a_warning(corpus: Path) -> None:
    add_record(corpus, "meeting-without-place")
    report = check(corpus)
    assert report.conforms
    assert _event_warnings(report) == [("event/missing-place", "events[0].place")]


def test_a_letter_needs_no_place(corpus: Path) -> None:
    add_record(corpus, "letter-without-place")
    report = check(corpus)
    assert report.conforms and not _event_warnings(report)


def test_a_place_the_article_does_not_give_is_a_note_with_the_reason(corpus: Path) -> None:
    add_record(corpus, "meeting-place-not-available")
    report = check(corpus)
    assert report.conforms and not _event_warnings(report)
    file = "corpus/articles/meeting-place-not-available.yaml"
    (note,) = [
        f for f in report.infos if f.file == file and f.code == "event/recommended-not-available"
    ]
    assert (note.line, note.field) == (9, "events[0].place")
    assert "the article says they met, not where" in note.message
    assert "event/missing-place" in note.message


def test_a_place_cannot_be_given_and_not_available(corpus: Path) -> None:
    add_record(corpus, "place-given-and-not-available")
    assert _located(check(corpus).errors) == [("record/invalid-value", 9, "events[0]")]
