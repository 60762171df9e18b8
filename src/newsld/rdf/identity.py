"""Claim and event identity: one node per statement or happening, one appearance per report.

Each record's graph mints its claims' IRIs from the *statement key* (:func:`statement_key`: the
speaker's IRI, the stance and :func:`fingerprint`, a canonical form of the words that survives
case, punctuation, quote marks, elision marks and bracketed editorial insertions), and its events'
from the event key (:func:`event_key`: type, participants, date and place). Every record carrying
the same statement therefore emits the same claim IRI with an appearance node of its own, and the
union of the graphs merges them, with no record knowing about any other: builds stay per record,
parallel and incremental, and an IRI never depends on which article happened to carry it first.

What needs every record is a small pass after them (:class:`IdentityIndex`, fed one compact
:data:`Row` per appearance, kept in the build state with each record): which appearance came
first (by the date the article gives, then the article's publication date, then the article and
appearance IRIs) and the outlet that published it, the claim's text and the event's description
as that first report gives them, and which statements are close but not identical wordings of
each other (:func:`variant_of`: the same words reordered, elided, truncated or quoted in part
inside a longer quote, or sharing a sentence in those ways): those are linked with
``nld:variantOf``, not merged. Candidates are found by blocking on word pairs and sorted word
bags within one speaker and stance, with a cap on each block, so the pass stays near-linear in
the number of statements.

A release's appearances are split into :data:`BUCKETS` buckets (:func:`bucket_of`: by speaker
for claims, so that variants never cross buckets and a speaker's counts are one bucket's; by IRI
for events), spooled to disk as the records come (:class:`IdentitySpool`), and the pass runs one
bucket at a time (:func:`bucket_graph`), so its memory is one bucket's; each bucket's triples are
a named graph of their own (``graph/identity/NNN``), so a store reloading a release after one
record changed rewrites that record's buckets, not every claim's. A bucket's digest covers
every row in it, whichever record it came from and in whatever order: a build whose bucket has
the digest the previous release's had copies that bucket's graph from the previous dumps
instead.
"""

from __future__ import annotations

import array
import hashlib
import itertools
import pickle
import re
import tempfile
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, NamedTuple

from rdflib import Literal, URIRef

from newsld.rdf.iris import digest
from newsld.rdf.mapped import AppearanceRow as Row
from newsld.rdf.terms import NLD, SDO, Triple

# One appearance, as the post pass needs it (plain strings: cheap to pickle and keep):
# (what: "claim" | "event", node IRI, appearance IRI, block (speaker IRI + stance; the type
# IRI for events), fingerprint ("" for events), sort key (the date the article gives, its
# publication date: first days, ISO; "9999-12-31" when unknown), text (the wording, or the
# description), the article's publisher's IRI ("" when it names none)).

_BRACKETED = re.compile(r"\[[^\]]*\]")
_ELISION = re.compile(r"…|\.\s*\.\s*\.")
_APOSTROPHES = re.compile(r"['’‘`´ʼ′]")
_WORD = re.compile(r"\w+")
_WORD_OR_MARK = re.compile(r"\w+|\x00")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\s+[–—-]\s+")
NEGATIONS = frozenset(
    {"not", "no", "never", "nor", "none", "nothing", "nobody", "neither", "cannot", "without"}
    | {w + "nt" for w in ("don", "doesn", "didn", "won", "wouldn", "isn", "aren", "wasn")}
    | {w + "nt" for w in ("weren", "can", "couldn", "shouldn", "hasn", "haven", "hadn")}
)
UNKNOWN_DAY = "9999-12-31"
MIN_SENTENCE = 5  # distinct words a shared sentence needs to make two quotes variants
MIN_CONTENT = 2  # words longer than 3 letters a quoted part needs to be a variant of a whole
BLOCK_CAP = 64  # statements one blocking key may gather before it is too common to block on
BUCKETS = 256  # parts the identity pass is split into (each computed, or reused, on its own)


_UNMARKED = (frozenset[int](), frozenset[int]())


def words(text: str) -> list[str]:
    """The words of a text as identity compares them: NFKC, case-folded, without bracketed
    editorial insertions ("[in Gaza]"), elision marks, apostrophes and punctuation."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _ELISION.sub(" ", _BRACKETED.sub(" ", text))
    return _WORD.findall(_APOSTROPHES.sub("", text))


def fingerprint(text: str) -> str:
    """The canonical form of a statement's words (see :func:`words`)."""
    return " ".join(words(text))


def sentences(text: str) -> list[list[str]]:
    """The words of each sentence (or dash-separated clause) of a text."""
    text = _ELISION.sub(" ", _BRACKETED.sub(" ", unicodedata.normalize("NFKC", text)))
    found = (words(part) for part in _SENTENCE.split(text))
    return [w for w in found if w]


def statement_key(speaker: str, stance: str, text: str) -> str | None:
    """The key a claim's IRI is minted from: speaker IRI, stance and fingerprint (None when the
    text has no words: such a claim is keyed on its record instead)."""
    canonical = fingerprint(text)
    if not canonical:
        return None
    return digest(f"{speaker}\x1f{stance}\x1f{canonical}", 16)


def event_key(kind: str, participants: Iterable[str], date: str, place: str) -> str:
    """The key an event's IRI is minted from: its type, participants' IRIs, date and place."""
    return digest("\x1f".join([kind, *sorted(set(participants)), date, place or ""]), 16)


# -- variants ------------------------------------------------------------------------------


def elisions(text: str) -> frozenset[int]:
    """Where a text marks words as left out ("…", "..."): before which of its :func:`words`."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = _APOSTROPHES.sub("", _ELISION.sub(" \x00 ", _BRACKETED.sub(" ", text)))
    found, count = set(), 0
    for token in _WORD_OR_MARK.findall(text):
        if token == "\x00":
            found.add(count)
        else:
            count += 1
    return frozenset(found)


def _contained(short: list[str], long: list[str], marked: frozenset[int] = frozenset()) -> bool:
    """Whether ``short`` is ``long`` with words left out at either end or elided inside: its
    words in runs of at least two (or one run), each found in ``long`` after the one before,
    none of the words left out between them a negation unless ``short`` marks an elision
    there (``marked``: see :func:`elisions`; a reporter's "…" says words are missing, while
    words missing unmarked may be a different statement). Each run is the longest that
    matches there (word by word, a repeated word would break runs where the longer match
    is)."""
    if len(short) >= len(long) or sum(len(w) > 3 for w in short) < MIN_CONTENT:
        return False
    i, j, runs = 0, 0, 0
    while i < len(short):
        best, where = 0, -1
        for at in range(j, len(long)):
            if long[at] != short[i]:
                continue
            length = 1
            while (
                i + length < len(short)
                and at + length < len(long)
                and long[at + length] == short[i + length]
            ):
                length += 1
            if length > best:
                best, where = length, at
            if i + length == len(short):
                break
        if best == 0 or (runs and i not in marked and NEGATIONS.intersection(long[j:where])):
            return False
        if best < 2 and not (i == 0 and best == len(short)):
            return False
        runs += 1
        i += best
        j = where + best
    return True


def _alike(
    a: list[str], b: list[str], marks: tuple[frozenset[int], frozenset[int]] = _UNMARKED
) -> str:
    """ "same", "reordered", "part" (``a`` is a part of ``b``), "whole" (``b`` of ``a``) or "";
    ``marks``: where each marks an elision."""
    if a == b:
        return "same"
    if len(a) == len(b) and Counter(a) == Counter(b):
        return "reordered"
    if _contained(a, b, marks[0]):
        return "part"
    return "whole" if _contained(b, a, marks[1]) else ""


def variant_of(a: str, b: str) -> bool:
    """Whether two different wordings are reports of one statement: reordered, elided,
    truncated, one a part of the other, or sharing a sentence of at least
    :data:`MIN_SENTENCE` words in those ways."""
    split = {"a": sentences(a), "b": sentences(b)}
    marks = (elisions(a), elisions(b))
    return bool(_variant(words(a), split.__getitem__, "a", words(b), "b", marks))


def _variant(
    wa: list[str],
    sentences_of: Callable[[str], list[list[str]]],
    a: str,
    wb: list[str],
    b: str,
    marks: tuple[frozenset[int], frozenset[int]] = _UNMARKED,
) -> str:
    """How ``a`` relates to ``b`` (see :func:`_alike`; "sentence": a sentence shared), or "".
    ``marks``: where each marks an elision (counted on the whole texts' words)."""
    if wa == wb:
        return ""  # the same statement, not a variant
    whole = _alike(wa, wb, marks)
    if whole:
        return whole
    if len(wa) < MIN_SENTENCE or len(wb) < MIN_SENTENCE:
        return ""
    sa, sb = sentences_of(a), sentences_of(b)
    shared = any(
        len(set(x)) >= MIN_SENTENCE and len(set(y)) >= MIN_SENTENCE and _alike(x, y)
        for x in sa
        for y in sb
    )
    return "sentence" if shared else ""


def _blocking_keys(whole: list[str]) -> set[str]:
    """Word pairs, and the sorted words (reordered statements may share no pair)."""
    keys = {f"{x} {y}" for x, y in itertools.pairwise(whole)}
    keys.add("\x1e" + " ".join(sorted(whole)))
    return keys


# -- the post pass ---------------------------------------------------------------------------


@dataclass
class _Node:
    what: str
    block: str
    fingerprint: str
    # (sort key, appearance IRI, text, the article's publisher's IRI or "")
    first: tuple[str, str, str, str] = ("\uffff", "", "", "")
    appearances: int = 0
    graphs: int = 0  # the records' graphs it is in (each says what it is again)
    outlets: set[str] = field(default_factory=set)  # the publishers of the articles reporting it


@dataclass
class IdentityIndex:
    """Every appearance of the release, folded into one entry per claim and event node, and
    the articles each speaker's claims are reported in."""

    nodes: dict[str, _Node] = field(default_factory=dict)
    articles: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def add(self, rows: Iterable[Row], record: str = "") -> None:
        """The appearances of one record (``record``: its key)."""
        nodes = self.nodes
        here: set[str] = set()
        for what, node, appearance, block, print_, order, text, publisher in rows:
            entry = nodes.get(node)
            if entry is None:
                entry = nodes[node] = _Node(what, block, print_)
            entry.appearances += 1
            if publisher:
                entry.outlets.add(publisher)
            if node not in here:
                here.add(node)
                entry.graphs += 1
            if what == "claim" and (speaker := speaker_of(block)):
                self.articles[speaker].add(record)
            candidate = (f"{order}\x1f{appearance}", appearance, text, publisher)
            if candidate < entry.first:
                entry.first = candidate

    def counts(self) -> dict[str, int]:
        claims = sum(1 for n in self.nodes.values() if n.what == "claim")
        return {"claims": claims, "events": len(self.nodes) - claims}

    def repeated(self) -> tuple[int, Counter[str]]:
        """How often the dumps' per-graph counts count a claim or event again: as a subject
        (in each record's graph after the first, and in the identity graph), and by class; and
        each speaker again, whose counts are in the identity graph."""
        subjects = len(self.articles)
        classes: Counter[str] = Counter()
        for node in self.nodes.values():
            again = node.graphs - 1
            subjects += again + 1
            if not again:
                continue
            if node.what == "claim":
                kinds = [str(NLD.Claim), str(SDO.Claim)]
            else:
                kinds = [str(NLD.NewsEvent), str(SDO.Event), *([node.block] if node.block else [])]
            for kind in kinds:
                classes[kind] += again
        return subjects, classes

    def variant_pairs(self) -> list[tuple[str, str]]:
        """Pairs of claim IRIs (sorted, each pair sorted) that are variants of each other.

        A part (a truncated, elided or partial quote) that two statements both contain, which
        are not variants of each other, could be either's: it is linked to the one reported at
        least twice as often (counting its close variants' reports), else to neither."""
        blocks: dict[str, list[str]] = defaultdict(list)
        for iri, node in self.nodes.items():
            if node.what == "claim" and node.fingerprint:
                blocks[node.block].append(iri)
        pairs: set[tuple[str, str]] = set()
        for members in blocks.values():
            if len(members) > 1:
                pairs.update(self._block_pairs(sorted(members)))
        return sorted(pairs)

    def _block_pairs(self, members: list[str]) -> Iterator[tuple[str, str]]:
        whole = {iri: self.nodes[iri].fingerprint.split() for iri in members}
        split: dict[str, list[list[str]]] = {}  # sentences, for the pairs that need them

        def sentences_of(iri: str) -> list[list[str]]:
            found = split.get(iri)
            if found is None:
                found = split[iri] = sentences(self.nodes[iri].first[2])
            return found

        bags = {iri: frozenset(whole[iri]) for iri in members}
        marks = {iri: elisions(self.nodes[iri].first[2]) for iri in members}

        sentence_bags: dict[str, list[frozenset[str]]] = {}

        def bags_of_sentences(iri: str) -> list[frozenset[str]]:
            found = sentence_bags.get(iri)
            if found is None:
                found = sentence_bags[iri] = [
                    bag
                    for bag in map(frozenset, sentences_of(iri))
                    if len(bag) >= MIN_SENTENCE and bag != bags[iri]
                ]
            return found

        def may_be_variants(a: str, b: str) -> bool:
            """What every variant has (cheap set tests): the words of one are all in the other
            (the same words, reordered, a part), or the words of a sentence of one are all in
            the other (a sentence shared)."""
            x, y = bags[a], bags[b]
            if x <= y or y <= x:
                return True
            if len(x & y) < MIN_SENTENCE:
                return False
            return any(bag <= y for bag in bags_of_sentences(a)) or any(
                bag <= x for bag in bags_of_sentences(b)
            )

        # each statement is compared with the later ones it shares a blocking key with, once
        # (memory: the postings, and one statement's candidates at a time)
        keys = [_blocking_keys(whole[iri]) for iri in members]
        postings: dict[str, list[int]] = defaultdict(list)
        for index, found in enumerate(keys):
            for key in found:
                postings[key].append(index)
        linked: set[tuple[str, str]] = set()
        part_of: dict[str, list[str]] = defaultdict(list)
        for i, a in enumerate(members):
            later: set[int] = set()
            for key in keys[i]:
                posting = postings[key]
                if 2 <= len(posting) <= BLOCK_CAP:
                    later.update(j for j in posting if j > i)
            for j in sorted(later):
                b = members[j]
                if not may_be_variants(a, b):
                    continue
                how = _variant(whole[a], sentences_of, a, whole[b], b, (marks[a], marks[b]))
                if how == "part":
                    part_of[a].append(b)
                elif how == "whole":
                    part_of[b].append(a)
                elif how:
                    linked.add((a, b))
        # close variants are one component; a part all of whose wholes lie in one component
        # joins it (until no part does), so that parts of parts and the statement's other
        # wordings count for it too
        root = {iri: iri for iri in members}

        def find(iri: str) -> str:
            while root[iri] != iri:
                root[iri] = root[root[iri]]
                iri = root[iri]
            return iri

        def join(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                root[max(ra, rb)] = min(ra, rb)

        def link(part: str, wholes: Iterable[str]) -> None:
            linked.update((part, w) if part < w else (w, part) for w in wholes)

        for a, b in linked:
            join(a, b)
        ambiguous = {part: sorted(found) for part, found in part_of.items()}
        joined = True
        while joined:
            joined = False
            for part, wholes in sorted(ambiguous.items()):
                if len({find(w) for w in wholes}) == 1:
                    link(part, wholes)
                    join(part, wholes[0])
                    del ambiguous[part]
                    joined = True
        # a part of statements that differ goes with the one reported at least twice as often
        # as any other, in whole or in part (its component's reports), else with neither
        support: Counter[str] = Counter()
        for iri in members:
            support[find(iri)] += self.nodes[iri].appearances
        for part, wholes in sorted(ambiguous.items()):
            by_component: dict[str, list[str]] = defaultdict(list)
            for whole in wholes:
                by_component[find(whole)].append(whole)
            ranked = sorted(by_component, key=lambda c: (-support[c], c))
            if support[ranked[0]] >= 2 * support[ranked[1]]:
                link(part, by_component[ranked[0]])
        yield from linked

    def triples(self) -> list[Triple]:
        """The identity graph, nodes in IRI order: each node's first appearance, the outlet
        that published it and the text (claims) or description (events) that report gives, a
        claim's variants and how many outlets reported it; then each speaker's counts of claims
        and of articles reporting them, in IRI order (what a query would otherwise count over the
        whole release)."""
        variants: dict[str, list[str]] = defaultdict(list)
        for a, b in self.variant_pairs():
            variants[a].append(b)
            variants[b].append(a)
        out: list[Triple] = []
        claims: Counter[str] = Counter()
        for iri in sorted(self.nodes):
            node = self.nodes[iri]
            subject = URIRef(iri)
            _, appearance, text, publisher = node.first
            out.append((subject, SDO.firstAppearance, URIRef(appearance)))
            if publisher:
                out.append((subject, NLD.firstOutlet, URIRef(publisher)))
            if text:
                predicate = NLD.claimText if node.what == "claim" else SDO.description
                out.append((subject, predicate, Literal(text)))
            if node.what == "claim":
                out.extend((subject, NLD.variantOf, URIRef(other)) for other in variants[iri])
                out.append((subject, NLD.outletCount, Literal(len(node.outlets))))
                claims[speaker_of(node.block)] += 1
        for speaker in sorted(self.articles):
            subject = URIRef(speaker)
            out.append((subject, NLD.claimCount, Literal(claims[speaker])))
            out.append((subject, NLD.articleCount, Literal(len(self.articles[speaker]))))
        return out


def sort_key(said: str | None, published: str | None) -> str:
    """How appearances order: the date the article gives, then its publication date."""
    return f"{said or UNKNOWN_DAY}\x1f{published or UNKNOWN_DAY}"


# -- buckets ---------------------------------------------------------------------------------


def speaker_of(block: str) -> str:
    """The speaker's IRI in a claim's block (speaker and stance)."""
    return block.partition("\x1f")[0]


def bucket_of(row: Row) -> int:
    """The bucket of an appearance: by its speaker for a claim (its variants are searched
    among the speaker's statements of the same stance, and the speaker's counts need all
    of them), else by its node."""
    what, node, _, block, *_ = row
    key = speaker_of(block) if what == "claim" else node
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest()) % BUCKETS


class BucketStats(NamedTuple):
    """What a bucket adds to the release's counts."""

    claims: int  # distinct claim nodes
    events: int  # distinct event nodes
    variants: int  # variant links (each pair once)
    again: int  # subjects the dumps' per-graph counts count more than once
    classes: tuple[tuple[str, int], ...]  # instances the per-graph class counts count again


Item = tuple[str, Row]  # (the record's key, one of its appearances)


def _folded(items: Iterable[Item]) -> IdentityIndex:
    """A bucket's appearances (in record order: consecutive items of one record are its rows),
    folded."""
    index = IdentityIndex()
    for record, rows in itertools.groupby(items, key=lambda item: item[0]):
        index.add((row for _, row in rows), record)
    return index


def first_appearances(items: Iterable[Item], nodes: Iterable[str]) -> dict[str, str]:
    """The first appearance (its IRI) of each of ``nodes`` the bucket's ``items`` hold."""
    folded = _folded(items).nodes
    return {node: folded[node].first[1] for node in nodes if node in folded}


def bucket_graph(items: Iterable[Item]) -> tuple[list[Triple], BucketStats]:
    """The identity graph of one bucket (nodes in IRI order) and its counts. ``items``: the
    bucket's appearances in record order (consecutive items of one record are its rows)."""
    index = _folded(items)
    triples = index.triples()
    counts = index.counts()
    again, classes = index.repeated()
    variants = sum(1 for t in triples if t[1] == NLD.variantOf) // 2
    stats = BucketStats(
        counts["claims"], counts["events"], variants, again, tuple(sorted(classes.items()))
    )
    return triples, stats


_FLUSH = 16  # items a bucket buffers before they go to the spool file


class IdentitySpool:
    """Every appearance of a release, by bucket: buffered a few at a time, then pickled to one
    temporary file, with each bucket's chunks' places (memory: the buffers and two numbers a
    chunk).
    Each bucket keeps a digest of its items: a sum of their hashes, so it does not depend on
    the order they came in."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        # where each bucket's chunks are in the file: offset, length, offset, … (an array: no
        # small object per chunk kept for the whole build among the short-lived ones)
        self._places = [array.array("q") for _ in range(BUCKETS)]
        self._buffers: list[list[Item]] = [[] for _ in range(BUCKETS)]
        self._sums = [0] * BUCKETS

    def add(self, key: str, rows: Iterable[Row]) -> None:
        """The appearances of the record ``key``."""
        for row in rows:
            bucket = bucket_of(row)
            item = (key, row)
            hashed = hashlib.blake2b("\x1f".join((key, *row)).encode(), digest_size=16)
            self._sums[bucket] = (self._sums[bucket] + int.from_bytes(hashed.digest())) % (1 << 128)
            buffer = self._buffers[bucket]
            buffer.append(item)
            if len(buffer) >= _FLUSH:
                self._flush(bucket)

    def _flush(self, bucket: int) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile("w+b")  # noqa: SIM115 (closed by close)
        data = pickle.dumps(self._buffers[bucket], protocol=pickle.HIGHEST_PROTOCOL)
        self._file.seek(0, 2)
        self._places[bucket].extend((self._file.tell(), len(data)))
        self._file.write(data)
        self._buffers[bucket] = []

    def buckets(self) -> list[tuple[int, str]]:
        """The buckets that hold appearances, in order, with their digests."""
        return [
            (bucket, f"{total:032x}")
            for bucket, total in enumerate(self._sums)
            if self._places[bucket] or self._buffers[bucket]
        ]

    def items(self, bucket: int) -> list[Item]:
        """A bucket's appearances, in the order they came."""
        found: list[Item] = []
        if self._file is not None:
            places = self._places[bucket]
            for start, length in zip(places[::2], places[1::2], strict=True):
                self._file.seek(start)
                found.extend(pickle.loads(self._file.read(length)))
        found.extend(self._buffers[bucket])
        return found

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
