"""Time the build's hand-written spool and release state against SQLite stand-ins
(``benchmarks/sqlite_alternatives.py``), component by component, on realistic data.

    python -m benchmarks.bench_sqlite --state CACHE/releases/DIGEST --records 100000

``--state`` is the state folder a real build left in its cache (``bench_build`` at 10k leaves
one in ``WORK/cache-10000/releases/``); without it a 30-article corpus is built to make one.
Its entries, blobs, findings and input names are the templates: record ``i`` is template
``i % len`` renamed to ``synthetic-{i:07d}``, so sizes and shapes are the real ones.

Each measurement runs in a fresh process (peak RSS is that process's ``VmHWM`` minus its RSS
once the data to feed is in memory, so it is what the component itself added):

- spool: the findings log (``Spool(10_000)``, one line per finding, fed in corpus order) and the
  input names (``Spool(unique=True)``, two per record), added then read back once; both
  implementations must read back the same pairs.
- state: a cold write (every record's summary, then its entry and blobs, then commit) and an
  incremental one after changing one record in the middle: summaries looked up and rewritten,
  each entry read, checked and kept (or, for the changed one, written anew).
Speed is printed, never asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import shutil
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

KEY = b"benchmark key, not a secret....."
SPOOLS = ["files", "sqlite"]
STATES = ["files", "attach", "copy"]


def _status(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def load_templates(folder: Path) -> list[tuple[Any, bytes, bytes]]:
    """The state's entries with their blobs, frames read without checking their signatures
    (this benchmark has no business with the machine's key; it only copies their shapes)."""
    from newsld.release.seal import MAC_BYTES
    from newsld.release.state import Entry

    data = (folder / "records.bin").read_bytes()
    extra = (folder / "extra.bin").read_bytes()
    templates, position, offset = [], 0, 0
    while position < len(data):
        (size,) = struct.unpack_from(">I", data, position)
        position += 4 + MAC_BYTES
        entry = Entry._make(pickle.loads(data[position : position + size]))
        position += size
        minted, detail = entry.extra
        templates.append(
            (
                entry,
                extra[offset : offset + minted],
                extra[offset + minted : offset + sum(entry.extra)],
            )
        )
        offset += minted + detail
    return templates


def _renamer(entry: Any, number: int) -> Any:
    old = Path(entry.name).stem
    new = f"synthetic-{number:07d}"
    return lambda text: text.replace(old, new)


def records(folder: Path, count: int) -> list[Any]:
    """``count`` entries (with blobs) made from the templates, renamed."""
    templates = load_templates(folder)
    made = []
    for number in range(count):
        entry, minted, detail = templates[number % len(templates)]
        rename = _renamer(entry, number)
        made.append(
            (
                entry._replace(
                    name=rename(entry.name),
                    display=rename(entry.display),
                    text_name=rename(entry.text_name),
                    record=_signature(number),
                    key=rename(entry.key),
                    inputs=tuple((rename(n), sha) for n, sha in entry.inputs),
                    rows=tuple(
                        ((rename(k[0]), *k[1:]), rename(line), sev) for k, line, sev in entry.rows
                    ),
                ),
                minted,
                detail,
            )
        )
    return made


def _signature(number: int, edit: int = 0) -> tuple[int, int, int, int]:
    return (4000 + number % 97, 1_700_000_000_000_000_000 + number + edit, 1_700_000_000, number)


def _spool_child(folder: Path, count: int, implementation: str, kind: str) -> dict[str, Any]:
    from newsld.findings.spool import Spool

    from .sqlite_alternatives import SqliteSpool

    made = records(folder, count)
    if kind == "findings":
        pairs = [(key, line) for entry, _, _ in made for key, line, _ in entry.rows]
    else:
        pairs = [((name,), sha) for entry, _, _ in made for name, sha in entry.inputs]
    del made
    unique = kind == "inputs"
    baseline = _status("VmRSS")
    kind_class = Spool if implementation == "files" else SqliteSpool
    started = time.perf_counter()
    spool = kind_class(unique=unique) if unique else kind_class(10_000)
    for key, line in pairs:
        spool.add(key, line)
    added = time.perf_counter() - started
    digest, read = hashlib.sha256(), 0
    for key, line in spool:
        digest.update(repr(key).encode() + line.encode())
        read += 1
    total = time.perf_counter() - started
    spool.close()
    return {
        "pairs": len(pairs),
        "read": read,
        "add_s": added,
        "read_s": total - added,
        "total_s": total,
        "rss_mb": (_status("VmHWM") - baseline) / 1024,
        "digest": digest.hexdigest(),
    }


def _state_child(folder: Path, count: int, implementation: str, repeat: int) -> dict[str, Any]:
    from newsld.release.seal import Seal
    from newsld.release.state import StateWriter, _folder, previous_release

    from .sqlite_alternatives import SqliteStateWriter, file_size, sqlite_previous_release

    made = records(folder, count)
    names = [entry.name for entry, _, _ in made]
    summaries = [(entry.key, "2024-01-01", 1) for entry, _, _ in made]
    changed = count // 2
    work = Path(os.environ.get("BENCH_SQLITE_WORK", "/tmp")) / f"state-{implementation}"
    from newsld.render.serialize import DumpWriter

    bases = (0,) * len(DumpWriter.FILES)  # one start a dump (the exports are dumps too)
    cache, out, salt, seal = work / "cache", work / "dist", "salt", Seal(KEY)

    def writer(previous: Any = None) -> Any:
        if implementation == "files":
            return StateWriter(cache, out, salt, seal)
        return SqliteStateWriter(cache, out, salt, seal, previous, mode=implementation)

    def opened() -> Any:
        if implementation == "files":
            return previous_release(cache, out, salt, seal)
        return sqlite_previous_release(cache, out, salt, seal)

    baseline = _status("VmRSS")
    cold, incremental, kept_counts, size = [], [], [], 0
    cold_cpu, incremental_cpu = [], []  # this process's CPU seconds (less hurt by others' load)
    digest = ""
    for _ in range(repeat):
        shutil.rmtree(work, ignore_errors=True)
        started, cpu = time.perf_counter(), time.process_time()
        state = writer()
        for number, name in enumerate(names):
            state.summary(name, _signature(number), summaries[number])
        for entry, minted, detail in made:
            state.add(entry, minted, detail)
        state.commit([], bases)
        cold.append(time.perf_counter() - started)
        cold_cpu.append(time.process_time() - cpu)
        size = file_size(_folder(cache, out))

        started, cpu = time.perf_counter(), time.process_time()
        previous = opened()
        assert previous is not None
        state = writer(previous)
        for number, name in enumerate(names):
            current = _signature(number, number == changed)
            known = previous.summary(name, current)
            state.summary(name, current, known or summaries[number])
        kept, seen = 0, set()
        for number, (entry, minted, detail) in enumerate(made):
            current = _signature(number, number == changed)
            stored = previous.entry(entry.name)
            if stored is None or stored.entry.record != current:
                state.add(entry._replace(record=current), minted, detail)
                continue
            digest_of = stored.entry.minted
            if digest_of and digest_of not in seen:  # as Run._minted_intact reads them
                assert previous.minted(stored) is not None
                seen.add(digest_of)
            state.keep(stored, previous)
            kept += 1
        state.commit([], bases)
        previous.close()
        incremental.append(time.perf_counter() - started)
        incremental_cpu.append(time.process_time() - cpu)
        kept_counts.append(kept)
    rss = (_status("VmHWM") - baseline) / 1024
    previous = opened()  # what the last build left, read back (not timed)
    assert previous is not None
    check = hashlib.sha256()
    for name in names:
        stored = previous.entry(name)
        assert stored is not None, name
        check.update(pickle.dumps((tuple(stored.entry), stored.starts)))
    previous.close()
    digest = check.hexdigest()
    shutil.rmtree(work, ignore_errors=True)
    return {
        "records": count,
        "cold_s": cold,
        "incremental_s": incremental,
        "cold_cpu_s": cold_cpu,
        "incremental_cpu_s": incremental_cpu,
        "kept": kept_counts,
        "size_mb": size / 1e6,
        "rss_mb": rss,
        "digest": digest,
    }


def _run(arguments: list[str], work: Path) -> dict[str, Any]:
    command = [sys.executable, "-m", "benchmarks.bench_sqlite", "--child", *arguments]
    environment = {**os.environ, "BENCH_SQLITE_WORK": str(work)}
    completed = subprocess.run(
        command, capture_output=True, text=True, check=False, env=environment
    )
    if completed.returncode:
        raise SystemExit(f"{' '.join(arguments)} failed:\n{completed.stderr}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _tiny_state(work: Path) -> Path:
    """A state folder from a 30-article synthetic build (signed with a key of its own)."""
    from newsld.release.build import BuildOptions, build

    from .synth import generate

    os.environ["NEWSLD_CACHE_KEY_FILE"] = str(work / "cache-key")
    corpus = generate(work / "corpus", 30)
    result = build(corpus, work / "dist", BuildOptions(jobs=1, cache_dir=work / "cache"))
    assert result.written
    return next((work / "cache" / "releases").glob("*/records.bin")).parent


def main() -> None:
    parser = argparse.ArgumentParser(description="SQLite against the hand-written storage.")
    parser.add_argument("--state", type=Path, help="a state folder of a real build's cache")
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsld-bench-sqlite"))
    parser.add_argument("--only", choices=["spool", "state"], help="one component only")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        component, folder, count, implementation, extra = args.child
        if component == "spool":
            result = _spool_child(Path(folder), int(count), implementation, extra)
        else:
            result = _state_child(Path(folder), int(count), implementation, int(extra))
        print(json.dumps(result))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    folder = args.state or _tiny_state(args.work)
    common = [str(folder), str(args.records)]
    print(f"records: {args.records}, templates from {folder}", flush=True)
    if args.only in (None, "spool"):
        for kind in ["findings", "inputs"]:
            results = {i: _run(["spool", *common, i, kind], args.work) for i in SPOOLS}
            for name, r in results.items():
                print(
                    f"spool {kind} {name}: {r['pairs']} pairs, add {r['add_s']:.2f} s, "
                    f"read {r['read_s']:.2f} s, total {r['total_s']:.2f} s, "
                    f"peak RSS +{r['rss_mb']:.1f} MB",
                    flush=True,
                )
            same = len({r["digest"] for r in results.values()}) == 1
            print(f"spool {kind}: same pairs read back: {same}", flush=True)
    if args.only in (None, "state"):
        results = {i: _run(["state", *common, i, str(args.repeat)], args.work) for i in STATES}
        for name, r in results.items():
            print(
                f"state {name}: cold {statistics.median(r['cold_s']):.2f} s "
                f"(min {min(r['cold_s']):.2f}), incremental "
                f"{statistics.median(r['incremental_s']):.2f} s "
                f"(min {min(r['incremental_s']):.2f}); CPU cold "
                f"{statistics.median(r['cold_cpu_s']):.2f} s, incremental "
                f"{statistics.median(r['incremental_cpu_s']):.2f} s; kept {r['kept'][0]}, "
                f"{r['size_mb']:.1f} MB on disk, peak RSS +{r['rss_mb']:.1f} MB",
                flush=True,
            )
        same = len({r["digest"] for r in results.values()}) == 1
        print(f"state: same entries read back: {same}", flush=True)


if __name__ == "__main__":
    main()
