"""A build's findings live on disk in sorted runs; read back they are the report, in order."""

from __future__ import annotations

import json
import random

import pytest

from newsld.findings.report import FindingLog, Report, Severity, finding


def _findings(count: int, seed: int = 7) -> list:
    rng = random.Random(seed)
    out = []
    for i in range(count):
        file = f"articles/a-{rng.randrange(50):03d}.yaml" if rng.random() > 0.05 else None
        if rng.random() < 0.5:
            out.append(finding("article/missing-language", file=file, line=rng.randrange(1, 9)))
        else:
            out.append(
                finding(
                    "extract/unregistered-speaker",
                    file=file,
                    line=rng.randrange(1, 9),
                    column=rng.choice([None, 3]),
                    value=f'Name {i % 13}\t"quoted"',  # a tab and quotes survive the spool
                    role="speaker",
                )
            )
    return out


@pytest.mark.parametrize("run_size", [3, 1000])
def test_log_reads_back_every_finding_in_report_order(
    monkeypatch: pytest.MonkeyPatch, run_size: int
) -> None:
    monkeypatch.setattr(FindingLog, "RUN", run_size)
    findings = _findings(500)
    log = FindingLog()
    for start in range(0, len(findings), 7):  # as outcomes arrive: a few at a time
        log.extend(findings[start : start + 7])
    expected = Report(findings=findings).sorted().findings
    got = list(log)
    assert [f.model_dump() for f in got] == [f.model_dump() for f in expected]
    assert len(log) == 500
    assert log.severities[Severity.WARNING] == sum(f.severity is Severity.WARNING for f in findings)
    assert list(log) == got  # it can be read twice
    log.close()


def test_log_counts_errors_for_the_gate() -> None:
    log = FindingLog()
    log.extend([finding("article/missing-language", file="a.yaml")])
    assert log.conforms
    log.extend([finding("file/missing", file="b.yaml", target="b.yaml")])
    assert not log.conforms
    assert log.severities[Severity.ERROR] == 1


def test_report_json_is_the_report_model_one_finding_a_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(FindingLog, "RUN", 10)
    findings = _findings(40)
    report = Report(findings=findings, stats={"records": 40, "articles": 3}).sorted()
    text = report.json_text()
    assert Report.model_validate_json(text) == report
    assert json.loads(text)["stats"] == {"articles": 3, "records": 40}
    lines = text.splitlines()
    assert sum(line.startswith('    {"code"') for line in lines) == 40
    log = FindingLog()
    log.extend(findings)
    assert log.report(report.stats).json_text() == text
