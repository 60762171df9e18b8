"""The embedded store: built from the release once, reused until the release changes, kept
outside the release; a missing or half-written release is refused with a clear message."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsld.cli import app
from newsld.endpoints.query import run_local, select_values
from newsld.endpoints.store import (
    STORE_FOLDER,
    StoreError,
    default_store_root,
    ensure_store,
    open_store,
    serving,
)
from newsld.release.build import build
from newsld.release.reader import ReleaseError, open_release

runner = CliRunner()
COUNT = "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a schema:NewsArticle }"


@pytest.fixture
def release(seed_release: Path, tmp_path: Path) -> Path:
    """A private copy of the seed release, free to break."""
    target = tmp_path / "dist"
    shutil.copytree(seed_release, target)
    return target


def articles(release: Path, store: Path | None = None) -> int:
    info = ensure_store(open_release(release), store)
    return int(select_values(run_local(open_store(info), COUNT))[0]["n"])


def test_store_is_built_once_beside_the_release(release: Path) -> None:
    before = sorted(p.relative_to(release) for p in release.rglob("*"))
    first = ensure_store(open_release(release))
    second = ensure_store(open_release(release))
    assert first.built and not second.built
    assert first.path == second.path
    assert first.path.is_relative_to(release.parent / STORE_FOLDER / "dist")
    assert default_store_root(release) == release.parent / STORE_FOLDER / "dist"
    assert sorted(p.relative_to(release) for p in release.rglob("*")) == before


def test_store_holds_every_quad_plus_the_description(release: Path) -> None:
    info = ensure_store(open_release(release))
    store = open_store(info)
    with gzip.open(release / "newsld.nq.gz", "rt", encoding="utf-8") as stream:
        quads = sum(1 for line in stream if line.strip())
    description = run_local(
        store,
        "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRENDS(STR(?g), "
        '"graph/description")) }',
    )
    described = int(select_values(description)[0]["n"])
    assert described > 0
    assert len(store) == quads + described


def test_a_new_release_gets_a_new_store_and_the_old_one_goes(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert build(corpus, out).written
    old = ensure_store(open_release(out))
    assert articles(out) == 5
    victim = next((corpus / "articles").glob("tower-*.yaml"))
    victim.with_suffix(".txt").unlink()
    victim.unlink()
    assert build(corpus, out).written
    new = ensure_store(open_release(out))
    assert new.built and new.path != old.path
    assert articles(out) == 4
    assert not old.path.exists()


def test_store_option_puts_the_store_elsewhere(release: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "cache"
    assert articles(release, elsewhere) == 5
    assert any(elsewhere.iterdir())
    assert not (release.parent / STORE_FOLDER).exists()


def test_store_inside_the_release_is_refused(release: Path) -> None:
    with pytest.raises(StoreError, match="outside the release"):
        ensure_store(open_release(release), release / "store")


def test_two_processes_building_at_once_both_succeed(release: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from newsld.release.reader import open_release; "
        "from newsld.endpoints.store import ensure_store; "
        "print(ensure_store(open_release(Path(sys.argv[1]))).path)"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(release)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    paths = {run.communicate(timeout=120)[0].strip() for run in runs}
    assert [run.returncode for run in runs] == [0, 0]
    assert len(paths) == 1
    assert articles(release) == 5


# ------------------------------------------------------------------- bad releases


def test_missing_release(tmp_path: Path) -> None:
    with pytest.raises(ReleaseError, match=r"no release at .*run `newsld build` first"):
        open_release(tmp_path / "dist")


def test_build_in_progress_is_named(tmp_path: Path) -> None:
    (tmp_path / ".dist.building").mkdir()
    with pytest.raises(ReleaseError, match="running or was interrupted"):
        open_release(tmp_path / "dist")


def test_missing_manifest_means_half_written(release: Path) -> None:
    (release / "manifest.json").unlink()
    with pytest.raises(ReleaseError, match=r"manifest\.json is missing"):
        open_release(release)


def test_truncated_dump_is_half_written(release: Path) -> None:
    dump = release / "newsld.nq.gz"
    dump.write_bytes(dump.read_bytes()[:1000])
    with pytest.raises(ReleaseError, match=r"half-written: newsld.nq.gz is 1000 bytes"):
        open_release(release)


def test_changed_dump_fails_its_checksum(release: Path) -> None:
    dump = release / "newsld.nq.gz"
    data = bytearray(dump.read_bytes())
    data[-20] ^= 0xFF
    dump.write_bytes(bytes(data))
    with pytest.raises(ReleaseError, match="does not match its sha256"):
        ensure_store(open_release(release))


def test_garbled_manifest(release: Path) -> None:
    (release / "manifest.json").write_text(json.dumps({"files": {}}))
    with pytest.raises(ReleaseError, match="unreadable or incomplete"):
        open_release(release)


def test_a_release_is_read_without_its_inputs_and_a_rewritten_manifest_the_same(
    release: Path,
) -> None:
    """The manifest's digest of every input file is left out when a release is opened (24 MB
    at 100k articles, read by no user of the release); everything else is as written, also
    when another tool has rewritten the file in another layout."""
    written = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert len(written.pop("inputs")) > 5
    assert open_release(release).manifest == written
    compact = {**written, "inputs": {"corpus/articles/x.yaml": "0" * 64}}
    (release / "manifest.json").write_text(json.dumps(compact), encoding="utf-8")
    assert open_release(release).manifest == written


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda r: shutil.rmtree(r), "no release at"),
        (lambda r: (r / "void.ttl").unlink(), "half-written: void.ttl is missing"),
        (lambda r: (r / "newsld.nq.gz").write_bytes(b""), "half-written"),
    ],
    ids=["missing", "no-void", "empty-dump"],
)
def test_cli_refuses_a_bad_release_with_exit_2(release: Path, damage, message: str) -> None:  # type: ignore[no-untyped-def]
    damage(release)
    result = runner.invoke(app, ["query", "ASK {}", "--release", str(release)])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_says_when_it_builds_the_store(release: Path) -> None:
    first = runner.invoke(app, ["query", COUNT, "-r", str(release), "-f", "csv"])
    second = runner.invoke(app, ["query", COUNT, "-r", str(release), "-f", "csv"])
    assert first.exit_code == second.exit_code == 0
    assert "built the embedded store" in first.stderr
    assert "built" not in second.stderr
    assert first.stdout == second.stdout == "n\n5\n"


def test_a_served_store_survives_a_rebuild(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert build(corpus, out).written
    old = ensure_store(open_release(out))
    victim = next((corpus / "articles").glob("tower-*.yaml"))
    victim.with_suffix(".txt").unlink()
    victim.unlink()
    with serving(old, os.getpid()):
        assert build(corpus, out).written
        new = ensure_store(open_release(out))
        assert new.path != old.path and old.path.is_dir()  # still in use: kept
    assert build(corpus, out).written  # same content again: the store is reused
    assert not ensure_store(open_release(out)).built


def test_two_processes_at_once_build_the_store_once(release: Path) -> None:
    """Builders take a lock: the second waits for the first, then reuses its store."""
    script = (
        "import sys; from pathlib import Path; from newsld.release.reader import open_release; "
        "from newsld.endpoints.store import ensure_store; "
        "info = ensure_store(open_release(Path(sys.argv[1]))); print(info.built, info.path)"
    )
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(release)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    answers = [run.communicate(timeout=120)[0].split() for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0]
    assert sorted(built for built, _ in answers) == ["False", "False", "True"]
    assert len({path for _, path in answers}) == 1
    assert articles(release) == 5


def test_two_newsld_query_processes_on_a_fresh_release(release: Path) -> None:
    """What a user sees: both answer, one says it built the store, nothing is left half-built."""
    command = [sys.executable, "-m", "newsld", "query", COUNT, "-r", str(release), "-f", "csv"]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert [out.split() for out, _ in outputs] == [["n", "5"], ["n", "5"]]
    assert sum("built the embedded store" in err for _, err in outputs) == 1
    root = default_store_root(release)
    assert [p.name for p in root.iterdir() if p.is_dir()] == [
        p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")
    ]
