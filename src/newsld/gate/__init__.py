"""Gate: the SHACL shapes every article's graph must pass before it is released.

Owns running pySHACL and turning its results into findings (:mod:`.shacl`) and the native
evaluator of the shipped shapes, checked against pySHACL (:mod:`.shapes`).

May import: :mod:`newsld.findings`, :mod:`newsld.corpus`, :mod:`newsld.rdf`.
"""
