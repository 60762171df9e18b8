"""Property-based fuzzing of record validation.

Mutated records (dropped, duplicated, retyped, truncated fields; injected characters; broken
bytes) must always end in a report — no traceback, no hang — and valid records must survive a
build and a parse of the dumps unchanged. CI runs a modest number of examples; a campaign runs
with ``NEWSLD_FUZZ_EXAMPLES=10000 pytest tests/test_fuzz.py``.
"""

from __future__ import annotations

import copy
import gzip
import os
import shutil
from pathlib import Path

import pytest
import yaml
from benchmarks.fuzz_campaign import parent_of, value_paths
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal

from newsld.findings.report import CATALOGUE
from newsld.rdf.namespaces import NLD, SDO
from newsld.release.build import BuildOptions, build, check

from .conftest import CORPUS, DATA

EXAMPLES = int(os.environ.get("NEWSLD_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # a hang is caught by the per-example timeout below, not by timing
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=EXAMPLES <= 100,  # CI: the same cases every run; campaigns explore
)
VALID = yaml.safe_load((DATA / "valid-short-record.yaml").read_text())
NASTY = [
    '"',
    "'",
    "\n",
    "\r\n",
    "<",
    ">",
    "\\",
    "\x00",
    "\t",
    "{",
    "}",
    "#",
    ": ",
    "- ",
    "&a",
    "*a",
    "!!python/object:os.system",
    "%",
    "\u202e",
    "\u2028",
    "😀",
    "\ufeff",
]


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Registry and settings of the seed corpus, no seed records: fast to validate."""
    root = tmp_path_factory.mktemp("fuzz") / "corpus"
    (root / "articles").mkdir(parents=True)
    for name in ("registry.yaml", "dataset.yaml"):
        shutil.copyfile(CORPUS / name, root / name)
    shutil.copyfile(DATA / "short-article.txt", root / "articles" / "short-article.txt")
    return root


@st.composite
def mutated_records(draw: st.DrawFn) -> bytes:
    data = copy.deepcopy(VALID)
    for _ in range(draw(st.integers(1, 4))):
        paths = value_paths(data)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = parent_of(data, path), path[-1]
        action = draw(st.sampled_from(["drop", "duplicate", "retype", "truncate", "inject"]))
        if action == "drop":
            del parent[key]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
        elif action == "retype":
            parent[key] = draw(
                st.one_of(
                    st.none(),
                    st.booleans(),
                    st.integers(),
                    st.floats(allow_nan=True),
                    st.lists(st.text(max_size=3), max_size=2),
                    st.just({"a": 1}),
                    st.text(max_size=20),
                )
            )
        elif isinstance(parent[key], str):
            text = parent[key]
            cut = draw(st.integers(0, len(text)))
            if action == "truncate":
                parent[key] = text[:cut]
            else:
                parent[key] = text[:cut] + draw(st.sampled_from(NASTY)) + text[cut:]
    raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
    damage = draw(st.sampled_from(["none", "none", "truncate", "inject", "bytes"]))
    if damage == "truncate":
        raw = raw[: draw(st.integers(0, len(raw)))]
    elif damage == "inject":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.sampled_from(NASTY)).encode() + raw[at:]
    elif damage == "bytes":
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(min_size=1, max_size=4)) + raw[at:]
    return raw


@FUZZ
@given(raw=mutated_records())
def test_any_mutated_record_ends_in_a_report(small_corpus: Path, raw: bytes) -> None:
    record = small_corpus / "articles" / "valid-short-record.yaml"
    record.write_bytes(raw)
    report = check(small_corpus, [record])  # must return, never raise
    for item in report.findings:
        assert item.code in CATALOGUE
        assert item.message
        assert item.file


clean_text = st.text(  # control characters but tab and line breaks are invalid values
    st.characters(
        exclude_categories=("Cs", "Cc"),
        exclude_characters="\u2028\u2029",
        include_characters="\t\n\r",
    ),
    min_size=1,
    max_size=40,
)


@settings(
    max_examples=max(10, EXAMPLES // 6),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=EXAMPLES <= 100,
)
@given(headline=clean_text, quote=clean_text, description=clean_text)
def test_valid_record_survives_build_and_parse(
    small_corpus: Path,
    tmp_path_factory: pytest.TempPathFactory,
    headline: str,
    quote: str,
    description: str,
) -> None:
    data = copy.deepcopy(VALID)
    data["headline"] = headline
    data["claims"][0]["text"] = quote
    data["events"][0]["description"] = description
    record = small_corpus / "articles" / "valid-short-record.yaml"
    record.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = tmp_path_factory.mktemp("dist") / "dist"
    result = build(small_corpus, out, BuildOptions())
    assert result.written, [f.message for f in result.report.errors]
    nt = gzip.decompress((out / "newsld.nt.gz").read_bytes()).decode("utf-8")
    for graph in (Graph().parse(data=nt, format="nt"), Graph().parse(out / "newsld.ttl")):
        assert Literal(headline) in set(graph.objects(None, SDO.headline))
        assert Literal(quote) in set(graph.objects(None, NLD.claimText))
        assert Literal(description) in set(graph.objects(None, SDO.description))
