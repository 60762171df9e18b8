"""Deterministic, streaming writers for the release dumps.

Each article's triples are written as soon as the article passes the gate, so memory does not
grow with the corpus. Terms are formatted here (not by rdflib's serialisers, which hold whole
graphs and rewrite some literals), in a fixed order: same triples in, same bytes out.
"""

from __future__ import annotations

import gzip
import io
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import IO, Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from .mapping import Triple
from .namespaces import PREFIXES, RDF, XSD

_TYPE = RDF.type  # namespace attribute lookups are slow in rdflib; these run per triple
_TYPE_IRI = str(_TYPE)
_plain = str.__str__  # a term's IRI or lexical form as a plain str: cheap to compare
_STRING = XSD.string
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
    if literal.language:
        return f"{body}@{literal.language}"
    if literal.datatype is None or literal.datatype == _STRING:
        return body
    return f"{body}^^{datatype_form or nt_iri(literal.datatype)}"


def nt_term(term: Node) -> str:
    if isinstance(term, URIRef):
        return nt_iri(str(term))
    if isinstance(term, Literal):
        return nt_literal(term)
    raise ValueError(f"newsld writes no blank nodes or variables, got {term!r}")


def sort_key(triple: Triple) -> tuple[str, str, str]:
    return (nt_term(triple[0]), nt_term(triple[1]), nt_term(triple[2]))


def ordered(triples: Iterable[Triple]) -> list[Triple]:
    """Distinct triples in N-Triples order, the one order every writer uses."""
    return sorted(set(triples), key=sort_key)


def gzip_member(data: bytes) -> bytes:
    """One gzip member with no file name and no timestamp: the same bytes for the same data.

    A gzip file may hold many members one after another; every reader decompresses them as one
    stream. Each article's dump lines are compressed once, as a member, so a rebuild copies the
    unchanged ones instead of recompressing them.
    """
    return gzip.compress(data, compresslevel=6, mtime=0)


_UNSEEN = object()


class _Compactor:
    """Turns IRIs into prefixed names (Turtle) or compact IRIs and terms (JSON-LD)."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
        self._memo: dict[str, str | None] = {}
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
        cached = self._memo.get(iri, _UNSEEN)
        if cached is not _UNSEEN:
            return cached  # type: ignore[return-value]
        found = self._prefixed(iri)
        if len(self._memo) < 200_000:
            self._memo[iri] = found
        return found

    def _prefixed(self, iri: str) -> str | None:
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace):
                local = iri[len(namespace) :]
                if _LOCAL_NAME.match(local):
                    return f"{prefix}:{local}"
        return None


def turtle_prefixes() -> str:
    return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(PREFIXES.items()))


def turtle_block(triples: Sequence[Triple], compactor: _Compactor) -> str:
    """Subject blocks for already ``ordered`` triples."""

    def term(node: Node) -> str:
        if isinstance(node, URIRef):
            return compactor.prefixed(str(node)) or nt_iri(str(node))
        if isinstance(node, Literal) and node.datatype is not None and node.datatype != _STRING:
            return nt_literal(node, compactor.prefixed(str(node.datatype)))
        return nt_term(node)

    out = io.StringIO()
    for subject, rows in groupby(triples, key=lambda t: _plain(t[0])):
        out.write(f"\n{compactor.prefixed(subject) or nt_iri(subject)}")
        separator = ""
        for predicate, objects in groupby(rows, key=lambda t: _plain(t[1])):
            verb = (
                "a"
                if predicate == _TYPE_IRI
                else compactor.prefixed(predicate) or nt_iri(predicate)
            )
            values = ", ".join(term(t[2]) for t in objects)
            out.write(f"{separator}\n    {verb} {values}")
            separator = " ;"
        out.write(" .\n")
    return out.getvalue()


class TurtleWriter:
    """Writes one Turtle document subject by subject, with the project's prefixes."""

    def __init__(self, stream: IO[str], compactor: _Compactor) -> None:
        self.stream = stream
        self.compactor = compactor
        stream.write(turtle_prefixes())

    def write(self, triples: Sequence[Triple]) -> None:
        """Write already ``ordered`` triples."""
        self.stream.write(turtle_block(triples, self.compactor))


def jsonld_nodes(triples: Sequence[Triple], compactor: _Compactor) -> list[str]:
    """Compact JSON-LD node objects (one JSON text each) for already ``ordered`` triples."""

    def iri(value: str) -> str:
        return compactor.prefixed(value) or value

    def value_of(node: Node, coerced: bool) -> Any:
        if isinstance(node, URIRef):
            return iri(str(node)) if coerced else {"@id": iri(str(node))}
        if not isinstance(node, Literal):
            raise ValueError(f"newsld writes no blank nodes, got {node!r}")
        if node.language:
            return {"@value": str(node), "@language": node.language}
        if node.datatype is None or node.datatype == _STRING:
            return str(node)
        return {"@value": str(node), "@type": iri(str(node.datatype))}

    nodes = []
    for subject, rows in groupby(triples, key=lambda t: _plain(t[0])):
        obj: dict[str, Any] = {"@id": iri(str(subject))}
        for predicate, objects in groupby(rows, key=lambda t: _plain(t[1])):
            values = [t[2] for t in objects]
            if predicate == _TYPE_IRI:
                obj["@type"] = [iri(str(v)) for v in values]
                continue
            name, coerced = compactor.terms.get(str(predicate), (None, False))
            items = [value_of(v, coerced) for v in values]
            obj[name or iri(str(predicate))] = items[0] if len(items) == 1 else items
        nodes.append(json.dumps(obj, ensure_ascii=False, sort_keys=True))
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
    turtle: str
    jsonld: list[str]
    triples: int
    subjects: int
    classes: Counter[str]


def render_graph(graph: URIRef, triples: Sequence[Triple], compactor: _Compactor) -> RenderedGraph:
    """Render already ``ordered`` triples as N-Triples, N-Quads, Turtle and JSON-LD."""
    graph_term = nt_iri(str(graph))
    lines = [" ".join(map(nt_term, t)) for t in triples]
    nt = "".join(f"{line} .\n" for line in lines)
    nq = "".join(f"{line} {graph_term} .\n" for line in lines)
    return RenderedGraph(
        nt_gz=gzip_member(nt.encode("utf-8")),
        nq_gz=gzip_member(nq.encode("utf-8")),
        turtle=turtle_block(triples, compactor),
        jsonld=jsonld_nodes(triples, compactor),
        triples=len(triples),
        subjects=len({t[0] for t in triples}),
        classes=Counter(_plain(t[2]) for t in triples if _plain(t[1]) == _TYPE_IRI),
    )


class DumpWriter:
    """All dumps of a release, fed one rendered named graph at a time, in order."""

    TURTLE = "newsld.ttl"
    NTRIPLES = "newsld.nt.gz"
    NQUADS = "newsld.nq.gz"
    JSONLD = "newsld.jsonld"

    def __init__(self, directory: Path, context: dict[str, Any]) -> None:
        self.compactor = _Compactor(context)
        self.directory = directory
        self.triples = 0
        self.subjects = 0
        self.classes: Counter[str] = Counter()
        self._nt = (directory / self.NTRIPLES).open("wb")
        self._nq = (directory / self.NQUADS).open("wb")
        self._ttl = (directory / self.TURTLE).open("w", encoding="utf-8", newline="\n")
        self._jsonld = (directory / self.JSONLD).open("w", encoding="utf-8", newline="\n")
        self._ttl.write(turtle_prefixes())
        self._jsonld.write(jsonld_head(context))
        self._first_node = True

    def write(self, rendered: RenderedGraph) -> None:
        self._nt.write(rendered.nt_gz)
        self._nq.write(rendered.nq_gz)
        self._ttl.write(rendered.turtle)
        for node in rendered.jsonld:
            self._jsonld.write(("\n  " if self._first_node else ",\n  ") + node)
            self._first_node = False
        self.triples += rendered.triples
        self.subjects += rendered.subjects
        self.classes.update(rendered.classes)

    def write_graph(self, graph: URIRef, triples: Sequence[Triple]) -> None:
        """Render and write one named graph; ``triples`` must be ``ordered``."""
        self.write(render_graph(graph, triples, self.compactor))

    def close(self) -> None:
        self._jsonld.write(JSONLD_TAIL)
        for stream in (self._nt, self._nq, self._ttl, self._jsonld):
            stream.close()

    def files(self) -> list[str]:
        return [self.TURTLE, self.NTRIPLES, self.NQUADS, self.JSONLD]
