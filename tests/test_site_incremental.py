"""`newsld site` with a kept page index: after a change to the corpus, only the graphs that
changed are read and only the pages that read what changed are rendered, and the site is then
the very site a run from scratch makes of the new release, byte for byte."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from newsld.release.build import build
from newsld.site import pages as site_pages
from newsld.site.pages import generate

from .conftest import add_record

TOWER = "articles/tower-2015-07-iran-meets-hamas-hezbollah.yaml"


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _replace(corpus: Path, name: str, old: str, new: str) -> None:
    path = corpus / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _headline(corpus: Path) -> None:
    _replace(corpus, TOWER, 'headline: "Report:', 'headline: "Reported:')


def _claim_date(corpus: Path) -> None:
    _replace(corpus, TOWER, "    date: 2015-07\n", "    date: 2015-06\n")


def _new_article(corpus: Path) -> None:
    add_record(corpus, "article-without-image")


def _review(corpus: Path) -> None:
    add_record(corpus, "review-of-a-claim")


def _removed_article(corpus: Path) -> None:
    for suffix in (".yaml", ".txt"):
        (corpus / "articles" / f"ain-2023-04-10-hezbollah-hamas-meet-lebanon{suffix}").unlink()


def _renamed_outlet(corpus: Path) -> None:
    _replace(corpus, "registry.yaml", "    name: The Tower\n", "    name: The Tower Magazine\n")


EDITS: dict[str, Callable[[Path], None]] = {
    "an article's headline": _headline,
    "a claim's date": _claim_date,
    "a new article": _new_article,
    "a fact-check review": _review,
    "an article removed": _removed_article,
    "an outlet renamed in the registry": _renamed_outlet,
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_a_site_brought_up_to_date_is_the_site_made_from_scratch(
    edit: str, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist, out, cache = tmp_path / "dist", tmp_path / "site", tmp_path / "cache" / "site.sqlite"
    assert build(corpus, dist).written
    first = generate(dist, out, cache=cache, jobs=1)
    assert not first.incremental and cache.is_file()
    EDITS[edit](corpus)
    assert build(corpus, dist).written
    rendered: list[str] = []
    render = site_pages._Pages.render

    def counted(self: site_pages._Pages, template: str, page: str, *args: object, **kw: object):
        rendered.append(page)
        return render(self, template, page, *args, **kw)

    monkeypatch.setattr(site_pages._Pages, "render", counted)
    again = generate(dist, out, cache=cache, jobs=1)
    assert again.incremental
    monkeypatch.undo()
    scratch = generate(dist, tmp_path / "scratch", jobs=1)
    assert _files(out) == _files(tmp_path / "scratch")
    # the pages about the whole release are made again; of the others, only some
    whole = {"index.html", "search.html", "vocabulary.html"}
    things = [page for page in rendered if page not in whole and "/" in page]
    assert 0 < len(things) < (scratch.pages - len(whole)) / 2, (edit, things)


def test_a_kept_index_is_used_only_for_the_site_it_was_kept_with(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist, out, cache = tmp_path / "dist", tmp_path / "site", tmp_path / "site.sqlite"
    build(corpus, dist)
    generate(dist, out, cache=cache, jobs=1)
    _headline(corpus)
    build(corpus, dist)

    def dies(*_: object, **__: object) -> None:
        raise RuntimeError("the run dies")

    monkeypatch.setattr(site_pages._Pages, "all", dies)
    with pytest.raises(RuntimeError):
        generate(dist, out, cache=cache, jobs=1)
    monkeypatch.undo()
    # the index the run that died was bringing up to date belongs to no site
    assert not generate(dist, out, cache=cache, jobs=1).incremental
    assert _files(out) == _files_of_fresh(dist, tmp_path / "fresh")
    # a site written since without the index: its index is another site's
    _claim_date(corpus)
    build(corpus, dist)
    generate(dist, out, jobs=1)
    _new_article(corpus)
    build(corpus, dist)
    assert not generate(dist, out, cache=cache, jobs=1).incremental
    # a new title is on every page: every page is made again
    _replace(corpus, "dataset.yaml", "title: ", "title: New ")
    build(corpus, dist)
    assert not generate(dist, out, cache=cache, jobs=1).incremental
    _review(corpus)
    build(corpus, dist)
    assert generate(dist, out, cache=cache, jobs=1).incremental
    assert _files(out) == _files_of_fresh(dist, tmp_path / "fresh2")


def _files_of_fresh(release: Path, out: Path) -> dict[str, bytes]:
    generate(release, out, jobs=1)
    return _files(out)


def test_cli_keeps_the_index_in_the_cache_dir_unless_told_not_to(
    corpus: Path, tmp_path: Path
) -> None:
    dist, out, cache = tmp_path / "dist", tmp_path / "site", tmp_path / "cache"
    build(corpus, dist)
    site = [sys.executable, "-m", "newsld", "site", "--release", str(dist), "--out", str(out)]

    def run(*options: str) -> str:
        done = subprocess.run([*site, *options], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "only what changed" not in run("--cache-dir", str(cache))
    assert list((cache / "site").glob("*.sqlite"))
    _claim_date(corpus)
    build(corpus, dist)
    assert "only what changed in the release was read" in run("--cache-dir", str(cache))
    _headline(corpus)
    build(corpus, dist)
    assert "only what changed" not in run("--cache-dir", str(cache), "--no-cache")


def test_the_kept_index_holds_no_pickle(seed_release: Path, tmp_path: Path) -> None:
    """A kept index may come from anywhere (a tarball, a shared drive): reading it back must
    never unpickle, which runs code."""
    import json
    import sqlite3

    cache = tmp_path / "site.sqlite"
    generate(seed_release, tmp_path / "site", cache=cache, jobs=1)
    db = sqlite3.connect(cache)
    kept = [data for (data,) in db.execute("SELECT data FROM made")]
    kept += [found for (found,) in db.execute("SELECT search FROM things")]
    db.close()
    assert kept and all(isinstance(text, str) for text in kept)
    assert all(json.loads(text) is not None for text in kept)


def test_what_pages_make_is_held_until_the_processes_reading_the_index_are_done(
    seed_release: Path, tmp_path: Path
) -> None:
    """Pages are rendered in processes that each read the index in one transaction: what the
    main process keeps meanwhile must neither wait for them nor change what they read."""
    import sqlite3

    from newsld.release.reader import open_release
    from newsld.site import jsonld
    from newsld.site.index import SiteIndex

    release = open_release(seed_release)
    prefixes = jsonld.prefixes(release.path("vocab/context.jsonld"))
    path = tmp_path / "index.sqlite"
    index = SiteIndex(path, release, jsonld.Compactor(prefixes))
    index.load()
    reader = sqlite3.connect(path, timeout=0)  # a process rendering pages
    reader.execute("BEGIN")
    assert reader.execute("SELECT COUNT(*) FROM made").fetchone() == (0,)
    with index.holding():
        index.keep("claim", [("https://example.org/c", "2015-07-01", {"text": "…"}, {"x"})])
        index.keep_things([("https://example.org/a", "article", b"", b"", "[]")])
        assert reader.execute("SELECT COUNT(*) FROM made").fetchone() == (0,)
        reader.rollback()
    rows = index.db.execute("SELECT kind, iri, date FROM made").fetchall()
    assert rows == [("claim", "https://example.org/c", "2015-07-01")]
    assert index.made("claim", "https://example.org/c") == {"text": "…"}
    assert [row[0] for row in index.kept_things()] == ["https://example.org/a"]
    assert not path.with_name(path.name + ".held").exists()
    index.close()
