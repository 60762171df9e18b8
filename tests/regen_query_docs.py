"""Regenerate the example-query outputs in the docs: ``python -m tests.regen_query_docs``.

The block between ``<!-- queries:start -->`` and ``<!-- queries:end -->`` is never edited by
hand: it is each ``queries/*.rq`` run on the seed release, exactly as ``newsld query FILE
--max-width 30`` prints it, in ``docs/howto/query.md``. ``tests/test_query.py`` fails when the
page drifts from it (the corpus, the mapping or a query changed): run this, review the diff,
commit it.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pyoxigraph as ox

from newsld.endpoints.query import Format, read_query, render, run_local

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "howto" / "query.md"
QUERIES = ROOT / "queries"
START, END = "<!-- queries:start -->\n", "<!-- queries:end -->"
MAX_WIDTH = 30
# the order they are shown in; queries not listed follow, by file name
ORDER = [
    "claims-per-speaker",
    "what-a-person-said",
    "who-said-what-about",
    "claims-via-intermediary",
    "claims-in-several-outlets",
    "meetings-timeline",
    "articles-mentioning-entity",
]
_SENTENCE_END = re.compile(r"(?<!e\.g)(?<!i\.e)[.?](?=\s|$)")


def title(path: Path) -> str:
    """The first sentence of the query's leading comment: what it answers."""
    comment = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        comment.append(line.lstrip("#").strip())
    text = " ".join(comment)
    end = _SENTENCE_END.search(text)
    return text[: end.end()] if end else text


def ordered_queries() -> list[Path]:
    paths = {p.stem: p for p in QUERIES.glob("*.rq")}
    known = [paths.pop(name) for name in ORDER if name in paths]
    return known + [paths[name] for name in sorted(paths)]


def example_outputs(store: ox.Store) -> str:
    """The generated block: for each example, its title, command and output."""
    parts = []
    for path in ordered_queries():
        text, label = read_query(str(path))
        output = render(run_local(store, text, label), Format.table, max_width=MAX_WIDTH)
        command = f"newsld query queries/{path.name} --max-width {MAX_WIDTH}"
        parts.append(f"{title(path)}\n\n```console\n$ {command}\n{output}```\n")
    return "\n".join(parts)


def documented(page: str = "") -> str:
    page = page or PAGE.read_text(encoding="utf-8")
    return page.split(START, 1)[1].split(END, 1)[0]


def main() -> None:
    from newsld.endpoints.store import ensure_store, open_store
    from newsld.release.build import build
    from newsld.release.reader import open_release

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "dist"
        result = build(ROOT / "corpus", out)
        if not result.written:
            raise SystemExit("the seed corpus does not build: fix that first")
        store = open_store(ensure_store(open_release(out)))
        block = example_outputs(store)
        del store
    page = PAGE.read_text(encoding="utf-8")
    head, rest = page.split(START, 1)
    tail = rest.split(END, 1)[1]
    PAGE.write_text(head + START + block + END + tail, encoding="utf-8")


if __name__ == "__main__":
    main()
