"""Endpoints: using a release: querying it, serving it, loading it into a store.

Owns the embedded Oxigraph store (:mod:`.store`), queries on it or on an endpoint
(:mod:`.query`, run in killable workers by :mod:`.sparqlworker`), the local SPARQL endpoint
(:mod:`.serve`), HTTP to remote stores (:mod:`.remote`), loading a release (:mod:`.load`) and
the failures of all these a user can act on (:mod:`.errors`, free of any HTTP client).

May import: :mod:`newsld.findings`, :mod:`newsld.rdf`, :mod:`newsld.release` (to open one),
:mod:`newsld.site` (``serve`` answers with the site's pages).
"""
