"""The per-record work on a Dask cluster: a real local cluster on loopback, same bytes out."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsld.cli import app
from newsld.release.build import BuildOptions, build

from .conftest import add_record

distributed = pytest.importorskip("distributed")

runner = CliRunner()


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    """Two worker processes and a scheduler, all bound to 127.0.0.1, closed afterwards."""
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address=None,
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def test_dask_build_is_byte_identical_to_a_local_build(
    corpus: Path, tmp_path: Path, scheduler: str
) -> None:
    add_record(corpus, "valid-short-record")
    local = build(corpus, tmp_path / "local", BuildOptions(jobs=1))
    assert local.written
    result = runner.invoke(
        app,
        [
            "build",
            "--corpus",
            str(corpus),
            "--out",
            str(tmp_path / "dask"),
            "--executor",
            "dask",
            "--scheduler",
            scheduler,
            "--no-cache",
        ],
    )
    assert result.exit_code == 0, result.output
    assert _files(tmp_path / "dask") == _files(tmp_path / "local")


def test_dask_build_reports_a_broken_record_like_a_local_build(
    corpus: Path, tmp_path: Path, scheduler: str
) -> None:
    add_record(corpus, "claim-without-speaker")
    local = build(corpus, tmp_path / "local", BuildOptions())
    remote = build(corpus, tmp_path / "dask", BuildOptions(scheduler=scheduler))
    assert not remote.written and not local.written
    codes = [(f.code, f.file, f.line) for f in remote.report.findings]
    assert codes == [(f.code, f.file, f.line) for f in local.report.findings]
    assert "claim/missing-speaker" in {code for code, _, _ in codes}
    assert not (tmp_path / "dask").exists()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_scheduler_is_a_usage_error_not_a_traceback(
    corpus: Path, tmp_path: Path
) -> None:
    address = f"tcp://127.0.0.1:{_closed_port()}"
    build_options = ["--corpus", str(corpus), "--out", str(tmp_path / "dist"), "--no-cache"]
    dask_options = ["--executor", "dask", "--scheduler", address]
    result = runner.invoke(app, ["build", *build_options, *dask_options])
    assert result.exit_code == 2, result.output
    assert "cannot reach the Dask scheduler" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "dist").exists()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--executor", "dask"], "--executor dask needs --scheduler"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler goes with --executor dask"),
    ],
)
def test_executor_and_scheduler_go_together(
    corpus: Path, tmp_path: Path, options: list[str], message: str
) -> None:
    result = runner.invoke(
        app,
        ["build", "--corpus", str(corpus), "--out", str(tmp_path / "d"), "--no-cache", *options],
    )
    assert result.exit_code == 2
    assert message in result.output
