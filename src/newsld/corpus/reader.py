"""Reading a corpus folder: settings, the entity registry and article records with their texts.

All file I/O of the pipeline's input side lives here or, for reading one file bounded and
inside the corpus, in :mod:`newsld.corpus.files`. Each reader returns a value plus findings;
nothing here raises on bad data, only :class:`CorpusError` when there is no corpus to read at all.
"""

from __future__ import annotations

import bisect
import copy
import difflib
import hashlib
import os
import re
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, overload

from pydantic import BaseModel, ValidationError

from newsld.corpus.dates import PartialDate
from newsld.corpus.files import (
    MAX_RECORD_BYTES,
    MAX_TEXT_BYTES,
    Refused,
    Source,
    _plain_text_file,
    _read_located,
    _real_folder,
    display_path,
    is_inside,
    locate,
    read_source,
    stable_name,
)
from newsld.corpus.records import (
    UNION_TAGS,
    ArticleRecord,
    DatasetSettings,
    RegistryEntity,
    RegistryFile,
    normalise_name,
    validation_findings,
)
from newsld.corpus.yamlsource import YamlDocument, YamlProblem, load_yaml
from newsld.findings.report import Finding, Severity, finding

SETTINGS_FILE = "dataset.yaml"
REGISTRY_FILE = "registry.yaml"
ARTICLES_DIR = "articles"
RECORD_SUFFIXES = {".yaml", ".yml"}
TEXT_SUFFIXES = {".txt"}

M = TypeVar("M", bound=BaseModel)


class CorpusError(Exception):
    """The corpus itself cannot be read (missing folder); exit code 2."""


def split_suffix(name: str) -> tuple[str, str]:
    """A file name's stem and suffix, as :func:`os.path.splitext` splits a name (a dot that
    only dots precede starts no suffix), for less: it runs for every file of a corpus."""
    dot = name.rfind(".")
    if dot > 0 and (name[0] != "." or name[:dot].lstrip(".")):
        return name[:dot], name[dot:]
    return name, ""


class FileNames(Sequence[str]):
    """Sorted file names, packed in one string: a str object per name costs some 50 bytes
    besides its characters, and a large corpus has 100k records. Names are made when asked
    for; ``shared_stems`` are the stems more than one name has (usually none)."""

    def __init__(self, names: list[str], suffixes: Iterable[str] = RECORD_SUFFIXES) -> None:
        """``names``: sorted; ``suffixes``: those a stem may have, for ``shared_stems``."""
        ends, end = array("I"), 0
        shared = set()
        for name in names:
            end += len(name)
            ends.append(end)
            stem, suffix = split_suffix(name)
            for other in suffixes:
                if other > suffix:  # each pair once, from its first name
                    at = bisect.bisect_left(names, stem + other)
                    if at < len(names) and names[at] == stem + other:
                        shared.add(stem)
        self._packed, self._ends = "".join(names), ends
        self.shared_stems = frozenset(shared)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._ends)))]
        ends = self._ends
        return self._packed[ends[index - 1] if index > 0 else 0 : ends[index]]

    def __len__(self) -> int:
        return len(self._ends)

    def __iter__(self) -> Iterator[str]:
        packed, start = self._packed, 0
        for end in self._ends:
            yield packed[start:end]
            start = end


class RecordPaths(Sequence[Path]):
    """The records of a corpus, in order: kept as file names, made paths when asked for (a
    path object costs ten times its name, and a large corpus has 100k records)."""

    def __init__(self, folder: Path, names: list[str] | FileNames) -> None:
        self.folder = folder
        self.names = names if isinstance(names, FileNames) else FileNames(sorted(names))

    @overload
    def __getitem__(self, index: int) -> Path: ...
    @overload
    def __getitem__(self, index: slice) -> list[Path]: ...
    def __getitem__(self, index: int | slice) -> Path | list[Path]:
        if isinstance(index, slice):
            return [self.folder / name for name in self.names[index]]
        return self.folder / self.names[index]

    def __len__(self) -> int:
        return len(self.names)

    def __iter__(self) -> Iterator[Path]:
        folder = self.folder
        return (folder / name for name in self.names)

    def strings(self) -> Iterator[str]:
        """The paths as plain strings (cheaper than path objects when most are only stat'ed)."""
        folder = os.path.join(str(self.folder), "")
        return (folder + name for name in self.names)


_TOP_ID = re.compile(r"^id:[ \t]+([a-z0-9]+(?:-[a-z0-9]+)*)[ \t]*(?:#.*)?\r?$", re.MULTILINE)
_TOP_DATE = re.compile(
    r"^date_published:[ \t]+(['\"]?)([0-9W-]{4,10})\1[ \t]*(?:#.*)?\r?$", re.MULTILINE
)


_TOP_KEY = re.compile(r"^[\"']?(id|date_published)[\"']?[ \t]*:.*", re.MULTILINE)


def quick_summary(text: str) -> tuple[str, str | None, int] | None:
    """A record's id, publication date text and id line, read without parsing the YAML, when
    the record writes them the plain way (``id: some-key`` on its own line, once); else None,
    and the caller parses the record properly. One scan finds the lines of both keys."""
    id_line: re.Match[str] | None = None
    date_line: re.Match[str] | None = None
    for key in _TOP_KEY.finditer(text):
        if key[1] == "id":
            if id_line is not None:
                return None  # twice: the parser says which one counts, or that none does
            id_line = key
        else:
            if date_line is not None:
                return None
            date_line = key
    strict_id = _TOP_ID.fullmatch(id_line[0]) if id_line is not None else None
    if id_line is None or strict_id is None:
        return None
    date = None
    if date_line is not None:
        strict_date = _TOP_DATE.fullmatch(date_line[0])
        if strict_date is None:
            return None
        date = strict_date[2]
        try:
            PartialDate.parse(date)
        except ValueError:
            return None
    return strict_id[1], date, text.count("\n", 0, id_line.start()) + 1


def parse_model(
    source: Source, model: type[M], *, salvage: bool = False
) -> tuple[M | None, YamlDocument | None, list[Finding]]:
    """Parse a YAML source into ``model``; every problem becomes a located finding.

    With ``salvage``, a document with invalid values still yields a model when dropping those
    values leaves a valid one (the findings still say the record failed): the caller can then
    check the rest of it, so a bad date does not hide a missing speaker until it is fixed."""
    if not source.text.strip():
        return None, None, [finding("file/empty", file=source.display)]
    try:
        doc = load_yaml(source.text)
    except YamlProblem as problem:
        where: dict[str, Any] = {"file": source.display}
        if problem.position:
            where.update(line=problem.position.line, column=problem.position.column)
        code = problem.code
        if code == "file/empty":
            return None, None, [finding(code, **where)]
        return None, None, [finding(code, detail=problem.message, **where)]
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__.replace("NoneType", "nothing")
        return None, doc, [finding("record/not-a-mapping", file=source.display, line=1, kind=kind)]
    try:
        return model.model_validate(doc.data), doc, []
    except ValidationError as error:
        findings = validation_findings(error, doc, source.display)
        return (_salvaged(model, doc.data, error) if salvage else None), doc, findings


_MAX_SALVAGE_ROUNDS = 8  # each round drops what the last one rejected: a nested bad value


def _salvaged(model: type[M], data: dict[str, Any], error: ValidationError) -> M | None:
    """``data`` without the values ``error`` rejects, validated; None when a rejected value
    is one the model cannot do without (a required field, a list item: dropping one would
    shift the positions later findings report), or the record is still invalid."""
    data = copy.deepcopy(data)
    for _ in range(_MAX_SALVAGE_ROUNDS):
        for item in error.errors():
            if item["type"] == "missing" or not _drop(data, item["loc"]):
                return None
        try:
            return model.model_validate(data)
        except ValidationError as again:
            error = again
    return None


def _drop(data: Any, loc: tuple[int | str, ...]) -> bool:
    """Remove the mapping entry at ``loc`` (pydantic's error location) from ``data``; False
    when it is not a mapping entry. Union tags (``reference``, ``unnamed``) are not data keys."""
    path = [part for part in loc if part not in UNION_TAGS]
    if not path or isinstance(path[-1], int):
        return False
    for part in path[:-1]:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return False
    if not isinstance(data, dict):
        return False
    data.pop(path[-1], None)  # gone already: two errors on one value
    return True


# Cyrillic and Greek letters (after casefolding) that look like Latin ones
_LOOK_ALIKES = str.maketrans(
    {
        **dict(zip("аеорсухіјѕԁԛԝһӏкмнтвё", "aeopcyxijsdqwhlkmhtbe", strict=True)),
        **dict(zip("αορντυικχεβηζμ", "aopvtuikxebhzm", strict=True)),
    }
)


@dataclass
class Registry:
    """The shared entity registry with its alias index."""

    entities: dict[str, RegistryEntity] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # normalised name → entity id
    source: Source | None = None
    _fingerprints: dict[str, str] = field(default_factory=dict, repr=False)
    _suggestions: dict[str, str | None] = field(default_factory=dict, repr=False)

    def suggest(self, reference: str) -> str | None:
        """A "did you mean" for a reference that names no entity, from names and aliases
        (memoised: unknown names recur across records, and difflib scans every alias)."""
        name = normalise_name(reference)
        if name in self._suggestions:
            return self._suggestions[name]
        close = difflib.get_close_matches(name, list(self.aliases), 1, 0.8)
        found = None
        if close:
            entity_id = self.aliases[close[0]]
            found = f"did you mean `{entity_id}` ({self.entities[entity_id].name})?"
        if len(self._suggestions) < 100_000:
            self._suggestions[name] = found
        return found

    def fingerprint(self, entity_id: str) -> str:
        """A hash of one entity's registry entry: records that use it depend on it."""
        cached = self._fingerprints.get(entity_id)
        if cached is None:
            data = self.entities[entity_id].model_dump_json().encode("utf-8")
            cached = self._fingerprints[entity_id] = hashlib.sha256(data).hexdigest()
        return cached

    def lookup(self, reference: str) -> str | None:
        """The entity id a reference names: an id, a name or an alias."""
        if reference in self.entities:
            return reference
        return self.aliases.get(normalise_name(reference))

    def imitated(self, reference: str) -> str | None:
        """The entity a name that names none imitates with look-alike letters ("Наmas",
        Cyrillic Н and а, for Hamas), or None."""
        name = normalise_name(reference)
        if name.isascii():
            return None
        return self.aliases.get(name.translate(_LOOK_ALIKES))


def build_registry(
    parsed: RegistryFile, doc: YamlDocument | None, display: str
) -> tuple[Registry, list[Finding]]:
    registry = Registry(entities=dict(parsed.entities))
    findings: list[Finding] = []
    for entity_id in sorted(parsed.entities):
        entity = parsed.entities[entity_id]
        for index, alias in enumerate([entity.name, *entity.aliases, entity_id]):
            key = normalise_name(alias)
            other = registry.aliases.get(key)
            if other is not None and other != entity_id:
                path = (
                    ("entities", entity_id, "aliases", index - 1)
                    if index
                    else ("entities", entity_id)
                )
                position = doc.position(path) if doc else None
                findings.append(
                    finding(
                        "registry/duplicate-alias",
                        file=display,
                        line=position.line if position else None,
                        alias=alias,
                        entity=entity_id,
                        other=other,
                    )
                )
                continue
            registry.aliases[key] = entity_id
    return registry, findings


@dataclass
class LoadedArticle:
    record: ArticleRecord
    doc: YamlDocument
    source: Source  # the YAML record
    text: Source  # the article text


@dataclass
class Corpus:
    root: Path
    settings: DatasetSettings
    registry: Registry
    record_paths: RecordPaths
    inputs: dict[str, str]  # display path → sha256 of settings and registry
    findings: list[Finding]


def open_corpus(root: Path) -> Corpus:
    """Read settings and registry and list the article records (sorted, for determinism)."""
    root = root.resolve()
    if not root.is_dir():
        raise CorpusError(f"corpus folder {root} does not exist")
    findings: list[Finding] = []
    inputs: dict[str, str] = {}

    settings = DatasetSettings()
    settings_path = root / SETTINGS_FILE
    if os.path.lexists(settings_path):  # a link is read only if it stays inside
        source, problems = read_source(settings_path, root, MAX_RECORD_BYTES)
        findings += problems
        if source:
            inputs[source.name] = source.sha256
            parsed, _, problems = parse_model(source, DatasetSettings)
            findings += problems
            settings = parsed or settings

    registry = Registry()
    registry_path = root / REGISTRY_FILE
    if os.path.lexists(registry_path):  # a link is read only if it stays inside
        source, problems = read_source(registry_path, root, MAX_RECORD_BYTES)
        findings += problems
        if source:
            inputs[source.name] = source.sha256
            parsed_registry, doc, problems = parse_model(source, RegistryFile)
            findings += problems
            if parsed_registry:
                registry, problems = build_registry(parsed_registry, doc, source.display)
                registry.source = source
                findings += problems

    articles = root / ARTICLES_DIR
    records, others = [], []  # names only: a large corpus has 100k of each kind
    listed = articles.is_dir()
    if listed and not is_inside(_real_folder(str(articles)), root):
        listed = False  # a link out of the corpus: nothing in it is read
        findings.append(
            finding("file/outside-corpus", file=display_path(articles, root), target=ARTICLES_DIR)
        )
    if listed:
        with os.scandir(articles) as entries:
            for entry in entries:
                suffix = split_suffix(entry.name)[1]  # as Path.suffix, without a path
                if suffix in RECORD_SUFFIXES:
                    records.append(entry.name)
                elif suffix not in TEXT_SUFFIXES and not entry.name.startswith("."):
                    others.append(entry.name)
    records.sort()
    names = FileNames(records)
    del records
    for name in sorted(others):
        path = articles / name
        findings.append(
            finding(
                "file/unsupported-format",
                file=display_path(path, root),
                severity=Severity.WARNING,
                hint="records are YAML (.yaml/.yml); article texts are .txt",
            )
        )
    return Corpus(root, settings, registry, RecordPaths(articles, names), inputs, findings)


def load_article(path: Path, root: Path) -> tuple[LoadedArticle | None, list[Finding]]:
    """Read one record and its text file; check the id against the file name."""
    source, findings = read_source(path, root, MAX_RECORD_BYTES)
    if source is None:
        return None, findings
    return load_record_source(source, root)


def load_record_source(source: Source, root: Path) -> tuple[LoadedArticle | None, list[Finding]]:
    """Parse a record already read from disk, then read its text file."""
    path = source.path
    record, doc, findings = parse_model(source, ArticleRecord, salvage=True)
    if record is None or doc is None:
        return None, findings
    if record.id != path.stem:
        position = doc.position(("id",))
        findings.append(
            finding(
                "record/id-mismatch",
                file=source.display,
                line=position.line if position else None,
                field="id",
                id=record.id,
                stem=path.stem,
            )
        )
    position = doc.position(("text_file",))
    where: dict[str, Any] = {
        "file": source.display,
        "line": position.line if position else None,
        "field": "text_file",
    }
    text_path = _plain_text_file(path, record.text_file)
    if text_path is not None:
        real = str(text_path)
    else:
        try:
            text_path = (path.parent / record.text_file).resolve()
        except (OSError, ValueError, RuntimeError) as error:  # a loop of links, say
            where = {"file": source.display, "field": "text_file"}
            return None, [*findings, finding("file/unreadable", reason=str(error), **where)]
        if not text_path.is_relative_to(root):
            return None, [
                *findings,
                finding("file/outside-corpus", target=record.text_file, **where),
            ]
        try:
            real = locate(str(text_path), root)
        except Refused as refused:
            return None, [*findings, refused.finding(target=record.text_file, **where)]
        except (FileNotFoundError, NotADirectoryError):
            return None, [*findings, finding("file/missing", target=record.text_file, **where)]
        except OSError as error:
            reason = error.strerror or error
            return None, [*findings, finding("file/unreadable", reason=reason, **where)]
    name = stable_name(text_path, root)
    display = display_path(text_path, root, name)
    text, problems = _read_located(text_path, real, MAX_TEXT_BYTES, name, display)
    findings += problems
    if text is None:
        return None, findings
    if not text.text.strip():
        return None, [*findings, finding("article/empty-text", target=record.text_file, **where)]
    return LoadedArticle(record, doc, source, text), findings


def iter_articles(corpus: Corpus) -> Iterator[tuple[Path, LoadedArticle | None, list[Finding]]]:
    for path in corpus.record_paths:
        loaded, findings = load_article(path, corpus.root)
        yield path, loaded, findings
