"""Regenerate the golden graphs on purpose: ``python -m tests.regen_golden``.

Golden files are never edited by hand. After a deliberate change to the mapping, run this,
review the diff of ``tests/golden/`` like any other change, and commit it.
"""

from __future__ import annotations

from pathlib import Path

from newsld.rdf.resources import jsonld_context
from newsld.release.build import BuildOptions
from newsld.release.run import prepare
from newsld.render.serialize import TurtleWriter, _Compactor, ordered

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
GOLDEN_RECORDS = ["win-2018-06-10-hezbollah-helps-hamas"]


def article_turtle(key: str, out: Path) -> None:
    run = prepare(ROOT / "corpus", BuildOptions())
    gated = run.gate(ROOT / "corpus" / "articles" / f"{key}.yaml")
    assert gated.mapped is not None
    with out.open("w", encoding="utf-8", newline="\n") as stream:
        TurtleWriter(stream, _Compactor(jsonld_context())).write(ordered(gated.mapped.triples))


if __name__ == "__main__":
    GOLDEN.mkdir(exist_ok=True)
    for record in GOLDEN_RECORDS:
        article_turtle(record, GOLDEN / f"{record}.ttl")
        print(f"wrote {GOLDEN / record}.ttl")
