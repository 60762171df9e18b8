"""The page index: a release read into an SQLite file the pages are made from, kept between runs
when asked to and then brought up to date graph by graph.

The N-Quads dump is streamed one named graph at a time (each is contiguous: one per article,
then the entities graph); every subject becomes a row holding its JSON-LD node in that graph
(all its triples there, :mod:`newsld.site.jsonld`) as canonical text, which pages embed as it is
(a subject several graphs describe has its parts merged once, when they are read), and the links
the pages follow (speaker, source, publisher, participant, …) become rows of an edge table.
Memory holds one graph at a time (with several jobs, a few batches of graphs: their gzip members,
which the dump's graph index locates, are parsed in worker processes and their rows written here
in dump order, the very same rows).
The pages then ask the index for what they show, in a stable order: a thing's node, and all its
links from or to it at once, the answers of a bounded number of look-ups kept; what they make
ahead for many pages (a claim's or an event's data) is kept in it too (:meth:`SiteIndex.keep`).
Every question names the IRIs it is about, and the index notes them (:meth:`SiteIndex.reading`):
what each page read is kept with it, so that a later run, which reads again only the graphs
whose digest changed (:meth:`SiteIndex.update`), knows which pages the changed rows can touch.

Claim identity (one claim node with ``schema:appearance`` nodes, ``schema:firstAppearance``,
``nld:variantOf``) is read when the release has it: a claim's article is its own
``nld:source``, else its first appearance's, else any appearance's.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import gzip
import json
import multiprocessing
import signal
import sqlite3
import zlib
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from newsld.rdf.namespaces import NLD, NLD_IRI, PROV, RDF, SDO
from newsld.release.reader import NQUADS, Release, ReleaseError, graph_index
from newsld.site import jsonld
from newsld.site.paths import anchor, page_path

# the identity vocabulary (schema:appearance, schema:firstAppearance, nld:variantOf) is read when
# a release has it; these are terms of the namespaces above, not new IRIs
APPEARANCE = str(SDO.appearance)
FIRST_APPEARANCE = str(SDO.firstAppearance)
VARIANT_OF = NLD_IRI + "variantOf"

LINKS = {
    str(NLD.speaker): "speaker",
    str(NLD.source): "source",
    str(NLD.reportedBy): "reportedBy",
    str(NLD.participant): "participant",
    str(NLD.place): "place",
    str(NLD.recipient): "recipient",
    str(SDO.publisher): "publisher",
    str(SDO.itemReviewed): "itemReviewed",
    str(SDO.reviewRating): "reviewRating",
    str(SDO.author): "author",
    str(PROV.wasGeneratedBy): "generatedBy",
    APPEARANCE: "appearance",
    FIRST_APPEARANCE: "firstAppearance",
    VARIANT_OF: "variantOf",
    str(SDO.mentions): "mentions",
    str(SDO.about): "about",
    str(SDO.citation): "citation",
}
# the roles pages follow from the object to the subject (a speaker's claims, an article's)
BACKWARDS = "'appearance', 'itemReviewed', 'participant', 'place', 'publisher', 'recipient', "
BACKWARDS += "'reportedBy', 'source', 'speaker', 'variantOf'"
LINKS_TO = f"SELECT DISTINCT p, s FROM edges WHERE o = ? AND p IN ({BACKWARDS}) ORDER BY p, s"
KINDS = [
    (str(SDO.NewsArticle), "article"),
    (str(NLD.Claim), "claim"),
    (str(SDO.Claim), "claim"),
    (str(SDO.ClaimReview), "review"),
    (str(NLD.NewsEvent), "event"),
    (str(SDO.Event), "event"),
    (str(SDO.Rating), "rating"),
]
RDF_TYPE = str(RDF.type)
LOOKUPS = 100_000  # answers of each kind of look-up the index keeps
MEMBERS = 64  # graphs of the dump a process parses at a time (when several do)

SCHEMA = """
CREATE TABLE nodes (iri TEXT PRIMARY KEY, kind TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE parts (iri TEXT NOT NULL, graph TEXT NOT NULL, kind TEXT NOT NULL, json TEXT NOT NULL,
                    PRIMARY KEY (iri, graph)) WITHOUT ROWID;
CREATE TABLE merged (iri TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE edges (s TEXT NOT NULL, p TEXT NOT NULL, o TEXT NOT NULL, graph TEXT NOT NULL);
CREATE TABLE graphs (graph TEXT PRIMARY KEY, position INTEGER NOT NULL, digest TEXT NOT NULL,
                     iris BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE state (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""
# the tables of what the pages made (:meth:`SiteIndex.keep`, :meth:`SiteIndex.keep_things`), also
# made in the file that holds them while processes read the index (:meth:`SiteIndex.holding`)
MADE = """
CREATE TABLE {schema}.made (kind TEXT NOT NULL, iri TEXT NOT NULL, date TEXT NOT NULL,
                            data TEXT NOT NULL, reads BLOB NOT NULL,
                            PRIMARY KEY (kind, iri)) WITHOUT ROWID;
CREATE TABLE {schema}.things (iri TEXT PRIMARY KEY, kind TEXT NOT NULL, reads BLOB NOT NULL,
                              files BLOB NOT NULL, search TEXT NOT NULL) WITHOUT ROWID;
"""
INDEXES = """
CREATE INDEX edges_s ON edges (s, p, o);
CREATE INDEX edges_o ON edges (o, p, s);
CREATE INDEX nodes_kind ON nodes (kind, iri);
"""


@dataclass(frozen=True)
class Counts:
    graphs: int
    triples: int


class SiteIndex:
    """The release as rows: nodes (JSON-LD per subject, one part per graph describing it), the
    edges pages follow, and what the pages made of them; kept between runs when asked to, and
    then brought up to date graph by graph (:meth:`update`).

    What a page reads of it is noted (:meth:`reading`): the IRIs whose node, links or kind it
    asked for. A later run renders again only the pages that read an IRI whose rows changed."""

    def __init__(self, path: Path, release: Release, compact: jsonld.Compactor) -> None:
        self.path = path
        self.release = release
        self.base = release.minter.base
        self.compact = compact
        self.db = sqlite3.connect(str(path))
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self._nodes: dict[str, jsonld.Node] = {}
        self._locations: dict[str, tuple[str | None, tuple[str, ...]]] = {}
        self._reads: list[set[str]] = []
        self._made_in = "main"  # the schema whose tables take what the pages made
        # pages ask for the same links many times (an article's publisher for each claim): the
        # answers of the small look-ups are kept, a bounded number of them
        self._out = functools.lru_cache(maxsize=LOOKUPS)(self._links_from)
        self._in = functools.lru_cache(maxsize=LOOKUPS)(self._links_to)
        self._kinds = functools.lru_cache(maxsize=LOOKUPS)(self._kind)

    # ----------------------------------------------------------------- loading

    def load(self, jobs: int = 1) -> Counts:
        """Read the N-Quads dump into the index, one graph at a time: streamed in this process,
        or, with ``jobs`` > 1 and a dump with a graph index, its graphs' members parsed in that
        many processes while this one writes their rows in dump order (same rows either way)."""
        self.db.executescript(SCHEMA + MADE.format(schema="main"))
        path = self.release.path(NQUADS)
        indexed = graph_index(self.release)
        digests = {graph.name: graph.digest for graph in indexed or []}
        members = [(graph.offset, graph.length) for graph in indexed or []]
        graphs = triples = 0
        try:
            if members and jobs > 1:
                found = _parsed_in_processes(path, members, self.base, self.compact, jobs)
            else:
                found = _parsed(path, self.base, self.compact)
            for rows in found:
                self._add_rows(rows, graphs, digests.get(rows.graph, ""))
                graphs += 1
                triples += rows.triples
        except (OSError, EOFError, SyntaxError, zlib.error) as error:
            raise ReleaseError(
                f"{path} is not valid RDF ({error}): rebuild with `newsld build`"
            ) from None
        self.db.executescript(INDEXES)
        several = self.db.execute("SELECT iri FROM parts GROUP BY iri HAVING COUNT(*) > 1")
        self._merge([iri for (iri,) in several.fetchall()])
        self.db.commit()
        return Counts(graphs, triples)

    def _merge(self, iris: Iterable[str]) -> None:
        """Keep the merged node of each subject described in several graphs (read as it is)."""
        for iri in iris:
            rows = self.db.execute("SELECT json FROM parts WHERE iri = ?", (iri,)).fetchall()
            self.db.execute("DELETE FROM merged WHERE iri = ?", (iri,))
            if len(rows) > 1:
                node: jsonld.Node = json.loads(rows[0][0])
                for (other,) in rows[1:]:
                    node = jsonld._merge(node, json.loads(other))
                self.db.execute("INSERT INTO merged VALUES (?, ?)", (iri, jsonld.encode(node)))

    def _add_rows(self, rows: GraphRows, position: int, digest: str) -> None:
        """One graph's rows: its parts of nodes, its edges, and the graph itself."""
        # a subject described in several graphs (a claim or event each article reporting it
        # names, with the identity graph's first appearance) has a part in each, merged when
        # read; its kind is that of its first graph in the dump
        self.db.executemany("INSERT INTO parts VALUES (?, ?, ?, ?)", rows.parts())
        self.db.executemany(
            "INSERT OR IGNORE INTO nodes VALUES (?, ?)", ((n[0], n[1]) for n in rows.nodes)
        )
        self.db.executemany(
            "INSERT INTO edges VALUES (?, ?, ?, ?)", ((*e, rows.graph) for e in rows.edges)
        )
        iris = pack(n[0] for n in rows.nodes)
        self.db.execute(
            "INSERT INTO graphs VALUES (?, ?, ?, ?)", (rows.graph, position, digest, iris)
        )

    def update(self, jobs: int = 1) -> set[str] | None:
        """Bring an index kept from an earlier run up to date with the release: the graphs whose
        digest changed are read again, those gone are dropped. Returns the IRIs whose rows
        changed (their node, their kind or a link from or to them), or None when the release
        has no graph index to compare (then the index must be loaded from scratch)."""
        indexed = graph_index(self.release)
        if indexed is None:
            return None
        old = dict(self.db.execute("SELECT graph, digest FROM graphs").fetchall())
        new = {graph.name: graph for graph in indexed}
        changed = [graph for graph in indexed if old.get(graph.name) != graph.digest]
        gone = [name for name in old if name not in new]
        touched: set[str] = set()
        before: dict[str, tuple[dict[str, tuple[str, str]], set[tuple[str, str, str]]]] = {}
        for name in [*gone, *(graph.name for graph in changed if graph.name in old)]:
            before[name] = self._drop_graph(name)
        path = self.release.path(NQUADS)
        members = [(graph.offset, graph.length) for graph in changed]
        try:
            if jobs > 1 and len(members) > MEMBERS:
                found = _parsed_in_processes(path, members, self.base, self.compact, jobs)
            else:
                found = iter(_parse_members(path, members, self.base, self.compact))
            position = {graph.name: number for number, graph in enumerate(indexed)}
            for rows in found:
                self._add_rows(rows, position[rows.graph], new[rows.graph].digest)
                parts, edges = before.pop(rows.graph, ({}, set()))
                now = {iri: (kind, text) for iri, kind, text in rows.nodes}
                touched.update(i for i in parts.keys() | now.keys() if parts.get(i) != now.get(i))
                for s, _, o in edges.symmetric_difference(rows.edges):
                    touched.update((s, o))
        except (OSError, EOFError, SyntaxError, zlib.error) as error:
            raise ReleaseError(
                f"{path} is not valid RDF ({error}): rebuild with `newsld build`"
            ) from None
        for parts, edges in before.values():  # graphs gone from the release
            touched.update(parts)
            for s, _, o in edges:
                touched.update((s, o))
        self.db.executemany(
            "UPDATE graphs SET position = ? WHERE graph = ?",
            ((number, graph.name) for number, graph in enumerate(indexed)),
        )
        self._merge(touched)
        for iri in touched:  # the kind of a node is that of its first graph's part
            row = self.db.execute(
                "SELECT parts.kind FROM parts JOIN graphs USING (graph) WHERE iri = ?"
                " ORDER BY position LIMIT 1",
                (iri,),
            ).fetchone()
            if row is None:
                self.db.execute("DELETE FROM nodes WHERE iri = ?", (iri,))
            else:
                self.db.execute("INSERT OR REPLACE INTO nodes VALUES (?, ?)", (iri, row[0]))
        self.db.commit()
        return touched

    def _drop_graph(
        self, graph: str
    ) -> tuple[dict[str, tuple[str, str]], set[tuple[str, str, str]]]:
        """Remove a graph's rows; what they were: its parts (IRI → kind, JSON) and edges."""
        (blob,) = self.db.execute("SELECT iris FROM graphs WHERE graph = ?", (graph,)).fetchone()
        parts: dict[str, tuple[str, str]] = {}
        edges: set[tuple[str, str, str]] = set()
        for iri in unpack(blob):
            row = self.db.execute(
                "SELECT kind, json FROM parts WHERE iri = ? AND graph = ?", (iri, graph)
            ).fetchone()
            if row is not None:
                parts[iri] = (row[0], row[1])
            edges.update(
                self.db.execute(
                    "SELECT s, p, o FROM edges WHERE s = ? AND graph = ?", (iri, graph)
                ).fetchall()
            )
            self.db.execute("DELETE FROM parts WHERE iri = ? AND graph = ?", (iri, graph))
            self.db.execute("DELETE FROM edges WHERE s = ? AND graph = ?", (iri, graph))
        self.db.execute("DELETE FROM graphs WHERE graph = ?", (graph,))
        return parts, edges

    # ------------------------------------------------------------ what is kept

    def state(self, key: str) -> str | None:
        """A value kept with the index between runs (see :meth:`set_state`)."""
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_state(self, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM state WHERE key = ?", (key,))
        else:
            self.db.execute("INSERT OR REPLACE INTO state VALUES (?, ?)", (key, value))
        self.db.commit()

    # ----------------------------------------------------------------- reading

    def close(self) -> None:
        self.db.close()

    def reconnect(self) -> None:
        """A connection of this process's own (after a fork: the inherited one is the parent's
        and is left alone, never used or closed here)."""
        self._inherited = self.db
        self.db = sqlite3.connect(str(self.path))

    @contextlib.contextmanager
    def holding(self) -> Iterator[None]:
        """Hold what is kept in the block (:meth:`keep`, :meth:`keep_things`) in a file of its
        own, added to the index when the block ends: processes that read the index meanwhile
        (:meth:`snapshot`) never wait for a write, nor see what they cached of it go stale."""
        held = self.path.with_name(self.path.name + ".held")
        held.unlink(missing_ok=True)
        self.db.execute("ATTACH DATABASE ? AS held", (str(held),))
        try:
            self.db.execute("PRAGMA held.journal_mode=OFF")
            self.db.execute("PRAGMA held.synchronous=OFF")
            self.db.executescript(MADE.format(schema="held"))
            self._made_in = "held"
            yield
            for table in ("made", "things"):
                self.db.execute(f"INSERT OR REPLACE INTO main.{table} SELECT * FROM held.{table}")
            self.db.commit()
        finally:
            self._made_in = "main"
            self.db.rollback()
            self.db.execute("DETACH DATABASE held")
            held.unlink(missing_ok=True)

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Read the index in one transaction in the block: SQLite checks whether the file changed
        once, not at every look-up (in a process that only reads, while writes are held)."""
        self.db.execute("BEGIN")
        try:
            yield
        finally:
            self.db.rollback()

    @contextlib.contextmanager
    def reading(self) -> Iterator[set[str]]:
        """Note the IRIs read in the block (also into any block around it)."""
        found: set[str] = set()
        self._reads.append(found)
        try:
            yield found
        finally:
            self._reads.pop()
            if self._reads:
                self._reads[-1].update(found)

    def read(self, iris: Iterable[str]) -> None:
        """Note IRIs as read (those a kept answer was made from)."""
        if self._reads:
            self._reads[-1].update(iris)

    def _note(self, iri: str) -> None:
        if self._reads:
            self._reads[-1].add(iri)

    def text(self, iri: str) -> str | None:
        """The canonical JSON text of the node of ``iri`` (:func:`newsld.site.jsonld.encode`:
        a page embeds it as it is): its part in the one graph describing it, or its parts in
        every graph describing it, merged."""
        self._note(iri)
        row = self.db.execute("SELECT json FROM merged WHERE iri = ?", (iri,)).fetchone()
        if row is None:  # described in one graph (two look-ups are quicker than their union)
            row = self.db.execute("SELECT json FROM parts WHERE iri = ? LIMIT 1", (iri,)).fetchone()
        return row[0] if row else None

    def node(self, iri: str) -> jsonld.Node | None:
        self._note(iri)
        found = self._nodes.get(iri)
        if found is None:
            text = self.text(iri)
            if text is None:
                return None
            found = json.loads(text)
            if len(self._nodes) > 50_000:
                self._nodes.clear()
            self._nodes[iri] = found
        return found

    # ------------------------------------------------- what pages made ahead

    def keep(self, kind: str, rows: Iterable[tuple[str, str, Any, set[str]]]) -> None:
        """Keep data the pages made of things of a ``kind`` for every page that shows them:
        rows (IRI, date, data, the IRIs it was made from); the data is kept as JSON (never
        pickled: a kept index is read back, and unpickling what a file holds runs code)."""
        self.db.executemany(
            f"INSERT OR REPLACE INTO {self._made_in}.made VALUES (?, ?, ?, ?, ?)",
            (
                (kind, iri, date, json.dumps(data, ensure_ascii=False), pack(reads))
                for iri, date, data, reads in rows
            ),
        )
        self.db.commit()

    def made(self, kind: str, iri: str) -> Any:
        """The data kept for ``iri`` (:meth:`keep`), or None; what it was made from is read."""
        row = self.db.execute(
            "SELECT data, reads FROM made WHERE kind = ? AND iri = ?", (kind, iri)
        ).fetchone()
        if row is None:
            return None
        if self._reads:
            self._reads[-1].update(unpack(row[1]))
        return json.loads(row[0])

    def made_from(self, kind: str, touched: set[str]) -> set[str]:
        """The things of ``kind`` whose kept data was made from a ``touched`` IRI."""
        return {
            iri
            for iri, reads in self.db.execute("SELECT iri, reads FROM made WHERE kind = ?", (kind,))
            if iri in touched or not touched.isdisjoint(unpack(reads))
        }

    def forget(self, kind: str, iris: Iterable[str]) -> None:
        """Drop the kept data of things (gone from the release, or to be made again)."""
        self.db.executemany(
            "DELETE FROM made WHERE kind = ? AND iri = ?", ((kind, iri) for iri in iris)
        )
        self.db.commit()

    def made_iris(self, kind: str) -> list[str]:
        """The things of ``kind`` with kept data."""
        rows = self.db.execute("SELECT iri FROM made WHERE kind = ?", (kind,)).fetchall()
        return [iri for (iri,) in rows]

    def keep_things(self, rows: Iterable[tuple[str, str, bytes, bytes, str]]) -> None:
        """Keep what each thing's pages read, their files and search entries (packed)."""
        self.db.executemany(
            f"INSERT OR REPLACE INTO {self._made_in}.things VALUES (?, ?, ?, ?, ?)", rows
        )
        self.db.commit()

    def kept_things(self) -> Iterator[tuple[str, str, bytes, bytes]]:
        """What :meth:`keep_things` kept: (IRI, kind, reads, files), packed."""
        yield from self.db.execute("SELECT iri, kind, reads, files FROM things ORDER BY iri")

    def kept_search(self, kind: str) -> Iterator[str]:
        """The search entries kept with each thing of ``kind`` (JSON), in IRI order."""
        for (found,) in self.db.execute(
            "SELECT search FROM things WHERE kind = ? ORDER BY iri", (kind,)
        ):
            yield found

    def forget_things(self, iris: Iterable[str]) -> None:
        self.db.executemany("DELETE FROM things WHERE iri = ?", ((iri,) for iri in iris))
        self.db.commit()

    def latest(self, kind: str, count: int) -> list[str]:
        """The IRIs of the ``count`` things of ``kind`` kept with the latest dates (latest
        first; of one date, the last IRI first)."""
        rows = self.db.execute(
            "SELECT iri FROM made WHERE kind = ? ORDER BY date DESC, iri DESC LIMIT ?",
            (kind, count),
        )
        return [iri for (iri,) in rows]

    def kind(self, iri: str) -> str | None:
        self._note(iri)
        return self._kinds(iri)

    def _kind(self, iri: str) -> str | None:
        row = self.db.execute("SELECT kind FROM nodes WHERE iri = ?", (iri,)).fetchone()
        return row[0] if row else None

    def of_kind(self, kind: str) -> Iterator[str]:
        for (iri,) in self.db.execute(
            "SELECT iri FROM nodes WHERE kind = ? ORDER BY iri", (kind,)
        ).fetchall():
            yield iri

    def count(self, kind: str) -> int:
        (n,) = self.db.execute("SELECT COUNT(*) FROM nodes WHERE kind = ?", (kind,)).fetchone()
        return int(n)

    def objects(self, subject: str, role: str) -> list[str]:
        """What ``subject`` links to by ``role``, sorted."""
        self._note(subject)
        return self._out(subject).get(role, [])

    def subjects(self, role: str, obj: str) -> list[str]:
        """What links to ``obj`` by ``role`` (one of :data:`BACKWARDS`), sorted."""
        self._note(obj)
        return self._in(obj).get(role, [])

    def _links_from(self, subject: str) -> dict[str, list[str]]:
        """Every link of ``subject``, by role (a page asks for several roles of one thing:
        one look-up answers them all)."""
        return _by_role(
            self.db.execute(
                "SELECT DISTINCT p, o FROM edges WHERE s = ? ORDER BY p, o", (subject,)
            ).fetchall()
        )

    def _links_to(self, obj: str) -> dict[str, list[str]]:
        """The links to ``obj`` by the roles pages follow backwards, by role (not the many
        mentions of a well-known entity, nor every claim's link to its activity)."""
        return _by_role(self.db.execute(LINKS_TO, (obj,)).fetchall())

    def with_role(self, role: str) -> list[str]:
        """Every object of ``role`` edges (e.g. every speaker), sorted."""
        rows = self.db.execute(
            "SELECT DISTINCT o FROM edges WHERE p = ? ORDER BY o", (role,)
        ).fetchall()
        return [o for (o,) in rows]

    def referenced(self, iri: str) -> bool:
        """Whether anything in the release links to ``iri`` (entities nothing names get no page)."""
        self._note(iri)
        row = self.db.execute("SELECT 1 FROM edges WHERE o = ? LIMIT 1", (iri,)).fetchone()
        return row is not None

    def articles_of(self, iri: str) -> list[str]:
        """The articles reporting a claim or event: its first appearance's first (where its IRI
        leads), then its other appearances', then any other source it names."""
        found = [*self.objects(iri, "firstAppearance"), *self.objects(iri, "appearance")]
        reports = [article for report in found for article in self.objects(report, "source")]
        return list(dict.fromkeys([*reports, *self.objects(iri, "source")]))

    def claims_in(self, article: str) -> list[str]:
        """Claims an article reports, directly or through an appearance."""
        return self._reported_in(article, "claim")

    def events_in(self, article: str) -> list[str]:
        """Events an article reports, directly or through an appearance."""
        return self._reported_in(article, "event")

    def _reported_in(self, article: str, kind: str) -> list[str]:
        found = set(self.subjects("source", article))
        reported = {node for node in found if self.kind(node) == kind}
        for other in found - reported:
            reported.update(n for n in self.subjects("appearance", other) if self.kind(n) == kind)
        return sorted(reported)

    def location(self, iri: str) -> str | None:
        """The site-relative place of a release IRI: its page, or an anchor on its article's."""
        kept = self._locations.get(iri)
        if kept is not None:
            self.read(kept[1])
            return kept[0]
        with self.reading() as reads:
            self._note(iri)
            found = self._location(iri)
        if len(self._locations) > 200_000:
            self._locations.clear()
        self._locations[iri] = (found, tuple(reads))
        return found

    def _location(self, iri: str) -> str | None:
        found: str | None = page_path(iri, self.base)
        kind = self.kind(iri)
        if found is not None and kind == "entity" and not self.referenced(iri):
            found = None  # in the registry, in no article: no page
        if found is None and kind in ("claim", "review", "other"):
            target = iri
            if kind == "review":
                reviewed = self.objects(iri, "itemReviewed")
                target = reviewed[0] if reviewed else iri
            articles = self.articles_of(target)
            if not articles:  # an appearance: it names its article itself
                articles = self.objects(iri, "source")
            page = page_path(articles[0], self.base) if articles else None
            found = f"{page}#{anchor(iri)}" if page else None
        return found


def pack(iris: Iterable[str]) -> bytes:
    """IRIs as the index keeps them (what a page or a kept datum was made from)."""
    return zlib.compress("\n".join(sorted(iris)).encode("utf-8"))


def unpack(data: bytes) -> list[str]:
    text = zlib.decompress(data).decode("utf-8")
    return text.split("\n") if text else []


@dataclass
class GraphRows:
    """One graph of the dump as rows of the index: its name, (iri, kind, JSON) and (s, role, o)."""

    graph: str
    nodes: list[tuple[str, str, str]]
    edges: list[tuple[str, str, str]]
    triples: int

    def parts(self) -> Iterator[tuple[str, str, str, str]]:
        for iri, kind, text in self.nodes:
            yield iri, self.graph, kind, text


Subjects = dict[ox.NamedNode | ox.BlankNode, list[tuple[str, Any]]]


def _graphs(quads: Iterable[ox.Quad]) -> Iterator[tuple[object, Subjects, int]]:
    """Each run of quads of one graph as the graph's name, its subjects' (predicate, object)
    pairs and its number of triples (a graph of the dump is contiguous)."""
    graph: object = None
    subjects: Subjects = {}
    triples = 0
    for quad in quads:
        if quad.graph_name != graph:
            if subjects:
                yield graph, subjects, triples
            graph, subjects, triples = quad.graph_name, {}, 0
        pair = (quad.predicate.value, quad.object)
        found = subjects.get(quad.subject)
        if found is None:
            subjects[quad.subject] = [pair]
        else:
            found.append(pair)
        triples += 1
    if subjects:
        yield graph, subjects, triples


def _parsed(path: Path, base: str, compact: jsonld.Compactor) -> Iterator[GraphRows]:
    """The rows of each graph of the dump, streamed."""
    with gzip.open(path, "rb") as stream:
        for graph, subjects, triples in _graphs(ox.parse(stream, format=ox.RdfFormat.N_QUADS)):
            yield _rows(graph, subjects, triples, base, compact)


def _parsed_in_processes(
    path: Path, members: list[tuple[int, int]], base: str, compact: jsonld.Compactor, jobs: int
) -> Iterator[GraphRows]:
    """The rows of each graph of the dump, in dump order, its ``members`` (one gzip member a
    graph: offset, length, as the graph index says) parsed in ``jobs`` processes, a few batches
    ahead."""
    batches = [members[start : start + MEMBERS] for start in range(0, len(members), MEMBERS)]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(jobs, context, initializer=_ignore_interrupt) as pool:
        pending: collections.deque[Future[list[GraphRows]]] = collections.deque()
        for batch in batches:
            pending.append(pool.submit(_parse_members, path, batch, base, compact))
            if len(pending) > 2 * jobs:  # what is parsed ahead waits in memory: a few batches
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _ignore_interrupt() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's


def _parse_members(
    path: Path, batch: list[tuple[int, int]], base: str, compact: jsonld.Compactor
) -> list[GraphRows]:
    """The rows of the graphs whose gzip members lie at ``batch`` (offset, length)."""
    found = []
    with path.open("rb") as dump:
        for offset, length in batch:
            dump.seek(offset)
            data = gzip.decompress(dump.read(length))
            for graph, subjects, triples in _graphs(ox.parse(data, format=ox.RdfFormat.N_QUADS)):
                found.append(_rows(graph, subjects, triples, base, compact))
    return found


def _rows(
    graph_name: object, subjects: Subjects, triples: int, base: str, compact: jsonld.Compactor
) -> GraphRows:
    """One graph's subjects as node rows (their JSON-LD nodes) and the edges pages follow."""
    graph = graph_name.value if type(graph_name) is ox.NamedNode else ""
    nodes = []
    edges = []
    for term, pairs in subjects.items():
        subject = term.value if type(term) is ox.NamedNode else f"_:{term.value}"
        types = {o.value for p, o in pairs if p == RDF_TYPE and isinstance(o, ox.NamedNode)}
        kind = next((k for t, k in KINDS if t in types), "other")
        unnamed = str(NLD.UnnamedSource) in types
        if kind == "other" and (subject.startswith(base + "entity/") or unnamed):
            kind = "entity"
        node = jsonld.node(subject, pairs, compact)
        nodes.append((subject, kind, jsonld.encode(node)))
        for predicate, obj in pairs:
            role = LINKS.get(predicate)
            if role is not None and isinstance(obj, ox.NamedNode):
                edges.append((subject, role, obj.value))
    return GraphRows(graph, nodes, edges, triples)


def _by_role(rows: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Rows (role, IRI), sorted, as the IRIs of each role."""
    found: dict[str, list[str]] = {}
    for role, iri in rows:
        found.setdefault(role, []).append(iri)
    return found
