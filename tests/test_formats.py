"""Machine formats of the report: what contributors' CI consumes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from newsld.cli import app
from newsld.findings.formats import github_line
from newsld.findings.report import CATALOGUE, Finding, Report, Severity
from newsld.release.build import check

from .conftest import ROOT, add_record

runner = CliRunner()


def _validate(corpus: Path, fmt: str) -> tuple[int, str]:
    result = runner.invoke(app, ["validate", "--corpus", str(corpus), "--format", fmt])
    return result.exit_code, result.stdout


def test_json_is_exactly_the_library_report(corpus: Path) -> None:
    add_record(corpus, "claim-without-speaker")
    code, stdout = _validate(corpus, "json")
    assert code == 1
    report = Report.model_validate_json(stdout)
    (error,) = report.errors
    assert (error.code, error.file, error.line, error.column, error.field) == (
        "claim/missing-speaker",
        "corpus/articles/claim-without-speaker.yaml",
        9,
        5,
        "claims[0].speaker",
    )
    assert error.hint and error.subject
    assert json.loads(stdout)["stats"]["articles"] == 5


def test_github_annotations_point_at_file_line_and_column(corpus: Path) -> None:
    add_record(corpus, "claim-date-after-publication")
    code, stdout = _validate(corpus, "github")
    assert code == 1
    errors = [line for line in stdout.splitlines() if line.startswith("::error ")]
    assert errors == [
        "::error file=corpus/articles/claim-date-after-publication.yaml,line=12,col=5,"
        "title=date/after-publication (claims[0].date)::claim date 2018-07 is after the source "
        "article's publication date%0Ahint: a claim is made on or before the day an article "
        "reports it: check both dates"
    ]


def test_github_escaping_follows_the_actions_toolkit() -> None:
    item = Finding(
        code="x/y",
        severity=Severity.WARNING,
        message="100% sure\r\nnext: line",
        file="a,b:c.yaml",
        line=3,
    )
    assert (
        github_line(item)
        == "::warning file=a%2Cb%3Ac.yaml,line=3,title=x/y::100%25 sure%0D%0Anext: line"
    )


def test_sarif_has_rules_for_codes_and_located_results(corpus: Path) -> None:
    add_record(corpus, "claim-without-date")
    code, stdout = _validate(corpus, "sarif")
    assert code == 1
    sarif = json.loads(stdout)
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert {rule["id"] for rule in rules} >= set(CATALOGUE)
    (result,) = [r for r in run["results"] if r["level"] == "error"]
    assert result["ruleId"] == "claim/missing-date"
    assert rules[result["ruleIndex"]]["id"] == "claim/missing-date"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "corpus/articles/claim-without-date.yaml"
    assert location["region"] == {"startLine": 9, "startColumn": 5}


def test_catalogue_templates_render() -> None:
    for code, rule in CATALOGUE.items():
        assert code.count("/") == 1 and code == code.lower(), code
        assert rule.title and rule.template


def test_changed_registry_revalidates_every_record(corpus: Path) -> None:
    add_record(corpus, "claim-without-speaker")
    report = check(corpus, [corpus / "registry.yaml"])
    assert report.stats["records"] == 6
    assert [f.code for f in report.errors] == ["claim/missing-speaker"]


def test_adoption_files_call_real_commands() -> None:
    import yaml

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["entry"] == "newsld validate" and hook["language"] == "python"
    workflow = yaml.safe_load((ROOT / "docs/examples/validate-records.yml").read_text())
    runs = " ".join(step.get("run", "") for step in workflow["jobs"]["validate"]["steps"])
    for command in (
        "newsld validate --corpus corpus --format github",
        "newsld validate --corpus corpus --format sarif",
    ):
        assert command in runs
        args = command.split()[1:]
        assert runner.invoke(app, [*args, "--help"]).exit_code == 0
