"""The pages of the site, rendered with Jinja2 and written incrementally.

:func:`generate` reads a release (:mod:`newsld.site.index`), makes what each claim and event
shows, and what a link to each article shows, once, ahead (kept in the index: a claim is shown
on its article's page, its speaker's, its relaying outlet's), renders the home page, one page per
article, entity (speaker, outlet, place, …), unnamed source and event, the lists, the search page
and the vocabulary page, and writes them with :class:`Writer`: a page whose bytes are those
written last time (its SHA-256 is in ``.newsld-site.json``) is not rewritten, and pages of things
gone from the release are removed. With the index kept from the last run (``cache``), only the
pages of things that read an IRI whose rows changed are made; the others are kept as they are.
Same release, same bytes: nothing in a page depends on the clock, the machine or the order of a
dictionary, nor on which pages a run made again.

Every page embeds a JSON-LD document made only of release triples (:mod:`newsld.site.jsonld`),
has a strict Content-Security-Policy (no inline script or style, nothing from another origin)
and links only relatively, so the folder works from ``file://`` and from any static host.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import multiprocessing
import os
import signal
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from newsld.rdf.namespaces import DCTERMS, NLD, OWL, PROV, RDF, RDFS, SDO, VOID
from newsld.release.reader import DESCRIPTION, Release, ReleaseError, open_release
from newsld.site import jsonld, search
from newsld.site.index import SiteIndex, pack, unpack
from newsld.site.paths import anchor, link, page_path, relative, root
from newsld.site.vocabulary import Vocabulary
from newsld.site.vocabulary import read as read_vocabulary

MANIFEST = ".newsld-site.json"
STATIC = ("site.css", "search.js")
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'none'; form-action 'self'; base-uri 'none'"
)
LIST_SIZE = 500  # entries per page of a list (articles, speakers, …)
PAGE_ITEMS = 100  # claims, events or articles a section of an entity's page shows
SECTIONS = {  # the sections of an entity's page, as its continued pages' titles name them
    "said": "what they said",
    "published": "articles published",
    "relayed": "claims reported through it",
    "took-part": "events taken part in",
    "received": "events addressed to it",
    "here": "events here",
}
LATEST = 12  # claims on the home page
VIEWS = 50_000  # views of events, articles and links a process keeps for other pages


@dataclass
class SiteResult:
    out: Path
    pages: int = 0  # HTML pages
    files: int = 0  # every file of the site (pages, search index, css, js)
    bytes: int = 0
    written: int = 0
    unchanged: int = 0
    removed: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)
    incremental: bool = False  # only what changed in the release was read and rendered

    def add(self, other: SiteResult) -> None:
        """Count what another writer of the same site did too."""
        self.pages += other.pages
        self.files += other.files
        self.bytes += other.bytes
        self.written += other.written
        self.unchanged += other.unchanged


def _generator() -> str:
    """A digest of this package's code, templates and static files: a page's inputs recorded
    by other code say nothing of the page it would make."""
    digest = hashlib.sha256()
    files = resources.files("newsld.site")
    for folder in (files, files / "templates", files / "static"):
        for item in sorted(folder.iterdir(), key=lambda found: found.name):
            if item.is_file() and not item.name.endswith(".pyc"):
                digest.update(item.name.encode() + b"\0" + item.read_bytes())
    return digest.hexdigest()


GENERATOR = _generator()


@dataclass
class Manifest:
    """What the last run wrote (``.newsld-site.json``): each file's SHA-256 and, for a page,
    the digest of what it was made from, and the release the whole site was made from (these
    two only when made by this very code)."""

    files: dict[str, str] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    release: str | None = None

    @classmethod
    def read(cls, out: Path) -> Manifest:
        try:
            loaded = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(loaded, dict):
            return cls()
        files = {str(k): str(v) for k, v in dict(loaded.get("files", {})).items()}
        same_code = loaded.get("generator") == GENERATOR
        inputs = loaded.get("inputs", {}) if same_code else {}
        release = loaded.get("release") if same_code else None
        return cls(
            files,
            {str(k): str(v) for k, v in dict(inputs).items()},
            release if isinstance(release, str) else None,
        )

    def kept(self, out: Path) -> SiteResult | None:
        """The site as the last run left it, when every file it wrote is still there (None
        otherwise): counted as unchanged, nothing read or written."""
        writer = Writer(out, self)
        return writer.result if writer.carry(list(self.files)) else None


class Writer:
    """Writes the files of the site, skipping those whose bytes did not change, and the pages
    whose inputs did not change without even making them."""

    def __init__(
        self, out: Path, previous: Manifest | None = None, dirs: set[Path] | None = None
    ) -> None:
        """``previous``: the last run's files (read from the site's manifest when not given);
        ``dirs``: folders known to exist."""
        self.out = out
        self.previous = Manifest.read(out) if previous is None else previous
        self.current: dict[str, str] = {}
        self.inputs: dict[str, str] = {}
        self.result = SiteResult(out)
        self._dirs: set[Path] = set() if dirs is None else set(dirs)

    def begin(self) -> None:
        """Record that a run is under way: until :meth:`finish`, the manifest names no page's
        inputs, so a run cut short leaves no page taken for the page of its inputs."""
        self._save({"files": self.previous.files})

    def record(self, name: str, digest: str, inputs: str | None = None) -> None:
        """Note a file of the site (written by this writer, or by another for it) and the
        digest of what it was made from."""
        if name in self.current:
            raise ValueError(f"two files of the site at {name}")
        self.current[name] = digest
        if inputs is not None:
            self.inputs[name] = inputs

    def unchanged(self, name: str, inputs: str) -> bool:
        """Whether the page ``name`` of the last run was made from these very ``inputs`` (and
        is still there): then it is kept as it is, and counted."""
        if self.previous.inputs.get(name) != inputs:
            return False
        return self.carry([name])

    def carry(self, names: list[str]) -> bool:
        """Keep files of the last run as they are, when every one is still there (False, and
        nothing kept, otherwise): a thing's pages that nothing changed."""
        sizes = []
        for name in names:
            if name not in self.previous.files:
                return False
            try:
                sizes.append((self.out / name).stat().st_size)
            except OSError:
                return False
        for name, size in zip(names, sizes, strict=True):
            self.record(name, self.previous.files[name], self.previous.inputs.get(name))
            self._count(name, size)
            self.result.unchanged += 1
        return True

    def write(self, name: str, data: bytes, inputs: str | None = None) -> None:
        digest = hashlib.sha256(data).hexdigest()
        self.record(name, digest, inputs)
        self._count(name, len(data))
        target = self.out / name
        if self.previous.files.get(name) == digest and target.is_file():
            with contextlib.suppress(OSError):
                if target.stat().st_size == len(data):
                    self.result.unchanged += 1
                    return
        parent = target.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        os.replace(temporary, target)
        self.result.written += 1

    def _count(self, name: str, size: int) -> None:
        self.result.files += 1
        self.result.bytes += size
        if name.endswith(".html"):
            self.result.pages += 1

    def finish(self, release: str | None = None) -> SiteResult:
        """Remove the last run's files this one did not write and save the manifest; ``release``:
        the key of the release the whole site was made from (:func:`release_key`)."""
        for name in sorted(set(self.previous.files) - set(self.current)):
            path = self.out / name
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
                self.result.removed += 1
            with contextlib.suppress(OSError):  # the folder it leaves empty
                path.parent.rmdir()
        manifest = {"files": self.current, "generator": GENERATOR, "inputs": self.inputs}
        self._save({**manifest, **({"release": release} if release else {})})
        return self.result

    def _save(self, manifest: dict[str, Any]) -> None:
        data = json.dumps(manifest, indent=0, sort_keys=True) + "\n"
        (self.out / MANIFEST).write_text(data, encoding="utf-8")


class _Environment(Environment):
    """Jinja's environment, reading ``view.key`` of a view (a dict) as its item first: what
    the pages show are dicts, and the attribute Jinja tries first fails on every one of them."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def _environment() -> Environment:
    environment = _Environment(
        loader=PackageLoader("newsld.site", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters["ref"] = ref_html
    environment.filters["refs"] = refs_html
    return environment


def ref_html(ref: dict[str, Any]) -> Markup:
    """A link to a page (``{"name": …, "href": …}``), or the name alone when it has none: the
    commonest piece of every page, made in Python (a Jinja macro call costs much more)."""
    if ref["href"]:
        return Markup(f'<a href="{escape(ref["href"])}">{escape(ref["name"])}</a>')
    return escape(ref["name"])


def refs_html(refs: Iterable[dict[str, Any]]) -> Markup:
    """Links (:func:`ref_html`) separated by commas."""
    return Markup(", ").join(map(ref_html, refs))


class _Context:
    """What every page's rendering needs: the index, the labels, the compact keys."""

    def __init__(self, release: Release, index: SiteIndex, vocabulary: Vocabulary) -> None:
        self.release = release
        self.index = index
        self.vocabulary = vocabulary
        self.base = release.minter.base
        self.compact = index.compact
        c = self.compact
        self.k = {
            "name": c(str(SDO.name)),
            "alternateName": c(str(SDO.alternateName)),
            "description": c(str(SDO.description)),
            "headline": c(str(SDO.headline)),
            "alternativeHeadline": c(str(SDO.alternativeHeadline)),
            "datePublished": c(str(SDO.datePublished)),
            "url": c(str(SDO.url)),
            "sameAs": c(str(SDO.sameAs)),
            "publisher": c(str(SDO.publisher)),
            "author": c(str(SDO.author)),
            "mentions": c(str(SDO.mentions)),
            "about": c(str(SDO.about)),
            "claimText": c(str(NLD.claimText)),
            "claimKind": c(str(NLD.claimKind)),
            "stance": c(str(NLD.stance)),
            "date": c(str(NLD.date)),
            "dateNote": c(str(NLD.dateNote)),
            "confidence": c(str(NLD.confidence)),
            "generatedBy": c(str(PROV.wasGeneratedBy)),
            "ratingValue": c(str(SDO.ratingValue)),
            "bestRating": c(str(SDO.bestRating)),
            "reviewRating": c(str(SDO.reviewRating)),
            "claimReviewed": c(str(SDO.claimReviewed)),
        }
        self.extraction = str(release.minter.activity("extraction"))
        self.curation = str(release.minter.activity("curation"))
        self.event_base = {
            c(str(SDO.Event)),
            c(str(NLD.NewsEvent)),
        }
        # the views made so far, by kind of view, IRI and folder of the page: an event, an
        # article or a link is shown on many pages, made once per folder (never changed)
        self._views: dict[tuple[str, str, str], tuple[dict[str, Any], tuple[str, ...]]] = {}

    # ------------------------------------------------------------- small views

    def name(self, iri: str) -> str:
        node = self.index.node(iri)
        found = jsonld.first(node, self.k["name"]) or jsonld.first(node, self.k["headline"])
        if found:
            return found
        rest = relative(iri, self.base) or iri
        return rest.rsplit("/", 1)[-1].replace("-", " ")

    def _view(
        self, view: str, iri: str, page: str, make: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        """The view of ``iri`` for ``page``, made by ``make`` or kept from another page of its
        folder (a view depends on its page only through relative links, and a link only through
        the page's folder: a location always names a page); what it was made from is read."""
        key = (view, iri, page.rpartition("/")[0])
        kept = self._views.get(key)
        if kept is not None:
            self.index.read(kept[1])
            return kept[0]
        with self.index.reading() as reads:
            found = make()
        if len(self._views) > VIEWS:
            self._views.clear()
        self._views[key] = (found, tuple(reads))
        return found

    def ref(self, iri: str, page: str) -> dict[str, Any]:
        """A link to the page of ``iri`` (or plain text when it has none)."""
        return self._view("ref", iri, page, lambda: self._ref(iri, page))

    def _ref(self, iri: str, page: str) -> dict[str, Any]:
        where = self.index.location(iri)
        href = link(page, where) if where else None
        return {"name": self.name(iri), "href": href, "iri": iri}

    def brief(self, iri: str, *keys: str) -> jsonld.Node | None:
        node = self.index.node(iri)
        if node is None:
            return None
        return jsonld.brief(node, [self.k[key] for key in keys])

    def label(self, compact_iri: str | None) -> str:
        if not compact_iri:
            return ""
        return self.vocabulary.label(self.compact.expand(compact_iri))

    def origin(self, node: jsonld.Node) -> tuple[str, str | None]:
        activity = jsonld.first(node, self.k["generatedBy"]) or ""
        confidence = jsonld.first(node, self.k["confidence"])
        if activity.startswith(self.extraction):
            return "extracted", confidence
        if activity.startswith(self.curation):
            return "curated", confidence
        return "", confidence

    def reports(self, iri: str) -> list[jsonld.Node]:
        """A claim's or event's node, then its first appearance's, then its other appearances'
        (what one article says of it lives on its appearance in a release with identity)."""
        index = self.index
        first = index.objects(iri, "firstAppearance")
        rest = [a for a in index.objects(iri, "appearance") if a not in first]
        found = [index.node(a) for a in [iri, *first, *rest]]
        return [n for n in found if n is not None] or [{"@id": iri}]

    def reported(self, nodes: list[jsonld.Node], key: str) -> str | None:
        """The first of ``nodes`` (see :meth:`reports`) that has a value of ``key``: its value."""
        for node in nodes:
            found = jsonld.first(node, self.k[key])
            if found is not None:
                return found
        return None

    def claim_data(self, iri: str) -> dict[str, Any]:
        """What any page shows of a claim, whatever the page: its words, stance, kind, date and
        origin, and the IRIs of what it links to (made once a claim, :meth:`claim` makes a
        page's view of it)."""
        index = self.index
        nodes = self.reports(iri)
        stance = self.reported(nodes, "stance")
        origin, confidence = next(
            (found for found in map(self.origin, nodes) if found[0]), ("", None)
        )
        first = index.objects(iri, "firstAppearance")
        outlets_of = [iri, *first, *index.objects(iri, "appearance")]
        appearances = []
        for appearance in index.objects(iri, "appearance"):
            text = jsonld.first(index.node(appearance), self.k["claimText"])
            for article in index.objects(appearance, "source"):
                appearances.append((article, text, appearance in first))
        reviews = []
        for review in index.subjects("itemReviewed", iri):
            review_node = index.node(review) or {}
            rating = index.objects(review, "reviewRating")
            rating_node = index.node(rating[0]) if rating else None
            verdict = jsonld.first(rating_node, self.k["alternateName"]) or jsonld.first(
                rating_node, self.k["ratingValue"]
            )
            best = jsonld.first(rating_node, self.k["bestRating"])
            if verdict and best and jsonld.first(rating_node, self.k["alternateName"]) is None:
                verdict = f"{verdict} / {best}"
            reviews.append(
                {
                    "anchor": anchor(review),
                    "authors": index.objects(review, "author"),
                    "verdict": verdict or "",
                    "url": jsonld.first(review_node, self.k["url"]),
                    "date": jsonld.first(review_node, self.k["datePublished"]),
                }
            )
        variants = sorted(
            set(index.objects(iri, "variantOf")) | set(index.subjects("variantOf", iri))
        )
        return {
            "iri": iri,
            "anchor": anchor(iri),
            "location": index.location(iri),
            "text": self.reported(nodes, "claimText") or "",
            "stance": self.label(stance) or "",
            "stance_key": _local_name(stance or "").lower(),
            "kind": self.label(self.reported(nodes, "claimKind")),
            "date": self.reported(nodes, "date") or "",
            "date_note": self.reported(nodes, "dateNote"),
            "origin": origin,
            "confidence": confidence,
            "speakers": index.objects(iri, "speaker"),
            "articles": index.articles_of(iri),
            "reported_by": list(
                dict.fromkeys(o for n in outlets_of for o in index.objects(n, "reportedBy"))
            ),
            "appearances": appearances,
            "variants": [(v, self.reported(self.reports(v), "claimText")) for v in variants],
            "reviews": reviews,
        }

    def maker(self, kind: str) -> Callable[[str], dict[str, Any]]:
        """What makes the data of a ``kind`` of thing pages show (:meth:`claim_data`, …)."""
        makers = {"claim": self.claim_data, "event": self.event_data, "article": self.article_data}
        return makers[kind]

    def data(self, kind: str, iri: str) -> dict[str, Any]:
        """The data of a claim, an event or an article: kept in the index when made ahead."""
        return self.index.made(kind, iri) or self.maker(kind)(iri)

    def claim(self, iri: str, page: str, *, with_speaker: bool = True) -> dict[str, Any]:
        """What ``page`` shows of a claim: its data (:meth:`claim_data`, kept in the index when
        made ahead) with links from that page."""
        data = self.data("claim", iri)
        appearances = [
            {"article": self.article_ref(article, page), "text": text, "first": first}
            for article, text, first in data["appearances"]
        ]
        appearances.sort(
            key=lambda a: (not a["first"], a["article"]["date"] or "", a["article"]["name"])
        )
        where = data["location"]
        return {
            **data,
            "href": link(page, where) if where else None,
            "speakers": [self.ref(s, page) for s in data["speakers"]] if with_speaker else [],
            "articles": [self.article_ref(a, page) for a in data["articles"]],
            "reported_by": [self.ref(o, page) for o in data["reported_by"]],
            "appearances": appearances,
            "variants": [
                {**found, "name": _short(text, 90)} if text else found
                for found, text in (
                    (self.ref(variant, page), text) for variant, text in data["variants"]
                )
            ],
            "reviews": [
                {**review, "authors": [self.ref(a, page) for a in review["authors"]]}
                for review in data["reviews"]
            ],
        }

    def article_ref(self, iri: str, page: str) -> dict[str, Any]:
        return self._view("article", iri, page, lambda: self._article_ref(iri, page))

    def _article_ref(self, iri: str, page: str) -> dict[str, Any]:
        data = self.data("article", iri)
        where = data["location"]
        return {
            "iri": iri,
            "name": data["name"],
            "href": link(page, where) if where else None,
            "date": data["date"],
            "outlets": [self.ref(o, page) for o in data["outlets"]],
            "url": data["url"],
        }

    def article_brief(self, iri: str) -> jsonld.Node | None:
        """The JSON-LD a page linking to an article embeds of it: headline, date, publisher."""
        brief: jsonld.Node | None = self.data("article", iri)["brief"]
        return brief

    def article_data(self, iri: str) -> dict[str, Any]:
        """What any page linking to an article shows and embeds of it (as :meth:`claim_data`: an
        article is linked from each of its claims wherever they are shown)."""
        node = self.index.node(iri)
        return {
            "iri": iri,
            "location": self.index.location(iri),
            "name": jsonld.first(node, self.k["headline"]) or self.name(iri),
            "date": jsonld.first(node, self.k["datePublished"]),
            "outlets": self.index.objects(iri, "publisher"),
            "url": jsonld.first(node, self.k["url"]),
            "brief": self.brief(iri, "headline", "datePublished", "publisher"),
        }

    def event(self, iri: str, page: str) -> dict[str, Any]:
        """What a page shows of an event."""
        return self._view("event", iri, page, lambda: self._event(iri, page))

    def _event(self, iri: str, page: str) -> dict[str, Any]:
        data = self.data("event", iri)
        where = data["location"]
        return {
            **data,
            "href": link(page, where) if where else None,
            "places": [self.ref(p, page) for p in data["places"]],
            "participants": [self.ref(p, page) for p in data["participants"]],
            "recipients": [self.ref(p, page) for p in data["recipients"]],
            "articles": [self.article_ref(a, page) for a in data["articles"]],
        }

    def event_data(self, iri: str) -> dict[str, Any]:
        """What any page shows of an event, whatever the page (as :meth:`claim_data`)."""
        index = self.index
        nodes = self.reports(iri)
        node = nodes[0]
        types = [t for t in node.get("@type", []) if t not in self.event_base]
        kind = ", ".join(self.label(t) for t in types) or "event"
        date = self.reported(nodes, "date") or ""
        # an event no report describes is named by its type and date (a heading or a link
        # needs words)
        described = self.reported(nodes, "description")
        return {
            "iri": iri,
            "anchor": anchor(iri),
            "location": index.location(iri),
            "type": kind,
            "description": described or f"{kind.capitalize()}{f' on {date}' if date else ''}",
            "date": date,
            "date_note": self.reported(nodes, "dateNote"),
            "places": index.objects(iri, "place"),
            "participants": index.objects(iri, "participant"),
            "recipients": index.objects(iri, "recipient"),
            "articles": index.articles_of(iri),
            "origin": next((found[0] for found in map(self.origin, nodes) if found[0]), ""),
        }

    def claim_nodes(self, claims: Iterable[str]) -> list[str]:
        """The JSON-LD of claims: each whole, with its appearances, reviews and ratings (as
        canonical texts)."""
        index = self.index
        iris: list[str] = []
        for iri in claims:
            iris += [iri, *index.objects(iri, "appearance")]
            for review in index.subjects("itemReviewed", iri):
                iris += [review, *index.objects(review, "reviewRating")]
        return [text for text in map(index.text, iris) if text is not None]

    def whole(self, iri: str) -> str | jsonld.Node:
        """The JSON-LD of a thing a page is about (its canonical text; a bare node when the
        release does not describe it)."""
        return self.index.text(iri) or {"@id": iri}


def _local_name(iri: str) -> str:
    """The last part of an IRI or compact IRI (``nld:Asserts``, ``https://…/vocab#Asserts``:
    ``Asserts``)."""
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1].rsplit(":", 1)[-1]


def _date_key(value: str | None) -> str:
    return value or ""


def part(page: str, section: str | None, number: int) -> str:
    """The page showing the ``number``-th items (from 0) of a ``section`` of the entity whose
    page is ``page``: ``entity/x.html`` itself for the first, else ``entity/x_said-2.html`` (never
    the page of a release IRI: :func:`newsld.site.paths.page_path` gives none to a key with
    ``_``)."""
    if section is None or number == 0:
        return page
    return f"{page.removesuffix('.html')}_{section}-{number + 1}.html"


def _pager(page: str, pages: list[str]) -> list[dict[str, Any]]:
    """Links from ``page`` to each of ``pages`` (none when there is one page)."""
    if len(pages) < 2:
        return []
    return [
        {"href": link(page, other), "number": n + 1, "current": other == page}
        for n, other in enumerate(pages)
    ]


def _timeline(claims: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Claim views in their order, grouped by year (``undated`` for those with no date)."""
    timeline: list[tuple[str, list[dict[str, Any]]]] = []
    for view in claims:
        year = view["date"][:4] if view["date"] else "undated"
        if not timeline or timeline[-1][0] != year:
            timeline.append((year, []))
        timeline[-1][1].append(view)
    return timeline


def _paged(items: list[Any], name: str) -> list[tuple[str, list[Any]]]:
    """``items`` cut into pages ``name.html``, ``name-2.html``, …"""
    chunks = [items[i : i + LIST_SIZE] for i in range(0, len(items), LIST_SIZE)] or [[]]
    names = [name if n == 0 else f"{name}-{n + 1}" for n in range(len(chunks))]
    return [(f"{page}.html", chunk) for page, chunk in zip(names, chunks, strict=True)]


def _dataset_node(release: Release, compact: jsonld.Compactor) -> jsonld.Node | None:
    """The dataset's own node in ``void.ttl`` (title, description, license, …)."""
    path = release.path(DESCRIPTION)
    dataset = str(release.minter.dataset())
    keep = {
        str(RDF.type),
        str(DCTERMS.title),
        str(DCTERMS.description),
        str(DCTERMS.license),
        str(DCTERMS.issued),
        str(OWL.versionInfo),
        str(VOID.triples),
    }
    pairs = []
    try:
        with path.open("rb") as stream:
            for triple in ox.parse(stream, format=ox.RdfFormat.TURTLE):
                if triple.subject.value == dataset and triple.predicate.value in keep:
                    pairs.append((triple.predicate.value, triple.object))
    except (OSError, SyntaxError) as error:
        raise ReleaseError(
            f"{path} is not valid RDF ({error}): rebuild with `newsld build`"
        ) from None
    return jsonld.node(dataset, pairs, compact) if pairs else None


def generate(
    release_dir: Path,
    out: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    jobs: int | None = None,
    cache: Path | None = None,
) -> SiteResult:
    """Write the site of the release in ``release_dir`` into ``out``; return what was done.
    ``jobs``: processes rendering the pages of articles, events and entities (default: one
    per core); the site is the same bytes however many.

    ``cache``: a file to keep the page index in between runs (:func:`cache_file`). When it
    holds the index of the site now in ``out``, only the graphs of the release that changed
    are read, and only the pages that read what changed are rendered; otherwise (and without
    a cache) the whole release is read and every page rendered."""
    started = time.perf_counter()
    jobs = jobs or os.cpu_count() or 1
    release = open_release(release_dir)
    key = release_key(release)
    previous = Manifest.read(out)
    kept = previous.kept(out) if previous.release == key else None
    if kept is not None:  # made from this very release by this very code: nothing to do
        kept.seconds = time.perf_counter() - started
        kept.timings = {"index": 0.0, "pages": kept.seconds}
        return kept
    prefixes = jsonld.prefixes(release.path("vocab/context.jsonld"))
    compact = jsonld.Compactor(prefixes)
    vocabulary = read_vocabulary(release.path("vocab/newsld.ttl"))
    out.mkdir(parents=True, exist_ok=True)
    timings: dict[str, float] = {}
    whole = _site_key(release)
    with tempfile.TemporaryDirectory(prefix="newsld-site-") as scratch:
        index, touched = _kept_index(cache, out, release, compact, whole, jobs)
        fresh = None
        if index is None:
            fresh = Path(scratch) / "index.sqlite"
            if cache is not None:
                cache.parent.mkdir(parents=True, exist_ok=True)
                fresh = cache.with_name(cache.name + ".new")
                fresh.unlink(missing_ok=True)
            index = SiteIndex(fresh, release, compact)
            index.load(jobs)
        try:
            timings["index"] = time.perf_counter() - started
            writer = Writer(out, previous)
            writer.begin()
            pages = _Pages(release, index, vocabulary, prefixes, writer, progress)
            pages.all(jobs, touched)
            result = writer.finish(key)
            index.set_state("site", whole)
            index.set_state("manifest", _manifest_digest(out))
        finally:
            index.close()
        if cache is not None and fresh is not None:
            os.replace(fresh, cache)
    result.seconds = time.perf_counter() - started
    timings["pages"] = result.seconds - timings["index"]
    result.timings = timings
    result.incremental = touched is not None
    return result


def cache_file(cache_dir: Path, out: Path) -> Path:
    """Where the page index of the site in ``out`` is kept between runs, in ``cache_dir``."""
    name = hashlib.sha256(str(out.resolve()).encode("utf-8")).hexdigest()[:16]
    return cache_dir / "site" / f"{name}.sqlite"


def _kept_index(
    cache: Path | None,
    out: Path,
    release: Release,
    compact: jsonld.Compactor,
    whole: str,
    jobs: int,
) -> tuple[SiteIndex | None, set[str] | None]:
    """The index kept in ``cache``, brought up to date with ``release``, and the IRIs whose rows
    changed; (None, None) when there is none to use: none kept, kept for another site, code,
    vocabulary or title, for a run that did not finish, or unreadable."""
    if cache is None or not cache.is_file():
        return None, None
    index = None
    try:
        index = SiteIndex(cache, release, compact)
        if index.state("site") != whole or index.state("manifest") != _manifest_digest(out):
            index.close()
            return None, None
        index.set_state("manifest", None)  # until this run finishes, the index is no site's
        touched = index.update(jobs)
    except sqlite3.Error:
        touched = None
    except BaseException:  # an unreadable release: said by the caller, the index closed here
        if index is not None:
            index.close()
        raise
    if touched is None:
        if index is not None:
            index.close()
        cache.unlink(missing_ok=True)
        return None, None
    return index, touched


def _site_key(release: Release) -> str:
    """What every page is made from besides the graphs: this code, the release's vocabulary,
    context, title, version and base IRI."""
    parts = {
        "generator": GENERATOR,
        "vocabulary": release.sha256("vocab/newsld.ttl"),
        "context": release.sha256("vocab/context.jsonld"),
        "dataset": release.manifest["dataset"],
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def _manifest_digest(out: Path) -> str:
    try:
        return hashlib.sha256((out / MANIFEST).read_bytes()).hexdigest()
    except OSError:
        return ""


def release_key(release: Release) -> str:
    """What the whole site is made from: the release's manifest (every file's SHA-256, the
    dataset's title, version and base IRI)."""
    text = json.dumps(release.manifest, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Pages:
    def __init__(
        self,
        release: Release,
        index: SiteIndex,
        vocabulary: Vocabulary,
        prefixes: dict[str, str],
        writer: Writer,
        progress: Callable[[int, int], None] | None,
    ) -> None:
        self.release = release
        self.index = index
        self.vocabulary = vocabulary
        self.prefixes = prefixes
        self.writer = writer
        self.progress = progress
        self.context = _Context(release, index, vocabulary)
        self.environment = _environment()
        self.templates: dict[str, Any] = {}
        self.title = str(release.manifest["dataset"].get("title") or "newsld release")
        self.things = _Things([], [], [], [], [])
        self.search = search.Builder()
        # what the lists made of their things this task: (kind, IRI, sort key, item, reads)
        self.listed: list[tuple[str, str, str, dict[str, Any], set[str]]] = []

    def render(
        self, template: str, page: str, nodes: Iterable[jsonld.Node | str], **values: Any
    ) -> None:
        """Write ``page`` from ``template``, its JSON-LD ``nodes`` (nodes or their canonical
        texts) and ``values``; not even made when the last run made it from the same ones."""
        document = jsonld.document(nodes, self.prefixes)
        digest = hashlib.sha256(document.encode())
        digest.update(repr((template, page, self.title, self.release.version, values)).encode())
        inputs = digest.hexdigest()
        if self.writer.unchanged(page, inputs):
            return
        found = self.templates.get(template)
        if found is None:
            found = self.templates[template] = self.environment.get_template(template)
        html = found.render(
            page=page,
            root=root(page),
            dataset_title=self.title,
            version=self.release.version,
            csp=CSP,
            jsonld=document,
            **values,
        )
        self.writer.write(page, html.encode("utf-8"), inputs)

    def all(self, jobs: int = 1, touched: set[str] | None = None) -> None:
        """Write every page; with ``touched`` (the IRIs whose rows changed since the run the
        index was kept from), only the pages of things that read one of them, or are new,
        and the pages about the whole release: the others are kept as they are."""
        index = self.index
        articles = list(index.of_kind("article"))
        events = list(index.of_kind("event"))
        entities = list(index.of_kind("entity"))
        speakers = set(index.with_role("speaker"))
        outlets = set(index.with_role("publisher")) | set(index.with_role("reportedBy"))
        for name in STATIC:
            data = resources.files("newsld.site").joinpath("static", name).read_bytes()
            self.writer.write(f"static/{name}", data)
        self.things = _Things(articles, events, entities, sorted(speakers), sorted(outlets))
        paged = [iri for iri in entities if index.location(iri)]
        # a claim, an event or a link to an article is shown on several pages (its article's,
        # its speaker's, …): what it shows is made once, ahead, and kept in the index
        claims = list(index.of_kind("claim"))
        ahead = []
        for kind, iris in (("claim", claims), ("event", events), ("article", articles)):
            redo = iris if touched is None else self._stale(kind, iris, touched)
            ahead += [(kind, redo[start : start + TASK]) for start in range(0, len(redo), TASK)]
        with index.holding():
            for kind, rows in self.in_processes(self.data_rows, ahead, jobs):
                index.keep(kind, rows)
        if touched is not None:  # the lists' items made from a touched IRI are made again
            for name in LISTS:
                self._stale(f"list:{name}", getattr(self.things, name), touched)
        order = [("article", articles), ("event", events), ("entity", paged)]
        render = order if touched is None else self._carry(order, touched)
        tasks = [
            (kind, iris[start : start + TASK])
            for kind, iris in render
            for start in range(0, len(iris), TASK)
        ]
        total, done = sum(len(iris) for _, iris in tasks), 0
        # the pages about the whole release first: the longest tasks, done beside the others
        tasks = [("home", []), *(("list", [name]) for name in LISTS), *tasks]
        with index.holding():
            for result in self.in_processes(
                functools.partial(self.task, speakers=speakers, outlets=outlets), tasks, jobs
            ):
                done += self.merge(result)
                index.keep_things(thing.row() for thing in result.things)
                if self.progress:
                    self.progress(done, total)
        # the search index lists things in the order of a whole run, whichever were rendered
        for kind, _ in order:
            for found in index.kept_search(kind):
                for doc, words in json.loads(found):
                    self.search.add_entry(search.Entry(tuple(doc), tuple(words)))
        for name, data in self.search.files():
            self.writer.write(f"search/{name}", data)

    def _stale(self, kind: str, iris: list[str], touched: set[str]) -> list[str]:
        """The things of ``kind`` (claims, events, the items of a list) whose kept data must be
        made again: new ones, and those made from a touched IRI (whose kept data is dropped, as
        is that of the things gone from the release)."""
        present = set(iris)
        kept = set(self.index.made_iris(kind))
        stale = self.index.made_from(kind, touched) & present
        self.index.forget(kind, (kept - present) | stale)
        return sorted((present - kept) | stale)

    def _carry(
        self, order: list[tuple[str, list[str]]], touched: set[str]
    ) -> list[tuple[str, list[str]]]:
        """Keep the pages of the things that read no touched IRI as the last run wrote them
        (their files, and their search entries in the index); the things whose pages must be
        rendered, by kind."""
        index, writer = self.index, self.writer
        current = {iri: kind for kind, iris in order for iri in iris}
        render = set(current)
        gone = []
        for iri, kind, reads, names in index.kept_things():
            if iri not in current:
                gone.append(iri)
            elif kind != current[iri] or iri in touched or not touched.isdisjoint(unpack(reads)):
                continue
            elif writer.carry(unpack(names)):
                render.discard(iri)
        index.forget_things(gone)
        return [(kind, [iri for iri in iris if iri in render]) for kind, iris in order]

    def in_processes(
        self, function: Callable[[Any], Any], items: list[Any], jobs: int
    ) -> Iterable[Any]:
        """``function`` (a method of these pages, possibly with arguments bound) of each item,
        in order: in forked processes when ``jobs`` > 1."""
        global _FORKED
        if jobs <= 1 or len(items) < 2:
            yield from map(function, items)
            return
        _FORKED = (self, function)
        try:
            context = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(jobs, context, initializer=_forked_start) as pool:
                yield from pool.map(_forked_call, items)
        finally:
            _FORKED = None

    def data_rows(self, task: Task) -> tuple[str, list[tuple[str, str, dict[str, Any], set[str]]]]:
        """The data of claims, events or articles (:meth:`_Context.claim_data`, ``event_data``,
        ``article_data``) as rows the index keeps, with what each was made from."""
        kind, iris = task
        make = self.context.maker(kind)
        rows = []
        for iri in iris:
            with self.index.reading() as reads:
                data = make(iri)
            rows.append((iri, data["date"] or "", data, reads))
        return kind, rows

    def task(self, task: Task, *, speakers: set[str], outlets: set[str]) -> Rendered:
        """Write one task's pages; what they wrote and would add to the search index, and
        what each thing's pages read."""
        writer, search_ = self.writer, self.search
        self.writer = Writer(writer.out, writer.previous, writer._dirs)
        recorder = self.search = _Recorder()
        self.listed = []
        things: list[ThingPages] = []
        try:
            kind, iris = task
            if kind == "home":
                self.home()
                self.vocabulary_page()
            elif kind == "list":
                self.list_pages(iris[0])
            for iri in iris if kind in THINGS else []:
                files, found = len(self.writer.current), len(recorder.entries)
                with self.index.reading() as reads:
                    if kind == "article":
                        self.article(iri)
                    elif kind == "event":
                        self.event(iri)
                    else:
                        self.entity(iri, iri in speakers, iri in outlets)
                names = list(self.writer.current)[files:]
                things.append(ThingPages(iri, kind, reads, names, recorder.entries[found:]))
            done = len(iris) if kind in THINGS else 0
            written = self.writer
            return Rendered(
                done, written.current, written.inputs, written.result, things, self.listed
            )
        finally:
            self.writer, self.search = writer, search_

    def merge(self, rendered: Rendered) -> int:
        """Fold a task's files into the site's; how many things it did."""
        for name, digest in rendered.files.items():
            self.writer.record(name, digest, rendered.inputs.get(name))
        self.writer.result.add(rendered.result)
        for name in LISTS:
            kind = f"list:{name}"
            found = [row[1:] for row in rendered.listed if row[0] == kind]
            if found:
                self.index.keep(kind, found)
        return rendered.done

    # ------------------------------------------------------------------ pages

    def article(self, iri: str) -> None:
        c, index = self.context, self.index
        page = page_path(iri, c.base)
        if page is None:
            return
        node = index.node(iri) or {"@id": iri}
        claims = index.claims_in(iri)
        events = index.events_in(iri)
        claim_views = [c.claim(claim, page) for claim in claims]
        claim_views.sort(key=lambda v: (v["date"], v["iri"]))
        event_views = sorted(
            (c.event(e, page) for e in events), key=lambda v: (v["date"], v["iri"])
        )
        publishers = index.objects(iri, "publisher")
        speakers = sorted({s for claim in claims for s in index.objects(claim, "speaker")})
        nodes: list[jsonld.Node | str] = [c.whole(iri), *c.claim_nodes(claims)]
        nodes += [c.whole(e) for e in events]
        nodes += [b for b in (c.brief(o, "name") for o in publishers + speakers) if b]
        headline = jsonld.first(node, c.k["headline"]) or c.name(iri)
        self.render(
            "article.html",
            page,
            nodes,
            title=headline,
            headline=headline,
            subtitle=jsonld.first(node, c.k["alternativeHeadline"]),
            date=jsonld.first(node, c.k["datePublished"]),
            date_note=jsonld.first(node, c.k["dateNote"]),
            url=jsonld.first(node, c.k["url"]),
            outlets=[c.ref(o, page) for o in publishers],
            authors=[c.ref(a, page) for a in index.objects(iri, "author")],
            claims=claim_views,
            events=event_views,
            mentions=sorted(
                (c.ref(m, page) for m in jsonld.every(node, c.k["mentions"])),
                key=lambda r: r["name"].lower(),
            ),
            about=[c.ref(m, page) for m in jsonld.every(node, c.k["about"])],
        )
        outlet_names = " ".join(c.name(o) for o in publishers)
        self.search.add("article", headline, page, f"{outlet_names} {date_or(node, c)}", headline)
        for view in claim_views:
            if not (index.location(view["iri"]) or "").startswith(page + "#"):
                continue  # indexed once, on the page its IRI resolves to
            who = ", ".join(s["name"] for s in view["speakers"])
            self.search.add(
                "claim",
                f"{who}: “{_short(view['text'])}”",
                f"{page}#{view['anchor']}",
                f"{outlet_names} {view['date']}",
                f"{who} {view['text']}",
            )

    def event(self, iri: str) -> None:
        c, index = self.context, self.index
        page = page_path(iri, c.base)
        if page is None:
            return
        view = c.event(iri, page)
        related = (
            index.objects(iri, "participant")
            + index.objects(iri, "place")
            + index.objects(iri, "recipient")
        )
        nodes: list[jsonld.Node | str] = [c.whole(iri)]
        nodes += [b for b in (c.brief(r, "name") for r in related) if b]
        nodes += [b for b in map(c.article_brief, index.articles_of(iri)) if b]
        title = f"{view['type'].capitalize()}: {_short(view['description'], 80)}"
        self.render("event.html", page, nodes, title=title, event=view)

    def entity(self, iri: str, is_speaker: bool, is_outlet: bool) -> None:
        """The page of an entity; each of its sections (what it said, the articles it published,
        …) shows :data:`PAGE_ITEMS` items, the rest on continued pages beside it (:func:`part`)."""
        c, index = self.context, self.index
        page = page_path(iri, c.base)
        assert page is not None
        node = index.node(iri) or {"@id": iri}
        # the views are made for the entity's page: its continued pages are in its folder
        said = [s for s in index.subjects("speaker", iri) if index.kind(s) == "claim"]
        claims = sorted((c.claim(s, page, with_speaker=False) for s in said), key=_claim_order)
        relayed = [s for s in index.subjects("reportedBy", iri) if index.kind(s) == "claim"]

        def events(role: str) -> list[dict[str, Any]]:
            views = (c.event(e, page) for e in index.subjects(role, iri))
            return sorted(views, key=lambda v: (v["date"], v["iri"]))

        sections: dict[str, list[dict[str, Any]]] = {  # in the order of SECTIONS
            "said": claims,
            "published": sorted(
                (c.article_ref(a, page) for a in index.subjects("publisher", iri)),
                key=lambda a: (_date_key(a["date"]), a["name"]),
                reverse=True,
            ),
            "relayed": sorted((c.claim(s, page) for s in relayed), key=_claim_order),
            "took-part": events("participant"),
            "received": events("recipient"),
            "here": events("place"),
        }
        chunks = {
            section: [items[i : i + PAGE_ITEMS] for i in range(0, len(items), PAGE_ITEMS)]
            for section, items in sections.items()
        }
        name = c.name(iri)
        head = {
            "name": name,
            "types": [c.label(t) or t.rsplit(":", 1)[-1] for t in node.get("@type", [])],
            "counts": {section: len(items) for section, items in sections.items()},
            "outlets_of_claims": sorted(
                {o["name"] for v in claims for a in v["articles"] for o in a["outlets"]}
            ),
            "main_href": link(page, page),
            "description": jsonld.first(node, c.k["description"]),
            "aliases": [a for a in jsonld.every(node, c.k["alternateName"]) if a != name],
            "same_as": jsonld.every(node, c.k["sameAs"]),
            "url": jsonld.first(node, c.k["url"]),
        }
        # the main page: the first items of each section; then each section's continued pages
        shown = [(None, 0, {section: found[0] for section, found in chunks.items() if found})]
        shown += [
            (section, number, {section: chunk})
            for section, found in chunks.items()
            for number, chunk in enumerate(found)
            if number
        ]
        for section, number, items in shown:
            here = part(page, section, number)
            said_here = [v["iri"] for v in items.get("said", [])]
            nodes: list[jsonld.Node | str] = [c.whole(iri), *c.claim_nodes(said_here)]
            article_iris = {a for s in said_here for a in index.articles_of(s)}
            article_iris |= {a["iri"] for a in items.get("published", [])}
            nodes += [b for b in map(c.article_brief, article_iris) if b]
            self.render(
                "entity.html",
                here,
                nodes,
                **head,
                title=name if section is None else f"{name}: {SECTIONS[section]} ({number + 1})",
                part=section,
                timeline=_timeline(items.get("said", [])),
                published=items.get("published", []),
                relayed=items.get("relayed", []),
                took_part=items.get("took-part", []),
                received=items.get("received", []),
                here=items.get("here", []),
                pages_of={
                    found: _pager(here, [part(page, found, n) for n in range(len(chunks[found]))])
                    for found in chunks
                },
                part_of={
                    found: f", page {number + 1} of {len(chunks[found])}"
                    if found == section
                    else ""
                    for found in chunks
                },
            )
        if is_speaker or is_outlet or claims or sections["published"]:
            role = "speaker" if claims else "outlet" if is_outlet else "entity"
            count = len(sections["published"])
            detail = f"{len(claims)} claim(s)" if claims else f"{count} article(s)"
            words = " ".join([name, *jsonld.every(node, c.k["alternateName"])])
            self.search.add(role, name, page, detail, words)

    def list_pages(self, name: str) -> None:
        """The pages of one list: ``articles``, ``speakers``, ``outlets`` or ``events``; what a
        list shows of each thing is kept in the index for the next run (:meth:`_list_item`)."""
        heading = LISTS[name]
        kind = f"list:{name}"
        rows: list[tuple[str, str, dict[str, Any]]] = []
        for iri in getattr(self.things, name):
            item = self.index.made(kind, iri)
            if item is None:
                with self.index.reading() as reads:
                    item = self._list_item(name, iri)
                self.listed.append((kind, iri, item["key"], item, reads))
            rows.append((item["key"], iri, item))
        rows.sort(key=lambda row: row[:2], reverse=name in ("articles", "events"))
        pages = _paged(rows, name)
        for number, (page, chunk) in enumerate(pages):
            self.render(
                "list.html",
                page,
                [item["brief"] for _, _, item in chunk if item["brief"]],
                title=heading if number == 0 else f"{heading} ({number + 1})",
                heading=heading,
                entries=[item["entry"] for _, _, item in chunk],
                pages=_pager(page, [p for p, _ in pages]),
            )

    def _list_item(self, name: str, iri: str) -> dict[str, Any]:
        """What a list shows of one thing: the key it is sorted by, its entry and its JSON-LD
        (the same on every page of the list: they are all in the site's top folder)."""
        c, index = self.context, self.index
        page = f"{name}.html"
        if name == "articles":
            ref = c.article_ref(iri, page)
            outlets_ = ", ".join(o["name"] for o in ref["outlets"])
            key = _date_key(ref["date"])
            entry = {**ref, "detail": f"{ref['date'] or ''} · {outlets_}"}
        elif name == "events":
            view = c.event(iri, page)
            key = _date_key(jsonld.first(index.node(iri), c.k["date"]))
            entry = {
                "name": _short(view["description"], 120),
                "href": view["href"],
                "detail": f"{view['date']} · {view['type']}",
            }
        else:
            role, counted = ("speaker", "claim") if name == "speakers" else ("publisher", "article")
            key = c.name(iri).lower()
            count = len(index.subjects(role, iri))
            entry = {**c.ref(iri, page), "detail": f"{count} {counted}(s)"}
        brief = c.brief(iri, "headline" if name == "articles" else "name")
        return {"key": key, "entry": entry, "brief": brief}

    def home(self) -> None:
        c, index = self.context, self.index
        things = self.things
        articles, events, entities = things.articles, things.events, things.entities
        speakers, outlets = things.speakers, things.outlets
        page = "index.html"
        dataset = _dataset_node(self.release, c.compact)
        claims = list(index.of_kind("claim"))
        latest = [c.claim(iri, page) for iri in index.latest("claim", LATEST)]
        top = sorted(
            ((len(index.subjects("speaker", s)), c.name(s), s) for s in speakers),
            key=lambda t: (-t[0], t[1].lower()),
        )[:15]
        counts = [
            ("articles", len(articles), "articles.html"),
            ("claims", len(claims), None),
            ("speakers", len(speakers), "speakers.html"),
            ("outlets", len(outlets), "outlets.html"),
            ("events", len(events), "events.html"),
            ("entities", len(entities), None),
        ]
        dataset_title = jsonld.first(dataset, c.compact(str(DCTERMS.title))) or self.title
        nodes = [dataset] if dataset else []
        self.render(
            "home.html",
            page,
            nodes,
            title=dataset_title,
            heading=dataset_title,
            description=jsonld.first(dataset, c.compact(str(DCTERMS.description))),
            issued=jsonld.first(dataset, c.compact(str(DCTERMS.issued))),
            license=jsonld.first(dataset, c.compact(str(DCTERMS.license))),
            counts=counts,
            latest=latest,
            speakers=[{**c.ref(s, page), "count": n} for n, _, s in top],
            outlets=[c.ref(o, page) for o in outlets[:15]],
        )
        self.render("search.html", "search.html", [], title="Search")

    def vocabulary_page(self) -> None:
        vocabulary = self.vocabulary
        ontology = _ontology_node(self.release, self.index.compact)
        self.render(
            "vocabulary.html",
            "vocabulary.html",
            [ontology] if ontology else [],
            title=vocabulary.title,
            vocabulary=vocabulary,
            classes=vocabulary.of_kind("class"),
            properties=vocabulary.of_kind("property"),
            individuals=vocabulary.of_kind("individual"),
        )


def _ontology_node(release: Release, compact: jsonld.Compactor) -> jsonld.Node | None:
    """The vocabulary's ontology header, as triples of the release's ``vocab/newsld.ttl``."""
    path = release.path("vocab/newsld.ttl")
    keep = {str(RDF.type), str(RDFS.label), str(RDFS.comment), str(OWL.versionInfo)}
    pairs = []
    subject = None
    ontology = ox.NamedNode(str(OWL.Ontology))
    with contextlib.suppress(OSError, SyntaxError), path.open("rb") as stream:
        for triple in ox.parse(stream, format=ox.RdfFormat.TURTLE):
            if triple.object == ontology and triple.predicate.value == str(RDF.type):
                subject = triple.subject.value
            if triple.predicate.value in keep:
                pairs.append((triple.subject.value, triple.predicate.value, triple.object))
    if subject is None:
        return None
    return jsonld.node(subject, [(p, o) for s, p, o in pairs if s == subject], compact)


def date_or(node: jsonld.Node, context: _Context) -> str:
    return jsonld.first(node, context.k["datePublished"]) or ""


def _claim_order(view: dict[str, Any]) -> tuple[str, str]:
    return (view["date"], view["iri"])


def _short(text: str, length: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


TASK = 200  # pages of one kind a process renders at a time
THINGS = ("article", "event", "entity")  # tasks of the pages of these things
# a task: what it renders ("home": the home, search and vocabulary pages; "list": the pages of a
# list; "article", "event" or "entity": their pages) and the list's name or the things' IRIs
Task = tuple[str, list[str]]
LISTS = {"articles": "Articles", "speakers": "Speakers", "outlets": "Outlets", "events": "Events"}


@dataclass(frozen=True)
class _Things:
    """The things of the release the home page counts and the lists list, sorted."""

    articles: list[str]
    events: list[str]
    entities: list[str]
    speakers: list[str]
    outlets: list[str]


class _Recorder:
    """Stands in for the search index in a task: the entries it would add, in order (their
    words found in the task's process)."""

    def __init__(self) -> None:
        self.entries: list[search.Entry] = []

    def add(self, kind: str, title: str, page: str, detail: str, text: str) -> None:
        self.entries.append(search.entry(kind, title, page, detail, text))


@dataclass
class ThingPages:
    """The pages of one thing (an article, an event, an entity): what they read of the index,
    their files and their search entries (kept in the index for the next run)."""

    iri: str
    kind: str
    read: set[str]
    names: list[str]
    search: list[search.Entry]

    def row(self) -> tuple[str, str, bytes, bytes, str]:
        entries = json.dumps([[e.doc, e.words] for e in self.search], ensure_ascii=False)
        return (self.iri, self.kind, pack(self.read), pack(self.names), entries)


@dataclass
class Rendered:
    """What a task did: how many things, the files it wrote (name → sha256) and what its pages
    were made from (name → digest), their counts, each thing's pages and what its lists made."""

    done: int
    files: dict[str, str]
    inputs: dict[str, str]
    result: SiteResult
    things: list[ThingPages]
    listed: list[tuple[str, str, str, dict[str, Any], set[str]]]


_FORKED: tuple[_Pages, Callable[[Any], Any]] | None = None  # what forked processes call


def _forked_start() -> None:
    """A process of :meth:`_Pages.in_processes`: Ctrl-C is the main process's; the index gets
    a connection of its own (an SQLite connection must not cross a fork)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    assert _FORKED is not None
    _FORKED[0].index.reconnect()


def _forked_call(item: Any) -> Any:
    assert _FORKED is not None
    with _FORKED[0].index.snapshot():
        return _FORKED[1](item)
