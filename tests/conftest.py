from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A private copy of the bundled seed corpus, free to break."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def add_record(corpus: Path, name: str) -> Path:
    """Put ``tests/data/NAME.yaml`` (and the short text it points at) into ``corpus``."""
    articles = corpus / "articles"
    shutil.copyfile(DATA / "short-article.txt", articles / "short-article.txt")
    target = articles / f"{name}.yaml"
    shutil.copyfile(DATA / f"{name}.yaml", target)
    return target
