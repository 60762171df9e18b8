"""Release: the build that runs the stages over a corpus and writes ``dist/``.

Owns the build itself (:mod:`.build`: streaming, parallel, incremental), the machinery that
makes it incremental (:mod:`.index`, :mod:`.cache`, :mod:`.state`, signed by :mod:`.seal`),
running it on Dask (:mod:`.distributed`), swapping a release in atomically (:mod:`.swap`) and
opening a written release (:mod:`.reader`).

May import: every stage before it (findings, corpus, extract, rdf, gate, render).
"""
