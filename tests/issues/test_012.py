"""Regressions from issue 12: hostile records cannot make the gate do unbounded work, nor
slip a name past the registry."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from newsld.corpus.yamlsource import YamlProblem, load_yaml
from newsld.rdf.iris import slug
from newsld.rdf.namespaces import RDF, SDO
from newsld.release.build import BuildOptions, build, check

from ..conftest import add_record


def _laughs(levels: int) -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    return "\n".join(lines) + f"\nheadline: *a{levels - 1}\n"


@pytest.mark.parametrize("levels", [2, 9, 30])
def test_an_alias_repeating_a_collection_is_refused_before_it_expands(levels: int) -> None:
    """Before: aliases were expanded; 7 levels (398 bytes) took 50 s and 2.2 GB, 9 ran past
    120 s. Now the first repeat is a finding, whatever the depth (the walk is linear in the
    document: no timing assertion needed, 10**30 values would never finish)."""
    with pytest.raises(YamlProblem) as raised:
        load_yaml(_laughs(levels))
    assert (raised.value.code, raised.value.position.line) == ("yaml/alias", 2)


def test_an_alias_to_a_scalar_is_still_plain_data() -> None:
    assert load_yaml("name: &n Ann\nother: *n\n").data == {"name": "Ann", "other": "Ann"}


def test_a_billion_laughs_record_is_one_located_finding(corpus: Path) -> None:
    target = corpus / "articles" / "laughs.yaml"
    target.write_text("id: laughs\ntext_file: short-article.txt\n" + _laughs(9))
    add_record(corpus, "valid-short-record")
    started = time.monotonic()
    errors = [(f.code, f.file, f.line) for f in check(corpus).errors]
    assert errors == [("yaml/alias", "corpus/articles/laughs.yaml", 4)]
    assert time.monotonic() - started < 60  # a hang guard, not a speed target


# -- row 4: one normalisation for IRIs and alias matching --------------------------------------
def _record(corpus: Path, key: str, speaker: str, events: str = "") -> None:
    (corpus / "articles" / "short-article.txt").write_text("Officials met in Beirut.\n")
    (corpus / "articles" / f"{key}.yaml").write_text(
        f"id: {key}\ntext_file: short-article.txt\nheadline: Officials meet\n"
        "publisher: world-israel-news\ndate_published: 2018-06-10\nlanguage: en\n"
        f'claims:\n  - text: We will cooperate\n    kind: direct\n    speaker: "{speaker}"\n'
        f"    date: 2018-06-09\n{events}",
        encoding="utf-8",
    )


def _entity_findings(corpus: Path) -> list[tuple[str, str | None]]:
    return [(f.code, f.field) for f in check(corpus).findings if f.code.startswith("entity/")]


def test_an_accented_spelling_of_a_registered_name_is_that_entity(corpus: Path) -> None:
    """Before: slugs folded accents, alias matching did not: "Ḥamas" minted entity/hamas and
    the registered Organization gained rdf:type schema:Person and a second name, exit 0."""
    _record(corpus, "accented", "Ḥamas")
    assert _entity_findings(corpus) == []
    out = corpus.parent / "dist"
    assert build(corpus, out, BuildOptions(cache_dir=None)).written
    graph = Graph().parse(out / "newsld.ttl")
    hamas = URIRef("https://example.org/newsld/entity/hamas")
    assert set(graph.objects(hamas, RDF.type)) == {SDO.Organization}
    assert [str(n) for n in graph.objects(hamas, SDO.name)] == ["Hamas"]


def test_names_apart_only_in_non_latin_letters_stay_apart() -> None:
    assert slug("Иван Hamas") != slug("Пётр Hamas")
    assert slug("Иван Hamas").startswith("hamas-h")
    assert slug("Pérez") == slug("Perez") == "perez"
    assert slug("Хамас") == slug("ХАМАС")  # one normalisation: they match as aliases too


def test_a_look_alike_of_a_registered_name_is_an_error(corpus: Path) -> None:
    _record(corpus, "lookalike", "Наmas")  # Cyrillic Н and а
    errors = [(f.code, f.field) for f in check(corpus).errors]
    assert errors == [("entity/confusable", "claims[0].speaker")]


def test_a_name_taking_a_registered_iri_is_an_error(corpus: Path) -> None:
    _record(corpus, "collision", "Israel_Police")  # not an alias, but slugs to israel-police
    errors = [(f.code, f.field) for f in check(corpus).errors]
    assert errors == [("entity/iri-collision", "claims[0].speaker")]


def test_one_minted_node_cannot_be_a_person_and_an_organization(corpus: Path) -> None:
    as_recipient = (
        "events:\n  - type: letter\n    participants: [danny-danon]\n"
        "    recipients: [Gaza Reconstruction Board]\n    date: 2018-06-09\n"
    )
    _record(corpus, "as-speaker", "Gaza Reconstruction Board")  # a speaker: minted a Person
    _record(corpus, "as-recipient", "danny-danon", as_recipient)  # a recipient: Organization
    (error,) = [f for f in check(corpus).errors]
    assert error.code == "entity/conflicting-node"
    assert "gaza-reconstruction-board" in error.message
    assert "Organization and Person" in error.message
    result = build(corpus, corpus.parent / "dist", BuildOptions(cache_dir=None))
    assert not result.written


def test_a_name_mixing_scripts_is_a_warning(corpus: Path) -> None:
    _record(corpus, "mixed", "Ivan Петров")
    assert ("entity/mixed-script", "claims[0].speaker") in _entity_findings(corpus)
