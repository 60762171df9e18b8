"""The flat exports (claims.csv/.parquet, events.csv, entities.csv) say what the RDF says."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from rdflib import Dataset, Graph, URIRef

from newsld.rdf.namespaces import NLD, RDF, SDO, WIKIDATA
from newsld.render.exports import CLAIM_COLUMNS, ENTITY_COLUMNS, EVENT_COLUMNS


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _quads(release: Path) -> Dataset:
    dataset = Dataset()
    with gzip.open(release / "newsld.nq.gz", "rb") as stream:
        dataset.parse(data=stream.read(), format="nquads")
    return dataset


def _claims_in_nquads(release: Path) -> set[tuple[str, ...]]:
    """(claim IRI, text, speaker IRI, speaker name, speaker Wikidata id, date, article IRI)
    for each claim in each article's named graph of the N-Quads dump."""
    dataset = _quads(release)
    entities = dataset.graph(URIRef("https://example.org/newsld/graph/entities"))
    found = set()
    for graph in dataset.graphs():
        if "/graph/article/" not in str(graph.identifier):
            continue
        article = next(graph.subjects(RDF.type, SDO.NewsArticle))
        for claim in graph.subjects(RDF.type, NLD.Claim):
            # what this article reports of the claim is on its appearance in the article
            (report,) = (
                a for a in graph.objects(claim, SDO.appearance) if (a, NLD.source, article) in graph
            )
            speaker = graph.value(claim, NLD.speaker)
            name = entities.value(speaker, SDO.name) or graph.value(speaker, SDO.description)
            same = [str(s) for s in entities.objects(speaker, SDO.sameAs)]
            qid = next((s[len(str(WIKIDATA)) :] for s in same if s.startswith(str(WIKIDATA))), "")
            found.add(
                (
                    str(claim),
                    str(graph.value(report, NLD.claimText)),
                    str(speaker),
                    str(name),
                    qid,
                    str(graph.value(report, NLD.date)),
                    str(article),
                )
            )
    return found


def _claims_in_rows(rows: list[dict[str, str | None]]) -> set[tuple[str, ...]]:
    return {
        (
            str(row["claim_iri"]),
            str(row["text"]),
            str(row["speaker_iri"]),
            str(row["speaker_name"]),
            row["speaker_wikidata"] or "",
            str(row["date"]),
            str(row["article_iri"]),
        )
        for row in rows
    }


def test_claims_csv_read_back_equals_the_claims_of_the_nquads(seed_release: Path) -> None:
    rows = _csv(seed_release / "claims.csv")
    assert tuple(rows[0]) == CLAIM_COLUMNS
    expected = _claims_in_nquads(seed_release)
    assert len(rows) == len(expected) > 50  # one row per claim as reported in one article
    assert _claims_in_rows(rows) == expected  # type: ignore[arg-type]
    assert any(row["speaker_wikidata"] for row in rows)
    assert {row["origin"] for row in rows} <= {"curated", "extracted"}
    for row in rows:
        assert (row["confidence"] == "") == (row["origin"] == "curated")


def test_claims_parquet_read_back_equals_the_csv_and_the_rdf(seed_release: Path) -> None:
    table = pq.read_table(seed_release / "claims.parquet")
    assert tuple(table.column_names) == CLAIM_COLUMNS
    assert str(table.schema.field("confidence").type) == "double"
    assert str(table.schema.field("evidence_start").type) == "int64"
    rows = table.to_pylist()
    assert _claims_in_rows(rows) == _claims_in_nquads(seed_release)
    with (seed_release / "claims.csv").open(encoding="utf-8", newline="") as stream:
        from_csv = list(csv.DictReader(stream))
    assert len(rows) == len(from_csv)
    for parquet_row, csv_row in zip(rows, from_csv, strict=True):  # same order, same values
        assert {k: "" if v is None else str(v) for k, v in parquet_row.items()} == csv_row
    # pyarrow's own CSV reader agrees too
    read = pacsv.read_csv(seed_release / "claims.csv")
    assert read.num_rows == len(rows)


def test_events_csv_equals_the_events_of_the_nquads(seed_release: Path) -> None:
    rows = _csv(seed_release / "events.csv")
    assert tuple(rows[0]) == EVENT_COLUMNS
    dataset = _quads(seed_release)
    expected = set()
    for graph in dataset.graphs():
        for event in graph.subjects(RDF.type, NLD.NewsEvent):
            article = next(graph.subjects(RDF.type, SDO.NewsArticle))
            participants = sorted(str(p) for p in graph.objects(event, NLD.participant))
            date = str(graph.value(event, NLD.date))
            expected.add((str(event), date, " ".join(participants), str(article)))
    found = {(r["event_iri"], r["date"], r["participant_iris"], r["article_iri"]) for r in rows}
    assert all(r["description"] and r["origin"] in {"curated", "extracted"} for r in rows)
    assert found == expected and len(rows) == len(expected)


def test_entities_csv_lists_the_registry_and_minted_entities(seed_release: Path) -> None:
    rows = _csv(seed_release / "entities.csv")
    assert tuple(rows[0]) == ENTITY_COLUMNS
    assert [r["iri"] for r in rows] == sorted(r["iri"] for r in rows)
    by_iri = {r["iri"]: r for r in rows}
    hezbollah = by_iri["https://example.org/newsld/entity/hezbollah"]
    assert hezbollah["wikidata"] == "Q41053" and hezbollah["name"] == "Hezbollah"
    assert hezbollah["type"] == "Organization"
    entities = Graph().parse(data=(seed_release / "newsld.ttl").read_text(), format="turtle")
    named = {str(s) for s in entities.subjects(SDO.name, None)}
    assert set(by_iri) <= named
    speakers = {r["speaker_iri"] for r in _csv(seed_release / "claims.csv")}
    assert {s for s in speakers if "/entity/" in s} <= set(by_iri)


def test_exports_are_utf8_lf_with_a_fixed_header(seed_release: Path) -> None:
    for name in ("claims.csv", "events.csv", "entities.csv"):
        data = (seed_release / name).read_bytes()
        assert b"\r\n" not in data.replace(b'"\r\n', b"")  # rows end with \n
        data.decode("utf-8")
        assert data.endswith(b"\n")
    manifest = json.loads((seed_release / "manifest.json").read_text())
    for name in ("claims.csv", "claims.parquet", "events.csv", "entities.csv"):
        assert manifest["files"][name]["bytes"] == (seed_release / name).stat().st_size


def test_parquet_is_the_same_bytes_when_written_again(seed_release: Path, tmp_path: Path) -> None:
    from newsld.render.parquet import write

    write(seed_release / "claims.csv", tmp_path / "again.parquet")
    assert (tmp_path / "again.parquet").read_bytes() == (
        seed_release / "claims.parquet"
    ).read_bytes()


def test_parquet_of_many_rows_comes_in_fixed_row_groups(tmp_path: Path) -> None:
    from newsld.render import parquet

    source = tmp_path / "claims.csv"
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CLAIM_COLUMNS)
    for i in range(parquet.ROWS + 10):
        writer.writerow([f"https://x.org/claim/{i}", f"text {i}"] + [""] * (len(CLAIM_COLUMNS) - 2))
    source.write_text(out.getvalue(), encoding="utf-8")
    assert parquet.convert(source, tmp_path / "out.parquet") == parquet.ROWS + 10
    meta = pq.ParquetFile(tmp_path / "out.parquet").metadata
    assert [meta.row_group(i).num_rows for i in range(meta.num_row_groups)] == [
        parquet.ROWS,
        10,
    ]


def test_cells_with_line_breaks_quotes_and_commas_read_back_the_same(tmp_path: Path) -> None:
    from newsld.render import exports

    texts = ["a\rb", 'say "no", twice', "line\nbreak", "crlf\r\nend", "plain"]
    rows = [
        [f"https://x.org/claim/{i}", t] + [""] * (len(CLAIM_COLUMNS) - 2)
        for i, t in enumerate(texts)
    ]
    source = tmp_path / "claims.csv"
    source.write_bytes(exports.csv_header(CLAIM_COLUMNS) + exports._csv_bytes(rows))
    with source.open(encoding="utf-8", newline="") as stream:
        assert [r["text"] for r in csv.DictReader(stream)] == texts
    from newsld.render.parquet import write

    write(source, tmp_path / "out.parquet")
    assert pq.read_table(tmp_path / "out.parquet").column("text").to_pylist() == texts
