from __future__ import annotations

import gzip
import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session", autouse=True)
def cache_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The build cache's signing key for the whole session (and the builds it runs in
    subprocesses), instead of the one in ~/.config/newsld."""
    from newsld.release.seal import KEY_ENV

    path = tmp_path_factory.mktemp("config") / "cache-key"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(KEY_ENV, str(path))
        yield path


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


@pytest.fixture(scope="session")
def seed_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed corpus built once per test session (read-only: copy it to change it)."""
    from newsld.release.build import build

    out = tmp_path_factory.mktemp("seed") / "dist"
    result = build(CORPUS, out)
    assert result.written, [f.message for f in result.report.errors]
    return out


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """One private Virtuoso for the session (tests/servers.py), killed by PID at the end.

    Skips when Virtuoso is not installed (.ci/run installs it)."""
    from .servers import VIRTUOSO, VIRTUOSO_ISQL, running_virtuoso

    if VIRTUOSO is None or VIRTUOSO_ISQL is None:
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource; .ci/run does)")
    with running_virtuoso(lambda: tmp_path_factory.mktemp("virtuoso")) as instance:
        yield instance


def graph_sizes(release: Path) -> Counter[str]:
    """Triples per graph, counted from the N-Quads dump line by line (independently)."""
    sizes: Counter[str] = Counter()
    with gzip.open(release / "newsld.nq.gz", "rt", encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                sizes[line.rstrip().removesuffix(" .").rsplit(" ", 1)[1].strip("<>")] += 1
    return sizes


def graph_count(release: Path) -> int:
    """The graphs a store gets from the release: its dump's, and the dataset description."""
    return len(graph_sizes(release)) + 1
