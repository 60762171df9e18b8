"""The release's graph index (``graphs.tsv``): one line per named graph of the N-Quads dump.

Each line gives, in dump order, a graph's name, its triple count, the SHA-256 of its
N-Triples text (the digest ``newsld load`` records in a store's load manifest) and the bytes
of its gzip member in ``newsld.nq.gz`` (each graph is one member, so a graph starts where the
one before it ended). A loader reads this small file instead of decompressing the whole dump
to learn what changed, then reads only the members it sends.

It is written beside the dumps, a graph's line with its graph (:class:`DumpWriter
<newsld.render.serialize.DumpWriter>`), so a rebuild copies an unchanged graph's line as it
copies the graph.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass

GRAPH_INDEX = "graphs.tsv"
COLUMNS = ("graph", "triples", "sha256", "nquads_gzip_bytes")
HEADER = "\t".join(COLUMNS) + "\n"
_MALFORMED = "not a graph's name, triples, sha256 and gzip member bytes, tab-separated"


@dataclass(frozen=True)
class IndexedGraph:
    """One graph of the dump as the index gives it, with where its member lies."""

    name: str
    triples: int
    digest: str  # SHA-256 of its N-Triples text
    offset: int  # where its gzip member starts in newsld.nq.gz
    length: int  # the member's bytes


def index_line(name: str, triples: int, ntriples: bytes, member: bytes) -> bytes:
    """The index line of a graph: its N-Triples text and its gzip member in the N-Quads dump."""
    digest = hashlib.sha256(ntriples).hexdigest()
    return f"{name}\t{triples}\t{digest}\t{len(member)}\n".encode()


def read_index(text: str) -> Iterator[IndexedGraph]:
    """The graphs an index file's text lists, with their members' offsets; :class:`ValueError`
    naming the line for one that is not in the format."""
    lines = text.split("\n")  # (not splitlines: an IRI may hold U+2028)
    if lines[0] + "\n" != HEADER:
        raise ValueError("line 1: not the header of a graph index")
    if lines[-1]:
        raise ValueError(f"line {len(lines)}: cut short (no end of line)")
    offset = 0
    for number, line in enumerate(lines[1:-1], 2):
        fields = line.split("\t")
        try:
            name, triples, digest, length = fields
            graph = IndexedGraph(name, int(triples), digest, offset, int(length))
        except ValueError:
            raise ValueError(f"line {number}: {_MALFORMED}") from None
        if not name or graph.triples < 0 or graph.length <= 0 or len(digest) != 64:
            raise ValueError(f"line {number}: {_MALFORMED}")
        offset += graph.length
        yield graph
