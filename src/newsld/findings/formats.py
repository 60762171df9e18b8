"""Machine renderings of a :class:`~.report.Report`: JSON, GitHub workflow commands, SARIF.

Pure functions from a report to text; the CLI prints them. ``json`` is exactly the library's
report model, so what CI consumes is what the library returns.
"""

from __future__ import annotations

import json
import re
from typing import Any

from newsld import __version__
from newsld.findings.report import CATALOGUE, Finding, Report, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def to_json(report: Report) -> str:
    return report.json_text()


# C0 and C1 control characters, DEL and the Unicode line and paragraph separators; and the
# same but tab and line breaks, which workflow commands escape their own way
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_UNPRINTABLE_BUT_BREAKS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def _repr_escape(found: re.Match[str]) -> str:
    return repr(found[0])[1:-1]


def printable(text: str) -> str:
    """``text`` with control characters escaped as Python's ``repr`` writes them (``\\n``,
    ``\\x1b``, ``\\u2028``), for output read by people or line by line: a file name or a value
    can then neither start a line of its own nor restyle the terminal. Text without any is
    returned as it is."""
    if _UNPRINTABLE.search(text) is None:
        return text
    return _UNPRINTABLE.sub(_repr_escape, text)


def _escape_data(text: str) -> str:
    """Escape a workflow command's message as the Actions toolkit does; other control
    characters (which would restyle the log) as :func:`printable` does."""
    if _UNPRINTABLE_BUT_BREAKS.search(text) is not None:
        text = _UNPRINTABLE_BUT_BREAKS.sub(_repr_escape, text)
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """Escape a workflow command property value (file=…, title=…) as the Actions toolkit does."""
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(item: Finding) -> str:
    properties = []
    if item.file:
        properties.append(f"file={_escape_property(item.file)}")
    if item.line is not None:
        properties.append(f"line={item.line}")
        if item.column is not None:
            properties.append(f"col={item.column}")
    title = item.code if not item.field else f"{item.code} ({item.field})"
    properties.append(f"title={_escape_property(title)}")
    message = item.message + (f"\nhint: {item.hint}" if item.hint else "")
    command = _GITHUB_COMMANDS[item.severity]
    return f"::{command} {','.join(properties)}::{_escape_data(message)}"


def to_github(report: Report) -> str:
    """GitHub Actions workflow commands: one annotation per finding, on its file and line."""
    return "".join(github_line(item) + "\n" for item in report.findings)


def to_sarif(report: Report) -> str:
    """SARIF 2.1.0 with one rule per finding code, for code-scanning upload."""
    codes = sorted({item.code for item in report.findings} | set(CATALOGUE))
    index = {code: i for i, code in enumerate(codes)}
    rules = []
    for code in codes:
        rule = CATALOGUE.get(code)
        entry: dict[str, Any] = {"id": code, "name": code.replace("/", "-")}
        if rule:
            entry["shortDescription"] = {"text": rule.title}
            entry["fullDescription"] = {"text": rule.template}
            entry["defaultConfiguration"] = {"level": _SARIF_LEVELS[rule.severity]}
            if rule.hint:
                entry["help"] = {"text": rule.hint}
        rules.append(entry)
    results = []
    for item in report.findings:
        text = item.message + (f" (hint: {item.hint})" if item.hint else "")
        result: dict[str, Any] = {
            "ruleId": item.code,
            "ruleIndex": index[item.code],
            "level": _SARIF_LEVELS[item.severity],
            "message": {"text": text},
        }
        if item.file:
            region: dict[str, int] = {}
            if item.line is not None:
                region["startLine"] = item.line
                if item.column is not None:
                    region["startColumn"] = item.column
            location: dict[str, Any] = {"artifactLocation": {"uri": item.file}}
            if region:
                location["region"] = region
            result["locations"] = [{"physicalLocation": location}]
        properties = {"field": item.field, "subject": item.subject}
        if any(properties.values()):
            result["properties"] = {k: v for k, v in properties.items() if v}
        results.append(result)
    document = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "newsld",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def codes_table() -> str:
    """The finding codes as a Markdown table (the README's copy is checked against this)."""
    lines = ["| code | severity | meaning | message |", "|---|---|---|---|"]
    for code in sorted(CATALOGUE):
        rule = CATALOGUE[code]
        template = rule.template.replace("|", "\\|")
        lines.append(f"| `{code}` | {rule.severity.value} | {rule.title} | {template} |")
    return "\n".join(lines) + "\n"


FORMATS = {"json": to_json, "github": to_github, "sarif": to_sarif}
