"""The record models: what a contributor writes in ``corpus/``, parsed with pydantic.

Pydantic checks the form of each field (types, dates, keys, URLs, names); completeness rules that
the release depends on — every claim has a speaker, a date, a source — are the SHACL gate's job,
so a record missing them still parses and the gate reports it against the right line.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterator
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from newsld.corpus.dates import PartialDate
from newsld.corpus.yamlsource import Path_, YamlDocument
from newsld.findings.report import Finding, finding

KEY_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
_QID = re.compile(r"^Q[1-9][0-9]*$")
# An absolute http(s) URL with nothing that could break an IRI or a line of N-Triples.
_IRI_UNSAFE = re.compile(r"[\x00-\x20<>\"{}|\\^`\x7f]")

EventType = Literal[
    "meeting", "letter", "appeal", "attack", "strike", "statement", "visit", "agreement", "other"
]
ClaimKindName = Literal["direct", "partial", "indirect"]
# What the speaker does with the claim's words (newsld.extraction.Stance has the same values)
StanceName = Literal["asserts", "denies", "questions"]
EntityType = Literal[
    "Person",
    "Organization",
    "GovernmentOrganization",
    "NewsMediaOrganization",
    "Place",
    "Country",
    "City",
]


def _date(value: Any) -> PartialDate:
    try:
        return _date_text(value) if type(value) is str else PartialDate.parse(value)
    except ValueError as error:
        raise ValueError(f"invalid date: {error}") from None


@functools.lru_cache(maxsize=8192)
def _date_text(text: str) -> PartialDate:
    """Parsed once per distinct text (dates are immutable): records repeat days a lot."""
    return PartialDate.parse(text)


Date = Annotated[PartialDate, BeforeValidator(_date)]
Key = Annotated[str, Field(pattern=KEY_PATTERN, max_length=120)]


# Latin letters that Unicode does not decompose into a base letter and a mark
_UNDECOMPOSED = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i", "ħ": "h"}
)


def fold_accents(text: str) -> str:
    """``text`` without diacritics: "Ḥamas" and "Hamas", "Pérez" and "Perez" are one name."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text.translate(_UNDECOMPOSED))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


@functools.lru_cache(maxsize=16384)
def normalise_name(name: str) -> str:
    """Case-, accent-, punctuation- and space-insensitive form of a name: the one form alias
    matching and IRI slugs both use (NFKC, casefold, diacritics folded)."""
    text = fold_accents(unicodedata.normalize("NFKC", name).casefold())
    text = text.replace("’", "'").replace("‘", "'")
    text = re.sub(r"'s\b", "s", text)
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.split())


@functools.lru_cache(maxsize=16384)
def slug(text: str) -> str:
    """ASCII slug of a name's :func:`normalise_name` form, so two names share a slug exactly
    when they match as aliases. Letters ASCII cannot spell (Cyrillic, Arabic, …) are not
    dropped but hashed: "Иван Hamas" and "Пётр Hamas" stay two IRIs."""
    name = normalise_name(text)
    result = re.sub(r"[^a-z0-9]+", "-", name).strip("-")[:80].strip("-")
    if name.isascii() and result:
        return result
    hashed = "h" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:12]
    return f"{result}-{hashed}" if result else hashed


_PLAIN_NAME = re.compile(r"[^\W\d_][\w .,'’&()\-]{0,199}")


def is_plain_name(value: str) -> bool:
    """A name as people write it: a letter, then letters, digits, spaces and . , ' - & ( )."""
    return _PLAIN_NAME.fullmatch(value) is not None


def check_plain_name(value: str) -> str:
    if not is_plain_name(value):
        raise ValueError("not a plain name (letters, digits, spaces and . , ' - & ( ) only)")
    return value


def check_url(value: str) -> str:
    if _IRI_UNSAFE.search(value):
        raise ValueError("URL contains spaces, quotes, angle brackets or control characters")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("URL must be absolute http:// or https://")
    return value


Url = Annotated[str, AfterValidator(check_url)]

# Control characters but tab, line feed and carriage return (C0, DEL and C1): YAML's escapes
# ("\0", "\e", "\u001b") put them in a value, and in a terminal or a CI log they rewrite what
# is shown (ANSI sequences) or cut it short (NUL). No headline, quote or name needs one. The
# check is a pattern, which pydantic matches without calling Python for each value.
_CONTROL_CHARACTERS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
TEXT_PATTERN = rf"^[^{_CONTROL_CHARACTERS}]*$"
_CONTROL = re.compile(rf"[{_CONTROL_CHARACTERS}]")


def text_problem(value: str) -> str | None:
    """What is wrong with free text (headlines, quotes, notes, descriptions, names), if
    anything: a control character other than tab, line feed and carriage return."""
    found = _CONTROL.search(value)
    if found is None:
        return None
    return (
        f"contains the control character U+{ord(found[0]):04X}; text may hold tabs and line "
        "breaks, no other control characters"
    )


Text = Annotated[str, StringConstraints(pattern=TEXT_PATTERN)]


def _one_or_more(value: Any) -> Any:
    """``image: URL`` is read as ``image: [URL]`` (a bad single URL is reported on the field)."""
    return [check_url(value)] if isinstance(value, str) else value


# The properties Google's Article structured-data guidelines recommend that a record (or the
# registry entities it names) can lack, by the name a curator writes under ``not_available:``,
# each with what supplies it. The gate warns when one is missing (article/missing-recommended;
# the shape's sh:name is this name) unless the record says why it is not available.
RECOMMENDED: dict[str, str] = {
    "url": "add `url:` with the article's canonical web address",
    "image": "add `image:` with the article's image URLs",
    "author.url": "add `url:` (the author's page) to an author's registry entry",
    "publisher.url": "add `url:` (the outlet's home page) to the publisher's registry entry",
    "publisher.logo": "add `logo:` (the outlet's logo image URL) to the publisher's registry entry",
}
Reason = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=TEXT_PATTERN),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnnamedSpeaker(_Model):
    """A source the article does not name: "an Israeli official"."""

    description: Text = Field(min_length=1, max_length=200)
    type: Literal["Person", "Organization"] = "Person"


def _reference_kind(value: Any) -> str:
    return "unnamed" if isinstance(value, dict) else "reference"


EntityRef = Annotated[Text, Field(min_length=1, max_length=200)]
SpeakerRef = Annotated[
    Annotated[EntityRef, Tag("reference")] | Annotated[UnnamedSpeaker, Tag("unnamed")],
    Discriminator(_reference_kind),
]


class ClaimRecord(_Model):
    text: Text | None = None
    kind: ClaimKindName | None = None
    stance: StanceName = "asserts"
    speaker: SpeakerRef | None = None
    date: Date | None = None
    date_note: Text | None = None
    reported_by: EntityRef | None = None
    also_in: list[Key] = Field(default_factory=list)
    key: Key | None = None


class EventRecord(_Model):
    type: EventType | None = None
    participants: list[EntityRef] = Field(default_factory=list)
    place: EntityRef | None = None
    date: Date | None = None
    date_note: Text | None = None
    description: Text | None = None
    recipients: list[EntityRef] = Field(default_factory=list)
    key: Key | None = None
    # recommended values the article does not give, each with the curator's reason: the
    # warning about the missing value becomes a note (event/recommended-not-available)
    not_available: dict[Literal["place"], Reason] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _given_or_not_available(self) -> EventRecord:
        if self.place is not None and "place" in self.not_available:
            raise ValueError("place is given, so it cannot also be not_available")
        return self


class RatingRecord(_Model):
    """A fact-check's verdict: ``alternate_name`` as the reviewer words it ("Mostly false"),
    and optionally its place on the reviewer's numeric scale, from ``worst`` to ``best``."""

    value: int | None = None
    best: int | None = None
    worst: int | None = None
    alternate_name: Text | None = Field(default=None, min_length=1, max_length=200)

    @model_validator(mode="after")
    def _on_the_scale(self) -> RatingRecord:
        if self.best is not None and self.worst is not None and self.worst > self.best:
            raise ValueError(f"worst ({self.worst}) is above best ({self.best})")
        if self.value is not None:
            if self.best is not None and self.value > self.best:
                raise ValueError(f"value ({self.value}) is above best ({self.best})")
            if self.worst is not None and self.value < self.worst:
                raise ValueError(f"value ({self.value}) is below worst ({self.worst})")
        return self


class ReviewRecord(_Model):
    """A fact-check review of one of the record's claims (``claim``: the claim's ``key``) by
    an organisation (``reviewer``: a registry id or a name), mapped to a schema:ClaimReview."""

    claim: Key | None = None
    reviewer: EntityRef | None = None
    rating: RatingRecord | None = None
    date: Date | None = None
    url: Url | None = None
    key: Key | None = None


class ArticleRecord(_Model):
    id: Key
    text_file: str = Field(min_length=1)
    headline: Text | None = None
    subheadline: Text | None = None
    authors: list[EntityRef] = Field(default_factory=list)
    publisher: EntityRef | None = None
    date_published: Date | None = None
    date_published_note: Text | None = None
    language: str | None = None
    url: Url | None = None
    image: Annotated[list[Url], BeforeValidator(_one_or_more)] = Field(default_factory=list)
    date_modified: Date | None = None
    not_available: dict[str, Reason] = Field(default_factory=dict)
    cites: list[EntityRef] = Field(default_factory=list)
    about: list[EntityRef] = Field(default_factory=list)
    mentions: list[EntityRef] = Field(default_factory=list)
    claims: list[ClaimRecord] = Field(default_factory=list)
    events: list[EventRecord] = Field(default_factory=list)
    reviews: list[ReviewRecord] = Field(default_factory=list)

    @field_validator("text_file")
    @classmethod
    def _text_file(cls, value: str) -> str:
        if re.search(r"[\x00-\x1f\x7f]", value):
            raise ValueError("a file name cannot contain control characters")
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is not None and not _LANGUAGE.match(value):
            raise ValueError("not a BCP 47 language tag such as 'en' or 'pt-BR'")
        return value

    @field_validator("date_modified")
    @classmethod
    def _date_modified(cls, value: PartialDate | None, info: ValidationInfo) -> PartialDate | None:
        published = info.data.get("date_published")
        if value is not None and published is not None and value.last_day < published.first_day:
            raise ValueError(f"{value} is before date_published {published}")
        return value

    @field_validator("not_available")
    @classmethod
    def _not_available(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        for name in value:
            if name not in RECOMMENDED:
                known = ", ".join(RECOMMENDED)
                raise ValueError(f"{name!r} is not a recommended property; one of {known}")
            if name in ("url", "image") and info.data.get(name):  # the record gives it after all
                raise ValueError(f"the record gives {name!r}: remove it from not_available")
        return value


class RegistryEntity(_Model):
    type: EntityType
    name: str = Field(min_length=1, max_length=200)
    aliases: list[Text] = Field(default_factory=list)
    wikidata: str | None = None
    description: Text | None = None
    url: Url | None = None
    logo: Url | None = None

    @field_validator("logo")
    @classmethod
    def _logo(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None and info.data.get("type") != "NewsMediaOrganization":
            raise ValueError("only outlets (type NewsMediaOrganization) have a logo")
        return value

    @field_validator("wikidata")
    @classmethod
    def _qid(cls, value: str | None) -> str | None:
        if value is not None and not _QID.match(value):
            raise ValueError("a Wikidata id looks like Q42")
        return value

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return check_plain_name(value)


class RegistryFile(_Model):
    entities: dict[Key, RegistryEntity] = Field(default_factory=dict)


DEFAULT_MIN_CONFIDENCE = 0.44
"""The release policy for extracted claims: one whose ``nld:confidence`` (as released, to two
decimals) is below this is not released but listed for curators in ``review.jsonl``. A corpus
sets its own in ``dataset.yaml`` (``min_confidence``), a build with ``--min-confidence``; curated
claims are never withheld.

The value is measured, not chosen: the lowest threshold at which released extracted claims have
the right speaker at least 95% of the time on PolNeAR's dev split (sources that are a bare pronoun
left out), with the speaker weights fitted on its train split only. ``newsld eval
PATH/polnear/data/dev`` prints it on its last line; set it again whenever the weights are refitted
(docs/design/speakers.md)."""


def released_confidence(value: float) -> float:
    """A confidence as a release states it and as ``min_confidence`` is compared with: clamped to
    0..1, two decimals."""
    return round(min(max(value, 0.0), 1.0), 2)


def _confidence(value: Any) -> float | None:
    """A threshold of confidence: a number from 0 to 1 (not a string, not true/false)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ValueError(
            f"{value!r} is not a number from 0 to 1 (e.g. 0.5: extracted claims less confident "
            "than that are not released)"
        )
    return float(value)


Confidence = Annotated[float | None, BeforeValidator(_confidence)]


class DatasetSettings(_Model):
    base_iri: str = "https://example.org/newsld/"
    title: Text = "newsld dataset"
    description: Text | None = None
    license: str = "https://creativecommons.org/licenses/by/4.0/"
    version: Text = "0.0.0"
    issued: Date | None = None
    min_confidence: Confidence = None  # None: DEFAULT_MIN_CONFIDENCE

    def release_min_confidence(self, override: float | None = None) -> float:
        """The threshold a build applies: ``override`` (``--min-confidence``), else this
        corpus' ``min_confidence``, else :data:`DEFAULT_MIN_CONFIDENCE`."""
        if override is not None:
            return override
        if self.min_confidence is not None:
            return self.min_confidence
        return DEFAULT_MIN_CONFIDENCE

    @field_validator("base_iri", "license")
    @classmethod
    def _iri(cls, value: str) -> str:
        return check_url(value)


def record_dates(record: ArticleRecord) -> Iterator[tuple[Path_, PartialDate]]:
    """Every date a record states, with its field path."""
    if record.date_published is not None:
        yield ("date_published",), record.date_published
    if record.date_modified is not None:
        yield ("date_modified",), record.date_modified
    for index, claim in enumerate(record.claims):
        if claim.date is not None:
            yield ("claims", index, "date"), claim.date
    for index, event in enumerate(record.events):
        if event.date is not None:
            yield ("events", index, "date"), event.date
    for index, review in enumerate(record.reviews):
        if review.date is not None:
            yield ("reviews", index, "date"), review.date


def not_available(record: ArticleRecord) -> dict[str, str]:
    """Field label → the curator's reason, for each value the record says its article does
    not give (``not_available``)."""
    gaps: dict[str, str] = {}
    for index, event in enumerate(record.events):
        for name, reason in event.not_available.items():
            gaps[field_label(("events", index, name))] = reason
    return gaps


_FIELD_NAMES = sorted(
    {
        name
        for model in (
            ArticleRecord,
            ClaimRecord,
            EventRecord,
            ReviewRecord,
            RatingRecord,
            UnnamedSpeaker,
            RegistryEntity,
        )
        for name in model.model_fields
    }
)
UNION_TAGS = {"reference", "unnamed"}  # tags of union members in pydantic error locations


def field_label(path: Path_) -> str:
    """``('claims', 2, 'speaker')`` → ``claims[2].speaker``."""
    label = ""
    for part in path:
        label += f"[{part}]" if isinstance(part, int) else (f".{part}" if label else part)
    return label


def _close_field(name: str) -> str | None:
    close = difflib.get_close_matches(name, _FIELD_NAMES, n=1, cutoff=0.6)
    return close[0] if close else None


def meant_field(label: str) -> str | None:
    """The field an unknown field's label most likely meant (``claims[0].speakr`` →
    ``claims[0].speaker``), as the did-you-mean hint has it; None when nothing is close."""
    head, dot, name = label.rpartition(".")
    close = _close_field(name)
    return f"{head}{dot}{close}" if close else None


def validation_findings(error: ValidationError, doc: YamlDocument, file: str) -> list[Finding]:
    """Turn pydantic errors into findings located in the YAML source."""
    findings: list[Finding] = []
    seen: set[tuple[str, Path_]] = set()
    for item in error.errors():
        path: Path_ = tuple(p for p in item["loc"] if p not in UNION_TAGS)
        kind = item["type"]
        if (kind, path) in seen:
            continue
        seen.add((kind, path))
        position = doc.position(path)
        where = {
            "file": file,
            "line": position.line if position else None,
            "column": position.column if position else None,
            "field": field_label(path),
        }
        name = str(path[-1]) if path else ""
        if kind == "extra_forbidden":
            close = _close_field(name)
            hint = f"did you mean `{close}`?" if close else None
            findings.append(finding("record/unknown-field", hint=hint, **where))
        elif kind == "missing":
            findings.append(finding("record/missing-field", **where))
        elif "invalid date" in item["msg"]:
            reason = item["msg"].split("invalid date: ", 1)[-1]
            findings.append(finding("date/invalid", value=item["input"], detail=reason, **where))
        else:
            detail = item["msg"].removeprefix("Value error, ")
            if kind == "string_pattern_mismatch" and item.get("ctx", {}).get("pattern") == (
                TEXT_PATTERN
            ):
                detail = text_problem(item["input"]) or detail
            findings.append(finding("record/invalid-value", detail=detail, **where))
    return findings
