"""Put a release into any SPARQL 1.1 store with the Graph Store HTTP Protocol.

Each named graph of the release (one per article, the entities, the identity pass's buckets,
the dataset description) is replaced as a whole with ``PUT`` (as N-Triples or Turtle — never
N-Quads, which Virtuoso's Graph Store refuses); a graph larger than the chunk size is ``PUT``
in its first chunk and ``POST``-ed (merged) in the others. What was loaded is recorded in the
store itself, in the load-manifest graph (``{base}graph/load-manifest``): the graph names and
a digest of each.

One load, step by step:

1. read the previous manifest (SPARQL, in pages: a Graph Store ``GET`` may be truncated);
2. write a *pending* manifest: the previous graphs plus this release's, with digests only for
   graphs this load will not rewrite. Whatever happens next, the store's manifest names every
   graph that may be in it;
3. ``PUT`` every graph (``--changed-only``: only those whose digest differs; the release's graph
   index gives every digest, and where each graph lies in the dump, so only the graphs sent are
   read). On a store with a bulk path (Oxigraph's ``POST /store?no_transaction`` with
   N-Quads), the graphs the store does not hold yet (checked with SPARQL first) are sent in
   large N-Quads batches instead — adding to an absent graph is the same as replacing it;
   graphs it holds are still ``PUT``. A batch the store rejects is sent again graph by graph,
   so failures are reported per graph;
4. ``DELETE`` the graphs the previous release had and this one has not;
5. when all of that succeeded, write the final manifest: this release's graphs and digests.
6. check the triple count of every graph it wrote with a SPARQL query (a skipped graph was
   checked by the load that wrote it);
7. check that a query without ``GRAPH`` sees the release's claims, as the example queries
   (``queries/*.rq``) need: a store whose default graph is not the union of its named graphs
   (``oxigraph serve`` without ``--union-default-graph``) would answer them with no rows.

So loading the same release twice leaves the store identical, and an interrupted load (or one
that failed half-way) converges when it is simply run again.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import pyoxigraph as ox

from newsld.endpoints.query import Kind, QueryError, run_remote, select_values
from newsld.endpoints.remote import EndpointError, ErrorKind, Remote, store_for
from newsld.endpoints.store import StoreError, build_store
from newsld.rdf.namespaces import NLD, VOID
from newsld.release.reader import (
    NQUADS as DUMP,
)
from newsld.release.reader import (
    Graph,
    IndexedGraph,
    Release,
    ReleaseError,
    description_graph,
    graph_index,
    open_nquads,
    quad_parts,
    read_graph,
)

Progress = Callable[[int, int], None]

DEFAULT_CHUNK = 50_000  # triples per request
DEFAULT_BULK = 250_000  # triples per bulk N-Quads request
VERIFY_BATCH = 200  # graphs per counting query (well under any result-row cap)
VERIFY_BATCH_OXIGRAPH = 1000  # Oxigraph has no row cap and takes long VALUES well
MANIFEST_PAGE = 5000  # graphs per page when reading the load manifest (under Virtuoso's 10,000)
MAX_CONSECUTIVE_FAILURES = 5
READ_MANIFEST = "read the load manifest"
COUNT_CLAIMS = "count the claims in the default graph"


class ContentType(StrEnum):
    ntriples = "ntriples"
    turtle = "turtle"


MEDIA_TYPES = {ContentType.ntriples: "application/n-triples", ContentType.turtle: "text/turtle"}
NQUADS = "application/n-quads"


class BulkMode(StrEnum):
    auto = "auto"  # the store's bulk path where newsld knows one (Oxigraph), for absent graphs
    off = "off"  # one request (or chunk) per graph, always


@dataclass(frozen=True)
class Target:
    endpoint: str  # SPARQL query endpoint (reads the manifest, verifies counts)
    graph_store: str  # Graph Store HTTP Protocol endpoint (writes)


@dataclass(frozen=True)
class LoadOptions:
    chunk_size: int = DEFAULT_CHUNK
    content_type: ContentType = ContentType.ntriples
    changed_only: bool = False  # skip graphs whose digest the store's manifest already has
    verify: bool = True  # count each graph's triples, and the claims in the default graph
    parallel: int = 4  # graphs in flight at once
    named_graphs_only: bool = False  # queries will use GRAPH: a narrower default graph is fine
    bulk: BulkMode = BulkMode.auto
    bulk_size: int = DEFAULT_BULK  # triples per bulk request


@dataclass
class LoadSummary:
    """What a load did and did not do.

    ``complete``: the store's named graphs now equal the release. ``ok``: that, and queries
    without ``GRAPH`` (the example queries) see the release, unless ``named_graphs_only``.
    """

    target: Target
    graphs: int = 0  # graphs in the release (articles, entities, description)
    loaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # unchanged, with --changed-only
    deleted: list[str] = field(default_factory=list)  # graphs the release no longer has
    failed: dict[str, str] = field(default_factory=dict)  # graph -> the endpoint's answer
    not_loaded: list[str] = field(default_factory=list)  # never attempted (the load stopped)
    triples: int = 0  # triples sent
    bulk: list[str] = field(default_factory=list)  # of ``loaded``, the graphs sent in bulk
    bulk_requests: int = 0
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0
    manifest_written: bool = False
    verified: bool | None = None  # None: not checked
    mismatches: dict[str, tuple[int, int]] = field(default_factory=dict)  # graph -> (want, got)
    claims: int | None = None  # claims in the release (its VoID description); None: not checked
    default_graph_claims: int | None = None  # of those, how many a query without GRAPH sees
    # "release": every claim was counted; "written": a reload counted the claims of the graphs
    # it wrote (those it skipped were counted by the load that wrote them)
    default_graph_scope: str = "release"
    named_graphs_only: bool = False  # the user queries with GRAPH (--named-graphs-only)
    error: EndpointError | None = None  # what stopped the load, if anything

    @property
    def complete(self) -> bool:
        """Every graph of the release is in the store (and verified, when it was)."""
        return (
            self.error is None
            and not self.failed
            and not self.not_loaded
            and self.manifest_written
            and not self.mismatches
        )

    @property
    def default_graph_ok(self) -> bool | None:
        """Whether queries without GRAPH see every claim of the release (None: not checked)."""
        if self.claims is None or self.default_graph_claims is None:
            return None
        return self.default_graph_claims >= self.claims

    @property
    def claims_counted(self) -> str:
        """The claims :attr:`claims` counts, for messages: "the release's 49 claims"."""
        if self.default_graph_scope == "written":
            return f"the {self.claims} claims of the graphs written"
        return f"the release's {self.claims} claims"

    @property
    def ok(self) -> bool:
        return self.complete and (self.default_graph_ok is not False or self.named_graphs_only)

    @property
    def default_graph_problem(self) -> str | None:
        """What is wrong with the default graph and how to fix it, for the user; None if nothing."""
        if self.default_graph_ok is not False:
            return None
        return (
            f"{self.target.endpoint}: queries without GRAPH see {self.default_graph_claims} of "
            f"{self.claims_counted}: the store's default graph does not "
            "include the named graphs the release was loaded into, so the example queries "
            "(queries/*.rq) "
            "and any query without GRAPH or FROM answer with no rows, or too few\n"
            f"{union_default_graph_fix(self.target.endpoint)}"
        )


@dataclass(frozen=True)
class Planned:
    name: str
    triples: int
    digest: str
    member: IndexedGraph | None = None  # where it lies in the dump (None: the description)


def plan(release: Release) -> list[Planned]:
    """Every graph the release puts in a store, with its size and digest: from the release's
    graph index, else (a release built before it) from one streaming pass over the dump."""
    index = graph_index(release)
    if index is None:
        return [Planned(g.name, g.triples, g.digest()) for g in graphs_of(release)]
    description = description_graph(release)
    return [
        *(Planned(g.name, g.triples, g.digest, g) for g in index if g.triples),
        Planned(description.name, description.triples, description.digest()),
    ]


def sending(release: Release, planned: list[Planned], skip: set[str]) -> Iterator[Graph]:
    """The planned graphs not in ``skip``, in dump order: each read from its own gzip member
    when the release has a graph index (so a reload reads only what it sends), else from a
    pass over the whole dump."""
    if not any(p.member for p in planned):
        yield from (graph for graph in graphs_of(release) if graph.name not in skip)
        return
    with release.path(DUMP).open("rb") as dump:
        for graph in planned:
            if graph.name in skip:
                continue
            yield (
                description_graph(release)
                if graph.member is None
                else read_graph(dump, graph.member)
            )


def _text_graphs(release: Release) -> Iterator[Graph]:
    """The dump's graphs read as text, one line a quad, without an RDF parser.

    ``newsld build`` writes the dump in the N-Quads form pyoxigraph serialises, one quad a
    line, each graph contiguous, so a line's triple is the line up to its graph term: the same
    lines (and so digests) :func:`~newsld.release.reader.iter_graphs` gives, about three times
    faster. The dump's sha256 was checked against the manifest; a line of another shape is a
    :class:`ReleaseError`, and whether each triple is well-formed is the store's to say, graph
    by graph, as in any load.
    """
    path = release.path(DUMP)
    name: str | None = None
    seen: set[str] = set()
    lines: list[str] = []
    try:
        with open_nquads(release) as raw:
            for number, data in enumerate(raw, 1):
                line = data.decode("utf-8")
                if not line.strip():
                    continue
                parts = quad_parts(line)
                if parts is None:
                    raise ReleaseError(
                        f"{path}:{number}: not one quad in a named graph; rebuild with "
                        "`newsld build`"
                    )
                triple, graph = parts
                if graph != name:
                    if name is not None:
                        yield Graph(name[1:-1], lines)
                    if graph in seen:
                        raise ReleaseError(
                            f"{path}: graph {graph} is not contiguous; rebuild with `newsld build`"
                        )
                    name, lines = graph, []
                    seen.add(graph)
                lines.append(f"{triple} .\n")
    except (OSError, EOFError, UnicodeDecodeError) as error:
        message = f"{path} cannot be read ({error}): rebuild with `newsld build`"
        raise ReleaseError(message) from None
    if name is not None:
        yield Graph(name[1:-1], lines)


def graphs_of(release: Release) -> Iterator[Graph]:
    """Every graph a store gets from the release: articles, entities, the description."""
    yield from _text_graphs(release)
    yield description_graph(release)


# --------------------------------------------------------------------------- the manifest graph


K = TypeVar("K")
SHARDS = 256  # parts the manifest's entries are grouped in (by the graph's name)


def shard_of(name: str) -> int:
    """The manifest shard of a graph: stable, and the same on every machine."""
    return hashlib.sha256(name.encode("utf-8")).digest()[0] % SHARDS


def shard_digests(graphs: Mapping[str, str | None]) -> dict[int, str | None]:
    """Each shard's digest: of its graphs' names and digests, in order; None while one of them
    has none (being rewritten)."""
    lines: dict[int, list[str]] = {}
    pending: set[int] = set()
    for name, digest in graphs.items():
        shard = shard_of(name)
        lines.setdefault(shard, []).append(f"{name} {digest}\n")
        if digest is None:
            pending.add(shard)
    return {
        shard: None
        if shard in pending
        else hashlib.sha256("".join(sorted(found)).encode()).hexdigest()
        for shard, found in lines.items()
    }


def _fold(found: dict[K, str | None], key: K, digest: str | None) -> None:
    """Record ``key``'s digest as read; a key read with two digests (a manifest changed
    half-way) is as good as one without."""
    found[key] = digest if found.get(key, digest) == digest else None


def _entry_triples(release: Release, name: str) -> list[str]:
    """A graph's entry in the manifest, but for its digest: it was loaded, and its shard."""
    shard = release.minter.load_manifest_shard(shard_of(name))
    return [
        f"<{release.minter.dataset()}> <{NLD.loadedGraph}> <{name}> .\n",
        f"<{name}> <{NLD.manifestShard}> <{shard}> .\n",
    ]


def manifest_triples(release: Release, graphs: dict[str, str | None]) -> list[str]:
    """The whole manifest of ``graphs``: entries, digests and the shards' digests."""
    lines = []
    for name, digest in sorted(graphs.items()):
        lines += _entry_triples(release, name)
        if digest is not None:
            lines.append(f'<{name}> <{NLD.graphDigest}> "{digest}" .\n')
    for shard, digest in sorted(shard_digests(graphs).items()):
        if digest is not None:
            node = release.minter.load_manifest_shard(shard)
            lines.append(f'<{node}> <{NLD.shardDigest}> "{digest}" .\n')
    return lines


def read_shards(remote: Remote, target: Target, release: Release) -> dict[int, str]:
    """The shard digests the store's manifest has (none: a manifest written before them)."""
    manifest = release.minter.load_manifest_graph()
    query = f"SELECT ?s ?d WHERE {{ GRAPH <{manifest}> {{ ?s <{NLD.shardDigest}> ?d }} }}"
    answer = run_remote(remote, target.endpoint, query, what=READ_MANIFEST)
    if answer.kind is not Kind.SELECT:
        raise _unusable(target, "reading the load manifest")
    found: dict[int, str | None] = {}
    nodes = {str(release.minter.load_manifest_shard(n)): n for n in range(SHARDS)}
    for row in select_values(answer):
        shard = nodes.get(row.get("s", ""))
        if shard is not None:
            _fold(found, shard, row.get("d", "").lower() or None)
    return {shard: digest for shard, digest in found.items() if digest}


def _manifest_page(release: Release, after: str, size: int) -> str:
    """One page of the manifest: graphs whose name sorts after ``after``, with their digests.

    Keyset paging (``FILTER (?key > …)``, no ``OFFSET``): Virtuoso refuses to sort more than
    10,000 rows for ``ORDER BY … OFFSET`` (SR353), and caps every answer at ResultSetMaxRows.
    """
    manifest, dataset = release.minter.load_manifest_graph(), release.minter.dataset()
    return (
        f"SELECT ?key (MIN(STR(?d)) AS ?low) (MAX(STR(?d)) AS ?high) WHERE {{ "
        f"GRAPH <{manifest}> {{ <{dataset}> <{NLD.loadedGraph}> ?g "
        f"OPTIONAL {{ ?g <{NLD.graphDigest}> ?d }} }} "
        f"BIND (STR(?g) AS ?key) FILTER (?key > {ox.Literal(after)}) }} "
        f"GROUP BY ?key ORDER BY ?key LIMIT {size}"
    )


def _manifest_entries(release: Release, shards: list[str] | None = None) -> str:
    """The manifest's entries (of the shard nodes ``shards``, else every one) in one answer,
    unsorted and ungrouped: what a store that caps no answer (Oxigraph) gives fastest (sorting
    and grouping 100k graphs took it 12–14 s)."""
    manifest, dataset = release.minter.load_manifest_graph(), release.minter.dataset()
    within = f"VALUES ?s {{ {' '.join(shards)} }} ?g <{NLD.manifestShard}> ?s . " if shards else ""
    return (
        f"SELECT ?g ?d WHERE {{ GRAPH <{manifest}> {{ {within}<{dataset}> <{NLD.loadedGraph}> "
        f"?g OPTIONAL {{ ?g <{NLD.graphDigest}> ?d }} }} }}"
    )


def _read_entries(
    remote: Remote, target: Target, release: Release, shards: list[str] | None = None
) -> dict[str, str | None] | None:
    """The entries :func:`_manifest_entries` asks for; None when the answer says it was cut."""
    query = _manifest_entries(release, shards)
    answer = run_remote(remote, target.endpoint, query, what=READ_MANIFEST)
    if answer.kind is not Kind.SELECT:
        raise _unusable(target, "reading the load manifest")
    if answer.capped_at is not None:
        return None
    graphs: dict[str, str | None] = {}
    for row in select_values(answer):
        _fold(graphs, row.get("g", ""), (row.get("d") or "").lower() or None)
    return graphs


def read_manifest(
    remote: Remote,
    target: Target,
    release: Release,
    *,
    page: int = MANIFEST_PAGE,
    whole: bool | None = None,
    known: tuple[dict[str, str], dict[int, str]] | None = None,
) -> dict[str, str | None]:
    """Graph name -> digest (None while being rewritten) as the store's manifest has them.

    ``known``: the release's graphs and digests, and the store's shard digests
    (:func:`read_shards`): the entries of a shard whose digest is the one the release's graphs
    give it are those graphs, so only the other shards are read (a reload after one edit reads
    a few hundred entries, not every one).

    Read with SPARQL, never with a Graph Store ``GET``: Virtuoso's Graph Store silently returns
    only the first 10,000 triples of a graph (no header says so), which would make a load forget
    graphs it must delete. From an endpoint shaped like Oxigraph's, in one answer; from any
    other, or when that answer says it was cut, a page at a time. Either way the graphs read are
    checked against a count.
    """
    if known is not None:
        found = _read_changed_shards(remote, target, release, *known)
        if found is not None:
            return found
    if whole is None:
        whole = store_for(target.endpoint) == "Oxigraph"
    found = _read_entries(remote, target, release) if whole else None
    if found is not None:
        _check_manifest_count(remote, target, release, found)
        return found
    graphs: dict[str, str | None] = {}
    after = ""
    while True:
        query = _manifest_page(release, after, page)
        result = run_remote(remote, target.endpoint, query, what=READ_MANIFEST)
        if result.kind is not Kind.SELECT:
            raise _unusable(target, "reading the load manifest")
        rows = select_values(result)
        for row in rows:
            key = row.get("key", "")
            if key <= after:  # the store does not sort as it compares: paging would be wrong
                raise _unusable(target, "paging through the load manifest (unsorted keys)")
            after = key
            low, high = row.get("low"), row.get("high")
            graphs[key] = low.lower() if low and low == high else None
        if not rows or (len(rows) < page and result.capped_at is None):
            break
    _check_manifest_count(remote, target, release, graphs)
    return graphs


def _read_changed_shards(
    remote: Remote,
    target: Target,
    release: Release,
    current: dict[str, str],
    stored: dict[int, str],
) -> dict[str, str | None] | None:
    """The manifest, reading only the shards whose digest differs from the release's; None
    when most do (reading it whole is then as fast) or the entries read do not add up."""
    mine = shard_digests(current)
    same = {shard for shard, digest in mine.items() if digest and stored.get(shard) == digest}
    # (a shard with no digest in the store and none of the release's graphs: the count finds it)
    changed = sorted({*mine, *stored} - same)
    if len(changed) > SHARDS // 2:
        return None
    graphs: dict[str, str | None] = {n: d for n, d in current.items() if shard_of(n) in same}
    nodes = [f"<{release.minter.load_manifest_shard(n)}>" for n in changed]
    for start in range(0, len(nodes), 64):
        found = _read_entries(remote, target, release, nodes[start : start + 64])
        if found is None:
            return None
        graphs.update(found)  # (a graph is in one shard only: no entry is read twice)
    try:
        _check_manifest_count(remote, target, release, graphs)
    except EndpointError:  # an entry without its shard: read the manifest whole instead
        return None
    return graphs


def _check_manifest_count(
    remote: Remote, target: Target, release: Release, graphs: dict[str, str | None]
) -> None:
    manifest, dataset = release.minter.load_manifest_graph(), release.minter.dataset()
    counted = run_remote(
        remote,
        target.endpoint,
        f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH <{manifest}> "
        f"{{ <{dataset}> <{NLD.loadedGraph}> ?g }} }}",
        what=READ_MANIFEST,
    )
    values = select_values(counted)
    expected = int(values[0].get("n", "-1")) if values else -1
    if expected != len(graphs):
        raise EndpointError(
            ErrorKind.NOT_SPARQL,
            f"{target.endpoint}: read {len(graphs)} graphs of the load manifest <{manifest}>, "
            f"which names {expected}: the endpoint truncated or reordered the answers, so the "
            "load cannot know what to delete",
            url=target.endpoint,
        )


def _unusable(target: Target, doing: str) -> EndpointError:
    return EndpointError(
        ErrorKind.NOT_SPARQL,
        f"{target.endpoint} gave an unusable answer while {doing}",
        url=target.endpoint,
    )


# --------------------------------------------------------------------------- writing graphs


def _chunks(lines: list[str], size: int) -> Iterator[list[str]]:
    if not lines:
        yield []
        return
    for start in range(0, len(lines), size):
        yield lines[start : start + size]


def put_graph(
    remote: Remote,
    target: Target,
    name: str,
    lines: list[str],
    options: LoadOptions,
    *,
    whole: bool = False,
) -> None:
    """Replace graph ``name`` by ``lines``: PUT the first chunk, POST (merge) the others.

    ``whole``: one PUT whatever the size (the manifest must change in one step).
    """
    media = MEDIA_TYPES[options.content_type]
    size = max(len(lines), 1) if whole else options.chunk_size
    for index, chunk in enumerate(_chunks(lines, size)):
        remote.request(
            "PUT" if index == 0 else "POST",
            target.graph_store,
            f"store graph <{name}>",
            params={"graph": name},
            content="".join(chunk).encode("utf-8"),
            headers={"content-type": media},
        )


def delete_graph(remote: Remote, target: Target, name: str) -> None:
    remote.request(
        "DELETE",
        target.graph_store,
        f"delete graph <{name}>",
        params={"graph": name},
        accept_statuses=(404,),  # already gone: that is what we want
    )


# --------------------------------------------------------------------------- verifying


def count_triples(remote: Remote, target: Target, names: list[str]) -> dict[str, int]:
    """Triples per named graph in the store, by SPARQL, a batch of graphs per query."""
    counts: dict[str, int] = {}
    size = VERIFY_BATCH_OXIGRAPH if store_for(target.endpoint) == "Oxigraph" else VERIFY_BATCH
    for start in range(0, len(names), size):
        batch = names[start : start + size]
        values = " ".join(f"<{n}>" for n in batch)
        query = (
            f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} "
            "GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        )
        result = run_remote(remote, target.endpoint, query)
        if result.kind is not Kind.SELECT or result.capped_at is not None:
            raise EndpointError(
                ErrorKind.NOT_SPARQL,
                f"{target.endpoint} gave an unusable answer to a counting query",
                url=target.endpoint,
            )
        for graph, number in result.rows:
            if isinstance(graph, ox.NamedNode) and isinstance(number, ox.Literal):
                counts[graph.value] = int(number.value)
    return counts


def release_claims(release: Release) -> int:
    """The claims in the release: the entities of the dataset's ``nld:Claim`` class partition
    in its VoID description (``void.ttl``); 0 when it has none."""
    store = ox.Store()
    store.load(input="".join(description_graph(release).lines), format=ox.RdfFormat.N_TRIPLES)
    solutions = store.query(
        f"SELECT ?n WHERE {{ <{release.minter.dataset()}> <{VOID.classPartition}> ?p . "
        f"?p <{VOID['class']}> <{NLD.Claim}> ; <{VOID.entities}> ?n }}"
    )
    assert isinstance(solutions, ox.QuerySolutions)
    for row in solutions:
        number = row["n"]
        if isinstance(number, ox.Literal) and number.value.isdigit():
            return int(number.value)
    return 0


def _check_default_graph(
    remote: Remote, target: Target, release: Release, claims: int, summary: LoadSummary
) -> None:
    """How many claims queries without ``GRAPH`` see: of the release, after a full load; of the
    graphs written, after a reload that skipped some (counting every claim of a 100k-article
    release takes seconds; the skipped graphs were counted by the load that wrote them); not
    checked when a reload wrote no claim."""
    if not summary.skipped:
        summary.claims = claims
        summary.default_graph_claims = count_default_graph_claims(remote, target, release)
        return
    written, seen = count_written_claims(remote, target, summary.loaded)
    if written:
        summary.default_graph_scope = "written"
        summary.claims, summary.default_graph_claims = written, seen


def count_written_claims(remote: Remote, target: Target, graphs: list[str]) -> tuple[int, int]:
    """The claims typed in ``graphs``, and how many of them a query without ``GRAPH`` sees."""
    written = seen = 0
    for start in range(0, len(graphs), VERIFY_BATCH):
        values = " ".join(f"<{name}>" for name in graphs[start : start + VERIFY_BATCH])
        query = (
            f"SELECT (COUNT(DISTINCT ?c) AS ?n) (COUNT(DISTINCT ?v) AS ?seen) WHERE {{ "
            f"VALUES ?g {{ {values} }} GRAPH ?g {{ ?c a <{NLD.Claim}> }} "
            f"OPTIONAL {{ ?c a <{NLD.Claim}> BIND (?c AS ?v) }} }}"
        )
        result = run_remote(remote, target.endpoint, query, what=COUNT_CLAIMS)
        values_found = select_values(result) if result.kind is Kind.SELECT else []
        row = values_found[0] if len(values_found) == 1 else {}
        number, visible = row.get("n", ""), row.get("seen", "")
        if not (number.isdigit() and visible.isdigit()):
            raise _unusable(target, "counting the claims in the default graph")
        written, seen = written + int(number), seen + int(visible)
    return written, seen


def count_default_graph_claims(remote: Remote, target: Target, release: Release) -> int:
    """How many of the release's claims a query without ``GRAPH`` or ``FROM`` sees.

    Only claims minted under the release's base IRI count, so other data in the store does not
    hide a default graph that excludes ours. Full IRIs, no PREFIX: any store parses it.
    """
    query = (
        f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a <{NLD.Claim}> "
        f"FILTER (STRSTARTS(STR(?c), {ox.Literal(release.base_iri)})) }}"
    )
    result = run_remote(remote, target.endpoint, query, what=COUNT_CLAIMS)
    values = select_values(result) if result.kind is Kind.SELECT else []
    number = values[0].get("n", "") if len(values) == 1 else ""
    if not number.isdigit():
        raise _unusable(target, "counting the claims in the default graph")
    return int(number)


UNION_FIXES = {
    "Oxigraph": "restart `oxigraph serve` with --union-default-graph",
    "Fuseki": "set `tdb2:unionDefaultGraph true` on the dataset "
    "(TDB1: `tdb:unionDefaultGraph true`) and restart Fuseki",
    "Virtuoso": "Virtuoso's default graph is already the union of all graphs: check that "
    "--endpoint is the /sparql of the instance the graphs went to, with no default graph set",
    "GraphDB": "GraphDB's default graph is already the union of all graphs: check that "
    "--endpoint is the repository the graphs went to",
}
NAMED_GRAPHS_ONLY = (
    "or query with GRAPH ?g { … } or FROM, and load with --named-graphs-only to accept a "
    "default graph without the release"
)


def union_default_graph_fix(endpoint: str) -> str:
    """How to make the store's default graph the union of its named graphs (by URL shape):
    one line per way out."""
    store = store_for(endpoint)
    if store is not None:
        fixes = [f"fix ({store}): {UNION_FIXES[store]}"]
    else:
        fixes = ["fix: turn on the store's union-default-graph setting"]
        fixes += [f"  {name}: {UNION_FIXES[name]}" for name in ("Oxigraph", "Fuseki")]
    return "\n".join([*fixes, NAMED_GRAPHS_ONLY])


# --------------------------------------------------------------------------- the load


def load_release(
    release: Release,
    target: Target,
    remote: Remote,
    options: LoadOptions | None = None,
    progress: Progress | None = None,
) -> LoadSummary:
    """Make the store's copy of the dataset equal to ``release``; never raises EndpointError."""
    options = options or LoadOptions()
    started = time.perf_counter()
    release.verify()
    planned = plan(release)
    claims = release_claims(release)
    summary = LoadSummary(target, graphs=len(planned), named_graphs_only=options.named_graphs_only)
    current = {p.name: p.digest for p in planned}
    try:
        shards = read_shards(remote, target, release)
        previous = read_manifest(remote, target, release, known=(current, shards))
        skip = {
            name
            for name, digest in current.items()
            if options.changed_only and previous.get(name) == digest
        }
        pending: dict[str, str | None] = dict.fromkeys(previous)
        pending.update({name: (current[name] if name in skip else None) for name in current})
        oxigraph = is_oxigraph(remote, target)
        updates = update_url(target) if oxigraph else None
        shards = write_manifest(  # (a manifest without shard digests gets them now)
            remote, target, release, previous, pending, options, updates, shards, upgrade=not shards
        )
        url = bulk_url(target) if oxigraph and options.bulk is BulkMode.auto else None
        bulk: set[str] = set()
        if url is not None:
            writing = [p.name for p in planned if p.name not in skip]
            bulk = set(writing) - held_graphs(remote, target, writing)
        summary.skipped = [p.name for p in planned if p.name in skip]
        graphs = sending(release, planned, skip)
        _put_all(graphs, target, remote, options, summary, progress, (url, bulk))
        for name in sorted(set(previous) - set(current)):
            delete_graph(remote, target, name)
            summary.deleted.append(name)
        if not summary.failed:
            want: dict[str, str | None] = dict(current)
            write_manifest(remote, target, release, pending, want, options, updates, shards)
            summary.manifest_written = True
        if options.verify:
            _verify(remote, target, planned, summary)
            if summary.complete and claims:  # a shortfall is then the default graph's doing
                _check_default_graph(remote, target, release, claims, summary)
    except (EndpointError, QueryError) as error:
        if isinstance(error, QueryError):  # our own ASK or counting query was refused
            error = EndpointError(
                ErrorKind.NOT_SPARQL,
                f"{target.endpoint} is not a usable SPARQL query endpoint: {error}",
                url=target.endpoint,
            )
        summary.error = error
        attempted = {*summary.loaded, *summary.skipped, *summary.failed}
        summary.not_loaded = [p.name for p in planned if p.name not in attempted]
    finally:
        summary.requests, summary.retries = remote.requests, remote.retried
        summary.seconds = time.perf_counter() - started
    return summary


def is_oxigraph(remote: Remote, target: Target) -> bool:
    """An Oxigraph server: its URL shapes (``…/query``, ``…/store``), and its ``Server`` header
    says ``Oxigraph/`` (one ``ASK {}`` to find out)."""
    if store_for(target.endpoint) != "Oxigraph":
        return False
    parts = urlsplit(target.graph_store)
    if parts.query or parts.path.rstrip("/").rsplit("/", 1)[-1] != "store":
        return False
    try:
        answer = remote.request("GET", target.endpoint, "answer ASK {}", params={"query": "ASK {}"})
    except EndpointError:
        return False  # whatever it is, the next request will say what is wrong
    return answer.headers.get("server", "").startswith("Oxigraph/")


def bulk_url(target: Target) -> str:
    """Where Oxigraph takes a large batch of N-Quads outside a transaction:
    ``POST /store?no_transaction`` (``oxigraph serve`` 0.5; older servers ignore the parameter
    and add the batch in one transaction).

    Virtuoso's Graph Store refuses N-Quads and has no non-transactional HTTP path (its bulk
    loader, ``ld_dir``, reads files on the server); Fuseki's and GraphDB's quad endpoints are
    not used because they cannot be tested here. Those stores get one ``PUT`` per graph.
    """
    return f"{target.graph_store}?no_transaction"


def update_url(target: Target) -> str:
    """Oxigraph's SPARQL Update endpoint, beside its Graph Store (``…/store`` → ``…/update``)."""
    parts = urlsplit(target.graph_store)
    path = parts.path.rstrip("/").rsplit("/", 1)[0] + "/update"
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def write_manifest(
    remote: Remote,
    target: Target,
    release: Release,
    have: dict[str, str | None],
    want: dict[str, str | None],
    options: LoadOptions,
    updates: str | None,
    shards: dict[int, str] | None = None,
    *,
    upgrade: bool = False,
) -> dict[int, str]:
    """Make the store's load manifest go from ``have`` (as read, or as last written; its shard
    digests ``shards``) to ``want``, in one step: nothing when they are equal; with ``updates``
    (Oxigraph's SPARQL Update endpoint), one update request that touches only the graphs and
    shards that change (Oxigraph runs it as one transaction); else one ``PUT`` of the whole
    manifest graph, which rewrites every triple of it in one transaction (seconds at 10,000
    articles on Oxigraph). Returns the shard digests the store now has. ``upgrade``: the
    store's entries may lack their shard (a manifest without shard digests): every entry of
    ``want`` is written whole (inserting a triple the store has changes nothing).
    """
    shards = shards or {}
    wanted = {n: d for n, d in shard_digests(want).items() if d is not None}
    moved = sorted(n for n in {*shards, *wanted} if shards.get(n) != wanted.get(n))
    if have == want and not moved:
        return shards
    manifest = release.minter.load_manifest_graph()
    if updates is None:
        lines = manifest_triples(release, want)
        put_graph(remote, target, str(manifest), lines, options, whole=True)
        return wanted
    changed = sorted(name for name in {*have, *want} if have.get(name, "") != want.get(name, ""))
    removed = [name for name in changed if name not in want]
    if upgrade:
        added = sorted(want)
    else:
        added = [name for name in changed if name in want and name not in have]
    inserts = [line[:-1] for name in added for line in _entry_triples(release, name)]
    inserts += [
        f'<{name}> <{NLD.graphDigest}> "{want[name]}" .'
        for name in changed
        if want.get(name) is not None
    ]
    inserts += [
        f'<{release.minter.load_manifest_shard(n)}> <{NLD.shardDigest}> "{wanted[n]}" .'
        for n in moved
        if n in wanted
    ]
    deletes = [line[:-1] for name in removed for line in _entry_triples(release, name)]
    operations = []
    nodes = [f"<{release.minter.load_manifest_shard(n)}>" for n in moved]
    for key, names in ((NLD.graphDigest, [f"<{n}>" for n in changed]), (NLD.shardDigest, nodes)):
        if names:
            operations.append(
                f"DELETE {{ GRAPH <{manifest}> {{ ?g <{key}> ?d }} }} WHERE {{ VALUES ?g "
                f"{{ {' '.join(names)} }} GRAPH <{manifest}> {{ ?g <{key}> ?d }} }}"
            )
    if deletes:
        operations.append(f"DELETE DATA {{ GRAPH <{manifest}> {{ {' '.join(deletes)} }} }}")
    if inserts:
        operations.append(f"INSERT DATA {{ GRAPH <{manifest}> {{ {' '.join(inserts)} }} }}")
    remote.request(
        "POST",
        updates,
        f"update the load manifest <{manifest}>",
        content=" ;\n".join(operations).encode("utf-8"),
        headers={"content-type": "application/sparql-update"},
    )
    return wanted


def held_graphs(remote: Remote, target: Target, names: list[str]) -> set[str]:
    """Of ``names``, the graphs the store holds at least one triple of."""
    return set(count_triples(remote, target, names))


def quad_lines(graph: Graph) -> Iterator[str]:
    """The graph's N-Triples lines as N-Quads lines in the graph."""
    suffix = f" <{graph.name}> .\n"
    for line in graph.lines:
        yield line[:-3] + suffix  # "s p o .\n" -> "s p o <g> .\n"


def post_bulk(remote: Remote, url: str, graphs: list[Graph]) -> None:
    """Add ``graphs`` (absent from the store) in one N-Quads request."""
    body = "".join(line for graph in graphs for line in quad_lines(graph))
    remote.request(
        "POST",
        url,
        f"bulk-load {len(graphs)} graphs",
        content=body.encode("utf-8"),
        headers={"content-type": NQUADS},
    )


NO_BULK_STATUSES = frozenset({404, 405, 415, 501})  # the store has no such bulk path


def _put_all(
    graphs: Iterable[Graph],
    target: Target,
    remote: Remote,
    options: LoadOptions,
    summary: LoadSummary,
    progress: Progress | None,
    bulk: tuple[str | None, set[str]] = (None, set()),
) -> None:
    """PUT every graph of ``graphs``, ``options.parallel`` at a time, in bounded memory (the
    graphs of ``summary.skipped`` count as done).

    ``bulk``: the store's bulk URL (:func:`bulk_url`) and the graphs to send there (absent from
    the store), in N-Quads batches of about ``options.bulk_size`` triples; a batch the store
    rejects is sent again one graph at a time, so a rejected graph is reported by name.

    A graph the endpoint rejects is recorded and the load goes on (up to
    MAX_CONSECUTIVE_FAILURES in a row); an endpoint that cannot be used stops it: the graphs
    already sent finish, the others are not attempted, and the error is raised.
    """
    total = summary.graphs
    done = len(summary.skipped)
    failures = 0
    fatal: EndpointError | None = None
    running: dict[Future[None], tuple[list[Graph], bool]] = {}
    url, absent = bulk
    batch: list[Graph] = []
    batch_triples = 0
    pool = ThreadPoolExecutor(max_workers=max(options.parallel, 1))

    def put(graph: Graph) -> None:
        future = pool.submit(put_graph, remote, target, graph.name, graph.lines, options)
        running[future] = ([graph], False)

    def send_batch() -> None:
        nonlocal batch, batch_triples
        if batch and url is not None:
            running[pool.submit(post_bulk, remote, url, batch)] = (batch, True)
        else:
            for graph in batch:
                put(graph)
        batch, batch_triples = [], 0

    def settle(finished: set[Future[None]]) -> None:
        nonlocal done, failures, fatal, url
        for future in finished:
            graphs, in_bulk = running.pop(future)
            error = future.exception()
            if error is None:
                failures = 0
                for graph in graphs:
                    summary.loaded.append(graph.name)
                    summary.triples += graph.triples
                    if in_bulk:
                        summary.bulk.append(graph.name)
                summary.bulk_requests += in_bulk
            elif not isinstance(error, EndpointError):
                raise error
            elif in_bulk and error.kind in (ErrorKind.REJECTED, ErrorKind.NOT_FOUND):
                if error.status in NO_BULK_STATUSES:
                    url = None  # no bulk path after all: one request per graph from now on
                for graph in graphs:  # again one by one, to report the graph at fault
                    put(graph)
                continue
            elif error.fatal:
                fatal = fatal or error
                continue
            else:
                summary.failed[graphs[0].name] = str(error)
                failures += 1
                if failures >= MAX_CONSECUTIVE_FAILURES:
                    fatal = fatal or error
            done += len(graphs)
            if progress:
                progress(done, total)

    def drain(limit: int) -> None:
        while len(running) > limit:
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            settle(finished)

    try:
        if progress and done:
            progress(done, total)
        for graph in graphs:
            if fatal is not None:
                break
            if url is not None and graph.name in absent:
                batch.append(graph)
                batch_triples += graph.triples
                if batch_triples >= options.bulk_size:
                    send_batch()
            else:
                put(graph)
            drain(2 * max(options.parallel, 1) - 1)
        if fatal is None:
            send_batch()
        drain(0)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    summary.loaded.sort()
    summary.bulk.sort()
    if fatal is not None:
        raise fatal


def _verify(remote: Remote, target: Target, planned: list[Planned], summary: LoadSummary) -> None:
    """Count the triples of every graph this load wrote (the ones it skipped were counted by
    the load that wrote them, and the store's manifest has their digests since)."""
    written = set(summary.loaded)
    wanted = [p for p in planned if p.name in written]
    counts = count_triples(remote, target, [p.name for p in wanted])
    for graph in wanted:
        got = counts.get(graph.name, 0)
        if got != graph.triples:
            summary.mismatches[graph.name] = (graph.triples, got)
    summary.verified = not summary.mismatches


# --------------------------------------------------------------------------- offline


@dataclass(frozen=True)
class OfflineSummary:
    directory: Path
    graphs: int  # graphs of the release (articles, entities, description)
    triples: int  # the release's triples
    quads: int  # in the store: the release's triples plus the load manifest's
    seconds: float


def load_offline(release: Release, directory: Path) -> OfflineSummary:
    """Make a new Oxigraph store folder holding the release, with pyoxigraph's bulk loader —
    what ``oxigraph serve --location DIR --union-default-graph`` then serves.

    The store gets the load manifest too (every graph and its digest), so a later
    ``newsld load --changed-only`` into the server on that folder rewrites only what changed.
    Raises :class:`StoreError` for a folder that exists and is not empty (an offline load
    only makes new stores), inside the release, or that cannot be written.
    """
    started = time.perf_counter()
    release.verify()
    directory = directory.absolute()
    if directory.resolve().is_relative_to(release.directory.resolve()):
        raise StoreError(f"the store must live outside the release folder, not in {directory}")
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise StoreError(
            f"{directory} already exists and is not empty: --offline makes a new store; to "
            "update a store, serve it (oxigraph serve --location …) and run newsld load "
            "--endpoint …, or remove the folder first"
        )
    staging = directory.with_name(f".{directory.name}.building-{os.getpid()}")
    with ThreadPoolExecutor(max_workers=1) as pool:  # digests while the store bulk-loads
        planning = pool.submit(plan, release)

        def manifest() -> list[tuple[str, list[str]]]:
            graphs = {p.name: p.digest for p in planning.result()}
            return [(str(release.minter.load_manifest_graph()), manifest_triples(release, graphs))]

        try:
            directory.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(staging, ignore_errors=True)
            quads = build_store(release, staging, manifest)
            if directory.exists():
                directory.rmdir()  # empty (checked above)
            staging.rename(directory)
        except OSError as error:
            raise StoreError(f"cannot build the store in {directory}: {error}") from None
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        planned = planning.result()
    return OfflineSummary(
        directory,
        graphs=len(planned),
        triples=sum(p.triples for p in planned),
        quads=quads,
        seconds=time.perf_counter() - started,
    )
