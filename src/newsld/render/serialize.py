"""Deterministic, streaming writers for the release dumps.

Each article's triples are written as soon as the article passes the gate, so memory does not
grow with the corpus. Terms are formatted here (not by rdflib's serialisers, which hold whole
graphs and rewrite some literals), in a fixed order: same triples in, same bytes out.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import IO, Any, NamedTuple

from rdflib import Literal, URIRef
from rdflib.term import Node

from newsld.rdf.namespaces import PREFIXES, RDF, XSD
from newsld.rdf.terms import Triple
from newsld.render.exports import (
    CLAIM_COLUMNS,
    CLAIMS_CSV,
    EVENT_COLUMNS,
    EVENTS_CSV,
    csv_header,
)
from newsld.render.graph_index import GRAPH_INDEX, HEADER, index_line
from newsld.render.sink import Sink

_TYPE = RDF.type  # namespace attribute lookups are slow in rdflib; these run per triple
_TYPE_IRI = str(_TYPE)
_plain = str.__str__  # a term's IRI or lexical form as a plain str: cheap to compare
_STRING = XSD.string
_STRING_IRI = str(_STRING)
_IRI_FORBIDDEN = re.compile(r"[\x00-\x20<>\"{}|\\^`]")
_LOCAL_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_ESCAPE = re.compile(r'[\\"\x00-\x1f\x7f]')


def _escape_char(match: re.Match[str]) -> str:
    char = match.group()
    return _ESCAPES.get(char) or f"\\u{ord(char):04X}"


def nt_iri(iri: str) -> str:
    if _IRI_FORBIDDEN.search(iri):
        raise ValueError(f"refusing to write an invalid IRI: {iri!r}")
    return f"<{iri}>"


def nt_literal(literal: Literal, datatype_form: str | None = None) -> str:
    body = '"' + _NEEDS_ESCAPE.sub(_escape_char, str(literal)) + '"'
    language = literal.language
    if language:
        return f"{body}@{language}"
    datatype = literal.datatype
    if datatype is None or _is_string(datatype):
        return body
    return f"{body}^^{datatype_form or nt_iri(datatype)}"


def _is_string(datatype: URIRef) -> bool:
    """``datatype == XSD.string``, without rdflib's Python-level ``__eq__``."""
    return type(datatype) is URIRef and str.__eq__(datatype, _STRING_IRI)


def nt_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return nt_iri(str(term))
    if isinstance(term, Literal):
        return nt_literal(term)
    raise ValueError(f"newsld writes no blank nodes or variables, got {term!r}")


def sort_key(triple: Triple) -> str:
    """A triple's N-Triples line: the order every writer uses."""
    return " ".join(map(nt_term, triple))


def _rows(triples: Iterable[Triple]) -> list[_Row]:
    """Distinct triples with their N-Triples forms, sorted by N-Triples line.

    Sorting by the whole line keeps each subject's triples, and within it each predicate's,
    together (no N-Triples term is a prefix of another followed by a space). Terms repeat a lot
    within a graph and across graphs, so each IRI is escaped and checked once (while the memo
    has room), and its plain text made once.
    """
    forms = _IRI_FORMS
    if len(forms) >= _IRI_FORMS_LIMIT:
        forms.clear()
    literals = _LITERAL_FORMS
    if len(literals) >= _LITERAL_FORMS_LIMIT:
        literals.clear()
    rows: dict[str, _Row] = {}
    for triple in triples:
        subject, predicate, obj = triple
        if type(subject) is URIRef:
            subject_nt, subject_plain = forms.get(subject) or _iri_forms(subject, forms)
        else:
            subject_nt, subject_plain = nt_term(subject), _plain(subject)
        if type(predicate) is URIRef:
            predicate_nt, predicate_plain = forms.get(predicate) or _iri_forms(predicate, forms)
        else:
            predicate_nt, predicate_plain = nt_term(predicate), _plain(predicate)
        kind = type(obj)
        if kind is URIRef:
            obj_nt = (forms.get(obj) or _iri_forms(obj, forms))[0]
        elif kind is Literal:
            known = literals.get(id(obj))
            if known is None:
                known = literals[id(obj)] = (obj, nt_literal(obj))
            obj_nt = known[1]
        else:
            obj_nt = nt_term(obj)
        line = f"{subject_nt} {predicate_nt} {obj_nt}"
        if line not in rows:
            rows[line] = _new_row(
                (line, subject_plain, predicate_plain, obj, subject_nt, obj_nt, triple)
            )
    return [rows[line] for line in sorted(rows)]


# IRI (exact URIRef) → (N-Triples form, plain text); checked for room once per graph
_IRI_FORMS: dict[URIRef, tuple[str, str]] = {}
_IRI_FORMS_LIMIT = 20_000  # recurring IRIs (entities, vocabulary) fit many times over
# id of a literal → (the literal, its N-Triples form). Mapping makes recurring literals (dates,
# offsets, names) once, so the object identifies them; the memo keeps each literal alive, so
# no other object can have its id while it is there. Checked for room once per graph.
_LITERAL_FORMS: dict[int, tuple[Literal, str]] = {}
_LITERAL_FORMS_LIMIT = 20_000


def _iri_forms(iri: URIRef, forms: dict[URIRef, tuple[str, str]]) -> tuple[str, str]:
    text = _plain(iri)
    found = forms[iri] = (nt_iri(text), text)
    return found


def ordered(triples: Iterable[Triple]) -> list[Triple]:
    """Distinct triples in N-Triples order, the one order every writer uses."""
    return [r.triple for r in _rows(triples)]


def gzip_member(data: bytes) -> bytes:
    """One gzip member with no file name and no timestamp: the same bytes for the same data.

    A gzip file may hold many members one after another; every reader decompresses them as one
    stream. Each article's dump lines are compressed once, as a member, so a rebuild copies the
    unchanged ones instead of recompressing them.
    """
    return gzip.compress(data, compresslevel=6, mtime=0)


class _Row(NamedTuple):
    line: str  # the N-Triples line, without " .\n"
    subject: str
    predicate: str
    obj: Node
    subject_nt: str
    obj_nt: str
    triple: Triple


_new_row: Callable[[tuple[Any, ...]], _Row] = partial(tuple.__new__, _Row)  # no Python call


class _PrefixedNames(dict[str, str | None]):
    """IRI → its prefixed name, or None: looked up as a plain dict (no Python call on a hit);
    a miss finds it and keeps it while there is room."""

    LIMIT = 20_000

    def __init__(self, prefixes: list[tuple[str, str]]) -> None:
        super().__init__()
        self.prefixes = prefixes  # longest namespace first
        self.any_namespace = re.compile("|".join(re.escape(ns) for _, ns in prefixes))

    def __missing__(self, iri: str) -> str | None:
        found = self.find(iri)
        if len(self) < self.LIMIT:
            self[iri] = found
        return found

    def find(self, iri: str) -> str | None:
        if not self.any_namespace.match(iri):  # most IRIs are in no namespace: one test
            return None
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace):
                local = iri[len(namespace) :]
                if _LOCAL_NAME.match(local):
                    return f"{prefix}:{local}"
        return None


class _Compactor:
    """Turns IRIs into prefixed names (Turtle) or compact IRIs and terms (JSON-LD)."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
        self._memo = _PrefixedNames(self.prefixes)
        # id of a literal → (the literal, its Turtle form, its JSON-LD value), as _LITERAL_FORMS
        self._literals: dict[int, tuple[Literal, str, Any]] = {}
        self.terms: dict[str, tuple[str, bool]] = {}
        for name, definition in context.items():
            if name.startswith("@") or (isinstance(definition, str) and name in PREFIXES):
                continue
            iri = definition if isinstance(definition, str) else definition["@id"]
            coerced = isinstance(definition, dict) and definition.get("@type") == "@id"
            self.terms[self.expand(iri)] = (name, coerced)

    def expand(self, curie: str) -> str:
        prefix, _, local = curie.partition(":")
        return PREFIXES[prefix] + local if prefix in PREFIXES else curie

    def prefixed(self, iri: str) -> str | None:
        """The prefixed name of ``iri``, or None; memoised for vocabulary terms."""
        return self._memo[iri]

    def literal_forms(self, literal: Literal, nt: str) -> tuple[Literal, str, Any]:
        """The literal (exactly a :class:`Literal`) with its Turtle form and JSON-LD value,
        given its N-Triples form ``nt``; memoised by the literal object."""
        known = self._literals.get(id(literal))
        if known is None:
            if len(self._literals) >= _LITERAL_FORMS_LIMIT:
                self._literals.clear()
            prefixed = self._memo.__getitem__
            turtle = _turtle_literal(literal, nt, prefixed)
            known = self._literals[id(literal)] = (
                literal,
                turtle,
                _jsonld_literal(literal, prefixed),
            )
        return known


def turtle_prefixes() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))


def _turtle(rows: Sequence[_Row], compactor: _Compactor) -> str:
    prefixed = compactor._memo.__getitem__
    literal_forms = compactor.literal_forms
    out: list[str] = []
    append = out.append
    subject = predicate = None
    for row in rows:
        if row.subject != subject:
            if subject is not None:
                append(" .\n")
            subject, predicate = row.subject, None
            append("\n" + (prefixed(subject) or row.subject_nt))
        if row.predicate != predicate:
            if predicate is not None:
                append(" ;")
            predicate = row.predicate
            verb = "a" if predicate == _TYPE_IRI else prefixed(predicate) or nt_iri(predicate)
            append(f"\n    {verb} ")
        else:
            append(", ")
        obj = row.obj
        kind = type(obj)
        if kind is URIRef:
            # the IRI is the N-Triples form without its angle brackets
            append(prefixed(row.obj_nt[1:-1]) or row.obj_nt)
        elif kind is Literal:
            append(literal_forms(obj, row.obj_nt)[1])
        elif isinstance(obj, Literal):
            append(_turtle_literal(obj, row.obj_nt, prefixed))
        elif isinstance(obj, URIRef):
            append(prefixed(_plain(obj)) or row.obj_nt)
        else:
            append(row.obj_nt)
    if subject is not None:
        append(" .\n")
    return "".join(out)


def _turtle_literal(literal: Literal, nt: str, prefixed: Callable[[str], str | None]) -> str:
    """A literal in Turtle: its N-Triples form ``nt`` with the datatype as a prefixed name."""
    datatype = literal.datatype
    if datatype is None or _is_string(datatype) or literal.language:
        return nt
    # ``nt`` ends with "^^" and the datatype's N-Triples form, <datatype>
    compact = prefixed(_plain(datatype))
    return nt if compact is None else nt[: len(nt) - len(datatype) - 2] + compact


class TurtleWriter:
    """Writes one Turtle document subject by subject, with the project's prefixes."""

    def __init__(self, stream: IO[str], compactor: _Compactor) -> None:
        self.stream = stream
        self.compactor = compactor
        stream.write(turtle_prefixes())

    def write(self, triples: Iterable[Triple]) -> None:
        """Write the distinct triples, in N-Triples order."""
        self.stream.write(_turtle(_rows(triples), self.compactor))


# json.dumps with these options, without making an encoder per call
_NODE_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


def _jsonld_literal(literal: Literal, prefixed: Callable[[str], str | None]) -> Any:
    """A literal as a JSON-LD value: a string, or its value with a language or a datatype."""
    language = literal.language
    if language:
        return {"@value": _plain(literal), "@language": language}
    datatype = literal.datatype
    if datatype is None or _is_string(datatype):
        return _plain(literal)
    datatype_iri = _plain(datatype)
    return {"@value": _plain(literal), "@type": prefixed(datatype_iri) or datatype_iri}


def _jsonld(rows: Sequence[_Row], compactor: _Compactor) -> list[str]:
    prefixed, terms = compactor._memo.__getitem__, compactor.terms
    literal_forms = compactor.literal_forms

    def value_of(node: Node, coerced: bool, nt: str) -> Any:
        kind = type(node)
        if kind is URIRef:
            plain = nt[1:-1]  # the N-Triples form without its angle brackets
            compact = prefixed(plain) or plain
            return compact if coerced else {"@id": compact}
        if kind is Literal:
            return literal_forms(node, nt)[2]
        if isinstance(node, URIRef):
            compact = prefixed(_plain(node)) or _plain(node)
            return compact if coerced else {"@id": compact}
        if not isinstance(node, Literal):
            raise ValueError(f"newsld writes no blank nodes, got {node!r}")
        return _jsonld_literal(node, prefixed)

    nodes: list[str] = []
    encode = _NODE_JSON.encode
    for subject, subject_rows in groupby(rows, key=attrgetter("subject")):
        obj: dict[str, Any] = {"@id": prefixed(subject) or subject}
        for predicate, objects in groupby(subject_rows, key=attrgetter("predicate")):
            if predicate == _TYPE_IRI:
                obj["@type"] = [prefixed(_plain(r.obj)) or _plain(r.obj) for r in objects]
                continue
            name, coerced = terms.get(predicate, (None, False))
            items = [value_of(r.obj, coerced, r.obj_nt) for r in objects]
            obj[name or prefixed(predicate) or predicate] = items[0] if len(items) == 1 else items
        nodes.append(encode(obj))
    return nodes


def jsonld_head(context: dict[str, Any]) -> str:
    head = json.dumps({"@context": context}, ensure_ascii=False, sort_keys=True, indent=1)
    return head[:-2] + ',\n "@graph": ['


JSONLD_TAIL = "\n ]\n}\n"


@dataclass
class RenderedGraph:
    """One named graph, rendered for every dump; cheap to pickle, cache and concatenate."""

    nt_gz: bytes
    nq_gz: bytes
    turtle: bytes
    jsonld: bytes  # its nodes, each on a new line, comma-separated; no comma before the first
    triples: int
    subjects: int
    classes: Counter[str]
    listing: bytes  # its line of the graph index (newsld.render.graph_index)
    # its rows of claims.csv and events.csv and its part of the ClaimReview feed
    # (newsld.render.exports.render_exports); none for the entities graph
    exports: tuple[bytes, bytes, bytes] = (b"", b"", b"")

    def parts(self) -> tuple[bytes, ...]:
        """The pieces in :attr:`DumpWriter.FILES` order."""
        return (
            self.turtle,
            self.nt_gz,
            self.nq_gz,
            self.jsonld,
            *self.exports[:2],
            self.listing,
        )

    @property
    def feed(self) -> bytes:
        """Its part of the ClaimReview feed (:func:`newsld.render.exports.feed_part`)."""
        return self.exports[2]


def render_graph(
    graph: URIRef,
    triples: Iterable[Triple],
    compactor: _Compactor,
    exports: tuple[bytes, bytes, bytes] = (b"", b"", b""),
) -> RenderedGraph:
    """Render the distinct triples, in N-Triples order, as N-Triples, N-Quads, Turtle and
    JSON-LD; ``exports``: the record's flat rows and feed items, rendered by
    :func:`newsld.render.exports.render_exports`."""
    rows = _rows(triples)
    graph_term = " " + nt_iri(str(graph)) + " .\n"
    lines = [r.line for r in rows]
    nt = " .\n".join(lines) + " .\n" if lines else ""
    nq = graph_term.join(lines) + graph_term if lines else ""
    nodes = _jsonld(rows, compactor)
    nt_bytes = nt.encode("utf-8")
    nq_gz = gzip_member(nq.encode("utf-8"))
    return RenderedGraph(
        nt_gz=gzip_member(nt_bytes),
        nq_gz=nq_gz,
        turtle=_turtle(rows, compactor).encode("utf-8"),
        jsonld=("\n  " + ",\n  ".join(nodes)).encode() if nodes else b"",
        triples=len(rows),
        subjects=len({r.subject for r in rows}),
        classes=Counter([_plain(r.obj) for r in rows if r.predicate == _TYPE_IRI]),
        listing=index_line(_plain(graph), len(rows), nt_bytes, nq_gz),
        exports=exports,
    )


class DumpWriter:
    """All dumps of a release, fed one named graph at a time, in order: rendered here, or a
    range of a previous release's dumps (:meth:`copy`) when the graph did not change.

    Besides the RDF dumps, the per-record flat exports (``claims.csv``, ``events.csv``) are
    written here too, the same way: a record's rows are one range of each file, copied as they
    were when the record did not change. (The ClaimReview feed is written after the identity
    pass, which gives each reviewed claim its first appearance: :func:`.exports.feed_document`.)
    So is the graph index (``graphs.tsv``, :mod:`newsld.render.graph_index`): a graph's line."""

    TURTLE = "newsld.ttl"
    NTRIPLES = "newsld.nt.gz"
    NQUADS = "newsld.nq.gz"
    JSONLD = "newsld.jsonld"
    RDF_DUMPS = (TURTLE, NTRIPLES, NQUADS, JSONLD)
    FILES = (*RDF_DUMPS, CLAIMS_CSV, EVENTS_CSV, GRAPH_INDEX)
    SEPARATED = (3,)  # the files whose graphs' parts are separated by a comma (JSON)

    def __init__(self, directory: Path, context: dict[str, Any]) -> None:
        self.compactor = _Compactor(context)
        self.directory = directory
        self.triples = 0
        self.subjects = 0
        self.classes: Counter[str] = Counter()
        self._sinks = [Sink(directory / name) for name in self.FILES]
        heads = (
            turtle_prefixes().encode("utf-8"),
            b"",
            b"",
            jsonld_head(context).encode("utf-8"),
            csv_header(CLAIM_COLUMNS),
            csv_header(EVENT_COLUMNS),
            HEADER.encode("utf-8"),
        )
        for sink, head in zip(self._sinks, heads, strict=True):
            if head:
                sink.write(head)
        self.bases = tuple(sink.position for sink in self._sinks)  # where graphs start
        self._first = dict.fromkeys(self.SEPARATED, True)  # no part written there yet

    def write(self, rendered: RenderedGraph) -> tuple[int, ...]:
        """Append one rendered graph; returns its length in each dump (JSON: without the
        comma before it)."""
        parts = rendered.parts()
        for index, first in self._first.items():
            if parts[index]:
                if not first:
                    self._sinks[index].write(b",")
                self._first[index] = False
        for sink, part in zip(self._sinks, parts, strict=True):
            sink.write(part)
        self._count(rendered.triples, rendered.subjects, rendered.classes.items())
        return tuple(len(part) for part in parts)

    def copy(
        self,
        sources: Sequence[int],
        starts: Sequence[int],
        lengths: Sequence[int],
        counts: tuple[int, int, Iterable[tuple[str, int]]],
    ) -> None:
        """Append a graph of the previous dumps (open file descriptors, in :attr:`FILES`
        order): ``lengths`` bytes from ``starts``, where :meth:`write` had put it.
        ``counts``: its triples, subjects and (class, instances) pairs."""
        sinks = self._sinks
        for index, sink in enumerate(sinks):
            length = lengths[index]
            if index not in self._first:
                sink.copy(sources[index], starts[index], length)
            elif length:
                source, start = sources[index], starts[index]
                if self._first[index]:
                    sink.copy(source, start, length)
                elif sink.follows(source, start - 1):  # the comma before it there is ours too
                    sink.copy(source, start - 1, length + 1)
                else:
                    sink.write(b",")
                    sink.copy(source, start, length)
                self._first[index] = False
        self._count(*counts)

    def _count(self, triples: int, subjects: int, classes: Iterable[tuple[str, int]]) -> None:
        self.triples += triples
        self.subjects += subjects
        counter = self.classes
        for name, count in classes:
            counter[name] += count

    def ends(self) -> tuple[int, ...]:
        """Where each dump ends so far (what was written or copied last ends there)."""
        return tuple(sink.position for sink in self._sinks)

    def write_graph(self, graph: URIRef, triples: Iterable[Triple]) -> tuple[int, ...]:
        """Render and write one named graph."""
        return self.write(render_graph(graph, triples, self.compactor))

    def close(self) -> None:
        self._sinks[self.FILES.index(self.JSONLD)].write(JSONLD_TAIL.encode("utf-8"))
        for sink in self._sinks:
            sink.close()

    def files(self) -> list[str]:
        return list(self.FILES)
