"""`newsld site`: the static site of the seed release, its JSON-LD, links, search index and
incremental writes (the browser tests are in test_site_browser.py)."""

from __future__ import annotations

import gzip
import html.parser
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import Dataset, Graph, URIRef

from newsld.site import jsonld, search
from newsld.site.pages import MANIFEST, generate
from newsld.site.paths import anchor, page_path

from .servers import newsld_serve

DANON = "https://example.org/newsld/entity/danny-danon"
BASE = "https://example.org/newsld/"
SCHEMA_APPEARANCE = URIRef("https://schema.org/appearance")
HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def site(seed_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = generate(seed_release, out, jobs=2)
    assert result.pages > 50 and result.written == result.files
    return out


@pytest.fixture(scope="module")
def release_graph(seed_release: Path) -> Graph:
    """Every triple of the release: the N-Quads dump and the dataset description."""
    graph = Graph()
    dataset = Dataset()
    with gzip.open(seed_release / "newsld.nq.gz", "rb") as stream:
        dataset.parse(stream, format="nquads")
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    graph.parse(seed_release / "void.ttl", format="turtle")
    return graph


class _Page(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.sources: list[str] = []  # what the page loads (script src, link href, img src)
        self.meta: list[dict[str, str | None]] = []
        self.tags: set[str] = set()
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.add(tag)
        if attributes.get("id"):
            self.ids.add(str(attributes["id"]))
        if tag == "a" and attributes.get("href"):
            self.links.append(str(attributes["href"]))
        if tag == "script":
            self._script, self._text = attributes, []
            if attributes.get("src"):
                self.sources.append(str(attributes["src"]))
        if tag == "link" and attributes.get("href"):
            self.sources.append(str(attributes["href"]))
        if tag in ("img", "iframe", "audio", "video", "source") and attributes.get("src"):
            self.sources.append(str(attributes["src"]))
        if tag == "meta":
            self.meta.append(attributes)

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def jsonld_of(page: _Page) -> Graph:
    blocks = [text for attrs, text in page.scripts if attrs.get("type") == "application/ld+json"]
    assert len(blocks) == 1
    data = json.loads(blocks[0])
    assert isinstance(data["@context"], dict), "the context is inline, never a remote one"
    graph = Graph()
    graph.parse(data=json.dumps(data), format="json-ld")
    return graph


def test_every_page_embeds_json_ld_made_only_of_release_triples(
    site: Path, release_graph: Graph, seed_release: Path
) -> None:
    vocabulary = Graph().parse(seed_release / "vocab" / "newsld.ttl", format="turtle")
    checked = 0
    for path in pages(site):
        graph = jsonld_of(parse(path))
        reference = vocabulary if path.name == "vocabulary.html" else release_graph
        extra = [t for t in graph if t not in reference]
        assert not extra, f"{path.relative_to(site)}: not in the release: {extra[:3]}"
        checked += len(graph)
    assert checked > 1000


def test_a_node_kept_as_text_embeds_as_the_node_itself_and_merges_by_iri() -> None:
    """Pages embed the index's canonical node texts as they are, beside nodes made on the
    page: one document, the same as from the nodes, a node given twice merged once."""
    prefixes = {"schema": "http://schema.org/"}
    claim = {
        "@id": "https://example.org/claim/1",
        "@type": ["schema:Claim"],
        "schema:text": ["Ça <b>va</b> & “bien”"],
        "schema:dateCreated": [{"@value": "2015-07-20", "@type": "xsd:date"}],
    }
    person = {"@id": "https://example.org/entity/a", "schema:name": ["A"]}
    brief = {"@id": claim["@id"], "@type": ["schema:Claim"], "schema:about": [{"@id": "x:y"}]}
    as_nodes = jsonld.document([person, claim, brief], prefixes)
    as_texts = jsonld.document([jsonld.encode(person), jsonld.encode(claim), brief], prefixes)
    assert as_texts == as_nodes
    assert "<" not in as_texts and "&" not in as_texts, "nothing can close the script element"
    graph = json.loads(as_texts)["@graph"]
    assert [node["@id"] for node in graph] == sorted([claim["@id"], person["@id"]])
    assert graph[0]["schema:about"] == [{"@id": "x:y"}]
    assert graph[0]["schema:text"] == claim["schema:text"]
    with pytest.raises(ValueError, match="not the canonical text"):
        jsonld.document([json.dumps(person, indent=1)], prefixes)


def test_pages_describe_their_subject_with_schema_org_types(site: Path) -> None:
    sdo = "https://schema.org/"
    expected = {
        "entity/danny-danon.html": ["Person", "Claim"],
        "entity/times-of-israel.html": ["Organization", "NewsArticle"],
        "article/toi-2018-06-10-hamas-hezbollah-train-thousands.html": ["NewsArticle", "Claim"],
    }
    for name, types in expected.items():
        graph = jsonld_of(parse(site / name))
        found = {str(o) for o in graph.objects(None, URIRef(RDF_TYPE))}
        for kind in types:
            assert sdo + kind in found, (name, kind)
    events = sorted((site / "event").rglob("*.html"))
    assert events
    graph = jsonld_of(parse(events[0]))
    assert URIRef(sdo + "Event") in set(graph.objects(None, URIRef(RDF_TYPE)))


RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_speaker_page_shows_every_claim_with_outlet_stance_and_origin(site: Path) -> None:
    text = (site / "entity" / "danny-danon.html").read_text(encoding="utf-8")
    assert "<h1>Danny Danon</h1>" in text
    # his eight reports are five statements: three were carried by two outlets each
    assert "What Danny Danon said (5 claims)" in text
    assert text.count("First appearance:") == 5
    for outlet in ("The Times of Israel", "The Jerusalem Post"):
        assert outlet in text
    assert "Israel will do everything to safeguard its citizens." in text
    assert "asserts" in text and "direct quote" in text and "curated" in text
    assert '<li class="year"><h3>2018</h3>' in text


def test_a_long_section_of_an_entity_continues_on_pages_beside_it(
    seed_release: Path, release_graph: Graph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: a speaker's page showed every claim (17 MB for the most quoted speaker of a
    100k-article release). Each section shows a page's worth; every claim is on one page."""
    from newsld.rdf.namespaces import NLD, RDF
    from newsld.site import pages as site_pages

    monkeypatch.setattr(site_pages, "PAGE_ITEMS", 2)
    out = tmp_path / "site"
    generate(seed_release, out, jobs=1)
    names = ["danny-danon.html", "danny-danon_said-2.html", "danny-danon_said-3.html"]
    assert sorted(p.name for p in (out / "entity").glob("danny-danon*")) == names
    said = {}
    for number, name in enumerate(names, start=1):
        page = parse(out / "entity" / name)
        text = (out / "entity" / name).read_text(encoding="utf-8")
        assert "What Danny Danon said (5 claims)" in text
        assert f'<span aria-current="page">{number}</span>' in text
        assert {h for h in page.links if h.startswith("danny-danon")} == set(names) - {name}
        graph = jsonld_of(page)
        claims = set(graph.subjects(RDF.type, NLD.Claim))
        assert len(claims) == (2 if number < 3 else 1) and not claims & set(said)
        said.update(dict.fromkeys(claims, name))
        if number > 1:  # the continued pages show that section only, and lead back
            assert "Back to the page of Danny Danon" in text and "Also named" not in text
    assert set(said) == set(release_graph.subjects(NLD.speaker, URIRef(DANON)))


def test_a_claim_is_styled_by_its_stance_and_every_event_link_has_words(site: Path) -> None:
    """Before: the class was ``stance-//w3id.org/newsld/vocab#asserts`` (no style applied), and
    an event no report describes was an empty heading and a link without text."""
    classes: set[str] = set()
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        classes.update(re.findall(r'class="claim (stance-[^"]*)"', text))
        assert not re.search(r"<a [^>]*></a>|<h1></h1>", text), page
    assert classes == {"stance-asserts", "stance-denies"}
    css = (site / "static" / "site.css").read_text(encoding="utf-8")
    assert all(f".{name} " in css for name in classes)


def test_extracted_claims_show_their_confidence(site: Path) -> None:
    text = (site / "article" / "ain-2023-04-10-hezbollah-hamas-meet-lebanon.html").read_text()
    assert "extracted, confidence 0.98" in text
    assert "https://allisrael.com/hezbollah-and-hamas-heads-meet-in-lebanon" in text


def test_every_claim_iri_resolves_to_an_anchor_and_every_link_to_a_file(
    site: Path, release_graph: Graph
) -> None:
    from newsld.rdf.namespaces import NLD, RDF

    parsed = {path.relative_to(site).as_posix(): parse(path) for path in pages(site)}
    for name, page in parsed.items():
        for href in page.links:
            if href.startswith(("http://", "https://")):
                continue
            assert not href.startswith(("/", "file:")), f"{name}: {href} is not relative"
            target, _, fragment = href.partition("#")
            resolved = (Path(name).parent / target).as_posix() if target else name
            resolved = str(Path(resolved)).replace("\\", "/")
            normal = Path(site / resolved).resolve().relative_to(site.resolve()).as_posix()
            assert normal in parsed, f"{name} links to missing {href}"
            if fragment:
                assert fragment in parsed[normal].ids, f"{name} links to missing #{fragment}"
    for claim in set(release_graph.subjects(RDF.type, NLD.Claim)):
        for article in release_graph.objects(claim, NLD.source):  # on each reporting article
            article_page = page_path(str(article), BASE)
            assert anchor(str(claim)) in parsed[str(article_page)].ids, claim


def test_pages_load_nothing_from_elsewhere_and_run_no_inline_script(site: Path) -> None:
    for path in pages(site):
        page = parse(path)
        csp = [m for m in page.meta if m.get("http-equiv") == "Content-Security-Policy"]
        assert csp and "default-src 'none'" in str(csp[0]["content"])
        assert "script-src 'self'" in str(csp[0]["content"])
        for source in page.sources:
            assert "://" not in source and not source.startswith("//"), (path, source)
        for attrs, _text in page.scripts:
            assert attrs.get("src") or attrs.get("type") == "application/ld+json", path
        for landmark in ("header", "nav", "main", "footer", "h1"):
            assert landmark in page.tags, (path, landmark)
        assert "main" in page.ids, "skip link target"


def test_search_index_finds_danon(site: Path) -> None:
    meta = (site / "search" / "meta.js").read_text()
    assert meta.startswith("NLDSearch.meta(")
    shard = (site / "search" / f"t-{search.shard_name('danon')}.js").read_text()
    postings = json.loads(shard[len("NLDSearch.shard(") : -len(");\n")])[1]
    docs = []
    for chunk in sorted((site / "search").glob("d-*.js")):
        docs += json.loads(chunk.read_text()[len("NLDSearch.docs(") : -len(");\n")])[1]
    hits = [docs[n] for n in postings["danon"]]
    assert ["speaker", "Danny Danon", "entity/danny-danon.html"] in [h[:3] for h in hits]
    assert any(h[0] == "claim" and h[2].startswith("article/") for h in hits)
    assert search.words("Ḥamás’ DANON") == ["hamas", "danon"]


def test_same_release_same_bytes_and_unchanged_pages_are_not_rewritten(
    seed_release: Path, site: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    generate(seed_release, other, jobs=1)  # and the module's site with a process per core
    first = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    second = {p.relative_to(other): p.read_bytes() for p in other.rglob("*") if p.is_file()}
    assert first == second
    again = generate(seed_release, other, jobs=2)
    assert again.written == 0 and again.unchanged == again.files
    page = other / "entity" / "danny-danon.html"
    page.unlink()
    (other / "article" / "gone.html").write_text("old page")
    manifest = json.loads((other / MANIFEST).read_text())
    manifest["files"]["article/gone.html"] = "0" * 64
    (other / MANIFEST).write_text(json.dumps(manifest))
    third = generate(seed_release, other)
    assert (third.written, third.removed) == (1, 1)
    assert page.is_file() and not (other / "article" / "gone.html").exists()


def test_a_changed_release_rewrites_only_the_pages_it_changes(corpus: Path, tmp_path: Path) -> None:
    from newsld.release.build import build

    dist = tmp_path / "dist"
    assert build(corpus, dist).written
    out = tmp_path / "site"
    generate(dist, out)
    record = corpus / "articles" / "tower-2015-07-iran-meets-hamas-hezbollah.yaml"
    record.write_text(record.read_text().replace("\nlanguage: en\n", "\nlanguage: en-GB\n", 1))
    assert build(corpus, dist).written
    result = generate(dist, out)
    assert 0 < result.written < result.files / 4, result


def test_cli_site_and_bad_release(seed_release: Path, tmp_path: Path) -> None:
    release = tmp_path / "dist"
    shutil.copytree(seed_release, release)
    run = [sys.executable, "-m", "newsld", "site", "--release", str(release)]
    done = subprocess.run(
        [*run, "--out", str(tmp_path / "s")], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "pages" in done.stdout and (tmp_path / "s" / "index.html").is_file()
    missing = subprocess.run(
        [sys.executable, "-m", "newsld", "site", "--release", str(tmp_path / "nothing")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert missing.returncode == 2
    assert str(tmp_path / "nothing") in missing.stderr and "Traceback" not in missing.stderr
    (release / "newsld.nq.gz").write_bytes(b"broken")
    broken = subprocess.run([*run, "--out", str(tmp_path / "t")], capture_output=True, text=True)
    assert broken.returncode == 2, broken.stderr
    assert "newsld.nq.gz" in broken.stderr and "Traceback" not in broken.stderr


@pytest.mark.integration
def test_serve_answers_site_and_release_iris_in_three_formats(
    seed_release: Path, tmp_path: Path, release_graph: Graph
) -> None:
    import httpx

    release = tmp_path / "dist"
    shutil.copytree(seed_release, release)
    generate(release, release / "site")
    with newsld_serve("--release", str(release)) as (urls, _):
        base = urls["site"].rstrip("/")
        with httpx.Client(base_url=base, timeout=30, trust_env=False) as client:
            home = client.get("/")
            assert home.status_code == 200 and "text/html" in home.headers["content-type"]
            assert "Latest claims" in home.text
            css = client.get("/static/site.css")
            assert css.headers["content-type"].startswith("text/css")
            assert client.get("/../manifest.json").status_code == 404
            path = "/newsld/entity/danny-danon"
            page = client.get(path, headers={"accept": "text/html"})
            assert page.status_code == 303 and page.headers["location"] == (
                "/entity/danny-danon.html"
            )
            followed = client.get(path, headers={"accept": "text/html"}, follow_redirects=True)
            assert "<h1>Danny Danon</h1>" in followed.text
            turtle = client.get(path, headers={"accept": "text/turtle"})
            assert turtle.headers["content-type"].startswith("text/turtle")
            graph = Graph().parse(data=turtle.text, format="turtle")
            assert (URIRef(DANON), URIRef("https://schema.org/name"), None) in graph
            ld = client.get(path, headers={"accept": "application/ld+json"})
            assert ld.headers["content-type"].startswith("application/ld+json")
            assert len(Graph().parse(data=ld.text, format="json-ld")) == len(graph)
            # Danon's appeal, in the Times of Israel first (and World Israel News): its claim
            # IRI leads to its anchor on the page of the first article reporting it
            toi = "toi-2018-06-10-hamas-hezbollah-train-thousands"
            appearance = URIRef(f"{BASE}appearance/{toi}/claim/toi-danon-appealed")
            (claim,) = release_graph.subjects(SCHEMA_APPEARANCE, appearance)
            located = client.get(urlsplit(str(claim)).path, headers=HTML)
            assert located.headers["location"] == f"/article/{toi}.html#{anchor(str(claim))}"
            assert (
                client.get("/newsld/entity/nobody", headers={"accept": "text/turtle"}).status_code
                == 404
            )
            assert client.get(path, headers={"accept": "image/png"}).status_code == 406


def test_a_page_made_from_the_same_inputs_is_not_made_again(
    seed_release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import jinja2

    from newsld.site import pages as site_pages

    out = tmp_path / "site"
    first = generate(seed_release, out, jobs=2)
    made: list[str] = []
    render = jinja2.Template.render

    def counted(self: jinja2.Template, *args: object, **kwargs: object) -> str:
        made.append(str(kwargs["page"]))
        return render(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", counted)
    again = generate(seed_release, out, jobs=1)
    assert made == [] and again.written == 0 and again.unchanged == again.files == first.files
    assert (again.pages, again.bytes) == (first.pages, first.bytes)
    # a page gone from the folder is made again; other code (or templates) makes every page
    # again, though none is rewritten when its bytes are the same
    (out / "entity" / "danny-danon.html").unlink()
    assert generate(seed_release, out, jobs=1).written == 1
    assert made == ["entity/danny-danon.html"]
    monkeypatch.setattr(site_pages, "GENERATOR", "other code")
    made.clear()
    assert generate(seed_release, out, jobs=1).written == 0
    assert len(made) == first.pages


def test_a_site_made_from_the_same_release_is_kept_without_reading_it(
    seed_release: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsld.site.index import SiteIndex

    out = tmp_path / "site"
    first = generate(seed_release, out, jobs=1)

    def unread(*_: object, **__: object) -> None:
        raise AssertionError("the release was read again")

    monkeypatch.setattr(SiteIndex, "load", unread)
    again = generate(seed_release, out, jobs=1)
    assert again.written == again.removed == 0 and again.unchanged == again.files
    assert (again.files, again.pages, again.bytes) == (first.files, first.pages, first.bytes)
    # another release (here: another version of it) is read, as is one whose site lost a file
    release = tmp_path / "dist"
    shutil.copytree(seed_release, release)
    manifest = json.loads((release / "manifest.json").read_text())
    manifest["dataset"]["version"] = "2.0"
    (release / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(AssertionError, match="read again"):
        generate(release, out, jobs=1)
    (out / "index.html").unlink()
    with pytest.raises(AssertionError, match="read again"):
        generate(seed_release, out, jobs=1)


def test_a_run_cut_short_leaves_no_page_taken_for_made(seed_release: Path, tmp_path: Path) -> None:
    from newsld.site.pages import Manifest, Writer

    out = tmp_path / "site"
    generate(seed_release, out, jobs=1)
    assert Manifest.read(out).inputs
    Writer(out).begin()  # a run begins, and dies before finishing
    manifest = Manifest.read(out)
    assert manifest.files and not manifest.inputs
