"""Map: records and extractions become RDF.

Owns the vocabulary's namespaces (:mod:`.namespaces`, the one place code takes IRIs from), the
packaged vocabulary, context and shapes files (:mod:`.resources`), IRI minting from stable keys
(:mod:`.iris`) and the mapping of one article to its triples (:mod:`.mapping`), with the terms,
tables and literals it makes (:mod:`.terms`), what it returns (:mod:`.mapped`) and the mapping of
extracted claims and events (:mod:`.extracted`).

May import: :mod:`newsld.findings`, :mod:`newsld.corpus`, :mod:`newsld.extraction`.
"""
