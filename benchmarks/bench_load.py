"""Load and query a synthetic release through every path newsld has, with the store's own
loaders and a one-triple lookup measured in the same run as references.

    python -m benchmarks.bench_load --scales 10000 [--work DIR] [--per-graph] [--virtuoso]

For each scale it builds (or reuses) the release ``benchmarks/synth.py`` + ``newsld build``
write into ``WORK/dist-N`` (as ``bench_build`` does), then prints:

- loads, each as triples/s and as a ratio to ``oxigraph load`` (the store's offline loader)
  and to pyoxigraph's ``bulk_load`` into memory: ``newsld load`` into a fresh ``oxigraph
  serve`` (bulk path), ``newsld load --offline``, and with ``--per-graph`` the old path
  (``--bulk off``: one PUT per graph); with ``--virtuoso``, a private Virtuoso's ``ld_dir``
  (the guide's recipe) and ``newsld load`` into it;
- a reload after one record was edited and the release rebuilt (``--changed-only``), the same
  release again, and a reload after the edit was undone;
- ``newsld query`` (a fresh process, as a user runs it): first call (builds the embedded
  store) and the next one (reopens it), and opening the store in process;
- every example query (``queries/*.rq``) on the embedded store, warm (median of 3), in ms and
  as a ratio to a one-triple lookup, asking about what the synthetic release holds most of
  where a query asks about one name, and its plan: Oxigraph's own explanation, summed up in a
  line (the pattern it starts from, the joins after it) and kept whole in ``WORK/plans-N/``.

A last line compares with the targets of issue 17. Speed is reported, never asserted.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox

from newsld.endpoints.load import BulkMode, LoadOptions, Target, load_offline, load_release
from newsld.endpoints.query import read_query, run_local, select_values
from newsld.endpoints.remote import Remote, Settings
from newsld.endpoints.serve import ServeOptions, Server, oxigraph_binary
from newsld.endpoints.store import ensure_store, open_store
from newsld.release.reader import NQUADS, Release, open_release

from .bench_build import run_build
from .synth import generate

ROOT = Path(__file__).resolve().parent.parent
QUERIES = sorted((ROOT / "queries").glob("*.rq"))


def release_for(work: Path, scale: int) -> Path:
    """``WORK/dist-N``: reused when it holds a release of N articles, else generated and built."""
    out = work / f"dist-{scale}"
    manifest = out / "manifest.json"
    if manifest.is_file() and json.loads(manifest.read_text())["counts"]["articles"] == scale:
        return out
    corpus = work / f"corpus-{scale}"
    if not (corpus / "articles").is_dir():
        generate(corpus, scale)
    started = time.perf_counter()
    run_build(corpus, out, 2, work / f"cache-{scale}")
    print(f"[{scale}] built the release in {time.perf_counter() - started:.1f} s", flush=True)
    return out


@contextlib.contextmanager
def one_record_edited(work: Path, scale: int) -> Iterator[tuple[str, float]]:
    """Edit one record of the synthetic corpus (the middle one: its first claim's date, a day
    earlier) and rebuild the release incrementally, as a contributor's fix is released; yields
    the record's name and the rebuild's seconds. Afterwards the record is put back and the
    release rebuilt again, so the next run starts from the release the corpus gives."""
    corpus, release = work / f"corpus-{scale}", work / f"dist-{scale}"
    record = corpus / "articles" / f"synthetic-{scale // 2:07d}.yaml"
    original = record.read_text(encoding="utf-8")
    found = re.search(r"(\n  date: ')(\d{4}-\d{2}-\d{2})'", original)
    if found is None:
        raise SystemExit(f"{record}: no claim date to edit")
    earlier = (dt.date.fromisoformat(found[2]) - dt.timedelta(days=1)).isoformat()
    record.write_text(
        original[: found.start(2)] + earlier + original[found.end(2) :], encoding="utf-8"
    )
    try:
        data = run_build(corpus, release, 2, work / f"cache-{scale}")
        yield record.name, float(data["wall"])  # type: ignore[arg-type]
    finally:
        record.write_text(original, encoding="utf-8")
        time.sleep(0.01)  # (a different modification time, whatever the clock's granularity)
        run_build(corpus, release, 2, work / f"cache-{scale}")


def timed(action: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def memory_bulk_load(release: Release) -> tuple[float, int]:
    store = ox.Store()
    with gzip.open(release.path(NQUADS), "rb") as stream:
        seconds, _ = timed(lambda: store.bulk_load(stream, format=ox.RdfFormat.N_QUADS))
    return seconds, len(store)


def oxigraph_load(release: Release, folder: Path) -> float:
    command = [oxigraph_binary(), "load", "--location", str(folder)]
    seconds, _ = timed(
        lambda: subprocess.run(
            [*command, "--file", str(release.path(NQUADS))], check=True, capture_output=True
        )
    )
    return seconds


def http_load(
    release: Release, target: Target, options: LoadOptions, settings: Settings | None = None
) -> tuple[float, str]:
    with Remote(settings or Settings(timeout=600)) as remote:
        summary = load_release(release, target, remote, options)
    note = (
        f"{len(summary.loaded)} graphs written ({len(summary.bulk)} in "
        f"{summary.bulk_requests} bulk requests), {len(summary.skipped)} skipped, "
        f"{summary.requests} requests, ok={summary.ok}"
    )
    return summary.seconds, note


def virtuoso_loads(release_dir: Path, tmp: Path, say: Callable[[str], None]) -> dict[str, float]:
    """Virtuoso's paths on a private instance (the tests' launcher, ``tests/servers.py``): the
    ``ld_dir`` recipe of ``docs/howto/load.md`` as printed there, then ``newsld load
    --changed-only`` over it (its first run writes every graph: one ``PUT`` each, Virtuoso has no
    bulk path over HTTP), then the same release again."""
    from tests.servers import VIRTUOSO_PASSWORD, run_ld_dir_recipe, running_virtuoso

    release = open_release(release_dir)
    folders = iter(tmp / f"virtuoso-{n}" for n in range(3))

    def folder() -> Path:
        found = next(folders)
        found.mkdir()
        return found

    numbers: dict[str, float] = {}
    with running_virtuoso(folder, buffers=340_000) as server:  # 2.7 GB of page cache
        ld_dir_s, ok = timed(lambda: run_ld_dir_recipe(server, release_dir))
        failed = "" if ok else " (some files failed: see its load_list)"
        count = (  # the release's quads (Virtuoso has graphs of its own)
            "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
            f'FILTER (STRSTARTS(STR(?g), "{release.base_iri}")) }}'
        )
        answer = httpx.post(
            server.sparql_url,
            data={"query": count},
            headers={"accept": "application/sparql-results+json"},
            timeout=600,
        )
        quads = answer.json()["results"]["bindings"][0]["n"]["value"]
        say(f"Virtuoso ld_dir, rdf_loader_run, checkpoint: {ld_dir_s:.1f} s, {quads} quads{failed}")
        numbers["virtuoso_ld_dir"] = ld_dir_s
        target = Target(server.sparql_url, server.graph_store_url)
        settings = Settings(user="dba", password=VIRTUOSO_PASSWORD, timeout=600)
        for label, key in (("over it", "virtuoso_load"), ("again", "virtuoso_again")):
            options = LoadOptions(changed_only=True)
            seconds, note = http_load(release, target, options, settings)
            say(f"newsld load --changed-only into Virtuoso, {label}: {seconds:.1f} s; {note}")
            numbers[key] = seconds
    return numbers


def newsld_query(release: Path, store: Path, query: str) -> float:
    command = [sys.executable, "-m", "newsld", "query", query, "-r", str(release)]
    seconds, _ = timed(
        lambda: subprocess.run(
            [*command, "--store", str(store), "-f", "csv"], check=True, capture_output=True
        )
    )
    return seconds


def lookup_query(release: Release) -> str:
    """One triple by subject and predicate: the cheapest query the store can answer."""
    with gzip.open(release.path(NQUADS), "rt", encoding="utf-8") as stream:
        first = next(ox.parse(stream.readline(), format=ox.RdfFormat.N_QUADS))
    return f"SELECT ?o WHERE {{ {first.subject} {first.predicate} ?o }} LIMIT 1"


PARAMETERS = {
    # a query's VALUES variable: what the synthetic release has most of, in place of the seed
    # corpus's example (which it does not name)
    "name": "SELECT ?v WHERE { ?w nld:claimCount ?n ; schema:name ?v } "
    "ORDER BY DESC(?n) ?v LIMIT 1",
    "subject": "SELECT ?v WHERE { ?a schema:mentions ?t . ?a nld:claimText ?x . "
    "?t schema:name ?v } GROUP BY ?v ORDER BY DESC(COUNT(*)) ?v LIMIT 1",
    "entity": "SELECT ?v WHERE { ?a schema:about ?t . ?t schema:name ?v } "
    "GROUP BY ?v ORDER BY DESC(COUNT(*)) ?v LIMIT 1",
}
_VALUES = re.compile(r'VALUES \?(\w+) \{ "([^"]*)" \}')


def with_parameters(store: ox.Store, text: str) -> tuple[str, str]:
    """The example query asking about what the release holds most of (its VALUES), and which."""
    found = _VALUES.search(text)
    if found is None or found.group(1) not in PARAMETERS:
        return text, ""
    rows = select_values(run_local(store, PARAMETERS[found.group(1)]))
    if not rows:
        return text, ""
    value = rows[0]["v"]
    replaced = f'VALUES ?{found.group(1)} {{ "{value}" }}'
    return text[: found.start()] + replaced + text[
        found.end() :
    ], f"?{found.group(1)} = {value!r}, "


def explain(store_dir: Path, text: str, plan: Path) -> str:
    """Oxigraph's plan of a query (its CLI's ``--explain-file``, kept as JSON in ``plan``) in a
    line: the pattern evaluation starts from, then how many joins of each kind follow it
    (``Lateral`` and ``ForLoop…``: an index look-up per row, cost following the answer;
    ``HashJoin``: both sides evaluated whole)."""
    query = plan.with_suffix(".rq")
    query.write_text(text, encoding="utf-8")
    command = [oxigraph_binary(), "query", "--location", str(store_dir), "--union-default-graph"]
    command += ["--query-file", str(query), "--explain-file", str(plan)]
    command += ["--results-format", "csv", "--results-file", str(plan.with_suffix(".csv"))]
    subprocess.run(command, check=True, capture_output=True)
    names: list[str] = []
    stack = [json.loads(plan.read_text(encoding="utf-8"))["plan"]]
    while stack:
        node = stack.pop()
        names.append(node["name"])
        stack.extend(reversed(node.get("children", [])))
    start = next((n for n in names if n.startswith("QuadPattern")), "no pattern")
    for prefix, iri in (
        ("nld:", "https://w3id.org/newsld/vocab#"),
        ("schema:", "https://schema.org/"),
    ):
        start = start.replace(f"<{iri}", prefix)
    joins = Counter(n.split("(")[0] for n in names if "Join" in n or n == "Lateral")
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(joins.items())) or "none"
    return f"starts at {start.removeprefix('QuadPattern').replace('>', '')}; joins: {kinds}"


def warm(store: ox.Store, text: str, runs: int = 3) -> tuple[float, int]:
    result = run_local(store, text)
    times = []
    for _ in range(runs):
        seconds, result = timed(lambda: run_local(store, text))
        times.append(seconds)
    return statistics.median(times), len(result.rows) + len(result.triples)  # type: ignore[attr-defined]


def bench(
    scale: int, release_dir: Path, tmp: Path, per_graph: bool, virtuoso: bool
) -> dict[str, float]:
    release = open_release(release_dir)
    say = lambda text: print(f"[{scale}] {text}", flush=True)  # noqa: E731
    ref_s, quads = memory_bulk_load(release)
    say(f"release: {quads} quads in {release_dir}")
    own_s = oxigraph_load(release, tmp / "oxigraph-load")
    say(f"reference: pyoxigraph bulk_load in memory {ref_s:.1f} s ({quads / ref_s:,.0f} quads/s)")
    say(f"reference: oxigraph load (offline) {own_s:.1f} s ({quads / own_s:,.0f} quads/s)")

    def ratios(seconds: float) -> str:
        return (
            f"{quads / seconds:,.0f} quads/s = {own_s / seconds:.0%} of oxigraph load, "
            f"{ref_s / seconds:.0%} of in-memory bulk_load"
        )

    numbers: dict[str, float] = {"quads": quads, "oxigraph_load": own_s, "bulk_load": ref_s}
    offline_s, _ = timed(lambda: load_offline(release, tmp / "offline"))
    say(f"newsld load --offline: {offline_s:.1f} s ({ratios(offline_s)})")
    numbers["offline"] = offline_s
    options = LoadOptions()
    with Server(tmp / "served", ServeOptions(port=0, read_only=False)) as server:
        target = Target(server.query_url, server.store_url)
        load_s, note = http_load(release, target, options)
        say(f"newsld load into a fresh oxigraph serve: {load_s:.1f} s ({ratios(load_s)}); {note}")
        numbers["load"] = load_s
        with one_record_edited(release_dir.parent, scale) as (name, rebuild_s):
            say(f"{name} edited (a claim's date), rebuilt incrementally in {rebuild_s:.1f} s")
            changed = open_release(release_dir)
            reload_s, note = http_load(changed, target, LoadOptions(changed_only=True))
            say(f"reload after one changed article (--changed-only): {reload_s:.1f} s; {note}")
            numbers["reload"] = reload_s
            again_s, note = http_load(changed, target, LoadOptions(changed_only=True))
            say(f"the same release again (--changed-only): {again_s:.1f} s; {note}")
        # the release as rebuilt after the edit was undone (the same graphs, unless the code
        # changed since the release was first built: then what the code builds now)
        release = open_release(release_dir)
        undo_s, note = http_load(release, target, LoadOptions(changed_only=True))
        say(f"reload after the edit was undone (--changed-only): {undo_s:.1f} s; {note}")
    if virtuoso:
        numbers.update(virtuoso_loads(release_dir, tmp, say))
    if per_graph:
        with Server(tmp / "per-graph", ServeOptions(port=0, read_only=False)) as server:
            target = Target(server.query_url, server.store_url)
            old_s, note = http_load(release, target, LoadOptions(bulk=BulkMode.off))
            say(f"newsld load --bulk off (one PUT per graph): {old_s:.1f} s ({ratios(old_s)})")
            numbers["per_graph"] = old_s

    lookup = lookup_query(release)
    store_dir = tmp / "store"
    first_s = newsld_query(release_dir, store_dir, lookup)
    reopen_s = min(newsld_query(release_dir, store_dir, lookup) for _ in range(3))
    start_s = min(newsld_query(release_dir, store_dir, "ASK {}") for _ in range(3))
    say(
        f"newsld query, a fresh process: first call {first_s:.1f} s (builds the store), "
        f"then {reopen_s:.2f} s (reopens it; `ASK {{}}` {start_s:.2f} s)"
    )
    numbers["query_first"], numbers["query_reopen"] = first_s, reopen_s
    open_s, store = timed(lambda: open_store(ensure_store(release, store_dir)))
    say(f"reopening the embedded store in process: {open_s * 1000:.0f} ms")
    assert isinstance(store, ox.Store)
    lookup_s, _ = warm(store, lookup, runs=9)
    say(f"one-triple lookup: {lookup_s * 1000:.2f} ms")
    slowest = 0.0
    plans = release_dir.parent / f"plans-{scale}"  # each query's plan, as Oxigraph explains it
    for path in QUERIES:
        text, _ = read_query(str(path))
        text, asked = with_parameters(store, text)
        seconds, rows = warm(store, text)
        slowest = max(slowest, seconds)
        say(
            f"query {path.stem}: {seconds * 1000:,.0f} ms warm, {asked}{rows} rows "
            f"({seconds / lookup_s:,.0f}x the lookup)"
        )
        plans.mkdir(exist_ok=True)
        say(f"  plan: {explain(tmp / 'offline', text, plans / f'{path.stem}.json')}")
    numbers["slowest_query"] = slowest
    limit = 1 if scale <= 10_000 else 3  # the targets: 1 s on the 10k release, 3 s on 100k
    say(
        "targets (issue 17): load >= 50% of oxigraph load: "
        f"{own_s / load_s:.0%} {'met' if own_s / load_s >= 0.5 else 'NOT met'}; "
        f"reload after one change <= 5 s: {reload_s:.1f} s "
        f"{'met' if reload_s <= 5 else 'NOT met'}; query reopening <= 1 s: {reopen_s:.2f} s "
        f"{'met' if reopen_s <= 1 else 'NOT met'}; every example query <= {limit} s warm: "
        f"slowest {slowest:.1f} s {'met' if slowest <= limit else 'NOT met'}"
    )
    return numbers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[10000])
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsld-bench"))
    parser.add_argument(
        "--per-graph", action="store_true", help="also load with --bulk off (slow at scale)"
    )
    parser.add_argument(
        "--virtuoso",
        action="store_true",
        help="also load into a private Virtuoso (Debian's virtuoso-opensource): ld_dir, then "
        "newsld load",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    for scale in args.scales:
        release = release_for(args.work, scale)
        with tempfile.TemporaryDirectory(dir=args.work) as tmp:
            bench(scale, release, Path(tmp), args.per_graph, args.virtuoso)


if __name__ == "__main__":
    main()
