"""Fast paths must agree with the general code they shortcut: YAML loading, term memos and the
rendering of literals and prefixed names."""

from __future__ import annotations

import re
from pathlib import Path
from random import Random
from typing import Any

import pytest
import yaml
from rdflib import Literal, URIRef

from newsld.corpus import yamlsource
from newsld.corpus.files import _plain_text_file
from newsld.corpus.records import RegistryEntity
from newsld.corpus.yamlsource import (
    MAX_DEPTH,
    Path_,
    Position,
    YamlProblem,
    _Loader,
    _walk,
    load_yaml,
)
from newsld.rdf.mapping import entity_triples
from newsld.rdf.namespaces import PREFIXES, RDF, XSD
from newsld.rdf.resources import jsonld_context
from newsld.rdf.terms import _WORD, word_count
from newsld.render.serialize import _Compactor, _turtle_literal, nt_literal


class _PythonLoader(yaml.SafeLoader):
    """The loader without libyaml, as on a machine where PyYAML has no C extension."""


_PythonLoader.add_constructor(
    "tag:yaml.org,2002:timestamp", lambda loader, node: loader.construct_scalar(node)
)

DOCUMENTS = [
    "id: a\nclaims:\n- text: x\n  date: 2020-01-02\n- {kind: direct, also_in: [b, c]}\n",
    "a: 1\nb: 0x1f\nc: 1_000\nd: 1.5\ne: .inf\nf: yes\ng: ~\nh: null\n",
    "i: 2001-12-14t21:59:43.10-05:00\nj: 2020-01-02\n",
    "1: one\n01: octal one\ntrue: yes\n~: nothing\n",
    "- [1, [2, [3, []]]]\n- {}\n- ''\n- '2020'\n- \"quoted\\ttext\"\n",
    "base: &b {x: 1}\nuse: *b\nlist: &l [1, 2]\nagain: *l\n",  # aliases to collections
    "name: &n Ann\nother: *n\n",  # an alias to a scalar
    "a: !!str 12\nb: !!int '7'\nc: !!float '2'\nd: !!bool 'yes'\n",
    "a: !!str {x: 1}\n",  # a tag on the wrong kind of node
    "a: !!map x\n",
    "a: !!int twelve\n",  # a scalar its constructor rejects
    "[a, b]: 1\n",  # a collection as a key
    "a: 1\nb: 2\na: 3\n",  # a duplicate key
    "a: !!python/object:os.system x\n",  # a forbidden tag
    "outer:\n  inner:\n    - a: 1\n      b: [x, {c: d}]\n",
    "just text\n",
    "- 1\n- -2\n- +3\n- 0o17\n- 1e3\n- .nan\n- ''\n",
]


def _general(text: str) -> tuple[Any, dict[Path_, Position]] | tuple[str, str]:
    """What loading did before the fast path: check the whole tree, then construct it."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        positions: dict[Path_, Position] = {}
        try:
            _walk(node, (), positions)
        except YamlProblem as problem:
            return problem.code, problem.message
        try:
            return loader.construct_document(node), positions
        except yaml.YAMLError as error:
            return "yaml/syntax", f"not valid YAML data: {error}"
        except Exception as error:
            return type(error).__name__, str(error)
    finally:
        loader.dispose()


@pytest.mark.parametrize("text", DOCUMENTS)
def test_yaml_fast_path_agrees_with_the_general_path(text: str) -> None:
    expected = _general(text)
    try:
        doc = load_yaml(text)
    except YamlProblem as problem:
        assert (problem.code, problem.message) == expected
        return
    except Exception as error:
        assert (type(error).__name__, str(error)) == expected
        return
    data, positions = expected
    assert repr(doc.data) == repr(data)  # types too: 1 is not True is not "1"
    assert doc.positions == positions


@pytest.mark.parametrize("loader", ["libyaml", "python"])
@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 400, 1001, 3000])
@pytest.mark.parametrize("style", ["flow", "block"])
def test_nesting_deeper_than_the_limit_is_a_finding_whatever_the_parser(
    style: str, depth: int, loader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PyYAML's own limits differ by version and loader (RecursionError in the pure-Python
    composer, none in libyaml before 6.0.4, a ScannerError at 1,000 levels since): a record
    nested too deeply must be the same finding under each of them."""
    if loader == "python":
        monkeypatch.setattr(yamlsource, "_Loader", _PythonLoader)
    if style == "flow":
        text = "a: " + "[" * depth + "]" * depth + "\n"
    else:
        text = "".join("  " * level + f"k{level}:\n" for level in range(depth + 1))
    with pytest.raises(YamlProblem) as raised:
        load_yaml(text)
    assert raised.value.code == "yaml/too-deep"


def test_nesting_up_to_the_limit_loads() -> None:
    depth = MAX_DEPTH - 1  # the value of "a" sits one level down
    doc = load_yaml("a: " + "[" * depth + "1" + "]" * depth + "\n")
    value = doc.data["a"]
    for _ in range(depth):
        (value,) = value
    assert value == 1


def test_entity_triples_memo_follows_entity_and_iri() -> None:
    ann = RegistryEntity(type="Person", name="Ann", aliases=["A."], wikidata="Q1")
    bob = RegistryEntity(type="City", name="Bob")
    first, second = URIRef("https://example.org/e/ann"), URIRef("https://example.org/e/x")
    for entity, iri in [(ann, first), (ann, first), (ann, second), (bob, first), (bob, first)]:
        triples = entity_triples(iri, entity)
        assert all(t[0] == iri for t in triples)
        assert (iri, RDF.type, URIRef("https://schema.org/" + entity.type)) in triples
        assert len(triples) == (4 if entity is ann else 3)
        triples.append((iri, iri, iri))  # the caller's list is its own
    assert entity_triples(first, ann) == entity_triples(first, ann.model_copy())


LITERALS = [
    Literal("plain"),
    Literal("tagged", lang="en-GB"),
    Literal("typed string", datatype=XSD.string),
    Literal("2020-01-02", datatype=XSD.date),
    Literal(5, datatype=XSD.nonNegativeInteger),
    Literal(True),
    Literal("0.6", datatype=XSD.decimal),
    Literal('quote " backslash \\ newline \n tab \t', datatype=XSD.string),
    Literal("x", datatype=URIRef(PREFIXES["schema"] + "not-a/local-name")),
    Literal("y", datatype=URIRef("https://example.org/unprefixed#type")),
    Literal("z", datatype=URIRef(PREFIXES["schema"] + "Text")),
]


@pytest.mark.parametrize("literal", LITERALS, ids=repr)
def test_turtle_literal_is_the_literal_with_a_prefixed_datatype(literal: Literal) -> None:
    compactor = _Compactor(jsonld_context())
    if literal.datatype is not None and literal.datatype != XSD.string:
        expected = nt_literal(literal, compactor.prefixed(str(literal.datatype)))
    else:
        expected = nt_literal(literal)
    assert _turtle_literal(literal, nt_literal(literal), compactor.prefixed) == expected


def _prefixed_by_scan(iri: str) -> str | None:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(namespace) and re.match(
            r"^[A-Za-z_][A-Za-z0-9_\-]*$", iri[len(namespace) :]
        ):
            return f"{prefix}:{iri[len(namespace) :]}"
    return None


@pytest.mark.parametrize(
    "iri",
    [
        *(namespace + "term" for namespace in PREFIXES.values()),
        *PREFIXES.values(),
        PREFIXES["schema"] + "not/local",
        PREFIXES["xsd"] + "1st",
        "https://example.org/newsld/entity/x",
        "urn:x",
        "",
    ],
)
def test_prefixed_names_agree_with_a_scan_of_every_namespace(iri: str) -> None:
    compactor = _Compactor(jsonld_context())
    assert compactor.prefixed(iri) == _prefixed_by_scan(iri)
    assert compactor.prefixed(iri) == _prefixed_by_scan(iri)  # memoised


@pytest.mark.parametrize("seed", range(4))
def test_word_count_agrees_with_the_word_pattern(seed: int) -> None:
    random = Random(seed)
    alphabet = "ab_1 \t\n'’.,-é—Ⅻ٣\u0301ß中\U0001f600\ud800"
    texts = ["", "'", "a", "'a'", "a'b", "a''b", "a'b'c d", "’x’y", "ab'", "a' b", "_a'_"]
    for _ in range(20_000):
        texts.append("".join(random.choice(alphabet) for _ in range(random.randint(0, 16))))
    for _ in range(2_000):
        texts.append("".join(chr(random.randint(0, 0x2FFFF)) for _ in range(8)))
    for text in texts:
        assert word_count(text) == len(_WORD.findall(text)), text


def test_plain_text_file_lookup_agrees_with_resolving_the_path(tmp_path: Path) -> None:
    real = tmp_path / "real"
    (real / "sub").mkdir(parents=True)
    (tmp_path / "linked").symlink_to(real)
    (tmp_path / "outside.txt").write_text("outside")
    (real / "plain.txt").write_text("text")
    (real / "sub" / "nested.txt").write_text("nested")
    (real / "link.txt").symlink_to(tmp_path / "outside.txt")
    (real / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (real / "folder.txt").mkdir()
    names = ["plain.txt", "sub/nested.txt", "link.txt", "dangling.txt", "folder.txt"]
    names += ["missing.txt", ".", "..", "", "../outside.txt", "x" * 300]
    for folder in (real, tmp_path / "linked"):
        for name in names:
            found = _plain_text_file(folder / "record.yaml", name)
            if name != "plain.txt":  # anything else is left to the general path
                assert found is None
                continue
            resolved = (folder / name).resolve()
            assert found == resolved
