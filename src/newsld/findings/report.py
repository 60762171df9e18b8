"""Findings: bad data is a report, not an exception.

Every finding has a stable code from :data:`CATALOGUE`, a severity, the file, line and column
where it was found, the field path, a message rendered from the code's template and, where we can
guess the fix, a hint. ``Report`` is what the library returns; the CLI only renders it.
A build's findings grow with the corpus, so it keeps them in a :class:`FindingLog` on disk
instead and reads them back in report order.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Iterator
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field

from newsld.findings.spool import Spool


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Rule(BaseModel):
    code: str
    severity: Severity
    title: str
    template: str
    hint: str | None = None


def _rule(
    code: str, severity: Severity, title: str, template: str, hint: str | None = None
) -> Rule:
    return Rule(code=code, severity=severity, title=title, template=template, hint=hint)


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

CATALOGUE: dict[str, Rule] = {
    r.code: r
    for r in [
        _rule("file/unreadable", E, "File cannot be read", "cannot read the file: {reason}"),
        _rule("file/not-utf8", E, "File is not UTF-8", "the file is not UTF-8 text ({reason})"),
        _rule("file/empty", E, "File is empty", "the file is empty"),
        _rule(
            "file/too-large",
            E,
            "File is too large",
            "the file is {size} bytes; the limit is {limit} bytes",
        ),
        _rule(
            "file/outside-corpus",
            E,
            "Reference outside the corpus",
            "{target!r} points outside the corpus folder",
            "records, texts, dataset.yaml and registry.yaml are files inside the corpus folder; "
            "a link may only point to one there (nothing outside is read)",
        ),
        _rule(
            "file/not-regular",
            E,
            "Not a regular file",
            "{target!r} is {kind}, not a regular file",
            "corpus files are regular files (or links to one inside the corpus): not folders, "
            "devices, named pipes or sockets; nothing was read from it",
        ),
        _rule("file/missing", E, "Referenced file is missing", "{target!r} does not exist"),
        _rule(
            "file/unsupported-format",
            E,
            "Not a record",
            "not a newsld record: records are YAML files; nothing in it is read or fetched",
        ),
        _rule(
            "article/empty-text",
            E,
            "Article text is empty",
            "the article text {target!r} is empty",
            "a record needs the article text, verbatim, in its text file",
        ),
        _rule(
            "date/in-future",
            E,
            "Date in the future",
            "{field}: {value} is after today ({today})",
            "dates say when something was published, said or happened: check the year",
        ),
        _rule("yaml/syntax", E, "Malformed YAML", "{detail}"),
        _rule("yaml/forbidden-tag", E, "YAML tag not allowed", "{detail}"),
        _rule("yaml/duplicate-key", E, "Duplicate YAML key", "{detail}"),
        _rule("yaml/bad-key", E, "Non-text YAML key", "{detail}"),
        _rule(
            "yaml/alias",
            E,
            "YAML alias repeats a collection",
            "{detail}",
            "write the list or mapping out where it is used",
        ),
        _rule(
            "yaml/too-deep",
            E,
            "YAML nested too deeply",
            "{detail}",
            "records are a few levels of fields and lists: look for unclosed brackets",
        ),
        _rule(
            "record/not-a-mapping",
            E,
            "Record is not a mapping",
            "a record must be a YAML mapping of fields, not {kind}",
        ),
        _rule("record/unknown-field", E, "Unknown field", "unknown field {field!r}"),
        _rule("record/missing-field", E, "Missing field", "required field {field!r} is missing"),
        _rule("record/invalid-value", E, "Invalid value", "{field}: {detail}"),
        _rule(
            "record/id-mismatch",
            E,
            "Record id does not match its file name",
            "id {id!r} differs from the file name {stem!r}",
        ),
        _rule(
            "record/duplicate-id",
            E,
            "Duplicate record id",
            "record id {id!r} is also used by {other}",
        ),
        _rule(
            "date/invalid", E, "Invalid date", "{field}: {value!r} is not a valid date ({detail})"
        ),
        _rule(
            "date/after-publication",
            E,
            "Date after publication",
            "{subject_kind} date {value} is after the source article's publication date",
            "a claim is made on or before the day an article reports it: check both dates",
        ),
        _rule(
            "entity/bad-reference",
            E,
            "Unusable entity reference",
            "{field}: {value!r} is neither a registry entity nor a plain name",
        ),
        _rule(
            "entity/confusable",
            E,
            "Name imitating a registry entity",
            "{field}: {value!r} is spelt with look-alike letters of {entity!r} ({name})",
        ),
        _rule(
            "entity/iri-collision",
            E,
            "Name taking a registry entity's IRI",
            "{field}: {value!r} is not a name of registry entity {entity!r} but would get "
            "its IRI (and give it a second name and type)",
        ),
        _rule(
            "entity/conflicting-node",
            E,
            "Two entities on one IRI",
            "<{iri}> would be {kinds} named {names}: the records give names that share an IRI "
            "to different entities",
            "register them in registry.yaml, as one entity with aliases or as distinct ones",
        ),
        _rule(
            "entity/mixed-script",
            W,
            "Name mixing scripts",
            "{field}: {value!r} mixes letters of {scripts}; look-alike letters make a name "
            "that only seems to be another",
            "retype the name in one script, or register it if it is right",
        ),
        _rule(
            "entity/unregistered",
            W,
            "Entity not in the registry",
            "{field}: {value!r} is not in the registry; an IRI is minted from the name",
        ),
        _rule(
            "event/recommended-not-available",
            INFO,
            "Value the article does not give",
            "not given by the article: {reason} ({gap} not reported)",
        ),
        _rule(
            "extract/unattributed-quote",
            INFO,
            "Quotation with no speaker",
            "quotation with no attributable speaker, not released: {text!r}",
            "if the article says who said it, add it to the record's claims with its speaker",
        ),
        _rule(
            "extract/unregistered-speaker",
            INFO,
            "Extracted name not in the registry",
            "extracted {role} {value!r} is not in the registry; an IRI is minted from the name",
            "add the entity (or the name as an alias) to registry.yaml",
        ),
        _rule(
            "extract/not-released",
            INFO,
            "Extracted item not released",
            "extracted {what} not released: {reason}: {text!r}",
            "curate it in the record if it is right",
        ),
        _rule("extract/text-problem", INFO, "Extraction noted a problem", "{detail}"),
        _rule(
            "registry/duplicate-alias",
            E,
            "Alias used by two entities",
            "alias {alias!r} of {entity!r} already names {other!r}",
        ),
        _rule(
            "claim/missing-speaker",
            E,
            "Claim without a speaker",
            "claim has no speaker: every claim needs exactly one",
            "add `speaker:` with a registry id, or {description: an official, type: Person}",
        ),
        _rule(
            "claim/multiple-speakers",
            E,
            "Claim with several speakers",
            "claim has more than one speaker",
        ),
        _rule(
            "claim/speaker-not-agent",
            E,
            "Speaker is not a person or organisation",
            "claim speaker {value} is not a schema:Person or schema:Organization",
        ),
        _rule("claim/missing-source", E, "Claim without a source", "claim has no source article"),
        _rule(
            "claim/missing-appearance",
            E,
            "Claim without an appearance",
            "claim has no appearance in an article of the dataset",
        ),
        _rule(
            "claim/source-not-article",
            E,
            "Claim source is not an article",
            "claim source {value} is not a schema:NewsArticle of the dataset",
        ),
        _rule(
            "claim/missing-date",
            E,
            "Claim without a date",
            "claim has no date",
            "add `date:` (YYYY-MM-DD, YYYY-MM or YYYY); use the publication date if unknown",
        ),
        _rule(
            "claim/bad-date",
            E,
            "Claim date of the wrong type",
            "claim date {value} is not an xsd:date, xsd:gYearMonth or xsd:gYear",
        ),
        _rule("claim/empty-text", E, "Claim without text", "claim text is missing or empty"),
        _rule(
            "claim/bad-kind",
            E,
            "Claim kind missing or unknown",
            "claim kind must be one of direct, partial, indirect",
        ),
        _rule(
            "claim/bad-stance",
            E,
            "Claim stance missing or unknown",
            "claim stance must be one of asserts, denies, questions",
        ),
        _rule(
            "claim/reported-by-not-organization",
            W,
            "Intermediary is not an organisation",
            "claim reported_by {value} is not a schema:Organization",
        ),
        _rule("article/missing-headline", E, "Article without headline", "article has no headline"),
        _rule(
            "article/missing-date",
            E,
            "Article without publication date",
            "article has no valid datePublished",
        ),
        _rule(
            "article/missing-publisher",
            E,
            "Article without publisher",
            "article has no publisher that is a schema:NewsMediaOrganization",
        ),
        _rule(
            "article/missing-language", W, "Article without language", "article has no inLanguage"
        ),
        _rule("article/missing-author", INFO, "Article without author", "article names no author"),
        _rule(
            "article/missing-recommended",
            W,
            "Article without a recommended property",
            "{detail}, which Google's Article guidelines recommend",
            "add it, or say why it is not available: `not_available: {property: why}`",
        ),
        _rule(
            "article/recommended-not-available",
            INFO,
            "Recommended property stated as not available",
            "{property} is not available: {reason}",
            "add it when it becomes known, and remove its `not_available` entry",
        ),
        _rule(
            "event/missing-type",
            E,
            "Event without a type",
            "event has no event type (a subclass of nld:NewsEvent)",
        ),
        _rule("event/missing-date", E, "Event without a date", "event has no valid date"),
        _rule(
            "event/missing-participant", E, "Event without participants", "event has no participant"
        ),
        _rule(
            "event/missing-source",
            E,
            "Event without a source",
            "event has no source article in the dataset",
        ),
        _rule("event/missing-place", W, "Event without a place", "event has no place"),
        _rule(
            "review/unknown-claim",
            E,
            "Review of a claim the record does not have",
            "{field}: no claim of this record has the key {value!r} (keys: {known})",
            "write the `key:` of one of the record's claims (give the claim one if it has none)",
        ),
        _rule(
            "review/missing-claim",
            E,
            "Review without its claim",
            "review reviews no claim: it needs exactly one (`claim:`, a claim's key)",
        ),
        _rule(
            "review/bad-reviewer",
            E,
            "Review without a reviewing organisation",
            "review needs one reviewer that is an organisation (schema:Organization)",
            "add `reviewer:` with the fact-checker's registry id or name",
        ),
        _rule(
            "review/missing-rating",
            E,
            "Review without a rating",
            "review needs one rating (`rating:` with at least `alternate_name`)",
        ),
        _rule(
            "review/bad-rating",
            E,
            "Rating without its verdict or with a bad value",
            "rating needs its verdict in words (`alternate_name`), and whole numbers for "
            "value, best and worst",
        ),
        _rule(
            "review/missing-url",
            E,
            "Review without its URL",
            "review needs the URL of the fact-check (`url:`): aggregators link to it",
        ),
        _rule(
            "review/missing-date",
            W,
            "Review without a date",
            "review has no date (`date:`, when the fact-check was published)",
        ),
        _rule("shacl/violation", E, "Shape violation", "{detail}"),
    ]
}


class Finding(BaseModel):
    code: str
    severity: Severity
    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    field: str | None = None
    hint: str | None = None
    subject: str | None = Field(default=None, description="IRI of the claim, event or article")

    def location(self) -> str:
        parts = [self.file or "<corpus>"]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


def finding(
    code: str,
    *,
    file: str | None = None,
    line: int | None = None,
    column: int | None = None,
    field: str | None = None,
    hint: str | None = None,
    subject: str | None = None,
    severity: Severity | None = None,
    **params: Any,
) -> Finding:
    """Build a finding whose message is rendered from the catalogue template of ``code``."""
    rule = CATALOGUE[code]
    message = rule.template.format(field=field, **params)
    return Finding(
        code=code,
        severity=severity or rule.severity,
        message=message,
        file=file,
        line=line,
        column=column,
        field=field,
        hint=hint or rule.hint,
        subject=subject,
    )


class Report(BaseModel):
    """The outcome of validating (and possibly building) a corpus."""

    findings: list[Finding] = Field(default_factory=list)
    stats: dict[str, int] = Field(default_factory=dict)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.WARNING]

    @property
    def infos(self) -> list[Finding]:
        return [f for f in self.findings if f.severity is Severity.INFO]

    @property
    def conforms(self) -> bool:
        return not self.errors

    def extend(self, findings: Iterable[Finding]) -> None:
        self.findings.extend(findings)

    def sorted(self) -> Report:
        """Findings in a stable order: by file, line, column, code, message."""
        return Report(findings=sorted(self.findings, key=order_key), stats=dict(self.stats))

    def json_text(self) -> str:
        """The report as JSON, one finding per line (what ``report.json`` holds)."""
        return "".join(report_json(self.stats, (f.model_dump_json() for f in self.findings)))


SortKey = tuple[str, int, int, str, str]
Row = tuple[SortKey, str, str]  # order key, the finding as JSON, severity


def order_key(item: Finding) -> SortKey:
    """Report order: by file, line, column, code, message."""
    return (item.file or "", item.line or 0, item.column or 0, item.code, item.message)


def report_json(
    stats: dict[str, int], findings: Iterable[str], extra: dict[str, Any] | None = None
) -> Iterator[str]:
    """A report's JSON text in pieces, from findings already rendered as JSON: one finding a
    line, so a large report can be written, diffed and grepped without holding it whole.
    ``extra``: more top-level fields after ``stats`` (a build's ``review``)."""
    yield '{\n  "findings": ['
    for position, line in enumerate(findings):
        yield ("\n    " if position == 0 else ",\n    ") + line
    yield '\n  ],\n  "stats": '
    yield json.dumps(dict(sorted(stats.items())), indent=2).replace("\n", "\n  ")
    for name, value in (extra or {}).items():
        yield f",\n  {json.dumps(name)}: "
        yield json.dumps(value, indent=2).replace("\n", "\n  ")
    yield "\n}\n"


_SEVERITIES = {severity.value: severity for severity in Severity}


class FindingLog:
    """Findings of a whole build, in bounded memory: a :class:`~.spool.Spool` of their
    JSON, read back in report order (:func:`order_key`). Counts by severity are kept
    as they arrive."""

    RUN = 10_000  # findings held in memory before a sorted run goes to disk

    def __init__(self) -> None:
        self.severities: Counter[Severity] = Counter()
        self._spool = Spool(self.RUN)

    def extend(self, findings: Iterable[Finding]) -> None:
        self.extend_rows(self.rows(findings))

    @staticmethod
    def rows(findings: Iterable[Finding]) -> list[Row]:
        """Findings as the log keeps them (cheap to pickle with a record's outcome)."""
        return [(order_key(f), f.model_dump_json(), f.severity.value) for f in findings]

    def extend_rows(self, rows: Iterable[Row]) -> None:
        for key, line, severity in rows:
            self.severities[_SEVERITIES[severity]] += 1
            self._spool.add(key, line)

    @property
    def conforms(self) -> bool:
        return not self.severities[Severity.ERROR]

    def __len__(self) -> int:
        return self.severities.total()

    def json_lines(self) -> Iterator[str]:
        """Every finding as one line of JSON, in report order."""
        return (line for _, line in self._spool)

    def __iter__(self) -> Iterator[Finding]:
        return (Finding.model_validate_json(line) for line in self.json_lines())

    def report(self, stats: dict[str, int]) -> Report:
        """Everything in memory, as a :class:`Report` (fine for small corpora)."""
        return Report(findings=list(self), stats=stats)

    def close(self) -> None:
        self._spool.close()
