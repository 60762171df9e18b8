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
    """Put ``tests/data/NAME.yaml`` (or NAME with its suffix) and the short text it points at
    into ``corpus``."""
    articles = corpus / "articles"
    shutil.copyfile(DATA / "short-article.txt", articles / "short-article.txt")
    filename = name if "." in name else f"{name}.yaml"
    target = articles / filename
    shutil.copyfile(DATA / filename, target)
    return target
