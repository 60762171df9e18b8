"""Site: a static website generated from a finished release (``newsld site``).

Owns reading a release into a page index (:mod:`.index`: the N-Quads dump streamed one graph at a
time into an SQLite file, so memory does not grow with the release; kept between runs, only the
graphs that changed are read again), the JSON-LD each page embeds, made only of triples found in
the release (:mod:`.jsonld`), where each release IRI lives in the site (:mod:`.paths`), the pages
themselves with their Jinja2 templates, CSS and script (:mod:`.pages`, ``templates/``,
``static/``), writing them incrementally (only the pages that read what changed are made, only
pages whose bytes changed are rewritten), the static search index (:mod:`.search`) and the
vocabulary page (:mod:`.vocabulary`).

May import: :mod:`newsld.findings`, :mod:`newsld.corpus`, :mod:`newsld.rdf`,
:mod:`newsld.release` (to open one).
"""
