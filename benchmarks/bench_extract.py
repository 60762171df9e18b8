"""Extraction throughput: articles per second on the seed texts and the Wikinews gold texts.

Run: ``python benchmarks/bench_extract.py [--rounds N]``. One process, one core; dateparser is
warmed up first (its first call loads its language data), then every text is extracted
``rounds`` times. Prints one line per corpus: articles, characters, seconds, articles/s, chars/s.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from newsld.corpus.dates import PartialDate
from newsld.corpus.reader import open_corpus
from newsld.corpus.yamlsource import load_yaml
from newsld.extraction import extract
from newsld.extraction.dates import warm_up
from newsld.extraction.evaluate import GoldFile

ROOT = Path(__file__).resolve().parent.parent


def texts() -> dict[str, list[tuple[str, PartialDate | None]]]:
    found: dict[str, list[tuple[str, PartialDate | None]]] = {"seeds": [], "wikinews": []}
    corpus = open_corpus(ROOT / "corpus")
    for path in corpus.record_paths:
        record = load_yaml(path.read_text(encoding="utf-8")).data
        text = (path.parent / record["text_file"]).read_text(encoding="utf-8")
        found["seeds"].append((text, PartialDate.parse(str(record["date_published"]))))
    for path in sorted((ROOT / "eval" / "gold" / "wikinews").glob("*.yaml")):
        gold = GoldFile.model_validate(load_yaml(path.read_text(encoding="utf-8")).data)
        text = (path.parent / gold.text_file).read_text(encoding="utf-8")
        found["wikinews"].append((text, gold.published))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    registry = open_corpus(ROOT / "corpus").registry
    corpora = texts()
    warm_up()
    extract(corpora["seeds"][0][0], corpora["seeds"][0][1], registry)  # warm-up
    for name, items in corpora.items():
        started = time.perf_counter()
        for _ in range(args.rounds):
            for text, published in items:
                extract(text, published, registry)
        seconds = time.perf_counter() - started
        articles = len(items) * args.rounds
        chars = sum(len(t) for t, _ in items) * args.rounds
        print(
            f"{name}: {len(items)} articles x {args.rounds} rounds, {chars} chars in "
            f"{seconds:.2f} s: {articles / seconds:.1f} articles/s, {chars / seconds:,.0f} chars/s"
        )


if __name__ == "__main__":
    main()
