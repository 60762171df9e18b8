"""Regressions from issue 12, rows 6–9: the build cache runs no one else's code, and no kill,
dead worker or Ctrl-C leaves ``dist/`` missing, half-swapped or a build hanging."""

from __future__ import annotations

import os
import pickle
import shutil
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from benchmarks.synth import generate
from typer.testing import CliRunner

from newsld.cli import app
from newsld.release import swap
from newsld.release.build import BuildOptions, build
from newsld.release.reader import open_release
from newsld.release.seal import KEY_ENV

from ..conftest import CORPUS, ROOT

BUILD_TIMEOUT = 180  # seconds: a build that hangs fails the test instead of hanging it


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


# ---- row 6: a planted cache is data we never unpickle ----


class _Payload:
    """A pickle that runs a shell command when loaded (as a planted cache file would)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return os.system, (f"touch '{self.marker}'",)


def _plant(cache: Path, marker: Path) -> int:
    """Overwrite every file of the cache (entries and release state) with the payload."""
    planted = 0
    for path in cache.rglob("*"):
        if path.is_file():
            path.write_bytes(pickle.dumps(_Payload(marker)))
            planted += 1
    return planted


def test_a_planted_cache_runs_no_code_and_is_rebuilt_with_one_warning(
    corpus: Path, tmp_path: Path
) -> None:
    """Before: the next build unpickled the planted files and ran the command."""
    cache, out, marker = tmp_path / "cache", tmp_path / "dist", tmp_path / "pwned"
    assert build(corpus, out, BuildOptions(cache_dir=cache)).written
    plain = _files(out)
    assert _plant(cache, marker) >= 5 + 4  # five record entries, the release state
    again = build(corpus, out, BuildOptions(cache_dir=cache))
    assert not marker.exists()
    assert again.written and _files(out) == plain
    assert "cache_hits" not in again.timings and "reused" not in again.timings
    assert again.timings["cache_rejected"] >= 5
    [warning] = again.warnings
    assert "not signed with this machine's cache key" in warning
    third = build(corpus, out, BuildOptions(cache_dir=cache))  # rewritten, signed: used again
    assert third.warnings == [] and third.timings["cache_hits"] == 5


def test_a_planted_cache_in_parallel_workers_runs_no_code(corpus: Path, tmp_path: Path) -> None:
    cache, marker = tmp_path / "cache", tmp_path / "pwned"
    build(corpus, tmp_path / "dist", BuildOptions(cache_dir=cache, jobs=2))
    _plant(cache, marker)
    result = build(corpus, tmp_path / "other", BuildOptions(cache_dir=cache, jobs=2))
    assert not marker.exists()
    assert result.written and result.timings["cache_rejected"] >= 5  # counted in the workers


def test_the_cli_says_once_that_the_cache_was_not_ours(corpus: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "dist"
    arguments = ["build", "--corpus", str(corpus), "--out", str(out), "--cache-dir", str(cache)]
    assert CliRunner().invoke(app, arguments).exit_code == 0
    _plant(cache, tmp_path / "pwned")
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("newsld: warning:") == 1
    assert "not signed with this machine's cache key" in result.stderr


def test_a_swapped_entry_of_our_own_is_refused(corpus: Path, tmp_path: Path) -> None:
    """Signatures name the entry they sign: one valid entry copied over another is a miss."""
    cache = tmp_path / "cache"
    build(corpus, tmp_path / "dist", BuildOptions(cache_dir=cache))
    shutil.rmtree(cache / "releases")
    entries = sorted(cache.glob("*/*.pickle"))
    payloads = [p.read_bytes() for p in entries]
    for path, payload in zip(entries, payloads[1:] + payloads[:1], strict=True):
        path.write_bytes(payload)
    result = build(corpus, tmp_path / "dist", BuildOptions(cache_dir=cache))
    assert result.written and "cache_hits" not in result.timings
    assert result.timings["cache_rejected"] >= 5


def test_the_key_is_made_private_outside_the_repository(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    build(corpus, tmp_path / "dist", BuildOptions(cache_dir=tmp_path / "cache"))
    key = tmp_path / "config" / "newsld" / "cache-key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert stat.S_IMODE(key.parent.stat().st_mode) == 0o700


def test_a_key_others_can_read_is_refused(corpus: Path, tmp_path: Path) -> None:
    key = Path(os.environ[KEY_ENV])
    build(corpus, tmp_path / "dist", BuildOptions(cache_dir=tmp_path / "cache"))  # makes it
    key.chmod(0o644)
    try:
        result = build(corpus, tmp_path / "dist", BuildOptions(cache_dir=tmp_path / "cache"))
    finally:
        key.chmod(0o600)
    assert result.written and "cache_hits" not in result.timings
    [warning] = result.warnings
    assert "building without the cache" in warning and "not private" in warning


def test_a_cache_folder_inside_the_corpus_is_not_used(corpus: Path, tmp_path: Path) -> None:
    cache = corpus / ".newsld-cache"
    result = build(corpus, tmp_path / "dist", BuildOptions(cache_dir=cache))
    assert result.written and not cache.exists()
    [warning] = result.warnings
    assert "inside the corpus folder" in warning


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_cache_folder_git_tracks_is_not_used(tmp_path: Path) -> None:
    """A cache that came with a checkout (committed by someone) is not opened at all."""
    repository = tmp_path / "repo"
    shutil.copytree(CORPUS, repository / "corpus")
    cache = repository / ".newsld-cache"
    build(repository / "corpus", tmp_path / "dist", BuildOptions(cache_dir=cache))
    git = ["git", "-C", str(repository), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for command in (["init", "-q"], ["add", "-A", "-f"], ["commit", "-q", "-m", "cache"]):
        subprocess.run([*git, *command], check=True, capture_output=True, timeout=60)
    before = _files(cache)
    result = build(repository / "corpus", tmp_path / "dist", BuildOptions(cache_dir=cache))
    assert result.written and "cache_hits" not in result.timings
    [warning] = result.warnings
    assert "git tracks files in it" in warning
    assert _files(cache) == before  # not written to either


def test_gitignore_keeps_the_cache_out_of_commits() -> None:
    assert ".newsld-cache/" in (ROOT / ".gitignore").read_text().splitlines()


# ---- row 7: the swap cannot leave dist/ missing ----


class _Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs, no ``except Exception`` catches it."""


def _kill_at_second_rename(monkeypatch: pytest.MonkeyPatch) -> None:
    """The build dies when it renames its staging folder onto the release."""
    real = os.rename

    def rename(source: object, target: object, *args: object, **kwargs: object) -> None:
        if str(source).endswith(".dist.building"):
            raise _Killed
        real(source, target, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rename", rename)


def _edited(corpus: Path) -> None:
    record = next((corpus / "articles").glob("win-*.yaml"))
    record.write_text(record.read_text().replace("language: en", "language: en-GB"))


def test_a_build_killed_at_the_swap_leaves_a_whole_release(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: dist/ was renamed aside first; a kill before the second rename left none."""
    out = tmp_path / "dist"
    build(corpus, out)
    old = _files(out)
    _edited(corpus)
    _kill_at_second_rename(monkeypatch)
    try:
        build(corpus, out)
        exchanged = True  # one renameat2(RENAME_EXCHANGE): no second rename to be killed at
    except _Killed:  # pragma: no cover (no exchange here: the portable swap, tested below)
        exchanged = False
    open_release(out).verify()  # (after the portable swap: put back by this very call)
    if exchanged:
        assert b'"en-GB"' in _files(out)["newsld.ttl"]
    else:  # pragma: no cover
        assert _files(out) == old


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "which").write_text("a")
    (second / "which").write_text("b")
    with pytest.raises(FileNotFoundError):
        swap.exchange(tmp_path / "missing", first)
    if not swap.exchange(first, second):  # pragma: no cover
        pytest.skip("no renameat2(RENAME_EXCHANGE) on this system or file system")
    assert ((first / "which").read_text(), (second / "which").read_text()) == ("b", "a")


@pytest.mark.parametrize("reader", ["open_release", "query", "build"])
def test_without_exchange_the_next_command_puts_the_release_back(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, reader: str
) -> None:
    out = tmp_path / "dist"
    build(corpus, out)
    old = _files(out)
    _edited(corpus)
    with monkeypatch.context() as patch:
        patch.setattr(swap, "exchange", lambda first, second: False)
        _kill_at_second_rename(patch)
        with pytest.raises(_Killed):
            build(corpus, out)
    assert not out.exists() and swap.backup_path(out).is_dir()  # the window the kill hit
    if reader == "open_release":
        open_release(out).verify()
        assert _files(out) == old
    elif reader == "query":
        query = ["query", "--release", str(out), "--store", str(tmp_path / "store")]
        result = CliRunner().invoke(app, [*query, "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"])
        assert result.exit_code == 0, result.stderr
        assert _files(out) == old
    else:
        assert build(corpus, out).written
        assert b'"en-GB"' in _files(out)["newsld.ttl"]
    assert not swap.backup_path(out).exists()


# ---- rows 8 and 9: a dead worker, Ctrl-C ----


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic corpus that takes a few seconds to build with two workers."""
    return generate(tmp_path_factory.mktemp("big") / "corpus", 400)


@pytest.fixture
def old_release(tmp_path: Path) -> Iterator[tuple[Path, dict[str, bytes]]]:
    """A release in ``dist/`` that a failed or stopped build must leave as it is."""
    out = tmp_path / "dist"
    assert build(CORPUS, out).written
    yield out, _files(out)


def _start_build(corpus: Path, out: Path, jobs: int) -> subprocess.Popen[str]:
    """``newsld build`` in its own process group (a terminal's Ctrl-C goes to the group)."""
    command = [sys.executable, "-m", "newsld", "build", "--corpus", str(corpus)]
    command += ["--out", str(out), "--no-cache", "--jobs", str(jobs)]
    return subprocess.Popen(
        command,
        cwd=out.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _children(pid: int) -> list[int]:
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                children.append(int(entry.name))
    return children


def _workers(process: subprocess.Popen[str], count: int) -> list[int]:
    """The build's worker pids, once ``count`` of them run (and the build is still going)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        children = _children(process.pid)
        if len(children) >= count:
            return children
        time.sleep(0.05)
    raise AssertionError(f"no {count} workers appeared: {process.communicate(timeout=60)}")


def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    try:
        stdout, stderr = process.communicate(timeout=BUILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise AssertionError("the build hung") from None
    return process.returncode, stdout, stderr


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds workers in /proc")
def test_a_killed_worker_fails_the_build_instead_of_hanging_it(
    big_corpus: Path, old_release: tuple[Path, dict[str, bytes]]
) -> None:
    """Before: multiprocessing.Pool waited forever, at 0% CPU, for the dead worker's record."""
    out, before = old_release
    process = _start_build(big_corpus, out, jobs=2)
    workers = _workers(process, 2)
    time.sleep(0.5)  # into the records
    os.kill(workers[0], signal.SIGKILL)  # as the kernel's out-of-memory killer does
    code, _, stderr = _finish(process)
    assert code == 3, stderr
    assert "newsld: build stopped: a worker process died (SIGKILL" in stderr
    assert f"nothing written, {out} left as it was" in stderr
    assert "Traceback" not in stderr
    assert _files(out) == before
    assert not out.with_name(".dist.building").exists()
    assert _children(process.pid) == []


HALF_SENT = """
import os, signal, struct
from pathlib import Path
from concurrent.futures.process import BrokenProcessPool
from newsld.release import workers

def half_sent(path):
    # what a worker killed while sending a large outcome leaves in the shared pipe: a length
    # header and the start of the message
    pool.executor._result_queue._writer._send(struct.pack("!i", 1 << 20) + b"start")
    os.kill(os.getpid(), signal.SIGKILL)

workers._compute_in_worker = half_sent
pool = workers._Workers(2)
try:
    pool.submit(Path("record.yaml")).get()
except BrokenProcessPool:
    print("failed")
finally:
    pool.close(wait=False)
print("closed", all(process.exitcode is not None for process in pool.processes))
"""


def test_a_worker_killed_halfway_through_sending_its_outcome_fails_the_build() -> None:
    """Before: the executor's thread read the half-sent message forever, so the build, which
    waits on it, hung (seen once in CI: outcomes had grown past a pipe's buffer)."""
    found = subprocess.run(
        [sys.executable, "-c", HALF_SENT],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.split() == ["failed", "closed", "True"]


RAISES_TIMEOUT = """
from pathlib import Path
from newsld.release import workers

def times_out(path):
    raise TimeoutError("the record's own")

workers._compute_in_worker = times_out
pool = workers._Workers(2)
try:
    pool.submit(Path("record.yaml")).get()
except TimeoutError as error:
    print(error)
finally:
    pool.close(wait=True)
"""


def test_a_timeout_raised_by_a_record_is_not_taken_for_a_wait() -> None:
    """Waiting for an outcome with ``result(timeout=…)`` would take a record's own
    TimeoutError for the wait's, and wait again for ever."""
    found = subprocess.run(
        [sys.executable, "-c", RAISES_TIMEOUT], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip() == "the record's own"


@pytest.mark.parametrize("jobs", [2, 2, 2, 1])
def test_ctrl_c_stops_the_build_quietly_and_leaves_dist_as_it_was(
    big_corpus: Path, old_release: tuple[Path, dict[str, bytes]], jobs: int
) -> None:
    """Before: exit 130 without a word, workers' tracebacks, sometimes a hang, and
    ``.dist.building`` left behind."""
    out, before = old_release
    process = _start_build(big_corpus, out, jobs)
    if jobs > 1:
        _workers(process, jobs)
    # into the records: the staging folder exists once the command runs (a Ctrl-C while
    # Python itself is still starting is not newsld's to handle; on a busy machine that can
    # take seconds)
    deadline = time.monotonic() + 60
    while not out.with_name(".dist.building").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert process.poll() is None, "the build ended before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: to the build and its workers
    code, _, stderr = _finish(process)
    assert code == 130, stderr
    assert stderr.strip().splitlines()[-1] == f"interrupted: nothing written, {out} left as it was"
    assert "Traceback" not in stderr and "Worker" not in stderr
    assert _files(out) == before
    assert not out.with_name(".dist.building").exists()
