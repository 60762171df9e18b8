"""Regressions from issue 12, rows 2, 3 and 14: what a pull request can commit besides YAML.

A committed link to ``/dev/zero`` or to a file outside the repository, a named pipe, a file
named to forge a CI annotation: ``newsld validate`` reads nothing outside the corpus, reads no
device or pipe, reads no more than the size limit and echoes no name unescaped. Anything that
hung or exhausted memory before the fix runs in a subprocess with a time and memory limit, so
a regression fails instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from newsld.corpus.files import MAX_RECORD_BYTES
from newsld.release.build import check

from ..conftest import add_record

SECRET = "SECRET-7f3a9c-token"  # in a file outside the corpus: must never be shown
FORGED = "x\n::error file=forged::owned.yaml"  # a file name that forges an annotation
FORMATS = ["human", "json", "github", "sarif"]
NOT = "not a regular file"


def _limits() -> None:  # in the child: 3 GB of address space, so a runaway read fails fast
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))


def newsld(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the CLI in a child process, killed after 120 s (a blocking open would hang)."""
    return subprocess.run(
        [sys.executable, "-m", "newsld", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
        preexec_fn=_limits,
    )


def validate_errors(corpus: Path) -> tuple[int, list[dict[str, str | None]]]:
    """Exit code and every error, from ``validate --format json`` in a child process."""
    completed = newsld("validate", "--corpus", "corpus", "--format", "json", cwd=corpus.parent)
    assert completed.returncode in (0, 1), completed.stderr
    findings = json.loads(completed.stdout)["findings"]
    return completed.returncode, [f for f in findings if f["severity"] == "error"]


def validate_json(corpus: Path) -> tuple[int, list[tuple[str | None, str | None, str | None]]]:
    """Exit code and (code, file, field) of every error, from ``validate --format json``."""
    code, errors = validate_errors(corpus)
    return code, [(f["code"], f["file"], f["field"]) for f in errors]


# ---------------------------------------------------------------- row 2: devices and pipes


@pytest.mark.parametrize("name", ["articles/zero.yaml", "dataset.yaml", "registry.yaml"])
def test_a_link_to_dev_zero_is_refused_unread(corpus: Path, name: str) -> None:
    """Before: the size check saw 0 bytes, the read never ended: MemoryError, exit 3."""
    target = corpus / name
    target.unlink(missing_ok=True)
    target.symlink_to("/dev/zero")
    code, errors = validate_json(corpus)
    assert (code, errors) == (1, [("file/outside-corpus", f"corpus/{name}", None)])


def test_a_named_pipe_as_a_record_is_not_a_regular_file(corpus: Path) -> None:
    """Before: opening the pipe blocked for ever, in validate and in the build's index."""
    os.mkfifo(corpus / "articles" / "pipe.yaml")
    code, errors = validate_json(corpus)
    assert (code, errors) == (1, [("file/not-regular", "corpus/articles/pipe.yaml", None)])
    out = corpus.parent / "dist"
    completed = newsld("build", "--corpus", "corpus", "--out", str(out), cwd=corpus.parent)
    assert completed.returncode == 1, completed.stderr
    assert "file/not-regular: 'pipe.yaml' is a named pipe, " + NOT in completed.stderr


def test_a_named_pipe_as_text_file_is_not_reported_missing(corpus: Path) -> None:
    """Before: ``file/missing`` ("does not exist"), which sent the author looking for a typo."""
    add_record(corpus, "valid-short-record")
    text = corpus / "articles" / "short-article.txt"
    text.unlink()
    os.mkfifo(text)
    code, errors = validate_json(corpus)
    record = "corpus/articles/valid-short-record.yaml"
    assert (code, errors) == (1, [("file/not-regular", record, "text_file")])
    (error,) = check(corpus).errors
    assert error.message == "'short-article.txt' is a named pipe, not a regular file"


def test_a_link_inside_the_corpus_to_a_pipe_or_a_folder_is_not_a_regular_file(
    corpus: Path,
) -> None:
    os.mkfifo(corpus / "pipe")
    (corpus / "articles" / "piped.yaml").symlink_to("../pipe")
    (corpus / "articles" / "folder.yaml").mkdir()
    _, found = validate_errors(corpus)
    errors = [(f["code"], f["file"], f["message"]) for f in found]
    assert errors == [
        ("file/not-regular", "corpus/articles/folder.yaml", "'folder.yaml' is a folder, " + NOT),
        ("file/not-regular", "corpus/articles/piped.yaml", "'piped.yaml' is a named pipe, " + NOT),
    ]


def test_a_link_to_a_regular_file_inside_the_corpus_is_still_read(corpus: Path) -> None:
    """Links that stay inside the corpus are allowed (documented in docs/security.md)."""
    add_record(corpus, "valid-short-record")
    (corpus / "shared").mkdir()
    record = corpus / "articles" / "valid-short-record.yaml"
    record.rename(corpus / "shared" / record.name)
    record.symlink_to(f"../shared/{record.name}")
    text = corpus / "articles" / "short-article.txt"
    text.rename(corpus / "shared" / text.name)
    text.symlink_to(f"../shared/{text.name}")
    report = check(corpus)
    assert report.conforms, [f.message for f in report.errors]
    assert report.stats["articles"] == 6


def test_reads_are_bounded_whatever_stat_says() -> None:
    """/proc files are regular files whose size says 0: the read stops at the limit anyway."""
    from newsld.corpus.files import Refused, quick_read, read_bounded

    status = "/proc/self/status"
    with pytest.raises(Refused) as refused:
        read_bounded(status, 10)
    assert refused.value.code == "file/too-large"
    assert refused.value.params["size"] == "more than 10"
    assert len(read_bounded(status, MAX_RECORD_BYTES)) > 10
    assert quick_read(status, MAX_RECORD_BYTES) is None  # the index leaves it to the above


def test_the_quick_index_read_takes_only_plain_regular_files(tmp_path: Path) -> None:
    from newsld.corpus.files import quick_read

    plain = tmp_path / "plain.yaml"
    plain.write_text("id: plain\n")
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "link.yaml").symlink_to(plain)
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    assert quick_read(str(plain), 100) == b"id: plain\n"
    for name in ["pipe.yaml", "link.yaml", "zero.yaml", "missing.yaml"]:
        assert quick_read(str(tmp_path / name), 100) is None, name
    assert quick_read(str(plain), 5) is None  # over the limit


# ------------------------------------------------------- row 3: nothing from outside is read


def _plant_secrets(corpus: Path) -> None:
    """Links out of the corpus, to a file full of a secret that also looks like data: as the
    first record (with the id of a real one, for the index), a second, and the settings."""
    secret = corpus.parent / "secret.yaml"
    secret.write_text(
        f"id: win-2018-06-10-hezbollah-helps-hamas\ntoken: {SECRET}\n{SECRET}: x\n"
        f"text_file: ../../{SECRET}.txt\nheadline: {SECRET}\n"
    )
    (corpus.parent / f"{SECRET}.txt").write_text(SECRET)
    (corpus / "articles" / "a-secret.yaml").symlink_to(secret)
    (corpus / "articles" / "z-secret.yml").symlink_to(secret)
    (corpus / "registry-link.yaml").symlink_to(secret)  # not a corpus file: never opened


@pytest.mark.parametrize("output", FORMATS)
def test_a_record_linked_outside_the_corpus_is_never_read_or_echoed(
    corpus: Path, output: str
) -> None:
    """Before: the linked file was parsed and its keys came back in annotations."""
    _plant_secrets(corpus)
    completed = newsld("validate", "--corpus", "corpus", "--format", output, cwd=corpus.parent)
    assert completed.returncode == 1, completed.stderr
    assert SECRET not in completed.stdout + completed.stderr
    if output == "json":  # the index did not read the id: no duplicate of a real record
        findings = json.loads(completed.stdout)["findings"]
        errors = [(f["code"], f["file"]) for f in findings if f["severity"] == "error"]
        assert errors == [
            ("file/outside-corpus", "corpus/articles/a-secret.yaml"),
            ("file/outside-corpus", "corpus/articles/z-secret.yml"),
        ]


def test_settings_and_registry_linked_outside_are_never_read(corpus: Path) -> None:
    _plant_secrets(corpus)
    for name in ["dataset.yaml", "registry.yaml"]:
        (corpus / name).unlink()
        (corpus / name).symlink_to(corpus.parent / "secret.yaml")
    for output in FORMATS:
        completed = newsld("validate", "--corpus", "corpus", "-f", output, cwd=corpus.parent)
        assert completed.returncode == 1, completed.stderr
        assert SECRET not in completed.stdout + completed.stderr
    errors = {(f.code, f.file) for f in check(corpus).errors}
    assert {
        ("file/outside-corpus", "corpus/dataset.yaml"),
        ("file/outside-corpus", "corpus/registry.yaml"),
    } <= errors


def test_a_build_never_reads_or_echoes_a_record_linked_outside(corpus: Path) -> None:
    _plant_secrets(corpus)
    out = corpus.parent / "dist"
    completed = newsld("build", "--corpus", "corpus", "--out", str(out), cwd=corpus.parent)
    assert completed.returncode == 1, completed.stderr
    assert SECRET not in completed.stdout + completed.stderr
    assert "record/duplicate-id" not in completed.stderr
    assert completed.stderr.count("file/outside-corpus") == 2
    assert not out.exists()


def test_an_articles_folder_linked_outside_is_not_listed(corpus: Path) -> None:
    outside = corpus.parent / "elsewhere"
    (corpus / "articles").rename(outside)
    (outside / "a.yaml").write_text(f"{SECRET}: 1\n")
    (corpus / "articles").symlink_to(outside)
    errors = [(f.code, f.file) for f in check(corpus).errors]
    assert errors == [("file/outside-corpus", "corpus/articles")]


# ------------------------------------------- row 14: names and values that forge output lines


@pytest.mark.parametrize("output", FORMATS)
def test_a_file_name_cannot_forge_an_annotation_or_a_line(corpus: Path, output: str) -> None:
    """Before: the human report printed the raw name, a newline and a line of its own."""
    (corpus / "articles" / FORGED).write_text("id: forged\n")
    completed = newsld("validate", "--corpus", "corpus", "--format", output, cwd=corpus.parent)
    assert completed.returncode == 1, completed.stderr
    lines = (completed.stdout + completed.stderr).splitlines()
    assert not [line for line in lines if line.startswith("::error file=forged")]
    assert not [line for line in lines if "owned.yaml" in line and "x" not in line]
    if output == "human":
        assert "corpus/articles/x\\n::error file=forged::owned.yaml" in lines
    if output == "github":
        shown = "file=corpus/articles/x%0A%3A%3Aerror file=forged%3A%3Aowned.yaml,"
        assert any(line.startswith(f"::error {shown}") for line in lines)
    if output == "json":
        files = {f["file"] for f in json.loads(completed.stdout)["findings"]}
        assert f"corpus/articles/{FORGED}" in files  # the real name, JSON-escaped
    if output == "sarif":
        (run,) = json.loads(completed.stdout)["runs"]
        places = [r["locations"][0]["physicalLocation"] for r in run["results"]]
        uris = {place["artifactLocation"]["uri"] for place in places}
        assert f"corpus/articles/{FORGED}" in uris


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("headline: Officials meet in Beirut", 'headline: "a\\e[31mred"', "headline"),
        ("headline: Officials meet in Beirut", 'headline: "cut\\0short"', "headline"),
        ("language: en", 'language: en\nsubheadline: "bell\\a"', "subheadline"),
        ("language: en", 'language: en\ndate_published_note: "\\x9b31m"', "date_published_note"),
        ("text: a delegation met in Beirut", 'text: "\\e]8;;http://x\\a"', "claims[1].text"),
        ("{description: a statement", '{description: "a\\x7f"', "claims[1].speaker.description"),
        (
            "  - type: meeting",
            '  - type: meeting\n    description: "\\x1b"',
            "events[0].description",
        ),
        ("authors: [world-israel-news-staff]", 'authors: ["a\\x00b"]', "authors[0]"),
        ("language: en", 'language: en\nnot_available: {image: "\\x1b"}', "not_available.image"),
    ],
)
def test_control_characters_in_text_fields_are_invalid_values(
    corpus: Path, old: str, new: str, field: str
) -> None:
    """Before: YAML escapes put NUL, ESC (ANSI sequences) and C1 controls into the release
    and into every report that quotes the value."""
    record = add_record(corpus, "valid-short-record")
    record.write_text(record.read_text().replace(old, new, 1))
    report = check(corpus)
    invalid = [f for f in report.errors if f.code == "record/invalid-value"]
    assert [(f.file, f.field) for f in invalid] == [(f"corpus/articles/{record.name}", field)]
    assert "control character U+" in invalid[0].message
    assert not report.conforms


def test_tabs_and_line_breaks_in_text_stay_allowed(corpus: Path) -> None:
    record = add_record(corpus, "valid-short-record")
    record.write_text(
        record.read_text() + 'subheadline: "tab\\there\\r\\nand a line\\nbreak, é ✓ 中"\n'
    )
    assert check(corpus).conforms


def test_control_characters_in_the_registry_are_invalid_values(corpus: Path) -> None:
    registry = corpus / "registry.yaml"
    registry.write_text(
        registry.read_text()
        + '  odd-entity:\n    type: Person\n    name: Odd Entity\n    aliases: ["O\\eE"]\n'
    )
    errors = [(f.code, f.file, f.field) for f in check(corpus).errors]
    assert errors == [
        ("record/invalid-value", "corpus/registry.yaml", "entities.odd-entity.aliases[0]")
    ]


def test_a_cached_record_whose_text_became_a_link_to_dev_zero_is_refused(corpus: Path) -> None:
    """The first build caches the record; then its text is replaced by a link to /dev/zero."""
    out, cache = corpus.parent / "dist", corpus.parent / "cache"
    build = ["build", "--corpus", "corpus", "--out", str(out), "--cache-dir", str(cache), "-j1"]
    assert newsld(*build, cwd=corpus.parent).returncode == 0
    text = corpus / "articles" / "win-2018-06-10-hezbollah-helps-hamas.txt"
    text.unlink()
    text.symlink_to("/dev/zero")
    completed = newsld(*build, cwd=corpus.parent)
    assert completed.returncode == 1, completed.stderr
    assert "file/outside-corpus" in completed.stderr
