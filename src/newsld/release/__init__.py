"""Release: the build that runs the stages over a corpus and writes ``dist/``.

Owns the build itself (:mod:`.build`: options, ``check`` and ``build``, and the describe/manifest
steps that finish a release), the run of one build (:mod:`.run`: per-record read, gate, cache and
reuse, outcomes in corpus order, and ``prepare``), what a record contributes (:mod:`.outcome`:
outcomes, their dependencies and packing), the review file of withheld extracted claims
(:mod:`.review`), the gate's per-record context (:mod:`.gating`), the registry look-ups
extraction makes (:mod:`.lookups`), the worker processes (:mod:`.workers`), the machinery
that makes it incremental (:mod:`.index`, :mod:`.cache`, :mod:`.state`, signed by :mod:`.seal`),
running it on Dask (:mod:`.distributed`), swapping a release in atomically (:mod:`.swap`) and
opening a written release (:mod:`.reader`).

May import: every stage before it (findings, corpus, extract, rdf, gate, render).
"""
