"""The README is a front page: short, and every link in it leads somewhere in the repository."""

from __future__ import annotations

import re
from pathlib import Path

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
