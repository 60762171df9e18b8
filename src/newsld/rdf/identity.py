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
appearance IRIs), the claim's text and the event's description as that first report gives them,
and which statements are close but not identical wordings of each other (:func:`variant_of`:
the same words reordered, elided, truncated or quoted in part inside a longer quote, or sharing a
sentence in those ways): those are linked with ``nld:variantOf``, not merged. Candidates are found
by blocking on word pairs and sorted word bags within one speaker and stance, with a cap on
each block, so the pass stays near-linear in the number of statements.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from newsld.rdf.iris import digest
from newsld.rdf.mapped import AppearanceRow as Row
from newsld.rdf.terms import NLD, SDO, Triple

# One appearance, as the post pass needs it (plain strings: cheap to pickle and keep):
# (what: "claim" | "event", node IRI, appearance IRI, block (speaker IRI + stance; the type
# IRI for events), fingerprint ("" for events), sort key (the date the article gives, its
# publication date: first days, ISO; "9999-12-31" when unknown), text (the wording, or the
# description)).

_BRACKETED = re.compile(r"\[[^\]]*\]")
_ELISION = re.compile(r"…|\.\s*\.\s*\.")
_APOSTROPHES = re.compile(r"['’‘`´ʼ′]")
_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\s+[–—-]\s+")
NEGATIONS = frozenset(
    {"not", "no", "never", "nor", "none", "nothing", "nobody", "neither", "cannot", "without"}
    | {w + "nt" for w in ("don", "doesn", "didn", "won", "wouldn", "isn", "aren", "wasn")}
    | {w + "nt" for w in ("weren", "can", "couldn", "shouldn", "hasn", "haven", "hadn")}
)
UNKNOWN_DAY = "9999-12-31"
MIN_SENTENCE = 5  # words a shared sentence needs to make two quotes variants
MIN_CONTENT = 2  # words longer than 3 letters a quoted part needs to be a variant of a whole
BLOCK_CAP = 64  # statements one blocking key may gather before it is too common to block on


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


def _contained(short: list[str], long: list[str]) -> bool:
    """Whether ``short`` is ``long`` with words left out at either end or elided inside: its
    words in runs of at least two (or one run), each found in ``long`` after the one before,
    none of the words elided between them a negation. Each run is the longest that matches
    there (word by word, a repeated word would break runs where the longer match is)."""
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
        if best == 0 or (runs and NEGATIONS.intersection(long[j:where])):
            return False
        if best < 2 and not (i == 0 and best == len(short)):
            return False
        runs += 1
        i += best
        j = where + best
    return True


def _alike(a: list[str], b: list[str]) -> str:
    """ "same", "reordered", "part" (``a`` is a part of ``b``), "whole" (``b`` of ``a``) or ""."""
    if a == b:
        return "same"
    if len(a) == len(b) and Counter(a) == Counter(b):
        return "reordered"
    if _contained(a, b):
        return "part"
    return "whole" if _contained(b, a) else ""


def variant_of(a: str, b: str) -> bool:
    """Whether two different wordings are reports of one statement: reordered, elided,
    truncated, one a part of the other, or sharing a sentence of at least
    :data:`MIN_SENTENCE` words in those ways."""
    split = {"a": sentences(a), "b": sentences(b)}
    return bool(_variant(words(a), split.__getitem__, "a", words(b), "b"))


def _variant(
    wa: list[str], sentences_of: Callable[[str], list[list[str]]], a: str, wb: list[str], b: str
) -> str:
    """How ``a`` relates to ``b`` (see :func:`_alike`; "sentence": a sentence shared), or ""."""
    if wa == wb:
        return ""  # the same statement, not a variant
    whole = _alike(wa, wb)
    if whole:
        return whole
    if len(wa) < MIN_SENTENCE or len(wb) < MIN_SENTENCE:
        return ""
    sa, sb = sentences_of(a), sentences_of(b)
    shared = any(
        len(x) >= MIN_SENTENCE and len(y) >= MIN_SENTENCE and _alike(x, y) for x in sa for y in sb
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
    first: tuple[str, str, str] = ("\uffff", "", "")  # (sort key, appearance IRI, text)
    appearances: int = 0
    graphs: int = 0  # the records' graphs it is in (each says what it is again)


@dataclass
class IdentityIndex:
    """Every appearance of the release, folded into one entry per claim and event node."""

    nodes: dict[str, _Node] = field(default_factory=dict)

    def add(self, rows: Iterable[Row]) -> None:
        """The appearances of one record."""
        nodes = self.nodes
        here: set[str] = set()
        for what, node, appearance, block, print_, order, text in rows:
            entry = nodes.get(node)
            if entry is None:
                entry = nodes[node] = _Node(what, block, print_)
            entry.appearances += 1
            if node not in here:
                here.add(node)
                entry.graphs += 1
            candidate = (f"{order}\x1f{appearance}", appearance, text)
            if candidate < entry.first:
                entry.first = candidate

    def counts(self) -> dict[str, int]:
        claims = sum(1 for n in self.nodes.values() if n.what == "claim")
        return {"claims": claims, "events": len(self.nodes) - claims}

    def repeated(self) -> tuple[int, Counter[str]]:
        """How often the dumps' per-graph counts count a claim or event again: as a subject
        (in each record's graph after the first, and in the identity graph), and by class."""
        subjects = 0
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

        postings: dict[str, list[str]] = defaultdict(list)
        for iri in members:
            for key in _blocking_keys(whole[iri]):
                postings[key].append(iri)
        seen: set[tuple[str, str]] = set()
        linked: set[tuple[str, str]] = set()
        part_of: dict[str, list[str]] = defaultdict(list)
        for posting in postings.values():
            if len(posting) < 2 or len(posting) > BLOCK_CAP:
                continue
            for i, a in enumerate(posting):
                for b in posting[i + 1 :]:
                    pair = (a, b) if a < b else (b, a)
                    if pair in seen:
                        continue
                    seen.add(pair)
                    how = _variant(whole[a], sentences_of, a, whole[b], b)
                    if how == "part":
                        part_of[a].append(b)
                    elif how == "whole":
                        part_of[b].append(a)
                    elif how:
                        linked.add(pair)
        neighbours: dict[str, set[str]] = defaultdict(set)
        for a, b in linked:
            neighbours[a].add(b)
            neighbours[b].add(a)

        def support(iri: str) -> int:  # its reports, and its close variants'
            return self.nodes[iri].appearances + sum(
                self.nodes[n].appearances for n in neighbours[iri]
            )

        def apart(x: str, y: str) -> bool:
            pair = (x, y) if x < y else (y, x)
            return (
                pair not in linked and x not in part_of.get(y, ()) and y not in part_of.get(x, ())
            )

        for part, found in part_of.items():
            wholes = sorted(found)
            if any(apart(x, y) for i, x in enumerate(wholes) for y in wholes[i + 1 :]):
                # the part of two statements that differ: the one reported clearly more often,
                # with its variants, when there is one; else neither
                scores = {w: support(w) for w in wholes}
                best = max(scores.values())
                wholes = [w for w in wholes if scores[w] == best]
                if any(apart(x, y) for i, x in enumerate(wholes) for y in wholes[i + 1 :]):
                    continue
                if any(
                    o != w and apart(w, o) and scores[o] * 2 > best for w in wholes for o in found
                ):
                    continue
            linked.update((part, w) if part < w else (w, part) for w in wholes)
        yield from linked

    def triples(self) -> list[Triple]:
        """The identity graph (see :meth:`chunks`), all at once."""
        return [t for chunk in self.chunks() for t in chunk]

    def chunks(self, nodes: int = 4096) -> Iterator[list[Triple]]:
        """The identity graph, a few thousand nodes at a time in IRI order (all of a node's
        triples in one chunk), so that rendering it never holds all of it: each node's first
        appearance and the text (claims) or description (events) that report gives, and its
        variants."""
        variants: dict[str, list[str]] = defaultdict(list)
        for a, b in self.variant_pairs():
            variants[a].append(b)
            variants[b].append(a)
        order = sorted(self.nodes)
        for start in range(0, len(order), nodes):
            out: list[Triple] = []
            for iri in order[start : start + nodes]:
                node = self.nodes[iri]
                subject = URIRef(iri)
                _, appearance, text = node.first
                out.append((subject, SDO.firstAppearance, URIRef(appearance)))
                if text:
                    predicate = NLD.claimText if node.what == "claim" else SDO.description
                    out.append((subject, predicate, Literal(text)))
                out.extend((subject, NLD.variantOf, URIRef(other)) for other in variants[iri])
            yield out


def sort_key(said: str | None, published: str | None) -> str:
    """How appearances order: the date the article gives, then its publication date."""
    return f"{said or UNKNOWN_DAY}\x1f{published or UNKNOWN_DAY}"
