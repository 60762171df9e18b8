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
from collections.abc import Iterable, Sequence
from itertools import groupby
from pathlib import Path
from typing import IO, Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from .mapping import Triple
from .namespaces import PREFIXES, RDF, XSD

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
    if literal.datatype is None or literal.datatype == XSD.string:
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


class DeterministicGzip(gzip.GzipFile):
    """A gzip file with no file name and no timestamp in its header; closes its file too."""

    def __init__(self, path: Path) -> None:
        self._raw = path.open("wb")
        super().__init__(filename="", mode="wb", fileobj=self._raw, mtime=0, compresslevel=6)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._raw.close()


class _Compactor:
    """Turns IRIs into prefixed names (Turtle) or compact IRIs and terms (JSON-LD)."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.prefixes = sorted(PREFIXES.items(), key=lambda kv: -len(kv[1]))
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
        for prefix, namespace in self.prefixes:
            if iri.startswith(namespace):
                local = iri[len(namespace) :]
                if _LOCAL_NAME.match(local):
                    return f"{prefix}:{local}"
        return None


class TurtleWriter:
    """Writes one Turtle document subject by subject, with the project's prefixes."""

    def __init__(self, stream: IO[str], compactor: _Compactor) -> None:
        self.stream = stream
        self.compactor = compactor
        for prefix, namespace in sorted(PREFIXES.items()):
            stream.write(f"@prefix {prefix}: <{namespace}> .\n")

    def term(self, term: Node) -> str:
        if isinstance(term, URIRef):
            return self.compactor.prefixed(str(term)) or nt_iri(str(term))
        if isinstance(term, Literal) and term.datatype is not None and term.datatype != XSD.string:
            return nt_literal(term, self.compactor.prefixed(str(term.datatype)))
        return nt_term(term)

    def write(self, triples: Sequence[Triple]) -> None:
        """Write already ``ordered`` triples."""
        for subject, rows in groupby(triples, key=lambda t: t[0]):
            self.stream.write(f"\n{self.term(subject)}")
            separator = ""
            for predicate, objects in groupby(rows, key=lambda t: t[1]):
                verb = "a" if predicate == RDF.type else self.term(predicate)
                values = ", ".join(self.term(t[2]) for t in objects)
                self.stream.write(f"{separator}\n    {verb} {values}")
                separator = " ;"
            self.stream.write(" .\n")


class JsonLdWriter:
    """Writes one compact JSON-LD document node by node; the ``@context`` is inline, never a URL."""

    def __init__(self, stream: IO[str], context: dict[str, Any], compactor: _Compactor) -> None:
        self.stream = stream
        self.compactor = compactor
        self.first = True
        head = json.dumps({"@context": context}, ensure_ascii=False, sort_keys=True, indent=1)
        stream.write(head[:-2] + ',\n "@graph": [')

    def _iri(self, iri: str) -> str:
        return self.compactor.prefixed(iri) or iri

    def _value(self, term: Node, coerced: bool) -> Any:
        if isinstance(term, URIRef):
            return self._iri(str(term)) if coerced else {"@id": self._iri(str(term))}
        assert isinstance(term, Literal)
        if term.language:
            return {"@value": str(term), "@language": term.language}
        if term.datatype is None or term.datatype == XSD.string:
            return str(term)
        return {"@value": str(term), "@type": self._iri(str(term.datatype))}

    def write(self, triples: Sequence[Triple]) -> None:
        for subject, rows in groupby(triples, key=lambda t: t[0]):
            node: dict[str, Any] = {"@id": self._iri(str(subject))}
            for predicate, objects in groupby(rows, key=lambda t: t[1]):
                values = [t[2] for t in objects]
                if predicate == RDF.type:
                    node["@type"] = [self._iri(str(v)) for v in values]
                    continue
                name, coerced = self.compactor.terms.get(str(predicate), (None, False))
                key = name or self._iri(str(predicate))
                items = [self._value(v, coerced) for v in values]
                node[key] = items[0] if len(items) == 1 else items
            text = json.dumps(node, ensure_ascii=False, sort_keys=True)
            self.stream.write(("\n  " if self.first else ",\n  ") + text)
            self.first = False

    def close(self) -> None:
        self.stream.write("\n ]\n}\n")


class DumpWriter:
    """All dumps of a release, fed one named graph at a time."""

    TURTLE = "newsld.ttl"
    NTRIPLES = "newsld.nt.gz"
    NQUADS = "newsld.nq.gz"
    JSONLD = "newsld.jsonld"

    def __init__(self, directory: Path, context: dict[str, Any]) -> None:
        compactor = _Compactor(context)
        self.directory = directory
        self.triples = 0
        self._nt = DeterministicGzip(directory / self.NTRIPLES)
        self._nq = DeterministicGzip(directory / self.NQUADS)
        self._ttl = (directory / self.TURTLE).open("w", encoding="utf-8", newline="\n")
        self._jsonld = (directory / self.JSONLD).open("w", encoding="utf-8", newline="\n")
        self.turtle = TurtleWriter(self._ttl, compactor)
        self.jsonld = JsonLdWriter(self._jsonld, context, compactor)

    def write_graph(self, graph: URIRef, triples: Sequence[Triple]) -> None:
        """Write one named graph; ``triples`` must be ``ordered``."""
        graph_term = nt_iri(str(graph))
        nt = io.StringIO()
        nq = io.StringIO()
        for triple in triples:
            line = " ".join(map(nt_term, triple))
            nt.write(f"{line} .\n")
            nq.write(f"{line} {graph_term} .\n")
        self._nt.write(nt.getvalue().encode("utf-8"))
        self._nq.write(nq.getvalue().encode("utf-8"))
        self.turtle.write(triples)
        self.jsonld.write(triples)
        self.triples += len(triples)

    def close(self) -> None:
        self.jsonld.close()
        for stream in (self._nt, self._nq, self._ttl, self._jsonld):
            stream.close()

    def files(self) -> list[str]:
        return [self.TURTLE, self.NTRIPLES, self.NQUADS, self.JSONLD]
