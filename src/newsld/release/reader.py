"""Reading a finished release (``dist/``) for querying and loading.

A release is only used when it is whole: ``manifest.json`` is there and parses, and every file
we read is there with the size (and, when we read it, the sha256) the manifest gives. A release
that is missing, half-copied or still being built is a :class:`ReleaseError` with a message
that says which, never a parse error from deep inside an RDF parser.

The N-Quads dump holds one named graph per article plus the entities graph and the identity
pass's graphs, each contiguous and its own gzip member; :func:`iter_graphs` streams it one graph
at a time so memory does not grow with the release, and the graph index (``graphs.tsv``,
:func:`graph_index`) says where each graph's member lies, so one graph can be read alone
(:func:`read_graph`). The dataset description (``void.ttl``) becomes one more graph,
``{base}graph/description``.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from newsld.rdf.iris import Minter
from newsld.release.swap import recover
from newsld.render.graph_index import GRAPH_INDEX, IndexedGraph, read_index

MANIFEST = "manifest.json"
NQUADS = "newsld.nq.gz"
DESCRIPTION = "void.ttl"


class ReleaseError(Exception):
    """The release folder cannot be used: missing, half-written or not a newsld release."""


@dataclass(frozen=True)
class Graph:
    """One named graph of the release, as N-Triples lines (each ending in `` .\\n``)."""

    name: str
    lines: list[str]

    @property
    def triples(self) -> int:
        return len(self.lines)

    def digest(self) -> str:
        """SHA-256 of the graph's N-Triples text: same graph content, same digest."""
        digest = hashlib.sha256()
        for line in self.lines:
            digest.update(line.encode("utf-8"))
        return digest.hexdigest()


@dataclass(frozen=True)
class Release:
    """A built release: its folder and its manifest (``manifest.json`` without ``inputs``, the
    digest of every corpus file it was built from, which no reader of a release needs)."""

    directory: Path
    manifest: dict[str, Any]

    @property
    def base_iri(self) -> str:
        return str(self.manifest["dataset"]["base_iri"])

    @property
    def minter(self) -> Minter:
        return Minter(self.base_iri)

    @property
    def version(self) -> str:
        return str(self.manifest["dataset"].get("version", ""))

    def path(self, name: str) -> Path:
        return self.directory / name

    def sha256(self, name: str) -> str:
        return str(self.manifest["files"][name]["sha256"])

    def key(self) -> str:
        """Identifies the release content a store is built from (the files' hashes)."""
        parts = {name: self.sha256(name) for name in (NQUADS, DESCRIPTION)}
        parts["base_iri"] = self.base_iri
        return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()

    def verify(self) -> None:
        """Check the sha256 of the files we read against the manifest (reads them whole)."""
        for name in (NQUADS, DESCRIPTION):
            actual = _sha256(self.path(name))
            if actual != self.sha256(name):
                raise ReleaseError(
                    f"{self.path(name)} does not match its sha256 in {MANIFEST} "
                    "(changed or half-copied since the build): rebuild with `newsld build`"
                )


def open_release(directory: Path) -> Release:
    """The release in ``directory``, after the cheap checks (manifest, files, sizes)."""
    recover(directory)  # left aside by a build killed between the two renames of its swap
    if not directory.exists():
        building = directory.with_name(f".{directory.name}.building")
        hint = (
            f"a build into it is running or was interrupted ({building} exists)"
            if building.exists()
            else "run `newsld build` first"
        )
        raise ReleaseError(f"no release at {directory}: {hint}")
    if not directory.is_dir():
        raise ReleaseError(
            f"{directory} is not a folder: a release is the folder `newsld build` writes"
        )
    manifest_path = directory / MANIFEST
    if not manifest_path.is_file():
        raise ReleaseError(
            f"{directory} is not a complete release: {MANIFEST} is missing "
            "(half-copied, or not written by `newsld build`); rebuild with `newsld build`"
        )
    try:
        manifest = _without_inputs(manifest_path.read_text(encoding="utf-8"))
        files = manifest["files"]
        str(manifest["dataset"]["base_iri"])
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise ReleaseError(f"{manifest_path} is unreadable or incomplete: {error}") from None
    for name in (NQUADS, DESCRIPTION):
        if name not in files:
            raise ReleaseError(f"{manifest_path} lists no {name}: not a newsld release")
    for name in (NQUADS, DESCRIPTION, GRAPH_INDEX):
        if name not in files:
            continue  # (a release built before the graph index has none)
        path = directory / name
        if not path.is_file():
            raise ReleaseError(
                f"{directory} is half-written: {name} is missing although {MANIFEST} lists it"
            )
        size, expected = path.stat().st_size, files[name].get("bytes")
        if expected is not None and size != expected:
            raise ReleaseError(
                f"{directory} is half-written: {name} is {size} bytes, {MANIFEST} says "
                f"{expected} (interrupted copy?); rebuild or copy it again"
            )
    return Release(directory, manifest)


_INPUTS = '\n  "inputs": {'


def _without_inputs(text: str) -> dict[str, Any]:
    """``manifest.json`` parsed, its ``inputs`` left out: at 100k articles they are 23 of its
    24 MB, and parsing them took a fifth of a second of every ``newsld query``. In the
    layout ``newsld build`` writes (indented by two, a name and digest a line) the block ends at
    the first line that starts with two spaces and ``}`` (no JSON string holds a line break);
    any other text is parsed whole."""
    start = text.find(_INPUTS)
    end = text.find("\n  }", start) if start >= 0 else -1
    if end >= 0 and not text.startswith(_INPUTS + "}", start):
        text = text[: start + len(_INPUTS)] + text[end + len("\n  ") :]
    manifest = json.loads(text)
    if isinstance(manifest, dict):
        manifest.pop("inputs", None)
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _parse_error(path: Path, error: Exception) -> ReleaseError:
    return ReleaseError(f"{path} is not valid RDF ({error}): rebuild with `newsld build`")


def iter_graphs(release: Release) -> Iterator[Graph]:
    """The article and entities graphs of the N-Quads dump, one at a time, in file order."""
    path = release.path(NQUADS)
    seen: set[str] = set()
    name: str | None = None
    lines: list[str] = []
    try:
        with gzip.open(path, "rb") as stream:
            for quad in ox.parse(stream, format=ox.RdfFormat.N_QUADS):
                graph = quad.graph_name
                if not isinstance(graph, ox.NamedNode):
                    raise ReleaseError(f"{path}: a triple outside any named graph ({quad})")
                if graph.value != name:
                    if name is not None:
                        yield Graph(name, lines)
                    if graph.value in seen:
                        raise ReleaseError(
                            f"{path}: graph <{graph.value}> is not contiguous; "
                            "rebuild with `newsld build`"
                        )
                    name, lines = graph.value, []
                    seen.add(name)
                lines.append(f"{quad.triple} .\n")
    except (OSError, EOFError, SyntaxError) as error:
        raise _parse_error(path, error) from None
    if name is not None:
        yield Graph(name, lines)


def description_graph(release: Release) -> Graph:
    """``void.ttl`` as the ``{base}graph/description`` graph."""
    path = release.path(DESCRIPTION)
    try:
        with path.open("rb") as stream:
            lines = sorted(
                f"{triple} .\n" for triple in ox.parse(stream, format=ox.RdfFormat.TURTLE)
            )
    except (OSError, SyntaxError) as error:
        raise _parse_error(path, error) from None
    return Graph(str(release.minter.description_graph()), lines)


def all_graphs(release: Release) -> Iterator[Graph]:
    """Every graph a store gets from the release: articles, entities, the description."""
    yield from iter_graphs(release)
    yield description_graph(release)


def quad_parts(line: str) -> tuple[str, str] | None:
    """A dump line's triple (without its final `` .``) and graph term (``<…>``); None when the
    line is not one quad in a named graph the way ``newsld build`` writes it (one a line, the
    graph term last). Whether the triple is well-formed is left to whoever parses it."""
    triple, graph, end = [*line.rsplit(" ", 2), "", ""][:3]
    if end != ".\n" or not (graph.startswith("<") and graph.endswith(">")):
        return None
    return (triple, graph) if triple.count(" ") >= 2 else None  # (s and p, then an object)


def _unreadable(path: object, error: OSError) -> ReleaseError:
    return ReleaseError(f"{path} cannot be read ({error}): rebuild with `newsld build`")


def graph_index(release: Release) -> list[IndexedGraph] | None:
    """The graphs of the dump as its index (``graphs.tsv``) lists them, in dump order; None
    for a release built before there was an index (its dump is then read whole).

    The index is checked against its sha256 in the manifest and against the dump's size."""
    if GRAPH_INDEX not in release.manifest["files"]:
        return None
    path = release.path(GRAPH_INDEX)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _unreadable(path, error) from None
    if hashlib.sha256(data).hexdigest() != release.sha256(GRAPH_INDEX):
        raise ReleaseError(
            f"{path} does not match its sha256 in {MANIFEST} (changed or half-copied since "
            "the build): rebuild with `newsld build`"
        )
    try:
        graphs = list(read_index(data.decode("utf-8")))
    except (UnicodeDecodeError, ValueError) as error:
        raise ReleaseError(f"{path}: {error}: rebuild with `newsld build`") from None
    dump = release.path(NQUADS)
    if sum(g.length for g in graphs) != dump.stat().st_size:
        raise ReleaseError(
            f"{path} does not describe {dump} (their sizes differ): rebuild with `newsld build`"
        )
    return graphs


def read_graph(dump: IO[bytes], graph: IndexedGraph) -> Graph:
    """One graph of the dump (the raw ``newsld.nq.gz``, open), read from its gzip member alone;
    :class:`ReleaseError` when the member is not the graph the index describes."""
    name = getattr(dump, "name", NQUADS)
    try:
        dump.seek(graph.offset)
        member = dump.read(graph.length)
    except OSError as error:
        raise _unreadable(name, error) from None
    not_described = ReleaseError(
        f"{name}: the graph <{graph.name}> at byte {graph.offset} is not the one its index "
        f"({GRAPH_INDEX}) describes: rebuild with `newsld build`"
    )
    try:
        text = gzip.decompress(member).decode("utf-8")
    except (OSError, EOFError, zlib.error, UnicodeDecodeError):  # (not one whole member)
        raise not_described from None
    term = f"<{graph.name}>"
    lines: list[str] = []
    for line in text.split("\n")[:-1]:  # (not splitlines: a literal may hold U+2028)
        parts = quad_parts(line + "\n")
        if parts is None or parts[1] != term:
            raise not_described
        lines.append(f"{parts[0]} .\n")
    found = Graph(graph.name, lines)
    if found.triples != graph.triples or found.digest() != graph.digest:
        raise not_described
    return found


def open_nquads(release: Release) -> IO[bytes]:
    """The decompressed N-Quads dump, for bulk loading."""
    return gzip.open(release.path(NQUADS), "rb")
