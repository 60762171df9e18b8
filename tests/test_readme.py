"""The README is a front page: short, every link in it leads somewhere in the repository, and
its example is what the build writes."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph

from newsld.rdf.namespaces import PREFIXES

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_is_at_most_150_lines() -> None:
    assert len(README.splitlines()) <= 150


def test_every_relative_link_in_the_readme_resolves() -> None:
    links = re.findall(r"\]\(([^)\s]+)\)", README)
    local = [link.split("#", 1)[0] for link in links if "://" not in link]
    assert local, "the README links to the docs"
    missing = [link for link in local if link and not (ROOT / link).exists()]
    assert not missing, missing


def test_the_readme_names_no_path_outside_the_repository() -> None:
    assert "../" not in README


@pytest.mark.parametrize("page", ["README.md", "docs/index.md"])
def test_the_claim_the_front_pages_show_is_in_the_seed_release(
    page: str, seed_release: Path
) -> None:
    """The front pages' example is what `newsld build` writes, triple for triple."""
    text = (ROOT / page).read_text(encoding="utf-8")
    (block,) = re.findall(r"```turtle\n(.*?)```", text, flags=re.S)
    prefixes = "".join(f"@prefix {name}: <{iri}> .\n" for name, iri in PREFIXES.items())
    shown = Graph().parse(data=prefixes + block, format="turtle")
    release = Dataset()
    with gzip.open(seed_release / "newsld.nq.gz", "rb") as stream:
        release.parse(stream, format="nquads")
    written = {(s, p, o) for s, p, o, _ in release.quads((None, None, None, None))}
    assert len(shown) > 10
    assert set(shown) - written == set()
