"""The static search index: speakers, outlets, articles and claims found by words, no server.

Written as plain JavaScript files the search page loads with ``<script>`` elements, because
browsers refuse ``fetch()`` of ``file://`` URLs and the site must work from a folder: ``meta.js``
(how many documents, which shards exist), one posting shard per two-letter word prefix
(``t-da.js``: word → document numbers) and the documents in chunks (``d-0.js``: kind, title,
page, detail). A query loads only the shards of its words' prefixes and the chunks of the hits
it shows, so a large release costs a search a few small files.

(Pagefind, the usual tool for this, needs ``fetch()`` and WebAssembly, neither of which a page
opened from ``file://`` under a Content-Security-Policy without ``'wasm-unsafe-eval'`` can use.)
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

CHUNK = 500  # documents per d-N.js file
_WORD = re.compile(r"[^\W_]+")
_PLAIN = re.compile(r"^[a-z0-9]{2}$")


def words(text: str) -> list[str]:
    """Lower-case words without accents, two characters or more (as ``search.js`` splits)."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return [w for w in _WORD.findall(stripped) if len(w) >= 2]


def shard_name(word: str) -> str:
    prefix = word[:2]
    if _PLAIN.match(prefix):
        return prefix
    return "x" + prefix.encode("utf-8").hex()


def _script(call: str, data: object) -> bytes:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"NLDSearch.{call}({text});\n".encode()


@dataclass(frozen=True)
class Entry:
    """One document of the index: what a hit shows (kind, title, page, detail) and the words
    it is found by, sorted (made where its page is rendered, in any process)."""

    doc: tuple[str, str, str, str]
    words: tuple[str, ...]


def entry(kind: str, title: str, page: str, detail: str, text: str) -> Entry:
    """The document of a page (or anchor) found by the words of ``text``."""
    return Entry((kind, title, page, " ".join(detail.split())), tuple(sorted(set(words(text)))))


class Builder:
    """Collects the documents; :meth:`files` gives the index files, names and bytes."""

    def __init__(self) -> None:
        self.docs: list[list[str]] = []
        self.postings: dict[str, dict[str, list[int]]] = defaultdict(dict)

    def add(self, kind: str, title: str, page: str, detail: str, text: str) -> None:
        self.add_entry(entry(kind, title, page, detail, text))

    def add_entry(self, found: Entry) -> None:
        number = len(self.docs)
        self.docs.append(list(found.doc))
        for word in found.words:
            self.postings[shard_name(word)].setdefault(word, []).append(number)

    def files(self) -> list[tuple[str, bytes]]:
        found: list[tuple[str, bytes]] = []
        shards = sorted(self.postings)
        meta = {"chunk": CHUNK, "docs": len(self.docs), "shards": shards}
        found.append(("meta.js", _script("meta", meta)))
        for name in shards:
            found.append((f"t-{name}.js", _script("shard", [name, self.postings[name]])))
        for start in range(0, len(self.docs), CHUNK):
            chunk = self.docs[start : start + CHUNK]
            found.append((f"d-{start // CHUNK}.js", _script("docs", [start // CHUNK, chunk])))
        return found
