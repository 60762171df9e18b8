"""Benchmark `newsld build` on synthetic corpora, with two references measured in the same run.

    python -m benchmarks.bench_build --scales 1000 10000 100000 [--jobs 2] [--work DIR]

For each scale it prints articles/s, triples/s, peak RSS (main process and largest worker) and
seconds per stage (index, read, extract, map, gate, render, write, identity, describe), the claim
identity grouping's precision and recall on the variants the synthetic corpus plants and the
identity pass's share of the build, the static site (``newsld site``: seconds and share of the
build, pages, files, bytes, peak RSS, and a second run over the unchanged release), then an
incremental rebuild after editing one record. References, at the scales where they fit in memory
(``--reference-limit``): whole-graph pySHACL on the same triples (time, and whether its results
equal the per-article gate's), and a plain N-Triples writer over the same triples. A last line
sums up the ratios. Speed is reported, never asserted: this is not a test.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .synth import generate


def _peak_rss_kb() -> int:
    """This process's own peak RSS. Not ru_maxrss: Linux carries the parent's peak across
    fork and exec into it, so a child started after the whole-graph pySHACL reference would
    report the parent's gigabytes as its own."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def _child(corpus: Path, out: Path, jobs: int, cache: Path | None) -> None:
    """Run one build in this (fresh) process and print its measurements as JSON."""
    from newsld.release.build import BuildOptions, build

    result = build(corpus, out, BuildOptions(jobs=jobs, cache_dir=cache))
    own = _peak_rss_kb()
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "written": result.written,
                "stats": result.stats,
                "timings": result.timings,
                "rss_main_mb": own / 1024,
                "rss_worker_mb": workers / 1024,
                "errors": result.findings.severities["error"],
            }
        )
    )


def _site_cache(out: Path) -> Path:
    return out.with_name(f"{out.name}-index.sqlite")


def _site_child(release: Path, out: Path) -> None:
    """Write the site of a release in this (fresh) process, twice, and print what it took."""
    from newsld.site.pages import generate

    shutil.rmtree(out, ignore_errors=True)
    _site_cache(out).unlink(missing_ok=True)
    first = generate(release, out, cache=_site_cache(out))
    rss = _peak_rss_kb() / 1024
    again = generate(release, out, cache=_site_cache(out))
    print(
        json.dumps(
            {
                "seconds": first.seconds,
                "pages": first.pages,
                "files": first.files,
                "bytes": first.bytes,
                "rss_mb": rss,
                "again_seconds": again.seconds,
                "again_written": again.written,
            }
        )
    )


def _site_update_child(release: Path, out: Path) -> None:
    """Bring the site of a release up to date with its page index kept by the last run, in
    this (fresh) process, and print what it took."""
    from newsld.site.pages import generate

    result = generate(release, out, cache=_site_cache(out))
    print(
        json.dumps(
            {
                "seconds": result.seconds,
                "incremental": result.incremental,
                "written": result.written,
                "unchanged": result.unchanged,
                "rss_mb": _peak_rss_kb() / 1024,
            }
        )
    )


def run_site(release: Path, out: Path, update: bool = False) -> dict[str, Any]:
    """``newsld site`` on the benchmark's release, in a fresh process (its own peak RSS):
    from scratch (and again), or brought up to date (``update``)."""
    child = "--site-update-child" if update else "--site-child"
    command = [sys.executable, "-m", "benchmarks.bench_build", child, str(release)]
    completed = subprocess.run([*command, str(out)], capture_output=True, text=True, check=True)
    return dict(json.loads(completed.stdout.strip().splitlines()[-1]))


def _edited(record: str) -> str:
    """A record with a real change that keeps it valid: another language tag."""
    if "\nlanguage: en\n" in record:
        return record.replace("\nlanguage: en\n", "\nlanguage: en-GB\n", 1)
    return record + "language: en-GB\n"  # the records planted without one


def run_build(corpus: Path, out: Path, jobs: int, cache: Path | None) -> dict[str, object]:
    command = [
        sys.executable,
        "-m",
        "benchmarks.bench_build",
        "--child",
        str(corpus),
        str(out),
        str(jobs),
        str(cache or ""),
    ]
    started = time.perf_counter()
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    data = json.loads(completed.stdout.strip().splitlines()[-1])
    data["wall"] = time.perf_counter() - started
    if not data["written"]:  # a benchmark of a failed build measures nothing worth printing
        raise SystemExit(f"build of {corpus} failed with {data['errors']} error(s)")
    return data


def grouping(corpus: Path, out: Path) -> dict[str, float]:
    """Precision and recall of claim identity on the planted reports (``planted.json``): two
    reports are grouped when they are one claim or linked by nld:variantOf (transitively);
    pairs of reports counted against the pairs of reports of one planted statement."""
    truth = json.loads((corpus / "planted.json").read_text(encoding="utf-8"))
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.get(node, node) != node:
            parent[node] = parent.get(parent[node], parent[node])
            node = parent[node]
        return node

    claim_of: dict[tuple[str, str], str] = {}
    appearance = "<https://schema.org/appearance>"
    variant = "<https://w3id.org/newsld/vocab#variantOf>"
    with gzip.open(out / "newsld.nt.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            if appearance in line and "/claim/planted>" in line:
                subject, _, obj = line.split(" ", 2)
                parts = obj.strip(" .\n<>").rsplit("/", 3)  # …/ARTICLE/claim/KEY
                claim_of[(parts[-3], parts[-1])] = subject
            elif variant in line:
                subject, _, obj = line.split(" ", 2)
                a, b = find(subject), find(obj.strip(" .\n"))
                if a != b:
                    parent[max(a, b)] = min(a, b)
    cells: dict[tuple[str, str], int] = {}
    predicted: dict[str, int] = {}
    actual: dict[str, int] = {}
    for key, local, statement, _how in truth:
        group = find(claim_of.get((key, local), f"missing:{key}"))
        cells[(group, statement)] = cells.get((group, statement), 0) + 1
        predicted[group] = predicted.get(group, 0) + 1
        actual[statement] = actual.get(statement, 0) + 1

    def pairs(counts: Any) -> int:
        return sum(n * (n - 1) // 2 for n in counts)

    both = pairs(cells.values())
    return {
        "reports": len(truth),
        "precision": both / max(pairs(predicted.values()), 1),
        "recall": both / max(pairs(actual.values()), 1),
    }


def per_format(graphs: list[tuple[Any, list[Any]]]) -> dict[str, float]:
    """Each dump format's rendering, timed as if it were the only dump (so the term formatting
    and ordering the four formats share counts in full for each), as a ratio to a plain
    N-Triples writer over the same triples; in memory, one article graph at a time."""
    from newsld.rdf.resources import jsonld_context
    from newsld.render.serialize import (
        _Compactor,
        _jsonld,
        _rows,
        _turtle,
        gzip_member,
        nt_iri,
        nt_term,
    )

    started = time.perf_counter()
    plain = io.StringIO()
    for _, triples in graphs:
        for s, p, o in triples:
            plain.write(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n")
    plain_seconds = time.perf_counter() - started
    started = time.perf_counter()
    rows = [(graph, _rows(triples)) for graph, triples in graphs]
    shared = time.perf_counter() - started
    compactor = _Compactor(jsonld_context())

    def ending(graph: Any, rows: list[Any], end: str) -> bytes:
        return gzip_member((end.join(row.line for row in rows) + end).encode())

    formats = {
        "N-Triples.gz": lambda g, r: ending(g, r, " .\n"),
        "N-Quads.gz": lambda g, r: ending(g, r, " " + nt_iri(str(g)) + " .\n"),
        "Turtle": lambda g, r: _turtle(r, compactor).encode(),
        "JSON-LD": lambda g, r: ",\n  ".join(_jsonld(r, compactor)).encode(),
    }
    ratios = {}
    for name, render in formats.items():
        started = time.perf_counter()
        for graph, graph_rows in rows:
            render(graph, graph_rows)
        alone = shared + time.perf_counter() - started
        ratios[name] = alone / max(plain_seconds, 1e-9)
    return ratios


def references(corpus: Path, out: Path) -> dict[str, object]:
    """Whole-graph pySHACL and a plain N-Triples writer over the release's triples."""
    from rdflib import URIRef

    from newsld.gate.shacl import _DataGraph, validate_graph
    from newsld.release.build import BuildOptions
    from newsld.release.run import prepare
    from newsld.render.serialize import nt_term

    run = prepare(corpus, BuildOptions())
    started = time.perf_counter()
    ours = set()
    triples = []
    graphs = []  # each article's graph and triples, for the per-format timing
    for path in run.corpus.record_paths:
        gated = run.gate(path)
        assert gated.mapped is not None
        triples += gated.mapped.triples
        graphs.append((run.minter.article_graph(gated.mapped.key), gated.mapped.triples))
        ours |= {
            (r.focus, r.path, r.shape, r.severity, r.value)
            for r in gated.results
            if URIRef(r.focus) in gated.mapped.origins
        }
    triples += run.entity_graph()
    gate_and_map = time.perf_counter() - started

    started = time.perf_counter()
    with (out.parent / "plain.nt").open("w", encoding="utf-8") as stream:
        for s, p, o in triples:
            stream.write(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} .\n")
    plain = time.perf_counter() - started

    graph = _DataGraph()  # pySHACL with each SPARQL text parsed once, as our gate gets it
    nt = gzip.decompress((out / "newsld.nt.gz").read_bytes()).decode("utf-8")
    graph.parse(data=nt, format="nt")
    started = time.perf_counter()
    theirs = {(r.focus, r.path, r.shape, r.severity, r.value) for r in validate_graph(graph)}
    pyshacl_seconds = time.perf_counter() - started
    return {
        "per_format": per_format(graphs),
        "pyshacl_whole_graph_s": pyshacl_seconds,
        "same_findings": ours == theirs,
        "findings": len(theirs),
        "plain_nt_writer_s": plain,
        "map_and_gate_s": gate_and_map,
        "triples": len(triples),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark newsld build.")
    parser.add_argument("--scales", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsld-bench"))
    parser.add_argument("--reference-limit", type=int, default=10000)
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--site-child", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--site-update-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.site_child:
        _site_child(Path(args.site_child[0]), Path(args.site_child[1]))
        return
    if args.site_update_child:
        _site_update_child(Path(args.site_update_child[0]), Path(args.site_update_child[1]))
        return
    if args.child:
        corpus, out, jobs, cache = args.child
        _child(Path(corpus), Path(out), int(jobs), Path(cache) if cache else None)
        return
    summary = []
    for scale in args.scales:
        corpus = args.work / f"corpus-{scale}"
        if (
            not (corpus / "articles").is_dir()
            or len(list((corpus / "articles").glob("*.yaml"))) != scale
        ):
            shutil.rmtree(corpus, ignore_errors=True)
            started = time.perf_counter()
            generate(corpus, scale)
            print(
                f"[{scale}] generated corpus in {time.perf_counter() - started:.1f} s", flush=True
            )
        out, cache = args.work / f"dist-{scale}", args.work / f"cache-{scale}"
        shutil.rmtree(cache, ignore_errors=True)
        full = run_build(corpus, out, args.jobs, cache)
        stats, timings = full["stats"], full["timings"]  # type: ignore[index]
        wall = float(full["wall"])  # type: ignore[arg-type]
        print(
            f"[{scale}] full build: {wall:.1f} s wall, {scale / wall:.0f} articles/s, "
            f"{stats['triples'] / wall:.0f} triples/s, peak RSS main "
            f"{full['rss_main_mb']:.0f} MB, worker {full['rss_worker_mb']:.0f} MB",
            flush=True,
        )
        site = run_site(out, args.work / f"site-{scale}")
        print(
            f"[{scale}] site: {site['seconds']:.1f} s ({100 * site['seconds'] / wall:.0f}% of the "
            f"build), {site['pages']} pages, {site['files']} files, {site['bytes'] / 1e6:.1f} MB, "
            f"peak RSS {site['rss_mb']:.0f} MB; again unchanged: {site['again_seconds']:.1f} s "
            f"({site['again_written']} files rewritten)",
            flush=True,
        )
        print(
            f"[{scale}] stages (s, summed over workers): "
            + " ".join(f"{k}={v:.1f}" for k, v in timings.items()),
            flush=True,
        )  # type: ignore[union-attr]
        identity = float(timings.get("identity", 0.0))  # type: ignore[union-attr]
        scores = grouping(corpus, out)
        print(
            f"[{scale}] grouping of {scores['reports']:.0f} planted reports: precision "
            f"{scores['precision']:.3f}, recall {scores['recall']:.3f}; identity pass "
            f"{identity:.2f} s, {100 * identity / wall:.1f}% of the build "
            f"({stats.get('claims', 0)} claims, {stats.get('claim_appearances', 0)} appearances, "
            f"{stats.get('claim_variants', 0)} variant links)",  # type: ignore[union-attr]
            flush=True,
        )
        record = corpus / "articles" / f"synthetic-{scale // 2:07d}.yaml"  # one in the middle
        original = record.read_text()
        record.write_text(_edited(original))
        try:
            incremental = run_build(corpus, out, args.jobs, cache)
        finally:
            record.write_text(original)
        print(
            f"[{scale}] incremental rebuild after editing 1 record: "
            f"{float(incremental['wall']):.1f} s "  # type: ignore[arg-type]
            f"({incremental['timings'].get('reused', 0):.0f} records copied from the previous "
            f"release, {incremental['timings'].get('cache_hits', 0):.0f} from the cache; "
            f"identity pass {incremental['timings'].get('identity', 0):.2f} s)",
            flush=True,
        )  # type: ignore[union-attr]
        updated = run_site(out, args.work / f"site-{scale}", update=True)
        print(
            f"[{scale}] site after that rebuild, with the page index kept: "
            f"{updated['seconds']:.1f} s ({100 * updated['seconds'] / wall:.0f}% of the full "
            f"build; only changed graphs read: {updated['incremental']}), "
            f"{updated['written']} files rewritten, {updated['unchanged']} kept, peak RSS "
            f"{updated['rss_mb']:.0f} MB",
            flush=True,
        )
        line = {
            "scale": scale,
            "precision": scores["precision"],
            "recall": scores["recall"],
            "identity_share": identity / wall,
            "site": site["seconds"],
            "site_update": updated["seconds"],
            "wall": wall,
            "rss": full["rss_main_mb"],
            "incremental": incremental["wall"],
        }
        if scale <= args.reference_limit:
            ref = references(corpus, out)
            serialise = float(timings["render"]) + float(timings["write"])  # type: ignore[index]
            print(
                f"[{scale}] reference: whole-graph pySHACL {ref['pyshacl_whole_graph_s']:.1f} s "
                f"(same findings as per-article gate: {ref['same_findings']}, "
                f"{ref['findings']} results); our gate {float(timings['gate']):.1f} s; "  # type: ignore[index]
                f"plain N-Triples writer {ref['plain_nt_writer_s']:.1f} s vs our dumps "
                f"{serialise:.1f} s",
                flush=True,
            )
            ratios = ref["per_format"]
            print(
                f"[{scale}] each dump rendered as if alone, against a plain N-Triples writer "
                "over the same article graphs: "
                + ", ".join(f"{name} {ratio:.1f}x" for name, ratio in ratios.items()),  # type: ignore[union-attr]
                flush=True,
            )
            line["gate_speedup"] = float(ref["pyshacl_whole_graph_s"]) / max(
                float(timings["gate"]), 1e-9
            )  # type: ignore[index, arg-type]
            line["dump_ratio"] = serialise / max(float(ref["plain_nt_writer_s"]), 1e-9)  # type: ignore[arg-type]
        summary.append(line)
    print(
        "summary: "
        + "; ".join(
            f"{s['scale']}: {s['wall']:.0f} s, {s['rss']:.0f} MB, site {s['site']:.0f} s "
            f"(updated {s['site_update']:.1f} s), "
            f"incremental {s['incremental']:.1f} s, grouping P {s['precision']:.3f} "
            f"R {s['recall']:.3f}, identity {100 * s['identity_share']:.1f}%"
            + (
                f", gate {s['gate_speedup']:.0f}x pySHACL, dumps {s['dump_ratio']:.1f}x plain NT"
                if "gate_speedup" in s
                else ""
            )
            for s in summary
        )
    )


if __name__ == "__main__":
    main()
