"""How fast the release gets into a store: ``python -m benchmarks.load [--articles N]``.

Writes a synthetic release (N article graphs of ~60 triples plus an entities graph, the shape
`newsld build` writes), then measures against a real Oxigraph server on 127.0.0.1:
a first ``load``, a second identical one, a ``--changed-only`` one, and the embedded store build
plus one query. Prints numbers; asserts nothing about speed.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import tempfile
import time
from pathlib import Path

from newsld.endpoints.load import LoadOptions, Target, load_release
from newsld.endpoints.query import run_local, select_values
from newsld.endpoints.remote import Remote
from newsld.endpoints.serve import ServeOptions, Server
from newsld.endpoints.store import ensure_store, open_store
from newsld.rdf.namespaces import NLD, RDF, SDO, VOID, XSD
from newsld.release.reader import open_release

BASE = "https://example.org/newsld/"  # the synthetic release's own base IRI, not a vocabulary


def _article_lines(index: int, entities: int) -> list[str]:
    article = f"<{BASE}article/a{index:06d}>"
    lines = [
        f"{article} <{RDF.type}> <{SDO.NewsArticle}> .",
        f'{article} <{SDO.headline}> "Synthetic article number {index}" .',
        f'{article} <{SDO.datePublished}> "2018-06-10"^^<{XSD.date}> .',
    ]
    for claim in range(6):
        node = f"<{BASE}claim/a{index:06d}/c{claim}>"
        speaker = f"<{BASE}entity/e{(index * 7 + claim) % entities}>"
        lines += [
            f"{node} <{RDF.type}> <{NLD.Claim}> .",
            f"{node} <{NLD.speaker}> {speaker} .",
            f"{node} <{NLD.source}> {article} .",
            f'{node} <{NLD.claimText}> "Claim {claim} of article {index}, quoted in full." .',
            f'{node} <{NLD.date}> "2018-06"^^<{XSD.gYearMonth}> .',
            f"{node} <{NLD.claimKind}> <{NLD.DirectQuote}> .",
            f"{article} <{SDO.mentions}> {speaker} .",
            f'{node} <{NLD.evidenceStart}> "{claim * 100}"^^<{XSD.nonNegativeInteger}> .',
            f'{node} <{NLD.dateNote}> "Synthetic." .',
        ]
    return list(dict.fromkeys(lines))  # a graph holds each triple once (mentions repeat)


def write_release(folder: Path, articles: int) -> int:
    folder.mkdir(parents=True)
    entities = max(articles // 10, 1)
    triples = 0
    with gzip.open(folder / "newsld.nq.gz", "wt", encoding="utf-8") as stream:
        for index in range(articles):
            graph = f"<{BASE}graph/article/a{index:06d}>"
            for line in _article_lines(index, entities):
                stream.write(f"{line[:-2]} {graph} .\n")
                triples += 1
        for entity in range(entities):
            node = f"<{BASE}entity/e{entity}>"
            stream.write(f'{node} <{SDO.name}> "Entity {entity}" <{BASE}graph/entities> .\n')
            triples += 1
    (folder / "void.ttl").write_text(
        f"<{BASE}dataset> <{VOID.triples}> {triples} .\n", encoding="utf-8"
    )
    files = {}
    for name in ("newsld.nq.gz", "void.ttl"):
        data = (folder / name).read_bytes()
        files[name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    manifest = {"dataset": {"base_iri": BASE, "version": "bench"}, "files": files}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return triples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--chunk-size", type=int, default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        started = time.perf_counter()
        triples = write_release(root / "dist", args.articles)
        print(
            f"synthetic release: {args.articles} articles, {triples} triples "
            f"({time.perf_counter() - started:.2f} s to write)"
        )
        release = open_release(root / "dist")
        with Server(root / "oxigraph", ServeOptions(port=0, read_only=False)) as server:
            target = Target(server.query_url, server.store_url)
            options = LoadOptions(chunk_size=args.chunk_size)
            for label, opts in [
                ("first load", options),
                ("same release again", options),
                ("--changed-only", LoadOptions(chunk_size=args.chunk_size, changed_only=True)),
            ]:
                with Remote() as remote:
                    summary = load_release(release, target, remote, opts)
                rate = summary.triples / summary.seconds if summary.seconds else 0
                print(
                    f"{label:>20}: {summary.seconds:6.2f} s, {len(summary.loaded)} graphs, "
                    f"{summary.triples} triples sent ({rate:,.0f}/s), {summary.requests} "
                    f"requests, ok={summary.ok}"
                )
        started = time.perf_counter()
        info = ensure_store(release, root / "store")
        built = time.perf_counter() - started
        store = open_store(info)
        started = time.perf_counter()
        result = run_local(
            store,
            "SELECT ?s (COUNT(*) AS ?n) WHERE { ?c nld:speaker ?s } GROUP BY ?s ORDER BY DESC(?n)"
            " LIMIT 5",
        )
        asked = time.perf_counter() - started
        top = select_values(result)[0]
        print(f"{'embedded store':>20}: built in {built:.2f} s ({len(store)} quads)")
        print(f"{'claims per speaker':>20}: {asked * 1000:.0f} ms (top speaker {top['n']} claims)")


if __name__ == "__main__":
    main()
